/**
 * The permission matrix: every resolver method for the four stand-in users. restricted-1
 * may not browse OPS; viewer-1 may browse everything but link nothing; only admin-1 is a
 * Jira admin. Nothing from OPS may reach restricted-1: not in lists, counts, search,
 * clusters, CSV, stats, history, the create check or the badge.
 */
import type { ApiMethod } from '../../src/shared/contract';
import { FORMER_USER } from '../../src/shared/wording';
import { upsertPairs } from '../../src/store/pairs';
import { ADMIN_EXTENSION, USERS, issue, issueExtension, ok, pairIdOf, projectExtension, startHarness, type Harness, type Surface, type User } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
const OPS_TEXT = /OPS-1|alerts firing/i;

beforeAll(async () => {
  h = await startHarness();
  // A decision on the cross-project pair, so the history has an OPS entry to hide.
  ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-2', 'OPS-1'), decision: 'dismiss' }, 'member-1', SHOP));
  ok(await h.call('project-page-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-2', 'OPS-1'), decision: 'reopen' }, 'member-1', SHOP));
});

afterAll(async () => {
  await h?.stop();
});

/** Everything a user can read about SHOP, as one JSON text. */
async function everythingVisible(user: User): Promise<{ text: string; counts: Record<string, number>; checkKeys: string[] }> {
  const parts: unknown[] = [];
  const counts: Record<string, number> = {};
  const suggestions = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, user, issueExtension('SHOP-2')));
  parts.push(suggestions);
  counts['suggestions'] = suggestions.duplicates.length + suggestions.related.length;
  // One suggestion a list, the rest counted: the counts of those not listed leave hidden ones out too.
  const first = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id, limit: 1 }, user, issueExtension('SHOP-2')));
  parts.push(first);
  const { notListed } = first;
  counts['suggestionsListed'] = first.duplicates.length + first.related.length;
  counts['suggestionsCounted'] = counts['suggestionsListed'] + notListed.duplicates.pending + notListed.duplicates.confirmed + notListed.related.pending + notListed.related.confirmed;
  // A limit of one list's own (`limits`, as "Show 20 more" asks): its count leaves hidden ones out too.
  const perList = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id, limits: { duplicates: 1 } }, user, issueExtension('SHOP-2')));
  parts.push(perList);
  counts['duplicatesPerList'] = perList.duplicates.length + perList.notListed.duplicates.pending + perList.notListed.duplicates.confirmed;
  const list = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, user, SHOP));
  parts.push(list);
  counts['pairs'] = list.items.length;
  counts['pairsTotal'] = list.total;
  const search = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', search: 'alerts' }, user, SHOP));
  parts.push(search);
  counts['searchTotal'] = search.total;
  const clusters = ok(await h.call('project-page-resolver', 'clusters.list', {}, user, SHOP));
  parts.push(clusters);
  counts['clusterMembers'] = clusters.items.reduce((n, c) => n + c.size, 0);
  const csv = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending' }, user, SHOP));
  parts.push(csv);
  counts['csvRows'] = csv.rows;
  const stats = ok(await h.call('project-page-resolver', 'stats.get', {}, user, SHOP));
  parts.push(stats);
  counts['statsPending'] = stats.byStatus.pending;
  counts['histogram'] = stats.scoreHistogram.reduce((n, b) => n + b.count, 0);
  const history = ok(await h.call('project-page-resolver', 'history.list', {}, user, SHOP));
  parts.push(history);
  counts['history'] = history.items.length;
  // The create check searches the dialog's project: in OPS every match is hidden from restricted-1.
  const check = ok(
    await h.call('create-check-resolver', 'create.check', { summary: 'Payment gateway timeout alerts firing' }, user, {
      type: 'jira:uiModifications',
      project: { id: '10002', key: 'OPS' },
    }),
  );
  parts.push(check);
  counts['createCheck'] = check.matches.length;
  return { text: JSON.stringify(parts), counts, checkKeys: check.matches.map((m) => m.key) };
}

