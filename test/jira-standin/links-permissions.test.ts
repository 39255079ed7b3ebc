import { JiraStandIn } from '../../sandbox/jira';
import { anyString, arr, call, containing, matching, obj, SMALL_SEED } from './helpers';

describe('issue links', () => {
  let jira: JiraStandIn;
  beforeEach(async () => {
    jira = await JiraStandIn.start({ seed: SMALL_SEED });
  });
  afterEach(() => jira.close());

  const duplicate = (inward: string, outward: string) => ({ type: { name: 'Duplicate' }, inwardIssue: { key: inward }, outwardIssue: { key: outward } });

  it('lists the default link types', async () => {
    const r = await call(jira.url, 'GET', '/rest/api/3/issueLinkType', 'app');
    const types = arr(r.json.issueLinkTypes).map(obj);
    expect(types.map((t) => t.name)).toEqual(['Blocks', 'Cloners', 'Duplicate', 'Relates']);
    expect(types.find((t) => t.name === 'Duplicate')).toMatchObject({ id: anyString(), inward: 'is duplicated by', outward: 'duplicates', self: anyString() });
  });

  it('creates a link with 201 and no body; both issues show it from their side', async () => {
    const r = await call(jira.url, 'POST', '/rest/api/3/issueLink', 'user:member-1', duplicate('MOB-1', 'SHOP-1'));
    expect(r.status).toBe(201);
    expect(r.text).toBe('');

    const newer = await call(jira.url, 'GET', '/rest/api/3/issue/MOB-1?fields=issuelinks', 'user:member-1');
    const [fromNewer] = arr(obj(newer.json.fields).issuelinks).map(obj);
    expect(fromNewer).toMatchObject({ type: { name: 'Duplicate', outward: 'duplicates' }, outwardIssue: { key: 'SHOP-1', fields: { summary: 'Cart total off by one cent', status: { name: 'To Do' } } } });
    expect(fromNewer).not.toHaveProperty('inwardIssue');

    const older = await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1?fields=issuelinks', 'user:member-1');
    const [fromOlder] = arr(obj(older.json.fields).issuelinks).map(obj);
    expect(fromOlder).toMatchObject({ id: fromNewer?.id, inwardIssue: { key: 'MOB-1' } });

    const link = await call(jira.url, 'GET', `/rest/api/3/issueLink/${String(fromNewer?.id)}`, 'app');
    expect(link.json).toMatchObject({ inwardIssue: { key: 'MOB-1' }, outwardIssue: { key: 'SHOP-1' }, type: { name: 'Duplicate' } });
  });

  it('is idempotent: the same link twice is one link', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await call(jira.url, 'POST', '/rest/api/3/issueLink', 'app', duplicate('SHOP-2', 'SHOP-1'))).status).toBe(201);
    }
    expect(jira.store.links.size).toBe(1);
  });

  it('needs Link Issues on both projects (403) and Browse on both (404)', async () => {
    const viewer = await call(jira.url, 'POST', '/rest/api/3/issueLink', 'user:viewer-1', duplicate('SHOP-2', 'SHOP-1'));
    expect(viewer.status).toBe(403);
    expect(viewer.json).toEqual({ errorMessages: [matching(/Link Issue Permission/)], errors: {} });

    const restricted = await call(jira.url, 'POST', '/rest/api/3/issueLink', 'user:restricted-1', duplicate('SHOP-1', 'OPS-1'));
    expect(restricted.status).toBe(404);

    jira.putUser({ accountId: 'split-1', displayName: 'Sam Split', admin: false, browse: '*', link: ['SHOP'] });
    const split = await call(jira.url, 'POST', '/rest/api/3/issueLink', 'user:split-1', duplicate('SHOP-1', 'MOB-1'));
    expect(split.status).toBe(403);
    expect(jira.store.links.size).toBe(0);
  });

  it('answers 404 for an unknown link type or issue', async () => {
    const type = await call(jira.url, 'POST', '/rest/api/3/issueLink', 'app', { type: { name: 'Supersedes' }, inwardIssue: { key: 'SHOP-1' }, outwardIssue: { key: 'SHOP-2' } });
    expect(type.status).toBe(404);
    const issue = await call(jira.url, 'POST', '/rest/api/3/issueLink', 'app', duplicate('SHOP-1', 'SHOP-99'));
    expect(issue.status).toBe(404);
  });

  it('hides links to issues the viewer cannot browse', async () => {
    await call(jira.url, 'POST', '/rest/api/3/issueLink', 'app', duplicate('OPS-1', 'SHOP-1'));
    const r = await call(jira.url, 'GET', '/rest/api/3/issue/SHOP-1?fields=issuelinks', 'user:restricted-1');
    expect(obj(r.json.fields).issuelinks).toEqual([]);
  });

  it('deletes a link', async () => {
    await call(jira.url, 'POST', '/rest/api/3/issueLink', 'app', duplicate('SHOP-2', 'SHOP-1'));
    const [id] = [...jira.store.links.keys()];
    expect((await call(jira.url, 'DELETE', `/rest/api/3/issueLink/${String(id)}`, 'user:member-1')).status).toBe(204);
    expect(jira.store.links.size).toBe(0);
  });
});

