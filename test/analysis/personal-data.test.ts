/**
 * Atlassian's personal data report, through the seam to the Jira stand-in's
 * /app/report-accounts, against MariaDB: every stored account id is reported once a week, 90 a
 * request, with the latest time it was stored; accounts reported closed are erased in every
 * column; the work is bounded and goes on where it stopped; a failed request loses nothing and
 * erases nothing. On tables of several chunks: each statement reads at most a chunk of rows
 * (MariaDB's own count, the statements replayed), and the outcome is what one scan of every
 * column gives; a call stopped at any statement loses nothing and erases nothing twice; a second
 * call while one runs stops at once, and one whose claim was taken over saves nothing.
 */
import type { Pool } from 'mysql2/promise';
import { reportPersonalData } from '../../src/analysis/personal-data';
import { FORMER_USER } from '../../src/shared/wording';
import { readReportState, REPORT_CLAIM_STALE_MS } from '../../src/store/personal-data';
import { DEFAULT_SQL_URL, openPool } from '../../sandbox/runtime/sql/sql-server';
import { ACCOUNT_COLUMNS, groupedColumnRead, replayStatement, seedAccountRows, withValues } from '../../src/cli/lib/account-rows';
import { startEnv, type Env } from './helpers';

const DAY = 86_400_000;
/** When the rows were stored: recent, so the trigger's retention keeps them. */
const T = Date.now() - 10 * DAY;
const ids = Array.from({ length: 200 }, (_, i) => `acct-${String(i).padStart(3, '0')}`);

/** Every account id column, row by row. */
async function snapshot(env: Env): Promise<string[]> {
  const q = async (sql: string) => ((await env.forge.sql.query(sql)) as Array<{ line: string }>).map((r) => r.line);
  return [
    ...(await q("SELECT CONCAT('pair ', id, ' ', COALESCE(decided_by, '-'), ' ', COALESCE(dismiss_reason_by, '-')) AS line FROM pairs ORDER BY id")),
    ...(await q("SELECT CONCAT('run ', id, ' ', COALESCE(started_by, '-')) AS line FROM runs ORDER BY id")),
    ...(await q("SELECT CONCAT('action ', id, ' ', COALESCE(actor, '-')) AS line FROM actions ORDER BY id")),
  ];
}

