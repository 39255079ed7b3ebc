/**
 * The account ids the app stores, for Atlassian's personal data reporting
 * (src/analysis/personal-data.ts): every column that holds one, read into one list of distinct
 * ids with the latest time each was stored, and erased (set to FORMER_USER) for accounts
 * Atlassian reports closed.
 *
 * None of the columns has an index (one per column would cost the SQL footprint more than it
 * can spare), so no statement here asks for the ids of a column as a whole: that is a scan of the
 * table, seconds on a large site against Forge SQL's 5 s for a SELECT. Each table is walked
 * by its primary key instead, in chunks of at most `chunk` rows: one statement finds where
 * the chunk ends (the key `chunk` rows on), and every other statement on that chunk names the
 * key range, so each reads at most `chunk` rows (and what was written into the range in
 * between) however large the table. The report gathers a week's ids chunk by chunk into
 * `personal_data_accounts` (one row per id, with its latest time: migration v021), then
 * reports from there in id order; an erasure walks the tables again, chunk by chunk.
 *
 * Where the report stands, and which invocation is making it, is one row of
 * `personal_data_report` (v021): a claim like `migration_claims`, so one report runs at a time,
 * and the state beside it, so that saving the state and checking the claim are one statement.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { FORMER_USER } from '../shared/wording';
import { chunkBySize, execute, num, placeholders, RETENTION_BATCH, rowBytes, select, str, type SqlParam } from './db';

/**
 * Each table holding account ids: its primary key (one column, a string), the columns with
 * an id, and the time that says when a row was stored. A dismiss reason's giver has no time of
 * its own: the pair's decision time stands in (the history entry of the reason, in `actions`,
 * has the real one).
 */
export interface AccountTable {
  table: string;
  key: string;
  columns: readonly string[];
  time: string;
}

export const ACCOUNT_TABLES: readonly AccountTable[] = [
  { table: 'pairs', key: 'id', columns: ['decided_by', 'dismiss_reason_by'], time: 'decided_ms' },
  { table: 'runs', key: 'id', columns: ['started_by'], time: 'started_ms' },
  { table: 'actions', key: 'id', columns: ['actor'], time: 'at_ms' },
];

/** Rows of a table one statement reads at most, by default: what a retention DELETE takes too. */
export const WALK_CHUNK = RETENTION_BATCH;

/** The table named so in ACCOUNT_TABLES, or undefined (a state from a version with other tables). */
export function accountTable(name: string): AccountTable | undefined {
  return ACCOUNT_TABLES.find((t) => t.table === name);
}

function chunkSize(chunk: number): number {
  return Math.max(1, Math.floor(chunk));
}

/**
 * Where the chunk after `afterKey` ends: the key `chunk` rows on, or null when fewer are left
 * (the chunk then runs to the end of the table). Reads `chunk` rows of the primary key.
 */
async function chunkEnd(t: AccountTable, afterKey: string, chunk: number): Promise<string | null> {
  const rows = await select(`SELECT ${t.key} AS k FROM ${t.table} WHERE ${t.key} > ? ORDER BY ${t.key} LIMIT 1 OFFSET ${chunkSize(chunk) - 1}`, [afterKey]);
  return rows.length > 0 ? str(rows[0]?.['k']) : null;
}

/** The chunk's key range, as a WHERE clause and its parameters. */
function range(t: AccountTable, afterKey: string, end: string | null): { where: string; params: SqlParam[] } {
  return end === null ? { where: `${t.key} > ?`, params: [afterKey] } : { where: `${t.key} > ? AND ${t.key} <= ?`, params: [afterKey, end] };
}

/** What one chunk did: `end` is where the next chunk starts after, null when the table is done. */
export interface ChunkStep {
  end: string | null;
  rows: number;
}

/**
 * Gathers the account ids of one chunk of `t` into `personal_data_accounts`, each with the
 * latest time a row of the chunk naming it was stored (a row already there keeps the later of
 * the two, so a chunk gathered twice changes nothing). `rows`: the ids written. FORMER_USER
 * and empty values are not ids.
 */
