/**
 * The resolvers over a real analysis: settings saved through the admin page, a full run
 * started from the admin page and carried out by the pipeline on the queue, then the issue
 * view and the project page reading what it found. Also: Jira rate limits and failures
 * reach the UI as typed errors, and logs never carry issue text.
 */
import { JiraStandIn } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import * as handlers from '../../src/index';
import type { ApiMethod, Payload, Result, ResultOf } from '../../src/shared/contract';
import { migrate } from '../../src/store/migrations';
import { ADMIN_EXTENSION, ISSUES, SEED, TEST_SETTINGS, issue, issueExtension, ok, projectExtension, type User } from './helpers';

let jira: JiraStandIn;
let forge: LocalForge;
const logged: string[] = [];

async function call<M extends ApiMethod>(fn: string, method: M, payload: Payload<M>, user: User, extension?: Record<string, unknown>): Promise<Result<ResultOf<M>>> {
  return (await forge.callResolver(fn, method, payload, { accountId: user, ...(extension ? { extension } : {}) })) as Result<ResultOf<M>>;
}

beforeAll(async () => {
  for (const level of ['log', 'warn', 'error', 'info'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
  jira = await JiraStandIn.start({ seed: SEED });
  forge = await LocalForge.start({ handlers, jiraUrl: jira.url, persistQueue: false, timeScale: 1000 });
  await migrate();
  ok(await call('admin-page-resolver', 'settings.save', { settings: TEST_SETTINGS }, 'admin-1', ADMIN_EXTENSION));
  const started = ok(await call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION));
  expect(started.joined).toBe(false);
  await forge.queue.settle(120_000);
}, 180_000);

afterAll(async () => {
  await forge?.stop({ drop: true });
  await jira?.close();
  jest.restoreAllMocks();
});

it('the admin run finishes and its results reach the issue view', async () => {
  const status = ok(await call('admin-page-resolver', 'run.status', {}, 'admin-1', ADMIN_EXTENSION));
  expect(status.current).toBeNull();
  expect(status.last?.status).toBe('done');
  const view = ok(await call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-2').id }, 'member-1', issueExtension('MOB-2')));
  expect(view.indexed).toBe(true);
  const keys = [...view.duplicates, ...view.related].map((s) => s.issue.key);
  expect(keys).toContain('MOB-1');
  const mob1 = [...view.duplicates, ...view.related].find((s) => s.issue.key === 'MOB-1');
  expect(mob1?.sharedTerms.length).toBeGreaterThan(0);
  expect(mob1?.summarySegments.some((s) => s.match)).toBe(true);
});

it('the project page lists what the run found, and restricted-1 still sees no OPS issue', async () => {
  const member = ok(await call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', projectExtension('SHOP')));
  expect(member.total).toBeGreaterThan(0);
  const restricted = ok(await call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 100 }, 'restricted-1', projectExtension('SHOP')));
  expect(JSON.stringify(restricted)).not.toMatch(/OPS-/);
  expect(restricted.total).toBe(restricted.items.length);
});

it('a dismissal survives a full re-run of the analysis', async () => {
  const before = ok(await call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-2').id }, 'member-1', issueExtension('MOB-2')));
  const target = [...before.duplicates, ...before.related].find((s) => s.issue.key === 'MOB-1');
  expect(target).toBeDefined();
  ok(await call('issue-view-resolver', 'pairs.decide', { pairId: target?.pairId ?? '', decision: 'dismiss' }, 'member-1', issueExtension('MOB-2')));
  const rerun = ok(await call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION));
  await forge.queue.settle(120_000);
  const status = ok(await call('admin-page-resolver', 'run.status', {}, 'admin-1', ADMIN_EXTENSION));
  expect(status.last?.runId).toBe(rerun.run.runId);
  expect(status.last?.status).toBe('done');
  const after = ok(await call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-2').id }, 'member-1', issueExtension('MOB-2')));
  expect(after.dismissed.map((s) => s.issue.key)).toEqual(['MOB-1']);
  expect([...after.duplicates, ...after.related].map((s) => s.issue.key)).not.toContain('MOB-1');
}, 180_000);

it('a Jira rate limit that outlasts the call answers RATE_LIMITED with a wait', async () => {
  jira.faults.rateLimit({ count: 10, retryAfterSeconds: 120, path: /permissions\/check/ });
  const res = await call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-2').id }, 'member-1');
  jira.faults.clear();
  expect(res.success).toBe(false);
  if (!res.success) {
    expect(res.error.code).toBe('RATE_LIMITED');
    expect(res.error.message).toMatch(/120 s/);
    // The wait as data too, for the pages that ask again by themselves.
    expect(res.error.retryAfterMs).toBe(120_000);
  }
});

it('a Jira outage answers JIRA_ERROR, never a thrown error', async () => {
  jira.faults.serverErrors({ count: 50, status: 503, path: /issueLinkType/ });
  const pairs = ok(await call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', projectExtension('SHOP')));
  const pairId = pairs.items[0]?.id ?? '';
  const res = await call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', projectExtension('SHOP'));
  jira.faults.clear();
  expect(res.success ? null : res.error.code).toBe('JIRA_ERROR');
  const after = ok(await call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', projectExtension('SHOP')));
  expect(after.items.map((p) => p.id)).toContain(pairId);
}, 60_000);

it('a Forge SQL timeout says the database is busy', async () => {
  forge.sql.faults.failNext(1, { match: /FROM pairs p/ });
  const res = await call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', projectExtension('SHOP'));
  expect(res.success ? null : res.error).toEqual({ code: 'INTERNAL', message: "The app's database is busy right now. Try again in a minute." });
});

it('no log line carries issue text', () => {
  expect(logged.length).toBeGreaterThan(0);
  const texts = ISSUES.flatMap((i) => [i.summary, i.description]);
  const leaks = logged.filter((line) => texts.some((t) => line.includes(t)));
  expect(leaks).toEqual([]);
});
