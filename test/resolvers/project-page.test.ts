/**
 * Project page: the review queue, detail, bulk decisions, clusters, CSV, stats, history and
 * runs, through the real SDKs, LocalForge, MariaDB and the Jira stand-in.
 */
import { parse } from 'csv-parse/sync';
import { orderClusters } from '../../src/resolvers/methods/clusters';
import { HISTORY_KINDS, type ClusterView, type IssueRef } from '../../src/shared/contract';
import { appendAction } from '../../src/store/actions';
import { upsertPairs } from '../../src/store/pairs';
import { saveSettings } from '../../src/store/settings';
import { csvPages } from '../../static/project-page/csv-pages';
import { ADMIN_EXTENSION, issue, ok, pairIdOf, projectExtension, startHarness, TEST_SETTINGS, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
/** The history's entries among rows: each row alone, but one per bulk action (batch id). */
const entriesIn = (items: Array<{ id: string; batchId: string | null }>): number => new Set(items.map((a) => a.batchId ?? a.id)).size;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('pairs.list', () => {
  it('says why a related pair whose summaries name different versions is never a possible duplicate', async () => {
    const list = async () => ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', SHOP)).items;
    expect((await list()).every((p) => p.otherWork === null)).toBe(true);
    const ids = [issue('SHOP-3').id, issue('SHOP-4').id];
    await h.forge.sql.query("UPDATE docs SET summary = CASE WHEN id = ? THEN 'Upgrade jackson-databind to 2.9.10.3' ELSE 'Upgrade jackson-databind to 2.9.10.4' END WHERE id IN (?, ?)", [ids[0], ...ids]);
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    try {
      // Below the duplicate threshold (0.41) the score alone keeps it related: no note.
      expect((await list()).find((p) => p.id === pairId)?.otherWork).toBeNull();
      await h.forge.sql.query('UPDATE pairs SET score = 0.62 WHERE id = ?', [pairId]);
      const items = await list();
      const related = items.find((p) => p.a.key === 'SHOP-3' && p.b.key === 'SHOP-4');
      expect(related?.tier).toBe('related');
      expect(related?.otherWork).toBe('The summaries name different versions: 2.9.10.3 and 2.9.10.4.');
      // Only on related pairs: a possible duplicate shows none.
      expect(items.filter((p) => p.tier === 'duplicate').every((p) => p.otherWork === null)).toBe(true);
    } finally {
      await h.forge.sql.query("UPDATE docs SET summary = CASE WHEN id = ? THEN 'Cart page slow to load' ELSE 'Slow loading of the cart page' END WHERE id IN (?, ?)", [ids[0], ...ids]);
      await h.forge.sql.query('UPDATE pairs SET score = 0.41 WHERE id = ?', [pairId]);
    }
  });

  it('says when the stored Duplicate links already join a pair\'s two issues', async () => {
    const list = async () => ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', SHOP)).items;
    expect((await list()).every((p) => !p.linkedInJira)).toBe(true);
    // Recorded on one side only (a list cut short on the other): still linked.
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [`${issue('SHOP-4').id},*`, issue('SHOP-3').id]);
    try {
      const items = await list();
      expect(items.filter((p) => p.linkedInJira).map((p) => [p.a.key, p.b.key])).toEqual([['SHOP-3', 'SHOP-4']]);
    } finally {
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });

  it('names the issues through which Jira\'s Duplicate links already join a pair, only when the viewer may see them', async () => {
    const list = async (user: 'member-1' | 'restricted-1', status: 'pending' | 'dismissed' | 'confirmed' = 'pending') => ok(await h.call('project-page-resolver', 'pairs.list', { status }, user, SHOP)).items;
    const through = (items: Array<{ a: { key: string }; b: { key: string }; linkedThrough?: string[] }>) =>
      items.filter((p) => (p.linkedThrough ?? []).length > 0).map((p) => [p.a.key, p.b.key, p.linkedThrough]);
    expect(through(await list('member-1'))).toEqual([]);
    const links = async (key: string, ...to: string[]) => h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [to.map((k) => issue(k).id).join(','), issue(key).id]);
    try {
      // SHOP-1 → SHOP-6 → SHOP-2 (stored on one side each is enough).
      await links('SHOP-1', 'SHOP-6');
      await links('SHOP-2', 'SHOP-6');
      const items = await list('member-1');
      expect(through(items)).toEqual([['SHOP-1', 'SHOP-2', ['SHOP-6']]]);
      expect(items.find((p) => p.a.key === 'SHOP-1' && p.b.key === 'SHOP-2')?.linkedInJira).toBe(false);
      // Two issues in between, through another project: named to whoever may browse it, and to no one else.
      await links('SHOP-2', 'OPS-1');
      await links('OPS-1', 'SHOP-6', 'SHOP-2');
      await links('SHOP-6', 'OPS-1');
      await h.forge.sql.query("UPDATE docs SET dup_links = '' WHERE id = ?", [issue('SHOP-2').id]);
      await links('SHOP-5', 'OPS-1');
      expect(through(await list('member-1'))).toEqual([
        ['SHOP-1', 'SHOP-2', ['SHOP-6', 'OPS-1']],
        ['SHOP-1', 'SHOP-5', ['SHOP-6', 'OPS-1']],
      ]);
      expect(through(await list('restricted-1'))).toEqual([]);
      // Compare says the same from the pair alone (opened from a link, or after the list moved on).
      const shown = (await list('member-1')).find((p) => p.a.key === 'SHOP-1' && p.b.key === 'SHOP-5');
      if (shown === undefined) throw new Error('no SHOP-1 / SHOP-5 pair');
      const compared = async (user: 'member-1' | 'restricted-1') => ok(await h.call('project-page-resolver', 'pairs.detail', { pairId: shown.id }, user, SHOP)).pair.linkedThrough;
      expect(await compared('member-1')).toEqual(['SHOP-6', 'OPS-1']);
      expect(await compared('restricted-1')).toEqual([]);
      // A pair linked directly says so instead.
      await links('SHOP-1', 'SHOP-6', 'SHOP-5');
      expect(through(await list('member-1'))).toEqual([['SHOP-1', 'SHOP-2', ['SHOP-6', 'OPS-1']]]);
      // The Confirmed tab does not ask.
      expect((await list('member-1', 'confirmed')).every((p) => p.linkedThrough === undefined)).toBe(true);
    } finally {
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });

  it('pages pending pairs of the project, best first, with totals', async () => {
    const res = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', SHOP));
    expect(res.items.map((p) => [p.a.key, p.b.key])).toEqual([
      ['SHOP-1', 'SHOP-2'],
      ['SHOP-2', 'OPS-1'],
      ['SHOP-1', 'SHOP-5'],
      ['SHOP-3', 'SHOP-4'],
    ]);
    expect(res.total).toBe(4);
    expect(res.page).toBe(1);
    const first = res.items[0];
    expect(first?.score).toBeCloseTo(0.82);
    expect(first?.sharedTerms[0]?.term).toBe('payment');
    expect(first?.a.statusCategory).toBe('new');

    const page2 = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 3, page: 2 }, 'member-1', SHOP));
    expect(page2.items.map((p) => p.b.key)).toEqual(['SHOP-4']);
    expect(page2.total).toBe(4);
  });

  it('filters by tier, type, score range and search words', async () => {
    const call = async (filters: Record<string, unknown>): Promise<string[]> =>
      ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', ...filters }, 'member-1', SHOP)).items.map((p) => p.id);
    expect(await call({ tier: 'related' })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    expect(await call({ types: ['Task'] })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    expect(await call({ minScore: 0.6, maxScore: 0.75 })).toEqual([pairIdOf('SHOP-2', 'OPS-1'), pairIdOf('SHOP-1', 'SHOP-5')]);
    expect(await call({ search: 'cart slow' })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    // Any case matches, as in Jira: the sandbox's database compares case-sensitively, as Forge SQL does.
    expect(await call({ search: 'CART SLOW' })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    expect(await call({ search: 'newsletter' })).toEqual(await call({ search: 'Newsletter' }));
    expect(await call({ search: 'Cart' })).toEqual(await call({ search: 'cart' }));
    expect(await call({ search: 'shop-5' })).toEqual([pairIdOf('SHOP-1', 'SHOP-5')]);
    // Quotes typed around a word or a phrase are not part of what is looked for.
    expect(await call({ search: '"cart slow"' })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    expect(await call({ search: '\u201ccart\u201d' })).toEqual(await call({ search: 'cart' }));
    expect(await call({ search: '100%' })).toEqual([]);
    // Punctuation around a word is the sentence's, not the word's.
    expect(await call({ search: '(cart) slow,' })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    // Words joined by punctuation match them joined by a space or other punctuation, not only as typed.
    expect(await call({ search: 'cart-page' })).toEqual([pairIdOf('SHOP-3', 'SHOP-4')]);
    const gateway = await call({ search: 'gateway timeout' });
    expect(gateway.length).toBeGreaterThan(0);
    expect(await call({ search: 'gateway_timeout' })).toEqual(gateway);
    expect(await call({ search: 'timeout-gateway' })).toEqual([]);
    // A number alone finds the issue with that key number, with a # or leading zeros, or in brackets.
    for (const word of ['5', '#5', '05', '(5)']) expect([word, await call({ search: word })]).toEqual([word, [pairIdOf('SHOP-1', 'SHOP-5')]]);
    // Short parts are not matched apart: "c.a" is not "ca" (in "cart"), nor "p/a" "pa" (in "payment" and "page").
    expect(await call({ search: 'c.a' })).toEqual([]);
    expect(await call({ search: 'p/a' })).toEqual([]);
    // A word typed twice does not push another out of the six words used.
    expect(await call({ search: 'cart cart cart cart cart cart timeout' })).toEqual([]);
    expect(await call({ statusCategories: ['done'] })).toEqual([]);
  });

  it('folds accents in search words, in the queue and its count as in the clusters', async () => {
    const search = async (words: string) => ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', search: words }, 'member-1', SHOP));
    // Typed with accents (or full-width letters), the words find the summaries written without them.
    for (const words of ['cárt slów', 'CÀRT SLÔW', 'ｃａｒｔ ｓｌｏｗ', 'cärt-pâge']) {
      const res = await search(words);
      expect([words, res.items.map((p) => p.id), res.total]).toEqual([words, [pairIdOf('SHOP-3', 'SHOP-4')], 1]);
    }
    expect((await search('gätewäy')).items.map((p) => p.id)).toEqual((await search('gateway')).items.map((p) => p.id));
    const clusters = async (words: string) => ok(await h.call('project-page-resolver', 'clusters.list', { search: words }, 'member-1', SHOP)).total;
    expect(await clusters('PÁYMENT gatéway')).toBe(1);
    expect(await clusters('paymënt newslettér')).toBe(0);
  });

  it('sorts by created date', async () => {
    const res = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', sort: 'created', order: 'asc' }, 'member-1', SHOP));
    // Ordered by the newer issue's creation: OPS-1/SHOP-2 (Jan 5), SHOP-4 (Jan 6), SHOP-5 (Jan 7).
    expect(res.items.map((p) => p.id)).toEqual([pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-2', 'OPS-1'), pairIdOf('SHOP-3', 'SHOP-4'), pairIdOf('SHOP-1', 'SHOP-5')]);
  });

  it('rejects an inverted score range and unknown filters', async () => {
    const res = await h.call('project-page-resolver', 'pairs.list', { status: 'pending', minScore: 0.9, maxScore: 0.1, colour: 'red' }, 'member-1', SHOP);
    expect(res.success).toBe(false);
    if (!res.success) {
      expect(res.error.code).toBe('BAD_REQUEST');
      expect(res.error.fields?.['colour']).toBe('is not a known field');
    }
    const inverted = await h.call('project-page-resolver', 'pairs.list', { status: 'pending', minScore: 0.9, maxScore: 0.1 }, 'member-1', SHOP);
    expect(inverted.success ? null : inverted.error.fields).toEqual({ minScore: 'must not be above maxScore' });
  });
});

describe('what the viewer may do with a pair', () => {
  it('marks rows and the detail with canLink: Link Issues on one of the two issues', async () => {
    const member = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', SHOP));
    expect(member.items.length).toBeGreaterThan(0);
    expect(member.items.every((p) => p.canLink === true)).toBe(true);
    const viewer = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'viewer-1', SHOP));
    expect(viewer.items.map((p) => p.id)).toEqual(member.items.map((p) => p.id));
    expect(viewer.items.every((p) => p.canLink === false)).toBe(true);
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    expect(ok(await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'member-1', SHOP)).pair.canLink).toBe(true);
    expect(ok(await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'viewer-1', SHOP)).pair.canLink).toBe(false);
  });
});

describe('pairs.detail', () => {
  it('shows both issues side by side with description excerpts read from Jira', async () => {
    const res = ok(await h.call('project-page-resolver', 'pairs.detail', { pairId: pairIdOf('SHOP-1', 'SHOP-2') }, 'member-1', SHOP));
    expect(res.pair.id).toBe(pairIdOf('SHOP-1', 'SHOP-2'));
    expect(res.a.issue.key).toBe('SHOP-1');
    expect(res.a.descriptionSegments.map((s) => s.text).join('')).toBe(issue('SHOP-1').description);
    expect(res.b.descriptionSegments.some((s) => s.match && /gateway/i.test(s.text))).toBe(true);
    expect(res.b.summarySegments.map((s) => s.text).join('')).toBe(issue('SHOP-2').summary);
    expect(res.jiraDuplicateId).toBeNull();
  });

  it('says which way Jira already links the two as duplicates, whichever issue holds the link', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    for (const [duplicate, original] of [['SHOP-2', 'SHOP-1'], ['SHOP-1', 'SHOP-2']] as const) {
      h.jira.link('Duplicate', duplicate, original);
      try {
        const res = ok(await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'member-1', SHOP));
        expect(res.jiraDuplicateId).toBe(issue(duplicate).id);
      } finally {
        for (const l of [...h.jira.store.links.values()].filter((x) => x.inwardIssueId === issue(duplicate).id && x.outwardIssueId === issue(original).id)) h.jira.store.removeLink(l.id);
      }
    }
  });

  it('is NOT_FOUND for unknown pairs and pairs outside the page project', async () => {
    for (const pairId of ['999-1000', pairIdOf('MOB-1', 'MOB-2')]) {
      const res = await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'member-1', SHOP);
      expect(res.success ? null : res.error.code).toBe('NOT_FOUND');
    }
  });
});

