/**
 * Admin page: settings (admins only, JQL and projects checked against Jira), projects, UI
 * modification registration, me, and admin runs.
 */
import { appendAction } from '../../src/store/actions';
import { getSettings, saveSettings } from '../../src/store/settings';
import { deleteRunRow, insertRun } from '../../src/store/runs';
import { ADMIN_EXTENSION, TEST_SETTINGS, ok, pairIdOf, projectExtension, restoreFixture, startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const admin = <T>(method: Parameters<Harness['call']>[1], payload: Record<string, unknown>, user: Parameters<Harness['call']>[3] = 'admin-1') =>
  h.call('admin-page-resolver', method, payload, user, ADMIN_EXTENSION) as Promise<T>;

describe('settings', () => {
  it('settings.get answers the settings and whether the user may edit them', async () => {
    const asAdmin = ok(await h.call('admin-page-resolver', 'settings.get', {}, 'admin-1', ADMIN_EXTENSION));
    expect(asAdmin.settings).toEqual(TEST_SETTINGS);
    expect(asAdmin.canEdit).toBe(true);
    expect(asAdmin.withheld).toEqual({ jqlFilter: false, projects: false });
    const asMember = ok(await h.call('admin-page-resolver', 'settings.get', {}, 'member-1', ADMIN_EXTENSION));
    expect(asMember.canEdit).toBe(false);
  });

  it('settings.get withholds from a reader who is not an admin the JQL filter and the projects they cannot browse', async () => {
    await saveSettings({ ...TEST_SETTINGS, jqlFilter: 'labels != "acme-confidential"' });
    try {
      const asAdmin = ok(await h.call('admin-page-resolver', 'settings.get', {}, 'admin-1', ADMIN_EXTENSION));
      expect([asAdmin.settings.jqlFilter, asAdmin.settings.projects]).toEqual(['labels != "acme-confidential"', TEST_SETTINGS.projects]);
      const restricted = ok(await h.call('admin-page-resolver', 'settings.get', {}, 'restricted-1', ADMIN_EXTENSION));
      expect(JSON.stringify(restricted)).not.toMatch(/acme-confidential|OPS/);
      expect(restricted.settings.projects).toEqual(TEST_SETTINGS.projects.filter((k) => k !== 'OPS'));
      expect(restricted.withheld).toEqual({ jqlFilter: true, projects: true });
      const member = ok(await h.call('admin-page-resolver', 'settings.get', {}, 'member-1', ADMIN_EXTENSION));
      expect([member.settings.projects, member.withheld]).toEqual([TEST_SETTINGS.projects, { jqlFilter: true, projects: false }]);
    } finally {
      await saveSettings(TEST_SETTINGS);
    }
  });

  it('settings.save stores valid settings for a Jira admin and logs it', async () => {
    const next = { ...TEST_SETTINGS, thresholds: { duplicate: 0.6, related: 0.35 }, jqlFilter: 'labels != wontfix' };
    const res = ok(await h.call('admin-page-resolver', 'settings.save', { settings: next }, 'admin-1', ADMIN_EXTENSION));
    expect(res.settings.thresholds).toEqual({ duplicate: 0.6, related: 0.35 });
    expect((await getSettings()).jqlFilter).toBe('labels != wontfix');
    const history = (await h.forge.sql.query("SELECT action, actor FROM actions WHERE action = 'settings.save'")) as Array<{ action: string; actor: string }>;
    expect(history).toEqual([{ action: 'settings.save', actor: 'admin-1' }]);
    // The same settings again: saved, but nothing changed, so nothing for the history.
    ok(await h.call('admin-page-resolver', 'settings.save', { settings: next }, 'admin-1', ADMIN_EXTENSION));
    expect(await h.forge.sql.query("SELECT action FROM actions WHERE action = 'settings.save'")).toHaveLength(1);
    ok(await h.call('admin-page-resolver', 'settings.save', { settings: TEST_SETTINGS }, 'admin-1', ADMIN_EXTENSION));
  });

  it('keeps what another admin saved since the page was opened: only this save\'s own changes go over it, and one setting changed both ways is refused', async () => {
    const save = (settings: object, base: object) => h.call('admin-page-resolver', 'settings.save', { settings, base }, 'admin-1', ADMIN_EXTENSION);
    try {
      // Tab A raises the duplicate threshold; tab B, opened before, changes the schedule.
      ok(await save({ ...TEST_SETTINGS, thresholds: { ...TEST_SETTINGS.thresholds, duplicate: 0.6 } }, TEST_SETTINGS));
      const b = ok(await save({ ...TEST_SETTINGS, schedule: 'weekly' }, TEST_SETTINGS));
      expect(b.kept).toEqual(['thresholds']);
      expect(b.settings).toMatchObject({ schedule: 'weekly', thresholds: { ...TEST_SETTINGS.thresholds, duplicate: 0.6 } });
      expect(await getSettings()).toMatchObject({ schedule: 'weekly', thresholds: { duplicate: 0.6 } });
      const last = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'settings.save' ORDER BY at_ms DESC, id DESC LIMIT 1")) as Array<{ detail: string }>;
      expect(last[0]?.detail).toMatch(/^changed: schedule \(daily → weekly\);/);
      // The same setting changed both ways: nothing saved, the setting named.
      const clash = await save({ ...TEST_SETTINGS, thresholds: { ...TEST_SETTINGS.thresholds, duplicate: 0.7 }, retentionDays: 30 }, TEST_SETTINGS);
      expect(clash.success ? null : [clash.error.code, clash.error.message]).toEqual([
        'CONFLICT',
        'Someone else changed the thresholds since this page was opened, so nothing was saved.',
      ]);
      expect(await getSettings()).toMatchObject({ schedule: 'weekly', thresholds: { duplicate: 0.6 }, retentionDays: TEST_SETTINGS.retentionDays });
      // Both made the same change: no clash. With the stored settings as its base, nothing is kept.
      expect(ok(await save({ ...TEST_SETTINGS, schedule: 'weekly' }, TEST_SETTINGS)).kept).toEqual(['thresholds']);
      expect(ok(await save({ ...(await getSettings()), maxAgeDays: 90 }, await getSettings())).kept).toEqual([]);
      // Both add the same project, each page at the end of its own list: the same change, in
      // any order (the stored list is sorted), and the same for issue types in any case.
      const one = { ...(await getSettings()), projects: ['SHOP'], issueTypes: ['Bug'] };
      await saveSettings(one);
      ok(await save({ ...one, projects: ['SHOP', 'MOB'], issueTypes: ['Bug', 'Task'] }, one));
      const second = await save({ ...one, projects: ['SHOP', 'MOB'], issueTypes: ['bug', 'task'] }, one);
      expect(second.success ? second.data.kept : second.error.message).toEqual([]);
      expect((await getSettings()).projects.slice().sort()).toEqual(['MOB', 'SHOP']);
      // Each adds a different project, or changes a different threshold: both kept, no clash.
      await saveSettings(one);
      ok(await save({ ...one, projects: ['SHOP', 'MOB'], thresholds: { ...one.thresholds, duplicate: 0.65 } }, one));
      const both = ok(await save({ ...one, projects: ['SHOP', 'OPS'], thresholds: { ...one.thresholds, related: 0.2 } }, one));
      expect(both.kept).toEqual(['thresholds', 'projects in scope']);
      expect((await getSettings()).projects.slice().sort()).toEqual(['MOB', 'OPS', 'SHOP']);
      expect((await getSettings()).thresholds).toEqual({ duplicate: 0.65, related: 0.2 });
      await saveSettings({ ...one, projects: TEST_SETTINGS.projects, issueTypes: TEST_SETTINGS.issueTypes });
      // A change of less than one percent is written as one.
      ok(await save({ ...(await getSettings()), thresholds: { duplicate: 0.605, related: TEST_SETTINGS.thresholds.related } }, await getSettings()));
      const tenth = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'settings.save' ORDER BY at_ms DESC, id DESC LIMIT 1")) as Array<{ detail: string }>;
      expect(tenth[0]?.detail).toContain('thresholds (60% / ');
      expect(tenth[0]?.detail).toContain(' → 60.5% / ');
    } finally {
      await saveSettings(TEST_SETTINGS);
    }
  });

  it.each(['member-1', 'restricted-1', 'viewer-1'] as const)('settings.save is FORBIDDEN for %s and writes nothing', async (user) => {
    const res = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, maxAgeDays: 30 } }, user, ADMIN_EXTENSION);
    expect(res.success ? null : res.error.code).toBe('FORBIDDEN');
    expect((await getSettings()).maxAgeDays).toBe(TEST_SETTINGS.maxAgeDays);
  });

  it('rejects invalid JQL, unknown projects and bad numbers with field messages', async () => {
    const badJql = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, jqlFilter: 'project = = SHOP' } }, 'admin-1', ADMIN_EXTENSION);
    expect(badJql.success).toBe(false);
    if (!badJql.success) {
      expect(badJql.error.code).toBe('BAD_REQUEST');
      expect(badJql.error.fields?.['settings.jqlFilter']).toMatch(/is not valid JQL/);
    }
    const badProject = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, projects: ['SHOP', 'NOPE'] } }, 'admin-1', ADMIN_EXTENSION);
    expect(badProject.success ? null : badProject.error.fields?.['settings.projects']).toMatch(/NOPE/);
    // Issue types: any spelling of a real one is accepted; a misspelt one would fail every run's JQL.
    const badType = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, issueTypes: ['bug', 'Bgu', 'Story'] } }, 'admin-1', ADMIN_EXTENSION);
    expect(badType.success ? null : badType.error.fields).toEqual({ 'settings.issueTypes': 'has issue types Jira does not know: Bgu' });
    // A name longer than the store keeps is a field message, not a failure after the checks.
    const longType = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, issueTypes: ['B'.repeat(65)] } }, 'admin-1', ADMIN_EXTENSION);
    expect(longType.success ? null : longType.error.code).toBe('BAD_REQUEST');
    expect(longType.success ? null : Object.keys(longType.error.fields ?? {})).toEqual(['settings.issueTypes.0']);
    const badNumbers = await h.call(
      'admin-page-resolver',
      'settings.save',
      { settings: { ...TEST_SETTINGS, thresholds: { duplicate: 0.2, related: 0.4 }, retentionDays: 1 } },
      'admin-1',
      ADMIN_EXTENSION,
    );
    expect(badNumbers.success ? null : badNumbers.error.fields).toEqual({
      'settings.thresholds.duplicate': 'duplicate must be above related',
      'settings.retentionDays': 'must be at least 7',
    });
    // A related threshold so low that nearly every two issues would be paired.
    const tooLow = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, thresholds: { duplicate: 1, related: 0 } } }, 'admin-1', ADMIN_EXTENSION);
    expect(tooLow.success ? null : tooLow.error.fields).toEqual({
      'settings.thresholds.related': 'must be at least 0.05 (5%): below it nearly every two issues share a word and would be paired',
    });
    expect(await getSettings()).toEqual(TEST_SETTINGS);
  });

  it('settings.validateJql answers Jira\'s verdict', async () => {
    expect(ok(await admin<never>('settings.validateJql', { jql: 'labels = ux' }))).toEqual({ valid: true, errors: [] });
    const bad = ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql: 'labels = = ux' }, 'admin-1', ADMIN_EXTENSION));
    expect(bad.valid).toBe(false);
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql: '' }, 'admin-1', ADMIN_EXTENSION)).valid).toBe(true);
    // A filter whose answer depends on who searches: the analyses search as the app.
    const mine = ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql: 'assignee = currentUser() OR issue in watchedIssues() OR summary ~ "currentUser()"' }, 'admin-1', ADMIN_EXTENSION));
    expect(mine).toEqual({ valid: false, errors: ['currentUser(), watchedIssues() mean whoever searches, and analyses search as the app, for which they find nothing. Name the people, groups or issues instead.'] });
    const saved = await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, jqlFilter: 'assignee = currentUser ( )' } }, 'admin-1', ADMIN_EXTENSION);
    expect(saved.success ? null : saved.error.fields?.['settings.jqlFilter']).toMatch(/^is not valid JQL: currentUser\(\) means whoever searches/);
    for (const jql of ['project in projectsWhereUserHasPermission("Edit Issues")', 'project in projectsWhereUserHasRole("Developers")', 'project in recentProjects()']) {
      expect(ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql }, 'admin-1', ADMIN_EXTENSION)).errors[0]).toMatch(/ means whoever searches/);
    }
    // Named people, and the words in quoted text, are fine.
    expect(ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql: 'summary ~ "lastLogin()" OR reporter = admin-1' }, 'admin-1', ADMIN_EXTENSION)).errors).not.toContainEqual(expect.stringContaining('whoever searches'));
  });
});

