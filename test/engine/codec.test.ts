import fc from 'fast-check';
import { decodeTerms, encodeTerms, extractTerms, MAX_ENCODED_LENGTH, TermsDecodeError } from '../../src/engine';
import { issueArb } from './helpers';

describe('encodeTerms / decodeTerms', () => {
  it('round-trips any extracted document exactly', () => {
    fc.assert(
      fc.property(issueArb, fc.string({ unit: 'binary', maxLength: 80 }), (issue, noise) => {
        const doc = extractTerms({ ...issue, id: 'x', summary: issue.summary + ' ' + noise });
        expect(decodeTerms('x', encodeTerms(doc))).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and compact for a typical issue', () => {
    const doc = extractTerms({
      id: '1',
      summary: 'DataNode heartbeat is slow when FsDatasetImpl lock is contended',
      description: 'When DN slow downs happen it is very difficult to debug what is causing it. '.repeat(5),
    });
    expect(encodeTerms(doc)).toBe(encodeTerms(structuredClone(doc)));
    expect(encodeTerms(doc).length).toBeLessThan(2048);
  });

  it('caps a 1 MB description and keeps the summary', () => {
    const words = Array.from({ length: 120_000 }, (_, i) => `word${i.toString(36)}`).join(' ');
    const doc = extractTerms({ id: 'big', summary: 'huge log paste', description: words.slice(0, 1_000_000) });
    const encoded = encodeTerms(doc);
    expect(encoded.length).toBeLessThanOrEqual(MAX_ENCODED_LENGTH);
    expect(decodeTerms('big', encoded).fields.summary).toEqual(doc.fields.summary);
  });

  it('rejects garbage with a named error', () => {
    for (const bad of ['', 'hello', '{"json":true}', 'd1\nq nope', 'd1\ns ', 'd1\ns a*0', 'd1\ns a\ns b', 'd1\ns %zz']) {
      expect(() => decodeTerms('x', bad)).toThrow(TermsDecodeError);
    }
    try {
      decodeTerms('x', 'garbage');
    } catch (err) {
      expect((err as Error).name).toBe('TermsDecodeError');
    }
  });
});
