/**
 * `clusters.link`: a cluster settled in one step, through the real SDKs, LocalForge, MariaDB
 * and the Jira stand-in: one Duplicate link per other issue (as the user), the pairs among
 * the linked issues confirmed, one history entry; refusals write nothing.
 */
import { upsertPairs } from '../../src/store/pairs';
import { issue, ok, pairIdOf, projectExtension, startHarness, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
const MOB = projectExtension('MOB');

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const id = (key: string) => issue(key).id;
/** The fixture's cluster, as clusters.list shows it. */
const CLUSTER = ['SHOP-1', 'SHOP-2', 'SHOP-5', 'OPS-1'];
const link = (user: string, keep: string, duplicates: string[], extension = SHOP, members = CLUSTER) =>
  h.call('project-page-resolver', 'clusters.link', { keepIssueId: id(keep), duplicateIssueIds: duplicates.map(id), memberIssueIds: members.map(id) }, user as never, extension);
const statusOf = async (x: string, y: string) =>
  ((await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairIdOf(x, y)])) as Array<{ status: string }>)[0]?.status;
const clusterActions = async () => (await h.forge.sql.query("SELECT actor, issue_keys, detail FROM actions WHERE action = 'cluster.link'")) as Array<{ actor: string; issue_keys: string; detail: string }>;

describe('clusters.link refuses, and writes nothing, when', () => {
  afterEach(async () => {
    expect(h.jira.store.links.size).toBe(0);
    expect(await statusOf('SHOP-1', 'SHOP-2')).toBe('pending');
    expect(await clusterActions()).toEqual([]);
  });

  it('the user may not browse one of the issues (same answer as an unknown issue)', async () => {
    const hidden = await link('restricted-1', 'SHOP-1', ['SHOP-2', 'SHOP-5']);
    expect(hidden.success ? null : hidden.error.code).toBe('NOT_FOUND');
    const unknown = await h.call('project-page-resolver', 'clusters.link', { keepIssueId: id('SHOP-1'), duplicateIssueIds: ['99999'], memberIssueIds: [] }, 'member-1', SHOP);
    expect(unknown.success ? null : [unknown.error.code, unknown.error.message]).toEqual(hidden.success ? null : [hidden.error.code, hidden.error.message]);
  });

  it('the user may not link issues', async () => {
    const res = await link('viewer-1', 'SHOP-1', ['SHOP-2']);
    expect(res.success ? null : res.error.code).toBe('FORBIDDEN');
  });

  it('the kept issue is also among the duplicates, or an issue is not similar to the others', async () => {
    const self = await link('member-1', 'SHOP-1', ['SHOP-1', 'SHOP-2']);
    expect(self.success ? null : self.error.code).toBe('BAD_REQUEST');
    const stray = await link('member-1', 'SHOP-1', ['SHOP-2', 'SHOP-6']);
    expect(stray.success ? null : stray.error.message).toMatch(/^SHOP-6 is no longer in one cluster with SHOP-1/);
    // OPS-1 is joined to SHOP-1 only through SHOP-2: without it among the members, it is not.
    const unjoined = await link('member-1', 'SHOP-1', ['OPS-1'], SHOP, ['SHOP-1', 'SHOP-5', 'OPS-1']);
    expect(unjoined.success ? null : unjoined.error.message).toMatch(/^OPS-1 is no longer in one cluster with SHOP-1/);
  });

  it('a pair that held the issue in the cluster was dismissed', async () => {
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'dismiss' }, 'member-1', SHOP));
    try {
      const res = await link('member-1', 'SHOP-1', ['SHOP-2', 'SHOP-5']);
      expect(res.success ? null : res.error.message).toMatch(/^SHOP-5 is no longer in one cluster/);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'reopen' }, 'member-1', SHOP));
      await h.forge.sql.query("DELETE FROM actions WHERE action IN ('dismiss', 'reopen')");
    }
  });

  it('a chosen issue\'s own pair with the kept one was dismissed, though other pairs still join the two', async () => {
    // SHOP-5 is joined to SHOP-1 directly and through SHOP-2 (a pair added for this test).
    const extra = { a: id('SHOP-2'), b: id('SHOP-5'), projectA: 'SHOP', projectB: 'SHOP', score: 0.6, tier: 'duplicate' as const, reasons: [{ term: 'checkout', share: 1 }], clusterId: null };
    await upsertPairs([extra], 'run-fixture', Date.now());
    // The page listed the cluster; then a colleague dismissed SHOP-1 and SHOP-5.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'dismiss', expected: 'pending' }, 'admin-1', SHOP));
    try {
      const members = [...CLUSTER];
      const res = await link('member-1', 'SHOP-1', ['SHOP-2', 'SHOP-5'], SHOP, members);
      expect(res.success ? null : [res.error.code, res.error.message]).toEqual([
        'CONFLICT',
        'SHOP-5 and SHOP-1 were dismissed as not duplicates, so nothing was linked. Reload the clusters to see where they stand; to link them, reopen that pair in the review queue first.',
      ]);
      expect(await statusOf('SHOP-1', 'SHOP-5')).toBe('dismissed');
      expect(await statusOf('SHOP-2', 'SHOP-5')).toBe('pending');
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'reopen' }, 'admin-1', SHOP));
      await h.forge.sql.query('DELETE FROM pairs WHERE id = ?', [pairIdOf('SHOP-2', 'SHOP-5')]);
      await h.forge.sql.query("DELETE FROM actions WHERE action IN ('dismiss', 'reopen')");
    }
  });

  it('none of the issues is in the page\'s project', async () => {
    const res = await link('member-1', 'SHOP-1', ['SHOP-2'], MOB);
    expect(res.success ? null : res.error.code).toBe('NOT_FOUND');
  });
});