describe('settings.validateJql with the form\'s scope', () => {
  const issuesOf = (where: (i: { projectKey: string; labels: string[]; type: string }) => boolean): number =>
    [...h.jira.store.issues.values()].filter((i) => where({ projectKey: h.jira.store.projects.get(i.projectId)?.key ?? '', labels: i.labels, type: h.jira.store.issueTypes.get(i.typeId)?.name ?? '' })).length;

  it('says how many issues of the scope a valid filter keeps, of how many, as Jira counts them', async () => {
    const scope = { projects: ['SHOP', 'MOB'], issueTypes: [], maxAgeDays: 0 };
    const res = ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql: 'issuetype != Bug', scope }, 'admin-1', ADMIN_EXTENSION));
    const inScope = (i: { projectKey: string }) => i.projectKey === 'SHOP' || i.projectKey === 'MOB';
    expect(res.counts).toEqual({ kept: issuesOf((i) => inScope(i) && i.type !== 'Bug'), of: issuesOf(inScope) });
    expect(res.counts!.kept).toBeGreaterThan(0);
    expect(res.counts!.kept).toBeLessThan(res.counts!.of);
    // The scope's own issue types narrow both counts.
    const bugs = ok(await h.call('admin-page-resolver', 'settings.validateJql', { jql: 'issuetype != Bug', scope: { ...scope, issueTypes: ['Bug'] } }, 'admin-1', ADMIN_EXTENSION));
    expect(bugs.counts).toEqual({ kept: 0, of: issuesOf((i) => inScope(i) && i.type === 'Bug') });
  });

  it('counts nothing for an invalid filter, an empty one, no projects, or a filter that would escape the scope', async () => {
    const scope = { projects: ['SHOP'], issueTypes: [], maxAgeDays: 0 };
    const call = (jql: string, sc = scope) => h.call('admin-page-resolver', 'settings.validateJql', { jql, scope: sc }, 'admin-1', ADMIN_EXTENSION);
    expect(ok(await call('labels = = ux')).counts).toBeUndefined();
    expect(ok(await call('')).counts).toBeUndefined();
    expect(ok(await call('labels is EMPTY', { ...scope, projects: [] })).counts).toBeUndefined();
    const escape = ok(await call('labels is EMPTY) OR (project = OPS'));
    expect(escape.counts ?? null).toBeNull();
    const bad = await h.call('admin-page-resolver', 'settings.validateJql', { jql: 'x', scope: { projects: ['not a key'], issueTypes: [], maxAgeDays: -1 } }, 'admin-1', ADMIN_EXTENSION);
    expect(bad.success ? null : bad.error.code).toBe('BAD_REQUEST');
  });
});