/**
 * Bulk results without each pair's decision time (`decidedAt`, when it was left decided),
 * which the test cannot know; checked to be a time where it is left out.
 */
function untimed<T extends { ok: boolean; decidedAt?: string }>(results: T[]): Array<Omit<T, 'decidedAt'>> {
  return results.map(({ decidedAt, ...rest }) => {
    if (decidedAt !== undefined) expect(Number.isNaN(Date.parse(decidedAt))).toBe(false);
    return rest;
  });
}

describe('pairs.bulkDecide', () => {
  it('answers per item and keeps going after failures', async () => {
    const ids = [pairIdOf('SHOP-3', 'SHOP-4'), 'nope-1', pairIdOf('SHOP-1', 'SHOP-5')];
    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: ids, decision: 'dismiss' }, 'member-1', SHOP));
    expect(res.results.map((r) => [r.pairId, r.ok])).toEqual([
      [ids[0], true],
      ['nope-1', false],
      [ids[2], true],
    ]);
    expect(res.results[1]?.error).toBe('That pair is not available to you.');
    const dismissed = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed' }, 'member-1', SHOP));
    expect(dismissed.items.map((p) => p.id).sort()).toEqual([ids[0], ids[2]].sort());
    // Decided rows come with who decided them, by name, as the viewer may see it.
    expect(dismissed.items.map((p) => p.decidedBy)).toEqual(['member-1', 'member-1']);
    const seenByAdmin = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed' }, 'admin-1', SHOP));
    expect(seenByAdmin.actors.map((a) => a.accountId)).toEqual(['member-1']);
    expect(seenByAdmin.actors[0]?.displayName).toMatch(/\S/);
    expect(seenByAdmin.actors[0]?.displayName).not.toBe('member-1');
    expect(ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'admin-1', SHOP)).actors).toEqual([]);
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [ids[0] as string, ids[2] as string], decision: 'reopen' }, 'member-1', SHOP));
  });

  it('takes back a bulk decision only where each pair is as the batch left it (expectedDecidedAt by pair), not a colleague\'s newer one', async () => {
    const ids = [pairIdOf('SHOP-3', 'SHOP-4'), pairIdOf('SHOP-1', 'SHOP-5')] as const;
    const bulk = async (payload: Record<string, unknown>, who: 'member-1' | 'admin-1' = 'member-1') => ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [...ids], ...payload }, who, SHOP));
    const mine = await bulk({ decision: 'dismiss' });
    const at = Object.fromEntries(mine.results.map((r) => [r.pairId, r.decidedAt]));
    expect(Object.values(at).every((v) => typeof v === 'string')).toBe(true);
    // A colleague reopens and dismisses the second pair again, to the same status.
    await new Promise((resolve) => setTimeout(resolve, 5));
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: ids[1], decision: 'reopen' }, 'admin-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: ids[1], decision: 'dismiss', reason: 'split' }, 'admin-1', SHOP));
    const undo = await bulk({ decision: 'reopen', expected: 'dismissed', expectedDecidedAt: at });
    expect(undo.results.map((r) => [r.pairId, r.ok])).toEqual([
      [ids[0], true],
      [ids[1], false],
    ]);
    expect(undo.results[0]).not.toHaveProperty('decidedAt');
    const dismissed = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed' }, 'member-1', SHOP));
    expect(dismissed.items.map((p) => [p.id, p.decidedBy])).toEqual([[ids[1], 'admin-1']]);
    // A malformed map is refused whole, with the field named.
    const bad = await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [ids[1]], decision: 'reopen', expectedDecidedAt: { [ids[1]]: 7 } }, 'member-1', SHOP);
    expect(bad.success ? null : bad.error.code).toBe('BAD_REQUEST');
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: ids[1], decision: 'reopen' }, 'admin-1', SHOP));
  });

  it('says which pairs of a batch were decided without their history entry', async () => {
    const ids = [pairIdOf('SHOP-3', 'SHOP-4'), pairIdOf('SHOP-1', 'SHOP-5')];
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    h.forge.sql.faults.failNext(2, { match: /INSERT INTO actions/ });
    try {
      const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: ids, decision: 'dismiss', expected: 'pending' }, 'member-1', SHOP));
      // The first entry failed twice (then logged); the second was written.
      expect(res.results.map((r) => [r.ok, r.notInHistory ?? false])).toEqual([
        [true, true],
        [true, false],
      ]);
    } finally {
      h.forge.sql.faults.clear();
      warn.mockRestore();
    }
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: ids, decision: 'reopen' }, 'member-1', SHOP));
  });

  it('reopens confirmed pairs with unlink: their Duplicate links go in Jira, each item says how many; a pending one fails alone', async () => {
    const confirmed = [pairIdOf('SHOP-3', 'SHOP-4'), pairIdOf('SHOP-1', 'SHOP-5')];
    const pending = pairIdOf('SHOP-1', 'SHOP-2');
    const linksBetween = (a: string, b: string) =>
      [...h.jira.store.links.values()].filter((l) => [l.inwardIssueId, l.outwardIssueId].sort().join() === [issue(a).id, issue(b).id].sort().join()).length;
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: confirmed, decision: 'confirm' }, 'member-1', SHOP));
    expect([linksBetween('SHOP-3', 'SHOP-4'), linksBetween('SHOP-1', 'SHOP-5')]).toEqual([1, 1]);

    // Only with reopen; only with Link Issues (the viewer's items fail, nothing changes).
    const withDismiss = await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: confirmed, decision: 'dismiss', unlink: true }, 'member-1', SHOP);
    expect(withDismiss.success ? null : withDismiss.error.fields).toEqual({ unlink: 'only with decision "reopen"' });
    const viewer = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: confirmed, decision: 'reopen', unlink: true }, 'viewer-1', SHOP));
    expect(viewer.results.map((r) => r.ok)).toEqual([false, false]);
    expect(viewer.results[0]?.error).toMatch(/Link Issues permission/);
    expect([linksBetween('SHOP-3', 'SHOP-4'), linksBetween('SHOP-1', 'SHOP-5')]).toEqual([1, 1]);

    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [...confirmed, pending], decision: 'reopen', unlink: true }, 'member-1', SHOP));
    expect(res.results).toEqual([
      { pairId: confirmed[0], ok: true, unlinked: 1 },
      { pairId: confirmed[1], ok: true, unlinked: 1 },
      { pairId: pending, ok: false, code: 'BAD_REQUEST', error: 'Only a confirmed pair has a Duplicate link to remove.' },
    ]);
    expect([linksBetween('SHOP-3', 'SHOP-4'), linksBetween('SHOP-1', 'SHOP-5')]).toEqual([0, 0]);
    const rows = (await h.forge.sql.query(`SELECT id, status FROM pairs WHERE id IN (?, ?, ?) ORDER BY id`, [...confirmed, pending])) as Array<{ id: string; status: string }>;
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('confirms pairs that share issues with one Duplicate link per issue joined, to the oldest, not one per pair', async () => {
    // A triangle: SHOP-1, SHOP-2 and SHOP-5 all alike (SHOP-1 the oldest), and OPS-1 alike to SHOP-2.
    await upsertPairs(
      [{ a: issue('SHOP-2').id, b: issue('SHOP-5').id, projectA: 'SHOP', projectB: 'SHOP', score: 0.9, tier: 'duplicate', reasons: [{ term: 'payment', share: 1 }], clusterId: null }],
      'run-triangle',
      Date.now(),
    );
    const triangle = [pairIdOf('SHOP-2', 'SHOP-5'), pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-2', 'OPS-1'), pairIdOf('SHOP-1', 'SHOP-5')];
    const linksBefore = h.jira.store.links.size;
    try {
      const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: triangle, decision: 'confirm' }, 'member-1', SHOP));
      // In the request's order; the strongest pair (SHOP-2 / SHOP-5) is the one the links to SHOP-1 already join.
      expect(untimed(res.results)).toEqual([
        { pairId: triangle[0], ok: true, linked: false, joined: 'batch' },
        { pairId: triangle[1], ok: true, linked: true },
        { pairId: triangle[2], ok: true, linked: true },
        { pairId: triangle[3], ok: true, linked: true },
      ]);
      const made = [...h.jira.store.links.values()].slice(linksBefore).map((l) => [h.jira.store.issues.get(l.inwardIssueId)?.key, h.jira.store.issues.get(l.outwardIssueId)?.key]);
      expect(made).toHaveLength(3);
      expect(made).toEqual(expect.arrayContaining([['SHOP-2', 'SHOP-1'], ['SHOP-5', 'SHOP-1']]));
      const rows = (await h.forge.sql.query(`SELECT status FROM pairs WHERE id IN (?, ?, ?, ?)`, triangle)) as Array<{ status: string }>;
      expect(rows.map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
      // The history says why a confirmed pair has no link of its own.
      const history = ok(await h.call('project-page-resolver', 'history.list', {}, 'member-1', SHOP));
      expect(history.items.find((a) => a.pairId === triangle[0])?.detail).toMatch(/already joined through the Duplicate links made with it/);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: triangle, decision: 'reopen', unlink: true }, 'member-1', SHOP));
      await h.forge.sql.query(`DELETE FROM pairs WHERE id = ?`, [triangle[0]]);
    }
    expect(h.jira.store.links.size).toBe(linksBefore);
  });

  it('takes back a bulk confirmation in one call, as one history entry: the pairs it linked unlinked (unlinkPairIds), those joined through them reopened', async () => {
    await upsertPairs(
      [{ a: issue('SHOP-2').id, b: issue('SHOP-5').id, projectA: 'SHOP', projectB: 'SHOP', score: 0.9, tier: 'duplicate', reasons: [{ term: 'payment', share: 1 }], clusterId: null }],
      'run-triangle',
      Date.now(),
    );
    const triangle = [pairIdOf('SHOP-2', 'SHOP-5'), pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-1', 'SHOP-5')];
    const linksBefore = [...h.jira.store.links.keys()];
    const bulk = (payload: Record<string, unknown>) => h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: triangle, ...payload }, 'member-1', SHOP);
    try {
      const confirmed = ok(await bulk({ decision: 'confirm', expected: 'pending' }));
      const linked = confirmed.results.filter((r) => r.linked === true).map((r) => r.pairId);
      expect(untimed(confirmed.results).map((r) => [r.pairId, r.linked])).toEqual([
        [triangle[0], false],
        [triangle[1], true],
        [triangle[2], true],
      ]);
      // Named pairs only with a reopen, not with `unlink`, and only pairs the call reopens.
      const fields = async (payload: Record<string, unknown>) => {
        const res = await bulk(payload);
        return res.success ? null : [res.error.code, res.error.fields];
      };
      expect(await fields({ decision: 'dismiss', unlinkPairIds: linked })).toEqual(['BAD_REQUEST', { unlinkPairIds: 'only with decision "reopen"' }]);
      expect(await fields({ decision: 'reopen', unlink: true, unlinkPairIds: linked })).toEqual(['BAD_REQUEST', { unlinkPairIds: 'not with "unlink"' }]);
      expect(await fields({ decision: 'reopen', unlinkPairIds: [pairIdOf('SHOP-3', 'SHOP-4')] })).toEqual(['BAD_REQUEST', { unlinkPairIds: 'only pairs of pairIds' }]);
      // Someone without Link Issues may not take a confirmation back; nothing changes.
      const viewer = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: triangle, decision: 'reopen', unlinkPairIds: linked }, 'viewer-1', SHOP));
      expect(viewer.results.map((r) => r.ok)).toEqual([false, false, false]);
      expect(h.jira.store.links.size).toBe(linksBefore.length + 2);

      // The queue's Undo: one call, each pair as the batch left it.
      const undo = ok(
        await bulk({
          decision: 'reopen',
          unlinkPairIds: linked,
          expected: 'confirmed',
          expectedDecidedAt: Object.fromEntries(confirmed.results.map((r) => [r.pairId, r.decidedAt])),
        }),
      );
      expect(undo.results).toEqual([
        { pairId: triangle[0], ok: true },
        { pairId: triangle[1], ok: true, unlinked: 1 },
        { pairId: triangle[2], ok: true, unlinked: 1 },
      ]);
      expect([...h.jira.store.links.keys()]).toEqual(linksBefore);
      const rows = (await h.forge.sql.query(`SELECT status FROM pairs WHERE id IN (?, ?, ?)`, triangle)) as Array<{ status: string }>;
      expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
      // One entry in the history (one batch id), its rows a reopen and two unlinks.
      const history = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1 }, 'member-1', SHOP));
      expect(entriesIn(history.items)).toBe(1);
      expect(history.items.map((a) => [a.pairId, a.action]).sort()).toEqual(
        [
          [triangle[0], 'reopen'],
          [triangle[1], 'unlink'],
          [triangle[2], 'unlink'],
        ].sort(),
      );
      expect(history.items.every((a) => a.batchId !== null && a.batchId === history.items[0]?.batchId)).toBe(true);
    } finally {
      await h.forge.sql.query(`UPDATE pairs SET status = 'pending' WHERE id IN (?, ?)`, [triangle[1], triangle[2]]);
      for (const id of [...h.jira.store.links.keys()]) if (!linksBefore.includes(id)) h.jira.store.removeLink(id);
      await h.forge.sql.query(`DELETE FROM pairs WHERE id = ?`, [triangle[0]]);
    }
  });

  it('says when a pair needed no link because Duplicate links Jira already had join it', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    h.jira.link('Duplicate', 'SHOP-4', 'SHOP-3');
    try {
      const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'confirm' }, 'member-1', SHOP));
      expect(untimed(res.results)).toEqual([{ pairId, ok: true, linked: false, joined: 'jira' }]);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'reopen', unlink: true }, 'member-1', SHOP));
      for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });

  it('refuses more than 100 ids', async () => {
    const pairIds = Array.from({ length: 101 }, (_, n) => `p-${n}`);
    const res = await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds, decision: 'dismiss' }, 'member-1', SHOP);
    expect(res.success ? null : res.error.fields).toEqual({ pairIds: 'must have at most 100 items' });
  });
});