describe('clusters.link', () => {
  it('reports an issue Jira would not link, and leaves its pair pending', async () => {
    // Every attempt at the link fails (the first try and both retries).
    h.jira.faults.serverErrors({ count: 3, status: 503, path: /issueLink$/ });
    try {
      const res = ok(await link('member-1', 'MOB-1', ['MOB-2'], MOB));
      expect(res.results).toEqual([{ issueId: id('MOB-2'), key: 'MOB-2', ok: false, error: expect.stringMatching(/\S/) as unknown }]);
      expect(res.pairsConfirmed).toBe(0);
    } finally {
      h.jira.faults.clear();
    }
    expect(h.jira.store.links.size).toBe(0);
    expect(await statusOf('MOB-1', 'MOB-2')).toBe('pending');
    expect((await clusterActions()).map((a) => a.detail)).toEqual(['0 issues linked as duplicates of MOB-1; 0 pairs confirmed; 1 not linked']);
    await h.forge.sql.query("DELETE FROM actions WHERE action = 'cluster.link'");
  });

  it('links only the issues chosen: pairs with an issue left out stay pending', async () => {
    const res = ok(await link('member-1', 'SHOP-1', ['SHOP-2']));
    expect(res.results.map((r) => [r.key, r.ok])).toEqual([['SHOP-2', true]]);
    expect(res.pairsConfirmed).toBe(1);
    expect(await statusOf('SHOP-1', 'SHOP-2')).toBe('confirmed');
    expect(await statusOf('SHOP-1', 'SHOP-5')).toBe('pending');
    expect(await statusOf('SHOP-2', 'OPS-1')).toBe('pending');
    // An issue joined to the kept one only through a member left out is linked too; no pair
    // lies between the two, so none is confirmed.
    const through = ok(await link('member-1', 'SHOP-1', ['OPS-1']));
    expect(through.results.map((r) => [r.key, r.ok])).toEqual([['OPS-1', true]]);
    expect(through.pairsConfirmed).toBe(0);
    expect(await statusOf('SHOP-2', 'OPS-1')).toBe('pending');
    // Back to where it was, for the next test (the links as the app knows them too).
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL");
    await h.forge.sql.query("DELETE FROM actions WHERE action = 'cluster.link'");
  });

  it('links every other issue to the kept one, once each, and confirms the pairs among them', async () => {
    const res = ok(await link('member-1', 'SHOP-1', ['SHOP-2', 'SHOP-5', 'OPS-1']));
    expect(res.keep.key).toBe('SHOP-1');
    expect(res.results.map((r) => [r.key, r.ok])).toEqual([
      ['SHOP-2', true],
      ['SHOP-5', true],
      ['OPS-1', true],
    ]);
    // Three links for four issues: each duplicate points at the kept issue.
    const links = [...h.jira.store.links.values()].map((l) => [l.inwardIssueId, l.outwardIssueId]).sort();
    expect(links).toEqual([id('OPS-1'), id('SHOP-2'), id('SHOP-5')].sort().map((d) => [d, id('SHOP-1')]));
    // All three pairs of the cluster are between linked issues (SHOP-2–OPS-1 included).
    expect(res.pairsConfirmed).toBe(3);
    for (const [x, y] of [['SHOP-1', 'SHOP-2'], ['SHOP-1', 'SHOP-5'], ['SHOP-2', 'OPS-1']] as const) expect(await statusOf(x, y)).toBe('confirmed');
    expect(await statusOf('SHOP-3', 'SHOP-4')).toBe('pending');
    const actions = await clusterActions();
    expect(actions).toEqual([{ actor: 'member-1', issue_keys: 'SHOP-1,SHOP-2,SHOP-5,OPS-1', detail: '3 issues linked as duplicates of SHOP-1; 3 pairs confirmed' }]);
    const cluster = ok(await h.call('project-page-resolver', 'clusters.list', {}, 'member-1', SHOP)).items[0];
    expect(cluster?.pendingPairs).toBe(0);
    const history = ok(await h.call('project-page-resolver', 'history.list', {}, 'member-1', SHOP));
    expect(history.items[0]?.action).toBe('cluster.link');

    // Undoing one pair of the cluster: SHOP-2 and OPS-1 were confirmed without a link of
    // their own, so unlinking them removes none, and the three links to SHOP-1 stay.
    const undo = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-2', 'OPS-1'), decision: 'reopen', unlink: true }, 'member-1', SHOP));
    expect(undo.unlinked).toBe(0);
    // The history does not claim a removal: "Removed a Duplicate link … removed: 0" read as a contradiction.
    const [undoEntry] = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'unlink' AND pair_id = ? ORDER BY at_ms DESC LIMIT 1", [pairIdOf('SHOP-2', 'OPS-1')])) as Array<{ detail: string }>;
    expect(undoEntry?.detail).toMatch(/; there was no Duplicate link between them to remove$/);
    expect(undo.pair.status).toBe('pending');
    expect([...h.jira.store.links.values()].map((l) => [l.inwardIssueId, l.outwardIssueId]).sort()).toEqual(links);
    // A pair with its own link loses just that one.
    const own = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'reopen', unlink: true }, 'member-1', SHOP));
    expect(own.unlinked).toBe(1);
    expect([...h.jira.store.links.values()].map((l) => [l.inwardIssueId, l.outwardIssueId]).sort()).toEqual(links.filter(([d]) => d !== id('SHOP-5')));
  });
});

