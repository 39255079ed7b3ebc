/**
 * A second analysis joins the pipeline beside duplicate detection through `IssueAnalysis`
 * alone (runs, fetch chains, retries, sweeps and issue events are shared), and the two do
 * not disturb each other.
 */
import { duplicatesAnalysis } from '../../src/analysis/duplicates';
import type { IssueAnalysis, RunFinish } from '../../src/analysis/issue-analysis';
import { listRuns, startRun } from '../../src/analysis/run-control';
import { analysisWorkerFor } from '../../src/analysis/worker';
import { getDoc } from '../../src/store/docs';
import { issueEventsFor } from '../../src/triggers/issue-events';
import { devsetSubset, hasDevset, pipelineHandlers, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;

/**
 * What a hygiene check might keep: per issue, whether its summary is short. Held in memory
 * by the test; a real analysis would keep it in its own table.
 */
class ShortSummaries implements IssueAnalysis {
  readonly name = 'short-summaries';
  readonly flagged = new Map<string, boolean>();
  readonly finished: RunFinish[] = [];
  readonly changed: string[] = [];
  pages = 0;
  /** The first page fails once, as a worker that dies mid-batch would. */
  failFirstPage = true;

  storeIssues(issues: Parameters<IssueAnalysis['storeIssues']>[0]): Promise<void> {
    this.pages++;
    if (this.failFirstPage) {
      this.failFirstPage = false;
      return Promise.reject(new Error('worker died'));
    }
    for (const i of issues) this.flagged.set(i.id, (i.fields.summary ?? '').length < 40);
    return Promise.resolve();
  }

  forgetIssues(ids: readonly string[]): Promise<number> {
    let held = 0;
    for (const id of ids) if (this.flagged.delete(id)) held++;
    return Promise.resolve(held);
  }

  finishRun(finish: RunFinish): Promise<{ indexed?: number } | null> {
    this.finished.push(finish);
    return Promise.resolve({});
  }

  issueChanged({ issue }: Parameters<IssueAnalysis['issueChanged']>[0]): Promise<'indexed'> {
    this.changed.push(issue.id);
    this.flagged.set(issue.id, (issue.fields.summary ?? '').length < 40);
    return Promise.resolve('indexed');
  }
}

maybe('an analysis beside duplicate detection', () => {
  let env: Env;
  const hygiene = new ShortSummaries();
  const seed = devsetSubset(120, 10);
  let unsubscribe: () => void = () => undefined;
  beforeAll(async () => {
    const analyses = [duplicatesAnalysis, hygiene];
    env = await startEnv({
      seed,
      forge: { handlers: { ...pipelineHandlers, analysisWorker: analysisWorkerFor(analyses), issueEvents: issueEventsFor(analyses) } },
    });
    unsubscribe = env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
  }, 60_000);
  afterAll(async () => {
    unsubscribe();
    await env?.stop();
  });

  it('gets every issue of a run, after a failed page is delivered again, and the run finishes with both', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
      await env.forge.queue.settle(60_000);
    } finally {
      warn.mockRestore();
    }
    const [run] = await listRuns(SCOPE);
    expect(run?.status).toBe('done');
    expect(run?.counters.pairs).toBeGreaterThan(0);
    // The failed page came again (at least once), and every issue arrived.
    expect(hygiene.pages).toBeGreaterThanOrEqual(2);
    expect([...hygiene.flagged.keys()].sort()).toEqual(seed.issues.map((i) => i.id!).sort());
    expect(hygiene.flagged.get(seed.issues[0]!.id!)).toBe(seed.issues[0]!.summary.length < 40);
    expect(hygiene.finished).toHaveLength(1);
    expect(hygiene.finished[0]).toMatchObject({ projects: ['HADOOP'], settings: { projects: ['HADOOP'] } });
  }, 90_000);

  it('hears of changed and deleted issues from their events', async () => {
    const [first, second] = seed.issues;
    env.jira.updateIssue(first!.id!, { summary: 'Short' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    expect(hygiene.changed).toContain(first!.id);
    expect(hygiene.flagged.get(first!.id!)).toBe(true);

    env.jira.deleteIssue(second!.id!, { accountId: 'admin-1' });
    await env.jira.flushEvents();
    expect(hygiene.flagged.has(second!.id!)).toBe(false);
    expect(await getDoc(second!.id!)).toBeNull();
  }, 30_000);

  it('loses the issues a full run no longer finds, with duplicate detection', async () => {
    const gone = seed.issues[2]!.id!;
    // Gone from Jira without an event reaching the app: only the next full run can tell.
    unsubscribe();
    env.jira.deleteIssue(gone, { accountId: 'admin-1' });
    await env.jira.flushEvents();
    expect(hygiene.flagged.has(gone)).toBe(true);
    await startRun({ scope: SCOPE, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await env.forge.queue.settle(60_000);
    expect(hygiene.flagged.has(gone)).toBe(false);
    expect(await getDoc(gone)).toBeNull();
    expect(hygiene.finished).toHaveLength(2);
  }, 90_000);
});
