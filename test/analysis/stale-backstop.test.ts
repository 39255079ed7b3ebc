/**
 * A run whose queue events are all lost (the worker dies, and Forge drops the event for good)
 * must not stay live for ever, nor hold anything up. Each test makes such a run (every delivery
 * of its plan lost, its last sign of life past the 20 minutes of stale detection) and goes
 * down one path that meets it: the daily trigger with the schedule off (and with the settings
 * unreadable), the run panel's status
 * read, the project page's run list, a new Start of its scope, a
 * project's Start under a dead run of every project, and an issue event with the issue panel
 * after it. Real SDKs, LocalForge, MariaDB and the Jira stand-in.
 */
import { getRun, startRun, STALE_MESSAGE } from '../../src/analysis/run-control';
import * as handlers from '../../src/index';
import type { RunScope } from '../../src/shared/contract';
import { getDoc } from '../../src/store/docs';
import { saveSettings, getSettings } from '../../src/store/settings';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const HADOOP: RunScope = { kind: 'project', projectKey: 'HADOOP' };
const PROJECT_PAGE = { type: 'jira:projectPage', project: { id: '10000', key: 'HADOOP', type: 'software' } };
/** Past stale detection's 20 minutes. */
const LAST_SIGN_OF_LIFE_MS = 21 * 60_000;

interface Answer<T> {
  success: boolean;
  data?: T;
}
interface ShownRun {
  runId: string;
  status: string;
  error: string | null;
}

maybe('a run whose queue events were all lost', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(20, 5), forge: { handlers } });
  }, 60_000);
  afterAll(async () => env?.stop());
  afterEach(async () => {
    env.forge.queue.faults.clear();
    await env.forge.queue.settle(60_000);
  });

  /** A run of `scope` whose plan event was lost on every delivery, with no sign of life for 21 minutes. */
  async function deadRun(scope: RunScope): Promise<string> {
    env.forge.queue.faults.failNext(1_000, { mode: 'before' });
    const { run, joined } = await startRun({ scope, trigger: 'manual', startedBy: 'admin-1' });
    expect(joined).toBe(false);
    await env.forge.queue.settle(60_000);
    env.forge.queue.faults.clear();
    await env.forge.sql.query('UPDATE runs SET heartbeat_ms = ? WHERE id = ?', [Date.now() - LAST_SIGN_OF_LIFE_MS, run.runId]);
    expect((await getRun(run.runId))?.status).toBe('queued');
    return run.runId;
  }

  const failedAsStale = async (runId: string): Promise<[string | undefined, string | null | undefined]> => {
    const run = await getRun(runId);
    return [run?.status, run?.error];
  };

  it('is failed by the daily trigger with the schedule off', async () => {
    const runId = await deadRun(HADOOP);
    const settings = await getSettings();
    await saveSettings({ ...settings, schedule: 'off' });
    try {
      expect(await handlers.scheduledRun()).toEqual({ started: null, reason: 'schedule off' });
    } finally {
      await saveSettings(settings);
    }
    expect(await failedAsStale(runId)).toEqual(['failed', STALE_MESSAGE]);
  }, 90_000);

  it('is failed by the daily trigger even when the settings cannot be read', async () => {
    const runId = await deadRun(HADOOP);
    env.forge.kvs.faults.failNext(100, { match: { route: 'get', key: 'settings:v1' } });
    try {
      await expect(handlers.scheduledRun()).rejects.toThrow();
    } finally {
      env.forge.kvs.faults.clear();
    }
    expect(await failedAsStale(runId)).toEqual(['failed', STALE_MESSAGE]);
  }, 90_000);

  it("is failed by the run panel's status read", async () => {
    const runId = await deadRun(HADOOP);
    const answer = (await env.forge.callResolver('project-page-resolver', 'run.status', {}, { accountId: 'member-1', extension: PROJECT_PAGE })) as Answer<{ current: ShownRun | null; last: ShownRun | null }>;
    expect(answer.data?.current).toBeNull();
    expect([answer.data?.last?.runId, answer.data?.last?.status, answer.data?.last?.error]).toEqual([runId, 'failed', STALE_MESSAGE]);
  }, 90_000);

  // Failed before: the project page's run list showed the dead run as live when read before
  // (or without) a status read of the project.
  it("is failed by the project page's run list", async () => {
    const runId = await deadRun(HADOOP);
    const answer = (await env.forge.callResolver('project-page-resolver', 'run.list', {}, { accountId: 'member-1', extension: PROJECT_PAGE })) as Answer<{ runs: ShownRun[] }>;
    const listed = answer.data?.runs.find((r) => r.runId === runId);
    expect([listed?.status, listed?.error]).toEqual(['failed', STALE_MESSAGE]);
    expect(await failedAsStale(runId)).toEqual(['failed', STALE_MESSAGE]);
  }, 90_000);

  it('is failed by a new Start of its scope, which runs rather than join it', async () => {
    const runId = await deadRun(HADOOP);
    const again = await startRun({ scope: HADOOP, trigger: 'manual', startedBy: 'member-1' });
    expect([again.joined, again.run.runId === runId]).toEqual([false, false]);
    expect(await failedAsStale(runId)).toEqual(['failed', STALE_MESSAGE]);
    await env.forge.queue.settle(60_000);
    expect((await getRun(again.run.runId))?.status).toBe('done');
  }, 90_000);

  it("is failed by a project's Start when it is a run of every project, which would otherwise cover it", async () => {
    const runId = await deadRun({ kind: 'all' });
    const project = await startRun({ scope: HADOOP, trigger: 'manual', startedBy: 'member-1' });
    expect([project.joined, project.run.scope]).toEqual([false, HADOOP]);
    expect(await failedAsStale(runId)).toEqual(['failed', STALE_MESSAGE]);
    await env.forge.queue.settle(60_000);
    expect((await getRun(project.run.runId))?.status).toBe('done');
  }, 90_000);

  it('holds up no issue event, and the issue panel does not wait for it', async () => {
    // The dead run holds the project; a run before it stored nothing of this issue.
    await env.forge.sql.query('DELETE FROM docs');
    const runId = await deadRun(HADOOP);
    const issueId = (env.jira.store.issues.values().next().value as { id: string }).id;
    await env.forge.deliverProductEvent('avi:jira:updated:issue', { eventType: 'avi:jira:updated:issue', atlassianId: 'member-1', issue: { id: issueId, fields: { project: { key: 'HADOOP' } } } });
    expect((await getDoc(issueId))?.scoredMs).toEqual(expect.any(Number));
    const panel = (await env.forge.callResolver('issue-view-resolver', 'suggestions.get', { issueId }, { accountId: 'member-1' })) as Answer<{ indexed: boolean; pending: boolean; analysisRunning: boolean }>;
    expect([panel.data?.pending, panel.data?.analysisRunning]).toEqual([false, false]);
    // The dead run is still live here: nothing on this path looks at it, and nothing waits for it.
    expect((await getRun(runId))?.status).toBe('queued');
  }, 90_000);
});
