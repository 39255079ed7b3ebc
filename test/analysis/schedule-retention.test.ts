/**
 * The schedule and retention as an admin relies on them: how often "daily" and "weekly" start
 * a run (a platform that delivers the trigger twice included), what happens after a run that
 * failed, and what retention deletes from each table, to the day. Time moves by shifting the
 * stored times back (runs, the last good run's marker), as the trigger reads Date.now().
 */
import { applyRetention } from '../../src/analysis/retention';
import { listRuns, startRun } from '../../src/analysis/run-control';
import { appendAction, listActions } from '../../src/store/actions';
import { deletedAmong, recordDeletedIssues } from '../../src/store/deleted-issues';
import { leftScopeSince, recordLeftScope } from '../../src/store/left-scope';
import { getRunPlan, saveRunPlan } from '../../src/store/run-plans';
import { getRunMarker, getSettings, saveSettings, setRunMarker, type RunMarker } from '../../src/store/settings';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const DAY = 86_400_000;
type Started = { started: string | null; reason: string };

maybe('schedule and retention', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(40, 5) });
  }, 60_000);
  afterAll(async () => env?.stop());

  const fire = async () => (await env.forge.runScheduledTrigger('dedupe-schedule')) as Started;
  /** Stores `m` as the last good run of everything, its last full run's time included. */
  const putMarker = async (m: RunMarker) => {
    const { lastFullStartedMs, ...rest } = m;
    // setRunMarker takes the last full run's time from a full marker, or keeps the previous one.
    if (lastFullStartedMs !== null && lastFullStartedMs !== m.startedMs) await setRunMarker('all', { ...rest, mode: 'full', startedMs: lastFullStartedMs });
    await setRunMarker('all', { ...rest, mode: lastFullStartedMs === m.startedMs ? 'full' : 'incremental' });
  };
  /** Everything so far happened `days` earlier: the runs and the last good run's marker. */
  const daysPass = async (days: number) => {
    const ms = days * DAY;
    await env.forge.sql.query('UPDATE runs SET started_ms = started_ms - ?, finished_ms = finished_ms - ?, heartbeat_ms = heartbeat_ms - ?', [ms, ms, ms]);
    const m = await getRunMarker('all');
    if (m) await putMarker({ ...m, startedMs: m.startedMs - ms, finishedMs: m.finishedMs - ms, lastFullStartedMs: m.lastFullStartedMs === null ? null : m.lastFullStartedMs - ms });
  };
  /**
   * The run the trigger just started failed: its row says so, and the last good run's marker
   * is the one from before it (a failed run writes none).
   */
  const failLatestRun = async (markerBefore: RunMarker | null) => {
    if (markerBefore) await putMarker(markerBefore);
    const [run] = await listRuns({ kind: 'all' });
    await env.forge.sql.query("UPDATE runs SET status = 'failed', finished_ms = ?, error = 'test: failed' WHERE id = ?", [Date.now(), run?.runId ?? '']);
  };

  it('weekly: starts one run, and a second delivery the same day starts none even when that run failed; the next day it tries again', async () => {
    await saveSettings({ ...(await getSettings()), schedule: 'weekly' });
    const first = await fire();
    expect(first.started).not.toBeNull();
    await env.forge.queue.settle(60_000);
    // A week less a day later: not yet.
    await daysPass(6);
    expect(await fire()).toEqual({ started: null, reason: 'weekly: last run is recent' });
    await daysPass(1);
    const lastGood = await getRunMarker('all');
    const due = await fire();
    expect(due.started).not.toBeNull();
    await env.forge.queue.settle(60_000);
    await failLatestRun(lastGood);
    // The platform delivers the trigger again an hour later: not a second run the same day.
    const again = await fire();
    expect(again.started).toBeNull();
    // The next day the failed weekly run is tried again, not a week later.
    await daysPass(1);
    const retry = await fire();
    expect(retry.started).not.toBeNull();
    await env.forge.queue.settle(60_000);
  }, 120_000);

  it('daily after weekly: the change takes effect at the next trigger, not a week later', async () => {
    await daysPass(1);
    await saveSettings({ ...(await getSettings()), schedule: 'weekly' });
    expect((await fire()).started).toBeNull();
    await saveSettings({ ...(await getSettings()), schedule: 'daily' });
    const started = await fire();
    expect(started.started).not.toBeNull();
    await env.forge.queue.settle(60_000);
  }, 90_000);

  it('daily: the day after a failed run, the run goes ahead', async () => {
    await saveSettings({ ...(await getSettings()), schedule: 'daily' });
    await daysPass(1);
    const lastGood = await getRunMarker('all');
    expect((await fire()).started).not.toBeNull();
    await env.forge.queue.settle(60_000);
    await failLatestRun(lastGood);
    const info = jest.spyOn(console, 'info');
    try {
      expect(await fire()).toEqual({ started: null, reason: "daily: today's run has started already" });
      expect(info.mock.calls.map((c) => String(c[0]))).toContain("schedule: no run started (daily: today's run has started already)");
    } finally {
      info.mockRestore();
    }
    await daysPass(1);
    expect((await fire()).started).not.toBeNull();
    await env.forge.queue.settle(60_000);
  }, 90_000);

  it('daily: with a run of everything already live, starts none and says so in the log', async () => {
    await saveSettings({ ...(await getSettings()), schedule: 'daily' });
    await daysPass(1);
    const starts = async () => (await listActions({ projectKeys: ['HADOOP'], involving: 'HADOOP' })).items.filter((a) => a.action === 'run.start').length;
    // An admin's "analyse everything", held up reading Jira.
    env.jira.faults.latency(60_000, /search/);
    const manual = await startRun({ scope: { kind: 'all' }, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    const info = jest.spyOn(console, 'info');
    try {
      const logged = await starts();
      const joined = await fire();
      expect(joined).toEqual({ started: manual.run.runId, reason: 'joined a running analysis' });
      // The log, which is all an admin reading `forge logs` has, says why no run started.
      expect(info.mock.calls.map((c) => String(c[0]))).toContain(`schedule: joined run ${manual.run.runId} of all projects, started by a person (manual); it is today's scheduled run, no other run started`);
      expect(await starts()).toBe(logged);
    } finally {
      info.mockRestore();
      env.jira.faults.clear();
      env.jira.faults.liftLatency();
      await env.forge.queue.settle(60_000);
    }
  }, 90_000);

  it('retention deletes what README says, to the day, from every table, and no pair that is current or decided', async () => {
    const now = Date.now();
    const days = 30;
    const cutoff = now - days * DAY;
    const justOld = cutoff - 60_000;
    const justNew = cutoff + 60_000;
    await env.forge.sql.query("DELETE FROM runs WHERE id LIKE 'rt-%'");
    // Runs of a project of their own (RT), so every other run stays out of the way.
    const run = (id: string, status: string, started: number) =>
      env.forge.sql.query(
        "INSERT INTO runs (id, scope_key, mode, trig, status, started_by, started_ms, finished_ms, heartbeat_ms, expected, chains, since_ms, error, settings) VALUES (?, 'project:RT', 'full', 'manual', ?, 'admin-1', ?, ?, ?, 0, 1, NULL, NULL, '{}')",
        [id, status, started, started, started],
      );
    await run('rt-old-done', 'done', justOld - 1000);
    await run('rt-old-failed', 'failed', justOld);
    await run('rt-new-failed', 'failed', justNew);
    await run('rt-newest-done', 'done', justOld + 1000);
    for (const id of ['rt-old-done', 'rt-old-failed', 'rt-new-failed', 'rt-newest-done']) {
      await env.forge.sql.query("INSERT INTO run_batches (run_id, batch_no, state, owner, claimed_ms, done_ms, fetched, indexed, scored, pairs) VALUES (?, 'b1', 'done', 'o', 0, 0, 1, 1, 1, 0)", [id]);
    }
    await saveRunPlan('rt-old-failed', { chains: ['project = RT'] });
    await appendAction({ action: 'confirm', actorAccountId: 'admin-1', issueKeys: ['RT-1'], projectKeys: ['RT'] }, justOld);
    await appendAction({ action: 'dismiss', actorAccountId: 'admin-1', issueKeys: ['RT-2'], projectKeys: ['RT'] }, justNew);
    await recordDeletedIssues(['910001'], now - 30 * DAY - 60_000);
    await recordDeletedIssues(['910002'], now - 30 * DAY + 60_000);
    await recordLeftScope(['910003'], now - 30 * DAY - 60_000);
    await recordLeftScope(['910004'], now - 30 * DAY + 60_000);
    const pair = (id: string, active: number, status: string, lastSeen: number) => {
      const [a, b] = id.split('-');
      return env.forge.sql.query(
        "INSERT INTO pairs (id, issue_a, issue_b, project_a, project_b, score, tier, reasons, active, status, first_run, last_run, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, 'RT', 'RT', 0.9, 'duplicate', '', ?, ?, 'rt', 'rt', ?, ?)",
        [id, a, b, active, status, lastSeen, lastSeen],
      );
    };
    await pair('920001-920002', 0, 'pending', justOld); // hidden, undecided, old: goes
    await pair('920003-920004', 0, 'pending', justNew); // hidden within the days: stays
    await pair('920005-920006', 1, 'pending', justOld - 400 * DAY); // current: stays
    await pair('920007-920008', 0, 'confirmed', justOld - 400 * DAY); // decided: stays
    await pair('920009-920010', 0, 'dismissed', justOld - 400 * DAY); // decided: stays
    await pair('920011-920012', 1, 'dismissed', justOld - 400 * DAY); // decided: stays

    // RT analysed: its newest good run stays, however old (see schedule-retention-scopes.test.ts for a project no longer analysed).
    await applyRetention({ retentionDays: days, projects: ['HADOOP', 'RT'] }, now);

    const runs = (await env.forge.sql.query("SELECT id FROM runs WHERE id LIKE 'rt-%' ORDER BY id")) as Array<{ id: string }>;
    expect(runs.map((r) => r.id)).toEqual(['rt-new-failed', 'rt-newest-done']);
    const batches = (await env.forge.sql.query("SELECT run_id FROM run_batches WHERE run_id LIKE 'rt-%' ORDER BY run_id")) as Array<{ run_id: string }>;
    expect(batches.map((r) => r.run_id)).toEqual(['rt-new-failed', 'rt-newest-done']);
    expect(await getRunPlan('rt-old-failed')).toBeNull();
    const actions = (await env.forge.sql.query("SELECT action FROM actions WHERE project_key = 'RT' ORDER BY action")) as Array<{ action: string }>;
    expect(actions.map((r) => r.action)).toEqual(['dismiss']);
    expect(await deletedAmong(['910001', '910002'])).toEqual(['910002']);
    expect(await leftScopeSince(['910003', '910004'], 0)).toEqual(['910004']);
    const pairs = (await env.forge.sql.query("SELECT id FROM pairs WHERE id LIKE '9200%' OR id LIKE '9200%' OR id LIKE '92001%' ORDER BY id")) as Array<{ id: string }>;
    expect(pairs.map((r) => r.id)).toEqual(['920003-920004', '920005-920006', '920007-920008', '920009-920010', '920011-920012']);
  }, 60_000);
});