describe('visibility', () => {
  it('members see the cross-project OPS issue everywhere', async () => {
    const { text, counts, checkKeys } = await everythingVisible('member-1');
    expect(text).toMatch(OPS_TEXT);
    expect(checkKeys).toEqual(['OPS-1']);
    expect(counts).toEqual(
      expect.objectContaining({ suggestions: 2, suggestionsCounted: 2, duplicatesPerList: 2, pairs: 4, pairsTotal: 4, searchTotal: 1, csvRows: 4, statsPending: 4, histogram: 4, history: 2 }),
    );
  });

  it('restricted-1 never sees OPS: not in lists, counts, search, clusters, CSV, stats, history or create check', async () => {
    const { text, counts, checkKeys } = await everythingVisible('restricted-1');
    expect(text).not.toMatch(OPS_TEXT);
    expect(checkKeys).toEqual([]);
    expect(counts).toEqual(
      expect.objectContaining({ suggestions: 1, suggestionsCounted: 1, duplicatesPerList: 1, pairs: 3, pairsTotal: 3, searchTotal: 0, csvRows: 3, statsPending: 3, histogram: 3, history: 0 }),
    );
    expect(counts['clusterMembers']).toBe(3);
  });

  it.each(['admin-1', 'viewer-1'] as const)('%s sees what members see', async (user) => {
    const member = await everythingVisible('member-1');
    const other = await everythingVisible(user);
    expect(other.counts).toEqual(member.counts);
  });

  it('lists a bulk action over a cross-project pair as one history entry of the rows each viewer may see, counted once', async () => {
    const ids = [pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-2', 'OPS-1')];
    const top = async (user: User) => ok(await h.call('project-page-resolver', 'history.list', { pageSize: 1 }, user, SHOP));
    const totals = [(await top('member-1')).total, (await top('restricted-1')).total];
    ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: ids, decision: 'dismiss' }, 'member-1', SHOP));
    try {
      const member = await top('member-1');
      expect([member.items.map((a) => a.pairId).sort(), member.total]).toEqual([[...ids].sort(), totals[0]! + 1]);
      const restricted = await top('restricted-1');
      expect([restricted.items.map((a) => a.pairId), restricted.total]).toEqual([[ids[0]], totals[1]! + 1]);
      expect(JSON.stringify(restricted)).not.toMatch(OPS_TEXT);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: ids, decision: 'reopen' }, 'member-1', SHOP));
    }
  });

  it('a cluster names a dismissal inside it, and its dismisser, only when the viewer sees both issues', async () => {
    // Someone dismissed SHOP-5 and OPS-1, both in the cluster around SHOP-1 (OPS-1 through SHOP-2).
    const dismissed = { a: issue('SHOP-5').id, b: issue('OPS-1').id, projectA: 'SHOP', projectB: 'OPS', score: 0.35, tier: 'related' as const, reasons: [{ term: 'payment', share: 1 }], clusterId: null };
    await upsertPairs([dismissed], 'run-fixture', Date.now());
    const pairId = pairIdOf('SHOP-5', 'OPS-1');
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'admin-1', SHOP));
    try {
      const seen = async (user: User) => {
        const res = ok(await h.call('project-page-resolver', 'clusters.list', {}, user, SHOP));
        return { pairs: res.items.flatMap((c) => c.dismissed.map((d) => d.pairId)), actors: res.actors.map((a) => a.accountId) };
      };
      expect(await seen('member-1')).toEqual({ pairs: [pairId], actors: ['admin-1'] });
      // OPS-1 is not a member of restricted-1's cluster: neither the pair nor who dismissed it.
      expect(await seen('restricted-1')).toEqual({ pairs: [], actors: [] });
    } finally {
      await h.forge.sql.query('DELETE FROM pairs WHERE id = ?', [pairId]);
      await h.forge.sql.query("DELETE FROM actions WHERE pair_id = ?", [pairId]);
    }
  });

  it('names a decision of an account closed since "a former user", without Jira, and only to a viewer who sees the pair', async () => {
    // Someone dismissed SHOP-2 and OPS-1, then their account was closed and erased.
    const pairId = pairIdOf('SHOP-2', 'OPS-1');
    const startedMs = Date.now();
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'admin-1', SHOP));
    await h.forge.sql.query('UPDATE pairs SET decided_by = ? WHERE id = ?', [FORMER_USER, pairId]);
    const former = { accountId: FORMER_USER, displayName: 'a former user' };
    try {
      const seen = async (user: User) => {
        const list = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed' }, user, SHOP));
        const panel = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, user, issueExtension('SHOP-2')));
        return {
          rows: [list.items.some((p) => p.id === pairId), panel.dismissed.some((d) => d.pairId === pairId)],
          named: [list.actors.filter((a) => a.accountId === FORMER_USER), panel.actors.filter((a) => a.accountId === FORMER_USER)],
        };
      };
      expect(await seen('member-1')).toEqual({ rows: [true, true], named: [[former], [former]] });
      // OPS-1 is hidden from restricted-1: neither the decision nor who made it.
      expect(await seen('restricted-1')).toEqual({ rows: [false, false], named: [[], []] });
      // The marker is named by the app, never asked of Jira: a list whose rows only it decided asks Jira for no name.
      const asked = h.jira.stats().count('GET', '/rest/api/3/user/bulk');
      const list = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'dismissed', search: 'SHOP-2 OPS-1' }, 'member-1', SHOP));
      expect([list.items.map((p) => p.decidedBy), list.actors, h.jira.stats().count('GET', '/rest/api/3/user/bulk') - asked]).toEqual([[FORMER_USER], [former], 0]);
    } finally {
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'admin-1', SHOP));
      await h.forge.sql.query('DELETE FROM actions WHERE pair_id = ? AND at_ms >= ?', [pairId, startedMs]);
    }
  });

  it('restricted-1\'s panel is not dated by a pair with the OPS issue: updatedAt counts only what it lists', async () => {
    const hidden = pairIdOf('SHOP-2', 'OPS-1');
    const [row] = (await h.forge.sql.query('SELECT last_seen_ms FROM pairs WHERE id = ?', [hidden])) as Array<{ last_seen_ms: number }>;
    const later = Date.now() + 60_000;
    await h.forge.sql.query('UPDATE pairs SET last_seen_ms = ? WHERE id = ?', [later, hidden]);
    try {
      const view = async (user: User) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, user, issueExtension('SHOP-2'))).updatedAt;
      expect(await view('member-1')).toBe(new Date(later).toISOString());
      expect(await view('restricted-1')).not.toBe(new Date(later).toISOString());
    } finally {
      await h.forge.sql.query('UPDATE pairs SET last_seen_ms = ? WHERE id = ?', [row?.last_seen_ms ?? 0, hidden]);
    }
  });

  it('restricted-1 gets NOT_FOUND for the hidden pair and FORBIDDEN on the OPS project page', async () => {
    const pairId = pairIdOf('SHOP-2', 'OPS-1');
    for (const method of ['pairs.detail', 'pairs.decide'] as const) {
      const payload = method === 'pairs.detail' ? { pairId } : { pairId, decision: 'dismiss' };
      const res = await h.call('project-page-resolver', method, payload, 'restricted-1', SHOP);
      expect(res.success ? null : res.error.code).toBe('NOT_FOUND');
    }
    const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'dismiss' }, 'restricted-1', SHOP));
    expect([bulk.results[0]?.ok, bulk.results[0]?.code]).toEqual([false, 'NOT_FOUND']);
    const OPS = projectExtension('OPS');
    const calls: Array<[ApiMethod, Record<string, unknown>]> = [
      ['pairs.list', { status: 'pending' }],
      ['clusters.list', {}],
      ['export.csv', { status: 'pending' }],
      ['stats.get', {}],
      ['history.list', {}],
      ['run.status', {}],
      ['run.start', {}],
      ['run.list', {}],
    ];
    for (const [method, payload] of calls) {
      const res = await h.call('project-page-resolver', method, payload, 'restricted-1', OPS);
      expect([method, res.success ? 'ok' : res.error.code]).toEqual([method, 'FORBIDDEN']);
    }
    // Nothing was decided by those attempts.
    const list = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', SHOP));
    expect(list.total).toBe(4);
  });

  it('answers a pair that is hidden, outside the page\'s project or made up in the same words, so pair ids cannot be probed', async () => {
    // Pair ids are made of issue ids: different answers would say which hidden issues are alike.
    const probes = {
      hidden: pairIdOf('SHOP-2', 'OPS-1'),
      otherProject: pairIdOf('MOB-1', 'MOB-2'),
      missing: `${issue('SHOP-6').id}-${issue('OPS-1').id}`,
      madeUp: '1-2',
    };
    const answers = new Map<string, unknown>();
    for (const [what, pairId] of Object.entries(probes)) {
      const res = await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'restricted-1', SHOP);
      // The whole error, optional fields too (such as the `retryAfterMs` of a Jira 429, or of a 5xx with Retry-After): none may tell them apart.
      answers.set(what, res.success ? 'ok' : res.error);
    }
    expect(new Set([...answers.values()].map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers.get('hidden')).toEqual({ code: 'NOT_FOUND', message: 'That pair is not available to you.' });
  });

  it('refuses a missing pair with the same Jira calls as a hidden one, so the time of the answer does not tell them apart', async () => {
    const probes = {
      hidden: pairIdOf('SHOP-2', 'OPS-1'),
      otherProject: pairIdOf('MOB-1', 'MOB-2'),
      missing: `${issue('SHOP-6').id}-${issue('OPS-1').id}`,
    };
    for (const [method, payload] of [
      ['pairs.detail', {}],
      ['pairs.decide', { decision: 'dismiss' }],
      ['pairs.decide', { decision: 'confirm' }],
    ] as const) {
      const calls = new Map<string, string>();
      for (const [what, pairId] of Object.entries(probes)) {
        const before = h.jira.stats().total;
        const res = await h.call('project-page-resolver', method, { pairId, ...payload }, 'restricted-1', SHOP);
        expect(res.success ? 'ok' : res.error.code).toBe('NOT_FOUND');
        calls.set(what, String(h.jira.stats().total - before));
      }
      expect([method, payload, [...new Set(calls.values())].length, calls.get('hidden')]).toEqual([method, payload, 1, expect.not.stringMatching(/^0$/)]);
    }
  });
});