export async function gatherChunk(t: AccountTable, afterKey: string, chunk: number): Promise<ChunkStep> {
  const end = await chunkEnd(t, afterKey, chunk);
  const r = range(t, afterKey, end);
  const cols = t.columns.map((c, i) => `${c} AS a${i}`).join(', ');
  const rows = await select(`SELECT ${cols}, MAX(COALESCE(${t.time}, 0)) AS t FROM ${t.table} WHERE ${r.where} GROUP BY ${t.columns.join(', ')}`, r.params);
  const latest = new Map<string, number>();
  for (const row of rows) {
    for (let i = 0; i < t.columns.length; i++) {
      const v = row[`a${i}`];
      if (v === null || v === undefined) continue;
      const id = str(v);
      if (id === '' || id === FORMER_USER) continue;
      latest.set(id, Math.max(latest.get(id) ?? 0, num(row['t'])));
    }
  }
  const entries = [...latest.entries()].map(([id, ms]): SqlParam[] => [id, ms]);
  for (const batch of chunkBySize(entries, rowBytes)) {
    await execute(
      `INSERT INTO personal_data_accounts (account_id, updated_ms) VALUES ${batch.map(() => '(?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE updated_ms = GREATEST(updated_ms, VALUES(updated_ms))`,
      batch.flat(),
    );
  }
  return { end, rows: entries.length };
}

export interface StoredAccount {
  accountId: string;
  /** The latest time (ms) any row naming it was stored. */
  updatedMs: number;
}

/** The gathered ids after `afterId`, in id order (as the database orders them), `limit` at most. */
export async function gatheredAccountsAfter(afterId: string, limit: number): Promise<StoredAccount[]> {
  const rows = await select(`SELECT account_id, updated_ms FROM personal_data_accounts WHERE account_id > ? ORDER BY account_id LIMIT ${chunkSize(limit)}`, [afterId]);
  return rows.map((r) => ({ accountId: str(r['account_id']), updatedMs: num(r['updated_ms']) }));
}

/** Deletes up to `batch` gathered ids (in id order); the number deleted, below `batch` once none are left. */
export async function clearGatheredAccounts(batch: number): Promise<number> {
  return execute(`DELETE FROM personal_data_accounts ORDER BY account_id LIMIT ${chunkSize(batch)}`);
}

/**
 * Replaces these account ids with FORMER_USER in one chunk of `t`, a statement per column: the
 * rows stay (a decision is still a decision), only who made it is gone. `rows`: the rows
 * changed (a chunk erased twice changes nothing the second time). At most 500 ids a statement:
 * the caller keeps no more than that pending.
 */
export async function eraseChunk(t: AccountTable, afterKey: string, accountIds: readonly string[], chunk: number): Promise<ChunkStep> {
  const ids = erasable(accountIds);
  const end = await chunkEnd(t, afterKey, chunk);
  if (ids.length === 0) return { end, rows: 0 };
  const r = range(t, afterKey, end);
  let rows = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    for (const c of t.columns) {
      rows += await execute(`UPDATE ${t.table} SET ${c} = ? WHERE ${r.where} AND ${c} IN (${placeholders(slice.length)})`, [FORMER_USER, ...r.params, ...slice]);
    }
  }
  return { end, rows };
}

/** Takes these ids out of the gathered list (by its primary key). */
export async function forgetGatheredAccounts(accountIds: readonly string[]): Promise<void> {
  const ids = erasable(accountIds);
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    await execute(`DELETE FROM personal_data_accounts WHERE account_id IN (${placeholders(slice.length)})`, slice);
  }
}

function erasable(accountIds: readonly string[]): string[] {
  return [...new Set(accountIds)].filter((id) => id !== '' && id !== FORMER_USER);
}

// ---------------------------------------------------------------------------------------------
// Where the report stands, and who is making it: one row of `personal_data_report`.

const REPORT_KEY = 'report';

/** Where the report stood before v021 (KVS): read once, carried over to the row, then deleted. */
const LEGACY_STATE_KEY = 'personal-data-report:v1';

/**
 * A claim not renewed for this long is taken over: its holder was stopped. The scheduled
 * trigger's own timeout (300 s); the holder renews the claim with every save of the state
 * (saveReportState), a few seconds apart.
 */
export const REPORT_CLAIM_STALE_MS = 5 * 60_000;

/** A place in the walk of ACCOUNT_TABLES: the table, and the last key done in it ('' none). */
const walkPlace = z.object({ table: z.string(), afterKey: z.string() });

