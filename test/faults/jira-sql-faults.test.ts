/**
 * Jira and Forge SQL misbehaving during an analysis, beyond what test/analysis/faults.test.ts
 * covers (429 bursts, lost deliveries, a consumer dying mid-batch, duplicate deliveries,
 * timeouts on big reads, 503 on every try):
 * - Jira answering 429 to everything for a whole minute (stand-in window mode on a clock
 *   that runs as fast as the runtime's queue clock);
 * - bursts of 500/502/503 on the search and count endpoints;
 * - one search stuck beyond the client's 15 s timeout;
 * - QUERY_TIMED_OUT on pair and document writes, a few times (recovers) and always (fails
 *   with a sentence naming the database and what to do);
 * - two analyses of the same scope started at once through the resolvers.
 * Every run that finishes must store exactly the pairs of a clean run.
 */
import { JiraStandIn } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import { sampleBacklog } from '../../sandbox/seed';
import * as handlers from '../../src/index';
import type { Result, RunView } from '../../src/shared/contract';

/** Simulated ms per real ms, for the queue and for the stand-in's fault windows alike. */
const SCALE = 100;
const ADMIN_CALL = { accountId: 'admin-1', extension: { type: 'jira:adminPage' } };
const PROJECTS = ['MOB', 'OPS', 'SHOP'];

let jira: JiraStandIn;
let forge: LocalForge;
let clean: string[];

function ok<T>(result: unknown): T {
  const r = result as Result<T>;
  if (!r.success) throw new Error(`resolver failed: ${r.error.code} ${r.error.message}`);
  return r.data;
}

async function fingerprint(): Promise<string[]> {
  const rows = (await forge.sql.query('SELECT id, tier, score FROM pairs WHERE active = 1 ORDER BY id')) as Array<{ id: string; tier: string; score: number }>;
  return rows.map((r) => `${r.id}|${r.tier}|${Number(r.score).toFixed(6)}`);
}

async function startFull(): Promise<string> {
  return ok<{ run: RunView }>(await forge.callResolver('admin-page-resolver', 'run.start', { mode: 'full' }, ADMIN_CALL)).run.runId;
}

async function finished(runId: string): Promise<RunView> {
  await forge.queue.settle(300_000);
  const [row] = (await forge.sql.query('SELECT status, error FROM runs WHERE id = ?', [runId])) as Array<{ status: string; error: string | null }>;
  const status = ok<{ last: RunView | null; current: RunView | null }>(await forge.callResolver('admin-page-resolver', 'run.status', {}, ADMIN_CALL));
  expect(status.current).toBeNull();
  expect(status.last?.runId).toBe(runId);
  expect(status.last?.status).toBe(row?.status);
  return status.last as RunView;
}

beforeAll(async () => {
  const t0 = Date.now();
  jira = await JiraStandIn.start({ seed: sampleBacklog(), clock: () => t0 + (Date.now() - t0) * SCALE });
  forge = await LocalForge.start({ handlers, jiraUrl: jira.url, persistQueue: false, timeScale: SCALE, queueConcurrency: 2, appAccountId: jira.appAccountId });
  await forge.runLifecycle('installed');
  const got = ok<{ settings: Record<string, unknown> }>(await forge.callResolver('admin-page-resolver', 'settings.get', {}, ADMIN_CALL));
  ok(await forge.callResolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, projects: PROJECTS, crossProject: true } }, ADMIN_CALL));
  const run = await finished(await startFull());
  expect(run.status).toBe('done');
  clean = await fingerprint();
  expect(clean.length).toBeGreaterThan(25);
}, 300_000);

afterAll(async () => {
  await forge?.stop({ drop: true });
  await jira?.close();
});

afterEach(() => {
  jira.faults.clear();
  forge.sql.faults.clear();
});

it('Jira answering 429 to everything for a whole minute: the run waits it out and ends with the clean pairs', async () => {
  const retriedBefore = forge.queue.stats().retried;
  const runId = await startFull();
  // Starting needs Jira (the admin check), so the window opens right after: the run's own
  // count, search and permission calls all meet it. Retry-After 30 s is longer than a
  // consumer waits in-process, so the waits go back to the queue as delayed retries.
  jira.faults.rateLimit({ forMs: 60_000, retryAfterSeconds: 30 });
  const run = await finished(runId);
  expect(run.status).toBe('done');
  expect(forge.queue.stats().retried - retriedBefore).toBeGreaterThan(0);
  expect(await fingerprint()).toEqual(clean);
}, 300_000);