describe('writes', () => {
  it('viewer-1 may not confirm (no Link Issues) from any surface, but may dismiss', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    const panel = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'viewer-1', issueExtension('SHOP-3'));
    expect(panel.success ? null : panel.error.code).toBe('FORBIDDEN');
    const page = await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'viewer-1', SHOP);
    expect(page.success ? null : page.error.code).toBe('FORBIDDEN');
    const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'confirm' }, 'viewer-1', SHOP));
    expect([bulk.results[0]?.ok, bulk.results[0]?.code]).toEqual([false, 'FORBIDDEN']);
    expect(bulk.results[0]?.error).toMatch(/Link Issues/);
    expect(h.jira.store.links.size).toBe(0);
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'viewer-1', SHOP));
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'viewer-1', SHOP));
  });

  it('viewer-1 may give a dismissed suggestion another reason, but not remove a Relates link with it', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    const panel = (payload: Record<string, unknown>) => h.call('issue-view-resolver', 'pairs.decide', { pairId, ...payload }, 'viewer-1', issueExtension('SHOP-3'));
    ok(await panel({ decision: 'dismiss' }));
    try {
      ok(await panel({ decision: 'dismiss', reason: 'related', expected: 'dismissed' }));
      const res = await panel({ decision: 'dismiss', reason: 'different', unlinkRelated: true, expected: 'dismissed' });
      expect(res.success ? null : res.error.code).toBe('FORBIDDEN');
      expect((await h.forge.sql.query('SELECT dismiss_reason FROM pairs WHERE id = ?', [pairId])) as unknown).toEqual([{ dismiss_reason: 'related' }]);
      ok(await panel({ decision: 'dismiss', reason: 'different', expected: 'dismissed' }));
    } finally {
      ok(await panel({ decision: 'reopen' }));
    }
  });

  it('viewer-1 may not overturn a confirmed duplicate, by dismissing or reopening it, alone or in bulk', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP));
    try {
      for (const decision of ['dismiss', 'reopen'] as const) {
        const res = await h.call('project-page-resolver', 'pairs.decide', { pairId, decision }, 'viewer-1', SHOP);
        expect(res.success ? null : [res.error.code, res.error.message]).toEqual([
          'FORBIDDEN',
          `You need the Link Issues permission in this project to ${decision} a confirmed duplicate.`,
        ]);
        const panel = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision }, 'viewer-1', issueExtension('SHOP-3'));
        expect(panel.success ? null : panel.error.code).toBe('FORBIDDEN');
        const bulk = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision }, 'viewer-1', SHOP));
        expect(bulk.results[0]?.ok).toBe(false);
      }
      // Nor as the queue's bulk Undo asks it, naming the pairs whose links go.
      const named = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision: 'reopen', unlinkPairIds: [pairId] }, 'viewer-1', SHOP));
      expect([named.results[0]?.ok, named.results[0]?.code, named.results[0]?.error]).toEqual([false, 'FORBIDDEN', 'You need the Link Issues permission in this project to remove a Duplicate link.']);
      expect(h.jira.store.links.size).toBe(1);
      expect((await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])) as unknown).toEqual([{ status: 'confirmed' }]);
    } finally {
      // Whoever could link may: the pair goes back to review (and its link with it).
      ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', SHOP));
    }
    expect(h.jira.store.links.size).toBe(0);
  });

  it.each(USERS.filter((u) => u !== 'admin-1'))('%s may not save settings, check a filter, count an age limit, see or register the UI modification, or run everything', async (user) => {
    for (const [method, payload] of [
      ['settings.validateJql', { jql: 'labels = ux', scope: { projects: ['SHOP'], issueTypes: [], maxAgeDays: 0 } }],
      ['settings.ageCounts', { jql: '', scope: { projects: ['SHOP'], issueTypes: [], maxAgeDays: 30 } }],
      ['settings.save', { settings: { ...(ok(await h.call('admin-page-resolver', 'settings.get', {}, user, ADMIN_EXTENSION)).settings) } }],
      ['uim.register', {}],
      ['uim.status', {}],
      ['run.start', {}],
      ['run.status', {}],
      ['run.cancel', { runId: 'r-any' }],
    ] as Array<[ApiMethod, Record<string, unknown>]>) {
      const res = await h.call('admin-page-resolver', method, payload, user, ADMIN_EXTENSION);
      expect([method, res.success ? 'ok' : res.error.code]).toEqual([method, 'FORBIDDEN']);
    }
    expect(h.jira.store.uiModifications.size).toBe(0);
  });
});