describe('pairs.decide on issues already linked as duplicates in Jira', () => {
  it('adds no second link when someone linked the two in Jira since the last read, says so, and records the link', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    h.jira.link('Duplicate', 'SHOP-1', 'SHOP-2');
    const linksBefore = h.jira.store.links.size;
    try {
      const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP));
      expect(res.link).toBeNull();
      expect(res.alreadyLinked).toBe(true);
      expect(res.pair.status).toBe('confirmed');
      expect(h.jira.store.links.size).toBe(linksBefore);
      const stored = (await h.forge.sql.query('SELECT dup_links FROM docs WHERE id = ?', [issue('SHOP-1').id])) as Array<{ dup_links: string }>;
      expect(stored[0]?.dup_links.split(',')).toContain(issue('SHOP-2').id);
      const [entry] = (await h.forge.sql.query("SELECT detail FROM actions WHERE pair_id = ? AND action = 'confirm' ORDER BY at_ms DESC LIMIT 1", [pairId])) as Array<{ detail: string }>;
      expect(entry?.detail).toMatch(/already linked as duplicates in Jira, so no link was added$/);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', SHOP));
    }
    // The Unlink removed the link made in Jira, and the app knows it.
    expect(h.jira.store.links.size).toBe(linksBefore - 1);
    const after = (await h.forge.sql.query('SELECT id, dup_links FROM docs WHERE id IN (?, ?)', [issue('SHOP-1').id, issue('SHOP-2').id])) as Array<{ id: string; dup_links: string }>;
    expect(after).toHaveLength(2);
    for (const r of after) expect(r.dup_links.split(',')).not.toContain(r.id === issue('SHOP-1').id ? issue('SHOP-2').id : issue('SHOP-1').id);
  });
});

describe('pairs.decide confirming at once, and on a pair confirmed through a Jira link', () => {
  const duplicateLinks = (x: string, y: string) => [...h.jira.store.links.values()].filter((l) => [l.inwardIssueId, l.outwardIssueId].sort().join() === [issue(x).id, issue(y).id].sort().join());

  it('two people confirming the same pair at once make one link between them, not two opposite ones', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    h.jira.faults.latency(150, /issueLink/);
    try {
      const [one, two] = await Promise.all([
        h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP),
        h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm', duplicateIssueId: issue('SHOP-3').id }, 'admin-1', SHOP),
      ]);
      expect([one.success, two.success].sort()).toEqual([false, true]);
      const refused = one.success ? two : one;
      expect(refused.success ? null : refused.error.code).toBe('CONFLICT');
      expect(duplicateLinks('SHOP-3', 'SHOP-4')).toHaveLength(1);
    } finally {
      h.jira.faults.clear();
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', SHOP));
    }
    expect(duplicateLinks('SHOP-3', 'SHOP-4')).toHaveLength(0);
  });

  it('a confirmation that came from a Jira link becomes the person\'s when they confirm it, and a refused link leaves the pair as it was', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    h.jira.link('Duplicate', 'SHOP-4', 'SHOP-3');
    await h.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_by = NULL, decided_ms = 1, decided_in_jira = 1 WHERE id = ?", [pairId]);
    try {
      const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP));
      expect(res.pair).toMatchObject({ status: 'confirmed', decidedBy: 'member-1', decidedInJira: false });
      expect(res.alreadyLinked).toBe(true);
      expect(duplicateLinks('SHOP-3', 'SHOP-4')).toHaveLength(1);
      const [entry] = (await h.forge.sql.query("SELECT detail FROM actions WHERE pair_id = ? AND action = 'confirm' ORDER BY at_ms DESC LIMIT 1", [pairId])) as Array<{ detail: string }>;
      expect(entry?.detail).toMatch(/confirmed through a Jira link before; already linked as duplicates in Jira/);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', SHOP));
    }
    // The reopen is remembered on the pair (so it outlasts a stay of its issues out of scope).
    const reopenedMs = async (): Promise<number | null> => {
      const [r] = (await h.forge.sql.query('SELECT reopened_ms FROM pairs WHERE id = ?', [pairId])) as Array<{ reopened_ms: number | null }>;
      return r?.reopened_ms === null || r?.reopened_ms === undefined ? null : Number(r.reopened_ms);
    };
    const reopened = await reopenedMs();
    expect(reopened).toBeGreaterThan(0);
    // Jira refuses the link: the claimed pair is put back to pending, reopen included.
    h.jira.faults.serverErrors({ path: /issueLink$/, count: 10 });
    try {
      const refused = await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP);
      expect(refused.success).toBe(false);
    } finally {
      h.jira.faults.clear();
    }
    const [row] = (await h.forge.sql.query('SELECT status, decided_by FROM pairs WHERE id = ?', [pairId])) as Array<{ status: string; decided_by: string | null }>;
    expect(row).toEqual({ status: 'pending', decided_by: null });
    expect(await reopenedMs()).toBe(reopened);
    // Any other decision ends the reopen.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'member-1', SHOP));
    expect(await reopenedMs()).toBeNull();
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'member-1', SHOP));
    expect(await reopenedMs()).toBeGreaterThanOrEqual(reopened ?? 0);
    expect(duplicateLinks('SHOP-3', 'SHOP-4')).toHaveLength(0);
  });
});

describe('a decision from a page that shows the pair as it was', () => {
  const pairId = pairIdOf('SHOP-3', 'SHOP-4');
  const decide = (payload: object, user: string) => h.call('project-page-resolver', 'pairs.decide', { pairId, ...payload }, user as never, SHOP);
  const row = async () => (await h.forge.sql.query('SELECT status, decided_by FROM pairs WHERE id = ?', [pairId])) as unknown;
  const STALE = 'Someone else decided this pair meanwhile. Reload to see where it stands.';

  it('is refused as decided meanwhile, before any permission is weighed, and leaves the pair as the colleague left it', async () => {
    ok(await decide({ decision: 'confirm' }, 'admin-1'));
    try {
      // viewer-1 (no Link Issues) still sees it pending and dismisses it: told that someone
      // decided it, not that a confirmed pair needs Link Issues to be dismissed.
      const stale = await decide({ decision: 'dismiss', expected: 'pending' }, 'viewer-1');
      expect(stale.success ? null : [stale.error.code, stale.error.message]).toEqual(['CONFLICT', STALE]);
      const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'dismiss', expected: 'pending' }, 'viewer-1', SHOP));
      // With its code, so a page tells a pair decided elsewhere from a failure.
      expect(bulk.results).toEqual([{ pairId, ok: false, code: 'CONFLICT', error: STALE }]);
      // member-1 (who may) the same: the confirmation stands.
      const member = await decide({ decision: 'dismiss', expected: 'pending' }, 'member-1');
      expect(member.success ? null : member.error.code).toBe('CONFLICT');
      expect(await row()).toEqual([{ status: 'confirmed', decided_by: 'admin-1' }]);
      // Asked without what the page saw, the permission answer is as before.
      const plain = await decide({ decision: 'dismiss' }, 'viewer-1');
      expect(plain.success ? null : plain.error.code).toBe('FORBIDDEN');
    } finally {
      ok(await decide({ decision: 'reopen', unlink: true }, 'admin-1'));
    }
  });
});

describe('pairs.bulkDecide and Duplicate links already in Jira', () => {
  it('adds no link between issues Jira already links, directly or through others of the batch, and says why', async () => {
    const [p12, p15] = [pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-1', 'SHOP-5')];
    // SHOP-5 duplicates SHOP-1 in Jira, as a read recorded it.
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-1');
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [issue('SHOP-1').id, issue('SHOP-5').id]);
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [issue('SHOP-5').id, issue('SHOP-1').id]);
    const before = h.jira.store.links.size;
    try {
      const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p15, p12], decision: 'confirm' }, 'member-1', SHOP));
      expect(Object.fromEntries(res.results.map((r) => [r.pairId, r.linked]))).toEqual({ [p15]: false, [p12]: true });
      expect(h.jira.store.links.size).toBe(before + 1);
      const [entry] = (await h.forge.sql.query("SELECT detail FROM actions WHERE pair_id = ? AND action = 'confirm' ORDER BY at_ms DESC LIMIT 1", [p15])) as Array<{ detail: string }>;
      expect(entry?.detail).toMatch(/already joined through Duplicate links in Jira, so no link was added$/);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p12, p15], decision: 'reopen', unlink: true }, 'member-1', SHOP));
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });
});

