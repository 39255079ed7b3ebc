/**
 * `suggestions.get` for an issue with many suggestions: each list cut at a limit of its own
 * (`limits`, as the panel's "Show 20 more" under one list asks), and only the suggestions sent
 * built, while the counts of those left out (`notListed`) stay exact and leave out what the
 * viewer may not browse. Through the real resolver, LocalForge, MariaDB and the Jira stand-in.
 */
import { encodeTerms, extractTerms } from '../../src/engine';
import type { SuggestionsView } from '../../src/shared/contract';
import { markScored, upsertDocs } from '../../src/store/docs';
import { upsertPairs } from '../../src/store/pairs';
import { issue, issueExtension, ok, startHarness, type Harness, type User } from './helpers';

let h: Harness;
const OPEN = issue('SHOP-1');

/**
 * 90 issues suggested for SHOP-1, strongest first: by turns a possible duplicate, a related
 * one and a dismissed one; every fifth in OPS (which restricted-1 may not browse); every
 * seventh possible duplicate confirmed. Past the first 60, each has a stored Duplicate link
 * to the one before it, so its suggestion, once built, has chains to look for.
 */
const EXTRA = Array.from({ length: 90 }, (_, i) => {
  const project = i % 5 === 4 ? 'OPS' : 'SHOP';
  const list = (['duplicates', 'related', 'dismissed'] as const)[i % 3] ?? 'duplicates';
  return {
    id: String(30_000 + i),
    key: `${project}-${100 + i}`,
    project,
    summary: `Checkout payment gateway timeout, report ${i + 1}`,
    list,
    confirmed: list === 'duplicates' && i % 7 === 0,
    score: Math.round((0.99 - i * 0.005) * 1000) / 1000,
    dupLinks: i >= 60 ? [String(30_000 + i - 1)] : [],
  };
});

