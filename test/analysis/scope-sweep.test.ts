/**
 * The scope sweep (src/analysis/scope-sweep.ts): stored issues the settings no longer analyse
 * go without a full run of every project and without asking Jira. A project taken out of
 * the settings leaves the issue view and the review queues once the save's sweep has run,
 * with its decisions kept and back when the project is; issues past the age limit go at the
 * start of an incremental run; a sweep delivered again, or after a delivery that died half
 * way, leaves the same state. Each test failed on the code before the sweep.
 */
import type { SeedData } from '../../sandbox/jira';
import { startRun } from '../../src/analysis/run-control';
import { analysisWorker } from '../../src/analysis/worker';
import * as handlers from '../../src/index';
import type { Settings } from '../../src/shared/contract';
import { getSettings } from '../../src/store/settings';
import { devsetSubset, hasDevset, knownPairs, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const HADOOP_PAGE = { type: 'jira:projectPage', project: { id: '10000', key: 'HADOOP', type: 'software' } };
const DAY_MS = 86_400_000;

type Answer<T> = { success: boolean; data?: T };
interface PanelView {
  indexed: boolean;
  duplicates: unknown[];
  related: unknown[];
  dismissed: unknown[];
}
interface QueueView {
  items: Array<{ id: string; a: { key: string }; b: { key: string } }>;
  total: number;
}

/**
 * HADOOP and MOB: both issues of the first ten known pairs in MOB, and the first issue of the
 * next five (their second stays in HADOOP), so MOB has pairs of its own and pairs across.
 */
function twoProjects(size: number): SeedData {
  const seed = devsetSubset(size, 30);
  const pairs = knownPairs();
  const mob = new Set([...pairs.slice(0, 10).flat(), ...pairs.slice(10, 15).map(([a]) => a)]);
  return {
    projects: [...seed.projects, { id: '10001', key: 'MOB', name: 'Mobile' }],
    issues: seed.issues.map((issue) => (mob.has(issue.id ?? '') ? { ...issue, projectKey: 'MOB' } : issue)),
  };
}

async function rows<T>(env: Env, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await env.forge.sql.query(sql, params)) as T[];
}

const count = async (env: Env, sql: string, params: unknown[] = []): Promise<number> => Number((await rows<{ n: number }>(env, sql, params))[0]?.n);

/** What a sweep can change: documents, pairs (with their decisions and whether shown), exits. */
async function state(env: Env): Promise<{ docs: string[]; pairs: string[]; left: string[] }> {
  return {
    docs: (await rows<{ id: string }>(env, 'SELECT id FROM docs ORDER BY id')).map((r) => r.id),
    pairs: (await rows<{ id: string; status: string; active: number }>(env, 'SELECT id, status, active FROM pairs ORDER BY id')).map((r) => `${r.id}|${r.status}|${r.active}`),
    left: (await rows<{ id: string; left_ms: number }>(env, 'SELECT id, left_ms FROM left_scope ORDER BY id')).map((r) => `${r.id}|${r.left_ms}`),
  };
}

