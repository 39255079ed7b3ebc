import fc from 'fast-check';
import { DOC_FIELDS, packDoc, packedLength, PackScratch, TermDictionary, unpackDoc } from '../../src/engine/packed-doc';
import type { DocTerms, TermCount } from '../../src/engine/types';

describe('packed documents', () => {
  it('round-trip every field, merging a term listed twice and capping counts at 65,535', () => {
    const field = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), fc.integer({ min: 1, max: 70000 })), { maxLength: 9 });
    fc.assert(
      fc.property(fc.record({ summary: field, description: field, code: field, labels: field, components: field, type: field }), (fields) => {
        const dict = new TermDictionary();
        const scratch = new PackScratch();
        const packed = packDoc({ id: 'x', fields }, dict, scratch);
        expect(packedLength(packed, 0)).toBe(packed.length);
        const back = unpackDoc('x', packed, dict);
        for (const f of DOC_FIELDS) {
          const want = new Map<string, number>();
          for (const [term, count] of fields[f]) want.set(term, Math.min(65535, (want.get(term) ?? 0) + Math.min(65535, count)));
          const got: TermCount[] = back.fields[f] ?? [];
          expect(got).toEqual(Array.from(want));
        }
      }),
    );
  });

  it('keeps the same layout length whatever the scratch held before', () => {
    const dict = new TermDictionary();
    const scratch = new PackScratch();
    const big: DocTerms = { id: 'big', fields: { description: Array.from({ length: 3000 }, (_, i): TermCount => [`t${i}`, (i % 5) + 1]) } };
    packDoc(big, dict, scratch);
    const small = packDoc({ id: 's', fields: { summary: [['t1', 3], ['t2', 1], ['t3', 2]] } }, dict, scratch);
    expect(unpackDoc('s', small, dict).fields.summary).toEqual([['t1', 3], ['t2', 1], ['t3', 2]]);
    expect(small.length).toBe(7 + 3 + 2);
  });
});
