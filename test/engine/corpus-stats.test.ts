/**
 * A partial index with the corpus's IDF (`useCorpus`) scores the documents it holds exactly
 * as an index of the whole corpus does, and `termWeights` bounds what a document left out
 * could have scored: the one-document queries of the app (create dialog, incremental
 * update) index only the documents that can reach the threshold.
 */
import fc from 'fast-check';
import { CorpusStats, decodeTerms, encodedTermSet, encodeTerms, extractTerms, SimilarityIndex, TermsDecodeError, type DocTerms } from '../../src/engine';
import { docsArb, issueArb } from './helpers';

const EXACT = { maxPostingsPerTerm: 2 ** 31, maxCandidates: 2 ** 31, candidateTerms: 4096, impactFloor: 0 };

function full(docs: DocTerms[], config: object): SimilarityIndex {
  const index = new SimilarityIndex(config);
  for (const d of docs) index.upsert(d);
  return index;
}

/** The corpus counted from stored encodings, and an index of only the documents that can reach `minScore` against `query`. */
function partial(docs: DocTerms[], query: DocTerms, minScore: number, config: object): { index: SimilarityIndex; held: number } {
  const corpus = new CorpusStats();
  const stored = docs.map((d) => ({ id: d.id, encoded: encodeTerms(d) }));
  const termsOf = stored.map((s) => corpus.addEncoded(s.encoded));
  const index = new SimilarityIndex(config);
  index.useCorpus(corpus);
  const squareById = new Map<number, number>();
  for (const [term, w] of index.termWeights(query)) {
    const id = corpus.termId(term);
    if (id !== undefined) squareById.set(id, w * w);
  }
  let held = 0;
  stored.forEach((s, i) => {
    let sq = 0;
    for (const t of termsOf[i] ?? []) sq += squareById.get(t) ?? 0;
    if (Math.sqrt(sq) >= minScore) {
      index.upsert(decodeTerms(s.id, s.encoded));
      held++;
    }
  });
  return { index, held };
}

