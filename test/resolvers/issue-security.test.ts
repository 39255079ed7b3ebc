/**
 * Issue security: an issue under a security level is seen only by the level's members. The
 * stand-in's 'Security team' level (10100) has admin-1, member-1 and lead-1; viewer-1 and
 * restricted-1 are outside it. A real analysis reads the level from Jira; then nothing about
 * the secured issue may reach someone outside the level: not its rows, and not the counts,
 * totals, charts, clusters, history or run counters that would say it is there.
 */
import { startRun } from '../../src/analysis/run-control';
import { saveSettings } from '../../src/store/settings';
import { issue, issueExtension, ok, pairIdOf, projectExtension, startHarness, TEST_SETTINGS, type Harness, type User } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
const SECURED = 'SHOP-2';
// Its key, its summary, and its id (pair ids are made of issue ids).
const SECURED_TEXT = /SHOP-2\b|timeout during checkout|20002/;
const LEVEL = '10100';

beforeAll(async () => {
  h = await startHarness();
  h.jira.setSecurityLevel(SECURED, LEVEL);
  // A real run reads every issue, its security level too, and stores its pairs.
  const { run } = await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1', mode: 'full' });
  await h.forge.queue.settle(60_000);
  const done = (await h.forge.sql.query('SELECT status FROM runs WHERE id = ?', [run.runId])) as Array<{ status: string }>;
  expect(done[0]?.status).toBe('done');
  // A decision on a pair with the secured issue, for the history.
  ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', SECURED), decision: 'dismiss' }, 'member-1', SHOP));
  // What the run found with the secured issue, besides that one: the pair with OPS-1.
  const pending = (await h.forge.sql.query("SELECT id FROM pairs WHERE active = 1 AND status = 'pending' AND (issue_a = ? OR issue_b = ?)", [issue(SECURED).id, issue(SECURED).id])) as Array<{ id: string }>;
  expect(pending.map((p) => p.id)).toEqual([pairIdOf(SECURED, 'OPS-1')]);
});

afterAll(async () => {
  await h?.stop();
});

afterEach(async () => {
  await saveSettings(TEST_SETTINGS);
});

/** What a user can read on SHOP's page, OPS-1's panel and SHOP's create dialog, as one text and its counts. */
async function shopAsSeenBy(user: User | 'lead-1'): Promise<{ text: string; counts: Record<string, number> }> {
  const who = user as User;
  const parts: unknown[] = [];
  const counts: Record<string, number> = {};
  for (const status of ['pending', 'dismissed'] as const) {
    const list = ok(await h.call('project-page-resolver', 'pairs.list', { status, pageSize: 100 }, who, SHOP));
    parts.push(list);
    counts[`${status}Rows`] = list.items.length;
    counts[`${status}Total`] = list.total;
  }
  const search = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', search: 'checkout' }, who, SHOP));
  parts.push(search);
  counts['searchTotal'] = search.total;
  const clusters = ok(await h.call('project-page-resolver', 'clusters.list', {}, who, SHOP));
  parts.push(clusters);
  counts['clusterMembers'] = clusters.items.reduce((n, c) => n + c.size, 0);
  const csv = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending' }, who, SHOP));
  parts.push(csv);
  counts['csvRows'] = csv.rows;
  const stats = ok(await h.call('project-page-resolver', 'stats.get', { progress: true }, who, SHOP));
  parts.push(stats);
  counts['statsPending'] = stats.byStatus.pending;
  counts['statsDismissed'] = stats.byStatus.dismissed;
  counts['histogram'] = stats.scoreHistogram.reduce((n, b) => n + b.count, 0);
  const history = ok(await h.call('project-page-resolver', 'history.list', {}, who, SHOP));
  parts.push(history);
  counts['history'] = history.items.length;
  counts['historyTotal'] = history.total;
  const suggestions = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('OPS-1').id }, who, issueExtension('OPS-1')));
  parts.push(suggestions);
  counts['suggestions'] = suggestions.duplicates.length + suggestions.related.length;
  const check = ok(
    await h.call('create-check-resolver', 'create.check', { summary: 'Payment gateway timeout during checkout' }, who, {
      type: 'jira:uiModifications',
      project: { id: '10001', key: 'SHOP' },
    }),
  );
  parts.push(check);
  counts['createCheck'] = check.matches.length;
  return { text: JSON.stringify(parts), counts };
}

