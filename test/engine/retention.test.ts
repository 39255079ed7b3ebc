import { SimilarityIndex, TermExtractor } from '../../src/engine';
import { termIdHint } from '../../src/engine/term-hints';
import { detachedString, TermVocabulary } from '../../src/engine/text/term-counter';

const issues = Array.from({ length: 50 }, (_, i) => ({
  id: String(i),
  summary: `NameNodeRpcServer${i} fails on restart of block pool ${i % 7}`,
  description: `org.apache.hadoop.hdfs.server.namenode.FSNamesystem${i % 5} throws at startup. `.repeat(20),
}));

/** Every object reachable from `root` (own properties, symbols included). */
function reachable(root: unknown): Set<object> {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) visit((value as Record<PropertyKey, unknown>)[key]);
  };
  visit(root);
  return seen;
}

describe('what extracted documents keep alive', () => {
  it("a document does not hold its extractor's dictionary (a kept document would keep every term string)", () => {
    const extractor = new TermExtractor();
    const docs = issues.map((issue) => extractor.extract(issue));
    const hint = termIdHint(docs[0]!);
    expect(hint).toBeDefined();
    for (const doc of docs) for (const value of reachable(doc)) expect(value).not.toBeInstanceOf(TermVocabulary);
    // The hint still does its work: an index built from the documents answers as one
    // built from copies without hints (plain data, as after JSON).
    const hinted = new SimilarityIndex();
    const plain = new SimilarityIndex();
    for (const doc of docs) {
      hinted.upsert(doc);
      plain.upsert(JSON.parse(JSON.stringify(doc)) as typeof doc);
    }
    expect(hinted.neighbours('7', 3)).toEqual(plain.neighbours('7', 3));
    expect(hinted.neighbours('7', 3)).toHaveLength(3);
  });

  it('detachedString keeps the characters of any term', () => {
    const text = `prefix ${'ÄlongIdentifierName_語'.repeat(3)} suffix`;
    for (const term of [text.slice(7, 7 + 60), text.slice(7, 12), '', 'x'.repeat(13), '"quoted\\u2028"']) expect(detachedString(term)).toBe(term);
  });
});
