import { JiraStandIn } from '../../sandbox/jira';
import { arr, call, matching, obj, SMALL_SEED } from './helpers';

describe('POST /rest/api/3/search/jql', () => {
  let jira: JiraStandIn;
  beforeAll(async () => {
    jira = await JiraStandIn.start({ seed: SMALL_SEED, clock: () => Date.parse('2024-06-20T00:00:00Z') });
  });
  afterAll(() => jira.close());

  const search = (body: unknown, who = 'app') => call(jira.url, 'POST', '/rest/api/3/search/jql', who, body);

  it('pages with nextPageToken, has no total, and ends with isLast and no token', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const r = await search({ jql: 'project in (SHOP, MOB, OPS) ORDER BY created ASC', maxResults: 3, ...(token ? { nextPageToken: token } : {}) });
      expect(r.status).toBe(200);
      expect(r.json).not.toHaveProperty('total');
      pages++;
      seen.push(...arr(r.json.issues).map((i) => String(obj(i).id)));
      if (r.json.isLast === true) {
        expect(r.json).not.toHaveProperty('nextPageToken');
        break;
      }
      token = String(r.json.nextPageToken);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('returns only ids unless fields are asked for, and then only those fields', async () => {
    const idsOnly = await search({ jql: 'project = SHOP' });
    expect(arr(idsOnly.json.issues).every((i) => Object.keys(obj(i)).join() === 'id')).toBe(true);

    const keyOnly = await search({ jql: 'project = SHOP', fields: ['key'] });
    expect(obj(arr(keyOnly.json.issues)[0])).toMatchObject({ key: 'SHOP-3', fields: {} });

    const some = await search({ jql: 'project = SHOP', fields: ['summary', 'status'] });
    for (const i of arr(some.json.issues)) {
      expect(Object.keys(obj(obj(i).fields)).sort()).toEqual(['status', 'summary']);
      expect(obj(i).key).toMatch(/^SHOP-\d+$/);
    }
  });

  it('orders by the ORDER BY clause and defaults to newest key first', async () => {
    const byCreated = await search({ jql: 'project = SHOP ORDER BY created DESC', fields: ['created'] });
    const created = arr(byCreated.json.issues).map((i) => String(obj(obj(i).fields).created));
    expect(created).toEqual([...created].sort().reverse());
    expect(created[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const byDefault = await search({ jql: 'project = SHOP', fields: ['summary'] });
    expect(arr(byDefault.json.issues).map((i) => obj(i).key)).toEqual(['SHOP-3', 'SHOP-2', 'SHOP-1']);
  });

  it('filters with the supported JQL subset', async () => {
    const keys = async (jql: string): Promise<string[]> => {
      const r = await search({ jql, fields: ['summary'], maxResults: 100 });
      expect(r.status).toBe(200);
      return arr(r.json.issues).map((i) => String(obj(i).key)).sort();
    };
    expect(await keys('project = SHOP AND statusCategory != Done')).toEqual(['SHOP-1', 'SHOP-2']);
    expect(await keys('issuetype in (Bug, Task) AND project in (MOB, OPS)')).toEqual(['MOB-1', 'OPS-1', 'OPS-2']);
    expect(await keys('created >= "2024-05-01" AND project in (SHOP, MOB, OPS)')).toEqual(['MOB-2', 'OPS-2']);
    expect(await keys('created > -20d AND project in (SHOP, MOB, OPS)')).toEqual(['OPS-2']);
    expect(await keys('updated >= "2024/03/31 00:00" AND project = SHOP')).toEqual(['SHOP-3']);
    expect(await keys('key in (SHOP-1, MOB-2)')).toEqual(['MOB-2', 'SHOP-1']);
    expect(await keys('project = SHOP AND NOT (statusCategory = "To Do" OR statusCategory = Done)')).toEqual(['SHOP-2']);
    expect(await keys('project = "Web Shop" AND labels = pricing')).toEqual(['SHOP-1']);
    expect(await keys('project = SHOP AND summary ~ "cart cent"')).toEqual(['SHOP-1']);
  });

  it('refuses unbounded JQL like the new endpoint does', async () => {
    const r = await search({ jql: 'ORDER BY created DESC' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ errorMessages: [matching(/Unbounded JQL/)], errors: {} });
  });

  it('answers 400 with Jira-like messages for unknown fields, functions and bad syntax', async () => {
    const field = await search({ jql: 'project = SHOP AND colour = red' });
    expect(field.status).toBe(400);
    expect(field.json.errorMessages).toEqual(["Field 'colour' does not exist or you do not have permission to view it."]);
    const fn = await search({ jql: 'project = SHOP AND created > lastLogin()' });
    expect(fn.json.errorMessages).toEqual(["Unable to find JQL function 'lastLogin()'."]);
    const syntax = await search({ jql: 'project = SHOP AND (' });
    expect(syntax.status).toBe(400);
    expect(syntax.json.errorMessages?.[0]).toMatch(/^Error in the JQL Query: /);
  });

  it('rejects a page token from another query', async () => {
    const first = await search({ jql: 'project = SHOP', maxResults: 1 });
    const r = await search({ jql: 'project = MOB', nextPageToken: first.json.nextPageToken });
    expect(r.status).toBe(400);
  });

  it('caps maxResults: 100 with fields, 5000 for ids only', async () => {
    const big = await JiraStandIn.start({
      seed: {
        projects: [{ id: '10000', key: 'BIG', name: 'Big' }],
        issues: Array.from({ length: 250 }, (_, n) => ({ projectKey: 'BIG', summary: `Issue ${n}`, type: 'Task', status: 'To Do', statusCategory: 'new' as const, created: '2024-01-01T00:00:00Z' })),
      },
    });
    try {
      const withFields = await call(big.url, 'POST', '/rest/api/3/search/jql', 'app', { jql: 'project = BIG', fields: ['summary'], maxResults: 1000 });
      expect(arr(withFields.json.issues)).toHaveLength(100);
      const ids = await call(big.url, 'POST', '/rest/api/3/search/jql', 'app', { jql: 'project = BIG', maxResults: 1000 });
      expect(arr(ids.json.issues)).toHaveLength(250);
      expect(ids.json.isLast).toBe(true);
    } finally {
      await big.close();
    }
  });

  it('only finds what the principal may browse', async () => {
    const restricted = await search({ jql: 'project in (SHOP, MOB) OR created > "2000-01-01"', fields: ['project'], maxResults: 100 }, 'user:restricted-1');
    const projects = new Set(arr(restricted.json.issues).map((i) => obj(obj(obj(i).fields).project).key));
    expect(projects).toEqual(new Set(['SHOP', 'MOB']));
    // Naming a hidden project is an error, as in Jira, not an empty result.
    const named = await search({ jql: 'project = OPS' }, 'user:restricted-1');
    expect(named.status).toBe(400);
    expect(named.json.errorMessages).toEqual(["The value 'OPS' does not exist for the field 'project'."]);
    const anonymous = await search({ jql: 'created > "2000-01-01"' }, 'none');
    expect(arr(anonymous.json.issues)).toHaveLength(0);
  });

  it('counts with approximate-count', async () => {
    const r = await call(jira.url, 'POST', '/rest/api/3/search/approximate-count', 'user:restricted-1', { jql: 'created > "2000-01-01"' });
    expect(r.json).toEqual({ count: 5 });
  });

  it('answers 410 Gone on the retired /search endpoint, GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await call(jira.url, method, '/rest/api/3/search', 'app', method === 'POST' ? { jql: 'project = SHOP' } : undefined);
      expect(r.status).toBe(410);
      expect(r.json.errorMessages?.[0]).toMatch(/\/rest\/api\/3\/search\/jql/);
    }
  });
});