describe('settings.ageCounts', () => {
  const scope = { projects: ['SHOP', 'MOB'], issueTypes: [], maxAgeDays: 0 };
  const inScope = (i: { projectId: string }) => ['SHOP', 'MOB'].includes(h.jira.store.projects.get(i.projectId)?.key ?? '');
  const issues = () => [...h.jira.store.issues.values()].filter(inScope);
  const ageCounts = (payload: Record<string, unknown>, user: 'admin-1' | 'member-1' = 'admin-1') => h.call('admin-page-resolver', 'settings.ageCounts', payload, user, ADMIN_EXTENSION);

  it('says how many issues of the scope an age limit keeps, of how many there are with no limit, as Jira counts them', async () => {
    const days = Math.ceil((Date.now() - Math.min(...issues().map((i) => Date.parse(i.created)))) / 86_400_000);
    // Every issue is newer than the oldest one's age; none is from the last day.
    expect(ok(await ageCounts({ jql: '', scope: { ...scope, maxAgeDays: days + 1 } })).counts).toEqual({ kept: issues().length, of: issues().length });
    expect(ok(await ageCounts({ jql: '', scope: { ...scope, maxAgeDays: 1 } })).counts).toEqual({ kept: 0, of: issues().length });
    // The filter narrows both counts.
    const labelled = ok(await ageCounts({ jql: 'issuetype = Task', scope: { ...scope, maxAgeDays: 1 } })).counts;
    expect(labelled?.of).toBeLessThan(issues().length);
    expect(labelled?.kept).toBe(0);
  });

  it('counts nothing with no limit, no project, or a filter that would escape the scope; only Jira admins ask', async () => {
    expect(ok(await ageCounts({ jql: '', scope })).counts).toBeNull();
    expect(ok(await ageCounts({ jql: '', scope: { ...scope, projects: [], maxAgeDays: 7 } })).counts).toBeNull();
    expect(ok(await ageCounts({ jql: 'labels is EMPTY) OR (project = OPS', scope: { ...scope, maxAgeDays: 7 } })).counts).toBeNull();
    const member = await ageCounts({ jql: '', scope: { ...scope, maxAgeDays: 7 } }, 'member-1');
    expect(member.success ? null : member.error.code).toBe('FORBIDDEN');
    const bad = await ageCounts({ jql: '', scope: { ...scope, maxAgeDays: -1 } });
    expect(bad.success ? null : bad.error.code).toBe('BAD_REQUEST');
  });
});

