import fc from 'fast-check';
import { SimilarityIndex, TermExtractor, type DocTerms } from '../../src/engine';
import { termIdHint } from '../../src/engine/term-hints';
import { issueArb } from './helpers';

/** Every answer an index gives, for comparing two. */
function answers(index: SimilarityIndex): unknown {
  return { pairs: index.allPairs({ minScore: 0.05 }), top: Array.from(index.topK(3)), docs: index.ids().map((id) => index.doc(id)) };
}

function plain(doc: DocTerms): DocTerms {
  return JSON.parse(JSON.stringify(doc)) as DocTerms;
}

describe('term id hints (extractor ids reused by the index)', () => {
  it('give an index exactly the answers of the same documents without hints', () => {
    fc.assert(
      fc.property(fc.array(issueArb, { minLength: 1, maxLength: 15 }), (issues) => {
        const extractor = new TermExtractor();
        const docs = issues.map((issue, i) => extractor.extract({ ...issue, id: `i${i}` }));
        expect(docs.every((d) => termIdHint(d) !== undefined)).toBe(true);
        const hinted = new SimilarityIndex();
        const bare = new SimilarityIndex();
        for (const d of docs) {
          hinted.upsert(d);
          bare.upsert(plain(d));
        }
        expect(termIdHint(plain(docs[0] as DocTerms))).toBeUndefined();
        expect(answers(hinted)).toEqual(answers(bare));
      }),
      { numRuns: 40 },
    );
  });

  it('stay correct when documents come from several extractors or were edited after extraction', () => {
    const one = new TermExtractor();
    const two = new TermExtractor();
    const a = one.extract({ id: 'a', summary: 'namenode lease recovery fails' });
    const b = two.extract({ id: 'b', summary: 'datanode block report timeout' });
    const c = one.extract({ id: 'c', summary: 'lease recovery fails on the namenode' });
    const same = one.extract({ id: 'e', summary: 'block report timeout again' });
    // Edited in place after extraction: the hint no longer matches its terms.
    const edited = one.extract({ id: 'd', summary: 'block report timeout' });
    const summary = edited.fields.summary ?? [];
    summary.reverse();
    const hinted = new SimilarityIndex();
    const bare = new SimilarityIndex();
    for (const d of [a, b, c, same, edited]) {
      hinted.upsert(d);
      bare.upsert(plain(d));
    }
    expect(answers(hinted)).toEqual(answers(bare));
  });
});