describe('personal data report', () => {
  let env: Env;
  let t0: number;
  /** The reports since `from` (index into the stand-in's list of requests). */
  const reportsFrom = (from: number) => env.jira.accountReports().slice(from);
  const reportedIds = (from: number) => reportsFrom(from).flatMap((r) => r.map((a) => a.accountId));

  beforeAll(async () => {
    env = await startEnv({ settings: { schedule: 'off' } });
    const sql = (q: string, params: unknown[] = []) => env.forge.sql.query(q, params);
    // 200 people in the history, each once; a scheduled entry (no one) and an erased one.
    for (let i = 0; i < ids.length; i += 50) {
      const rows = ids.slice(i, i + 50).map((id, j) => [`a-${id}`, T + i + j, id]);
      await sql(`INSERT INTO actions (id, at_ms, actor, action, issue_keys) VALUES ${rows.map(() => "(?, ?, ?, 'confirm', '')").join(', ')}`, rows.flat());
    }
    await sql("INSERT INTO actions (id, at_ms, actor, action, issue_keys) VALUES ('a-none', ?, NULL, 'run.start', ''), ('a-former', ?, ?, 'dismiss', '')", [T, T, FORMER_USER]);
    // acct-005 decided one pair and gave the reason on another; later, it started a run.
    const pair = (id: string, status: string, by: string | null, ms: number | null, reasonBy: string | null) =>
      sql(
        `INSERT INTO pairs (id, issue_a, issue_b, project_a, project_b, score, tier, reasons, active, status, decided_by, decided_ms, dismiss_reason, dismiss_reason_by, first_run, last_run, first_seen_ms, last_seen_ms)
         VALUES (?, ?, ?, 'A', 'A', 0.5, 'duplicate', '', 1, ?, ?, ?, ?, ?, 'r', 'r', 1, 1)`,
        [id, id.split('-')[0], id.split('-')[1], status, by, ms, reasonBy === null ? null : 'related', reasonBy],
      );
    await pair('1-2', 'confirmed', 'acct-005', T + 50_000, null);
    await pair('3-4', 'dismissed', 'acct-007', T + 60_000, 'acct-005');
    await pair('5-6', 'pending', null, null, null);
    const run = (id: string, by: string | null, ms: number) =>
      sql(
        "INSERT INTO runs (id, scope_key, mode, trig, status, started_by, started_ms, finished_ms, heartbeat_ms, expected, chains, since_ms, error, settings) VALUES (?, 'all', 'full', 'manual', 'done', ?, ?, ?, ?, 0, 1, NULL, NULL, '{}')",
        [id, by, ms, ms, ms],
      );
    await run('r1', 'acct-005', T + 90_000);
    await run('r2', 'zz-only-runs', T + 70_000);
    await run('r3', null, T + 80_000);
    t0 = Date.now();
  }, 60_000);
  afterAll(async () => env?.stop());

  it('reports every stored account once, at most 90 a request, with the latest time it was stored', async () => {
    // The daily trigger does it (the schedule is off: the report is owed all the same).
    await env.forge.runScheduledTrigger('dedupe-schedule');
    const reports = env.jira.accountReports();
    expect(reports.map((r) => r.length)).toEqual([90, 90, 21]);
    const all = reports.flat();
    expect(all.map((a) => a.accountId)).toEqual([...ids, 'zz-only-runs']);
    // Its latest row: the run acct-005 started; a decision for acct-007 (later than its history entry).
    expect(all.find((a) => a.accountId === 'acct-005')?.updatedAt).toBe(new Date(T + 90_000).toISOString());
    expect(all.find((a) => a.accountId === 'acct-007')?.updatedAt).toBe(new Date(T + 60_000).toISOString());
    expect(all.find((a) => a.accountId === 'acct-100')?.updatedAt).toBe(new Date(T + 100).toISOString());
    expect((await readReportState())!.cycle).toBeNull();

    // Within the week: nothing is sent again, however often the trigger fires.
    await env.forge.runScheduledTrigger('dedupe-schedule');
    expect(await reportPersonalData({ now: t0 + 6 * DAY })).toMatchObject({ status: 'not-due', reported: 0 });
    expect(env.jira.accountReports()).toHaveLength(3);
  }, 60_000);

  it('erases the accounts reported closed in every column, and leaves the others as they were', async () => {
    const before = await snapshot(env);
    env.jira.closeAccount('acct-005');
    env.jira.closeAccount('acct-150');
    // A profile changed since: the app keeps no profile data, so nothing to do.
    env.jira.updateAccount('acct-007', t0);
    const from = env.jira.accountReports().length;
    const outcome = await reportPersonalData({ now: t0 + 7 * DAY });
    expect(outcome).toEqual({ status: 'done', reported: 201, closed: 2, erased: 5 });
    expect(reportedIds(from)).toHaveLength(201);
    const after = await snapshot(env);
    const expected = before.map((line) => line.replace(/ acct-005\b/g, ` ${FORMER_USER}`).replace(/ acct-150\b/g, ` ${FORMER_USER}`));
    expect(after).toEqual(expected);
    expect(after).toEqual(expect.arrayContaining(['pair 1-2 (former user) -', 'pair 3-4 acct-007 (former user)', 'run r1 (former user)', 'action a-acct-005 (former user)', 'action a-acct-150 (former user)']));

    // A week later: the erased accounts are no longer stored, so no longer reported; nothing changes.
    const again = env.jira.accountReports().length;
    expect(await reportPersonalData({ now: t0 + 14 * DAY })).toEqual({ status: 'done', reported: 199, closed: 0, erased: 0 });
    expect(reportedIds(again)).not.toEqual(expect.arrayContaining(['acct-005']));
    expect(reportedIds(again)).not.toContain(FORMER_USER);
    expect(await snapshot(env)).toEqual(after);
  }, 60_000);

  it('stops at its bound and goes on from there the next time, reporting no one twice', async () => {
    const from = env.jira.accountReports().length;
    const now = t0 + 21 * DAY;
    expect(await reportPersonalData({ now, maxRequests: 1 })).toMatchObject({ status: 'partial', reported: 90 });
    expect((await readReportState())!.cycle).toMatchObject({ startedMs: now, phase: 'report', afterId: reportedIds(from).at(-1) });
    expect(await reportPersonalData({ now: now + DAY, maxRequests: 1 })).toMatchObject({ status: 'partial', reported: 90 });
    expect(await reportPersonalData({ now: now + 2 * DAY })).toMatchObject({ status: 'done', reported: 19 });
    const sent = reportedIds(from);
    expect(sent).toHaveLength(199);
    expect(new Set(sent).size).toBe(199);
    // The week counts from when the report began, not when it finished.
    expect((await readReportState())!.lastCompletedMs).toBe(now);
  }, 60_000);

  it('loses nothing and erases nothing when a request is refused (429, 5xx): the same accounts go again next time', async () => {
    env.jira.closeAccount('acct-199');
    const before = await snapshot(env);
    const now = t0 + 28 * DAY;
    const from = env.jira.accountReports().length;
    env.jira.faults.rateLimit({ count: 1, retryAfterSeconds: 30, path: /report-accounts/ });
    expect(await reportPersonalData({ now })).toMatchObject({ status: 'failed', reported: 0, closed: 0 });
    expect(await readReportState()).toMatchObject({ cycle: { startedMs: now, afterId: '' }, closed: [] });
    // One chunk through, then a server error on the one holding acct-199.
    expect(await reportPersonalData({ now: now + DAY, maxRequests: 1 })).toMatchObject({ status: 'partial', reported: 90 });
    env.jira.faults.serverErrors({ count: 1, status: 503, path: /report-accounts/ });
    expect(await reportPersonalData({ now: now + DAY })).toMatchObject({ status: 'failed', reported: 0 });
    expect(await snapshot(env)).toEqual(before);
    expect(await reportPersonalData({ now: now + 2 * DAY })).toMatchObject({ status: 'done', closed: 1, erased: 1 });
    expect(await snapshot(env)).toEqual(before.map((line) => line.replace(/ acct-199\b/, ` ${FORMER_USER}`)));
    // Every account reached the service; the refused requests reached nothing (the stand-in keeps only what it answered).
    expect(new Set(reportedIds(from)).size).toBe(199);
  }, 60_000);

  it('keeps closed accounts whose erasure was cut short, and erases them first the next time', async () => {
    env.jira.closeAccount('acct-042');
    env.forge.sql.faults.failNext(1, { match: /UPDATE actions SET actor/ });
    const now = t0 + 35 * DAY;
    await expect(reportPersonalData({ now })).rejects.toThrow();
    expect((await readReportState())!.closed).toEqual(['acct-042']);
    expect(await snapshot(env)).toContain('action a-acct-042 acct-042');
    expect(await reportPersonalData({ now })).toMatchObject({ erased: 1 });
    expect(await snapshot(env)).toContain('action a-acct-042 (former user)');
    expect((await readReportState())!.closed).toEqual([]);
  }, 60_000);

  it('the stand-in answers like the service: only the app, at most 90 a request, 204 when there is nothing to say', async () => {
    const post = (body: unknown, principal = 'app') =>
      fetch(`${env.jira.url}/app/report-accounts`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sandbox-principal': principal }, body: JSON.stringify(body) });
    const at = new Date(0).toISOString();
    expect((await post({ accounts: [{ accountId: 'nobody-closed', updatedAt: at }] })).status).toBe(204);
    const closed = await post({ accounts: [{ accountId: 'acct-005', updatedAt: at }, { accountId: 'acct-007', updatedAt: at }, { accountId: 'acct-008', updatedAt: at }] });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toEqual({ accounts: [{ accountId: 'acct-005', status: 'closed' }, { accountId: 'acct-007', status: 'updated' }] });
    // Updated only when the profile changed after the time the app sent.
    expect((await post({ accounts: [{ accountId: 'acct-007', updatedAt: new Date(t0 + 1).toISOString() }] })).status).toBe(204);
    expect((await post({ accounts: ids.slice(0, 91).map((accountId) => ({ accountId, updatedAt: at })) })).status).toBe(400);
    expect((await post({ accounts: [{ accountId: 'acct-005', updatedAt: at }] }, 'user:member-1')).status).toBe(403);
    const control = await fetch(`${env.jira.url}/__sandbox/accounts/close`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: 'acct-009' }) });
    expect(control.status).toBe(204);
    expect(await (await post({ accounts: [{ accountId: 'acct-009', updatedAt: at }] })).json()).toEqual({ accounts: [{ accountId: 'acct-009', status: 'closed' }] });
  });
});