describe('projects.list, me.get', () => {
  it('lists the projects the user can see', async () => {
    const all = ok(await h.call('admin-page-resolver', 'projects.list', {}, 'admin-1', ADMIN_EXTENSION));
    expect(all.projects.map((p) => p.key)).toEqual(['MOB', 'OPS', 'SHOP']);
    const restricted = ok(await h.call('admin-page-resolver', 'projects.list', {}, 'restricted-1', ADMIN_EXTENSION));
    expect(restricted.projects.map((p) => p.key)).toEqual(['MOB', 'SHOP']);
  });

  it('issueTypes.list names each issue type once, alphabetically, and a saved choice of them is accepted', async () => {
    const { names } = ok(await h.call('admin-page-resolver', 'issueTypes.list', {}, 'admin-1', ADMIN_EXTENSION));
    expect(names).toEqual([...h.jira.store.issueTypes.values()].map((t) => t.name).sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })));
    expect(names).toContain('Bug');
    const chosen = { ...TEST_SETTINGS, issueTypes: [names[0] as string, (names[1] as string).toUpperCase()] };
    expect(ok(await h.call('admin-page-resolver', 'settings.save', { settings: chosen }, 'admin-1', ADMIN_EXTENSION)).settings.issueTypes).toEqual(chosen.issueTypes);
    ok(await h.call('admin-page-resolver', 'settings.save', { settings: TEST_SETTINGS }, 'admin-1', ADMIN_EXTENSION));
    // The narrower save's sweep let go of the fixture's issues of other types: back for the tests after.
    await restoreFixture(h);
    // A team-managed project brings its own "Bug": still one name (JQL matches both by it).
    h.jira.store.issueTypes.set('20001', { id: '20001', name: 'bug', description: 'Team-managed' });
    try {
      const again = ok(await h.call('admin-page-resolver', 'issueTypes.list', {}, 'admin-1', ADMIN_EXTENSION)).names;
      expect(again).toEqual(names);
    } finally {
      h.jira.store.issueTypes.delete('20001');
    }
  });

  it('me.get says who is calling and whether they are a Jira admin', async () => {
    expect(ok(await h.call('admin-page-resolver', 'me.get', {}, 'admin-1', ADMIN_EXTENSION))).toEqual({ accountId: 'admin-1', displayName: 'Alex Admin', isAdmin: true });
    expect(ok(await h.call('admin-page-resolver', 'me.get', {}, 'viewer-1', ADMIN_EXTENSION)).isAdmin).toBe(false);
  });
});