describe('pairs.bulkDecide reads Jira\'s links, not the stored ones, before it links', () => {
  const p15 = () => pairIdOf('SHOP-1', 'SHOP-5');
  const storeLink = async (x: string, y: string) => {
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [issue(y).id, issue(x).id]);
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [issue(x).id, issue(y).id]);
  };
  const linksBetween = (x: string, y: string) =>
    [...h.jira.store.links.values()].filter((l) => [l.inwardIssueId, l.outwardIssueId].sort().join() === [issue(x).id, issue(y).id].sort().join()).length;
  afterEach(async () => {
    h.jira.faults.clear();
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p15()], decision: 'reopen', unlink: true }, 'member-1', SHOP));
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
  });

  it('links a pair whose stored link was removed in Jira without an event reaching the app', async () => {
    await storeLink('SHOP-1', 'SHOP-5');
    expect(linksBetween('SHOP-1', 'SHOP-5')).toBe(0);
    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p15()], decision: 'confirm' }, 'member-1', SHOP));
    expect(untimed(res.results)).toEqual([{ pairId: p15(), ok: true, linked: true }]);
    expect(linksBetween('SHOP-1', 'SHOP-5')).toBe(1);
  });

  it('adds no link for a pair linked in Jira that no read has recorded yet', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-1');
    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p15()], decision: 'confirm' }, 'member-1', SHOP));
    expect(untimed(res.results)).toEqual([{ pairId: p15(), ok: true, linked: false, joined: 'jira' }]);
    expect(linksBetween('SHOP-1', 'SHOP-5')).toBe(1);
  });

  it('reads the links of the others when Jira refuses a search for naming an issue gone meanwhile', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-1');
    // Jira answers 400 ("An issue with key … does not exist") for the whole JQL: the read tries again in halves.
    h.jira.faults.serverErrors({ path: /search\/jql$/, count: 1, status: 400 });
    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p15()], decision: 'confirm' }, 'member-1', SHOP));
    expect(untimed(res.results)).toEqual([{ pairId: p15(), ok: true, linked: false, joined: 'jira' }]);
    expect(linksBetween('SHOP-1', 'SHOP-5')).toBe(1);
  });

  it('goes by the stored links when Jira\'s search fails, and still decides', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-1');
    await storeLink('SHOP-1', 'SHOP-5');
    h.jira.faults.serverErrors({ path: /search\/jql$/, count: 50 });
    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [p15()], decision: 'confirm' }, 'member-1', SHOP));
    expect(untimed(res.results)).toEqual([{ pairId: p15(), ok: true, linked: false, joined: 'jira' }]);
    expect(linksBetween('SHOP-1', 'SHOP-5')).toBe(1);
  });
});

describe('confirming next to Duplicate links already in Jira: no second link, no issue duplicating two', () => {
  const keyOf = (id: string) => h.jira.store.issues.get(id)?.key;
  const linkKeys = () => [...h.jira.store.links.values()].map((l) => `${keyOf(l.inwardIssueId) ?? '?'}>${keyOf(l.outwardIssueId) ?? '?'}`).sort();
  beforeEach(() => {
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
  });
  afterEach(async () => {
    h.jira.faults.clear();
    for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0 WHERE id IN (?, ?, ?)", [
      pairIdOf('SHOP-1', 'SHOP-5'),
      pairIdOf('SHOP-1', 'SHOP-2'),
      pairIdOf('SHOP-2', 'OPS-1'),
    ]);
  });

  it('a Confirm adds no link to two issues Jira joins through a third, and says through which', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-3');
    h.jira.link('Duplicate', 'SHOP-1', 'SHOP-3');
    const pairId = pairIdOf('SHOP-1', 'SHOP-5');
    const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP));
    expect(res).toMatchObject({ link: null, alreadyLinked: true, joinedThrough: ['SHOP-3'] });
    expect(res.pair.status).toBe('confirmed');
    expect(linkKeys()).toEqual(['SHOP-1>SHOP-3', 'SHOP-5>SHOP-3']);
    const [entry] = (await h.forge.sql.query("SELECT detail FROM actions WHERE pair_id = ? AND action = 'confirm' ORDER BY at_ms DESC LIMIT 1", [pairId])) as Array<{ detail: string }>;
    expect(entry?.detail).toMatch(/already joined as duplicates in Jira through SHOP-3, so no link was added$/);
  });

  it('keeps a Confirm joined through a hidden project\'s issue out of the history of those who may not browse it', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'OPS-1');
    h.jira.link('Duplicate', 'SHOP-1', 'OPS-1');
    const pairId = pairIdOf('SHOP-1', 'SHOP-5');
    expect(ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP)).joinedThrough).toEqual(['OPS-1']);
    const history = async (user: 'member-1' | 'restricted-1') =>
      ok(await h.call('project-page-resolver', 'history.list', { issueKey: 'SHOP-5' }, user, SHOP)).items.map((a) => a.detail ?? '');
    expect((await history('member-1')).some((d) => d.includes('through OPS-1'))).toBe(true);
    expect((await history('restricted-1')).some((d) => d.includes('OPS-1'))).toBe(false);
  });

  it('knows of no chain through an issue the viewer may not browse: links the two and names nothing, from Jira\'s read as the user or from the stored links', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'OPS-1');
    h.jira.link('Duplicate', 'SHOP-1', 'OPS-1');
    const pairId = pairIdOf('SHOP-1', 'SHOP-5');
    const lastDetail = async () =>
      ((await h.forge.sql.query("SELECT detail FROM actions WHERE pair_id = ? AND action = 'confirm' ORDER BY at_ms DESC, id DESC LIMIT 1", [pairId])) as Array<{ detail: string }>)[0]?.detail ?? '';
    // The stored links (an earlier read by the app) hold the chain; Jira's search fails, so
    // they stand in, and only the links between the issues asked about are taken from them.
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id IN (?, ?)', [issue('OPS-1').id, issue('SHOP-1').id, issue('SHOP-5').id]);
    h.jira.faults.serverErrors({ path: /search\/jql$/, count: 50 });
    const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'restricted-1', SHOP));
    expect(res.link).toEqual({ created: true, inwardKey: 'SHOP-5', outwardKey: 'SHOP-1' });
    expect(res.alreadyLinked).toBeUndefined();
    expect(res.joinedThrough).toBeUndefined();
    expect(linkKeys()).toEqual(['SHOP-1>OPS-1', 'SHOP-5>OPS-1', 'SHOP-5>SHOP-1']);
    expect(await lastDetail()).not.toMatch(/OPS-1|already/);
    h.jira.faults.clear();
    // Read from Jira as restricted-1: Jira leaves out the links to OPS-1.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'restricted-1', SHOP));
    expect(ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'restricted-1', SHOP))).toMatchObject({ link: { created: true } });
    expect(await lastDetail()).not.toMatch(/OPS-1|already/);
    // Someone who may browse OPS-1 is told, and gets no second link (this one's own link reopened first).
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'restricted-1', SHOP));
    expect(ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP))).toMatchObject({ link: null, joinedThrough: ['OPS-1'] });
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'member-1', SHOP));
    // A bulk Confirm as restricted-1, from the stored links again: linked, not "already joined".
    h.jira.faults.serverErrors({ path: /search\/jql$/, count: 50 });
    const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'confirm' }, 'restricted-1', SHOP));
    expect(untimed(bulk.results)).toEqual([{ pairId, ok: true, linked: true }]);
    expect(await lastDetail()).not.toMatch(/OPS-1|already/);
    h.jira.faults.clear();
  });

  it('a Confirm links the older issue as the duplicate when the newer one already duplicates another', async () => {
    // SHOP-5 (the newer) already duplicates SHOP-6; SHOP-1 duplicates nothing.
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-6');
    const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'confirm' }, 'member-1', SHOP));
    expect(res.link).toEqual({ created: true, inwardKey: 'SHOP-1', outwardKey: 'SHOP-5' });
    expect(res.joinedThrough).toBeUndefined();
    expect(linkKeys()).toEqual(['SHOP-1>SHOP-5', 'SHOP-5>SHOP-6']);
    // The link is the pair's own: Unlink removes it.
    const undone = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'reopen', unlink: true }, 'member-1', SHOP));
    expect(undone.unlinked).toBe(1);
    expect(linkKeys()).toEqual(['SHOP-5>SHOP-6']);
  });

  it('a person who names the duplicate gets that link', async () => {
    h.jira.link('Duplicate', 'SHOP-5', 'SHOP-6');
    const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-5'), decision: 'confirm', duplicateIssueId: issue('SHOP-5').id }, 'member-1', SHOP));
    expect(res.link).toEqual({ created: true, inwardKey: 'SHOP-5', outwardKey: 'SHOP-1' });
  });

  it('a bulk Confirm of a chain of pairs gives no issue a second "duplicates" link', async () => {
    // SHOP-1 (oldest), OPS-1, SHOP-2 (newest of the three): SHOP-2 is in both pairs.
    const pairIds = [pairIdOf('SHOP-2', 'OPS-1'), pairIdOf('SHOP-1', 'SHOP-2')];
    const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds, decision: 'confirm' }, 'member-1', SHOP));
    expect(res.results.map((r) => [r.ok, r.linked])).toEqual([
      [true, true],
      [true, true],
    ]);
    // Before: SHOP-2 duplicated both SHOP-1 and OPS-1.
    expect(linkKeys()).toEqual(['OPS-1>SHOP-2', 'SHOP-2>SHOP-1']);
  });
});

