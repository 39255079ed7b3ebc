import fc from 'fast-check';
import { decodeTerms, encodeTerms, extractTerms, MAX_ENCODED_LENGTH, onlyInTypeField, TermExtractor, TermsDecodeError } from '../../src/engine';
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

describe('onlyInTypeField', () => {
  const extractor = new TermExtractor();
  const term = (word: string) => extractor.tokenize(word)[0] ?? '';

  it('tells a term held only as the issue type from one written anywhere', () => {
    const quiet = encodeTerms(extractor.extract({ id: '1', summary: 'Checkout hangs', description: 'Spinner forever.', type: 'Bug' }));
    const loud = encodeTerms(extractor.extract({ id: '2', summary: 'Checkout bug', description: 'Spinner forever.', type: 'Bug' }));
    expect(onlyInTypeField(quiet, term('bug'))).toBe(true);
    expect(onlyInTypeField(loud, term('bug'))).toBe(false);
    expect(onlyInTypeField(quiet, term('checkout'))).toBe(false);
    // Without a type line, or for a term that is only a prefix of another, nothing is type-only.
    expect(onlyInTypeField(encodeTerms(extractor.extract({ id: '3', summary: 'Checkout hangs', description: '' })), term('bug'))).toBe(false);
    expect(onlyInTypeField(encodeTerms(extractor.extract({ id: '4', summary: 'Debugger hangs', description: '', type: 'Task' })), 'ta')).toBe(false);
  });

  it('agrees with a full decode on every term of real issues', () => {
    const docs = [
      { id: '1', summary: 'Task scheduler drops a task', description: 'The task queue loses work.', type: 'Task' },
      { id: '2', summary: 'Improve the improvement flow', description: 'Sub-task lists', type: 'Sub-task' },
      { id: '3', summary: 'Story points missing', description: 'no story', type: 'Story', labels: ['story'] },
    ];
    for (const issue of docs) {
      const terms = extractor.extract(issue);
      const encoded = encodeTerms(terms);
      const decoded = decodeTerms(issue.id, encoded);
      const all = new Set(Object.values(decoded.fields).flatMap((entries) => (entries ?? []).map(([t]) => t)));
      for (const t of all) {
        const fields = Object.entries(decoded.fields).filter(([, entries]) => (entries ?? []).some(([x]) => x === t)).map(([f]) => f);
        expect({ t, only: onlyInTypeField(encoded, t) }).toEqual({ t, only: fields.length === 1 && fields[0] === 'type' });
      }
    }
  });
});
