/**
 * Starting, joining, cancelling and reading runs: what the resolvers and the schedule call.
 *
 * startRun is cheap (a few SQL statements and one queue push) so it fits a 25 s resolver:
 * the heavy lifting happens in the `analysis` queue consumer (worker.ts).
 */
import type { RunScope, RunTrigger, RunView, Settings } from '../shared/contract';
import { fetchScopeOf } from '../shared/fetch-scope';
import { getRunMarker, getSettings } from '../store/settings';
import { scopeKey, scopeProjects } from '../store/scopes';
import { claimScope, claimScopeFrom, scopeHolder, scopeHolders } from '../store/scope-locks';
import {
  deleteRunRow,
  getRunRow,
  getRunRows,
  getRunView,
  insertRun,
  isLive,
  listRunRows,
  liveRunRows,
  LIVE_STATUSES,
  newRunId,
  runViewOf,
  runViews,
  transitionRun,
  type RunMode,
  type RunRow,
} from '../store/runs';
import { AnalysisError } from './analysis-error';
import { pushAnalysisEvents } from './queue';
import { logRunFailure } from './run-log';

/** A live run with no progress for this long lost its events (worker crashed too often). */
export const DEFAULT_STALE_AFTER_MS = 20 * 60_000;
/** Incremental runs re-read issues updated this long before the last good run started. */
export const INCREMENTAL_OVERLAP_MS = 10 * 60_000;

export const STALE_MESSAGE =
  'The analysis stopped making progress (its background work was lost, for example after repeated worker crashes). Start it again.';

export interface StartRunInput {
  scope: RunScope;
  trigger: RunTrigger;
  mode?: RunMode;
  startedBy: string | null;
}

export interface StartRunOptions {
  staleAfterMs?: number;
  /** Settings to use instead of reading them (the schedule already has them). */
  settings?: Settings;
  /** When the run starts (default: now); the schedule passes its own clock. */
  now?: number;
}

function checkScope(scope: RunScope, settings: Settings): string[] {
  if (scope.kind === 'project' && !settings.projects.includes(scope.projectKey)) {
    throw new AnalysisError(
      'OUT_OF_SCOPE',
      `${scope.projectKey} is not among the analysed projects. An admin can add it under Apps → Duplicate detection.`,
    );
  }
  const projects = scopeProjects(scope, settings.projects);
  if (projects.length === 0) {
    throw new AnalysisError('NO_PROJECTS', 'No project is selected for analysis. An admin can choose projects under Apps → Duplicate detection.');
  }
  return projects;
}

/** Fails a live run that stopped making progress; returns whether it did. */
export async function failIfStale(row: RunRow, staleAfterMs = DEFAULT_STALE_AFTER_MS, now = Date.now()): Promise<boolean> {
  if (!isLive(row.status) || now - row.heartbeatMs <= staleAfterMs) return false;
  const moved = await transitionRun(row.id, LIVE_STATUSES, 'failed', { error: STALE_MESSAGE, finished: true });
  if (moved) {
    console.warn(`analysis: run ${row.id} (${row.scopeKey}) marked failed: no progress for ${Math.round((now - row.heartbeatMs) / 1000)} s`);
    await logRunFailure(row, STALE_MESSAGE);
  }
  return moved;
}

/** Every live run without progress for `staleAfterMs` is marked failed (schedule, status reads). */
export async function detectStaleRuns(opts: { staleAfterMs?: number } = {}): Promise<string[]> {
  const failed: string[] = [];
  for (const row of await liveRunRows()) if (await failIfStale(row, opts.staleAfterMs)) failed.push(row.id);
  return failed;
}

async function liveRun(runId: string, staleAfterMs: number): Promise<RunRow | null> {
  const row = await getRunRow(runId);
  if (!row || !isLive(row.status)) return null;
  if (await failIfStale(row, staleAfterMs)) return null;
  return row;
}

/**
 * For a run of every project: whether each project's own last run read it as these settings
 * would. A project run under other settings since the last run of everything (a type left out,
 * then let in again) dropped or added issues that run's marker knows nothing of, so an
 * incremental run from it would never read them again. A run of everything writes every
 * project's marker, so a marker that differs was written by a project run since.
 */
async function projectsReadAsNow(scope: RunScope, projects: string[], settings: Settings): Promise<boolean> {
  if (scope.kind !== 'all') return true;
  const markers = await Promise.all(projects.map((p) => getRunMarker(scopeKey({ kind: 'project', projectKey: p }))));
  return markers.every((m, i) => m?.fetchScope === undefined || m.fetchScope === fetchScopeOf(settings, [projects[i] as string]));
}

const projectKeyOf = (project: string): string => scopeKey({ kind: 'project', projectKey: project });

/**
 * The refusal of a run of every project while a project's own run is under way: both would
 * write that project's results at once. It names the run, so an admin can find it.
 */
