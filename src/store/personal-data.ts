/**
 * The account ids the app stores, for Atlassian's personal data reporting
 * (src/analysis/personal-data.ts): every column that holds one, read as one list of distinct
 * ids with the latest time each was stored, and erased (set to FORMER_USER) for accounts
 * Atlassian reports closed. KVS holds no account id (settings and run markers name none);
 * it holds where the report stands (`personal-data-report:v1`).
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { FORMER_USER } from '../shared/wording';
import { execute, num, placeholders, RETENTION_BATCH, RETENTION_ROUNDS, select, str } from './db';

/**
 * Each column holding an account id, with the time that says when it was stored. A dismiss
 * reason's giver has no time of its own: the pair's decision time stands in (the history
 * entry of the reason, in `actions`, has the real one).
 */
export const ACCOUNT_COLUMNS: ReadonlyArray<{ table: string; column: string; time: string }> = [
  { table: 'pairs', column: 'decided_by', time: 'decided_ms' },
  { table: 'pairs', column: 'dismiss_reason_by', time: 'decided_ms' },
  { table: 'runs', column: 'started_by', time: 'started_ms' },
  { table: 'actions', column: 'actor', time: 'at_ms' },
];

export interface StoredAccount {
  accountId: string;
  /** The latest time (ms) any row naming it was stored. */
  updatedMs: number;
}

/**
 * Distinct stored account ids after `afterId` (in id order), each with its latest time: one
 * keyset page of the report, `limit` ids at most, and `more` when ids may follow it.
 * FORMER_USER and empty values are not ids. One statement a column (each scans its table, so
 * each stays well inside the SQL time limit on its own), merged here: a column that filled
 * its page may hold ids past its last one, so the page ends at the lowest such last id. Ids
 * compare as the database compares them (utf8mb4_bin on Forge SQL and here: code point order).
 */
export async function storedAccountsAfter(afterId: string, limit: number): Promise<{ accounts: StoredAccount[]; more: boolean }> {
  const n = Math.max(1, Math.floor(limit));
  const latest = new Map<string, number>();
  let bound: string | null = null;
  for (const c of ACCOUNT_COLUMNS) {
    const rows = await select(
      `SELECT ${c.column} AS account_id, MAX(COALESCE(${c.time}, 0)) AS t FROM ${c.table}
       WHERE ${c.column} > ? AND ${c.column} <> ? GROUP BY ${c.column} ORDER BY ${c.column} LIMIT ${n}`,
      [afterId, FORMER_USER],
    );
    for (const r of rows) {
      const id = str(r['account_id']);
      latest.set(id, Math.max(latest.get(id) ?? 0, num(r['t'])));
    }
    const last = rows.length === n ? str(rows[n - 1]?.['account_id']) : null;
    if (last !== null && (bound === null || last < bound)) bound = last;
  }
  const ids = [...latest.keys()].filter((id) => bound === null || id <= bound).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { accounts: ids.map((accountId) => ({ accountId, updatedMs: latest.get(accountId) ?? 0 })), more: bound !== null };
}

/**
 * Replaces these account ids with FORMER_USER in every column, `batch` rows a statement and at
 * most `rounds` statements a column: the rows stay (a decision is still a decision), only who
 * made it is gone. `finished` false when a bound stopped it: the caller calls again.
 */
export async function eraseAccounts(accountIds: readonly string[], batch = RETENTION_BATCH, rounds = RETENTION_ROUNDS): Promise<{ rows: number; finished: boolean }> {
  const ids = [...new Set(accountIds)].filter((id) => id !== '' && id !== FORMER_USER);
  let rows = 0;
  let finished = true;
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    for (const c of ACCOUNT_COLUMNS) {
      let done = false;
      for (let round = 0; round < rounds && !done; round++) {
        const n = await execute(`UPDATE ${c.table} SET ${c.column} = ? WHERE ${c.column} IN (${placeholders(slice.length)}) LIMIT ${batch}`, [FORMER_USER, ...slice]);
        rows += n;
        done = n < batch;
      }
      if (!done) finished = false;
    }
  }
  return { rows, finished };
}

const REPORT_STATE_KEY = 'personal-data-report:v1';

const reportStateSchema = z.object({
  /** When the last complete report began (ms); null before the first. */
  lastCompletedMs: z.number().nullable(),
  /** The report under way: when it began and the last account id reported. */
  cycle: z.object({ startedMs: z.number(), afterId: z.string() }).nullable(),
  /** Accounts reported closed whose erasure has not finished. */
  closed: z.array(z.string()),
});

export type ReportState = z.infer<typeof reportStateSchema>;

/** Where the personal data report stands (a value that does not parse starts afresh). */
export async function getReportState(): Promise<ReportState> {
  const parsed = reportStateSchema.safeParse(await kvs.get<unknown>(REPORT_STATE_KEY));
  return parsed.success ? parsed.data : { lastCompletedMs: null, cycle: null, closed: [] };
}

export async function saveReportState(state: ReportState): Promise<void> {
  await kvs.set(REPORT_STATE_KEY, state);
}