describe('clusters.list says whether the viewer may link a cluster', () => {
  const listed = async (user: string) => ok(await h.call('project-page-resolver', 'clusters.list', {}, user as never, SHOP)).items;

  it('canLink is Link Issues on one of its members, the check clusters.link makes', async () => {
    const member = await listed('member-1');
    expect(member.map((c) => c.members.map((m) => m.key).sort())).toEqual([[...CLUSTER].sort()]);
    expect(member.map((c) => c.canLink)).toEqual([true]);
    // Browses everything, links nothing: the same cluster, not linkable.
    const viewer = await listed('viewer-1');
    expect(viewer.map((c) => c.id)).toEqual(member.map((c) => c.id));
    expect(viewer.map((c) => c.canLink)).toEqual([false]);
    // Link Issues in OPS only: OPS-1 is a member, so the cluster can be linked (kept as OPS-1).
    h.jira.putUser({ accountId: 'ops-linker-1', displayName: 'Ops Linker', admin: false, browse: '*', link: ['OPS'] });
    expect((await listed('ops-linker-1')).map((c) => c.canLink)).toEqual([true]);
    // Link Issues in MOB only: none of the members.
    h.jira.putUser({ accountId: 'mob-linker-1', displayName: 'Mob Linker', admin: false, browse: '*', link: ['MOB'] });
    expect((await listed('mob-linker-1')).map((c) => c.canLink)).toEqual([false]);
    const refused = await link('mob-linker-1', 'SHOP-1', ['SHOP-2']);
    expect(refused.success ? null : refused.error.code).toBe('FORBIDDEN');
  });
});