export function projectRunBusy(holder: RunRow): AnalysisError {
  const project = holder.scope.kind === 'project' ? holder.scope.projectKey : holder.scopeKey;
  const when = new Date(holder.startedMs).toISOString().slice(0, 16).replace('T', ' ');
  return new AnalysisError(
    'BUSY',
    `The analysis of ${project} started at ${when} UTC (run ${holder.id}) is under way: an analysis of all projects would write ${project}'s results at the same time. Start it once that one has finished.`,
  );
}

/** Who holds each project's lock, as a start of every project read it before writing its row. */
interface ProjectLocks {
  /** Project scope key → the run holding it. */
  holders: Map<string, string>;
  /** The holders that are live (and not stale). */
  live: Set<string>;
  /** The first live project run among them, which refuses a run of every project; null when none. */
  busy: RunRow | null;
}

/**
 * The holders of these projects' locks: one read of the locks and one of their runs. A holder
 * that stopped making progress is failed here, and is not live.
 */
async function readProjectLocks(projects: string[], staleAfterMs: number): Promise<ProjectLocks> {
  const holders = await scopeHolders(projects.map(projectKeyOf));
  const rows = (await getRunRows([...new Set(holders.values())])).sort((a, b) => a.startedMs - b.startedMs);
  const live = new Set<string>();
  for (const row of rows) if (isLive(row.status) && !(await failIfStale(row, staleAfterMs))) live.add(row.id);
  const busy = rows.find((r) => r.scope.kind === 'project' && live.has(r.id)) ?? null;
  return { holders, live, busy };
}

/**
 * Starts a run for a scope, or joins the one already running there (`joined: true`).
 *
 * A run of every project and a project's own run never write the same project at once:
 * - a project's start joins a live run of every project, which covers it: one holding `all`
 *   (checked before it writes its row, and again once it holds its own scope), or one holding
 *   the project's own lock when the start comes to claim it;
 * - a start of every project (the admin page's, or the schedule's) while a project's own run
 *   is under way is refused with a sentence naming that run (AnalysisError BUSY): it cannot
 *   join it, since that run covers one project only. The schedule tries again at its next
 *   trigger. A run of every project claims every project's lock before `all`, in key order, so
 *   that two starts racing decide at the same row (see src/store/scope-locks.ts).
 */
export async function startRun(input: StartRunInput, opts: StartRunOptions = {}): Promise<{ run: RunView; joined: boolean }> {
  const staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const settings = opts.settings ?? (await getSettings());
  const projects = checkScope(input.scope, settings);
  const key = scopeKey(input.scope);
  const isLiveHolder = async (holder: string): Promise<boolean> => (await liveRun(holder, staleAfterMs)) !== null;

  /** A live run of every project, which covers a project's, or for a run of every project the one already running. */
  const coveringRun = async (): Promise<RunRow | null> => {
    const allHolder = await scopeHolder('all');
    return allHolder ? liveRun(allHolder, staleAfterMs) : null;
  };
  const covering = await coveringRun();
  if (covering) return { run: await runViewOf(covering), joined: true };
  const locks = input.scope.kind === 'all' ? await readProjectLocks(projects, staleAfterMs) : null;
  if (locks?.busy) throw projectRunBusy(locks.busy);

  let mode: RunMode = input.mode ?? 'full';
  let sinceMs: number | null = null;
  if (mode === 'incremental') {
    const marker = await getRunMarker(key);
    // Nothing to be incremental from, or what a run reads has changed since (see fetchScopeOf).
    if (marker && marker.fetchScope === fetchScopeOf(settings, projects) && (await projectsReadAsNow(input.scope, projects, settings))) sinceMs = marker.startedMs - INCREMENTAL_OVERLAP_MS;
    else mode = 'full';
  }

  // The run's start as the caller's clock says (the schedule's, which tests set); its
  // heartbeat is always the real time, which stale detection compares with.
  const now = opts.now ?? Date.now();
  const runId = newRunId(now);
  await insertRun({
    id: runId,
    scopeKey: key,
    mode,
    trigger: input.trigger,
    status: 'queued',
    startedBy: input.startedBy,
    startedMs: now,
    finishedMs: null,
    heartbeatMs: Date.now(),
    expected: null,
    chains: 0,
    sinceMs,
    error: null,
    settingsJson: JSON.stringify(settings),
  });

  // This run's row goes, and the caller joins the holder (or, for a run of every project
  // that met a project's own run, is refused). Locks this run took stay with a run that no
  // longer exists: the next start takes them over.
  const yieldTo = async (holderRunId: string): Promise<{ run: RunView; joined: boolean }> => {
    await deleteRunRow(runId);
    const holder = await getRunRow(holderRunId);
    if (holder && isLive(holder.status)) {
      if (input.scope.kind === 'all' && holder.scope.kind === 'project') throw projectRunBusy(holder);
      return { run: await runViewOf(holder), joined: true };
    }
    throw new AnalysisError('RUN_FAILED', 'Another analysis of this scope is starting. Try again in a moment.');
  };

  if (locks) {
    // Every project's lock first, one by one in key order, then `all`: a project's start that
    // meets one of them joins this run; a project's own run holding one refuses it. Usually
    // one statement a project: each lock is taken from the finished run read above.
    for (const project of [...projects].sort()) {
      const lockKey = projectKeyOf(project);
      const holder = locks.holders.get(lockKey) ?? null;
      const claim = await claimScopeFrom(lockKey, runId, { runId: holder, live: holder !== null && locks.live.has(holder) }, isLiveHolder);
      if (!claim.claimed) return yieldTo(claim.holderRunId);
    }
  }
  const claim = await claimScope(key, runId, isLiveHolder);
  if (!claim.claimed) return yieldTo(claim.holderRunId);
  // A run of every project that started between the check above and this claim, holding
  // `all` but not this project's lock (one whose settings did not have the project yet),
  // covers this one too: join it rather than run both.
  const coveringNow = input.scope.kind === 'project' ? await coveringRun() : null;
  if (coveringNow) {
    await deleteRunRow(runId);
    return { run: await runViewOf(coveringNow), joined: true };
  }

  try {
    await pushAnalysisEvents([{ kind: 'plan', runId }]);
  } catch (err) {
    await transitionRun(runId, LIVE_STATUSES, 'failed', {
      error: 'The analysis could not be queued (the Forge queue refused the event). Start it again in a minute.',
      finished: true,
    });
    throw err;
  }
  console.info(`analysis: run ${runId} started for ${key} (${mode}, ${input.trigger})`);
  const view = await getRunView(runId);
  if (!view) throw new AnalysisError('RUN_FAILED', 'The analysis was started but its record is missing. Try again.');
  return { run: view, joined: false };
}