describe('uim.register', () => {
  it('registers one UI modification with a GIC context per project, idempotently', async () => {
    expect(ok(await h.call('admin-page-resolver', 'uim.register', {}, 'admin-1', ADMIN_EXTENSION))).toEqual({ registered: 3 });
    expect(ok(await h.call('admin-page-resolver', 'uim.register', {}, 'admin-1', ADMIN_EXTENSION))).toEqual({ registered: 3 });
    const uims = [...h.jira.store.uiModifications.values()];
    expect(uims.length).toBe(1);
    expect(uims[0]?.contexts.map((c) => [c.projectId, c.viewType]).sort()).toEqual([
      ['10000', 'GIC'],
      ['10001', 'GIC'],
      ['10002', 'GIC'],
    ]);
  });

  it('is FORBIDDEN for non-admins', async () => {
    const res = await h.call('admin-page-resolver', 'uim.register', {}, 'member-1', ADMIN_EXTENSION);
    expect(res.success ? null : res.error.code).toBe('FORBIDDEN');
    // So is reading how it stands (it names projects in scope): the page tells a member the
    // actions are for admins rather than showing a state it could not read.
    const status = await h.call('admin-page-resolver', 'uim.status', {}, 'member-1', ADMIN_EXTENSION);
    expect(status.success ? null : status.error.code).toBe('FORBIDDEN');
  });
});