describe('why a pair is not a duplicate', () => {
  const pairId = () => pairIdOf('SHOP-3', 'SHOP-4');
  const decide = (payload: object, user = 'member-1') => h.call('project-page-resolver', 'pairs.decide', { pairId: pairId(), ...payload }, user as never, SHOP);
  const dismissedRow = async () => ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed' }, 'member-1', SHOP)).items.find((p) => p.id === pairId());
  const entries = async () =>
    (await h.forge.sql.query('SELECT action, detail, actor FROM actions WHERE pair_id = ? AND at_ms >= ? ORDER BY at_ms, id', [pairId(), since])) as Array<{ action: string; detail: string; actor: string }>;
  /** The Relates links between the pair's two issues in the stand-in. */
  const relates = () =>
    [...h.jira.store.links.values()].filter(
      (l) => h.jira.store.linkTypes.get(l.typeId)?.name === 'Relates' && [l.inwardIssueId, l.outwardIssueId].sort().join() === [issue('SHOP-3').id, issue('SHOP-4').id].sort().join(),
    );
  // Only this block's entries: earlier tests decided the same pair.
  let since = 0;
  beforeEach(() => {
    since = Date.now();
  });
  afterEach(async () => {
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, dismiss_reason = NULL, dismiss_reason_by = NULL WHERE id = ?", [pairId()]);
  });

  it('keeps the reason given with a dismissal, shows it on every surface, and drops it when the pair is reopened', async () => {
    const res = ok(await decide({ decision: 'dismiss', reason: 'related' }));
    expect(res.pair).toMatchObject({ status: 'dismissed', dismissReason: 'related' });
    expect((await dismissedRow())?.dismissReason).toBe('related');
    const panel = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, 'member-1'));
    expect(panel.dismissed.find((s) => s.pairId === pairId())?.dismissReason).toBe('related');
    const csv: string[][] = parse(ok(await h.call('project-page-resolver', 'export.csv', { status: 'dismissed' }, 'member-1', SHOP)).csv);
    const column = csv[0]?.indexOf('Why not a duplicate') ?? -1;
    expect(column).toBe((csv[0]?.length ?? 0) - 1);
    expect(csv.find((r) => r[0] === pairId())?.[column]).toBe('Related, but separate work');
    expect((await entries()).map((e) => [e.action, e.detail.replace(/^score \d+%, /, '')])).toEqual([['dismiss', 'pending → dismissed; why: Related, but separate work']]);
    // Counted for the charts with the other dismissals.
    const stats = ok(await h.call('project-page-resolver', 'stats.get', {}, 'member-1', SHOP));
    expect(stats.dismissReasons).toEqual({ different: 0, related: 1, split: 0 });
    expect(stats.byStatus.dismissed).toBeGreaterThanOrEqual(1);
    // Reopened (Undo), then dismissed without a reason: none.
    ok(await decide({ decision: 'reopen' }));
    ok(await decide({ decision: 'dismiss' }));
    expect((await dismissedRow())?.dismissReason).toBeNull();
    expect(ok(await h.call('project-page-resolver', 'stats.get', {}, 'member-1', SHOP)).dismissReasons).toEqual({ different: 0, related: 0, split: 0 });
  });

  it('records a reason given after the dismissal, by whoever gives it, once', async () => {
    ok(await decide({ decision: 'dismiss' }));
    const res = ok(await decide({ decision: 'dismiss', reason: 'split' }, 'admin-1'));
    // Given by someone else than who dismissed it: kept, and named with the row.
    expect(res.pair).toMatchObject({ status: 'dismissed', dismissReason: 'split', decidedBy: 'member-1', dismissReasonBy: 'admin-1' });
    const listed = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed' }, 'member-1', SHOP));
    expect(listed.items.find((p) => p.id === pairId())?.dismissReasonBy).toBe('admin-1');
    expect(listed.actors.map((a) => a.accountId).sort()).toEqual(expect.arrayContaining(['admin-1', 'member-1']));
    const panel = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, 'member-1'));
    expect(panel.dismissed.find((s) => s.pairId === pairId())?.dismissReasonBy).toBe('admin-1');
    expect(panel.actors.map((a) => a.accountId)).toContain('admin-1');
    // The same again (a repeated request) records nothing more; another reason replaces it.
    ok(await decide({ decision: 'dismiss', reason: 'split' }, 'admin-1'));
    ok(await decide({ decision: 'dismiss', reason: 'different' }));
    expect(await dismissedRow()).toMatchObject({ dismissReason: 'different', dismissReasonBy: null });
    expect((await entries()).map((e) => [e.action, e.actor, e.detail.replace(/^score \d+%(, |; )/, '')]).sort()).toEqual([
      ['dismiss', 'member-1', 'pending → dismissed'],
      ['dismiss.reason', 'admin-1', 'why: Split on purpose (one per team, component or version)'],
      ['dismiss.reason', 'member-1', 'why: Not the same problem'],
    ]);
    const history = ok(await h.call('project-page-resolver', 'history.list', { kind: 'decisions', issueKey: 'SHOP-3' }, 'member-1', SHOP));
    expect(history.items.slice(0, 3).map((a) => a.action).sort()).toEqual(['dismiss', 'dismiss.reason', 'dismiss.reason']);
  });

  it('takes a reason in bulk, and refuses one on anything but a dismissal', async () => {
    const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId()], decision: 'dismiss', reason: 'different' }, 'member-1', SHOP));
    expect(untimed(bulk.results)).toEqual([{ pairId: pairId(), ok: true }]);
    expect((await dismissedRow())?.dismissReason).toBe('different');
    for (const decision of ['confirm', 'reopen'] as const) {
      const refused = await decide({ decision, reason: 'related' });
      expect(refused.success ? null : [refused.error.code, refused.error.fields]).toEqual(['BAD_REQUEST', { reason: 'only with decision "dismiss"' }]);
    }
    const unknown = await decide({ decision: 'dismiss', reason: 'because' });
    expect(unknown.success ? null : unknown.error.code).toBe('BAD_REQUEST');
    expect((await dismissedRow())?.dismissReason).toBe('different');
  });

  it('links a pair dismissed as related as such in Jira, once, as the person asking; only someone who may link may', async () => {
    try {
      ok(await decide({ decision: 'dismiss', reason: 'related' }));
      const refused = await decide({ decision: 'dismiss', reason: 'related', linkRelated: true }, 'viewer-1');
      expect(refused.success ? null : refused.error.code).toBe('FORBIDDEN');
      const wrong = await decide({ decision: 'dismiss', reason: 'different', linkRelated: true });
      expect(wrong.success ? null : wrong.error.fields).toEqual({ linkRelated: 'only with decision "dismiss" and reason "related"' });
      expect(relates()).toHaveLength(0);
      const res = ok(await decide({ decision: 'dismiss', reason: 'related', linkRelated: true }));
      // SHOP-4 was filed after SHOP-3: the newer relates to the older.
      expect(res.relatedLink).toEqual({ created: true, inwardKey: 'SHOP-4', outwardKey: 'SHOP-3' });
      expect(res.pair).toMatchObject({ status: 'dismissed', dismissReason: 'related' });
      expect(relates()).toHaveLength(1);
      // Asked again: Jira has it, nothing is added, nothing more is recorded.
      expect(ok(await decide({ decision: 'dismiss', reason: 'related', linkRelated: true })).relatedLink).toEqual({ created: false, inwardKey: 'SHOP-4', outwardKey: 'SHOP-3' });
      expect(relates()).toHaveLength(1);
      // The link, asked after the reason, is its own history entry.
      expect((await entries()).map((e) => [e.action, e.detail.replace(/^score \d+%(, |; )/, '')]).sort()).toEqual([
        ['dismiss', 'pending → dismissed; why: Related, but separate work'],
        ['link.related', 'linked in Jira: SHOP-4 relates to SHOP-3'],
      ]);
    } finally {
      for (const l of relates()) h.jira.store.removeLink(l.id);
    }
  });

  it('undoes a dismissal linked as related: the Relates link is removed as the person asking, then the pair is reopened', async () => {
    try {
      ok(await decide({ decision: 'dismiss', reason: 'related' }));
      ok(await decide({ decision: 'dismiss', reason: 'related', linkRelated: true, expected: 'dismissed' }));
      expect(relates()).toHaveLength(1);
      // Only with a reopen; only by someone who may link; only of a dismissed pair.
      const wrong = await decide({ decision: 'dismiss', unlinkRelated: true });
      expect(wrong.success ? null : wrong.error.fields).toEqual({ unlinkRelated: 'only with decision "reopen", or "dismiss" with a reason other than "related"' });
      const refused = await decide({ decision: 'reopen', unlinkRelated: true }, 'viewer-1');
      expect(refused.success ? null : [refused.error.code, refused.error.message]).toEqual(['FORBIDDEN', 'You need the Link Issues permission in this project to remove a Relates link.']);
      // Jira refuses the removal: the pair stays dismissed, as the link does.
      h.jira.faults.serverErrors({ path: /issueLink\/[^/]+$/, count: 5, status: 403 });
      try {
        const failed = await decide({ decision: 'reopen', unlinkRelated: true });
        expect(failed.success ? null : failed.error.code).toBe('FORBIDDEN');
      } finally {
        h.jira.faults.clear();
      }
      expect(relates()).toHaveLength(1);
      expect((await dismissedRow())?.dismissReason).toBe('related');
      const res = ok(await decide({ decision: 'reopen', unlinkRelated: true, expected: 'dismissed' }));
      expect([res.pair.status, res.unlinkedRelated]).toEqual(['pending', 1]);
      expect(relates()).toHaveLength(0);
      const pending = await decide({ decision: 'reopen', unlinkRelated: true });
      expect(pending.success ? null : pending.error.fields).toEqual({ unlinkRelated: 'the pair is not dismissed' });
      expect((await entries()).map((e) => [e.action, e.detail.replace(/^score \d+%(, |; )/, '')]).sort()).toEqual([
        ['dismiss', 'pending → dismissed; why: Related, but separate work'],
        ['link.related', 'linked in Jira: SHOP-4 relates to SHOP-3'],
        ['reopen', 'dismissed → pending; Relates links removed: 1'],
      ]);
    } finally {
      for (const l of relates()) h.jira.store.removeLink(l.id);
    }
  });

  it('removes the Relates link first when the reason changes from related or is taken back: when Jira refuses, the reason stays as well', async () => {
    try {
      ok(await decide({ decision: 'dismiss', reason: 'related' }));
      ok(await decide({ decision: 'dismiss', reason: 'related', linkRelated: true, expected: 'dismissed' }));
      expect(relates()).toHaveLength(1);
      // Only with another reason, or none: not with the same one, not without a reason.
      for (const payload of [{ decision: 'dismiss' }, { decision: 'dismiss', reason: 'related' }, { decision: 'confirm' }]) {
        const wrong = await decide({ ...payload, unlinkRelated: true });
        expect(wrong.success ? null : wrong.error.fields).toEqual({ unlinkRelated: 'only with decision "reopen", or "dismiss" with a reason other than "related"' });
      }
      const refused = await decide({ decision: 'dismiss', reason: 'different', unlinkRelated: true, expected: 'dismissed' }, 'viewer-1');
      expect(refused.success ? null : [refused.error.code, refused.error.message]).toEqual(['FORBIDDEN', 'You need the Link Issues permission in this project to remove a Relates link.']);
      // Jira refuses the removal: the link stays, and so does the reason.
      h.jira.faults.serverErrors({ path: /issueLink\/[^/]+$/, count: 5, status: 403 });
      try {
        const failed = await decide({ decision: 'dismiss', reason: 'different', unlinkRelated: true, expected: 'dismissed' });
        expect(failed.success ? null : failed.error.code).toBe('FORBIDDEN');
      } finally {
        h.jira.faults.clear();
      }
      expect(relates()).toHaveLength(1);
      expect((await dismissedRow())?.dismissReason).toBe('related');
      const res = ok(await decide({ decision: 'dismiss', reason: 'different', unlinkRelated: true, expected: 'dismissed' }));
      expect([res.pair.status, res.pair.dismissReason, res.unlinkedRelated]).toEqual(['dismissed', 'different', 1]);
      expect(relates()).toHaveLength(0);
      // Related again and linked again, then taken back: the new link goes too.
      ok(await decide({ decision: 'dismiss', reason: 'related', expected: 'dismissed' }));
      ok(await decide({ decision: 'dismiss', reason: 'related', linkRelated: true, expected: 'dismissed' }));
      const back = ok(await decide({ decision: 'dismiss', reason: null, unlinkRelated: true, expected: 'dismissed' }));
      expect([back.pair.dismissReason, back.unlinkedRelated]).toEqual([null, 1]);
      expect(relates()).toHaveLength(0);
      expect((await entries()).map((e) => [e.action, e.detail.replace(/^score \d+%(, |; )/, '')])).toEqual([
        ['dismiss', 'pending → dismissed; why: Related, but separate work'],
        ['link.related', 'linked in Jira: SHOP-4 relates to SHOP-3'],
        ['dismiss.reason', 'why: Not the same problem; Relates links removed: 1'],
        ['dismiss.reason', 'why: Related, but separate work'],
        ['link.related', 'linked in Jira: SHOP-4 relates to SHOP-3'],
        ['dismiss.reason', 'no reason now (was: Related, but separate work); Relates links removed: 1'],
      ]);
    } finally {
      for (const l of relates()) h.jira.store.removeLink(l.id);
      // The history test below reads the project's whole history in one page of 100.
      await h.forge.sql.query('DELETE FROM actions WHERE pair_id = ? AND at_ms >= ?', [pairId(), since]);
    }
  });

  it('takes the Relates link back when the pair is reopened while Jira makes it, and says so', async () => {
    ok(await decide({ decision: 'dismiss', reason: 'related' }));
    // Jira holds the link request 2 s; the reopen is made once that request is with Jira (not
    // after a fixed pause, which a busy machine can outlast before the request is sent).
    h.jira.faults.latency(2_000, /issueLink$/);
    const linkRequests = () => h.jira.stats().count('POST', '/rest/api/3/issueLink');
    const before = linkRequests();
    try {
      const linking = decide({ decision: 'dismiss', reason: 'related', linkRelated: true, expected: 'dismissed' });
      const deadline = Date.now() + 20_000;
      while (linkRequests() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(linkRequests()).toBe(before + 1);
      ok(await decide({ decision: 'reopen', expected: 'dismissed' }, 'admin-1'));
      const late = await linking;
      expect(late.success ? null : late.error.code).toBe('CONFLICT');
    } finally {
      h.jira.faults.clear();
    }
    expect(relates()).toHaveLength(0);
    // Nothing recorded for a link that is gone again.
    expect((await entries()).map((e) => e.action)).toEqual(['dismiss', 'reopen']);
  });

  it('lets an Undo take back only the decision it was offered for, not a colleague\'s newer one to the same status', async () => {
    const mine = ok(await decide({ decision: 'dismiss' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    ok(await decide({ decision: 'reopen' }, 'admin-1'));
    ok(await decide({ decision: 'dismiss', reason: 'different' }, 'admin-1'));
    const undo = await decide({ decision: 'reopen', expected: 'dismissed', expectedDecidedAt: mine.pair.decidedAt });
    expect(undo.success ? null : undo.error.code).toBe('CONFLICT');
    expect(await dismissedRow()).toMatchObject({ decidedBy: 'admin-1', dismissReason: 'different' });
    // With the time of the decision as it stands, the reopen goes through.
    const now = await dismissedRow();
    expect(ok(await decide({ decision: 'reopen', expected: 'dismissed', expectedDecidedAt: now?.decidedAt })).pair.status).toBe('pending');
  });

  it('keeps a decision made when its history entry cannot be written, and says it was made', async () => {
    h.forge.sql.faults.failNext(2, { match: /INSERT INTO actions/ });
    try {
      const res = await decide({ decision: 'dismiss', reason: 'split' });
      expect(res.success ? res.data.pair.status : res.error).toBe('dismissed');
      // Said, so the pages can tell the person the history will not show it.
      expect(res.success ? res.data.notInHistory : res.error).toBe(true);
    } finally {
      h.forge.sql.faults.clear();
    }
    expect((await dismissedRow())?.dismissReason).toBe('split');
    expect(await entries()).toEqual([]);
    // One failure is tried again: the entry is written.
    ok(await decide({ decision: 'reopen' }));
    h.forge.sql.faults.failNext(1, { match: /INSERT INTO actions/ });
    try {
      expect(ok(await decide({ decision: 'dismiss' }))).not.toHaveProperty('notInHistory');
    } finally {
      h.forge.sql.faults.clear();
    }
    expect((await entries()).map((e) => e.action)).toEqual(['reopen', 'dismiss']);
  });

  it('takes a reason back when the pressed one is pressed again: the pair stays dismissed, with none', async () => {
    ok(await decide({ decision: 'dismiss', reason: 'split' }));
    const res = ok(await decide({ decision: 'dismiss', reason: null, expected: 'dismissed' }, 'admin-1'));
    expect(res.pair).toMatchObject({ status: 'dismissed', dismissReason: null, decidedBy: 'member-1' });
    expect((await dismissedRow())?.dismissReason).toBeNull();
    // Again: nothing more to take back, nothing recorded.
    ok(await decide({ decision: 'dismiss', reason: null, expected: 'dismissed' }));
    // In bulk too, after a reason given in bulk.
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId()], decision: 'dismiss', reason: 'different', expected: 'dismissed' }, 'member-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId()], decision: 'dismiss', reason: null, expected: 'dismissed' }, 'member-1', SHOP));
    expect((await dismissedRow())?.dismissReason).toBeNull();
    expect((await entries()).map((e) => [e.action, e.actor, e.detail.replace(/^score \d+%(, |; )/, '')]).sort()).toEqual([
      ['dismiss', 'member-1', 'pending → dismissed; why: Split on purpose (one per team, component or version)'],
      ['dismiss.reason', 'admin-1', 'no reason now (was: Split on purpose (one per team, component or version))'],
      ['dismiss.reason', 'member-1', 'no reason now (was: Not the same problem)'],
      ['dismiss.reason', 'member-1', 'why: Not the same problem'],
    ]);
    // A dismissal with null as its reason is a dismissal without one.
    ok(await decide({ decision: 'reopen' }));
    expect(ok(await decide({ decision: 'dismiss', reason: null })).pair).toMatchObject({ status: 'dismissed', dismissReason: null });
    const confirm = await decide({ decision: 'confirm', reason: null });
    expect(confirm.success ? null : confirm.error.fields).toEqual({ reason: 'only with decision "dismiss"' });
  });

  it('keeps a dismissal as related, and records it, when Jira refuses the Relates link asked with it', async () => {
    h.jira.faults.serverErrors({ path: /issueLink$/, count: 5, status: 403 });
    try {
      const res = await decide({ decision: 'dismiss', reason: 'related', linkRelated: true });
      expect(res.success ? null : [res.error.code, res.error.message.startsWith('The pair is dismissed as related, but the Relates link was not made:')]).toEqual(['FORBIDDEN', true]);
    } finally {
      h.jira.faults.clear();
    }
    expect((await dismissedRow())?.dismissReason).toBe('related');
    expect((await entries()).map((e) => [e.action, e.detail.replace(/^score \d+%, /, '')])).toEqual([['dismiss', 'pending → dismissed; why: Related, but separate work']]);
  });

  it('gives a late reason only to a pair still dismissed: one someone confirmed or reopened meanwhile stays as they left it', async () => {
    ok(await decide({ decision: 'dismiss' }));
    // admin-1 confirms it meanwhile (linking it in Jira); member-1's reason comes after.
    ok(await decide({ decision: 'confirm' }, 'admin-1'));
    const late = await decide({ decision: 'dismiss', reason: 'split', expected: 'dismissed' });
    expect(late.success ? null : late.error.code).toBe('CONFLICT');
    const confirmed = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'confirmed' }, 'member-1', SHOP)).items.find((p) => p.id === pairId());
    expect(confirmed).toMatchObject({ status: 'confirmed', decidedBy: 'admin-1', dismissReason: null });
    const relatedLate = await decide({ decision: 'dismiss', reason: 'related', linkRelated: true, expected: 'dismissed' });
    expect(relatedLate.success ? null : relatedLate.error.code).toBe('CONFLICT');
    // Reopened meanwhile: the same, in bulk too.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairId(), decision: 'reopen', unlink: true }, 'admin-1', SHOP));
    const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId()], decision: 'dismiss', reason: 'split', expected: 'dismissed' }, 'member-1', SHOP));
    expect(bulk.results).toEqual([{ pairId: pairId(), ok: false, code: 'CONFLICT', error: 'Someone else decided this pair meanwhile. Reload to see where it stands.' }]);
    expect((await entries()).map((e) => e.action).sort()).toEqual(['confirm', 'dismiss', 'unlink']);
  });

  it('lets only those who may dismiss give a reason', async () => {
    ok(await decide({ decision: 'dismiss' }));
    await saveSettings({ ...TEST_SETTINGS, dismissNeedsLink: true });
    try {
      const refused = await decide({ decision: 'dismiss', reason: 'related' }, 'viewer-1');
      expect(refused.success ? null : refused.error.code).toBe('FORBIDDEN');
      expect((await dismissedRow())?.dismissReason).toBeNull();
    } finally {
      await saveSettings(TEST_SETTINGS);
    }
  });
});