maybe('a project taken out of the settings', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  const save = async (settings: Settings): Promise<void> => {
    const res = (await env.forge.callResolver('admin-page-resolver', 'settings.save', { settings }, { accountId: 'admin-1', extension: { type: 'jira:adminPage' } })) as { success: boolean };
    expect(res.success).toBe(true);
  };
  const panel = async (issueId: string): Promise<PanelView> => {
    const answer = (await env.forge.callResolver('issue-view-resolver', 'suggestions.get', { issueId }, { accountId: 'member-1' })) as Answer<PanelView>;
    expect(answer.success).toBe(true);
    return answer.data!;
  };
  const hadoopQueue = async (): Promise<QueueView> => {
    const answer = (await env.forge.callResolver('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 100 }, { accountId: 'member-1', extension: HADOOP_PAGE })) as Answer<QueueView>;
    expect(answer.success).toBe(true);
    return answer.data!;
  };
  const touchesMob = (q: QueueView) => q.items.filter((p) => p.a.key.startsWith('MOB-') || p.b.key.startsWith('MOB-'));

  it('leaves the issue view and the other projects’ queue once the save’s sweep ran, its decisions kept and back with the project', async () => {
    env = await startEnv({ seed: twoProjects(260), settings: { projects: ['HADOOP', 'MOB'], crossProject: true }, forge: { handlers } });
    await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const both = await getSettings();

    const mobPairs = await rows<{ id: string; issue_a: string }>(env, "SELECT id, issue_a FROM pairs WHERE active = 1 AND project_a = 'MOB' AND project_b = 'MOB' ORDER BY score DESC");
    expect(mobPairs.length).toBeGreaterThan(1);
    const [dismissed, pending] = mobPairs;
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 2 WHERE id = ?", [dismissed!.id]);
    expect(touchesMob(await hadoopQueue()).length).toBeGreaterThan(0);
    const mobIssue = pending!.issue_a;
    expect((await panel(mobIssue)).indexed).toBe(true);
    const hadoopDocs = await count(env, "SELECT COUNT(*) AS n FROM docs WHERE project_key = 'HADOOP'");

    await save({ ...both, projects: ['HADOOP'] });
    await env.forge.queue.settle(60_000);
    // No run was started: the save's sweep did it.
    expect(await count(env, 'SELECT COUNT(*) AS n FROM runs')).toBe(1);
    expect(await count(env, "SELECT COUNT(*) AS n FROM docs WHERE project_key = 'MOB'")).toBe(0);
    expect(await count(env, "SELECT COUNT(*) AS n FROM docs WHERE project_key = 'HADOOP'")).toBe(hadoopDocs);
    const view = await panel(mobIssue);
    expect([view.indexed, view.duplicates.length, view.related.length, view.dismissed.length]).toEqual([false, 0, 0, 0]);
    expect(touchesMob(await hadoopQueue())).toEqual([]);
    expect(await count(env, "SELECT COUNT(*) AS n FROM pairs WHERE active = 1 AND (project_a = 'MOB' OR project_b = 'MOB')")).toBe(0);
    // The decision is kept, hidden; the undecided pair is gone.
    expect(await rows(env, 'SELECT status, active, decided_by FROM pairs WHERE id = ?', [dismissed!.id])).toEqual([{ status: 'dismissed', active: 0, decided_by: 'member-1' }]);
    expect(await count(env, 'SELECT COUNT(*) AS n FROM pairs WHERE id = ?', [pending!.id])).toBe(0);

    // MOB back: its first run finds the pair again, with its decision.
    await save({ ...both, projects: ['HADOOP', 'MOB'] });
    await startRun({ scope: { kind: 'project', projectKey: 'MOB' }, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    expect(await rows(env, 'SELECT status, active, decided_by FROM pairs WHERE id = ?', [dismissed!.id])).toEqual([{ status: 'dismissed', active: 1, decided_by: 'member-1' }]);
    expect((await panel(mobIssue)).indexed).toBe(true);
    expect(touchesMob(await hadoopQueue()).length).toBeGreaterThan(0);
  }, 240_000);

  it('a sweep delivered again changes nothing further, and one that died between the documents and their pairs is finished by its redelivery', async () => {
    env = await startEnv({ seed: twoProjects(260), settings: { projects: ['HADOOP', 'MOB'], crossProject: true }, forge: { handlers } });
    await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const both = await getSettings();
    const mobPairs = await count(env, "SELECT COUNT(*) AS n FROM pairs WHERE active = 1 AND (project_a = 'MOB' OR project_b = 'MOB')");
    expect(mobPairs).toBeGreaterThan(0);

    // The first delivery dies after deleting MOB's documents, at the first write to their pairs.
    env.forge.sql.faults.failNext(1, { match: /^\s*DELETE FROM pairs WHERE issue_a IN/, code: 'SQL_EXECUTION_ERROR', status: 500, message: 'Lost connection to the database' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await save({ ...both, projects: ['HADOOP'] });
      await env.forge.queue.settle(60_000);
      expect(warn.mock.calls.some((c) => String(c[0]).startsWith('analysis: scope sweep page after "" failed (retry 0)'))).toBe(true);
    } finally {
      warn.mockRestore();
    }
    expect(await count(env, "SELECT COUNT(*) AS n FROM docs WHERE project_key = 'MOB'")).toBe(0);
    expect(await count(env, "SELECT COUNT(*) AS n FROM pairs WHERE active = 1 AND (project_a = 'MOB' OR project_b = 'MOB')")).toBe(0);

    // The same event once more (at least-once delivery): nothing changes.
    const atMs = (await rows<{ left_ms: number }>(env, 'SELECT DISTINCT left_ms FROM left_scope'))
      .map((r) => Number(r.left_ms));
    expect(atMs).toHaveLength(1);
    const before = await state(env);
    expect(before.left.length).toBeGreaterThan(0);
    await analysisWorker({ body: { kind: 'sweep', after: '', atMs: atMs[0], reason: 'settings' }, eventId: 'again', retryContext: { retryCount: 1 } });
    await env.forge.queue.settle(60_000);
    expect(await state(env)).toEqual(before);
  }, 240_000);
});

maybe('the age limit', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  it('an incremental run lets go of the issues that aged past it since the last run', async () => {
    const seed = devsetSubset(200, 30);
    const now = Date.now();
    // Every issue ten days old, but those of two known pairs: 30 days old in 20 seconds.
    const aging = new Set(knownPairs().slice(0, 2).flat());
    const edgeMs = now - 30 * DAY_MS + 20_000;
    seed.issues = seed.issues.map((i) => ({ ...i, created: new Date(aging.has(i.id ?? '') ? edgeMs : now - 10 * DAY_MS).toISOString() }));
    env = await startEnv({ seed, settings: { maxAgeDays: 30 }, forge: { handlers } });
    const scope = { kind: 'project', projectKey: 'HADOOP' } as const;
    await startRun({ scope, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const ids = [...aging];
    const inList = ids.map(() => '?').join(', ');
    expect(await count(env, `SELECT COUNT(*) AS n FROM docs WHERE id IN (${inList})`, ids)).toBe(ids.length);
    const total = await count(env, 'SELECT COUNT(*) AS n FROM docs');

    // Wait until they are past the limit; nothing in Jira changes.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, edgeMs + 30 * DAY_MS - Date.now() + 1000)));
    const { run } = await startRun({ scope, trigger: 'schedule', mode: 'incremental', startedBy: null });
    expect(run.mode).toBe('incremental');
    await env.forge.queue.settle(120_000);
    expect(await count(env, `SELECT COUNT(*) AS n FROM docs WHERE id IN (${inList})`, ids)).toBe(0);
    expect(await count(env, `SELECT COUNT(*) AS n FROM pairs WHERE active = 1 AND (issue_a IN (${inList}) OR issue_b IN (${inList}))`, [...ids, ...ids])).toBe(0);
    expect(await count(env, 'SELECT COUNT(*) AS n FROM docs')).toBe(total - ids.length);
    expect((await rows<{ status: string }>(env, 'SELECT status FROM runs WHERE id = ?', [run.runId]))[0]?.status).toBe('done');
  }, 240_000);
});
