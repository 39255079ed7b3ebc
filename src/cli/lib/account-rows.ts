/**
 * Rows naming people in the three tables that hold account ids (pairs, runs, actions), made by
 * MariaDB itself from its sequence tables (`seq_1_to_N`), for the personal data report: its
 * test (test/analysis/personal-data.test.ts) and its benchmark (`npm run bench:report`). A
 * caller says only what its rows are about, each column as SQL over `seq` (1 to the table's
 * rows); the other columns get a plain value. Also what both measure with: the rows MariaDB
 * read for a statement, replayed, and the grouped read of one column the report sent before it
 * walked the tables.
 *
 * Used by the command line and the tests only, never by the app (nothing under src/ that the
 * app bundles imports it).
 */
import type { Pool } from 'mysql2/promise';

/** SQL over `seq`, with the values of its `?` placeholders in order when it has any. */
export type SeqSql = string | { sql: string; params: readonly unknown[] };

/** SQL with values for its `?` placeholders: `withValues('? + seq * 1000', t)`. */
export function withValues(sql: string, ...params: unknown[]): SeqSql {
  return { sql, params };
}

/** The columns of each table, in the order they are inserted, with the value a row gets unless the caller gives one. */
function defaults(at: number) {
  const atSeq = withValues('? + seq', at);
  return {
    pairs: {
      id: "CONCAT(100000 + seq, '-', 200000 + seq)",
      issue_a: '100000 + seq',
      issue_b: '200000 + seq',
      project_a: "'A'",
      project_b: "'A'",
      score: '0.5',
      tier: "'duplicate'",
      reasons: "''",
      active: '1',
      status: "'pending'",
      decided_by: 'NULL',
      decided_ms: 'NULL',
      dismiss_reason: 'NULL',
      dismiss_reason_by: 'NULL',
      first_run: "'r'",
      last_run: "'r'",
      first_seen_ms: withValues('?', at),
      last_seen_ms: withValues('?', at),
    },
    runs: {
      id: "CONCAT('run-', LPAD(seq, 8, '0'))",
      scope_key: "'all'",
      mode: "'full'",
      trig: "'manual'",
      status: "'done'",
      started_by: 'NULL',
      started_ms: atSeq,
      finished_ms: atSeq,
      heartbeat_ms: atSeq,
      expected: '0',
      chains: '1',
      since_ms: 'NULL',
      error: 'NULL',
      settings: "'{}'",
    },
    actions: {
      id: "CONCAT('act-', LPAD(seq, 8, '0'))",
      at_ms: atSeq,
      actor: 'NULL',
      action: "'confirm'",
      issue_keys: "''",
      project_key: 'NULL',
    },
  } satisfies Record<string, Record<string, SeqSql>>;
}

type Tables = ReturnType<typeof defaults>;

export interface TableRows<Column extends string> {
  /** How many rows: `seq` runs from 1 to this. */
  rows: number;
  /** The columns this caller's rows are about; the others get their plain value. */
  columns?: Partial<Record<Column, SeqSql>>;
}

export interface AccountRows {
  /** The time (ms) of the plain values: when pairs were seen, runs ran and entries were written, plus `seq` for the last two. */
  at: number;
  pairs: TableRows<keyof Tables['pairs']>;
  runs: TableRows<keyof Tables['runs']>;
  actions: TableRows<keyof Tables['actions']>;
}

/** What runs a statement: `LocalForge`'s `sql.query`. */
export type Query = (statement: string, params?: unknown[]) => Promise<unknown>;

/** At most this many rows an INSERT (MariaDB makes them from `seq_a_to_b`). */
const BATCH_ROWS = 50_000;

/** Inserts the rows: pairs, then runs, then history entries, `BATCH_ROWS` a statement. */
export async function seedAccountRows(query: Query, spec: AccountRows): Promise<void> {
  const plain = defaults(spec.at);
  for (const table of ['pairs', 'runs', 'actions'] as const) {
    const { rows, columns = {} } = spec[table];
    const chosen: Record<string, SeqSql> = { ...plain[table], ...columns };
    const names = Object.keys(plain[table]);
    const values = names.map((name) => chosen[name]!);
    const select = values.map((v) => (typeof v === 'string' ? v : v.sql)).join(', ');
    const params = values.flatMap((v) => (typeof v === 'string' ? [] : [...v.params]));
    for (let from = 0; from < rows; from += BATCH_ROWS) {
      const to = Math.min(rows, from + BATCH_ROWS);
      await query(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${select} FROM seq_${from + 1}_to_${to}`, params);
    }
  }
}

/** Each column that holds an account id, with the column of the time its row was stored. */
export const ACCOUNT_COLUMNS = [
  { table: 'pairs', column: 'decided_by', time: 'decided_ms' },
  { table: 'pairs', column: 'dismiss_reason_by', time: 'decided_ms' },
  { table: 'runs', column: 'started_by', time: 'started_ms' },
  { table: 'actions', column: 'actor', time: 'at_ms' },
] as const;

/**
 * The grouped read of one account column the report sent before it walked the tables (the
 * first page of it, which scans the table); its values: `''` and the erased-account marker.
 */
export function groupedColumnRead(c: (typeof ACCOUNT_COLUMNS)[number]): string {
  return `SELECT ${c.column} AS account_id, MAX(COALESCE(${c.time}, 0)) AS t FROM ${c.table} WHERE ${c.column} > ? AND ${c.column} <> ? GROUP BY ${c.column} ORDER BY ${c.column} LIMIT 900`;
}

/**
 * A statement's time (ms) and the rows MariaDB read for it (its session counter Rows_read,
 * which leaves out temporary tables), replayed on `pool` (one connection, so the counter is
 * that session's) inside a transaction rolled back.
 */
export async function replayStatement(pool: Pool, statement: string, params: readonly unknown[]): Promise<{ ms: number; rows: number }> {
  const counter = async () => {
    const [rows] = await pool.query("SHOW SESSION STATUS LIKE 'Rows_read'");
    return Number((rows as Array<{ Value: string }>)[0]?.Value);
  };
  await pool.query('START TRANSACTION');
  try {
    const before = await counter();
    const started = performance.now();
    await pool.query(statement, [...params]);
    const ms = performance.now() - started;
    return { ms, rows: (await counter()) - before };
  } finally {
    await pool.query('ROLLBACK');
  }
}