describe('clusters.link and a Duplicate link made in Jira', () => {
  beforeAll(async () => {
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0");
  });

  it('adds no second link for an issue already linked to the kept one in Jira (as last read), and counts it as linked', async () => {
    // Someone linked SHOP-1 as a duplicate of SHOP-2 in Jira, the other way round; a read stored it.
    h.jira.link('Duplicate', 'SHOP-1', 'SHOP-2');
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [id('SHOP-2'), id('SHOP-1')]);
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [id('SHOP-1'), id('SHOP-2')]);
    const res = ok(await link('member-1', 'SHOP-1', ['SHOP-2', 'SHOP-5']));
    // SHOP-2 was joined already (no link made, and the answer says so), SHOP-5 was linked.
    expect(res.results.map((r) => [r.key, r.ok, r.joined === true])).toEqual([
      ['SHOP-2', true, true],
      ['SHOP-5', true, false],
    ]);
    const pairsOfLinks = [...h.jira.store.links.values()].map((l) => [l.inwardIssueId, l.outwardIssueId].sort().join('-')).sort();
    // One link between SHOP-1 and SHOP-2 (the one made in Jira), one made now for SHOP-5.
    expect(pairsOfLinks).toEqual([[id('SHOP-1'), id('SHOP-2')].sort().join('-'), [id('SHOP-1'), id('SHOP-5')].sort().join('-')].sort());
    expect(await statusOf('SHOP-1', 'SHOP-2')).toBe('confirmed');
    // The link the app made is recorded on both documents.
    const stored = (await h.forge.sql.query('SELECT id, dup_links FROM docs WHERE id IN (?, ?)', [id('SHOP-1'), id('SHOP-5')])) as Array<{ id: string; dup_links: string }>;
    expect(Object.fromEntries(stored.map((r) => [r.id, r.dup_links.split(',').sort()]))).toEqual({
      [id('SHOP-1')]: [id('SHOP-2'), id('SHOP-5')].sort(),
      [id('SHOP-5')]: [id('SHOP-1')],
    });
  });

  /** No link in Jira or in the stored lists, every pair pending. */
  const startOver = async () => {
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0");
  };
  /** The Duplicate links in Jira, "SHOP-2>SHOP-1" for "SHOP-2 duplicates SHOP-1", sorted. */
  const linkKeys = () => {
    const keyOf = (x: string) => h.jira.store.issues.get(x)?.key ?? '';
    return [...h.jira.store.links.values()].map((l) => `${keyOf(l.inwardIssueId)}>${keyOf(l.outwardIssueId)}`).sort();
  };
  const linkBothOk = async () => {
    const res = ok(await link('member-1', 'SHOP-1', ['SHOP-2', 'SHOP-5']));
    expect(res.results.map((r) => [r.key, r.ok])).toEqual([
      ['SHOP-2', true],
      ['SHOP-5', true],
    ]);
  };

  it('links an issue whose stored link to the kept one was removed in Jira without an event, and adds none for a link no read recorded', async () => {
    await startOver();
    // Stored: SHOP-2 linked to SHOP-1 (the link is gone from Jira). Not stored: SHOP-5 linked to SHOP-1 (it is in Jira).
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [id('SHOP-2'), id('SHOP-1')]);
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [id('SHOP-1'), id('SHOP-2')]);
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-1');
    await linkBothOk();
    expect(linkKeys()).toEqual(['SHOP-2>SHOP-1', 'SHOP-5>SHOP-1']);
  });

  it('adds no link for an issue Jira already joins to the kept one through a third issue', async () => {
    await startOver();
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-3');
    h.jira.link('Duplicate', 'SHOP-1', 'SHOP-3');
    await linkBothOk();
    expect(linkKeys()).toEqual(['SHOP-1>SHOP-3', 'SHOP-2>SHOP-1', 'SHOP-5>SHOP-3']);
    expect(await statusOf('SHOP-1', 'SHOP-5')).toBe('confirmed');
  });
});


