/**
 * `moved_ms`: a pair's sort keys (score, tier, created, updated) changed, or an analysis stored it
 * new or made it active again; what an export reads again after its keyset pages.
 */
import { LocalForge } from '../../sandbox/runtime';
import { migrate } from '../../src/store/migrations';
import { upsertDocs } from '../../src/store/docs';
import { deactivateIssuePairsNotSeen, upsertPairs } from '../../src/store/pairs';
import { listPairsMovedSince, setPairStatus } from '../../src/store/review';
import { pipelineHandlers } from '../analysis/helpers';
import { doc, pair } from './support/fixtures';

describe('moved_ms', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  /** The pairs stamped since the last call (their moved_ms set back to 0 each time). */
  async function moved(): Promise<string[]> {
    const rows = (await forge.sql.query('SELECT id FROM pairs WHERE moved_ms > 0 ORDER BY id')) as Array<{ id: string }>;
    await forge.sql.query('UPDATE pairs SET moved_ms = 0');
    return rows.map((r) => r.id);
  }

  it('is set by a write that changes a sort key, and by no other', async () => {
    const before = Date.now();
    await upsertDocs([doc('1'), doc('2'), doc('3')]);
    await upsertPairs([pair('1', '2', 0.6), pair('1', '3', 0.4, 'related')], 'run-1', 1);
    const stamped = (await forge.sql.query('SELECT moved_ms FROM pairs ORDER BY id')) as Array<{ moved_ms: number }>;
    expect(stamped.every((r) => Number(r.moved_ms) >= before && Number(r.moved_ms) <= Date.now())).toBe(true);
    expect(await moved()).toEqual(['1-2', '1-3']);

    // Found again as they were; an issue read again with nothing a sort key takes changed
    // (its type and status are filters, not keys); a decision.
    await upsertPairs([pair('1', '2', 0.6), pair('1', '3', 0.4, 'related')], 'run-2', 2);
    await upsertDocs([doc('2', { type: 'Bug', status: 'Done', statusCategory: 'done', terms: null })]);
    expect(await setPairStatus('1-2', 'dismissed', 'someone', 3, 'pending')).toBe(true);
    expect(await moved()).toEqual([]);

    // Jira's updated moves: both pairs of issue 1 follow.
    await upsertDocs([doc('1', { updatedMs: 90_000, terms: null })]);
    expect(await moved()).toEqual(['1-2', '1-3']);
    // A score; a tier alone.
    await upsertPairs([pair('1', '2', 0.65)], 'run-3', 4);
    expect(await moved()).toEqual(['1-2']);
    await upsertPairs([pair('1', '3', 0.4, 'duplicate')], 'run-3', 4);
    expect(await moved()).toEqual(['1-3']);
    // Hidden by an analysis (it leaves the queue: not stamped), then found again.
    expect(await deactivateIssuePairsNotSeen('3', 10)).toBe(1);
    expect(await moved()).toEqual([]);
    await upsertPairs([pair('1', '3', 0.4, 'duplicate')], 'run-4', 11);
    expect(await moved()).toEqual(['1-3']);
  });

  it('is what an export reads after its keyset pages: matching pairs by id, from a time on', async () => {
    await upsertDocs([doc('4'), doc('5')]);
    await upsertPairs([pair('4', '5', 0.7), pair('3', '4', 0.5)], 'run-5', 12);
    await forge.sql.query("UPDATE pairs SET moved_ms = CASE id WHEN '1-2' THEN 100 WHEN '1-3' THEN 200 WHEN '3-4' THEN 300 ELSE 50 END");
    const q = { visibleProjects: ['A'], allProjectsVisible: true, projectKey: 'A', status: 'pending' as const };
    const ids = async (sinceMs: number, afterId = '', limit = 10): Promise<string[]> => (await listPairsMovedSince(q, { sinceMs, afterId, limit })).map((p) => p.id);
    // 1-2 is dismissed: not in a pending export.
    expect(await ids(100)).toEqual(['1-3', '3-4']);
    expect(await ids(40)).toEqual(['1-3', '3-4', '4-5']);
    expect(await ids(40, '1-3', 1)).toEqual(['3-4']);
    expect(await ids(40, '3-4')).toEqual(['4-5']);
    expect(await ids(301)).toEqual([]);
    expect(await listPairsMovedSince({ ...q, status: 'dismissed' }, { sinceMs: 0, afterId: '', limit: 10 })).toMatchObject([{ id: '1-2', score: 0.65 }]);
    expect(await listPairsMovedSince({ ...q, projectKey: 'B' }, { sinceMs: 0, afterId: '', limit: 10 })).toEqual([]);
  });
});