it('bursts of 500/502/503 on search and count: retried with back-off, same pairs', async () => {
  const runId = await startFull();
  // At most four failures in a row for any one call: the client makes five attempts, and a
  // fifth failure is meant to fail the run (covered in test/analysis/faults.test.ts).
  jira.faults.serverErrors({ count: 2, status: 502, path: /search\/jql/ });
  jira.faults.serverErrors({ count: 2, status: 500, path: /approximate-count/ });
  jira.faults.serverErrors({ count: 1, status: 503 });
  const run = await finished(runId);
  expect({ status: run.status, error: run.error }).toEqual({ status: 'done', error: null });
  expect(await fingerprint()).toEqual(clean);
}, 300_000);

it('a search stuck past the client\'s 15 s timeout is abandoned and retried: same pairs', async () => {
  const before = jira.stats().count('POST', '/rest/api/3/search/jql');
  jira.faults.latency(16_000, /search\/jql/);
  const runId = await startFull();
  // Only the first search request(s) to arrive meet the latency; then it is lifted.
  const deadline = Date.now() + 60_000;
  while (jira.stats().count('POST', '/rest/api/3/search/jql') === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  jira.faults.clear();
  const run = await finished(runId);
  expect(run.status).toBe('done');
  expect(await fingerprint()).toEqual(clean);
}, 300_000);

it('QUERY_TIMED_OUT on a few pair and document writes: the failed steps are redone, same pairs', async () => {
  forge.sql.faults.failNext(2, { match: /INSERT INTO pairs/ });
  forge.sql.faults.failNext(1, { match: /INSERT INTO docs/ });
  const run = await finished(await startFull());
  expect(run.status).toBe('done');
  expect(await fingerprint()).toEqual(clean);
}, 300_000);

it('QUERY_TIMED_OUT on every document write: the run fails with a sentence saying what happened and what to do', async () => {
  forge.sql.faults.failNext(10_000, { match: /INSERT INTO docs/ });
  try {
    const run = await finished(await startFull());
    expect(run.status).toBe('failed');
    expect(run.error).toBe("The app's database kept timing out while fetching issues for the projects in scope. Start the analysis again later.");
  } finally {
    forge.sql.faults.clear();
  }
  // Nothing half-done sticks: the next run is clean.
  const again = await finished(await startFull());
  expect(again.status).toBe('done');
  expect(await fingerprint()).toEqual(clean);
}, 300_000);

it('two analyses of the same scope started at once through the resolvers end as one run; a project page start joins it', async () => {
  const before = (await forge.sql.query('SELECT COUNT(*) AS n FROM runs')) as Array<{ n: number }>;
  const [a, b] = await Promise.all([
    forge.callResolver('admin-page-resolver', 'run.start', { mode: 'full' }, ADMIN_CALL),
    forge.callResolver('admin-page-resolver', 'run.start', { mode: 'incremental' }, { accountId: 'admin-1', extension: { type: 'jira:adminPage' } }),
  ]);
  const first = ok<{ run: RunView; joined: boolean }>(a);
  const second = ok<{ run: RunView; joined: boolean }>(b);
  expect(second.run.runId).toBe(first.run.runId);
  expect([first.joined, second.joined].sort()).toEqual([false, true]);
  // A project page start while it runs joins the all-projects run that covers it.
  const project = ok<{ run: RunView; joined: boolean }>(
    await forge.callResolver('project-page-resolver', 'run.start', { mode: 'full' }, { accountId: 'member-1', extension: { type: 'jira:projectPage', project: { id: '10000', key: 'SHOP', type: 'software' } } }),
  );
  if (project.run.runId === first.run.runId) expect(project.joined).toBe(true);
  const run = await finished(first.run.runId === project.run.runId ? first.run.runId : project.run.runId);
  expect(run.status).toBe('done');
  const after = (await forge.sql.query('SELECT COUNT(*) AS n FROM runs')) as Array<{ n: number }>;
  expect(Number(after[0]?.n) - Number(before[0]?.n)).toBe(project.run.runId === first.run.runId ? 1 : 2);
  expect(await fingerprint()).toEqual(clean);
}, 300_000);
