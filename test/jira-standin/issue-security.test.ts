/**
 * Issue security levels: an issue with a level exists only for the level's
 * members (among those who may browse its project) and for the app. SHOP-2
 * (id 10001) carries 'Security team' (10100); admin-1, member-1 and lead-1 are
 * in it, restricted-1 and viewer-1 are not.
 */
import { DEFAULT_USERS, JiraStandIn, type SeedData } from '../../sandbox/jira';
import { arr, call, obj, SMALL_SEED, type Reply } from './helpers';

const SECURED_SEED: SeedData = {
  ...SMALL_SEED,
  issues: SMALL_SEED.issues.map((issue, n) => (n === 1 ? { ...issue, securityLevel: 'Security team' } : issue)),
};
const SHOP_1 = '10000';
const SHOP_2 = '10001';
const NOT_FOUND = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };
const OUTSIDERS = ['user:restricted-1', 'user:viewer-1'];
const MEMBERS = ['user:member-1', 'user:admin-1', 'user:lead-1', 'app'];

const keys = (r: Reply): unknown[] => arr(r.json.issues).map((i) => obj(i).key);

describe('issue security levels', () => {
  let jira: JiraStandIn;
  let now: number;
  beforeEach(async () => {
    now = Date.UTC(2025, 0, 1);
    jira = await JiraStandIn.start({ seed: SECURED_SEED, clock: () => now });
  });
  afterEach(() => jira.close());

  const get = (path: string, principal: string): Promise<Reply> => call(jira.url, 'GET', path, principal);
  const post = (path: string, principal: string, body: unknown): Promise<Reply> => call(jira.url, 'POST', path, principal, body);
  const put = (path: string, principal: string, body: unknown): Promise<Reply> => call(jira.url, 'PUT', path, principal, body);
  const search = (jql: string, principal: string): Promise<Reply> => post('/rest/api/3/search/jql', principal, { jql, fields: ['key'], maxResults: 100 });
  const securityTeam = (): unknown => ({
    self: `${jira.url}/rest/api/3/securitylevel/10100`,
    id: '10100',
    name: 'Security team',
    description: 'Visible to the security team only.',
  });

  it('starts with the Security team level, and the default users split as documented', () => {
    expect([...jira.store.securityLevels.values()]).toEqual([{ id: '10100', name: 'Security team', description: 'Visible to the security team only.' }]);
    const members = DEFAULT_USERS.filter((u) => (u.securityLevels ?? []).includes('10100')).map((u) => u.accountId);
    expect(members).toEqual(['admin-1', 'member-1', 'lead-1']);
    expect(jira.store.getIssue('SHOP-2')?.securityLevelId).toBe('10100');
    expect(jira.store.getIssue('SHOP-1')?.securityLevelId).toBeNull();
  });

  it('GET answers 404 to non-members, exactly as for a missing issue, and renders the level to members', async () => {
    for (const who of [...OUTSIDERS, 'none']) {
      const r = await get('/rest/api/3/issue/SHOP-2', who);
      expect([who, r.status, r.json]).toEqual([who, 404, NOT_FOUND]);
      expect((await get(`/rest/api/3/issue/${SHOP_2}`, who)).status).toBe(404);
    }
    // The unsecured issue of the same project stays visible to them.
    expect((await get('/rest/api/3/issue/SHOP-1', 'user:restricted-1')).status).toBe(200);
    for (const who of MEMBERS) {
      const r = await get('/rest/api/3/issue/SHOP-2', who);
      expect([who, r.status]).toEqual([who, 200]);
      expect(obj(r.json.fields).security).toEqual(securityTeam());
    }
  });

  it('renders fields.security only when asked for (by name, *all, *navigable), null without a level', async () => {
    const byName = await get('/rest/api/3/issue/SHOP-2?fields=summary,security', 'user:member-1');
    expect(obj(byName.json.fields)).toEqual({ summary: 'Gift wrapping at checkout', security: securityTeam() });
    const navigable = await get('/rest/api/3/issue/SHOP-2?fields=*navigable', 'user:member-1');
    expect(obj(navigable.json.fields).security).toEqual(securityTeam());
    const excluded = await get('/rest/api/3/issue/SHOP-2?fields=*all,-security', 'user:member-1');
    expect(obj(excluded.json.fields)).not.toHaveProperty('security');
    const unsecured = await get('/rest/api/3/issue/SHOP-1?fields=security', 'user:member-1');
    expect(obj(unsecured.json.fields)).toEqual({ security: null });
    const searched = await post('/rest/api/3/search/jql', 'app', { jql: 'key = SHOP-2', fields: ['security'] });
    expect(obj(obj(arr(searched.json.issues)[0]).fields).security).toEqual(securityTeam());
  });

  it('comments, edits and deletes of a secured issue are 404 for non-members', async () => {
    const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] };
    for (const who of OUTSIDERS) {
      expect((await get('/rest/api/3/issue/SHOP-2/comment', who)).status).toBe(404);
      expect((await post('/rest/api/3/issue/SHOP-2/comment', who, { body })).status).toBe(404);
      expect((await put('/rest/api/3/issue/SHOP-2', who, { fields: { summary: 'renamed' } })).status).toBe(404);
      expect((await call(jira.url, 'DELETE', '/rest/api/3/issue/SHOP-2', who)).status).toBe(404);
    }
    expect(jira.store.getIssue('SHOP-2')?.summary).toBe('Gift wrapping at checkout');
    expect(jira.store.commentsOf(SHOP_2)).toHaveLength(0);
    expect((await post('/rest/api/3/issue/SHOP-2/comment', 'user:member-1', { body })).status).toBe(201);
  });

  it('search leaves a secured issue out for non-members, by project, by text and by id', async () => {
    for (const who of OUTSIDERS) {
      expect(keys(await search('project = SHOP', who))).toEqual(['SHOP-3', 'SHOP-1']);
      expect(keys(await search('summary ~ gift', who))).toEqual([]);
      expect(keys(await search(`id = ${SHOP_2}`, who))).toEqual([]);
      expect((await post('/rest/api/3/search/approximate-count', who, { jql: 'project = SHOP' })).json).toEqual({ count: 2 });
    }
    for (const who of MEMBERS) expect(keys(await search('project = SHOP', who))).toEqual(['SHOP-3', 'SHOP-2', 'SHOP-1']);
    expect(keys(await search('key = SHOP-2', 'user:member-1'))).toEqual(['SHOP-2']);
  });

  it('a secured issue\u2019s key in JQL is an error for non-members, worded as for a key that does not exist', async () => {
    const missing = await search('key = SHOP-99', 'user:restricted-1');
    expect(missing.json.errorMessages).toEqual(["An issue with key 'SHOP-99' does not exist for field 'key'."]);
    for (const who of OUTSIDERS) {
      for (const [jql, message] of [
        ['key = SHOP-2', "An issue with key 'SHOP-2' does not exist for field 'key'."],
        ['issue in (SHOP-1, SHOP-2)', "An issue with key 'SHOP-2' does not exist for field 'issue'."],
        ['project = SHOP AND issuekey != SHOP-2', "An issue with key 'SHOP-2' does not exist for field 'issuekey'."],
        ['key > SHOP-2', "An issue with key 'SHOP-2' does not exist for field 'key'."],
      ] as const) {
        const r = await search(jql, who);
        expect([who, jql, r.status, r.json.errorMessages]).toEqual([who, jql, 400, [message]]);
      }
    }
    const parsed = await post('/rest/api/3/jql/parse?validation=strict', 'user:viewer-1', { queries: ['key = SHOP-2'] });
    expect(parsed.json).toEqual({ queries: [{ query: 'key = SHOP-2', errors: ["An issue with key 'SHOP-2' does not exist for field 'key'."] }] });
    const asMember = await post('/rest/api/3/jql/parse?validation=strict', 'user:member-1', { queries: ['key = SHOP-2'] });
    expect(obj(arr(asMember.json.queries)[0])).not.toHaveProperty('errors');
  });

  it('permissions/check leaves the secured issue out of every project permission for non-members', async () => {
    const check = { projectPermissions: [{ permissions: ['BROWSE_PROJECTS', 'LINK_ISSUES', 'EDIT_ISSUES'], issues: [Number(SHOP_1), Number(SHOP_2)], projects: [10000] }] };
    const restricted = await post('/rest/api/3/permissions/check', 'user:restricted-1', check);
    expect(restricted.json.projectPermissions).toEqual([
      { permission: 'BROWSE_PROJECTS', issues: [10000], projects: [10000] },
      { permission: 'LINK_ISSUES', issues: [10000], projects: [10000] },
      { permission: 'EDIT_ISSUES', issues: [10000], projects: [10000] },
    ]);
    const viewer = await post('/rest/api/3/permissions/check', 'user:viewer-1', check);
    expect(arr(viewer.json.projectPermissions)[0]).toEqual({ permission: 'BROWSE_PROJECTS', issues: [10000], projects: [10000] });
    // The app asking about restricted-1 gets restricted-1's answer, not its own.
    const onBehalf = await post('/rest/api/3/permissions/check', 'app', { ...check, accountId: 'restricted-1' });
    expect(arr(onBehalf.json.projectPermissions)[1]).toEqual({ permission: 'LINK_ISSUES', issues: [10000], projects: [10000] });
    for (const who of MEMBERS) {
      const r = await post('/rest/api/3/permissions/check', who, check);
      expect(arr(r.json.projectPermissions).slice(0, 2)).toEqual([
        { permission: 'BROWSE_PROJECTS', issues: [10000, 10001], projects: [10000] },
        { permission: 'LINK_ISSUES', issues: [10000, 10001], projects: [10000] },
      ]);
    }
  });

  it('mypermissions with a secured issue as context is 404 for non-members', async () => {
    for (const who of OUTSIDERS) {
      for (const ctx of ['issueKey=SHOP-2', `issueId=${SHOP_2}`]) {
        const r = await get(`/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&${ctx}`, who);
        expect([who, ctx, r.status, r.json]).toEqual([who, ctx, 404, NOT_FOUND]);
      }
      expect((await get('/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&issueKey=SHOP-1', who)).status).toBe(200);
    }
    const member = await get('/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,LINK_ISSUES&issueKey=SHOP-2', 'user:member-1');
    expect(obj(obj(member.json.permissions).BROWSE_PROJECTS).havePermission).toBe(true);
    expect(obj(obj(member.json.permissions).LINK_ISSUES).havePermission).toBe(true);
  });

  it('links to a secured issue are hidden, and cannot be made or removed, by non-members', async () => {
    const duplicate = (inward: string, outward: string): unknown => ({ type: { name: 'Duplicate' }, inwardIssue: { key: inward }, outwardIssue: { key: outward } });
    expect((await post('/rest/api/3/issueLink', 'app', duplicate('SHOP-1', 'SHOP-2'))).status).toBe(201);
    const [linkId] = [...jira.store.links.keys()];
    for (const who of OUTSIDERS) {
      expect(obj((await get('/rest/api/3/issue/SHOP-1?fields=issuelinks', who)).json.fields).issuelinks).toEqual([]);
      expect((await get(`/rest/api/3/issueLink/${String(linkId)}`, who)).status).toBe(404);
      expect((await call(jira.url, 'DELETE', `/rest/api/3/issueLink/${String(linkId)}`, who)).status).toBe(404);
    }
    const made = await post('/rest/api/3/issueLink', 'user:restricted-1', duplicate('MOB-1', 'SHOP-2'));
    expect([made.status, made.json]).toEqual([404, NOT_FOUND]);
    expect(jira.store.links.size).toBe(1);
    const member = await get('/rest/api/3/issue/SHOP-1?fields=issuelinks', 'user:member-1');
    expect(arr(obj(member.json.fields).issuelinks).map((l) => obj(obj(l).outwardIssue).key)).toEqual(['SHOP-2']);
  });

  it('PUT sets and clears the level, as an edit: updated moves and an updated event carries the change', async () => {
    const events: Array<Record<string, unknown>> = [];
    jira.onEvent((type, payload) => {
      if (type === 'avi:jira:updated:issue') events.push(obj(payload));
    });
    now = Date.UTC(2025, 0, 2);
    const set = await put('/rest/api/3/issue/SHOP-1', 'user:member-1', { fields: { security: { id: '10100' } } });
    expect(set.status).toBe(204);
    expect((await get('/rest/api/3/issue/SHOP-1', 'user:restricted-1')).status).toBe(404);
    const secured = await get('/rest/api/3/issue/SHOP-1?fields=security,updated', 'user:member-1');
    expect(obj(secured.json.fields)).toEqual({ security: securityTeam(), updated: '2025-01-02T00:00:00.000+0000' });

    now = Date.UTC(2025, 0, 3);
    expect((await put('/rest/api/3/issue/SHOP-1', 'user:member-1', { fields: { security: null } })).status).toBe(204);
    const cleared = await get('/rest/api/3/issue/SHOP-1?fields=security,updated', 'user:restricted-1');
    expect([cleared.status, cleared.json.fields]).toEqual([200, { security: null, updated: '2025-01-03T00:00:00.000+0000' }]);

    // By name too; setting the level it already has changes nothing.
    expect((await put('/rest/api/3/issue/SHOP-3', 'app', { fields: { security: { name: 'Security team' } } })).status).toBe(204);
    expect((await put('/rest/api/3/issue/SHOP-3', 'app', { fields: { security: { id: '10100' } } })).status).toBe(204);
    expect(jira.store.getIssue('SHOP-3')?.securityLevelId).toBe('10100');

    await jira.flushEvents();
    expect(events.map((e) => [obj(e.issue).key, obj(e.changelog).items])).toEqual([
      ['SHOP-1', [{ field: 'security', fieldtype: 'jira', fieldId: 'security', from: null, fromString: null, to: '10100', toString: 'Security team' }]],
      ['SHOP-1', [{ field: 'security', fieldtype: 'jira', fieldId: 'security', from: '10100', fromString: 'Security team', to: null, toString: null }]],
      ['SHOP-3', [{ field: 'security', fieldtype: 'jira', fieldId: 'security', from: null, fromString: null, to: '10100', toString: 'Security team' }]],
    ]);
  });

  it('refuses an unknown level, or one the editor is not a member of, with a 400 on `security`', async () => {
    const before = jira.store.getIssue('SHOP-1');
    for (const [who, security] of [
      ['user:member-1', { id: '99999' }],
      ['app', { name: 'Nobody' }],
      // Jira lets a user set only a level they are in, so no one hides an issue from themselves.
      ['user:restricted-1', { id: '10100' }],
    ] as const) {
      const r = await put('/rest/api/3/issue/SHOP-1', who, { fields: { security } });
      expect([who, r.status, r.json]).toEqual([who, 400, { errorMessages: [], errors: { security: 'Specify a valid value for Security Level' } }]);
    }
    const empty = await put('/rest/api/3/issue/SHOP-1', 'user:member-1', { fields: { security: {} } });
    expect([empty.status, Object.keys(obj(empty.json.errors))]).toEqual([400, ['security']]);
    expect(jira.store.getIssue('SHOP-1')).toBe(before);
    expect((await get('/rest/api/3/issue/SHOP-1', 'user:restricted-1')).status).toBe(200);
  });

  it('POST /issue accepts a level, and refuses an unknown one without creating anything', async () => {
    const fields = { project: { key: 'SHOP' }, summary: 'Card numbers in the log', issuetype: { name: 'Bug' } };
    const created = await post('/rest/api/3/issue', 'user:member-1', { fields: { ...fields, security: { id: '10100' } } });
    expect(created.status).toBe(201);
    const key = String(created.json.key);
    expect((await get(`/rest/api/3/issue/${key}`, 'user:viewer-1')).status).toBe(404);
    expect(obj((await get(`/rest/api/3/issue/${key}?fields=security`, 'user:lead-1')).json.fields).security).toEqual(securityTeam());

    const count = jira.store.issues.size;
    for (const [who, security] of [['user:member-1', { id: '424242' }], ['user:viewer-1', { id: '10100' }]] as const) {
      const r = await post('/rest/api/3/issue', who, { fields: { ...fields, security } });
      expect([who, r.status, r.json.errors]).toEqual([who, 400, { security: 'Specify a valid value for Security Level' }]);
    }
    expect(jira.store.issues.size).toBe(count);
    const plain = await post('/rest/api/3/issue', 'user:viewer-1', { fields });
    expect(jira.store.getIssue(String(plain.json.key))?.securityLevelId).toBeNull();
  });

  it('setSecurityLevel changes the level as an edit by the app; an unknown level throws', async () => {
    const events: Array<Record<string, unknown>> = [];
    jira.onEvent((type, payload) => {
      if (type === 'avi:jira:updated:issue') events.push(obj(payload));
    });
    now = Date.UTC(2025, 5, 1);
    jira.setSecurityLevel('MOB-1', '10100');
    expect(jira.store.getIssue('MOB-1')).toMatchObject({ securityLevelId: '10100', updated: '2025-06-01T00:00:00.000Z' });
    expect((await get('/rest/api/3/issue/MOB-1', 'user:restricted-1')).status).toBe(404);
    expect(keys(await search('project = MOB', 'user:restricted-1'))).toEqual(['MOB-2']);
    jira.setSecurityLevel('MOB-1', '10100');
    jira.setSecurityLevel('MOB-1', null);
    expect((await get('/rest/api/3/issue/MOB-1', 'user:restricted-1')).status).toBe(200);
    expect(keys(await search('project = MOB', 'user:restricted-1'))).toEqual(['MOB-2', 'MOB-1']);
    expect(() => jira.setSecurityLevel('MOB-1', '31337')).toThrow(/no issue security level 31337/);
    expect(() => jira.setSecurityLevel('MOB-99', null)).toThrow(/no issue MOB-99/);
    await jira.flushEvents();
    // Two events, not three: setting the level it already has is not an edit.
    expect(events.map((e) => [e.atlassianId, obj(e.issue).key, arr(obj(e.changelog).items).map((i) => obj(i).toString)])).toEqual([
      ['app-account-id', 'MOB-1', ['Security team']],
      ['app-account-id', 'MOB-1', [null]],
    ]);
  });

  it('membership is read per request: a user put into the level sees the issue at once', async () => {
    expect(keys(await search('project = SHOP', 'user:restricted-1'))).toEqual(['SHOP-3', 'SHOP-1']);
    const restricted = jira.users().find((u) => u.accountId === 'restricted-1');
    if (!restricted) throw new Error('restricted-1 missing');
    jira.putUser({ ...restricted, securityLevels: ['10100'] });
    expect(keys(await search('project = SHOP', 'user:restricted-1'))).toEqual(['SHOP-3', 'SHOP-2', 'SHOP-1']);
    expect((await get('/rest/api/3/issue/SHOP-2', 'user:restricted-1')).status).toBe(200);
  });
});