describe('bad payloads', () => {
  const surfaceOf: Record<ApiMethod, Surface> = {
    'suggestions.get': 'issue-view-resolver',
    'suggestions.recheck': 'issue-view-resolver',
    'create.check': 'create-check-resolver',
    'run.status': 'project-page-resolver',
    'run.start': 'project-page-resolver',
    'run.cancel': 'project-page-resolver',
    'run.list': 'project-page-resolver',
    'pairs.list': 'project-page-resolver',
    'pairs.detail': 'project-page-resolver',
    'pairs.decide': 'project-page-resolver',
    'pairs.bulkDecide': 'project-page-resolver',
    'clusters.list': 'project-page-resolver',
    'clusters.link': 'project-page-resolver',
    'export.csv': 'project-page-resolver',
    'stats.get': 'project-page-resolver',
    'history.list': 'project-page-resolver',
    'settings.get': 'admin-page-resolver',
    'settings.save': 'admin-page-resolver',
    'settings.validateJql': 'admin-page-resolver',
    'settings.ageCounts': 'admin-page-resolver',
    'settings.preview': 'admin-page-resolver',
    'projects.list': 'admin-page-resolver',
    'issueTypes.list': 'admin-page-resolver',
    'uim.status': 'admin-page-resolver',
    'uim.register': 'admin-page-resolver',
    'me.get': 'admin-page-resolver',
  };

  it.each(Object.keys(surfaceOf) as ApiMethod[])('%s answers BAD_REQUEST for an unknown field and writes nothing', async (method) => {
    const before = await h.forge.sql.query('SELECT (SELECT COUNT(*) FROM actions) AS a, (SELECT COUNT(*) FROM runs) AS r, (SELECT COUNT(*) FROM pairs WHERE status <> \'pending\') AS d');
    const res = await h.call(surfaceOf[method], method, { bogus: true }, 'admin-1', method === 'suggestions.get' ? issueExtension('SHOP-1') : SHOP);
    expect(res.success).toBe(false);
    if (!res.success) {
      expect(res.error.code).toBe('BAD_REQUEST');
      expect(res.error.fields?.['bogus']).toBe('is not a known field');
    }
    expect(await h.forge.sql.query('SELECT (SELECT COUNT(*) FROM actions) AS a, (SELECT COUNT(*) FROM runs) AS r, (SELECT COUNT(*) FROM pairs WHERE status <> \'pending\') AS d')).toEqual(before);
  });

  it('suggestions.get takes a limit of 1 to 500 suggestions a list, for every list or for each one', async () => {
    for (const limit of [0, 501, 2.5, '20']) {
      const res = await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id, limit }, 'member-1', issueExtension('SHOP-2'));
      expect([limit, res.success ? 'ok' : res.error.code, res.success ? null : Object.keys(res.error.fields ?? {})]).toEqual([limit, 'BAD_REQUEST', ['limit']]);
    }
    // Each list's own limit, in the same range; no list the contract does not name.
    for (const limits of [{ duplicates: 0 }, { related: 501 }, { dismissed: 2.5 }, { duplicates: '20' }, { pending: 20 }, 20, []]) {
      const res = await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id, limits }, 'member-1', issueExtension('SHOP-2'));
      expect([limits, res.success ? 'ok' : res.error.code, res.success ? null : Object.keys(res.error.fields ?? {}).every((f) => f.startsWith('limits'))]).toEqual([limits, 'BAD_REQUEST', true]);
    }
  });

  it('type errors name the field and what it must be', async () => {
    const res = await h.call('project-page-resolver', 'pairs.decide', { pairId: 42, decision: 'maybe' }, 'member-1', SHOP);
    expect(res.success ? null : res.error.fields).toEqual({ pairId: 'must be a pair id', decision: 'must be one of: confirm, dismiss, reopen' });
    const missing = await h.call('project-page-resolver', 'pairs.list', {}, 'member-1', SHOP);
    expect(missing.success ? null : missing.error.fields).toEqual({ status: 'is required' });
  });

  it('a project page refuses a payload that names another project, instead of quietly answering for its own', async () => {
    for (const [method, payload] of [
      ['pairs.list', { status: 'pending', projectKey: 'OPS' }],
      ['stats.get', { projectKey: 'NOPE' }],
      ['history.list', { projectKey: 'MOB' }],
      ['run.start', { projectKey: 'MOB' }],
      ['run.status', { projectKey: 'MOB' }],
    ] as Array<[ApiMethod, Record<string, unknown>]>) {
      const res = await h.call('project-page-resolver', method, payload, 'member-1', SHOP);
      expect([method, res.success ? 'ok' : [res.error.code, res.error.fields]]).toEqual([
        method,
        ['BAD_REQUEST', { projectKey: "must be SHOP, the page's project, or left out" }],
      ]);
    }
    // Its own key, in any case, is fine.
    ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', projectKey: 'shop' }, 'member-1', SHOP));
  });

  it('a call with no signed-in user is FORBIDDEN', async () => {
    const res = (await h.forge.callResolver('project-page-resolver', 'pairs.list', { status: 'pending' }, { accountId: '' })) as { success: boolean; error?: { code: string } };
    expect(res.error?.code).toBe('FORBIDDEN');
  });
});