/** Rows a statement reads at most: one chunk of a table. */
const CHUNK = 1000;

/**
 * Pairs, runs and history entries made by the database itself (MariaDB's seq_1_to_N tables):
 * people decide every fifth pair and give the reason on every thirteenth, a few rows hold the
 * marker of an erased account or an empty value, a few decisions have no time; runs are started
 * by people (some only there) or by the schedule; three history entries in four name someone.
 */
async function seedTables(env: Env, sizes: { pairs: number; runs: number; actions: number }): Promise<void> {
  const runTime = withValues('? + seq * 50000', T);
  await seedAccountRows((sql, params) => env.forge.sql.query(sql, params), {
    at: T,
    pairs: {
      rows: sizes.pairs,
      columns: {
        status: "IF(seq % 5 = 0, 'confirmed', IF(seq % 13 = 0, 'dismissed', 'pending'))",
        decided_by: withValues("CASE WHEN seq % 97 = 0 THEN ? WHEN seq % 101 = 0 THEN '' WHEN seq % 5 = 0 THEN CONCAT('u-', LPAD(seq % 397, 3, '0')) END", FORMER_USER),
        decided_ms: withValues('CASE WHEN seq % 389 = 0 THEN NULL WHEN seq % 5 = 0 OR seq % 13 = 0 OR seq % 97 = 0 OR seq % 101 = 0 THEN ? + seq * 1000 END', T),
        dismiss_reason: "IF(seq % 13 = 0, 'related', NULL)",
        dismiss_reason_by: "IF(seq % 13 = 0, CONCAT('u-', LPAD(seq * 7 % 411, 3, '0')), NULL)",
      },
    },
    runs: {
      rows: sizes.runs,
      columns: {
        started_by: "CASE seq % 3 WHEN 0 THEN CONCAT('r-', seq % 7) WHEN 1 THEN CONCAT('u-', LPAD(seq % 397, 3, '0')) END",
        started_ms: runTime,
        finished_ms: runTime,
        heartbeat_ms: runTime,
      },
    },
    actions: {
      rows: sizes.actions,
      columns: {
        at_ms: withValues('? + seq * 777', T),
        actor: "IF(seq % 4 = 0, NULL, CONCAT('u-', LPAD(seq * 3 % 450, 3, '0')))",
      },
    },
  });
}