describe('an admin who lets only people with Link Issues dismiss', () => {
  it('refuses a dismissal or a reopen from someone without it, and says so to every surface', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    // By default, browsing both issues is enough to dismiss.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'viewer-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'viewer-1', SHOP));
    const suggestions = async (user: string) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, user as never));
    expect((await suggestions('viewer-1')).canDismiss).toBe(true);
    await saveSettings({ ...TEST_SETTINGS, dismissNeedsLink: true });
    try {
      const refused = await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'viewer-1', SHOP);
      expect(refused.success ? null : [refused.error.code, refused.error.message]).toEqual([
        'FORBIDDEN',
        'A Jira admin has set this app so that only people with the Link Issues permission may dismiss suggestions.',
      ]);
      const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'dismiss' }, 'viewer-1', SHOP));
      expect(bulk.results[0]?.ok).toBe(false);
      expect(bulk.results[0]?.error).toMatch(/only people with the Link Issues permission may dismiss/);
      expect((await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])) as unknown).toEqual([{ status: 'pending' }]);
      // The pages learn it: the panel's canDismiss, the queue's dismissNeedsLink.
      expect((await suggestions('viewer-1')).canDismiss).toBe(false);
      expect((await suggestions('member-1')).canDismiss).toBe(true);
      expect(ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'viewer-1', SHOP)).dismissNeedsLink).toBe(true);
      // Someone with Link Issues still may.
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'member-1', SHOP));
      const reopen = await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'viewer-1', SHOP);
      expect(reopen.success ? null : reopen.error.message).toMatch(/may reopen pairs\.$/);
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'member-1', SHOP));
    } finally {
      await saveSettings(TEST_SETTINGS);
    }
  });
});

describe('clusters.list', () => {
  it('groups duplicate-tier pairs into clusters of visible issues', async () => {
    const res = ok(await h.call('project-page-resolver', 'clusters.list', {}, 'member-1', SHOP));
    expect(res.total).toBe(1);
    const cluster = res.items[0];
    expect(cluster?.members.map((m) => m.key).sort()).toEqual(['OPS-1', 'SHOP-1', 'SHOP-2', 'SHOP-5']);
    expect(cluster?.size).toBe(4);
    expect(cluster?.maxScore).toBeCloseTo(0.82);
    expect(cluster?.pendingPairs).toBe(3);
    expect(cluster?.representative.key).toBe('SHOP-2');
    // The pairs that join them, strongest first, each once.
    const keyOf = new Map(cluster?.members.map((m) => [m.id, m.key]));
    expect(cluster?.pairs.map((p) => [[keyOf.get(p.a), keyOf.get(p.b)].sort().join(' '), p.score])).toEqual([
      ['SHOP-1 SHOP-2', 0.82],
      ['OPS-1 SHOP-2', 0.71],
      ['SHOP-1 SHOP-5', 0.61],
    ]);
    expect(ok(await h.call('project-page-resolver', 'clusters.list', { search: 'newsletter' }, 'member-1', SHOP)).total).toBe(0);
  });
});

describe('cluster order', () => {
  const ref = (key: string): IssueRef => ({
    id: key,
    key,
    summary: key,
    projectKey: key.split('-')[0] ?? '',
    type: 'Bug',
    status: 'To Do',
    statusCategory: 'new',
    created: '2025-01-01T00:00:00.000Z',
    updated: '2025-01-01T00:00:00.000Z',
  });
  const cluster = (key: string, size: number, maxScore: number, pendingPairs: number): ClusterView => ({
    id: key,
    representative: ref(key),
    members: [ref(key)],
    size,
    maxScore,
    pendingPairs,
    pairs: [],
  });

  it('lists clusters with pairs to review first, then by the duplicates a link would likely settle (members weighed by how alike the group is), then larger, stronger, by key', () => {
    const pairsOf = (scores: number[]) => scores.map((score, i) => ({ a: `a${i}`, b: `b${i}`, score }));
    // Twelve issues chained one to the next by strong pairs (11 of 66 twos) against four copies alike two by two.
    const chain = { ...cluster('SHOP-30', 12, 0.67, 3), pairs: pairsOf(Array.from({ length: 11 }, () => 0.6)) };
    const copies = { ...cluster('SHOP-40', 4, 0.95, 3), pairs: pairsOf([0.95, 0.94, 0.93, 0.92, 0.91, 0.9]) };
    const ordered = orderClusters([
      cluster('SHOP-22', 2, 0.66, 1),
      cluster('SHOP-2', 2, 0.49, 1),
      cluster('SHOP-10', 2, 0.49, 1),
      cluster('SHOP-5', 3, 0.47, 0),
      { ...cluster('SHOP-9', 3, 0.47, 2), pairs: pairsOf([0.47, 0.46, 0.46]) },
      cluster('OPS-7', 2, 0.9, 0),
      chain,
      copies,
    ]);
    // Pending first; then by the duplicates a link would likely settle: four tight copies, a
    // strong two, a tight three of weaker pairs, weaker twos, and the loose chain last.
    expect(ordered.map((c) => c.id)).toEqual(['SHOP-40', 'SHOP-22', 'SHOP-9', 'SHOP-2', 'SHOP-10', 'SHOP-30', 'OPS-7', 'SHOP-5']);
  });
});