describe('CorpusStats and useCorpus', () => {
  it('a partial index answers a query exactly like the whole index (exhaustive search)', () => {
    fc.assert(
      fc.property(docsArb(1, 30), issueArb, fc.constantFrom(0.05, 0.15, 0.3), (docs, issue, minScore) => {
        const query = extractTerms({ ...issue, id: 'draft' });
        const whole = full(docs, EXACT).query(query, 10, { minScore });
        const { index } = partial(docs, query, minScore, EXACT);
        expect(index.query(query, 10, { minScore })).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('neighbours and explanations of a held document match the whole index too', () => {
    fc.assert(
      fc.property(docsArb(2, 25), fc.nat(), (docs, pick) => {
        const me = docs[pick % docs.length] as DocTerms;
        const whole = full(docs, EXACT);
        const { index } = partial(docs, me, 0.1, EXACT);
        const mine = index.neighbours(me.id, 10, { minScore: 0.1 });
        expect(mine).toEqual(whole.neighbours(me.id, 10, { minScore: 0.1 }));
        for (const n of mine) expect(index.explain(me.id, n.id)).toEqual(whole.explain(me.id, n.id));
      }),
      { numRuns: 120 },
    );
  });

  it('holds fewer documents than the corpus when the query shares only common words with most', () => {
    const common = Array.from({ length: 60 }, (_, i) =>
      extractTerms({ id: `c${i}`, summary: `cluster report ${['alpha', 'beta', 'gamma', 'delta'][i % 4]} node ${i}`, description: 'The report shows the cluster state.' }),
    );
    const target = extractTerms({ id: 't', summary: 'Kerberos ticket renewal fails on the secondary namenode', description: 'Renewal of the Kerberos ticket fails.' });
    const query = extractTerms({ id: 'draft', summary: 'Secondary namenode cannot renew its Kerberos ticket', description: 'cluster report' });
    const docs = [...common, target];
    const { index, held } = partial(docs, query, 0.15, {});
    expect(held).toBeLessThan(docs.length / 4);
    expect(index.query(query, 3, { minScore: 0.15 }).map((n) => n.id)).toEqual(full(docs, EXACT).query(query, 3, { minScore: 0.15 }).map((n) => n.id));
  });

  it('reads the same terms from any encoding as decodeTerms does (odd characters included)', () => {
    const term = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom('a', 'b', ' ', '*', '%', '|', '\n', 'é', '🔥', '2') });
    const entries = fc.array(fc.tuple(term, fc.integer({ min: 1, max: 5 })), { maxLength: 6 });
    fc.assert(
      fc.property(entries, entries, entries, (summary, description, code) => {
        const encoded = encodeTerms({ id: 'x', fields: { summary, description, code } });
        const decoded = decodeTerms('x', encoded);
        const expected = new Set(Object.values(decoded.fields).flatMap((e) => (e ?? []).map(([t]) => t)));
        expect(encodedTermSet(encoded)).toEqual([...expected]);
      }),
      { numRuns: 300 },
    );
  });

  it('counts large vocabularies exactly (its table grows many times), by encoding or by terms alike', () => {
    // 40 documents of 300 terms from a vocabulary of 6,000 with escapes and non-Latin words in it.
    const vocabulary = Array.from({ length: 6000 }, (_, i) => (i % 7 === 0 ? `w${i}%*|é` : i % 11 === 0 ? `語${i}` : `term${i}`));
    const docs = Array.from({ length: 40 }, (_, d) => Array.from({ length: 300 }, (_, k) => vocabulary[(d * 7919 + k * k * 31) % vocabulary.length] as string));
    const byEncoding = new CorpusStats();
    const byTerms = new CorpusStats();
    const expected = new Map<string, number>();
    docs.forEach((terms, d) => {
      const encoded = encodeTerms({ id: `d${d}`, fields: { description: terms.map((t) => [t, 1] as [string, number]) } });
      const ids = byEncoding.addEncoded(encoded);
      expect(byTerms.addTerms(terms)).toHaveLength(ids.length);
      for (const t of new Set(terms)) expected.set(t, (expected.get(t) ?? 0) + 1);
    });
    expect(byEncoding.size).toBe(40);
    expect(byEncoding.vocabulary).toBe(expected.size);
    for (const [t, df] of expected) {
      expect(byEncoding.dfOf(t)).toBe(df);
      expect(byTerms.dfOf(t)).toBe(df);
    }
    expect(byEncoding.dfOf('term-never-seen')).toBe(0);
    expect(byEncoding.termId('term-never-seen')).toBeUndefined();
    // A document that does not decode counts nothing.
    const before = byEncoding.dfOf('term1');
    expect(before).toBeGreaterThan(0);
    expect(() => byEncoding.addEncoded('d1\ns term1 bad%zz')).toThrow(TermsDecodeError);
    expect([byEncoding.size, byEncoding.dfOf('term1')]).toEqual([40, before]);
  });

  it('reads the distinct terms of an encoding, and refuses what is not one', () => {
    const doc = extractTerms({ id: 'x', summary: 'Retry retry timeout', description: 'timeout after 30 s; 100% CPU' });
    const encoded = encodeTerms(doc);
    const fromDecode = new Set(Object.values(decodeTerms('x', encoded).fields).flatMap((entries) => (entries ?? []).map(([t]) => t)));
    expect(new Set(encodedTermSet(encoded))).toEqual(fromDecode);
    expect(encodedTermSet(encoded).length).toBe(fromDecode.size);
    expect(() => encodedTermSet('nope')).toThrow(TermsDecodeError);
    expect(() => encodedTermSet('d1\nq x')).toThrow(TermsDecodeError);
    expect(() => new CorpusStats().addEncoded('d1\ns ')).toThrow(TermsDecodeError);
    expect(() => encodedTermSet('d1\ns a  b')).toThrow(TermsDecodeError);
    expect(() => encodedTermSet('d1x\ns a')).toThrow(TermsDecodeError);
    expect(encodedTermSet('d1')).toEqual([]);
    expect(encodedTermSet('d1\ns a*2 b\nd b c%25d*3')).toEqual(['a', 'b', 'c%d']);
    // Document frequencies count a document once per term, whatever its fields.
    const corpus = new CorpusStats();
    corpus.addEncoded('d1\ns a*2 b\nd b');
    corpus.addEncoded('d1\nd b c');
    expect([corpus.size, corpus.dfOf('a'), corpus.dfOf('b'), corpus.dfOf('c'), corpus.dfOf('zz')]).toEqual([2, 1, 2, 1, 0]);
  });
});
