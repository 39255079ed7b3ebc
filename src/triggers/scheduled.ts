/**
 * The daily scheduled trigger (function key scheduled-run, 300 s; no user; may run twice).
 * Order: migrations, stale-run detection, retention, the weekly personal data report (a
 * failure of either is logged, and the run goes on), then (per settings.schedule) an all-projects run: incremental from the last good run,
 * full when there is none or the last full run is a week old (corrects IDF drift and removes
 * deleted issues); at most one scheduled run a day, or a week, however often it fires.
 *
 * A run of every project someone started, under way when the trigger fires, is joined: it is
 * the day's scheduled run (recorded in src/store/schedule-joins.ts; the run stays theirs). While
 * a project's own run is under way no run starts (it would write that project's results at
 * the same time: src/analysis/run-control.ts), and the next trigger tries again.
 *
 * `runSchedule({ now })` takes its clock from the caller (tests move it across days); the
 * handler uses the real one.
 */
import { reportPersonalData } from '../analysis/personal-data';
import { applyRetention } from '../analysis/retention';
import { AnalysisError } from '../analysis/analysis-error';
import { detectStaleRuns, startRun } from '../analysis/run-control';
import { appendAction } from '../store/actions';
import { migrate } from '../store/migrations';
import { lastRunStartedMs } from '../store/runs';
import { getScheduleJoin, recordScheduleJoin } from '../store/schedule-joins';
import type { Settings } from '../shared/contract';
import { getRunMarker, getSettings } from '../store/settings';

const DAY_MS = 86_400_000;
/** The trigger fires about daily; allow for drift so "weekly" does not slip to 8 days. */
const SLACK_MS = 2 * 60 * 60_000;
/** A daily trigger that fires a little early still runs: four hours short of a day is "today". */
const DAILY_SLACK_MS = 4 * 60 * 60_000;

/**
 * How long the schedule's migration pass may go on, waits for Forge SQL's DDL limit included:
 * the rest of the 300 s is the day's work, and the claim goes stale at 90 s.
 */
const SCHEDULE_PASS_MS = 75_000;

export interface ScheduleOptions {
  /**
   * The time the trigger takes as now (default: Date.now()), for the daily, weekly and full-run
   * decisions, retention, the personal data report and the start of the run it starts: tests
   * move it across days. Stale detection and the migration deadline keep the real clock.
   */
  now?: number;
}

export type ScheduleOutcome = { started: string | null; reason: string };

/** The trigger's handler (Forge passes an event and a context, which it does not read). */
export async function scheduledRun(): Promise<ScheduleOutcome> {
  return runSchedule();
}

export async function runSchedule(opts: ScheduleOptions = {}): Promise<ScheduleOutcome> {
  const now = opts.now ?? Date.now();
  await migrate({ deadlineMs: Date.now() + SCHEDULE_PASS_MS });
  // Stale runs first: they need no settings, so a settings read that fails does not leave a
  // dead run live for another day.
  const stale = await detectStaleRuns();
  const settings = await getSettings();
  // Retention that fails (a statement timing out, the database busy) is logged and tried
  // again the next day: it must not stop the analysis the schedule is for.
  try {
    const retention = await applyRetention(settings, now);
    console.info(`schedule: ${stale.length} stale run(s) failed; retention removed ${retention.runs} runs, ${retention.actions} actions, ${retention.pairs} pairs, ${retention.deletedIssues} remembered deletes`);
  } catch (err) {
    console.warn(`schedule: retention failed (${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown'}); the analysis goes on, retention is tried again tomorrow`);
  }
  // Atlassian's personal data report (weekly; bounded, it goes on the next day where it stopped).
  // It runs whatever the schedule setting: it is owed for the data stored, not for analyses.
  try {
    const report = await reportPersonalData({ now });
    if (report.status === 'busy') console.info('schedule: another invocation is making the personal data report; this one leaves it to that one');
    else if (report.status !== 'not-due') console.info(`schedule: personal data report ${report.status}: ${report.reported} accounts reported, ${report.closed} closed, ${report.erased} rows erased`);
  } catch (err) {
    console.warn(`schedule: the personal data report failed (${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown'}); it goes on tomorrow`);
  }

  const outcome = await scheduledAnalysis(settings, now);
  // The log is all an admin reading `forge logs` has: say why no run started as well as which did.
  if (outcome.started === null) console.info(`schedule: no run started (${outcome.reason})`);
  return outcome;
}

