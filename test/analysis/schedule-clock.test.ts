/**
 * The schedule's decisions across days, on its own clock (`runSchedule({ now })`): "daily"
 * with its four hours of slack, the full run every seven days (two hours of slack), "weekly",
 * and a person's run of every project that the schedule joins, which is the day's scheduled run.
 * The days are in the past (40 days ago onwards), so the runs the schedule starts, stamped
 * with its clock, stay behind the real time the pipeline's steps write.
 */
import { listRuns, startRun } from '../../src/analysis/run-control';
import { listActions } from '../../src/store/actions';
import { getSettings, saveSettings } from '../../src/store/settings';
import { runSchedule, type ScheduleOutcome } from '../../src/triggers/scheduled';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

maybe('the schedule on its own clock', () => {
  let env: Env;
  const base = Date.now() - 40 * DAY;
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(30, 5), settings: { schedule: 'daily' } });
  }, 60_000);
  afterAll(async () => env?.stop());

  /** The trigger fires at `at`; the run it starts, if any, finishes. */
  const fire = async (at: number): Promise<ScheduleOutcome> => {
    const outcome = await runSchedule({ now: at });
    await env.forge.queue.settle(60_000);
    return outcome;
  };
  const latestAll = async () => (await listRuns({ kind: 'all' }))[0];

  it('daily: one run a day; a trigger up to four hours early is the next day', async () => {
    expect(await fire(base)).toMatchObject({ reason: 'full run' });
    expect(await latestAll()).toMatchObject({ status: 'done', startedAt: new Date(base).toISOString(), trigger: 'schedule' });
    expect(await fire(base + 20 * HOUR - MIN)).toEqual({ started: null, reason: "daily: today's run has started already" });
    expect(await fire(base + 20 * HOUR + MIN)).toMatchObject({ reason: 'incremental run' });
  }, 90_000);

  it('daily: every issue again once the last full run is a week old, two hours early included', async () => {
    // The last full run started at `base`.
    for (let day = 2; day <= 6; day++) expect(await fire(base + day * DAY)).toMatchObject({ reason: 'incremental run' });
    expect(await fire(base + 7 * DAY - HOUR)).toMatchObject({ reason: 'full run' });
    const fullAt = base + 7 * DAY - HOUR;
    expect(await fire(base + 8 * DAY)).toMatchObject({ reason: 'incremental run' });
    // Two hours and a minute short of a week after that full run: not yet.
    expect(await fire(fullAt + 7 * DAY - 2 * HOUR - MIN)).toMatchObject({ reason: 'incremental run' });
    expect(await fire(fullAt + 8 * DAY)).toMatchObject({ reason: 'full run' });
  }, 120_000);

  it('weekly: a run once the last good run of everything is a week old, less two hours', async () => {
    await saveSettings({ ...(await getSettings()), schedule: 'weekly' });
    const last = Date.parse((await latestAll())!.startedAt);
    expect(await fire(last + DAY)).toEqual({ started: null, reason: 'weekly: last run is recent' });
    expect(await fire(last + 7 * DAY - 2 * HOUR - MIN)).toEqual({ started: null, reason: 'weekly: last run is recent' });
    expect((await fire(last + 7 * DAY - 2 * HOUR + MIN)).started).not.toBeNull();
    await saveSettings({ ...(await getSettings()), schedule: 'daily' });
  }, 90_000);

  it("a person's run of every project that the schedule joins is the day's scheduled run, and stays theirs", async () => {
    const last = Date.parse((await latestAll())!.startedAt);
    const at = last + 2 * DAY;
    // An admin's run of everything, held up reading Jira when the trigger fires.
    env.jira.faults.latency(10 * MIN, /search\/jql/);
    const info = jest.spyOn(console, 'info');
    let runId: string;
    try {
      const manual = await startRun({ scope: { kind: 'all' }, trigger: 'admin', mode: 'incremental', startedBy: 'admin-1' }, { now: at - HOUR });
      runId = manual.run.runId;
      const starts = (await listActions({ projectKeys: ['HADOOP'], involving: 'HADOOP' })).items.filter((a) => a.action === 'run.start').length;
      expect(await runSchedule({ now: at })).toEqual({ started: runId, reason: 'joined a running analysis' });
      expect(info.mock.calls.map((c) => String(c[0]))).toContain(`schedule: joined run ${runId} of all projects, started by a person (admin); it is today's scheduled run, no other run started`);
      // No history entry of the schedule's own.
      expect((await listActions({ projectKeys: ['HADOOP'], involving: 'HADOOP' })).items.filter((a) => a.action === 'run.start')).toHaveLength(starts);
    } finally {
      info.mockRestore();
      env.jira.faults.liftLatency();
    }
    await env.forge.queue.settle(60_000);
    // Still the admin's run, as they started it.
    expect((await listRuns({ kind: 'all' })).find((r) => r.runId === runId)).toMatchObject({ status: 'done', trigger: 'admin', startedBy: 'admin-1' });
    // The platform delivers the trigger again later that day: no second run.
    expect(await fire(at + 6 * HOUR)).toEqual({ started: null, reason: "daily: today's run has started already" });
    expect((await latestAll())?.runId).toBe(runId);
    // The next day's trigger starts one.
    expect(await fire(at + DAY)).toMatchObject({ reason: 'incremental run' });
  }, 90_000);
});