/**
 * What the report read before it walked the tables, as a reference: one grouped scan of every
 * account column, merged, each id with the latest time of a row naming it, in id order.
 */
async function scanAllColumns(env: Env): Promise<Array<{ accountId: string; updatedAt: string }>> {
  const rows = (await env.forge.sql.query(
    `SELECT id, MAX(t) AS t FROM (
       SELECT decided_by AS id, COALESCE(decided_ms, 0) AS t FROM pairs
       UNION ALL SELECT dismiss_reason_by, COALESCE(decided_ms, 0) FROM pairs
       UNION ALL SELECT started_by, started_ms FROM runs
       UNION ALL SELECT actor, at_ms FROM actions) AS x
     WHERE id > '' AND id <> ? GROUP BY id ORDER BY id`,
    [FORMER_USER],
  )) as Array<{ id: string; t: string | number }>;
  return rows.map((r) => ({ accountId: r.id, updatedAt: new Date(Number(r.t)).toISOString() }));
}

/** `before` with these ids replaced by the marker (ids end at a space or the line's end). */
function erasedIn(before: readonly string[], closed: readonly string[]): string[] {
  const re = new RegExp(` (${closed.map((id) => id.replace(/[-]/g, '\\-')).join('|')})(?= |$)`, 'g');
  return before.map((line) => line.replace(re, ` ${FORMER_USER}`));
}

