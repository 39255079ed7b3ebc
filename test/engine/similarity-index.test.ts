import fc from 'fast-check';
import { extractTerms, SimilarityIndex, TermsDecodeError, type DocTerms } from '../../src/engine';
import { docsArb } from './helpers';

function build(docs: DocTerms[], config = {}): SimilarityIndex {
  const index = new SimilarityIndex(config);
  for (const d of docs) index.upsert(d);
  return index;
}

/** Every observable answer of an index, for comparing two indexes. */
function answers(index: SimilarityIndex): unknown {
  const ids = index.ids().sort();
  return {
    pairs: index.allPairs({ minScore: 0.05 }),
    neighbours: ids.map((id) => [id, index.neighbours(id, 3, { minScore: 0.01 })]),
    top: Array.from(index.topK(2)).sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

// Exhaustive settings: results must equal a brute-force pass.
const EXACT = { maxPostingsPerTerm: 2 ** 31, maxCandidates: 2 ** 31, candidateTerms: 4096, impactFloor: 0 };

describe('versions written as one digit', () => {
  it('tell apart two reports that differ only in the version they name', () => {
    const text = (id: string, version: string) =>
      extractTerms({ id, summary: `Dockerfile for building on Centos ${version}`, description: `The build image for Centos ${version} is missing; folks in the community asked for one.` });
    const filler = ['Upgrade the Maven plugin', 'Flaky test in the scheduler', 'Document the S3 committer'].map((summary, i) => extractTerms({ id: `f${i}`, summary, description: summary }));
    const index = build([text('c7', '7'), text('c8', '8'), text('c7b', '7'), ...filler]);
    const apart = index.explain('c7', 'c8').score;
    expect(apart).toBeLessThan(0.99);
    expect(index.explain('c7', 'c7b').score).toBeGreaterThan(apart);
    expect(index.neighbours('c7', 2, { minScore: 0 }).map((n) => n.id)).toEqual(['c7b', 'c8']);
  });
});

describe('SimilarityIndex properties', () => {
  it('is symmetric: score(a, b) = score(b, a), and neighbours agree with explain', () => {
    fc.assert(
      fc.property(docsArb(2, 12), (docs) => {
        const index = build(docs);
        for (const a of docs) {
          for (const b of docs) expect(index.explain(a.id, b.id).score).toBe(index.explain(b.id, a.id).score);
          for (const n of index.neighbours(a.id, 5, { minScore: 0 })) {
            expect(n.score).toBe(index.explain(a.id, n.id).score);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('scores a document highest against itself (1 when it has any term)', () => {
    fc.assert(
      fc.property(docsArb(2, 10), (docs) => {
        const index = build(docs);
        for (const a of docs) {
          const self = index.explain(a.id, a.id).score;
          expect(self).toBeCloseTo(1, 6);
          for (const b of docs) expect(index.explain(a.id, b.id).score).toBeLessThanOrEqual(self + 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on the order documents were added', () => {
    fc.assert(
      fc.property(docsArb(2, 14).chain((docs) => fc.tuple(fc.constant(docs), fc.shuffledSubarray(docs, { minLength: docs.length }))), ([docs, shuffled]) => {
        expect(answers(build(shuffled))).toEqual(answers(build(docs)));
      }),
      { numRuns: 60 },
    );
  });

  it('gives after any upserts, updates and removals the answers of a rebuild', () => {
    fc.assert(
      fc.property(docsArb(3, 14), fc.array(fc.nat(), { maxLength: 10 }), (docs, ops) => {
        const index = build(docs.slice(0, 2));
        void index.allPairs(); // a snapshot exists before the changes
        const live = new Map(docs.slice(0, 2).map((d) => [d.id, d]));
        ops.forEach((op, step) => {
          const doc = docs[op % docs.length] as DocTerms;
          if (op % 3 === 0 && live.has(doc.id)) {
            index.remove(doc.id);
            live.delete(doc.id);
          } else if (op % 3 === 1) {
            const changed = { ...doc, fields: { ...doc.fields, labels: [[`edit${step}`, 1] as const] } };
            index.upsert(changed);
            live.set(doc.id, changed);
          } else {
            index.upsert(doc);
            live.set(doc.id, doc);
          }
          if (step % 3 === 0) void index.neighbours(doc.id); // interleave queries
        });
        expect(answers(index)).toEqual(answers(build(Array.from(live.values()))));
      }),
      { numRuns: 60 },
    );
  });

  it('finds with its pruning exactly what an exhaustive pass finds (small indexes)', () => {
    fc.assert(
      fc.property(docsArb(2, 20), (docs) => {
        const pruned = build(docs, EXACT);
        for (const a of docs) {
          const brute = docs
            .filter((b) => b.id !== a.id)
            .map((b) => ({ id: b.id, score: pruned.explain(a.id, b.id).score }))
            .filter((x) => x.score >= 0.1)
            .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1))
            .slice(0, 4);
          expect(pruned.neighbours(a.id, 4, { minScore: 0.1 }).map(({ id, score }) => ({ id, score }))).toEqual(brute);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips through toState / fromState', () => {
    fc.assert(
      fc.property(docsArb(1, 10), (docs) => {
        const index = build(docs, { thresholds: { duplicate: 0.6, related: 0.2 } });
        const restored = SimilarityIndex.fromState(index.toState());
        expect(restored.config).toEqual(index.config);
        expect(answers(restored)).toEqual(answers(index));
      }),
      { numRuns: 40 },
    );
    expect(() => SimilarityIndex.fromState('not json')).toThrow(TermsDecodeError);
    expect(() => SimilarityIndex.fromState('{"v":1,"docs":[["a","bad"]]}')).toThrow(TermsDecodeError);
  });
});

describe('SimilarityIndex behaviour', () => {
  const issues = [
    { id: 'A', summary: 'NameNode crashes with OutOfMemoryError during block report', description: 'heap exhausted processing full block report' },
    { id: 'B', summary: 'OutOfMemoryError in NameNode while processing block reports', description: 'the namenode heap fills up on block report' },
    { id: 'C', summary: 'Upgrade Jetty to 9.4.48 for CVE', description: 'jetty has a CVE' },
    { id: 'D', summary: 'Fix typo in the YARN web UI', description: 'a label is misspelt' },
  ];
  const index = build(issues.map(extractTerms));

  it('ranks the near duplicate first and tiers pairs by the thresholds', () => {
    const [first] = index.neighbours('A', 3, { minScore: 0 });
    expect(first?.id).toBe('B');
    const pairs = index.allPairs();
    expect(pairs[0]).toMatchObject({ a: 'A', b: 'B' });
    for (const p of pairs) {
      expect(p.a < p.b).toBe(true);
      expect(p.tier).toBe(p.score >= index.config.thresholds.duplicate ? 'duplicate' : 'related');
    }
  });

  it('answers queries for documents outside the index, and filters with accept', () => {
    const probe = extractTerms({ id: 'new', summary: 'NameNode OutOfMemoryError on block report' });
    expect(index.query(probe, 2)[0]?.id).toMatch(/^[AB]$/);
    expect(index.has('new')).toBe(false);
    expect(index.query(probe, 5, { accept: (id) => id !== 'A' && id !== 'B', minScore: 0.5 })).toEqual([]);
  });

  it('explains a pair with shares that add up to at most 1, largest first', () => {
    const { score, terms } = index.explain('A', 'B', 20);
    expect(score).toBeGreaterThan(0);
    const total = terms.reduce((s, t) => s + t.share, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-6);
    expect(total).toBeGreaterThan(0.99);
    for (let i = 1; i < terms.length; i++) expect((terms[i - 1]?.share ?? 0) >= (terms[i]?.share ?? 0)).toBe(true);
    expect(index.explain('A', 'D').terms).toEqual([]);
  });

  it('removes documents and reports unknown ids', () => {
    const copy = build(issues.map(extractTerms));
    expect(copy.remove('A')).toBe(true);
    expect(copy.remove('A')).toBe(false);
    expect(copy.size).toBe(3);
    expect(copy.neighbours('A')).toEqual([]);
    expect(() => copy.explain('A', 'B')).toThrow(RangeError);
  });

  it('rejects out-of-range settings', () => {
    expect(() => new SimilarityIndex({ topK: 0 })).toThrow(/topK/);
    expect(() => new SimilarityIndex({ thresholds: { duplicate: 0.1, related: 0.5 } })).toThrow(/duplicate/);
    expect(() => new SimilarityIndex({ impactFloor: 1.5 })).toThrow(/impactFloor/);
    expect(() => new SimilarityIndex({ impactFloor: -0.1 })).toThrow(/impactFloor/);
  });
});
