/**
 * `npm run bench:report -- [--pairs 300000] [--actions 200000] [--runs 2000] [--accounts 2000] [--closed 3] [--chunk 5000]`
 *
 * The weekly personal data report (src/analysis/personal-data.ts) on a large site, through the
 * local Forge runtime (real SDKs, MariaDB, the Jira stand-in's /app/report-accounts): the
 * database makes the rows itself (seq_1_to_N), one decision in five and one history entry in
 * four naming one of `--accounts` people, and `--closed` of them are closed. Printed, not
 * judged:
 *   - each grouped read of one account column the report sent before it walked the tables
 *     (a scan of the table), timed on the same data;
 *   - the report's calls (default bounds: 100 requests, 60 s a call) until it is done, with
 *     their statements, and each statement replayed on a connection of its own (in a
 *     transaction rolled back) for its time and the rows MariaDB read for it (Rows_read).
 * The database is dropped at the end.
 */
import { JiraStandIn } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import { DEFAULT_SQL_URL, openPool } from '../../sandbox/runtime/sql/sql-server';
import { reportPersonalData } from '../analysis/personal-data';
import * as appHandlers from '../index';
import { FORMER_USER } from '../shared/wording';
import { WALK_CHUNK } from '../store/personal-data';
import { ACCOUNT_COLUMNS, groupedColumnRead, replayStatement, seedAccountRows, withValues } from './lib/account-rows';
import { numberArg, parseArgs } from './lib/args';

const DATABASE = 'dedupe_bench_report';

function accountSql(expr: string): string {
  // 24 hex characters, like an Atlassian account id.
  return `CONCAT('5b10ac8d82e05b22', LPAD(HEX(${expr}), 8, '0'))`;
}

async function seed(forge: LocalForge, o: { pairs: number; actions: number; runs: number; accounts: number }, t: number): Promise<void> {
  await seedAccountRows((sql, params) => forge.sql.query(sql, params), {
    at: t,
    pairs: {
      rows: o.pairs,
      columns: {
        id: "CONCAT(1000000 + seq, '-', 2000000 + seq)",
        issue_a: '1000000 + seq',
        issue_b: '2000000 + seq',
        reasons: "'words shared by the two summaries'",
        status: "IF(seq % 5 = 0, IF(seq % 2 = 0, 'confirmed', 'dismissed'), 'pending')",
        decided_by: `IF(seq % 5 = 0, ${accountSql(`seq * 7 % ${o.accounts}`)}, NULL)`,
        decided_ms: withValues('IF(seq % 5 = 0, ? + seq, NULL)', t),
        dismiss_reason: "IF(seq % 10 = 5, 'related', NULL)",
        dismiss_reason_by: `IF(seq % 10 = 5, ${accountSql(`seq * 11 % ${o.accounts}`)}, NULL)`,
      },
    },
    runs: { rows: o.runs, columns: { started_by: `IF(seq % 2 = 0, ${accountSql(`seq % ${o.accounts}`)}, NULL)` } },
    actions: {
      rows: o.actions,
      columns: {
        // Spread over the primary key as the UUIDs the app writes are.
        id: "CONCAT(LPAD(HEX(seq * 2654435761 % 4294967291), 8, '0'), '-0000-4000-8000-', LPAD(seq, 12, '0'))",
        actor: `IF(seq % 4 = 0, NULL, ${accountSql(`seq * 13 % ${o.accounts}`)})`,
        issue_keys: "'A-1, A-2'",
        project_key: "'A'",
      },
    },
  });
  await forge.sql.query('ANALYZE TABLE pairs, actions, runs');
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ['pairs', 'actions', 'runs', 'accounts', 'closed', 'chunk'], flags: [] });
  const o = {
    pairs: numberArg(args, 'pairs', 1, 5_000_000) ?? 300_000,
    actions: numberArg(args, 'actions', 1, 5_000_000) ?? 200_000,
    runs: numberArg(args, 'runs', 1, 1_000_000) ?? 2_000,
    accounts: numberArg(args, 'accounts', 1, 1_000_000) ?? 2_000,
    closed: numberArg(args, 'closed', 0, 500) ?? 3,
    chunk: numberArg(args, 'chunk', 10, 100_000) ?? WALK_CHUNK,
  };
  const sqlUrl = process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL;
  await LocalForge.drop(DATABASE, sqlUrl);
  const jira = await JiraStandIn.start();
  const forge = await LocalForge.start({ handlers: appHandlers, jiraUrl: jira.url, persistQueue: false, database: DATABASE, sqlUrl });
  const pool = openPool(sqlUrl, forge.database, 1);
  try {
    await forge.runLifecycle('installed');
    const t = Date.now() - 30 * 86_400_000;
    let started = performance.now();
    await seed(forge, o, t);
    console.log(`seeded ${o.pairs} pairs, ${o.actions} history entries, ${o.runs} runs (${o.accounts} people) in ${Math.round(performance.now() - started)} ms`);
    for (let i = 0; i < o.closed; i++) jira.closeAccount(`5b10ac8d82e05b22${(i * 7).toString(16).toUpperCase().padStart(8, '0')}`);

    // What the report sent before: per column, the first page of a grouped read (a scan).
    for (const c of ACCOUNT_COLUMNS) {
      const r = await replayStatement(pool, groupedColumnRead(c), ['', FORMER_USER]);
      console.log(`before: one grouped read of ${c.table}.${c.column}: ${Math.round(r.ms)} ms, ${r.rows} rows read`);
    }

    const sent: Array<{ query: string; params: readonly unknown[] }> = [];
    const stop = forge.sql.observe((query, params) => sent.push({ query, params: [...params] }));
    const calls: string[] = [];
    started = performance.now();
    for (let call = 1; call <= 20; call++) {
      const callStarted = performance.now();
      const outcome = await reportPersonalData({ chunkRows: o.chunk });
      calls.push(`${outcome.status} ${Math.round(performance.now() - callStarted)} ms (${outcome.reported} reported, ${outcome.closed} closed, ${outcome.erased} rows erased)`);
      if (outcome.status !== 'partial') break;
    }
    const wall = performance.now() - started;
    stop();
    console.log(`now: ${calls.length} call(s) in ${Math.round(wall)} ms, ${sent.length} statements, ${jira.accountReports().length} requests; ${calls.join('; ')}`);

    const times: number[] = [];
    const rows: number[] = [];
    let slowest = { ms: 0, query: '' };
    for (const s of sent) {
      const r = await replayStatement(pool, s.query, s.params);
      times.push(r.ms);
      rows.push(r.rows);
      if (r.ms > slowest.ms) slowest = { ms: r.ms, query: s.query.replace(/\s+/g, ' ').slice(0, 120) };
    }
    times.sort((a, b) => a - b);
    rows.sort((a, b) => a - b);
    console.log(
      `now: each statement replayed: p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms, max ${slowest.ms.toFixed(1)} ms (${slowest.query}); rows read p50 ${pct(rows, 0.5)}, max ${rows[rows.length - 1] ?? 0}`,
    );
  } finally {
    await pool.end();
    await forge.stop({ drop: true });
    await jira.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
