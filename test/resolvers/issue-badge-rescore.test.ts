/**
 * The issue badge of an issue whose score was lost. A run's last step hands the issues changed
 * while it scored on to `rescore` queue events and clears their `scored_ms`; a `rescore`
 * dropped after its tries leaves the pairs of their old text counted. The panel has such an
 * issue scored again when opened; the badge is read on every view of the issue, opened or not,
 * and kept counting the old pairs until the issue's next event or run. It now queues one
 * `rescore` of the issue (no Jira call), at most once per pending window.
 * Real @forge/resolver, LocalForge (its queue and the analysis consumer), MariaDB and the Jira stand-in.
 */
import { upsertPairs } from '../../src/store/pairs';
import { deleteRunRow, insertRun } from '../../src/store/runs';
import { issue, issueExtension, ok, pairIdOf, startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const badge = (key: string, user = 'member-1'): Promise<unknown> => {
  const ext = issueExtension(key);
  return h.forge.invokeFunction('issue-badge', { extension: ext, context: { accountId: user, extension: ext } }, { principal: { accountId: user }, accountId: user });
};

const ONE = { status: { type: 'badge', value: { label: '1' } }, label: '1 possible duplicate' };
const PLAIN = { label: 'Possible duplicates' };

async function docRow(id: string): Promise<{ scored_ms: number | null; seen_ms: number }> {
  const [row] = (await h.forge.sql.query('SELECT scored_ms, seen_ms FROM docs WHERE id = ?', [id])) as Array<{ scored_ms: number | null; seen_ms: number }>;
  return { scored_ms: row?.scored_ms === null || row?.scored_ms === undefined ? null : Number(row.scored_ms), seen_ms: Number(row?.seen_ms) };
}

describe('the badge of an issue whose rescore after a run was lost', () => {
  it('queues one rescore of the issue from what is stored, with no Jira call more, and counts the new pairs after it; not while a live run reads it', async () => {
    const target = issue('SHOP-6');
    const before = await docRow(target.id);
    // A pair of the text it had when the run loaded it; what is stored now matches nothing of SHOP-4.
    await upsertPairs([{ a: target.id, b: issue('SHOP-4').id, projectA: 'SHOP', projectB: 'SHOP', score: 0.91, tier: 'duplicate', reasons: [{ term: 'cart', share: 1 }], clusterId: null }], 'run-lost-rescore', Date.now());
    const lostSeenMs = Date.now() - 15 * 60_000;
    await h.forge.sql.query('UPDATE docs SET scored_ms = NULL, seen_ms = ? WHERE id = ?', [lostSeenMs, target.id]);
    const runId = 'run-live-reader-badge';
    try {
      // While a run reads the project, it is the run's to score: nothing is queued.
      const now = Date.now();
      await insertRun({
        id: runId, scopeKey: 'project:SHOP', mode: 'full', trigger: 'manual', status: 'fetching', startedBy: 'admin-1', startedMs: now - 1_000, finishedMs: null,
        heartbeatMs: now, expected: null, chains: 1, sinceMs: null, error: null, settingsJson: '{}',
      });
      const pushedBefore = h.forge.queue.stats().pushed;
      let jiraCalls = h.jira.stats().total;
      expect(await badge('SHOP-6')).toEqual(ONE);
      const badgeJiraCalls = h.jira.stats().total - jiraCalls;
      expect(h.forge.queue.stats().pushed).toBe(pushedBefore);
      expect(await docRow(target.id)).toEqual({ scored_ms: null, seen_ms: lostSeenMs });
      await deleteRunRow(runId);

      // No run: the badge still counts what is stored, and queues the rescore, with the Jira calls of any badge read.
      jiraCalls = h.jira.stats().total;
      expect(await badge('SHOP-6')).toEqual(ONE);
      expect(h.jira.stats().total - jiraCalls).toBe(badgeJiraCalls);
      // Read again (another viewer, at once): not queued a second time.
      await badge('SHOP-6', 'admin-1');
      await h.forge.queue.settle(30_000);
      expect(h.forge.queue.stats().pushed - pushedBefore).toBe(1);
      expect((await docRow(target.id)).scored_ms).not.toBeNull();
      // Scored from what is stored: the pair of the old text is gone, from the badge and the panel.
      expect(await badge('SHOP-6')).toEqual(PLAIN);
      const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: target.id }, 'member-1'));
      expect(view.duplicates.map((s) => s.issue.key)).toEqual([]);
      expect(view.changedSinceAnalysed).toBe(false);
      expect(h.forge.queue.stats().pushed - pushedBefore).toBe(1);
    } finally {
      await deleteRunRow(runId);
      await h.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [before.scored_ms ?? Date.now(), before.seen_ms, target.id]);
      await h.forge.sql.query('UPDATE pairs SET active = 0 WHERE id = ?', [pairIdOf('SHOP-6', 'SHOP-4')]);
    }
  }, 60_000);

  it('asks at most once per pending window when the rescore is lost again, and the panel waits for it meanwhile', async () => {
    const target = issue('SHOP-6');
    const before = await docRow(target.id);
    await upsertPairs([{ a: target.id, b: issue('SHOP-4').id, projectA: 'SHOP', projectB: 'SHOP', score: 0.91, tier: 'duplicate', reasons: [{ term: 'cart', share: 1 }], clusterId: null }], 'run-lost-rescore-2', Date.now());
    await h.forge.sql.query('UPDATE docs SET scored_ms = NULL, seen_ms = ? WHERE id = ?', [Date.now() - 15 * 60_000, target.id]);
    try {
      // Every delivery of the queued rescore fails, as the run's did.
      h.forge.queue.faults.failNext(1_000, { queue: 'analysis' });
      const pushedBefore = h.forge.queue.stats().pushed;
      for (let i = 0; i < 5; i++) expect(await badge('SHOP-6')).toEqual(ONE);
      expect(h.forge.queue.stats().pushed - pushedBefore).toBe(1);
      expect((await docRow(target.id)).scored_ms).toBeNull();
      // The panel says it is on its way rather than asking for a recheck of its own.
      const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: target.id }, 'member-1'));
      expect(view).toMatchObject({ pending: true, changedSinceAnalysed: false });
    } finally {
      h.forge.queue.faults.clear();
      await h.forge.queue.settle(30_000);
      await h.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [before.scored_ms ?? Date.now(), before.seen_ms, target.id]);
      await h.forge.sql.query('UPDATE pairs SET active = 0 WHERE id = ?', [pairIdOf('SHOP-6', 'SHOP-4')]);
    }
  }, 60_000);
});