describe('issue security', () => {
  it('is read from Jira by the analysis and stored with the issue', async () => {
    const rows = (await h.forge.sql.query('SELECT id, security_level FROM docs WHERE security_level <> ?', [''])) as Array<{ id: string; security_level: string }>;
    expect(rows).toEqual([{ id: issue(SECURED).id, security_level: LEVEL }]);
  });

  it('shows the level\'s members the secured issue everywhere', async () => {
    const { text, counts } = await shopAsSeenBy('member-1');
    expect(text).toMatch(SECURED_TEXT);
    expect(counts['dismissedTotal']).toBe(1);
    expect(counts['history']).toBeGreaterThanOrEqual(1);
  });

  it('hides it from everyone else: rows, totals, search, clusters, CSV, charts, history, panel and create check', async () => {
    const member = await shopAsSeenBy('member-1');
    const viewer = await shopAsSeenBy('viewer-1');
    expect(viewer.text).not.toMatch(SECURED_TEXT);
    // The member's pending pairs with the secured issue: the viewer's totals are the rest.
    const memberList = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 100 }, 'member-1', SHOP));
    const withSecured = memberList.items.filter((p) => p.a.key === SECURED || p.b.key === SECURED).length;
    expect(withSecured).toBeGreaterThan(0);
    const m = member.counts;
    const v = viewer.counts;
    const less = (key: string, by: number): [string, number] => [key, (m[key] ?? 0) - by];
    expect(Object.entries(v).sort()).toEqual(
      Object.entries({
        ...m,
        ...Object.fromEntries([
          less('pendingRows', withSecured),
          less('pendingTotal', withSecured),
          less('csvRows', withSecured),
          less('statsPending', withSecured),
          less('searchTotal', withSecured),
          // The score chart counts every pair, the dismissed one with it too.
          less('histogram', withSecured + 1),
          less('dismissedRows', 1),
          less('dismissedTotal', 1),
          less('statsDismissed', 1),
          less('history', 1),
          less('historyTotal', 1),
          less('suggestions', 1),
          less('createCheck', 1),
          // Its cluster with OPS-1 is gone whole: a pair of one.
          less('clusterMembers', 2),
        ]),
      }).sort(),
    );
  });

  it('withholds the run counters from someone outside the level, on the project page and in the run list', async () => {
    const status = async (who: string) => ok(await h.call('project-page-resolver', 'run.status', {}, who as User, SHOP)).last;
    const member = await status('member-1');
    const viewer = await status('viewer-1');
    expect(member?.countsWithheld).toBe('none');
    expect(member?.counters.fetched).toBeGreaterThan(0);
    expect(viewer?.countsWithheld).toBe('all');
    expect(viewer?.counters).toEqual({ fetched: 0, indexed: 0, scored: 0, pairs: 0, expected: null, toCompare: null });
    // How far a run is, as a fraction of the issues in scope, would tell how many there are.
    expect([member?.progress, viewer?.progress, viewer?.etaSeconds]).toEqual([1, null, null]);
    const listed = ok(await h.call('project-page-resolver', 'run.list', {}, 'viewer-1', SHOP)).runs;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.countsWithheld === 'all')).toBe(true);
    // MOB has no secured issue: viewer-1 sees its project runs' counts (suggestions across projects off).
    await saveSettings({ ...TEST_SETTINGS, crossProject: false });
    const mob = ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'viewer-1', projectExtension('MOB'))).run;
    await h.forge.queue.settle(60_000);
    const mobStatus = ok(await h.call('project-page-resolver', 'run.status', {}, 'viewer-1', projectExtension('MOB'))).last;
    expect([mobStatus?.runId, mobStatus?.countsWithheld]).toEqual([mob.runId, 'none']);
  });

  it('scores the create check without the secured issue, so a guessed word of it does not move the scores', async () => {
    const score = async (who: User, word: string) => {
      const res = ok(
        await h.call('create-check-resolver', 'create.check', { summary: `Checkout fails with payment gateway timeout ${word}` }, who, {
          type: 'jira:uiModifications',
          project: { id: '10001', key: 'SHOP' },
        }),
      );
      return res.matches.find((m) => m.key === 'SHOP-1')?.score;
    };
    // "30" is a word of the secured issue alone; "zqxwv" of none.
    const member = [await score('member-1', '30'), await score('member-1', 'zqxwv')];
    const viewer = [await score('viewer-1', '30'), await score('viewer-1', 'zqxwv')];
    expect(member[0]).not.toBe(member[1]);
    expect(viewer[0]).toBeDefined();
    expect(viewer[0]).toBe(viewer[1]);
  });

  it('names a pair\'s cluster in lists only to someone who sees every issue, or by one of the pair\'s own', async () => {
    const clusters = async (who: User) =>
      ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 100 }, who, SHOP)).items.map((p) => [p.a.key, p.b.key, p.clusterId]);
    const opsPair = (rows: unknown[][]) => rows.find((r) => r[0] === 'SHOP-1' && r[1] === 'OPS-1');
    // The stored cluster of SHOP-1 and OPS-1 is named after the secured issue, which joins them.
    expect(opsPair(await clusters('member-1'))?.[2]).toBe(issue(SECURED).id);
    const viewer = await clusters('viewer-1');
    expect(opsPair(viewer)?.[2]).toBeNull();
    const ownIds = new Map(Object.entries({ 'SHOP-1': issue('SHOP-1').id, 'SHOP-3': issue('SHOP-3').id, 'SHOP-4': issue('SHOP-4').id, 'OPS-1': issue('OPS-1').id }));
    for (const [a, b, c] of viewer) expect([null, ownIds.get(String(a)), ownIds.get(String(b))]).toContain(c);
    // A cluster named after an issue the viewer can see, but joined through one they cannot
    // (as a run leaves it when a secured issue links two groups): not named to them either.
    const cartPair = pairIdOf('SHOP-3', 'SHOP-4');
    const [before] = (await h.forge.sql.query('SELECT cluster_id FROM pairs WHERE id = ?', [cartPair])) as Array<{ cluster_id: string | null }>;
    await h.forge.sql.query('UPDATE pairs SET cluster_id = ? WHERE id = ?', [issue('SHOP-1').id, cartPair]);
    try {
      const cart = (rows: unknown[][]) => rows.find((r) => r[0] === 'SHOP-3' && r[1] === 'SHOP-4')?.[2];
      expect(cart(await clusters('member-1'))).toBe(issue('SHOP-1').id);
      expect(cart(await clusters('viewer-1'))).toBeNull();
    } finally {
      await h.forge.sql.query('UPDATE pairs SET cluster_id = ? WHERE id = ?', [before?.cluster_id ?? null, cartPair]);
    }
  });

  it('keeps a Confirm joined through the secured issue out of the history of those outside the level', async () => {
    h.jira.link('Duplicate', 'SHOP-3', SECURED);
    h.jira.link('Duplicate', 'SHOP-4', SECURED);
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    try {
      expect(ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP)).joinedThrough).toEqual([SECURED]);
      const history = async (who: User) => ok(await h.call('project-page-resolver', 'history.list', { issueKey: 'SHOP-3' }, who, SHOP)).items.map((a) => a.detail ?? '');
      expect((await history('member-1')).some((d) => d.includes(`through ${SECURED}`))).toBe(true);
      expect(await history('viewer-1')).toEqual([]);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'member-1', SHOP));
      for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });

  it('leaves a pair out of counts once its issue is secured, and back in once the level is cleared', async () => {
    const total = async (who: User) => ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, who, SHOP)).total;
    const before = await total('viewer-1');
    h.jira.setSecurityLevel(SECURED, null);
    await startRun({ scope: { kind: 'project', projectKey: 'SHOP' }, trigger: 'manual', startedBy: 'admin-1', mode: 'full' });
    await h.forge.queue.settle(60_000);
    expect(await total('viewer-1')).toBe(await total('member-1'));
    expect(await total('viewer-1')).toBeGreaterThan(before);
    h.jira.setSecurityLevel(SECURED, LEVEL);
    await startRun({ scope: { kind: 'project', projectKey: 'SHOP' }, trigger: 'manual', startedBy: 'admin-1', mode: 'full' });
    await h.forge.queue.settle(60_000);
    expect(await total('viewer-1')).toBe(before);
  });
});

