/**
 * Analysis runs: one row per run (runs) and what the UI reads (RunView). Counters are not
 * stored here: they are sums over run_batches (batches.ts), so a redelivered event that
 * rewrites its own batch row can never count twice.
 */
import { clipCodePoints } from '../shared/code-points';
import { z } from 'zod';
import type { RunScope, RunStatus, RunTrigger, RunView, Settings } from '../shared/contract';
import { execute, iso, num, numOrNull, placeholders, select, str, strOrNull, type Row } from './db';
import { recordWait, sumCounters, sumCountersForRuns, waitReasons, type RunCounters, type WaitReason } from './batches';
import { countDocs } from './docs';
import { comparedProjects, scopeFromKey, scopeKey } from './scopes';
import { parseStoredSettings } from './settings';

export type RunMode = 'full' | 'incremental';
export const LIVE_STATUSES: readonly RunStatus[] = ['queued', 'fetching', 'scoring'];

export interface RunRow {
  id: string;
  scopeKey: string;
  scope: RunScope;
  mode: RunMode;
  trigger: RunTrigger;
  status: RunStatus;
  startedBy: string | null;
  startedMs: number;
  finishedMs: number | null;
  heartbeatMs: number;
  expected: number | null;
  chains: number;
  /** Incremental runs: issues updated at or after this (ms). */
  sinceMs: number | null;
  /**
   * The sentence everyone who may watch the run reads: never Jira's own words, which go to
   * `error_detail` (read by `runAdminNotes`, for Jira admins on the admin page).
   */
  error: string | null;
  /** JSON snapshot of the settings the run uses (validated by the reader). */
  settingsJson: string;
}

const COLUMNS = 'id, scope_key, mode, trig, status, started_by, started_ms, finished_ms, heartbeat_ms, expected, chains, since_ms, error, settings';

function toRow(r: Row): RunRow {
  const scopeKey = str(r.scope_key);
  return {
    id: str(r.id),
    scopeKey,
    scope: scopeFromKey(scopeKey),
    mode: str(r.mode) === 'incremental' ? 'incremental' : 'full',
    trigger: str(r.trig) as RunTrigger,
    status: str(r.status) as RunStatus,
    startedBy: strOrNull(r.started_by),
    startedMs: num(r.started_ms),
    finishedMs: numOrNull(r.finished_ms),
    heartbeatMs: num(r.heartbeat_ms),
    expected: numOrNull(r.expected),
    chains: num(r.chains),
    sinceMs: numOrNull(r.since_ms),
    error: publicRunError(strOrNull(r.error)),
    settingsJson: str(r.settings),
  };
}

/**
 * Said instead of Jira's own words about a rejected search to everyone but Jira admins on the
 * admin page: those words quote the admin's JQL filter and may name projects or issues the
 * reader cannot browse (src/analysis/failure.ts).
 */
export const JIRA_REASON_FOR_ADMINS =
  "Jira's reason is shown to Jira admins on the app's admin page (Apps → Duplicate detection), where the JQL filter and the projects in scope are set; start the analysis again once they are fixed.";

/** How runs failed before v020 quoted Jira in their one error column. */
const JIRA_SAID = ' Jira said: ';

/**
 * A stored error as everyone may read it. Runs that failed before v020 kept Jira's words in
 * the sentence itself ("… Jira said: …"): they are cut there, as a run failing now is
 * written. History entries of such runs are read the same way (src/store/actions.ts).
 */
export function publicRunError(error: string | null): string | null {
  if (error === null) return null;
  const at = error.indexOf(JIRA_SAID);
  return at < 0 ? error : `${error.slice(0, at)} ${JIRA_REASON_FOR_ADMINS}`;
}

/**
 * What a run left out of its saved scope because Jira no longer showed it to the app when the
 * run was planned (`runs.left_out`, v022; src/analysis/scope-check.ts): for Jira admins only.
 */
export interface LeftOut {
  projects: string[];
  issueTypes: string[];
}

const leftOutSchema = z.object({ projects: z.array(z.string()), issueTypes: z.array(z.string()) });