describe('permissions, projects and users', () => {
  let jira: JiraStandIn;
  beforeAll(async () => {
    jira = await JiraStandIn.start({ seed: SMALL_SEED });
  });
  afterAll(() => jira.close());

  const check = { projectPermissions: [{ permissions: ['BROWSE_PROJECTS', 'LINK_ISSUES'], issues: [10000, 10005], projects: [10000, 10002] }], globalPermissions: ['ADMINISTER'] };

  it('permissions/check answers per permission with the allowed ids', async () => {
    const restricted = await call(jira.url, 'POST', '/rest/api/3/permissions/check', 'user:restricted-1', check);
    expect(restricted.json).toEqual({
      projectPermissions: [
        { permission: 'BROWSE_PROJECTS', issues: [10000], projects: [10000] },
        { permission: 'LINK_ISSUES', issues: [10000], projects: [10000] },
      ],
      globalPermissions: [],
    });
    const viewer = await call(jira.url, 'POST', '/rest/api/3/permissions/check', 'user:viewer-1', check);
    expect(arr(viewer.json.projectPermissions)[1]).toEqual({ permission: 'LINK_ISSUES', issues: [], projects: [] });
    const admin = await call(jira.url, 'POST', '/rest/api/3/permissions/check', 'user:admin-1', check);
    expect(admin.json.globalPermissions).toEqual(['ADMINISTER']);
  });

  it('permissions/check as the app about another account checks that account', async () => {
    const r = await call(jira.url, 'POST', '/rest/api/3/permissions/check', 'app', { ...check, accountId: 'restricted-1' });
    expect(arr(r.json.projectPermissions)[0]).toEqual({ permission: 'BROWSE_PROJECTS', issues: [10000], projects: [10000] });
    const notAdmin = await call(jira.url, 'POST', '/rest/api/3/permissions/check', 'user:member-1', { ...check, accountId: 'restricted-1' });
    expect(notAdmin.status).toBe(403);
  });

  it('mypermissions answers havePermission per key', async () => {
    const r = await call(jira.url, 'GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,LINK_ISSUES,ADMINISTER&projectKey=SHOP', 'user:viewer-1');
    const p = obj(r.json.permissions);
    expect(obj(p.BROWSE_PROJECTS).havePermission).toBe(true);
    expect(obj(p.LINK_ISSUES).havePermission).toBe(false);
    expect(obj(p.ADMINISTER)).toMatchObject({ type: 'GLOBAL', havePermission: false });
    expect((await call(jira.url, 'GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=OPS', 'user:restricted-1')).status).toBe(404);
    expect((await call(jira.url, 'GET', '/rest/api/3/mypermissions', 'app')).status).toBe(400);
  });

  it('project/search pages over browsable projects only', async () => {
    const r = await call(jira.url, 'GET', '/rest/api/3/project/search?maxResults=1', 'user:restricted-1');
    expect(r.json).toMatchObject({ startAt: 0, maxResults: 1, total: 2, isLast: false, nextPage: containing('startAt=1') });
    expect(arr(r.json.values).map((v) => obj(v).key)).toEqual(['MOB']);
    const second = await call(jira.url, 'GET', '/rest/api/3/project/search?startAt=1&maxResults=1', 'user:restricted-1');
    expect(second.json).toMatchObject({ isLast: true, values: [{ key: 'SHOP' }] });
    expect(second.json).not.toHaveProperty('nextPage');
    expect((await call(jira.url, 'GET', '/rest/api/3/project/OPS', 'user:restricted-1')).status).toBe(404);
    expect((await call(jira.url, 'GET', '/rest/api/3/project/OPS', 'user:member-1')).json).toMatchObject({ id: '10002', key: 'OPS', name: 'Platform Ops' });
  });

  it('myself, users and issue types', async () => {
    expect((await call(jira.url, 'GET', '/rest/api/3/myself', 'user:member-1')).json).toMatchObject({ accountId: 'member-1', displayName: 'Morgan Member' });
    expect((await call(jira.url, 'GET', '/rest/api/3/myself', 'app')).json).toMatchObject({ accountId: 'app-account-id', accountType: 'app' });
    expect((await call(jira.url, 'GET', '/rest/api/3/myself', 'none')).status).toBe(401);
    expect((await call(jira.url, 'GET', '/rest/api/3/user?accountId=viewer-1', 'app')).json).toMatchObject({ displayName: 'Vic Viewer' });
    expect((await call(jira.url, 'GET', '/rest/api/3/user?accountId=ghost', 'app')).status).toBe(404);
    const bulk = await call(jira.url, 'GET', '/rest/api/3/user/bulk?accountId=admin-1&accountId=member-1', 'app');
    expect(arr(bulk.json.values).map((u) => obj(u).displayName)).toEqual(['Alex Admin', 'Morgan Member']);
    const types = await call(jira.url, 'GET', '/rest/api/3/issuetype', 'app');
    expect(arr(types.json as unknown).map((t) => obj(t).name)).toContain('Bug');
  });

  it('stores UI modifications for apps and admins only', async () => {
    const body = { name: 'Duplicate check', data: '{"v":1}', contexts: [{ projectId: '10000', issueTypeId: '10001', viewType: 'GIC' }] };
    expect((await call(jira.url, 'POST', '/rest/api/3/uiModifications', 'user:member-1', body)).status).toBe(403);
    const created = await call(jira.url, 'POST', '/rest/api/3/uiModifications', 'app', body);
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: anyString(), self: anyString() });
    const listed = await call(jira.url, 'GET', '/rest/api/3/uiModifications?expand=contexts,data', 'app');
    expect(listed.json).toMatchObject({ total: 1, values: [{ name: 'Duplicate check', data: '{"v":1}', contexts: [{ projectId: '10000', viewType: 'GIC' }] }] });
    const id = String(created.json.id);
    expect((await call(jira.url, 'PUT', `/rest/api/3/uiModifications/${id}`, 'app', { name: 'Renamed' })).status).toBe(204);
    expect((await call(jira.url, 'DELETE', `/rest/api/3/uiModifications/${id}`, 'user:admin-1')).status).toBe(204);
    expect(jira.store.uiModifications.size).toBe(0);
  });
});