/** Rows whose account columns name any of these ids, counted a column at a time (as erasures count them). */
async function rowsNaming(env: Env, closed: readonly string[]): Promise<number> {
  const list = closed.map(() => '?').join(', ');
  const rows = (await env.forge.sql.query(
    `SELECT (SELECT COUNT(*) FROM pairs WHERE decided_by IN (${list})) + (SELECT COUNT(*) FROM pairs WHERE dismiss_reason_by IN (${list}))
          + (SELECT COUNT(*) FROM runs WHERE started_by IN (${list})) + (SELECT COUNT(*) FROM actions WHERE actor IN (${list})) AS n`,
    [...closed, ...closed, ...closed, ...closed],
  )) as Array<{ n: string | number }>;
  return Number(rows[0]?.n ?? 0);
}

/** Rows MariaDB read to run a statement, replayed on a connection of its own inside a transaction rolled back. */
async function rowsRead(pool: Pool, statement: string, params: readonly unknown[]): Promise<number> {
  return (await replayStatement(pool, statement, params)).rows;
}

describe('personal data report on tables of several chunks', () => {
  const sizes = { pairs: 12_000, runs: 300, actions: 8_000 };
  let env: Env;
  let replay: Pool;
  let t0: number;
  let sent: Array<{ query: string; params: readonly unknown[] }> = [];
  let stopObserving: () => void = () => undefined;

  beforeAll(async () => {
    env = await startEnv({ settings: { schedule: 'off' } });
    await seedTables(env, sizes);
    // One connection: the session whose counters rowsRead reads.
    replay = openPool(process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL, env.forge.database, 1);
    stopObserving = env.forge.sql.observe((query, params) => sent.push({ query, params: [...params] }));
    t0 = Date.now();
  }, 60_000);
  afterAll(async () => {
    stopObserving();
    await replay?.end();
    await env?.stop();
  });

  /**
   * Calls the report (two requests a call) until it is done; after each call, replays the
   * statements it sent and keeps the most rows one of them read.
   */
  async function reportInCalls(now: number): Promise<{ calls: number; reported: number; closed: number; erased: number; mostRowsRead: number; statements: string[] }> {
    const total = { calls: 0, reported: 0, closed: 0, erased: 0, mostRowsRead: 0, statements: [] as string[] };
    for (;;) {
      sent = [];
      const outcome = await reportPersonalData({ now, chunkRows: CHUNK, maxRequests: 2 });
      total.calls += 1;
      total.reported += outcome.reported;
      total.closed += outcome.closed;
      total.erased += outcome.erased;
      for (const s of sent) {
        total.mostRowsRead = Math.max(total.mostRowsRead, await rowsRead(replay, s.query, s.params));
        total.statements.push(s.query);
      }
      if (outcome.status === 'done') return total;
      expect(outcome.status).toBe('partial');
      expect(total.calls).toBeLessThan(20);
    }
  }

  it('reports what a scan of every column gives, each statement reading a chunk of rows at most', async () => {
    const expected = await scanAllColumns(env);
    expect(expected.length).toBeGreaterThan(400);
    const from = env.jira.accountReports().length;
    const outcome = await reportInCalls(t0);
    const reports = env.jira.accountReports().slice(from);
    // The same ids, times and order as the scan, 90 a request.
    expect(reports.flat()).toEqual(expected);
    expect(reports.map((r) => r.length)).toEqual(Array.from({ length: Math.ceil(expected.length / 90) }, (_, i) => Math.min(90, expected.length - i * 90)));
    expect(outcome).toMatchObject({ calls: Math.ceil(reports.length / 2), reported: expected.length, closed: 0, erased: 0 });

    // No statement read more than a chunk (the statement that finds a chunk's end reads it, and
    // the next row), though pairs and history hold 12 and 8 chunks.
    expect(outcome.mostRowsRead).toBeLessThanOrEqual(CHUNK + 1);
    expect(outcome.mostRowsRead).toBeGreaterThanOrEqual(CHUNK - 1);
    // Every statement on those tables names a range of their primary key.
    const onTables = outcome.statements.filter((q) => /\b(FROM|UPDATE) (pairs|runs|actions)\b/.test(q));
    expect(onTables.length).toBeGreaterThan(2 * (12 + 1 + 8));
    for (const q of onTables) expect(q).toMatch(/WHERE id > \?/);
    // What the grouped read of one column, as the report sent it before, reads: the whole table.
    const perColumn = groupedColumnRead(ACCOUNT_COLUMNS.find((c) => c.column === 'decided_by')!);
    expect(await rowsRead(replay, perColumn, ['', FORMER_USER])).toBeGreaterThanOrEqual(sizes.pairs);
    // The gathered list is emptied at the end.
    expect(await env.forge.sql.query('SELECT COUNT(*) AS n FROM personal_data_accounts')).toEqual([{ n: 0 }]);
  }, 120_000);

  it('erases what the scan names for the closed accounts, a chunk a statement, and no more', async () => {
    // One in decisions, reasons and history; one only in reasons and history; one only in runs.
    const closed = ['u-005', 'u-007', 'r-3'];
    for (const id of closed) env.jira.closeAccount(id);
    const before = await snapshot(env);
    const expectedRows = await rowsNaming(env, closed);
    expect(expectedRows).toBeGreaterThan(20);
    const expected = await scanAllColumns(env);
    const from = env.jira.accountReports().length;
    const outcome = await reportInCalls(t0 + 7 * DAY);
    expect(env.jira.accountReports().slice(from).flat()).toEqual(expected);
    expect(outcome).toMatchObject({ reported: expected.length, closed: 3, erased: expectedRows });
    expect(outcome.mostRowsRead).toBeLessThanOrEqual(CHUNK + 1);
    const erasures = outcome.statements.filter((q) => /^UPDATE (pairs|runs|actions) SET/.test(q));
    expect(erasures.length).toBeGreaterThanOrEqual(2 * 12 + 1 + 8);
    for (const q of erasures) expect(q).toMatch(/WHERE id > \?/);
    expect(await snapshot(env)).toEqual(erasedIn(before, closed));
    expect(await rowsNaming(env, closed)).toBe(0);

    // The week after: the erased accounts are stored nowhere, so reported no more.
    const again = env.jira.accountReports().length;
    await reportInCalls(t0 + 14 * DAY);
    const next = env.jira.accountReports().slice(again).flat();
    expect(next).toEqual(await scanAllColumns(env));
    expect(next.map((a) => a.accountId)).not.toEqual(expect.arrayContaining(['u-005']));
    expect(next).toHaveLength(expected.length - 3);
  }, 120_000);
});