describe('settings.preview', () => {
  it('gives the stored pairs\' scores in hundredths, only of the projects the viewer may browse', async () => {
    const all = ok(await h.call('admin-page-resolver', 'settings.preview', {}, 'admin-1', ADMIN_EXTENSION));
    expect(all.buckets).toHaveLength(100);
    expect(all.storedFrom).toBe(TEST_SETTINGS.thresholds.related);
    // The fixture's five pairs: .82, .41, .61, .71, .90.
    expect(all.total).toBe(5);
    expect([41, 61, 71, 82, 90].map((b) => all.buckets[b])).toEqual([1, 1, 1, 1, 1]);
    // Of them, those stored in the duplicate tier, bucket by bucket.
    const stored = (await h.forge.sql.query("SELECT score FROM pairs WHERE tier = 'duplicate'")) as Array<{ score: number }>;
    expect(all.duplicates).toEqual(all.buckets.map((_, b) => stored.filter((p) => Math.min(99, Math.floor(Number(p.score) * 100)) === b).length));
    expect(all.storedDuplicateFrom).toBe(TEST_SETTINGS.thresholds.duplicate);
    // restricted-1 may not browse OPS: the SHOP-2–OPS-1 pair (.71) is not counted.
    const restricted = ok(await h.call('admin-page-resolver', 'settings.preview', {}, 'restricted-1', ADMIN_EXTENSION));
    expect(restricted.total).toBe(4);
    expect(restricted.buckets[71]).toBe(0);
  });

  it('says which thresholds the stored tiers were computed under: the last finished analysis\'s, not a save since', async () => {
    const runId = 'run-preview-thresholds';
    await insertRun({
      id: runId,
      scopeKey: 'all',
      mode: 'full',
      trigger: 'manual',
      status: 'done',
      startedBy: 'admin-1',
      startedMs: Date.now() - 1_000,
      finishedMs: Date.now(),
      heartbeatMs: Date.now(),
      expected: null,
      chains: 1,
      sinceMs: null,
      error: null,
      settingsJson: JSON.stringify({ ...TEST_SETTINGS, thresholds: { duplicate: 0.55, related: 0.2 } }),
    });
    try {
      const res = ok(await h.call('admin-page-resolver', 'settings.preview', {}, 'admin-1', ADMIN_EXTENSION));
      expect([res.storedDuplicateFrom, res.storedFrom]).toEqual([0.55, 0.2]);
      // Saved settings are not what the stored tiers were computed under.
      expect((await getSettings()).thresholds).toEqual(TEST_SETTINGS.thresholds);
    } finally {
      await deleteRunRow(runId);
    }
    expect(ok(await h.call('admin-page-resolver', 'settings.preview', {}, 'admin-1', ADMIN_EXTENSION)).storedDuplicateFrom).toBe(TEST_SETTINGS.thresholds.duplicate);
  });

  it('counts a score of exactly 1 in the last bucket', async () => {
    await h.forge.sql.query("UPDATE pairs SET score = 1 WHERE id = ?", [pairIdOf('MOB-1', 'MOB-2')]);
    try {
      const res = ok(await h.call('admin-page-resolver', 'settings.preview', {}, 'admin-1', ADMIN_EXTENSION));
      expect(res.buckets).toHaveLength(100);
      expect(res.buckets[99]).toBe(1);
      expect(res.total).toBe(5);
    } finally {
      await h.forge.sql.query("UPDATE pairs SET score = 0.9 WHERE id = ?", [pairIdOf('MOB-1', 'MOB-2')]);
    }
  });
});