const reportStateSchema = z.object({
  /** When the last complete report began (ms); null before the first. */
  lastCompletedMs: z.number().nullable(),
  /**
   * The report under way: when it began; its phase ('start' empties the gathered list,
   * 'gather' walks the tables into it, 'report' sends it, 'end' empties it); where the walk
   * of 'gather' stands; the last account id reported. A state written before the phases (a
   * report under way by the old reading, `afterId` alone) starts at 'start' and reports after
   * its `afterId`: the ids up to it were reported.
   */
  cycle: z
    .object({
      startedMs: z.number(),
      afterId: z.string(),
      phase: z.enum(['start', 'gather', 'report', 'end']).default('start'),
      walk: walkPlace.default({ table: '', afterKey: '' }),
    })
    .nullable(),
  /** Accounts reported closed whose erasure has not finished. */
  closed: z.array(z.string()),
  /** Where the erasure of `closed` stands; null before it began. */
  erasing: walkPlace.nullable().default(null),
  /** The KVS value this state was carried over from is still to be deleted. */
  legacyLeft: z.boolean().default(false),
});

export type ReportState = z.infer<typeof reportStateSchema>;

const freshState = (): ReportState => ({ lastCompletedMs: null, cycle: null, closed: [], erasing: null, legacyLeft: false });

/** A stored state (a value that does not parse starts afresh). */
function parseState(text: string): ReportState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return freshState();
  }
  const parsed = reportStateSchema.safeParse(value);
  return parsed.success ? parsed.data : freshState();
}

async function readRow(): Promise<{ owner: string; state: string | null } | null> {
  const rows = await select('SELECT owner, state FROM personal_data_report WHERE k = ?', [REPORT_KEY]);
  const row = rows[0];
  if (!row) return null;
  const state = row['state'];
  return { owner: str(row['owner']), state: state === null || state === undefined ? null : str(state) };
}

/**
 * Claims the report for `owner` and reads where it stands: one INSERT that, when the row
 * exists, takes it only if its claim is stale (both assignments test the old `claimed_ms`; a
 * released claim is 0), then one read of the row. The state when `owner` holds the claim, null
 * when another invocation does. A site that reported before v021 has its state in KVS: it is
 * read from there (and deleted once the row holds it: `legacyLeft`).
 */
export async function claimReport(owner: string, nowMs = Date.now()): Promise<ReportState | null> {
  const staleBefore = nowMs - REPORT_CLAIM_STALE_MS;
  await execute(
    `INSERT INTO personal_data_report (k, owner, claimed_ms, state) VALUES (?, ?, ?, NULL)
     ON DUPLICATE KEY UPDATE
       owner = IF(claimed_ms < ?, VALUES(owner), owner),
       claimed_ms = IF(claimed_ms < ?, VALUES(claimed_ms), claimed_ms)`,
    [REPORT_KEY, owner, nowMs, staleBefore, staleBefore],
  );
  const row = await readRow();
  if (row?.owner !== owner) return null;
  if (row.state !== null) return parseState(row.state);
  const legacy = await kvs.get<unknown>(LEGACY_STATE_KEY);
  if (legacy === undefined) return freshState();
  const parsed = reportStateSchema.safeParse(legacy);
  return { ...(parsed.success ? parsed.data : freshState()), legacyLeft: true };
}

/**
 * Saves where the report stands, and renews `owner`'s claim, in one statement that only the
 * holder's call changes: false (nothing written) when the claim was taken over, the holder
 * thought stopped.
 */
export async function saveReportState(owner: string, state: ReportState, nowMs = Date.now()): Promise<boolean> {
  const n = await execute('UPDATE personal_data_report SET state = ?, claimed_ms = ? WHERE k = ? AND owner = ?', [JSON.stringify(state), nowMs, REPORT_KEY, owner]);
  // A server that counts changed rows, not matched ones, answers 0 for the same state saved within the same millisecond.
  return n > 0 || (await readRow())?.owner === owner;
}

/** Deletes the KVS value a state was carried over from (after the row holds it). */
export async function deleteLegacyReportState(): Promise<void> {
  await kvs.delete(LEGACY_STATE_KEY);
}

/** Lets go of `owner`'s claim (the state stays). A failure is logged: the claim then goes stale. */
export async function releaseReportClaim(owner: string): Promise<void> {
  try {
    await execute("UPDATE personal_data_report SET owner = '', claimed_ms = 0 WHERE k = ? AND owner = ?", [REPORT_KEY, owner]);
  } catch (err) {
    console.warn(`personal data: letting go of the report's claim failed (${err instanceof Error ? err.name : 'unknown'}); it is taken over once stale`);
  }
}

/** Where the report stands, without claiming it (to look at; null before the first report). */
export async function readReportState(): Promise<ReportState | null> {
  const row = await readRow();
  return row === null || row.state === null ? null : parseState(row.state);
}
