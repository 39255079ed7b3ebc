import { JiraStandIn } from '../../sandbox/jira';
import { call, SMALL_SEED } from './helpers';

describe('fault injection, stats and unknown endpoints', () => {
  let jira: JiraStandIn;
  beforeEach(async () => {
    jira = await JiraStandIn.start({ seed: SMALL_SEED });
  });
  afterEach(() => jira.close());

  const searchShop = () => call(jira.url, 'POST', '/rest/api/3/search/jql', 'app', { jql: 'project = SHOP' });

  it('answers the next N matching requests with 429 and Jira\u2019s rate-limit headers', async () => {
    jira.faults.rateLimit({ count: 2, retryAfterSeconds: 7, path: /search\/jql/ });
    // A request on another path is not affected and does not use up the rule.
    expect((await call(jira.url, 'GET', '/rest/api/3/myself', 'app')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await searchShop();
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.headers.get('ratelimit-reason')).toBe('jira-burst-based');
      expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(r.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    }
    expect((await searchShop()).status).toBe(200);
  });

  it('answers 429 to everything during a window', async () => {
    // A window long enough for both requests on a busy machine (300 ms was not always).
    jira.faults.rateLimit({ forMs: 1500, retryAfterSeconds: 1 });
    expect((await searchShop()).status).toBe(429);
    expect((await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'app')).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1550));
    expect((await searchShop()).status).toBe(200);
  });

  it('answers the next N requests with a 5xx', async () => {
    jira.faults.serverErrors({ count: 1, status: 502 });
    const r = await searchShop();
    expect(r.status).toBe(502);
    expect(r.json.errorMessages).toHaveLength(1);
    expect((await searchShop()).status).toBe(200);
  });

  it('adds latency per path', async () => {
    jira.faults.latency(150, /search/);
    const t0 = Date.now();
    await searchShop();
    const slow = Date.now() - t0;
    const t1 = Date.now();
    await call(jira.url, 'GET', '/rest/api/3/myself', 'app');
    const fast = Date.now() - t1;
    expect(slow).toBeGreaterThanOrEqual(140);
    expect(fast).toBeLessThan(slow);
    jira.faults.clear();
  });

  it('lets the requests a latency holds go on when it is lifted, and delays none after', async () => {
    jira.faults.latency(60_000, /search/);
    const t0 = Date.now();
    const held = searchShop();
    // Lifted once the request is being held (it is counted as it arrives, before its delay).
    while (jira.stats().count('POST', '/rest/api/3/search/jql') === 0) await new Promise((r) => setTimeout(r, 10));
    let answered = false;
    void held.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    jira.faults.liftLatency();
    expect((await held).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect((await searchShop()).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('counts requests per endpoint, injected failures included', async () => {
    jira.faults.rateLimit({ count: 1, retryAfterSeconds: 1 });
    await searchShop();
    await searchShop();
    await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'app');
    await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-2', 'app');
    const stats = jira.stats();
    expect(stats.count('POST', '/rest/api/3/search/jql')).toBe(2);
    expect(stats.count('GET', '/rest/api/3/issue/{issue}')).toBe(2);
    expect(stats.total).toBe(4);
  });

  it('can be driven over HTTP under /__sandbox/', async () => {
    const set = await call(jira.url, 'POST', '/__sandbox/faults/rate-limit', null, { count: 1, retryAfterSeconds: 3, path: 'issue/' });
    expect(set.status).toBe(204);
    expect((await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'app')).status).toBe(429);
    expect((await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'app')).status).toBe(200);
    const stats = await call(jira.url, 'GET', '/__sandbox/stats', null);
    expect(stats.json).toMatchObject({ total: 2, byEndpoint: { 'GET /rest/api/3/issue/{issue}': 2 } });
  });

  it('answers unknown endpoints with a loud 404 and logs it', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const r = await call(jira.url, 'GET', '/rest/api/3/field', 'app');
      expect(r.status).toBe(404);
      expect(r.json.errorMessages?.[0]).toBe('Jira stand-in: no handler for GET /rest/api/3/field — add it to sandbox/jira if the app needs it');
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('no handler for GET /rest/api/3/field'));
    } finally {
      errors.mockRestore();
    }
  });
});