describe('the create-dialog check follows the projects in scope', () => {
  const idOf = (key: string) => [...h.jira.store.projects.values()].find((p) => p.key === key)?.id ?? `no ${key}`;
  const registered = () => [...h.jira.store.uiModifications.values()].map((m) => m.contexts.map((c) => c.projectId).sort());
  const save = async (projects: string[]) => ok(await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, projects } }, 'admin-1', ADMIN_EXTENSION));
  const status = async () => ok(await h.call('admin-page-resolver', 'uim.status', {}, 'admin-1', ADMIN_EXTENSION));
  const puts = () => h.jira.stats().count('PUT', '/rest/api/3/uiModifications/{id}') + h.jira.stats().count('POST', '/rest/api/3/uiModifications');

  beforeEach(() => {
    h.jira.store.uiModifications.clear();
    h.jira.faults.clear();
  });
  // Each test saves fewer projects, whose sweep lets go of their issues: the fixture is written again after it.
  afterEach(async () => {
    h.jira.faults.clear();
    await restoreFixture(h);
  });
  afterAll(async () => {
    h.jira.faults.clear();
    await save(TEST_SETTINGS.projects);
  });

  it('saving settings turns the check on for exactly the saved projects, and off when none is left', async () => {
    expect((await status()).state).toBe('off');
    const first = await save(['SHOP', 'OPS']);
    expect({ ...first.createCheck, coveredKeys: [...first.createCheck.coveredKeys].sort() }).toEqual({ state: 'on', coveredKeys: ['OPS', 'SHOP'], missingKeys: [], extraProjects: 0, error: null });
    expect(registered()).toEqual([[idOf('OPS'), idOf('SHOP')].sort()]);

    const narrowed = await save(['MOB']);
    expect(narrowed.createCheck.state).toBe('on');
    expect(narrowed.createCheck.coveredKeys).toEqual(['MOB']);
    expect(registered()).toEqual([[idOf('MOB')]]);
    const details = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'settings.save'")) as Array<{ detail: string }>;
    // The history names the projects that came and went, not only that the scope changed.
    expect(details.map((d) => d.detail)).toContain('changed: projects in scope (added MOB; removed OPS and SHOP); 1 project in scope; create-dialog check now on 1 project');

    const none = await save([]);
    expect(none.createCheck.state).toBe('off');
    expect(registered()).toEqual([[]]);
    const emptied = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'settings.save'")) as Array<{ detail: string }>;
    expect(emptied.map((d) => d.detail)).toContain('changed: projects in scope (removed MOB); 0 projects in scope; create-dialog check now off');
  });

  it('a save that changes no project writes nothing to Jira', async () => {
    await save(['SHOP']);
    const before = puts();
    const again = await save(['SHOP']);
    expect(again.createCheck.state).toBe('on');
    expect(puts()).toBe(before);
  });

  it('uim.status tells a check someone changed in Jira from one that matches, and the button puts it back', async () => {
    await save(['SHOP', 'OPS']);
    expect((await status()).state).toBe('on');
    // Someone narrowed the registration outside the app.
    const entity = [...h.jira.store.uiModifications.values()][0];
    if (!entity) throw new Error('no UI modification');
    h.jira.store.uiModifications.set(entity.id, { ...entity, contexts: entity.contexts.filter((c) => c.projectId === idOf('OPS')).concat([{ id: '9', projectId: idOf('MOB'), issueTypeId: null, viewType: 'GIC' }]) });
    expect(await status()).toEqual({ state: 'outdated', coveredKeys: ['OPS'], missingKeys: ['SHOP'], extraProjects: 1, error: null });
    ok(await h.call('admin-page-resolver', 'uim.register', {}, 'admin-1', ADMIN_EXTENSION));
    expect((await status()).state).toBe('on');
    h.jira.store.uiModifications.clear();
    expect((await status()).state).toBe('off');
  });

  it('turned off in the settings, the check leaves every create dialog, and the check itself answers nothing', async () => {
    await save(['SHOP', 'OPS']);
    const off = ok(await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, projects: ['SHOP', 'OPS'], createDialogCheck: false } }, 'admin-1', ADMIN_EXTENSION));
    expect(off.createCheck.state).toBe('off');
    expect(registered()).toEqual([[]]);
    expect((await status()).state).toBe('off');
    const register = await h.call('admin-page-resolver', 'uim.register', {}, 'admin-1', ADMIN_EXTENSION);
    expect(register.success ? null : register.error.message).toMatch(/turned off in the settings/);
    // Even where Jira still runs it (someone registered it by hand), it warns about nothing.
    const entity = [...h.jira.store.uiModifications.values()][0];
    if (!entity) throw new Error('no UI modification');
    h.jira.store.uiModifications.set(entity.id, { ...entity, contexts: [{ id: '1', projectId: idOf('SHOP'), issueTypeId: null, viewType: 'GIC' }] });
    expect((await status()).state).toBe('outdated');
    const check = ok(await h.call('create-check-resolver', 'create.check', { summary: 'Checkout fails with payment gateway timeout' }, 'member-1', { type: 'jira:uiModifications', project: { id: idOf('SHOP'), key: 'SHOP' } }));
    expect(check.matches).toEqual([]);
    // On again: back on the projects in scope, and warning again.
    const on = await save(['SHOP', 'OPS']);
    expect(on.createCheck.state).toBe('on');
    const again = ok(await h.call('create-check-resolver', 'create.check', { summary: 'Checkout fails with payment gateway timeout' }, 'member-1', { type: 'jira:uiModifications', project: { id: idOf('SHOP'), key: 'SHOP' } }));
    expect(again.matches.length).toBeGreaterThan(0);
  });

  it('when Jira fails, the settings are still saved and the answer says the check is unknown', async () => {
    h.jira.faults.serverErrors({ count: 20, status: 503, path: /uiModifications/ });
    const res = await save(['OPS']);
    expect(res.settings.projects).toEqual(['OPS']);
    expect((await getSettings()).projects).toEqual(['OPS']);
    expect(res.createCheck.state).toBe('unknown');
    expect(res.createCheck.error).toMatch(/\S/);
    const unknown = await status();
    expect(unknown.state).toBe('unknown');
    h.jira.faults.clear();
    expect((await status()).state).toBe('off');
  });
});

describe('admin runs', () => {
  it('only Jira admins may start or watch the all-projects run', async () => {
    const denied = await h.call('admin-page-resolver', 'run.start', {}, 'member-1', ADMIN_EXTENSION);
    expect(denied.success ? null : denied.error.code).toBe('FORBIDDEN');
    const status = await h.call('admin-page-resolver', 'run.status', {}, 'member-1', ADMIN_EXTENSION);
    expect(status.success ? null : status.error.code).toBe('FORBIDDEN');
    const started = ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION));
    expect(started.run.scope).toEqual({ kind: 'all' });
    expect(started.run.trigger).toBe('admin');
    await h.forge.queue.settle(60_000);
    const after = ok(await h.call('admin-page-resolver', 'run.status', {}, 'admin-1', ADMIN_EXTENSION));
    expect(after.last?.runId).toBe(started.run.runId);
  });
});