describe('export.csv', () => {
  it('pages with a cursor, header first, RFC 4180 quoting and formulas neutralised', async () => {
    const first = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', pageSize: 2 }, 'member-1', SHOP));
    expect(first.rows).toBe(2);
    expect(first.nextCursor).not.toBeNull();
    // Joined as the page joins them (the pairs the fixture just stored count as moved, so they come again at the end).
    const file = csvPages();
    file.add(first.csv);
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const next = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', pageSize: 2, cursor }, 'member-1', SHOP));
      expect(next.csv.startsWith('Pair,')).toBe(false);
      file.add(next.csv);
      cursor = next.nextCursor;
    }
    const csv = file.parts().join('');
    const records: string[][] = parse(csv, { relax_column_count: false });
    expect(records[0]?.[0]).toBe('Pair');
    expect(records.length).toBe(5);
    const formula = records.find((r) => r[9] === 'SHOP-5');
    expect(formula?.[10]).toBe(`'${issue('SHOP-5').summary}`);
    expect(csv).toContain('"\'=HYPERLINK(""http://x"") checkout payment crash"');
    // Pending: the way the app offers to link them, the newer issue as the duplicate.
    const header = records[0]!;
    const row12 = records.find((r) => r[4] === 'SHOP-1' && r[9] === 'SHOP-2')!;
    expect([row12[header.indexOf('Suggested duplicate')], row12[header.indexOf('Suggested original')]]).toEqual(['SHOP-2', 'SHOP-1']);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('suggests which way to link whatever the stored links say of issues the viewer may not see', async () => {
    const suggested = async (user: 'member-1' | 'restricted-1'): Promise<string[]> => {
      const records: string[][] = parse(ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending' }, user, SHOP)).csv);
      const header = records[0] ?? [];
      const row = records.find((r) => r[4] === 'SHOP-1' && r[9] === 'SHOP-5') ?? [];
      return [row[header.indexOf('Suggested duplicate')] ?? '?', row[header.indexOf('Suggested original')] ?? '?'];
    };
    expect(await suggested('restricted-1')).toEqual(['SHOP-5', 'SHOP-1']);
    // SHOP-5 is stored as linked to OPS-1, which restricted-1 may not browse: nothing changes for
    // them (their Confirm would not see that link either); member-1, who may, gets no guess.
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [issue('OPS-1').id, issue('SHOP-5').id]);
    try {
      expect(await suggested('restricted-1')).toEqual(['SHOP-5', 'SHOP-1']);
      expect(await suggested('member-1')).toEqual(['', '']);
    } finally {
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });

  /** The first row of the Confirmed tab's CSV, as admin-1 exports it: a cell by its column's name. */
  const confirmedCsvRow = async (): Promise<(name: string) => string | undefined> => {
    const res = ok(await h.call('project-page-resolver', 'export.csv', { status: 'confirmed' }, 'admin-1', SHOP));
    const records: string[][] = parse(res.csv);
    const [header, row] = records;
    return (name) => row?.[header?.indexOf(name) ?? -1];
  };

  it('cuts the score it writes, never rounding one below the duplicate threshold up to it', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    const [before] = (await h.forge.sql.query('SELECT score FROM pairs WHERE id = ?', [pairId])) as Array<{ score: number }>;
    await h.forge.sql.query('UPDATE pairs SET score = 0.44996 WHERE id = ?', [pairId]);
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'confirm' }, 'member-1', SHOP));
    try {
      const cell = await confirmedCsvRow();
      expect(cell('Pair')).toBe(pairId);
      // Rounded it read 0.450, the duplicate threshold, on a pair below it; the percent beside it is cut too.
      expect([cell('Score'), cell('Score %')]).toEqual(['0.449', '44%']);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'reopen', unlink: true }, 'member-1', SHOP));
      await h.forge.sql.query('UPDATE pairs SET score = ? WHERE id = ?', [before?.score ?? 0.82, pairId]);
    }
  });

  it('names who decided as Jira shows the name, keeps the account id beside it, and gives both issues\' created dates', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'confirm' }, 'member-1', SHOP));
    try {
      const cell = await confirmedCsvRow();
      expect(cell('Pair')).toBe(pairId);
      expect(cell('Decider account id')).toBe('member-1');
      expect(cell('Decided by')).toMatch(/\S/);
      expect(cell('Decided by')).not.toBe('member-1');
      expect(cell('Shared terms')).toBe('payment; gateway; timeout');
      expect([cell('Created A'), cell('Created B')]).toEqual([issue('SHOP-1').created, issue('SHOP-2').created]);
      // The score as the pages show it beside the stored fraction; the pair's own status named apart from the issues'.
      expect([cell('Score'), cell('Score %'), cell('Review status'), cell('Why only related')]).toEqual(['0.820', '82%', 'confirmed', '']);
      // Each issue's address on the site, and which way the app offers to link them (the newer duplicates the older).
      expect([cell('URL A'), cell('URL B')]).toEqual([`${h.forge.identity.siteUrl}/browse/SHOP-1`, `${h.forge.identity.siteUrl}/browse/SHOP-2`]);
      // Confirmed: the link in Jira may run either way, so no suggestion.
      expect([cell('Suggested duplicate'), cell('Suggested original')]).toEqual(['', '']);
    } finally {
      // Undone as the history's last entry expects it (an unlink).
      ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'reopen', unlink: true }, 'member-1', SHOP));
    }
  });

  it('says "Linked in Jira" for a pair an analysis confirmed because Jira links it, with no account id', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    await h.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_by = NULL, decided_ms = 1700000000000, decided_in_jira = 1 WHERE id = ?", [pairId]);
    try {
      const cell = await confirmedCsvRow();
      expect(cell('Pair')).toBe(pairId);
      expect(cell('Decided by')).toBe('Linked in Jira');
      expect(cell('Decider account id')).toBe('');
      const listed = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'confirmed' }, 'member-1', SHOP));
      expect(listed.items.find((p) => p.id === pairId)).toMatchObject({ decidedInJira: true, decidedBy: null });
    } finally {
      await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0 WHERE id = ?", [pairId]);
    }
  });

  it('names who made the link in Jira when its event said so', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    await h.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_by = 'member-1', decided_ms = 1700000000000, decided_in_jira = 1 WHERE id = ?", [pairId]);
    try {
      const cell = await confirmedCsvRow();
      expect(cell('Decided by')).toMatch(/^Linked in Jira by \S/);
      expect(cell('Decided by')).not.toBe('Linked in Jira by member-1');
      expect(cell('Decider account id')).toBe('member-1');
    } finally {
      await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0 WHERE id = ?", [pairId]);
    }
  });

  it('rejects a forged cursor', async () => {
    const res = await h.call('project-page-resolver', 'export.csv', { status: 'pending', cursor: 'x' }, 'member-1', SHOP);
    expect(res.success ? null : res.error.code).toBe('BAD_REQUEST');
    for (const cursor of ['p2:', 'p2:bm90IGpzb24', `p2:${Buffer.from(JSON.stringify({ s: 'score', o: 'desc', k: 'x', i: '1' })).toString('base64url')}`]) {
      const bad = await h.call('project-page-resolver', 'export.csv', { status: 'pending', cursor }, 'member-1', SHOP);
      expect(bad.success ? null : bad.error.fields).toEqual({ cursor: 'is not one this export handed out' });
    }
  });

  it('lists the rows in the queue\'s order, page after page, whatever the sort; a cursor of another order is refused', async () => {
    const exported = async (sort: 'likely' | 'score' | 'created' | 'updated', order: 'asc' | 'desc'): Promise<string[]> => {
      const file = csvPages();
      let cursor: string | null = null;
      do {
        const page: { csv: string; nextCursor: string | null } = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', sort, order, pageSize: 1, cursor }, 'member-1', SHOP));
        file.add(page.csv);
        cursor = page.nextCursor;
      } while (cursor !== null);
      const records: string[][] = parse(file.parts().join(''));
      return records.slice(1).map((r) => r[0] ?? '');
    };
    for (const [sort, order] of [['likely', 'desc'], ['likely', 'asc'], ['score', 'desc'], ['score', 'asc'], ['created', 'desc'], ['updated', 'asc']] as const) {
      const queue = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', sort, order, pageSize: 100 }, 'member-1', SHOP));
      expect({ sort, order, ids: await exported(sort, order) }).toEqual({ sort, order, ids: queue.items.map((p) => p.id) });
    }
    const first = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', sort: 'score', order: 'desc', pageSize: 1 }, 'member-1', SHOP));
    const crossed = await h.call('project-page-resolver', 'export.csv', { status: 'pending', sort: 'created', order: 'desc', pageSize: 1, cursor: first.nextCursor }, 'member-1', SHOP);
    expect(crossed.success ? null : crossed.error.code).toBe('BAD_REQUEST');
    // A score cursor is not one for "possible duplicates first" (it names no tier), nor the other way round.
    const likely = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', sort: 'likely', order: 'desc', pageSize: 1 }, 'member-1', SHOP));
    for (const [sort, cursor] of [['likely', first.nextCursor], ['score', likely.nextCursor]] as const) {
      const refused = await h.call('project-page-resolver', 'export.csv', { status: 'pending', sort, order: 'desc', pageSize: 1, cursor }, 'member-1', SHOP);
      expect(refused.success ? null : refused.error.code).toBe('BAD_REQUEST');
    }
  });
});

describe('stats.get and history.list', () => {
  it('histograms scores from the related threshold, by type and by status', async () => {
    const res = ok(await h.call('project-page-resolver', 'stats.get', {}, 'member-1', SHOP));
    expect(res.scoreHistogram[0]).toEqual({ from: 0.3, to: 0.35, count: 0, duplicates: 0 });
    expect(res.scoreHistogram[res.scoreHistogram.length - 1]?.to).toBe(1);
    expect(res.scoreHistogram.length).toBe(14);
    expect(res.scoreHistogram.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(res.scoreHistogram.find((b) => b.from === 0.8)?.count).toBe(1);
    // The tier each pair is stored with, as the queue shows it: three duplicates, one related at 0.41.
    expect(res.scoreHistogram.reduce((n, b) => n + b.duplicates, 0)).toBe(3);
    expect(res.scoreHistogram.find((b) => b.from === 0.4)).toEqual({ from: 0.4, to: 0.45, count: 1, duplicates: 0 });
    expect(res.byStatus.pending + res.byStatus.dismissed + res.byStatus.confirmed).toBe(4);
    // Of them, by status, those in the duplicate tier: three of the four.
    expect(res.duplicatesByStatus.pending + res.duplicatesByStatus.dismissed + res.duplicatesByStatus.confirmed).toBe(3);
    for (const status of ['pending', 'confirmed', 'dismissed'] as const) expect(res.duplicatesByStatus[status]).toBeLessThanOrEqual(res.byStatus[status]);
    expect(res.byType).toEqual(expect.arrayContaining([{ type: 'Bug', count: 4 }, { type: 'Task', count: 1 }]));
  });

  it('lists the decisions made on the project', async () => {
    const res = ok(await h.call('project-page-resolver', 'history.list', {}, 'member-1', SHOP));
    expect(res.items.length).toBeGreaterThan(0);
    // The last decision was the bulk undo of two links: logged as what it was.
    expect(res.items[0]?.action).toBe('unlink');
    expect(res.items.every((a) => a.issueKeys.every((k) => /^(SHOP|OPS)-/.test(k)))).toBe(true);
  });

  it('narrows the history to one kind of action, the viewer\'s own actions, or one issue, and counts with the filter', async () => {
    const list = async (filter: object, user = 'member-1') => ok(await h.call('project-page-resolver', 'history.list', { pageSize: 100, ...filter }, user as never, SHOP));
    const all = await list({});
    expect(all.total).toBe(entriesIn(all.items));
    const decisions = await list({ kind: 'decisions' });
    expect(decisions.items.length).toBeGreaterThan(0);
    expect(decisions.items.map((a) => a.id)).toEqual(all.items.filter((a) => HISTORY_KINDS.decisions.includes(a.action)).map((a) => a.id));
    expect(decisions.total).toBe(entriesIn(decisions.items));
    const runs = await list({ kind: 'analyses' });
    expect(runs.items.every((a) => a.action.startsWith('run.'))).toBe(true);
    expect(runs.total + decisions.total).toBeLessThanOrEqual(all.total);

    const mine = await list({ mine: true });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.map((a) => a.id)).toEqual(all.items.filter((a) => a.actorAccountId === 'member-1').map((a) => a.id));
    const viewers = await list({ mine: true }, 'viewer-1');
    expect(viewers.items.map((a) => a.id)).toEqual((await list({}, 'viewer-1')).items.filter((a) => a.actorAccountId === 'viewer-1').map((a) => a.id));
    expect(viewers.total).toBeLessThan(mine.total);

    // Exactly the key, in any case: SHOP-1 is not SHOP-12.
    const shop1 = await list({ issueKey: 'shop-1' });
    expect(shop1.items.length).toBeGreaterThan(0);
    expect(shop1.items.map((a) => a.id)).toEqual(all.items.filter((a) => a.issueKeys.includes('SHOP-1')).map((a) => a.id));
    const both = await list({ issueKey: 'SHOP-1', kind: 'decisions', mine: true });
    expect(both.items.map((a) => a.id)).toEqual(shop1.items.filter((a) => a.actorAccountId === 'member-1' && HISTORY_KINDS.decisions.includes(a.action)).map((a) => a.id));
    expect((await list({ issueKey: 'SHOP-999' })).total).toBe(0);

    const bad = await h.call('project-page-resolver', 'history.list', { issueKey: 'SHOP 1' }, 'member-1', SHOP);
    expect(bad.success ? null : [bad.error.code, bad.error.message]).toEqual(['BAD_REQUEST', expect.stringMatching(/issueKey.*issue key such as ABC-12/)]);
  });

  it('names the people in the history, as the viewer may see them, and lists it without names when Jira fails', async () => {
    const res = ok(await h.call('project-page-resolver', 'history.list', {}, 'viewer-1', SHOP));
    const actors = new Set(res.items.map((a) => a.actorAccountId).filter((id) => id !== null));
    expect(actors.size).toBeGreaterThan(0);
    expect(res.actors.map((a) => a.accountId).sort()).toEqual([...actors].sort());
    expect(res.actors.find((a) => a.accountId === 'member-1')?.displayName).toBe('Morgan Member');
    h.jira.faults.serverErrors({ count: 20, status: 503, path: /user\/bulk/ });
    try {
      const without = ok(await h.call('project-page-resolver', 'history.list', {}, 'viewer-1', SHOP));
      expect(without.items).toEqual(res.items);
      expect(without.actors).toEqual([]);
    } finally {
      h.jira.faults.clear();
    }
  });
});