describe('a secured issue moved to another project', () => {
  const viewerItems = async () => ok(await h.call('project-page-resolver', 'history.list', { pageSize: 100 }, 'viewer-1', SHOP)).items;
  const memberHistory = async () => JSON.stringify(ok(await h.call('project-page-resolver', 'history.list', { pageSize: 100 }, 'member-1', SHOP)).items);
  beforeAll(async () => {
    expect(await memberHistory()).toMatch(SECURED_TEXT);
    expect(JSON.stringify(await viewerItems())).not.toMatch(SECURED_TEXT);
    const off = h.jira.onEvent(async (type, payload) => {
      await h.forge.deliverProductEvent(type, payload as Record<string, unknown>);
    });
    try {
      h.jira.updateIssue(SECURED, { projectKey: 'MOB' }, { accountId: 'member-1' });
      await h.jira.flushEvents();
    } finally {
      off();
    }
    const [doc] = (await h.forge.sql.query('SELECT issue_key, project_key, security_level FROM docs WHERE id = ?', [issue(SECURED).id])) as Array<{ issue_key: string; project_key: string; security_level: string }>;
    expect(doc).toMatchObject({ project_key: 'MOB', security_level: LEVEL });
    expect(doc?.issue_key).not.toBe(SECURED);
  });

  // The history keeps the keys an entry was written with, and who may read an entry about a
  // secured issue was decided by the keys the secured issues have now: once the issue moved
  // (a new key), the entries on its pairs named a key nobody looked for, and the viewer
  // outside the level read the dismissal of SHOP-1 and SHOP-2. Hidden now by the pair's ids.
  it('keeps the entries on its pairs from those outside the level', async () => {
    expect(await memberHistory()).toMatch(SECURED_TEXT);
    const onItsPairs = (await viewerItems()).filter((a) => (a.pairId ?? '').split('-').includes(issue(SECURED).id));
    expect(onItsPairs).toEqual([]);
  });

  // An entry on another pair that names the secured issue by its old key (a Confirm of SHOP-3
  // and SHOP-4 "joined through SHOP-2") has no id of it to go by: the move left the old key in
  // former_keys, and the viewer's hidden keys hold it too.
  it('keeps entries that name it as the issue joining another pair from those outside the level', async () => {
    // Still there for a member of the level, by the old key it was written with.
    expect(await memberHistory()).toMatch(new RegExp(`through ${SECURED}\\b`));
    expect(JSON.stringify(await viewerItems())).not.toMatch(SECURED_TEXT);
  });
});
