import fc from 'fast-check';
import { SimilarityIndex, type DocTerms } from '../../src/engine';
import { PairCollector, rankByIds } from '../../src/engine/scan-result';
import { SearchScratch, selectCandidates } from '../../src/engine/search';
import { docsArb } from './helpers';

function build(docs: DocTerms[], config = {}): SimilarityIndex {
  const index = new SimilarityIndex(config);
  for (const d of docs) index.upsert(d);
  return index;
}

const EXACT = { maxPostingsPerTerm: 2 ** 31, maxCandidates: 2 ** 31, candidateTerms: 4096, impactFloor: 0 };
const byId = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

describe('scanAll: every pair and every top k in one pass', () => {
  it('equals a brute-force pass over all pairs (exhaustive settings)', () => {
    fc.assert(
      fc.property(docsArb(1, 18), fc.integer({ min: 1, max: 4 }), (docs, k) => {
        const index = build(docs, EXACT);
        const result = index.scanAll(k, { minScore: 0.12 });
        const ids = docs.map((d) => d.id);
        const all: Array<{ a: string; b: string; score: number }> = [];
        for (const a of ids) for (const b of ids) if (a < b) all.push({ a, b, score: index.explain(a, b).score });
        const expectedPairs = all
          .filter((p) => p.score >= 0.12)
          .sort((x, y) => y.score - x.score || byId(x.a, y.a) || byId(x.b, y.b));
        expect(result.pairs().map(({ a, b, score }) => ({ a, b, score }))).toEqual(expectedPairs);

        const neighbours = result.neighbours();
        expect(Array.from(neighbours.keys())).toEqual(index.ids());
        for (const a of ids) {
          const expected = ids
            .filter((b) => b !== a)
            .map((b) => ({ id: b, score: index.explain(a, b).score }))
            .filter((x) => x.score >= index.config.neighbourFloor)
            .sort((x, y) => y.score - x.score || byId(x.id, y.id))
            .slice(0, k);
          expect((neighbours.get(a) ?? []).map(({ id, score }) => ({ id, score }))).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same answers whatever the verification blocks (exhaustive: brute force; pruned: the default blocks)', () => {
    const limitsArb = fc.record({ queries: fc.integer({ min: 1, max: 6 }), entries: fc.integer({ min: 1, max: 30 }) });
    fc.assert(
      fc.property(docsArb(2, 30), fc.integer({ min: 0, max: 4 }), limitsArb, fc.boolean(), (docs, k, limits, exhaustive) => {
        // Pruned settings that leave candidates out, so the blocks hold uneven lists.
        const index = build(docs, exhaustive ? EXACT : { maxPostingsPerTerm: 2, maxCandidates: 2, pairCandidateShare: 0.6 });
        // A pair acceptor that refuses some pairs: blocks must ask it just as the default does.
        const accept = (a: string, b: string): boolean => (a.length + b.length) % 3 !== 0;
        const small = index.scanAll(k, { minScore: 0.08, accept }, limits);
        const usual = index.scanAll(k, { minScore: 0.08, accept });
        expect(small.pairs()).toEqual(usual.pairs());
        expect([...small.neighbours()]).toEqual([...usual.neighbours()]);
        if (exhaustive) {
          const ids = docs.map((d) => d.id);
          const expected: string[] = [];
          for (const a of ids) {
            for (const b of ids) {
              if (a < b && accept(a, b) && index.explain(a, b).score >= 0.08) expected.push(`${a} ${b} ${index.explain(a, b).score}`);
            }
          }
          expect(small.pairs().map((p) => `${p.a} ${p.b} ${p.score}`).sort()).toEqual(expected.sort());
        }
      }),
      { seed: 7, numRuns: 120 },
    );
  });

  it('reports each pair once, ordered, with its true score, under the tightest pruning', () => {
    fc.assert(
      fc.property(docsArb(2, 25), (docs) => {
        const index = build(docs, { maxPostingsPerTerm: 1, maxCandidates: 1, candidateTerms: 1, impactFloor: 1 });
        const pairs = index.allPairs({ minScore: 0.05 });
        const seen = new Set<string>();
        pairs.forEach((p, i) => {
          expect(p.a < p.b).toBe(true);
          expect(seen.has(`${p.a} ${p.b}`)).toBe(false);
          seen.add(`${p.a} ${p.b}`);
          expect(p.score).toBe(index.explain(p.a, p.b).score);
          const next = pairs[i + 1];
          if (next) expect(p.score > next.score || (p.score === next.score && (p.a < next.a || (p.a === next.a && p.b < next.b)))).toBe(true);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('keeps a pair that only one of its two documents finds', () => {
    // "a" is one word; "b" has that word among four of its own, so its weight for it is light.
    // Reading two postings per list, a's search meets itself and a filler (heavier on
    // "omega") and never b; b's search meets a first.
    const a: DocTerms = { id: 'a', fields: { summary: [['omega', 1]] } };
    const b: DocTerms = { id: 'b', fields: { summary: [['omega', 1], ['alpha', 1], ['beta', 1], ['gamma', 1], ['delta', 1]] } };
    const fillers: DocTerms[] = Array.from({ length: 4 }, (_, i) => ({ id: `f${i}`, fields: { summary: [['omega', 1], [`filler${i}`, 1]] } }));
    const index = build([a, b, ...fillers], { maxPostingsPerTerm: 2, maxCandidates: 1, impactFloor: 0, thresholds: { related: 0.05, duplicate: 0.9 } });
    expect(index.explain('a', 'b').score).toBeGreaterThanOrEqual(0.05);
    expect(index.neighbours('a', 5).map((n) => n.id)).not.toContain('b');
    expect(index.neighbours('b', 5).map((n) => n.id)).toContain('a');
    expect(index.allPairs().map((p) => `${p.a}-${p.b}`)).toContain('a-b');
  });

  it('returns columns that match the object views', () => {
    const docs: DocTerms[] = ['x y z', 'x y w', 'x q r', 'p q r', 'unrelated words here'].map((text, i) => ({
      id: `d${i}`,
      fields: { summary: text.split(' ').map((t) => [t, 1] as const) },
    }));
    const index = build(docs, { thresholds: { related: 0.05, duplicate: 0.5 } });
    const result = index.scanAll(2);
    expect(result.pairCount).toBe(result.pairs().length);
    for (let i = 0; i < result.pairCount; i++) {
      const p = result.pair(i);
      expect(p.a).toBe(result.ids[result.pairA.get(i)]);
      expect(p.b).toBe(result.ids[result.pairB.get(i)]);
      expect(p.score).toBe(result.pairScore(i));
      expect(p.tier).toBe(p.score >= 0.5 ? 'duplicate' : 'related');
    }
    expect(index.scan(2)).toEqual({ neighbours: result.neighbours(), pairs: result.pairs() });
    expect(result.neighboursOf(result.ids.indexOf('d0'))).toEqual(result.neighbours().get('d0'));
    expect(Array.from(result.neighbours().keys())).toEqual(index.ids()); // in insertion order
  });

  it('leaves the search state clean: query marks cleared, the same answers scan after scan', () => {
    fc.assert(
      fc.property(docsArb(2, 16), (docs) => {
        const index = build(docs, { maxCandidates: 2, pairCandidateShare: 0.2 });
        const first = index.scanAll(3, { minScore: 0.1 });
        // The snapshot's scratch: every bit that marked a query's features is off again.
        const snap = (index as unknown as { snapshot(): { scratch: SearchScratch; featureCount: number } }).snapshot();
        expect(snap.scratch.queryBits(snap.featureCount).every((word) => word === 0)).toBe(true);
        expect(snap.scratch.denseQuery(snap.featureCount).every((w) => w === 0)).toBe(true);
        const second = index.scanAll(3, { minScore: 0.1 });
        expect(second.pairs()).toEqual(first.pairs());
        expect([...second.neighbours()]).toEqual([...first.neighbours()]);
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it('handles an empty index and a scan without neighbours', () => {
    const empty = new SimilarityIndex().scanAll(5);
    expect(empty.pairCount).toBe(0);
    expect(empty.neighbours().size).toBe(0);
    const one = build([{ id: 'only', fields: { summary: [['word', 1]] } }]);
    expect(one.scanAll(0).neighbours().size).toBe(0);
    expect(one.scanAll(3).neighbours().get('only')).toEqual([]);
  });
});

describe('PairCollector', () => {
  it('keeps one of each pair met from both ends, best first, ties by id', () => {
    const ids = ['b', 'a', 'd', 'c'];
    const collector = new PairCollector(rankByIds(ids));
    // slots: 0=b 1=a 2=d 3=c; queries arrive by slot
    collector.add(0, 1, 0.5); // b-a
    collector.add(0, 1, 0.5); // b-a twice from one query (a caller's slip): kept once
    collector.add(0, 2, 0.2); // b-d
    collector.add(1, 0, 0.5); // a-b again, from its other end
    collector.add(1, 3, 0.7); // a-c
    collector.add(2, 3, 0.5); // d-c
    collector.add(3, 1, 0.7); // c-a again
    const out = collector.finish();
    const named = Array.from({ length: out.count }, (_, i) => [ids[out.a.get(i)], ids[out.b.get(i)], (out.steps.get(i)) / 1e9]);
    expect(named).toEqual([
      ['a', 'c', 0.7],
      ['a', 'b', 0.5],
      ['c', 'd', 0.5],
      ['b', 'd', 0.2],
    ]);
  });

  it('tells a later query the score an earlier query stored for their pair', () => {
    const collector = new PairCollector(rankByIds(['p', 'q', 'r', 's']));
    collector.startQuery(0);
    collector.add(0, 2, 0.4);
    collector.add(0, 3, 0.25);
    collector.startQuery(1);
    expect(collector.known(1, 0)).toBe(-1); // query 0 never met slot 1
    collector.add(1, 2, 0.3);
    collector.startQuery(2);
    expect(collector.known(2, 0)).toBe(0.4);
    expect(collector.known(2, 1)).toBe(0.3);
    expect(collector.known(2, 3)).toBe(-1); // a later slot: not known yet
    collector.add(2, 0, 0.4); // met again from its other end: not stored twice
    collector.startQuery(3);
    expect(collector.known(3, 0)).toBe(0.25);
    expect(collector.known(3, 2)).toBe(-1);
    expect(collector.finish().count).toBe(3);
  });

  it('lets a block scan restart its queries: known pairs are seen again and stored once', () => {
    const collector = new PairCollector(rankByIds(['p', 'q', 'r', 's']));
    collector.startQuery(0);
    collector.add(0, 3, 0.5); // an earlier block's pair with slot 3
    // The next block (slots 1-3) looks at its known pairs first...
    for (const slot of [1, 2, 3]) collector.startQuery(slot);
    expect(collector.known(3, 0)).toBe(0.5);
    // ...then stores its own pairs in query order.
    collector.rewind(1);
    collector.startQuery(1);
    collector.add(1, 3, 0.3);
    collector.startQuery(2);
    collector.startQuery(3);
    expect(collector.known(3, 1)).toBe(0.3); // stored since the rewind: seen too
    collector.add(3, 1, 0.3);
    collector.add(3, 0, 0.5);
    expect(collector.finish().count).toBe(2);
    expect(() => collector.rewind(0)).not.toThrow();
  });

  it('refuses pairs out of query order', () => {
    const collector = new PairCollector(rankByIds(['x', 'y', 'z']));
    collector.add(2, 0, 0.3);
    expect(() => collector.add(1, 0, 0.3)).toThrow(RangeError);
  });

  it('sorts many pairs exactly like a comparator sort', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 20 })), { maxLength: 300 }),
        (n, raw) => {
          const ids = Array.from({ length: n }, (_, i) => `id${(i * 7919) % 1000}`).filter((v, i, all) => all.indexOf(v) === i);
          const size = ids.length;
          const collector = new PairCollector(rankByIds(ids));
          const expected = new Map<string, { a: string; b: string; score: number }>();
          const adds = raw.map(([x0, y0, s]) => [x0 % size, y0 % size, s] as const).sort((p, q) => p[0] - q[0]);
          for (const [x, y, s] of adds) {
            if (x === y) continue;
            const [a, b] = (ids[x] ?? '') < (ids[y] ?? '') ? [ids[x] ?? '', ids[y] ?? ''] : [ids[y] ?? '', ids[x] ?? ''];
            // A pair's score is the same from both ends: derive it from the pair.
            const score = expected.get(`${a} ${b}`)?.score ?? s / 20;
            expected.set(`${a} ${b}`, { a, b, score });
            collector.add(x, y, score);
          }
          const out = collector.finish();
          const got = Array.from({ length: out.count }, (_, i) => ({ a: ids[out.a.get(i)], b: ids[out.b.get(i)], score: (out.steps.get(i)) / 1e9 }));
          const want = Array.from(expected.values()).sort((p, q) => q.score - p.score || byId(p.a, q.a) || byId(p.b, q.b));
          expect(got).toEqual(want);
        },
      ),
    );
  });

  it('orders pairs spread over several column chunks, with scores one step apart and equal', () => {
    // 150,000 pairs (columns hold 65,536 a chunk; finish gathers each column into the
    // chunks the previous one let go), scores drawn so that many share their high bits,
    // differ by one 1e-9 step, or are equal.
    const n = 600;
    const ids = Array.from({ length: n }, (_, i) => `k${(i * 7919) % 100003}`);
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const collector = new PairCollector(rankByIds(ids));
    const want: Array<{ a: string; b: string; steps: number }> = [];
    for (let x = 0; x < n; x++) {
      for (let y = x + 1; y < n && want.length < 150_000; y++) {
        if (next() < 0.15) continue;
        const base = 150_000_000 + Math.floor(next() * 8) * 32_768; // shared high bits
        const steps = base + Math.floor(next() * 4); // one step apart or equal
        collector.add(x, y, steps / 1e9);
        const [a, b] = (ids[x] as string) < (ids[y] as string) ? [ids[x] as string, ids[y] as string] : [ids[y] as string, ids[x] as string];
        want.push({ a, b, steps });
      }
    }
    want.sort((p, q) => q.steps - p.steps || byId(p.a, q.a) || byId(p.b, q.b));
    const out = collector.finish();
    expect(out.count).toBe(want.length);
    expect(out.count).toBeGreaterThan(2 * 65_536);
    for (let i = 0; i < out.count; i++) {
      const w = want[i] as { a: string; b: string; steps: number };
      if (ids[out.a.get(i)] !== w.a || ids[out.b.get(i)] !== w.b || out.steps.get(i) !== w.steps) {
        throw new Error(`pair ${i}: ${ids[out.a.get(i)]}-${ids[out.b.get(i)]} ${out.steps.get(i)}, expected ${w.a}-${w.b} ${w.steps}`);
      }
    }
  });
});

describe('candidate selection', () => {
  it('finds the limit-th largest partial and keeps, in order, every candidate that can be chosen', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float({ min: 0, max: 2, noNaN: true }), fc.constant(-Infinity), fc.constantFrom(0.25, 0.5)), { maxLength: 200 }),
        fc.float({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.oneof(fc.constant(Infinity), fc.float({ min: 0, max: 2, noNaN: true })),
        (partials, floor, limit, keepAbove) => {
          const scratch = new SearchScratch(partials.length);
          partials.forEach((v, d) => {
            scratch.partials[d] = v;
          });
          // Candidates in a scrambled order, as postings meet them.
          const order = partials.map((_, d) => (d * 37) % Math.max(1, partials.length)).filter((d, i, all) => all.indexOf(d) === i);
          while (scratch.candidates.length < order.length) scratch.growCandidates();
          order.forEach((d, i) => {
            scratch.candidates[i] = d;
          });
          scratch.candidateCount = order.length;
          const before = Array.from(scratch.partials);
          const { survivors, cut } = selectCandidates(scratch, floor, limit, keepAbove);
          const reaching = order.filter((d) => (before[d] ?? 0) >= floor);
          const sorted = reaching.map((d) => before[d] ?? 0).sort((x, y) => y - x);
          expect(cut).toBe(sorted.length <= limit ? -Infinity : sorted[limit - 1]);
          const kept = Array.from(scratch.candidates.subarray(0, survivors));
          // Kept: in candidate order, all reaching the floor, with their partials ...
          expect(kept).toEqual(reaching.filter((d) => kept.includes(d)));
          expect(Array.from(scratch.values.subarray(0, survivors))).toEqual(kept.map((d) => before[d]));
          // ... and among them every one that verification may choose.
          const choosable = reaching.filter((d) => (before[d] ?? 0) >= cut || (before[d] ?? 0) >= keepAbove);
          expect(choosable.filter((d) => !kept.includes(d))).toEqual([]);
          // Every candidate is left at 0 for the next search.
          for (const d of order) expect(scratch.partials[d]).toBe(0);
        },
      ),
    );
  });
});
