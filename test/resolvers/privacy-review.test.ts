/**
 * Privacy review: what is computed as the app must not reach a user who cannot browse it.
 * Each test here reproduces a place where the code let something about an issue or project
 * the viewer may not see show through, and fails should it again. restricted-1 may browse
 * SHOP and MOB but not OPS (helpers.ts).
 * Real SDKs, LocalForge, MariaDB and the Jira stand-in.
 */
import { recordDupLink } from '../../src/store/docs';
import { saveSettings } from '../../src/store/settings';
import { issue, issueExtension, ok, pairIdOf, projectExtension, startHarness, TEST_SETTINGS, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

afterEach(async () => {
  await saveSettings(TEST_SETTINGS);
  await h.forge.queue.settle(60_000);
});

describe('pairs.bulkDecide on a pair the caller may not see', () => {
  it('costs the same Jira calls as on a pair that does not exist, so the time of the answer does not tell them apart', async () => {
    const probes = {
      hidden: pairIdOf('SHOP-2', 'OPS-1'),
      missing: `${issue('SHOP-6').id}-${issue('OPS-1').id}`,
    };
    for (const decision of ['dismiss', 'confirm'] as const) {
      const calls = new Map<string, number>();
      for (const [what, pairId] of Object.entries(probes)) {
        const before = h.jira.stats().total;
        const res = ok(await h.call('project-page-resolver', 'pairs.bulkDecide', { pairIds: [pairId], decision }, 'restricted-1', SHOP));
        // The words are the same (pairs.decide's single answer is tested in permissions.test.ts)...
        expect([res.results[0]?.ok, res.results[0]?.code]).toEqual([false, 'NOT_FOUND']);
        calls.set(what, h.jira.stats().total - before);
      }
      // ...and so must the Jira calls be.
      expect([decision, calls.get('missing')]).toEqual([decision, calls.get('hidden')]);
    }
  });
});

describe('the issue panel\'s chains of Duplicate links', () => {
  it('are not cut short by a chain through an issue the viewer may not see (the queue names the visible one)', async () => {
    // SHOP-1 and SHOP-5 (a pending pair) are joined in Jira through MOB-1 and MOB-2, which
    // restricted-1 may see, and, more shortly, through OPS-1, which they may not.
    const chain: Array<[string, string]> = [
      ['SHOP-1', 'MOB-1'],
      ['MOB-2', 'MOB-1'],
      ['SHOP-5', 'MOB-2'],
      ['SHOP-5', 'OPS-1'],
      ['OPS-1', 'SHOP-1'],
    ];
    for (const [dup, orig] of chain) {
      h.jira.link('Duplicate', dup, orig);
      await recordDupLink(issue(dup).id, issue(orig).id, true);
    }
    const pairId = pairIdOf('SHOP-1', 'SHOP-5');
    const queue = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', search: 'SHOP-5' }, 'restricted-1', SHOP));
    const row = queue.items.find((p) => p.id === pairId);
    // The queue walks only through issues restricted-1 may see.
    expect(row?.linkedThrough).toEqual(['MOB-1', 'MOB-2']);
    const panel = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'restricted-1', issueExtension('SHOP-1')));
    const suggestion = [...panel.duplicates, ...panel.related].find((s) => s.pairId === pairId);
    expect(suggestion).toBeDefined();
    // The panel's walk used to find the shorter chain through OPS-1 first, drop it (OPS-1 is
    // hidden) and say nothing: whether OPS-1 links them changed what restricted-1 read.
    expect(suggestion?.joinedThrough).toEqual(row?.linkedThrough);
  });
});

describe('run counters of a project run with suggestions across projects', () => {
  it('do not count the issues of a project the viewer may not browse ("Issues compared")', async () => {
    // crossProject is on in TEST_SETTINGS: a run of SHOP compares SHOP's issues with every analysed project's.
    const shop = ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', SHOP)).run;
    await h.forge.queue.settle(60_000);
    const theirs = ok(await h.call('project-page-resolver', 'run.status', {}, 'restricted-1', SHOP)).last;
    expect(theirs?.runId).toBe(shop.runId);
    // Every stored issue restricted-1 may browse: those of the projects other than OPS.
    const rows = (await h.forge.sql.query("SELECT COUNT(*) AS n FROM docs WHERE project_key <> 'OPS'")) as Array<{ n: number }>;
    const browsable = Number(rows[0]?.n);
    // Withheld ('all'), or at most what they may see: a bigger number says how many OPS issues there are.
    const scored = theirs?.countsWithheld === 'all' ? 0 : (theirs?.counters.scored ?? 0);
    expect(scored).toBeLessThanOrEqual(browsable);
  });
});
