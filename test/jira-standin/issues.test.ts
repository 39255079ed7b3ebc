import { JiraStandIn } from '../../sandbox/jira';
import { anyString, arr, call, containing, matching, obj, SMALL_SEED } from './helpers';

describe('issues, comments and product events', () => {
  let jira: JiraStandIn;
  beforeEach(async () => {
    jira = await JiraStandIn.start({ seed: SMALL_SEED });
  });
  afterEach(() => jira.close());

  it('GET /issue answers Jira shapes, with wiki text converted to ADF', async () => {
    const r = await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'user:member-1');
    expect(r.status).toBe(200);
    const f = obj(r.json.fields);
    expect(f.summary).toBe('Cart total off by one cent');
    expect(obj(f.issuetype)).toMatchObject({ id: '10001', name: 'Bug' });
    expect(obj(f.status)).toMatchObject({ name: 'To Do', statusCategory: { id: 2, key: 'new', name: 'To Do' } });
    expect(obj(f.project)).toMatchObject({ id: '10000', key: 'SHOP', name: 'Web Shop' });
    expect(f.labels).toEqual(['pricing']);
    expect(arr(f.components).map((c) => obj(c).name)).toEqual(['Cart']);
    expect(f.created).toBe('2024-01-05T10:00:00.000+0000');
    expect(obj(f.priority).name).toBe('High');
    expect(obj(f.reporter)).toMatchObject({ accountId: 'member-1', displayName: 'Morgan Member' });
    expect(f.issuelinks).toEqual([]);
    expect(f.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Two discounted items.' }, { type: 'hardBreak' }, { type: 'text', text: 'Rounded twice.' }] },
        { type: 'codeBlock', attrs: { language: 'java' }, content: [{ type: 'text', text: 'round(round(x));' }] },
      ],
    });
  });

  it('returns only the fields asked for, and null for an empty description', async () => {
    const r = await call(jira.url, 'GET', '/rest/api/3/issue/MOB-1?fields=summary,description', 'app');
    expect(Object.keys(obj(r.json.fields)).sort()).toEqual(['description', 'summary']);
    expect(obj(r.json.fields).description).toBeNull();
  });

  it('answers the same 404 for a missing issue and for one the caller cannot browse', async () => {
    const missing = await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-999', 'user:member-1');
    const hidden = await call(jira.url, 'GET', '/rest/api/3/issue/OPS-1', 'user:restricted-1');
    for (const r of [missing, hidden]) {
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    }
    expect((await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'none')).status).toBe(404);
  });

  it('answers 401 for an unknown user', async () => {
    const r = await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1', 'user:nobody');
    expect(r.status).toBe(401);
  });

  it('emits created, updated and deleted events with Forge payload shapes', async () => {
    const events: Array<[string, Record<string, unknown>]> = [];
    jira.onEvent((type, payload) => {
      events.push([type, obj(payload)]);
    });
    const description = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Details' }] }] };
    const created = await call(jira.url, 'POST', '/rest/api/3/issue', 'user:member-1', {
      fields: { project: { key: 'SHOP' }, summary: 'Wishlist heart does not update', issuetype: { name: 'Bug' }, description, labels: ['wishlist'] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: anyString(), key: 'SHOP-4', self: containing('/rest/api/3/issue/') });

    const put = await call(jira.url, 'PUT', '/rest/api/3/issue/SHOP-4', 'app', { fields: { summary: 'Wishlist heart icon does not update' } });
    expect(put.status).toBe(204);
    const del = await call(jira.url, 'DELETE', '/rest/api/3/issue/SHOP-4', 'user:admin-1');
    expect(del.status).toBe(204);
    await jira.flushEvents();

    expect(events.map(([t]) => t)).toEqual(['avi:jira:created:issue', 'avi:jira:updated:issue', 'avi:jira:deleted:issue']);
    const [createdEvent, updatedEvent, deletedEvent] = events.map(([, p]) => p);
    expect(createdEvent).toMatchObject({ eventType: 'avi:jira:created:issue', atlassianId: 'member-1', issue: { key: 'SHOP-4' } });
    const createdFields = obj(obj(createdEvent?.issue).fields);
    expect(createdFields).not.toHaveProperty('description');
    expect(createdFields).toMatchObject({ summary: 'Wishlist heart does not update', issuetype: { name: 'Bug' }, project: { key: 'SHOP' }, status: { name: 'To Do' } });

    expect(updatedEvent?.atlassianId).toBe('app-account-id');
    expect(obj(updatedEvent?.changelog).items).toEqual([
      { field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: 'Wishlist heart does not update', to: null, toString: 'Wishlist heart icon does not update' },
    ]);
    expect(deletedEvent).toMatchObject({ eventType: 'avi:jira:deleted:issue', atlassianId: 'admin-1', issue: { key: 'SHOP-4', fields: { summary: 'Wishlist heart icon does not update' } } });
    expect((await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-4', 'app')).status).toBe(404);
  });

  it('emits the same events for programmatic writes', async () => {
    const types: string[] = [];
    jira.onEvent((type) => {
      types.push(type);
    });
    const issue = jira.createIssue({ projectKey: 'MOB', summary: 'Push arrives twice', type: 'Bug', description: 'Seen on iOS 17.' }, { accountId: 'member-1' });
    jira.updateIssue(issue.key, { status: 'Done' });
    jira.deleteIssue(issue.key);
    await jira.flushEvents();
    expect(types).toEqual(['avi:jira:created:issue', 'avi:jira:updated:issue', 'avi:jira:deleted:issue']);
  });

  it('refuses a plain-string description on create, as REST v3 does', async () => {
    const r = await call(jira.url, 'POST', '/rest/api/3/issue', 'app', { fields: { project: { key: 'SHOP' }, summary: 'x', issuetype: { name: 'Bug' }, description: 'plain' } });
    expect(r.status).toBe(400);
    expect(obj(r.json.errors)).toHaveProperty(['fields.description']);
  });

  it('keeps comments in Jira\u2019s comment shape', async () => {
    const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Possible duplicate of SHOP-2' }] }] };
    const posted = await call(jira.url, 'POST', '/rest/api/3/issue/SHOP-1/comment', 'app', { body });
    expect(posted.status).toBe(201);
    expect(posted.json).toMatchObject({ id: anyString(), body, author: { accountId: 'app-account-id', accountType: 'app' }, created: matching(/\+0000$/) });
    const list = await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1/comment', 'user:member-1');
    expect(list.json).toMatchObject({ startAt: 0, total: 1, comments: [{ body }] });
    const hidden = await call(jira.url, 'POST', '/rest/api/3/issue/OPS-1/comment', 'user:restricted-1', { body });
    expect(hidden.status).toBe(404);
  });
});