function leftOutOf(value: unknown): LeftOut | null {
  const text = strOrNull(value);
  if (text === null) return null;
  try {
    const parsed = leftOutSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What Jira admins read about a run beyond what everyone reads (`runAdminNotes`). */
export interface RunAdminNote {
  /** A failed run's error with Jira's own words; null when there are none. */
  detail: string | null;
  leftOut: LeftOut | null;
}

/**
 * What these runs say to Jira admins on the admin page: run id → a failed run's error with
 * Jira's own words (`error_detail`, or the error of a run that failed before v020 and quoted
 * Jira in it), and what a run left out of its scope. Runs with neither are not in the map.
 */
export async function runAdminNotes(runIds: string[]): Promise<Map<string, RunAdminNote>> {
  const notes = new Map<string, RunAdminNote>();
  if (runIds.length === 0) return notes;
  const rows = await select(`SELECT id, status, error, error_detail, left_out FROM runs WHERE id IN (${placeholders(runIds.length)})`, runIds);
  for (const r of rows) {
    const error = strOrNull(r.error);
    const failed = str(r.status) === 'failed';
    const detail = failed ? (strOrNull(r.error_detail) ?? (error !== null && error.includes(JIRA_SAID) ? error : null)) : null;
    const leftOut = leftOutOf(r.left_out);
    if (detail !== null || leftOut !== null) notes.set(str(r.id), { detail, leftOut });
  }
  return notes;
}

/** What a run has left out so far (a redelivered plan step adds to it), or null. */
export async function runLeftOut(runId: string): Promise<LeftOut | null> {
  const rows = await select('SELECT left_out FROM runs WHERE id = ?', [runId]);
  return rows[0] ? leftOutOf(rows[0].left_out) : null;
}

/**
 * The run goes on with these settings, Jira having no longer shown it the rest (`leftOut`):
 * every later step reads them from the run's snapshot, as if it had started with them.
 */
export async function narrowRunScope(runId: string, settings: Settings, leftOut: LeftOut): Promise<void> {
  await execute('UPDATE runs SET settings = ?, left_out = ? WHERE id = ?', [JSON.stringify(settings), JSON.stringify(leftOut), runId]);
}

/** Short, sortable, unique enough: time in base 36 plus 48 random bits. */
export function newRunId(now = Date.now()): string {
  const rand = Math.floor(Math.random() * 2 ** 48).toString(36).padStart(10, '0');
  return `r${now.toString(36)}${rand}`;
}

export async function insertRun(run: Omit<RunRow, 'scope'>): Promise<void> {
  await execute(
    `INSERT INTO runs (${COLUMNS}) VALUES (${placeholders(14)})`,
    [run.id, run.scopeKey, run.mode, run.trigger, run.status, run.startedBy, run.startedMs, run.finishedMs, run.heartbeatMs, run.expected, run.chains, run.sinceMs, run.error, run.settingsJson],
  );
}

export async function deleteRunRow(runId: string): Promise<void> {
  await execute('DELETE FROM runs WHERE id = ?', [runId]);
}

export async function getRunRow(runId: string): Promise<RunRow | null> {
  const rows = await select(`SELECT ${COLUMNS} FROM runs WHERE id = ?`, [runId]);
  return rows[0] ? toRow(rows[0]) : null;
}

/** The rows of these runs (those that exist), in no particular order: one read of the primary key. */
export async function getRunRows(runIds: readonly string[]): Promise<RunRow[]> {
  if (runIds.length === 0) return [];
  const rows = await select(`SELECT ${COLUMNS} FROM runs WHERE id IN (${placeholders(runIds.length)})`, [...runIds]);
  return rows.map(toRow);
}

/** Most recent runs first; `scopeKeys` null means every scope. */
export async function listRunRows(scopeKeys: string[] | null, limit: number): Promise<RunRow[]> {
  const n = Math.max(1, Math.min(200, Math.floor(limit)));
  if (scopeKeys !== null && scopeKeys.length === 0) return [];
  const rows = scopeKeys === null
    ? await select(`SELECT ${COLUMNS} FROM runs ORDER BY started_ms DESC LIMIT ${n}`)
    : await select(`SELECT ${COLUMNS} FROM runs WHERE scope_key IN (${placeholders(scopeKeys.length)}) ORDER BY started_ms DESC LIMIT ${n}`, scopeKeys);
  return rows.map(toRow);
}

/** The run that finished last, of any scope: its settings are those the stored tiers were last computed under. */
export async function lastDoneRunRow(): Promise<RunRow | null> {
  const rows = await select(`SELECT ${COLUMNS} FROM runs WHERE status = 'done' ORDER BY finished_ms DESC, started_ms DESC LIMIT 1`);
  return rows[0] ? toRow(rows[0]) : null;
}

/** Runs still marked live (queued/fetching/scoring), e.g. for stale detection. */
export async function liveRunRows(): Promise<RunRow[]> {
  const rows = await select(`SELECT ${COLUMNS} FROM runs WHERE status IN (${placeholders(LIVE_STATUSES.length)}) ORDER BY started_ms LIMIT 200`, [...LIVE_STATUSES]);
  return rows.map(toRow);
}

/**
 * The runs that cover `projectKey` (a run of every project, or of this one), are live and
 * have shown progress since `freshSinceMs` (a run past that is about to be marked failed as
 * stale). One read of the runs_status index.
 */
export async function liveRunRowsCovering(projectKey: string, freshSinceMs: number): Promise<RunRow[]> {
  const rows = await select(
    `SELECT ${COLUMNS} FROM runs WHERE status IN (${placeholders(LIVE_STATUSES.length)}) AND scope_key IN (?, ?) AND heartbeat_ms >= ? LIMIT 5`,
    [...LIVE_STATUSES, scopeKey({ kind: 'all' }), scopeKey({ kind: 'project', projectKey }), freshSinceMs],
  );
  return rows.map(toRow);
}

/**
 * Moves a run to `status` only while it is in one of `from` (a compare-and-set: a cancelled
 * or failed run is never revived by a late event). Returns whether it moved.
 */
export async function transitionRun(
  runId: string,
  from: readonly RunStatus[],
  status: RunStatus,
  extra: { error?: string | null; errorDetail?: string | null; finished?: boolean } = {},
): Promise<boolean> {
  const now = Date.now();
  const sets = ['status = ?', 'heartbeat_ms = ?'];
  const params: (string | number | null)[] = [status, now];
  if (extra.error !== undefined) {
    sets.push('error = ?');
    params.push(extra.error === null ? null : clipCodePoints(extra.error, 1000));
  }
  if (extra.errorDetail !== undefined) {
    sets.push('error_detail = ?');
    params.push(extra.errorDetail === null ? null : clipCodePoints(extra.errorDetail, 1000));
  }
  if (extra.finished) {
    sets.push('finished_ms = ?');
    params.push(now);
  }
  const affected = await execute(`UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND status IN (${placeholders(from.length)})`, [...params, runId, ...from]);
  return affected > 0;
}

/**
 * The run waits for Jira until `untilMs`, for `reason`: Jira asked it to (the Retry-After of a
 * 429 or a 5xx), or a step was handed back to the queue after Jira answered with errors or did
 * not answer. Its heartbeat is set to then, so stale detection counts from the end of the
 * wait, and the run's view says it is waiting (`waitingUntil`, `waitReason`) while that time is
 * ahead. A later step's progress moves it back. The reason is written first, so a view that
 * sees the wait sees why.
 */
export async function markRunWaiting(runId: string, untilMs: number, reason: WaitReason): Promise<void> {
  await recordWait(runId, untilMs, reason);
  await execute(`UPDATE runs SET heartbeat_ms = GREATEST(heartbeat_ms, ?) WHERE id = ? AND status IN (${placeholders(LIVE_STATUSES.length)})`, [
    Math.round(untilMs),
    runId,
    ...LIVE_STATUSES,
  ]);
}

/** Marks progress so stale detection knows the run is alive. */
export async function touchRun(runId: string): Promise<void> {
  await execute('UPDATE runs SET heartbeat_ms = ? WHERE id = ?', [Date.now(), runId]);
}

export async function setRunPlan(runId: string, plan: { expected: number | null; chains: number }): Promise<void> {
  await execute('UPDATE runs SET expected = ?, chains = ?, heartbeat_ms = ? WHERE id = ?', [plan.expected, plan.chains, Date.now(), runId]);
}

/**
 * The newest good run of each of these scopes, for retention to keep: the pages show it as the
 * last analysis (its thresholds, when it ran), however long ago that was (a site with the
 * schedule off may go months without one). One read a scope, backwards along
 * runs_scope_started until its first good run.
 */
export async function newestDoneRunIds(scopeKeys: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const key of scopeKeys) {
    const rows = await select("SELECT id FROM runs WHERE scope_key = ? AND status = 'done' ORDER BY started_ms DESC LIMIT 1", [key]);
    if (rows[0]) ids.push(str(rows[0].id));
  }
  return ids;
}

/** Finished runs started before `cutoffMs`, oldest first, but those in `keep` (a read of runs_started). */
export async function finishedRunIdsBefore(cutoffMs: number, keep: readonly string[] = [], limit = 500): Promise<string[]> {
  const n = Math.max(1, Math.min(5000, Math.floor(limit)));
  const kept = keep.length > 0 ? ` AND id NOT IN (${placeholders(keep.length)})` : '';
  const rows = await select(
    `SELECT id FROM runs WHERE started_ms < ? AND status NOT IN (${placeholders(LIVE_STATUSES.length)})${kept} ORDER BY started_ms LIMIT ${n}`,
    [cutoffMs, ...LIVE_STATUSES, ...keep],
  );
  return rows.map((r) => str(r.id));
}

/** When the last run of this scope with this trigger started (any outcome), or null. */
export async function lastRunStartedMs(key: string, trigger: RunTrigger): Promise<number | null> {
  const rows = await select('SELECT MAX(started_ms) AS m FROM runs WHERE scope_key = ? AND trig = ?', [key, trigger]);
  const m = rows[0]?.m;
  return m === null || m === undefined ? null : num(m);
}

export async function deleteRunsByIds(ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return execute(`DELETE FROM runs WHERE id IN (${placeholders(ids.length)})`, ids);
}

// ---------------------------------------------------------------------------------------
// RunView

export function isLive(status: RunStatus): boolean {
  return LIVE_STATUSES.includes(status);
}

/**
 * A full run's bar: reading its issues from Jira takes 70 %, comparing them the rest (the
 * reading dominates the wall clock). An incremental run reads only the issues changed since
 * the last one and compares every stored issue again: its bar is shared by the work of each
 * step, reading one issue counting as much as comparing 7/3 (as in a full run, which compares
 * what it reads), so a run that reads nothing is all comparing, rather than 70 % done before
 * it starts and standing there while it compares.
 */
const FULL_READ_SHARE = 0.7;
const READ_WEIGHT = FULL_READ_SHARE / (1 - FULL_READ_SHARE);

function readShareOf(row: RunRow, toCompare: number | null): number {
  if (row.mode === 'full' || row.expected === null || toCompare === null) return FULL_READ_SHARE;
  const total = READ_WEIGHT * row.expected + toCompare;
  return total > 0 ? (READ_WEIGHT * row.expected) / total : 0;
}

/**
 * How far the run is, from the counters the page shows beside the bar: the issues read of
 * those expected, then the issues compared of `toCompare` (the stored issues its last step
 * compares; null when unknown, and for a run no longer live). A live run is never at 100 %:
 * once every issue is compared, the pairs found are still being stored.
 */
function progressOf(row: RunRow, c: RunCounters, toCompare: number | null): number {
  if (row.status === 'done') return 1;
  if (row.status === 'queued') return 0;
  const readShare = readShareOf(row, toCompare);
  const expected = row.expected ?? 0;
  const read = expected > 0 ? Math.min(1, c.fetched / expected) : row.status === 'scoring' ? 1 : 0;
  if (row.status === 'fetching') return readShare * read;
  const compared = toCompare !== null && toCompare > 0 ? Math.min(1, c.scored / toCompare) : c.scored > 0 ? 1 : 0;
  if (row.status === 'scoring') return Math.min(0.99, readShare + (1 - readShare) * compared);
  return Math.min(1, readShare * read + (1 - readShare) * compared);
}

/**
 * How many stored issues a live run compares in its last step: those of the projects it
 * compares (`comparedProjects`, from the settings it started with); null for a run no longer
 * live, or whose settings cannot be read. One indexed count, only while a run is live.
 */
async function toCompareOf(row: RunRow): Promise<number | null> {
  if (!isLive(row.status)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(row.settingsJson);
  } catch {
    return null;
  }
  const settings = parseStoredSettings(raw);
  return settings.success ? countDocs(comparedProjects(row.scope, settings.data)) : null;
}

function etaOf(row: RunRow, progress: number, now: number): number | null {
  if (!isLive(row.status) || progress <= 0.02) return null;
  const elapsed = (now - row.startedMs) / 1000;
  return Math.max(0, Math.round((elapsed * (1 - progress)) / progress));
}

/** A heartbeat ahead of now is a wait for Jira (markRunWaiting). */
function isWaiting(row: RunRow, now: number): boolean {
  return isLive(row.status) && row.heartbeatMs > now + 1000;
}

/**
 * `waitReason`: why the run waits, when it does (`waitReasons`); a wait without a recorded reason
 * is one Jira asked for, the only kind marked before reasons were kept.
 */
export function toRunView(row: RunRow, c: RunCounters, now = Date.now(), toCompare: number | null = null, waitReason: WaitReason | null = null): RunView {
  const live = isLive(row.status);
  const progress = progressOf(row, c, live ? toCompare : null);
  // While the run waits for Jira the rate so far says nothing of when it ends.
  const waiting = isWaiting(row, now);
  return {
    runId: row.id,
    scope: row.scope,
    trigger: row.trigger,
    mode: row.mode,
    status: row.status,
    counters: { fetched: c.fetched, indexed: c.indexed, scored: c.scored, pairs: c.pairs, expected: row.expected, toCompare: live ? toCompare : null },
    progress,
    etaSeconds: waiting ? null : etaOf(row, progress, now),
    startedAt: iso(row.startedMs) ?? new Date(0).toISOString(),
    finishedAt: iso(row.finishedMs),
    startedBy: row.startedBy,
    error: row.error,
    countsWithheld: 'none',
    waitingUntil: waiting ? iso(row.heartbeatMs) : null,
    waitReason: waiting ? (waitReason ?? 'asked') : null,
    // Filled in for Jira admins on the admin page only (src/resolvers/methods/runs.ts).
    notice: null,
  };
}

export async function getRunView(runId: string): Promise<RunView | null> {
  const row = await getRunRow(runId);
  return row ? runViewOf(row) : null;
}

/** The view of a run read just now: its counters summed, and while it is live, the issues it compares counted. */
export async function runViewOf(row: RunRow): Promise<RunView> {
  const waiting = isWaiting(row, Date.now()) ? [row.id] : [];
  const [counters, toCompare, reasons] = await Promise.all([sumCounters(row.id), toCompareOf(row), waitReasons(waiting)]);
  return toRunView(row, counters, Date.now(), toCompare, reasons.get(row.id) ?? null);
}

/** Views of runs read just now; why a run waits is read only for runs that wait (one more read then). */
export async function runViews(rows: RunRow[]): Promise<RunView[]> {
  const waiting = rows.filter((r) => isWaiting(r, Date.now())).map((r) => r.id);
  const [sums, toCompare, reasons] = await Promise.all([sumCountersForRuns(rows.map((r) => r.id)), Promise.all(rows.map(toCompareOf)), waitReasons(waiting)]);
  return rows.map((r, i) => toRunView(r, sums.get(r.id) ?? { fetched: 0, indexed: 0, scored: 0, pairs: 0 }, Date.now(), toCompare[i] ?? null, reasons.get(r.id) ?? null));
}