describe('clusters.link and two chosen issues dismissed as not duplicates of each other', () => {
  /** SHOP-2 and SHOP-5, both in the cluster around SHOP-1, read alike too (a related pair), and Alex dismissed them. */
  const B_C = () => pairIdOf('SHOP-2', 'SHOP-5');
  const linkKeys = () => {
    const keyOf = (x: string) => h.jira.store.issues.get(x)?.key ?? '';
    return [...h.jira.store.links.values()].map((l) => `${keyOf(l.inwardIssueId)}>${keyOf(l.outwardIssueId)}`).sort();
  };
  const listed = async () => {
    const res = ok(await h.call('project-page-resolver', 'clusters.list', {}, 'member-1', SHOP));
    const cluster = res.items.find((c) => c.members.some((m) => m.key === 'SHOP-1'));
    if (cluster === undefined) throw new Error('no cluster around SHOP-1');
    return { cluster, actors: res.actors };
  };
  const linkBoth = (knownDismissals?: Record<string, string>) =>
    h.call(
      'project-page-resolver',
      'clusters.link',
      { keepIssueId: id('SHOP-1'), duplicateIssueIds: [id('SHOP-2'), id('SHOP-5')], memberIssueIds: CLUSTER.map(id), ...(knownDismissals ? { knownDismissals } : {}) },
      'member-1',
      SHOP,
    );

  beforeAll(async () => {
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0");
    await h.forge.sql.query('DELETE FROM actions');
    const related = { a: id('SHOP-2'), b: id('SHOP-5'), projectA: 'SHOP', projectB: 'SHOP', score: 0.42, tier: 'related' as const, reasons: [{ term: 'payment', share: 1 }], clusterId: null };
    await upsertPairs([related], 'run-fixture', Date.now());
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: B_C(), decision: 'dismiss', reason: 'different', expected: 'pending' }, 'admin-1', SHOP));
  });

  it('clusters.list names the dismissed pair inside the cluster, who dismissed it and when', async () => {
    const { cluster, actors } = await listed();
    const [dismissal] = (await h.forge.sql.query('SELECT decided_ms FROM pairs WHERE id = ?', [B_C()])) as Array<{ decided_ms: number }>;
    expect(cluster.dismissed).toEqual([
      { pairId: B_C(), a: B_C().split('-')[0], b: B_C().split('-')[1], decidedBy: 'admin-1', decidedAt: new Date(Number(dismissal?.decided_ms)).toISOString(), dismissReason: 'different' },
    ]);
    expect(actors).toEqual([{ accountId: 'admin-1', displayName: 'Alex Admin' }]);
    // The pair does not join the cluster (it is dismissed, and related), and is not one of its pairs.
    expect(cluster.pairs.map((p) => [p.a, p.b].sort().join('-'))).not.toContain(B_C());
  });

  it('refuses to link both, writing nothing, unless the request names the dismissal with the time the page showed', async () => {
    const { cluster } = await listed();
    const shown = cluster.dismissed[0]?.decidedAt ?? '';
    // A page that did not show it (read before the dismissal), and one that shows an earlier one.
    for (const known of [undefined, {}, { [B_C()]: new Date(Date.parse(shown) - 60_000).toISOString() }]) {
      const res = await linkBoth(known);
      expect(res.success ? null : [res.error.code, res.error.message]).toEqual([
        'CONFLICT',
        'SHOP-2 and SHOP-5 (by \u2068Alex Admin\u2069) were dismissed as not duplicates of each other, and linking both to SHOP-1 would make them duplicates of one issue, so nothing was linked. Leave one of the two out, or say that you link them knowing it.',
      ]);
    }
    expect(h.jira.store.links.size).toBe(0);
    expect(await statusOf('SHOP-1', 'SHOP-2')).toBe('pending');
    expect(await clusterActions()).toEqual([]);
  });

  it('refuses a dismissal seen, then taken back and made again after the page read the cluster', async () => {
    const { cluster } = await listed();
    const seen = cluster.dismissed[0]?.decidedAt ?? '';
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: B_C(), decision: 'reopen' }, 'admin-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: B_C(), decision: 'dismiss', expected: 'pending' }, 'admin-1', SHOP));
    const again = (await listed()).cluster.dismissed[0]?.decidedAt;
    expect(again).not.toBe(seen);
    const res = await linkBoth({ [B_C()]: seen });
    expect(res.success ? null : res.error.code).toBe('CONFLICT');
    expect(h.jira.store.links.size).toBe(0);
  });

  it('links one of the two without asking: leaving the other out joins no dismissed pair', async () => {
    const res = ok(await link('member-1', 'SHOP-1', ['SHOP-2']));
    expect(res.results.map((r) => [r.key, r.ok])).toEqual([['SHOP-2', true]]);
    expect(linkKeys()).toEqual(['SHOP-2>SHOP-1']);
    expect((await clusterActions()).map((a) => a.detail)).toEqual(['1 issue linked as a duplicate of SHOP-1; 1 pair confirmed']);
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL WHERE status = 'confirmed'");
    await h.forge.sql.query("DELETE FROM actions WHERE action = 'cluster.link'");
  });

  it('links both when the request names the dismissal as shown; the pair stays dismissed and the history says it was linked over', async () => {
    const { cluster } = await listed();
    const res = ok(await linkBoth({ [B_C()]: cluster.dismissed[0]?.decidedAt ?? '' }));
    expect(res.results.map((r) => [r.key, r.ok])).toEqual([
      ['SHOP-2', true],
      ['SHOP-5', true],
    ]);
    expect(linkKeys()).toEqual(['SHOP-2>SHOP-1', 'SHOP-5>SHOP-1']);
    expect(await statusOf('SHOP-2', 'SHOP-5')).toBe('dismissed');
    expect(await statusOf('SHOP-1', 'SHOP-5')).toBe('confirmed');
    expect((await clusterActions()).map((a) => a.detail)).toEqual([
      '2 issues linked as duplicates of SHOP-1; 2 pairs confirmed; linked although SHOP-2 and SHOP-5 were dismissed as not duplicates of each other',
    ]);
  });
});
