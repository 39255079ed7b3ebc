import fc from 'fast-check';
import { DuplicateForest } from '../../src/resolvers/methods/duplicate-forest';

const issue = (n: number) => ({ id: String(n), key: `P-${n}`, createdMs: Date.UTC(2026, 0, n) });
const forest = (links: Array<[number, number]>, undirected: Array<[number, number]> = []) =>
  new DuplicateForest(
    Array.from({ length: 9 }, (_, i) => issue(i + 1)),
    links.map(([d, o]) => [String(d), String(o)] as const),
    undirected.map(([a, b]) => [String(a), String(b)] as const),
  );

describe('DuplicateForest', () => {
  it('says what is joined, and through which issues, whichever way the links point', () => {
    const f = forest([
      [2, 1],
      [3, 2],
      [5, 4],
    ]);
    expect(f.between('2', '1')).toEqual([]);
    expect(f.between('1', '2')).toEqual([]);
    expect(f.between('3', '1')).toEqual(['2']);
    expect(f.between('1', '3')).toEqual(['2']);
    expect(f.between('1', '4')).toBeNull();
    expect(f.between('6', '7')).toBeNull();
    expect(f.linkedDirectly('1', '3')).toBe(false);
    expect(f.keyOf('2')).toBe('P-2');
    // Stored links (no direction) join, but make no issue a duplicate of another.
    const stored = forest([], [[6, 7]]);
    expect(stored.between('7', '6')).toEqual([]);
    expect(stored.duplicatesSomething('6')).toBe(false);
  });

  it('stops at cycles', () => {
    const f = forest([
      [1, 2],
      [2, 3],
      [3, 1],
    ]);
    expect(f.between('1', '3')).toEqual([]);
    expect(f.between('1', '4')).toBeNull();
  });

  it('links the newer issue as the duplicate, unless it already duplicates another and the older one does not', () => {
    expect(forest([]).linkFor('3', '5')).toEqual(['5', '3']);
    expect(forest([]).linkFor('5', '3')).toEqual(['5', '3']);
    // P-5 already duplicates P-8: P-3 duplicates P-5 instead of P-5 duplicating two issues.
    expect(forest([[5, 8]]).linkFor('3', '5')).toEqual(['3', '5']);
    // Both already duplicate others: the usual way, as nothing avoids a second link.
    expect(forest([[5, 8], [3, 9]]).linkFor('3', '5')).toEqual(['5', '3']);
    // Being duplicated by others is no reason to turn the link round.
    expect(forest([[8, 5]]).linkFor('3', '5')).toEqual(['5', '3']);
    // Named by the person: as named.
    expect(forest([[5, 8]]).linkFor('3', '5', '5')).toEqual(['5', '3']);
  });

  it('confirming pairs one at a time in any order gives an issue a second "duplicates" link only when both issues already have one', () => {
    // Issues 1..6; pairs confirmed in a random order, each linked as linkFor says unless joined.
    // (Three copies confirmed pair by pair used to leave the newest duplicating both others.)
    const pairs: Array<[number, number]> = [];
    for (let a = 1; a <= 6; a++) for (let b = a + 1; b <= 6; b++) pairs.push([a, b]);
    fc.assert(
      fc.property(fc.shuffledSubarray(pairs, { minLength: 1 }), (order) => {
        const f = forest([]);
        for (const [a, b] of order) {
          if (f.between(String(a), String(b)) !== null) continue;
          const [dup, orig] = f.linkFor(String(a), String(b));
          // A second "duplicates" link only where both issues already had one.
          if (f.duplicatesSomething(dup) && !f.duplicatesSomething(orig)) return false;
          // Always between the pair's own two issues.
          if ([dup, orig].sort().join() !== [String(a), String(b)].sort().join()) return false;
          f.add(dup, orig);
        }
        return true;
      }),
    );
  });

  it('three copies of one report, confirmed pair by pair in any order, leave two links and no issue duplicating two', () => {
    const pairs: Array<[number, number]> = [
      [1, 2],
      [1, 3],
      [2, 3],
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(pairs, { minLength: 3, maxLength: 3 }), fc.boolean(), (order, swap) => {
        const f = forest([]);
        const made: Array<[string, string]> = [];
        for (const [x, y] of order) {
          const [a, b] = swap ? [String(y), String(x)] : [String(x), String(y)];
          if (f.between(a, b) !== null) continue;
          const link = f.linkFor(a, b);
          f.add(...link);
          made.push(link);
        }
        return made.length === 2 && new Set(made.map(([dup]) => dup)).size === 2;
      }),
    );
  });
});