/** Cancels a live run (its events see the status and stop). Null when no such run exists. */
export async function cancelRun(runId: string, accountId: string | null): Promise<RunView | null> {
  const row = await getRunRow(runId);
  if (!row) return null;
  if (isLive(row.status)) {
    await transitionRun(runId, LIVE_STATUSES, 'cancelled', { finished: true });
    console.info(`analysis: run ${runId} cancelled by ${accountId ?? 'the app'}`);
  }
  return getRunView(runId);
}

export async function getRun(runId: string): Promise<RunView | null> {
  return getRunView(runId);
}

function relevantScopeKeys(scope: RunScope | null): string[] | null {
  if (scope === null) return null;
  return scope.kind === 'all' ? ['all'] : [scopeKey(scope), 'all'];
}

/** The live run covering a scope (if any) and the most recent finished one. */
/**
 * The live run and the last finished one of a scope; `lastDone`, when the last finished run
 * failed or was cancelled, is the last one that finished well (what the stored results come
 * from), among the 20 most recent runs.
 */
export async function getRunStatus(scope: RunScope, opts: { staleAfterMs?: number } = {}): Promise<{ current: RunView | null; last: RunView | null; lastDone: RunView | null }> {
  const rows = await failStaleAmong(await listRunRows(relevantScopeKeys(scope), 20), opts.staleAfterMs);
  let current: RunRow | null = null;
  let last: RunRow | null = null;
  let lastDone: RunRow | null = null;
  for (const row of rows) {
    if (isLive(row.status)) {
      if (!current) current = row;
    } else {
      if (!last) last = row;
      if (!lastDone && row.status === 'done') lastDone = row;
    }
  }
  if (lastDone === last) lastDone = null;
  const views = await runViews([current, last, lastDone].filter((r): r is RunRow => r !== null));
  const viewOf = (row: RunRow | null): RunView | null => (row ? (views.find((v) => v.runId === row.id) ?? null) : null);
  return { current: viewOf(current), last: viewOf(last), lastDone: viewOf(lastDone) };
}

/**
 * Most recent runs first (a project's list includes all-projects runs, which cover it). A live
 * run among them that stopped making progress is failed first, as a status read does (a list
 * read before, or without, the status read showed a dead run as live).
 */
export async function listRuns(scope: RunScope | null, limit = 20, opts: { staleAfterMs?: number } = {}): Promise<RunView[]> {
  return runViews(await failStaleAmong(await listRunRows(relevantScopeKeys(scope), limit), opts.staleAfterMs));
}

/** `rows`, each live one that stopped making progress failed (`failIfStale`) and read again. */
async function failStaleAmong(rows: RunRow[], staleAfterMs?: number): Promise<RunRow[]> {
  return Promise.all(rows.map(async (row) => (isLive(row.status) && (await failIfStale(row, staleAfterMs)) ? ((await getRunRow(row.id)) ?? row) : row)));
}
