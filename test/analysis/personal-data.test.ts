/**
 * Atlassian's personal data report, through the seam to the Jira stand-in's
 * /app/report-accounts, against MariaDB: every stored account id is reported once a week, 90 a
 * request, with the latest time it was stored; accounts reported closed are erased in every
 * column; the work is bounded and goes on where it stopped; a failed request loses nothing and
 * erases nothing.
 */
import { reportPersonalData } from '../../src/analysis/personal-data';
import { FORMER_USER } from '../../src/shared/wording';
import { getReportState, storedAccountsAfter } from '../../src/store/personal-data';
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
    expect((await getReportState()).cycle).toBeNull();

    // Within the week: nothing is sent again, however often the trigger fires.
    await env.forge.runScheduledTrigger('dedupe-schedule');
    expect(await reportPersonalData({ now: t0 + 6 * DAY })).toMatchObject({ status: 'not-due', reported: 0 });
    expect(env.jira.accountReports()).toHaveLength(3);
  }, 60_000);

  it('pages through the columns by id: a column that fills its page ends the page, and ids of the others after it wait for the next', async () => {
    const pages: string[][] = [];
    const all: Array<{ accountId: string; updatedMs: number }> = [];
    for (let after = '', more = true; more; ) {
      const page = await storedAccountsAfter(after, 7);
      pages.push(page.accounts.map((a) => a.accountId));
      all.push(...page.accounts);
      more = page.more;
      after = page.accounts.at(-1)?.accountId ?? after;
    }
    expect(pages[0]).toEqual(ids.slice(0, 7));
    // acct-007 (its latest row a pair, read with the first page) comes with the second.
    expect(pages[1]?.[0]).toBe('acct-007');
    expect(all.map((a) => a.accountId)).toEqual([...ids, 'zz-only-runs']);
    expect(all.find((a) => a.accountId === 'acct-005')?.updatedMs).toBe(T + 90_000);
    expect(all.find((a) => a.accountId === 'acct-007')?.updatedMs).toBe(T + 60_000);
  });

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
    expect((await getReportState()).cycle).toEqual({ startedMs: now, afterId: reportedIds(from).at(-1) });
    expect(await reportPersonalData({ now: now + DAY, maxRequests: 1 })).toMatchObject({ status: 'partial', reported: 90 });
    expect(await reportPersonalData({ now: now + 2 * DAY })).toMatchObject({ status: 'done', reported: 19 });
    const sent = reportedIds(from);
    expect(sent).toHaveLength(199);
    expect(new Set(sent).size).toBe(199);
    // The week counts from when the report began, not when it finished.
    expect((await getReportState()).lastCompletedMs).toBe(now);
  }, 60_000);

  it('loses nothing and erases nothing when a request is refused (429, 5xx): the same accounts go again next time', async () => {
    env.jira.closeAccount('acct-199');
    const before = await snapshot(env);
    const now = t0 + 28 * DAY;
    const from = env.jira.accountReports().length;
    env.jira.faults.rateLimit({ count: 1, retryAfterSeconds: 30, path: /report-accounts/ });
    expect(await reportPersonalData({ now })).toMatchObject({ status: 'failed', reported: 0, closed: 0 });
    expect(await getReportState()).toMatchObject({ cycle: { startedMs: now, afterId: '' }, closed: [] });
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
    expect((await getReportState()).closed).toEqual(['acct-042']);
    expect(await snapshot(env)).toContain('action a-acct-042 acct-042');
    expect(await reportPersonalData({ now })).toMatchObject({ erased: 1 });
    expect(await snapshot(env)).toContain('action a-acct-042 (former user)');
    expect((await getReportState()).closed).toEqual([]);
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
