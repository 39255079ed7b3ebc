import fc from 'fast-check';
import { IdGroups } from '../../src/engine';
import { linkOrder, type PlannedPair } from '../../src/resolvers/methods/link-plan';
import type { DocMeta } from '../../src/store/docs';

const doc = (n: number): DocMeta => ({
  id: String(1000 + n),
  key: `P-${n}`,
  projectKey: 'P',
  type: 'Bug',
  status: 'To Do',
  statusCategory: 'new',
  createdMs: Date.UTC(2026, 0, 1 + n),
  updatedMs: 0,
  summary: `issue ${n}`,
});

const pair = (x: number, y: number, score: number): PlannedPair => ({ id: `${1000 + x}-${1000 + y}`, a: doc(x), b: doc(y), score });

/** The links a bulk confirmation makes when it follows `order`: one per pair whose issues are not joined yet. */
function linksMade(order: PlannedPair[]): PlannedPair[] {
  const groups = new IdGroups();
  return order.filter((p) => {
    if (groups.joined(p.a.id, p.b.id)) return false;
    groups.join(p.a.id, p.b.id);
    return true;
  });
}

describe('linkOrder', () => {
  it('links six copies of one report to the oldest: five links, not fifteen', () => {
    const pairs: PlannedPair[] = [];
    // Every pair of six issues, the strongest between two newer copies.
    for (let x = 1; x <= 6; x++) for (let y = x + 1; y <= 6; y++) pairs.push(pair(x, y, x === 1 ? 0.7 : 0.95));
    const links = linksMade(linkOrder(pairs));
    expect(links).toHaveLength(5);
    expect(links.every((p) => p.a.key === 'P-1')).toBe(true);
  });

  it('keeps separate groups separate, each linked to its own oldest issue, and leaves a lone pair alone', () => {
    const pairs = [pair(4, 5, 0.9), pair(3, 4, 0.6), pair(3, 5, 0.8), pair(7, 9, 0.5), pair(8, 9, 0.99), pair(7, 8, 0.7), pair(10, 11, 0.4)];
    const order = linkOrder(pairs);
    expect(order).toHaveLength(pairs.length);
    const links = linksMade(order).map((p) => p.id);
    expect(links.sort()).toEqual([pair(3, 5, 0).id, pair(3, 4, 0).id, pair(7, 8, 0).id, pair(7, 9, 0).id, pair(10, 11, 0).id].sort());
  });

  it('orders the same pairs the same way whatever order they come in', () => {
    const pairs = [pair(1, 2, 0.8), pair(2, 3, 0.8), pair(1, 3, 0.6), pair(4, 5, 0.7)];
    const ids = linkOrder(pairs).map((p) => p.id);
    expect(linkOrder([...pairs].reverse()).map((p) => p.id)).toEqual(ids);
  });

  it('always leaves a forest: one link fewer than the issues of each group', () => {
    const edge = fc.tuple(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 14 }), fc.double({ min: 0.1, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 40 }), (edges) => {
        const seen = new Set<string>();
        const pairs = edges
          .filter(([x, y]) => x !== y)
          .map(([x, y, s]) => pair(Math.min(x, y), Math.max(x, y), s))
          .filter((p) => !seen.has(p.id) && (seen.add(p.id), true));
        const groups = new IdGroups();
        const issues = new Set<string>();
        for (const p of pairs) {
          groups.join(p.a.id, p.b.id);
          issues.add(p.a.id).add(p.b.id);
        }
        const roots = new Set([...issues].map((id) => groups.find(id)));
        expect(linksMade(linkOrder(pairs))).toHaveLength(issues.size - roots.size);
      }),
    );
  });
});