beforeAll(async () => {
  h = await startHarness();
  h.jira.loadSeed({
    projects: [],
    issues: EXTRA.map((e) => ({
      id: e.id,
      key: e.key,
      projectKey: e.project,
      summary: e.summary,
      description: 'The payment gateway times out at checkout.',
      type: 'Bug',
      status: 'To Do',
      statusCategory: 'new',
      created: '2026-02-01T10:00:00.000Z',
    })),
  });
  const now = Date.parse('2026-02-01T10:00:00.000Z');
  await upsertDocs(
    EXTRA.map((e) => ({
      id: e.id,
      key: e.key,
      projectKey: e.project,
      type: 'Bug',
      status: 'To Do',
      statusCategory: 'new' as const,
      createdMs: now,
      updatedMs: now,
      summary: e.summary,
      textHash: `h${e.id}`,
      terms: encodeTerms(extractTerms({ id: e.id, summary: e.summary, description: 'The payment gateway times out at checkout.', type: 'Bug' })),
      dupLinks: e.dupLinks,
    })),
  );
  await markScored(EXTRA.map((e) => e.id), Date.now());
  await upsertPairs(
    EXTRA.map((e) => ({
      a: OPEN.id,
      b: e.id,
      projectA: 'SHOP',
      projectB: e.project,
      score: e.score,
      tier: e.list === 'related' ? ('related' as const) : ('duplicate' as const),
      reasons: [{ term: 'payment', share: 0.6 }, { term: 'gateway', share: 0.4 }],
      clusterId: null,
    })),
    'run-limits',
    Date.now(),
  );
  const idsOf = (pick: (e: (typeof EXTRA)[number]) => boolean) => EXTRA.filter(pick).map((e) => `${OPEN.id}-${e.id}`);
  for (const [status, ids] of [
    ['dismissed', idsOf((e) => e.list === 'dismissed')],
    ['confirmed', idsOf((e) => e.confirmed)],
  ] as const) {
    await h.forge.sql.query(`UPDATE pairs SET status = ?, decided_by = 'admin-1', decided_ms = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [status, Date.now(), ...ids]);
  }
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

const get = async (user: User, limits: Record<string, unknown>): Promise<SuggestionsView> =>
  ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: OPEN.id, ...limits }, user, issueExtension('SHOP-1')));

/** What a list of the whole answer leaves out past `n`, as `notListed` counts it. */
const pastOf = (list: SuggestionsView['duplicates'], n: number) => {
  const rest = list.slice(n);
  const confirmed = rest.filter((s) => s.status === 'confirmed').length;
  return { pending: rest.length - confirmed, confirmed };
};

describe('suggestions.get with many suggestions', () => {
  it.each<User>(['member-1', 'restricted-1'])('answers a limit with the first of each whole list, and counts the rest exactly, only what %s may browse', async (user) => {
    const whole = await get(user, { limit: 500 });
    const browsable = EXTRA.filter((e) => user === 'member-1' || e.project !== 'OPS');
    // The whole answer: every suggestion the viewer may browse, and nothing left out.
    expect([whole.duplicates.length, whole.related.length, whole.dismissed.length]).toEqual([
      // SHOP-1's own fixture pair with SHOP-2 and SHOP-5 are possible duplicates too.
      browsable.filter((e) => e.list === 'duplicates').length + 2,
      browsable.filter((e) => e.list === 'related').length,
      browsable.filter((e) => e.list === 'dismissed').length,
    ]);
    expect(whole.notListed).toEqual({ duplicates: { pending: 0, confirmed: 0 }, related: { pending: 0, confirmed: 0 }, dismissed: 0 });
    if (user === 'restricted-1') expect(JSON.stringify(whole)).not.toMatch(/OPS-/);

    const payloads: Array<{ limit?: number; limits?: Partial<Record<'duplicates' | 'related' | 'dismissed', number>> }> = [{ limit: 5 }, { limit: 3, limits: { related: 9 } }, { limits: { dismissed: 2 } }];
    for (const payload of payloads) {
      const cut = await get(user, payload);
      const all = payload.limit ?? 20;
      const n = { duplicates: all, related: all, dismissed: all, ...payload.limits };
      // Each suggestion sent as the whole answer has it, in the same place.
      expect({ duplicates: cut.duplicates, related: cut.related, dismissed: cut.dismissed }).toEqual({
        duplicates: whole.duplicates.slice(0, n.duplicates),
        related: whole.related.slice(0, n.related),
        dismissed: whole.dismissed.slice(0, n.dismissed),
      });
      expect(cut.notListed).toEqual({ duplicates: pastOf(whole.duplicates, n.duplicates), related: pastOf(whole.related, n.related), dismissed: Math.max(0, whole.dismissed.length - n.dismissed) });
      // Everything else as in the whole answer (the names: only of whoever decided those sent).
      const rest = (v: SuggestionsView) => ({ ...v, duplicates: [], related: [], dismissed: [], notListed: null, actors: [], updatedAt: null });
      expect(rest(cut)).toEqual(rest(whole));
    }
  });

  it('gives "Show 20 more" under one list more of that list only', async () => {
    const first = await get('member-1', {});
    expect([first.duplicates.length, first.related.length, first.dismissed.length]).toEqual([20, 20, 20]);
    // As the panel asks after "Show 20 more" under the related ones: the other lists stay as they were.
    const more = await get('member-1', { limits: { related: 40 } });
    expect([more.duplicates.length, more.related.length, more.dismissed.length]).toEqual([20, 30, 20]);
    expect(more.duplicates).toEqual(first.duplicates);
    expect(more.dismissed).toEqual(first.dismissed);
    expect(more.related.slice(0, 20)).toEqual(first.related);
    expect(more.notListed).toEqual({ ...first.notListed, related: { pending: 0, confirmed: 0 } });
    // `limit` still serves every list `limits` does not name.
    const both = await get('member-1', { limit: 2, limits: { duplicates: 4 } });
    expect([both.duplicates.length, both.related.length, both.dismissed.length]).toEqual([4, 2, 2]);
  });

  it('builds only the suggestions it sends: those cut off cost no Jira calls', async () => {
    // Read once each way first, so that nothing a first read does alone is counted.
    await get('member-1', { limit: 5 });
    await get('member-1', { limit: 500 });
    const requests = async (payload: Record<string, unknown>) => {
      h.jira.resetStats();
      const view = await get('member-1', payload);
      const stats = h.jira.stats();
      return { view, total: stats.total, byEndpoint: Object.fromEntries(stats.byEndpoint) };
    };
    const few = await requests({ limit: 5 });
    const whole = await requests({ limit: 500 });
    // The whole lists reach the suggestions with stored links (past the first 60), whose chains
    // are looked for in Jira; five of each do not, and ask Jira nothing about them.
    expect(whole.view.duplicates.some((s) => Number(s.issue.id) >= 30_060)).toBe(true);
    expect(few.view.duplicates.every((s) => Number(s.issue.id) < 30_060)).toBe(true);
    expect({ fewer: few.total < whole.total, few: few.byEndpoint, whole: whole.byEndpoint }).toEqual(expect.objectContaining({ fewer: true }));
    // And it answers as before.
    expect(few.view.duplicates).toEqual(whole.view.duplicates.slice(0, 5));
  });
});