describe('history.list on the admin page', () => {
  it('lists what was done to the app as a whole, for Jira admins only', async () => {
    // A decision in a project belongs to that project's page, not here.
    await appendAction({ action: 'confirm', actorAccountId: 'member-1', issueKeys: ['SHOP-1', 'SHOP-2'], projectKeys: ['SHOP'], detail: 'a project decision' });
    ok(await h.call('admin-page-resolver', 'settings.save', { settings: { ...(await getSettings()), retentionDays: 91 } }, 'admin-1', ADMIN_EXTENSION));
    const res = ok(await h.call('admin-page-resolver', 'history.list', { page: 1, pageSize: 50 }, 'admin-1', ADMIN_EXTENSION));
    expect(res.items[0]).toEqual(expect.objectContaining({ action: 'settings.save', actorAccountId: 'admin-1' }));
    // The all-projects run started above is here too; nothing that names a project is.
    expect(res.items.map((a) => a.action)).toEqual(expect.arrayContaining(['settings.save', 'run.start']));
    expect(res.items.filter((a) => a.detail === 'a project decision' || a.issueKeys.length > 0)).toEqual([]);
    expect(res.actors).toEqual(expect.arrayContaining([expect.objectContaining({ accountId: 'admin-1' })]));

    const member = await h.call('admin-page-resolver', 'history.list', {}, 'member-1', ADMIN_EXTENSION);
    expect(member.success ? null : member.error.code).toBe('FORBIDDEN');
    const withProject = await h.call('admin-page-resolver', 'history.list', { projectKey: 'SHOP' }, 'admin-1', ADMIN_EXTENSION);
    expect(withProject.success ? null : withProject.error.code).toBe('BAD_REQUEST');
  });
});

describe('advice in the admin page\'s errors: its readers are Jira admins', () => {
  const ADMIN_ADVICE = "contact the app's support (see its Atlassian Marketplace listing)";
  afterEach(async () => {
    h.forge.kvs.faults.clear();
    h.jira.faults.clear();
    // A save whose write failed gives its version back only when it read the old settings
    // back: let any version left taken go, so no later test's save is held.
    await h.forge.sql.query("UPDATE settings_writes SET taken_ms = 0 WHERE k = 'settings:v1'");
    await saveSettings(TEST_SETTINGS);
  });

  it('a settings write that fails sends the admin to the app\'s support; the same failure elsewhere sends people to their Jira admin', async () => {
    const before = await getSettings();
    // Both writes of the save (it tries twice) fail, and the read-back finds the old settings.
    h.forge.kvs.faults.failNext(2, { match: { route: 'set', key: 'settings:v1' } });
    const res = await h.call('admin-page-resolver', 'settings.save', { settings: { ...before, retentionDays: 77 } }, 'admin-1', ADMIN_EXTENSION);
    expect(res.success ? null : res.error).toEqual({ code: 'INTERNAL', message: `Something went wrong on our side. Try again; if it keeps failing, ${ADMIN_ADVICE}.` });
    expect(h.forge.kvs.faults.pendingFailures()).toBe(0);
    expect(await getSettings()).toEqual(before);

    // The project page's readers are anyone who can browse the project.
    h.forge.kvs.faults.failNext(1, { match: { route: 'get', key: 'settings:v1' } });
    const stats = await h.call('project-page-resolver', 'stats.get', { projectKey: 'SHOP' }, 'member-1', projectExtension('SHOP'));
    expect(stats.success ? null : stats.error).toEqual({ code: 'INTERNAL', message: 'Something went wrong on our side. Try again; if it keeps failing, tell your Jira admin.' });
  });

  it('Jira refusing a call asks the admin to check the permissions, not to ask a Jira admin, also in the create check\'s state', async () => {
    h.jira.faults.serverErrors({ count: 10, status: 403, path: /project\/search/ });
    const projects = await h.call('admin-page-resolver', 'projects.list', {}, 'admin-1', ADMIN_EXTENSION);
    expect(projects.success ? null : projects.error).toEqual({ code: 'FORBIDDEN', message: 'Jira refused this. Check the permissions your account and the app have in Jira.' });
    h.jira.faults.clear();
    // uim.status words Jira's failure itself, for the surface that asked.
    h.jira.faults.serverErrors({ count: 10, status: 403, path: /uiModifications/ });
    const status = ok(await h.call('admin-page-resolver', 'uim.status', {}, 'admin-1', ADMIN_EXTENSION));
    expect([status.state, status.error]).toEqual(['unknown', 'Jira refused this. Check the permissions your account and the app have in Jira.']);
    // So does a save, which puts the check on the saved projects.
    const saved = ok(await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, retentionDays: 78 } }, 'admin-1', ADMIN_EXTENSION));
    expect([saved.createCheck.state, saved.createCheck.error]).toEqual(['unknown', 'Jira refused this. Check the permissions your account and the app have in Jira.']);
  });
});