describe('personal data report: stopped calls and calls at once', () => {
  const closed = ['u-030', 'r-3'];
  const CHUNK_ROWS = 100;
  let env: Env;
  let expected: Array<{ accountId: string; updatedAt: string }>;
  let before: string[];
  let erasedRows: number;
  const q = (sql: string, params: unknown[] = []) => env.forge.sql.query(sql, params);

  beforeAll(async () => {
    env = await startEnv({ settings: { schedule: 'off' } });
    // Three chunks of pairs, one of runs, two of history; about 200 ids, so three requests.
    await seedTables(env, { pairs: 300, runs: 20, actions: 200 });
    for (const t of ['pairs', 'runs', 'actions']) await q(`CREATE TABLE ${t}_seeded AS SELECT * FROM ${t}`);
    for (const id of closed) env.jira.closeAccount(id);
    expected = await scanAllColumns(env);
    expect(expected.length).toBeGreaterThan(180);
    before = await snapshot(env);
    erasedRows = await rowsNaming(env, closed);
    expect(erasedRows).toBeGreaterThanOrEqual(3);
  }, 60_000);
  afterAll(async () => env?.stop());

  /** The tables as seeded, no report begun or claimed. */
  async function reset(): Promise<void> {
    env.forge.sql.faults.clear();
    for (const t of ['pairs', 'runs', 'actions']) {
      await q(`DELETE FROM ${t}`);
      await q(`INSERT INTO ${t} SELECT * FROM ${t}_seeded`);
    }
    await q('DELETE FROM personal_data_accounts');
    await q('DELETE FROM personal_data_report');
  }

  /** Checks a finished report from the stand-in's request `from` on: every id reported, with its time; the closed ones erased, the rest as they were. */
  async function expectFinished(from: number, now: number): Promise<void> {
    const reported = env.jira.accountReports().slice(from).flat();
    const byId = new Map(expected.map((a) => [a.accountId, a.updatedAt]));
    expect(new Set(reported.map((a) => a.accountId))).toEqual(new Set(byId.keys()));
    for (const a of reported) expect(a.updatedAt).toBe(byId.get(a.accountId));
    // Sent twice only when a call stopped between a request and the save of its answer: one request's ids.
    expect(reported.length - byId.size).toBeLessThanOrEqual(90);
    expect(await snapshot(env)).toEqual(erasedIn(before, closed));
    expect(await readReportState()).toMatchObject({ lastCompletedMs: now, cycle: null, closed: [], erasing: null });
    expect(await q('SELECT COUNT(*) AS n FROM personal_data_accounts')).toEqual([{ n: 0 }]);
    expect(await q('SELECT owner FROM personal_data_report')).toEqual([{ owner: '' }]);
  }

  it('a call stopped at any of its statements: the next ones go on from where it saved, losing nothing, erasing each row once', async () => {
    await reset();
    let total = 0;
    const stop = env.forge.sql.observe(() => total++);
    const now = Date.now();
    let from = env.jira.accountReports().length;
    expect(await reportPersonalData({ now, chunkRows: CHUNK_ROWS })).toEqual({ status: 'done', reported: expected.length, closed: 2, erased: erasedRows });
    stop();
    await expectFinished(from, now);
    expect(total).toBeGreaterThan(40);

    for (let n = 1; n <= total; n++) {
      await reset();
      from = env.jira.accountReports().length;
      // The n-th statement fails, and so does the claim's release after it: as if the
      // invocation were stopped there (the platform's timeout, a crash).
      let seen = 0;
      let stopped = false;
      const kill = env.forge.sql.observe((query) => {
        seen += 1;
        if (seen === n || (stopped && /^UPDATE personal_data_report SET owner = ''/.test(query))) {
          stopped = true;
          env.forge.sql.faults.failNext(1, { code: 'INVOCATION_STOPPED', message: `stopped at statement ${n}` });
        }
      });
      const ended = await reportPersonalData({ now, chunkRows: CHUNK_ROWS }).then(
        () => 'returned',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      // The last statement lets go of the claim: a failure there is logged, the call returns.
      expect(ended).toEqual(n < total ? expect.stringContaining(`stopped at statement ${n}`) : 'returned');
      kill();
      // Its claim holds the report until it is stale.
      const [row] = (await q('SELECT owner FROM personal_data_report')) as Array<{ owner: string }>;
      if (row && row.owner !== '') {
        const from2 = env.jira.accountReports().length;
        expect(await reportPersonalData({ now, chunkRows: CHUNK_ROWS })).toEqual({ status: 'busy', reported: 0, closed: 0, erased: 0 });
        expect(env.jira.accountReports()).toHaveLength(from2);
        await q('UPDATE personal_data_report SET claimed_ms = claimed_ms - ?', [REPORT_CLAIM_STALE_MS]);
      }
      const left = await rowsNaming(env, closed);
      const next = await reportPersonalData({ now, chunkRows: CHUNK_ROWS });
      // Done, or (stopped after the report finished, while erasing) not due and erased.
      expect(next.status).toMatch(/^(done|not-due)$/);
      expect(next.erased).toBe(left);
      await expectFinished(from, now);
    }
  }, 300_000);

  it('a second call while one reports stops at once, with two statements, and leaves the report to the first', async () => {
    await reset();
    const from = env.jira.accountReports().length;
    const now = Date.now();
    // The first call claims the report, then waits (held at its read of where a report stood before v021).
    const hold = env.forge.kvs.faults.holdNext({ route: 'get', key: 'personal-data-report:v1' });
    const first = reportPersonalData({ now, chunkRows: CHUNK_ROWS });
    await hold.arrived;
    const statements: string[] = [];
    const stop = env.forge.sql.observe((query) => statements.push(query));
    expect(await reportPersonalData({ now, chunkRows: CHUNK_ROWS })).toEqual({ status: 'busy', reported: 0, closed: 0, erased: 0 });
    stop();
    expect(statements).toEqual([expect.stringMatching(/^INSERT INTO personal_data_report/), expect.stringMatching(/^SELECT owner, state FROM personal_data_report/)]);
    expect(env.jira.accountReports()).toHaveLength(from);
    hold.release();
    expect(await first).toMatchObject({ status: 'done', reported: expected.length, closed: 2, erased: erasedRows });
    expect(env.jira.accountReports().slice(from).flat()).toEqual(expected);
    await expectFinished(from, now);
  }, 60_000);

  it('a call whose claim was taken over (thought stopped) saves nothing and stops; the one that took it over reports', async () => {
    await reset();
    const from = env.jira.accountReports().length;
    const now = Date.now();
    const hold = env.forge.kvs.faults.holdNext({ route: 'get', key: 'personal-data-report:v1' });
    const first = reportPersonalData({ now: now - DAY, chunkRows: CHUNK_ROWS });
    await hold.arrived;
    await q('UPDATE personal_data_report SET claimed_ms = claimed_ms - ?', [REPORT_CLAIM_STALE_MS]);
    expect(await reportPersonalData({ now, chunkRows: CHUNK_ROWS })).toMatchObject({ status: 'done', reported: expected.length });
    hold.release();
    expect(await first).toEqual({ status: 'busy', reported: 0, closed: 0, erased: 0 });
    // Its report (which would have begun a day earlier) was never saved over the other's.
    expect(env.jira.accountReports().slice(from).flat()).toEqual(expected);
    await expectFinished(from, now);
  }, 60_000);

  it('two scheduled triggers at once report each account once', async () => {
    await reset();
    const from = env.jira.accountReports().length;
    await Promise.all([env.forge.runScheduledTrigger('dedupe-schedule'), env.forge.runScheduledTrigger('dedupe-schedule')]);
    const reported = env.jira.accountReports().slice(from).flat();
    expect(reported).toHaveLength(expected.length);
    expect(new Set(reported.map((a) => a.accountId)).size).toBe(expected.length);
    expect(await snapshot(env)).toEqual(erasedIn(before, closed));
  }, 120_000);

  it('a report under way when the app was upgraded (its place in KVS) goes on after the ids it reported, and the KVS value is deleted', async () => {
    await reset();
    const { kvs } = await import('@forge/kvs');
    const now = Date.now();
    const half = expected[99]!.accountId;
    await kvs.set('personal-data-report:v1', { lastCompletedMs: now - 8 * DAY, cycle: { startedMs: now, afterId: half }, closed: ['u-030'] });
    const from = env.jira.accountReports().length;
    const outcome = await reportPersonalData({ now, chunkRows: CHUNK_ROWS });
    expect(outcome).toMatchObject({ status: 'done', reported: expected.length - 100 });
    expect(env.jira.accountReports().slice(from).flat()).toEqual(expected.slice(100));
    // The closed id it held is erased; r-3 (closed too) was among the ids reported before, so not this time.
    expect(expected.findIndex((a) => a.accountId === 'r-3')).toBeLessThan(100);
    expect(await snapshot(env)).toEqual(erasedIn(before, ['u-030']));
    expect(await kvs.get('personal-data-report:v1')).toBeUndefined();
    expect(await readReportState()).toMatchObject({ lastCompletedMs: now, cycle: null, closed: [], legacyLeft: false });
  }, 60_000);
});