/**
 * When the day's scheduled run last started: a run of every project the schedule started, or
 * one it joined (a run someone started, under way when the trigger fired), whatever its outcome.
 */
async function lastScheduledMs(): Promise<number | null> {
  const [started, joined] = await Promise.all([lastRunStartedMs('all', 'schedule'), getScheduleJoin()]);
  if (joined === null) return started;
  return started === null ? joined.joinedMs : Math.max(started, joined.joinedMs);
}

/** The analysis part of the trigger: whether the schedule is due, and the run it starts or joins. */
async function scheduledAnalysis(settings: Settings, now: number): Promise<ScheduleOutcome> {
  if (settings.schedule === 'off') return { started: null, reason: 'schedule off' };
  if (settings.projects.length === 0) return { started: null, reason: 'no projects' };
  const marker = await getRunMarker('all');
  if (settings.schedule === 'weekly' && marker && now - marker.startedMs < 7 * DAY_MS - SLACK_MS) {
    return { started: null, reason: 'weekly: last run is recent' };
  }
  // The platform may deliver a trigger twice: a second delivery after the day's run finished
  // would start another one (and another history entry). Once a day, whatever its outcome,
  // weekly too: a weekly run that failed leaves no newer good run, so without this a second
  // delivery the same day would start it again (the next day's trigger does retry it). A run
  // of every project the schedule joined counts as the day's run as well.
  const lastScheduled = await lastScheduledMs();
  if (lastScheduled !== null && now - lastScheduled < DAY_MS - DAILY_SLACK_MS) {
    return { started: null, reason: `${settings.schedule}: today's run has started already` };
  }
  const fullDue = !marker || marker.lastFullStartedMs === null || now - marker.lastFullStartedMs >= 7 * DAY_MS - SLACK_MS;
  let started: Awaited<ReturnType<typeof startRun>>;
  try {
    started = await startRun({ scope: { kind: 'all' }, trigger: 'schedule', mode: fullDue ? 'full' : 'incremental', startedBy: null }, { settings, now });
  } catch (err) {
    // A project's own run is under way: a run of every project would write its results at the
    // same time. Not the day's run: the next delivery of the trigger tries again.
    if (err instanceof AnalysisError && err.code === 'BUSY') return { started: null, reason: `${settings.schedule}: a project's own analysis is under way, the next trigger tries again. ${err.message}` };
    throw err;
  }
  const { run, joined } = started;
  // In the history as the app's own (no actor), beside the runs people start. The run is
  // under way by now: a history that cannot be written costs only its line.
  if (joined && run.trigger !== 'schedule') {
    // Someone's run of every project (the admin page's Start): the day's scheduled run, as if
    // the schedule had started it, though it stays theirs in the history and the run list.
    await recordScheduleJoin({ runId: run.runId, joinedMs: now }).catch((err: unknown) => {
      console.warn(`schedule: joining run ${run.runId} was not recorded (${err instanceof Error ? err.name : 'unknown'}); a second delivery today may start another run`);
    });
    console.info(`schedule: joined run ${run.runId} of all projects, started by a person (${run.trigger}); it is today's scheduled run, no other run started`);
  } else if (joined) {
    console.info(`schedule: run ${run.runId} of all projects (${run.trigger}) is under way; no other run started`);
  } else {
    await appendAction({ action: 'run.start', actorAccountId: null, detail: `${run.mode === 'full' ? 'every issue' : 'the issues changed since the last run'} of all projects in scope, on schedule` }, now).catch((err: unknown) => {
      console.warn(`schedule: run ${run.runId} started, but its history entry was not written (${err instanceof Error ? err.name : 'unknown'})`);
    });
  }
  return { started: run.runId, reason: joined ? 'joined a running analysis' : `${run.mode} run` };
}
