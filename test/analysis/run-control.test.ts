/** Starting, joining, cancelling and stale detection of runs. */
import { AnalysisError } from '../../src/analysis/analysis-error';
import { cancelRun, detectStaleRuns, getRun, getRunStatus, listRuns, startRun, STALE_MESSAGE } from '../../src/analysis/run-control';
import { listActions } from '../../src/store/actions';
import { getSettings } from '../../src/store/settings';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;
/**
 * Jira's search held (past the client's 15 s timeout the app asks again, and is held again)
 * until the test lifts it: a run is still going for as long as the test needs it to be,
 * however slow the machine, and goes on at once when lifted.
 */
const HELD = 10 * 60_000;
const SEARCH = /search\/jql/;

maybe('run control', () => {
  let env: Env;
  beforeAll(async () => {
    // A few issues, with pairs among them: the tests need runs that start, join, stop and
    // finish, and how long a run is still going is the held search's to say, not the backlog's
    // size. With the 200 issues this had, each of the file's five full analyses was CPU work
    // that a loaded machine stretched (the first, cold: 3.0 s at load average 9, against 1.1 s
    // for these 20) towards the 60 s its waits allow.
    env = await startEnv({ seed: devsetSubset(20, 5), settings: { projects: ['HADOOP', 'OPS'] } });
  }, 60_000);
  afterAll(async () => env?.stop());
  afterEach(async () => {
    env.forge.queue.faults.clear();
    env.jira.faults.liftLatency();
    env.jira.faults.clear();
    await env.forge.queue.settle(60_000);
  });

  it('two simultaneous starts end as one run; a later start joins it', async () => {
    // Jira holds the run's search: the run is live while the later start is asked (as below).
    env.jira.faults.latency(HELD, SEARCH);
    const [a, b] = await Promise.all([
      startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' }),
      startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' }),
    ]);
    expect(a.run.runId).toBe(b.run.runId);
    expect([a.joined, b.joined].sort()).toEqual([false, true]);
    const c = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    env.jira.faults.liftLatency();
    expect(c.joined).toBe(true);
    expect(c.run.runId).toBe(a.run.runId);
    await env.forge.queue.settle(60_000);
    const runs = await listRuns(SCOPE);
    expect(runs.filter((r) => r.runId === a.run.runId)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('done');
    // Finished: the next start is a new run.
    const d = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    expect(d.joined).toBe(false);
    expect(d.run.runId).not.toBe(a.run.runId);
  }, 90_000);

  it('a project run joins a running all-projects run', async () => {
    // Jira holds the search of the run of everything: it is live while the project's start is
    // asked (a few issues are read and compared in well under a second otherwise: a
    // fresh-clone CI run once saw it finish before the second start).
    env.jira.faults.latency(HELD, SEARCH);
    try {
      const all = await startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' });
      const project = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' });
      expect(project.joined).toBe(true);
      expect(project.run.runId).toBe(all.run.runId);
    } finally {
      env.jira.faults.liftLatency();
    }
  }, 60_000);

  it('cancel stops the run and its events', async () => {
    // Jira holds the run's search until the run is cancelled: nothing is compared before.
    env.jira.faults.latency(HELD, SEARCH);
    const { run } = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    const cancelled = await cancelRun(run.runId, 'admin-1');
    expect(cancelled?.status).toBe('cancelled');
    env.jira.faults.liftLatency();
    await env.forge.queue.settle(60_000);
    const after = await getRun(run.runId);
    expect(after?.status).toBe('cancelled');
    expect(after?.finishedAt).not.toBeNull();
    expect(after?.counters.scored).toBe(0);
    const status = await getRunStatus(SCOPE);
    expect(status.current).toBeNull();
    // The last finished run was cancelled: the status also names the last one that finished
    // well, whose results are the ones stored.
    expect(status.last?.runId).toBe(run.runId);
    expect(status.lastDone?.status).toBe('done');
    expect(status.lastDone?.runId).not.toBe(run.runId);
  }, 60_000);

  it('a run whose events were lost is detected as stale, failed with a message, and can be restarted', async () => {
    // Every delivery is lost and never retried successfully: the run sits in "queued".
    env.forge.queue.faults.failNext(100, { mode: 'before' });
    const { run } = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    expect((await getRun(run.runId))?.status).toBe('queued');
    expect(await detectStaleRuns({ staleAfterMs: 60_000 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(await detectStaleRuns({ staleAfterMs: 10 })).toEqual([run.runId]);
    const failed = await getRun(run.runId);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toBe(STALE_MESSAGE);
    // In the history as the app's own entry, once however often the check runs again.
    expect(await detectStaleRuns({ staleAfterMs: 10 })).toEqual([]);
    const logged = (await listActions({ projectKeys: ['HADOOP'], involving: 'HADOOP' })).items.filter((a) => a.action === 'run.fail');
    expect(logged.filter((a) => a.detail === STALE_MESSAGE).map((a) => a.actorAccountId)).toEqual([null]);
    env.forge.queue.faults.clear();
    const again = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    expect(again.joined).toBe(false);
    await env.forge.queue.settle(60_000);
    expect((await getRun(again.run.runId))?.status).toBe('done');
    // Once the last run finished well, there is nothing else to name.
    expect((await getRunStatus(SCOPE)).lastDone).toBeNull();
  }, 90_000);

  it('refuses projects outside the settings with a sentence a person can act on', async () => {
    await expect(startRun({ scope: { kind: 'project', projectKey: 'NOPE' }, trigger: 'manual', startedBy: 'admin-1' })).rejects.toThrow(AnalysisError);
    await expect(startRun({ scope: { kind: 'project', projectKey: 'NOPE' }, trigger: 'manual', startedBy: 'admin-1' })).rejects.toThrow(/NOPE is not among the analysed projects/);
  });
  it('a project start racing a start of every project joins that run instead of running beside it', async () => {
    // Both starts write their run row slowly: the project's covering check passes before the
    // run of every project claims its scope, and the project claims its own just after.
    const since = Date.now();
    env.forge.sql.faults.setLatency(2_000, /INSERT INTO runs/);
    try {
      // The project starts once the run of every project is writing its row (not after a fixed
      // pause, which a busy machine can outlast before that start gets there).
      const allWriting = env.forge.sql.faults.holdNext(/INSERT INTO runs/, 2_000);
      // (Of HADOOP alone: the stand-in has no OPS, and a run that failed at once would cover nothing.)
      const all = startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' }, { settings: { ...(await getSettings()), projects: ['HADOOP'] } });
      await allWriting;
      const [a, p] = await Promise.all([all, startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' })]);
      expect(a.joined).toBe(false);
      expect([p.joined, p.run.runId]).toEqual([true, a.run.runId]);
    } finally {
      env.forge.sql.faults.setLatency(0);
    }
    await env.forge.queue.settle(60_000);
    // The project's own run row went; its lock is taken over by the next start.
    expect((await listRuns(SCOPE)).filter((r) => r.scope.kind === 'project' && Date.parse(r.startedAt) >= since)).toHaveLength(0);
    const next = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' });
    expect(next.joined).toBe(false);
  }, 90_000);
});