describe('seeding issue security', () => {
  const issue = { projectKey: 'SEC', summary: 'Leaked token', type: 'Bug', status: 'Open', statusCategory: 'new' as const, created: '2024-01-01T00:00:00Z' };
  const project = { id: '10000', key: 'SEC', name: 'Security' };

  it('accepts securityLevel by name or id, and leaves issues without it unsecured', async () => {
    const jira = await JiraStandIn.start({
      seed: { projects: [project], issues: [{ ...issue, securityLevel: 'security TEAM' }, { ...issue, securityLevel: '10100' }, issue, { ...issue, securityLevel: null }] },
    });
    try {
      expect(['SEC-1', 'SEC-2', 'SEC-3', 'SEC-4'].map((k) => jira.store.getIssue(k)?.securityLevelId)).toEqual(['10100', '10100', null, null]);
      const r = await call(jira.url, 'POST', '/rest/api/3/search/jql', 'user:viewer-1', { jql: 'project = SEC', fields: ['key'] });
      expect(arr(r.json.issues).map((i) => obj(i).key)).toEqual(['SEC-4', 'SEC-3']);
    } finally {
      await jira.close();
    }
  });

  it('refuses an unknown level with a seed validation error, before loading anything', async () => {
    const jira = await JiraStandIn.start();
    try {
      expect(() => jira.loadSeed({ projects: [project], issues: [issue, { ...issue, securityLevel: 'Top secret' }] })).toThrow(
        "seed is not valid at issues.1.securityLevel: no issue security level 'Top secret'; the stand-in has 'Security team' (10100)",
      );
      expect(jira.store.issues.size).toBe(0);
    } finally {
      await jira.close();
    }
  });
});