describe('history.list on a project page', () => {
  it('gives the decisions of one bulk action one batch id, and a decision made alone none', async () => {
    const ids = [pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-1', 'SHOP-5')];
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: ids, decision: 'dismiss' }, 'member-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: ids[0]!, decision: 'reopen' }, 'member-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [ids[1]!], decision: 'reopen' }, 'member-1', SHOP));
    const items = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 4 }, 'member-1', SHOP)).items;
    const [bulkReopen, singleReopen, ...dismissals] = items.slice(0, 4);
    expect(dismissals.map((a) => a.action)).toEqual(['dismiss', 'dismiss']);
    expect(dismissals[0]!.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(dismissals[1]!.batchId).toBe(dismissals[0]!.batchId);
    expect(singleReopen).toMatchObject({ action: 'reopen', batchId: null });
    expect(bulkReopen!.batchId).not.toBeNull();
    expect(bulkReopen!.batchId).not.toBe(dismissals[0]!.batchId);
    // Paged by entry: three entries are the bulk reopen, the single one and the whole bulk
    // dismissal (four rows); the total counts entries.
    const three = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 3 }, 'member-1', SHOP));
    expect(three.items.map((a) => a.action)).toEqual(['reopen', 'reopen', 'dismiss', 'dismiss']);
    const rows = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 100 }, 'member-1', SHOP));
    expect(rows.total).toBe(entriesIn(rows.items));
    expect(rows.total).toBeLessThan(rows.items.length);
  });

  it('pages two bulk actions written at the same moment as two entries, each whole, and keeps its pages while entries are added', async () => {
    const pending = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 6 }, 'member-1', SHOP)).items.map((p) => p.id);
    expect(pending.length).toBeGreaterThanOrEqual(4);
    const half = Math.floor(pending.length / 2);
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: pending, decision: 'dismiss' }, 'member-1', SHOP));
    // Reopened in two bulk actions at once (two tabs, or two people): their entries are written interleaved.
    await Promise.all([
      h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: pending.slice(0, half), decision: 'reopen' }, 'member-1', SHOP),
      h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: pending.slice(half), decision: 'reopen' }, 'member-1', SHOP),
    ]);
    const top = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1 }, 'member-1', SHOP));
    const second = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1, page: 2, asOf: top.asOf }, 'member-1', SHOP));
    const third = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1, page: 3, asOf: top.asOf }, 'member-1', SHOP));
    expect([top.items.length, second.items.length].sort()).toEqual([half, pending.length - half].sort());
    for (const [entry, action] of [[top, 'reopen'], [second, 'reopen'], [third, 'dismiss']] as const) {
      expect(entry.items.every((a) => a.action === action)).toBe(true);
      expect(new Set(entry.items.map((a) => a.batchId)).size).toBe(1);
    }
    expect(new Set([...top.items, ...second.items].map((a) => a.pairId))).toEqual(new Set(pending));
    expect(new Set(third.items.map((a) => a.pairId))).toEqual(new Set(pending));
    // Another decision meanwhile: the second page read at the first's time is the same, and says one entry is newer.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pending[0]!, decision: 'dismiss' }, 'member-1', SHOP));
    try {
      const again = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1, page: 2, asOf: top.asOf }, 'member-1', SHOP));
      expect([again.items.map((a) => a.id), again.total, again.newer, again.asOf]).toEqual([second.items.map((a) => a.id), second.total, 1, top.asOf]);
      const fresh = ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1 }, 'member-1', SHOP));
      expect([fresh.items.map((a) => a.action), fresh.total, fresh.newer]).toEqual([['dismiss'], top.total + 1, 0]);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pending[0]!, decision: 'reopen' }, 'member-1', SHOP));
    }
    const bad = await h.call('project-page-resolver', 'history.list', { asOf: 'yesterday' }, 'member-1', SHOP);
    expect(bad.success ? null : [bad.error.code, bad.error.fields]).toEqual(['BAD_REQUEST', { asOf: 'must be a time such as 2026-12-07T10:00:00.000Z' }]);
  });


  it('shows runs of every project (scheduled ones as the app\'s own), but not the admin page\'s settings changes', async () => {
    await appendAction({ action: 'run.start', actorAccountId: null, detail: 'run r-nightly (full, all projects, scheduled)' });
    await appendAction({ action: 'settings.save', actorAccountId: 'admin-1', detail: 'projects: +PAYROLL' });
    const res = ok(await h.call('project-page-resolver', 'history.list', {}, 'member-1', SHOP));
    expect(res.items.find((a) => a.detail === 'run r-nightly (full, all projects, scheduled)')).toEqual(expect.objectContaining({ action: 'run.start', actorAccountId: null }));
    expect(res.items.filter((a) => a.action === 'settings.save')).toEqual([]);
  });
});

describe('runs', () => {
  it('starts, reports, lists and cancels a project run', async () => {
    const started = ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', SHOP));
    expect(started.run.scope).toEqual({ kind: 'project', projectKey: 'SHOP' });
    expect(started.run.startedBy).toBe('member-1');
    const again = ok(await h.call('project-page-resolver', 'run.start', {}, 'member-1', SHOP));
    expect(again.joined || again.run.status === 'done').toBe(true);
    const status = ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP));
    expect(status.current?.runId ?? status.last?.runId).toBe(started.run.runId);
    const list = ok(await h.call('project-page-resolver', 'run.list', { limit: 5 }, 'member-1', SHOP));
    expect(list.runs.map((r) => r.runId)).toContain(started.run.runId);
    const cancelled = ok(await h.call('project-page-resolver', 'run.cancel', { runId: started.run.runId }, 'member-1', SHOP));
    expect(['cancelled', 'done', 'failed']).toContain(cancelled.run.status);
    await h.forge.queue.settle(60_000);
  });

  it('says whether the project is among the analysed projects, and refuses a run when it is not', async () => {
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP)).analysed).toBe(true);
    await saveSettings({ ...TEST_SETTINGS, projects: ['MOB', 'OPS'] });
    try {
      const status = ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP));
      expect(status.analysed).toBe(false);
      // What ran before is still shown; the page says it is no longer kept current.
      expect(status.last).not.toBeNull();
      const refused = await h.call('project-page-resolver', 'run.start', {}, 'member-1', SHOP);
      expect(refused.success ? null : refused.error.message).toMatch(/SHOP is not among the analysed projects/);
      expect(ok(await h.call('admin-page-resolver', 'run.status', {}, 'admin-1', ADMIN_EXTENSION)).analysed).toBe(true);
      await saveSettings({ ...TEST_SETTINGS, projects: [] });
      expect(ok(await h.call('admin-page-resolver', 'run.status', {}, 'admin-1', ADMIN_EXTENSION)).analysed).toBe(false);
    } finally {
      await saveSettings(TEST_SETTINGS);
    }
  });

  it('says whether projects other than this one are in scope, so that a run of every project counted them', async () => {
    expect(TEST_SETTINGS.projects.length).toBeGreaterThan(1);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP)).otherProjects).toBe(true);
    await saveSettings({ ...TEST_SETTINGS, projects: ['SHOP'] });
    try {
      expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP)).otherProjects).toBe(false);
    } finally {
      await saveSettings(TEST_SETTINGS);
    }
  });
});

describe('review progress', () => {
  it('counts the review progress only when asked: the standing decisions per week for 12 weeks, and who made them, by name', async () => {
    expect(ok(await h.call('project-page-resolver', 'stats.get', {}, 'member-1', SHOP)).decisionsByWeek).toEqual([]);
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    const before = ok(await h.call('project-page-resolver', 'stats.get', { progress: true }, 'admin-1', SHOP));
    const weekNow = before.decisionsByWeek[before.decisionsByWeek.length - 1];
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'member-1', SHOP));
    try {
      const res = ok(await h.call('project-page-resolver', 'stats.get', { progress: true }, 'admin-1', SHOP));
      expect(res.decisionsByWeek).toHaveLength(12);
      // Mondays, a week apart, the last one this week's.
      const starts = res.decisionsByWeek.map((w) => Date.parse(`${w.weekStart}T00:00:00Z`));
      expect(starts.every((t) => new Date(t).getUTCDay() === 1)).toBe(true);
      expect(starts.slice(1).every((t, i) => t - (starts[i] ?? 0) === 7 * 86_400_000)).toBe(true);
      expect(Date.now() - (starts[11] ?? 0)).toBeLessThan(7 * 86_400_000);
      const now = res.decisionsByWeek[11];
      expect([now?.confirmed, now?.dismissed]).toEqual([weekNow?.confirmed, (weekNow?.dismissed ?? 0) + 1]);
      // Every standing decision is someone's: the people's counts add up to the weeks' (all made this session).
      const byPeople = res.deciders.reduce((n, d) => n + d.confirmed + d.dismissed, 0);
      expect(byPeople).toBe(res.decisionsByWeek.reduce((n, w) => n + w.confirmed + w.dismissed, 0));
      expect(res.deciders.find((d) => d.accountId === 'member-1')?.dismissed).toBeGreaterThan(0);
      expect(res.actors).toEqual(expect.arrayContaining([{ accountId: 'member-1', displayName: 'Morgan Member' }]));
      // A decision made before the 12 weeks is counted neither by week nor by person.
      await h.forge.sql.query('UPDATE pairs SET decided_ms = ? WHERE id = ?', [Date.now() - 20 * 7 * 86_400_000, pairId]);
      const older = ok(await h.call('project-page-resolver', 'stats.get', { progress: true }, 'admin-1', SHOP));
      expect(older.deciders.reduce((n, d) => n + d.confirmed + d.dismissed, 0)).toBe(byPeople - 1);
      expect(older.decisionsByWeek.reduce((n, w) => n + w.confirmed + w.dismissed, 0)).toBe(byPeople - 1);
      // Counted over the pairs each viewer may see, as the tab counts are.
      const restricted = ok(await h.call('project-page-resolver', 'stats.get', { progress: true }, 'restricted-1', SHOP));
      const total = (r: typeof res) => r.decisionsByWeek.reduce((n, w) => n + w.confirmed + w.dismissed, 0);
      expect(total(restricted)).toBeLessThanOrEqual(restricted.byStatus.confirmed + restricted.byStatus.dismissed);
      expect(total(res)).toBe(res.byStatus.confirmed + res.byStatus.dismissed);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'member-1', SHOP));
    }
  });
});
