/** The Jira client against the stand-in over real HTTP, through the real @forge/api. */
import { z } from 'zod';
import { LocalForge } from '../../sandbox/runtime';
import { JiraStandIn } from '../../sandbox/jira';
import { jira, route } from '../../src/jira/client';
import { JiraError } from '../../src/jira/errors';
import { readDuplicateLinks } from '../../src/jira/links';
import { browsableIssueIds, checkPermissions } from '../../src/jira/permissions';
import { backoffMs, parseRetryAfter, retryAfterWaitMs } from '../../src/jira/retry';
import { displayNames } from '../../src/jira/users';
import { pipelineHandlers } from '../analysis/helpers';

const myself = z.object({ accountId: z.string() });
const FAST = { backoff: { baseMs: 20, capMs: 100 } };

describe('retry timing', () => {
  it('backs off exponentially with jitter inside [ceiling/2, ceiling], capped', () => {
    expect(backoffMs(1, { baseMs: 100, random: () => 0 })).toBe(50);
    expect(backoffMs(1, { baseMs: 100, random: () => 0.999999 })).toBe(100);
    expect(backoffMs(3, { baseMs: 100, random: () => 0 })).toBe(200);
    expect(backoffMs(20, { baseMs: 100, capMs: 1000, random: () => 0.999999 })).toBe(1000);
  });
  it("waits Jira's Retry-After and up to 20 % more at random, never less, the extra cut to the budget", () => {
    expect(retryAfterWaitMs(10, { random: () => 0 })).toBe(10_000);
    expect(retryAfterWaitMs(10, { random: () => 0.5 })).toBe(11_000);
    expect(retryAfterWaitMs(10, { random: () => 0.999999 })).toBe(12_000);
    // Calls limited together come back spread over the window, not at one instant.
    const waits = [0.1, 0.4, 0.7].map((r) => retryAfterWaitMs(30, { random: () => r }));
    expect(new Set(waits).size).toBe(3);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(30_000);
    // A budget shorter than the extra cuts the extra, never Jira's wait.
    expect(retryAfterWaitMs(10, { random: () => 0.999999, ceilingMs: 10_500 })).toBe(10_500);
    expect(retryAfterWaitMs(10, { random: () => 0.999999, ceilingMs: 5_000 })).toBe(10_000);
    // A random source out of range stays within the window.
    expect(retryAfterWaitMs(10, { random: () => 7 })).toBe(12_000);
    expect(retryAfterWaitMs(10, { random: () => -1 })).toBe(10_000);
    expect(retryAfterWaitMs(0, { random: () => 0.5 })).toBe(0);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('jira client', () => {
  let standIn: JiraStandIn;
  let forge: LocalForge;
  beforeAll(async () => {
    standIn = await JiraStandIn.start();
    forge = await LocalForge.start({ handlers: pipelineHandlers, jiraUrl: standIn.url, persistQueue: false });
  });
  afterAll(async () => {
    await forge?.stop({ drop: true });
    await standIn?.close();
  });
  afterEach(() => standIn.faults.clear());

  it('parses a response with the given schema', async () => {
    const res = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { schema: myself });
    expect(res.status).toBe(200);
    expect(typeof res.data.accountId).toBe('string');
  });

  it('waits out a short Retry-After and succeeds', async () => {
    standIn.faults.rateLimit({ count: 1, retryAfterSeconds: 1, path: /myself/ });
    const t0 = Date.now();
    const res = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { schema: myself });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it("adds the injected jitter to Jira's Retry-After, within maxWaitSeconds", async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      standIn.faults.rateLimit({ count: 1, retryAfterSeconds: 1, path: /myself/ });
      const t0 = Date.now();
      expect((await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { backoff: { random: () => 0.5 } })).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1050);
      expect(warn.mock.calls.map((c) => String(c[0]))).toContain('jira: GET /rest/api/3/myself → 429; retry 1/4 in 1100 ms');
      // Jira's wait fits maxWaitSeconds exactly: it is waited, with no extra past it.
      standIn.faults.rateLimit({ count: 1, retryAfterSeconds: 1, path: /myself/ });
      expect((await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { maxWaitSeconds: 1, backoff: { random: () => 0.999999 } })).status).toBe(200);
      expect(String(warn.mock.calls.at(-1)?.[0])).toBe('jira: GET /rest/api/3/myself → 429; retry 1/4 in 1000 ms');
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps the jitter to half of what the deadline leaves after Jira\'s wait, so the request sent then has time to answer', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      standIn.faults.rateLimit({ count: 1, retryAfterSeconds: 1, path: /myself/ });
      // 1 s asked, about 1.2 s left: 20 % more would leave the request no time at all.
      const res = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { deadlineMs: 1_200, backoff: { random: () => 0.999999 } });
      expect(res.status).toBe(200);
      const wait = warn.mock.calls.map((c) => String(c[0])).find((m) => m.includes('→ 429; retry 1/'));
      const ms = Number(/in (\d+) ms/.exec(wait ?? '')?.[1]);
      expect(ms).toBeGreaterThanOrEqual(1_000);
      expect(ms).toBeLessThanOrEqual(1_100);
    } finally {
      warn.mockRestore();
    }
  });

  it('hands a long Retry-After back at once as RATE_LIMITED with the wait', async () => {
    standIn.faults.rateLimit({ count: 1, retryAfterSeconds: 120, path: /myself/ });
    const t0 = Date.now();
    const err = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { maxWaitSeconds: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JiraError);
    expect(err).toMatchObject({ name: 'JiraError', code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 120 });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('retries 5xx with back-off, then gives up after the bounded tries with a safe message', async () => {
    standIn.faults.serverErrors({ count: 2, status: 500, path: /myself/ });
    expect((await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, FAST)).status).toBe(200);
    standIn.faults.serverErrors({ count: 100, status: 502, path: /myself/ });
    const err = (await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { ...FAST, retries: 3 }).catch((e: unknown) => e)) as JiraError;
    expect(err).toMatchObject({ code: 'SERVER_ERROR', status: 502, attempts: 4 });
    expect(err.message).toBe('Jira answered GET /rest/api/3/myself with 502. Gave up after 4 tries.');
  });

  it('does not retry client errors and keeps Jira\'s messages', async () => {
    const err = (await jira({ as: 'app' }, 'POST', route`/rest/api/3/search/jql`, { body: { jql: 'project = ' } }).catch((e: unknown) => e)) as JiraError;
    expect(err).toMatchObject({ code: 'BAD_REQUEST', status: 400, attempts: 1 });
    expect(err.jiraMessages.length).toBeGreaterThan(0);
    const missing = (await jira({ as: 'app' }, 'GET', route`/rest/api/3/issue/${'NOPE-1'}`).catch((e: unknown) => e)) as JiraError;
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, attempts: 1 });
  });

  it('reports a response in an unexpected shape as BAD_RESPONSE', async () => {
    const err = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { schema: z.object({ nope: z.string() }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
  });

  it('respects the overall deadline', async () => {
    standIn.faults.serverErrors({ count: 100, status: 502, path: /myself/ });
    const t0 = Date.now();
    const err = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { deadlineMs: 700, retries: 50, backoff: { baseMs: 200, capMs: 400 } }).catch((e: unknown) => e);
    // It gives up with the last failure: a 503, or, when the last try's share of the
    // deadline ran out before Jira answered (a busy machine), a timeout.
    expect(err).toBeInstanceOf(JiraError);
    expect(['SERVER_ERROR', 'TIMEOUT']).toContain((err as JiraError).code);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('waits a 5xx\'s Retry-After as a 429\'s, and hands a longer one back at once with the wait', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      standIn.faults.serverErrors({ count: 1, status: 503, retryAfterSeconds: 1, path: /myself/ });
      expect((await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { ...FAST, backoff: { ...FAST.backoff, random: () => 0.5 } })).status).toBe(200);
      expect(warn.mock.calls.map((c) => String(c[0]))).toContain('jira: GET /rest/api/3/myself → 503; retry 1/4 in 1100 ms');
    } finally {
      warn.mockRestore();
    }
    // Longer than the caller sits out: thrown at once, Jira's wait kept for the queue's hand-back.
    standIn.faults.serverErrors({ count: 1, status: 502, retryAfterSeconds: 90, path: /myself/ });
    const t0 = Date.now();
    const err = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { ...FAST, maxWaitSeconds: 20 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'JiraError', code: 'SERVER_ERROR', status: 502, retryAfterSeconds: 90, attempts: 1 });
    expect(Date.now() - t0).toBeLessThan(2000);
    // Longer than the deadline leaves: the same.
    standIn.faults.serverErrors({ count: 1, status: 503, retryAfterSeconds: 30, path: /myself/ });
    const late = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { ...FAST, deadlineMs: 5_000 }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'SERVER_ERROR', status: 503, retryAfterSeconds: 30, attempts: 1 });
  });

  // A 5xx's Retry-After replaces the back-off, but `Retry-After: 0` (or an HTTP date already
  // past, which parseRetryAfter reads as 0) must not make every retry of a failing Jira
  // immediate: a 5xx with it backs off as one without the header does (here at least 200 + 400
  // + 400 + 400 ms over four retries, half of each ceiling). Fails on a client that takes the 0
  // as Jira's wait (five requests within milliseconds).
  it('still backs off on a 5xx whose Retry-After is 0', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      standIn.faults.serverErrors({ count: 100, status: 503, retryAfterSeconds: 0, path: /myself/ });
      const t0 = Date.now();
      const err = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { deadlineMs: 10_000, backoff: { baseMs: 400, capMs: 800 } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SERVER_ERROR', status: 503, attempts: 5 });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1_400);
    } finally {
      warn.mockRestore();
    }
  });

  it('ends by the caller\'s deadlineAt, shared by its calls, and sends nothing once it has passed', async () => {
    // Jira slow: the call's own 20 s budget would wait for it; the shared end does not.
    standIn.faults.latency(1_500, /myself/);
    const t0 = Date.now();
    const cut = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { deadlineAt: t0 + 400 }).catch((e: unknown) => e);
    expect(cut).toMatchObject({ code: 'TIMEOUT', status: null });
    expect((cut as JiraError).transient).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_200);
    // Once it has passed, no request is sent.
    const before = standIn.stats().total;
    const none = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { deadlineAt: Date.now() - 1 }).catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'TIMEOUT', status: null, attempts: 0 });
    expect(standIn.stats().total).toBe(before);
    // Let the request cut off above end before the stand-in closes.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  });

  // Failed before: these took no deadlineAt, so each of suggestions.get's calls had a budget
  // of its own (20 s apiece for the permission checks and the names), past the resolver's time.
  it('passes deadlineAt on from the reads the issue panel makes: none is sent once it has passed', async () => {
    const before = standIn.stats().total;
    const past = Date.now() - 1;
    const reads: Array<[string, Promise<unknown>]> = [
      ['checkPermissions', checkPermissions({ questions: [{ permission: 'BROWSE_PROJECTS', issueIds: ['10001'] }], deadlineAt: past })],
      ['browsableIssueIds', browsableIssueIds(['10001'], 'member-1', { deadlineAt: past })],
      ['displayNames', displayNames(['member-1'], { deadlineAt: past })],
      ['readDuplicateLinks', readDuplicateLinks(['10001'], { deadlineAt: past })],
    ];
    for (const [what, read] of reads) {
      const err = await read.then(() => null, (e: unknown) => e);
      expect([what, err]).toEqual([what, expect.objectContaining({ name: 'JiraError', code: 'TIMEOUT', attempts: 0 })]);
    }
    expect(standIn.stats().total).toBe(before);
  });
});
