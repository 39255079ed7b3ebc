/**
 * A run of every project and a project's own run never write the same project at once, in
 * either order and whoever starts them (a person on a project page, a Jira admin on the admin
 * page, the schedule): a project's start joins a live run of every project; a start of every
 * project while a project's own run is under way is refused, naming that run, and the
 * schedule's refused start is not the day's run.
 */
import { AnalysisError } from '../../src/analysis/analysis-error';
import { listRuns, startRun } from '../../src/analysis/run-control';
import { getSettings, saveSettings } from '../../src/store/settings';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;
/** Jira's search held until the test lifts it: a run stays live as long as the test needs. */
const HELD = 10 * 60_000;
const SEARCH = /search\/jql/;

maybe('run of every project beside a project run', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(20, 5) });
  }, 60_000);
  afterAll(async () => env?.stop());
  afterEach(async () => {
    env.forge.sql.faults.clear();
    env.jira.faults.liftLatency();
    env.jira.faults.clear();
    await env.forge.queue.settle(60_000);
  });

  /** Runs of every project started since `since`. */
  const allRunsSince = async (since: number) => (await listRuns({ kind: 'all' }, 50)).filter((r) => r.scope.kind === 'all' && Date.parse(r.startedAt) >= since);

  it("refuses a start of every project while a project's own run is under way, naming that run; the schedule's start too, which is not the day's run", async () => {
    await saveSettings({ ...(await getSettings()), schedule: 'daily' });
    const since = Date.now();
    env.jira.faults.latency(HELD, SEARCH);
    const project = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' });
    expect(project.joined).toBe(false);

    // The admin page's Start.
    const refused = startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' });
    await expect(refused).rejects.toThrow(AnalysisError);
    await expect(startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' })).rejects.toMatchObject({ code: 'BUSY' });
    const message = await startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' }).then(
      () => '',
      (err: unknown) => (err instanceof Error ? err.message : ''),
    );
    expect(message).toContain(`The analysis of HADOOP started at ${new Date(Date.parse(project.run.startedAt)).toISOString().slice(0, 16).replace('T', ' ')} UTC (run ${project.run.runId}) is under way`);

    // The schedule: no run, the log says why, naming the run.
    const info = jest.spyOn(console, 'info');
    try {
      const outcome = (await env.forge.runScheduledTrigger('dedupe-schedule')) as { started: string | null; reason: string };
      expect(outcome.started).toBeNull();
      expect(outcome.reason).toContain(`(run ${project.run.runId}) is under way`);
      expect(info.mock.calls.map((c) => String(c[0]))).toContain(`schedule: no run started (${outcome.reason})`);
    } finally {
      info.mockRestore();
    }
    expect(await allRunsSince(since)).toEqual([]);

    // The project's run finishes well; the next delivery of the trigger, the same day, starts
    // the day's run (the refused one was not it).
    env.jira.faults.liftLatency();
    await env.forge.queue.settle(60_000);
    expect((await listRuns(SCOPE)).find((r) => r.runId === project.run.runId)?.status).toBe('done');
    const retried = (await env.forge.runScheduledTrigger('dedupe-schedule')) as { started: string | null; reason: string };
    expect(retried.started).not.toBeNull();
    await env.forge.queue.settle(60_000);
    expect((await allRunsSince(since)).map((r) => [r.runId, r.status, r.trigger])).toEqual([[retried.started, 'done', 'schedule']]);
  }, 90_000);

  it("a project's run that claims its project first refuses a start of every project that was writing its row", async () => {
    const since = Date.now();
    env.jira.faults.latency(HELD, SEARCH);
    // The start of every project checks the projects' locks, then writes its row, slowly: the
    // project's start goes through in between.
    const allWriting = env.forge.sql.faults.holdNext(/INSERT INTO runs/, Infinity);
    const all = startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' }).then(
      (r) => r,
      (err: unknown) => err,
    );
    await allWriting;
    const project = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' });
    expect(project.joined).toBe(false);
    env.forge.sql.faults.release();
    const outcome = await all;
    expect(outcome).toBeInstanceOf(AnalysisError);
    expect(outcome).toMatchObject({ code: 'BUSY', message: expect.stringContaining(`(run ${project.run.runId}) is under way`) as unknown });
    expect(await allRunsSince(since)).toEqual([]);
    env.jira.faults.liftLatency();
    await env.forge.queue.settle(60_000);
    // Its lock, held by a run that no longer exists, goes to the next start of every project.
    const next = await startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' });
    expect(next.joined).toBe(false);
    await env.forge.queue.settle(60_000);
    expect((await allRunsSince(since)).map((r) => r.status)).toEqual(['done']);
  }, 90_000);

  it('a project start while a run of every project writes its row joins it once it holds the project', async () => {
    env.jira.faults.latency(HELD, SEARCH);
    // The run of every project holds the project's lock; its `all` claim is slow.
    const allClaiming = env.forge.sql.faults.holdNext(/scope_locks.*WHERE scope_key = \? AND run_id = \?|INSERT IGNORE INTO scope_locks/, Infinity);
    const all = startRun({ scope: { kind: 'all' }, trigger: 'admin', startedBy: 'admin-1' });
    await allClaiming;
    // Held at its first lock statement (the project's): let it take the project, and hold the next.
    const allSecond = env.forge.sql.faults.holdNext(/scope_locks/, Infinity);
    env.forge.sql.faults.release();
    await allSecond;
    const project = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'member-1' });
    env.forge.sql.faults.release();
    const started = await all;
    expect(started.joined).toBe(false);
    expect([project.joined, project.run.runId]).toEqual([true, started.run.runId]);
  }, 90_000);
});
