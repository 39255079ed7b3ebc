/**
 * Issue text as an attacker (or a broken integration) might write it, through the engine:
 * `adfToText` on arbitrary JSON and ADF-shaped trees (deep, wide, cyclic), `extractTerms` on
 * arbitrary Unicode, wiki markup, HTML and megabyte descriptions. Nothing throws, time stays
 * bounded, stored terms stay within their size limit and survive the round trip, and words
 * named like Object.prototype members are ordinary words.
 */
import fc from 'fast-check';
import { adfToText, decodeTerms, encodeTerms, extractTerms, MAX_ENCODED_LENGTH, SimilarityIndex, wikiToText } from '../../src/engine';

const SEED = 9_001;

function within<T>(ms: number, what: string, work: () => T): T {
  const started = performance.now();
  const value = work();
  const took = performance.now() - started;
  if (took > ms) throw new Error(`${what} took ${took.toFixed(0)} ms (limit ${ms} ms)`);
  return value;
}

const NODE_TYPES = ['doc', 'paragraph', 'text', 'heading', 'codeBlock', 'bulletList', 'listItem', 'table', 'tableRow', 'tableCell', 'mention', 'emoji', 'inlineCard', 'hardBreak', 'mediaSingle', 'panel', 'blockquote', 'rule', 'status', 'date', '__proto__', 'constructor', 'script'];

/** ADF-shaped trees with arbitrary extras: wrong types where strings belong, odd marks, attrs. */
const adfTree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        type: fc.oneof(fc.constantFrom(...NODE_TYPES), fc.string({ maxLength: 8 }), fc.integer()),
        text: fc.oneof(fc.string({ maxLength: 40, unit: 'grapheme' }), fc.constantFrom('<script>alert(1)</script>', 'javascript:alert(1)', '\u202E\u200B\u200D', ''), fc.integer(), fc.constant(null)),
        content: fc.oneof(fc.array(tie('node'), { maxLength: 4 }), fc.constant(null), fc.string({ maxLength: 5 })),
        attrs: fc.oneof(fc.dictionary(fc.constantFrom('text', 'shortName', 'url', 'href', 'language', 'timestamp', '__proto__'), fc.jsonValue({ maxDepth: 1 })), fc.constant(null)),
        marks: fc.array(fc.record({ type: fc.constantFrom('link', 'code', 'strong', 'x'), attrs: fc.record({ href: fc.constantFrom('javascript:alert(1)', 'https://example.com', '') }) }), { maxLength: 2 }),
      },
      { requiredKeys: ['type'] },
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
})).node;

describe('adfToText', () => {
  it('returns a string for any JSON value, in bounded time', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = within(500, 'adfToText', () => adfToText(value));
        expect(typeof text).toBe('string');
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('returns a string for any ADF-shaped tree, containing no more than the text it was given', () => {
    fc.assert(
      fc.property(adfTree, (tree) => {
        const text = within(500, 'adfToText', () => adfToText(tree));
        expect(typeof text).toBe('string');
        // Every character out comes from a text leaf or an attribute, plus separators.
        const budget = JSON.stringify(tree).length * 2 + 16;
        expect(text.length).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('survives 100,000 levels of nesting, 300,000 siblings and a cycle', () => {
    let deep: Record<string, unknown> = { type: 'text', text: 'bottom' };
    for (let i = 0; i < 100_000; i++) deep = { type: 'paragraph', content: [deep] };
    expect(typeof within(3000, 'deep ADF', () => adfToText({ type: 'doc', content: [deep] }))).toBe('string');

    const wide = { type: 'doc', content: Array.from({ length: 300_000 }, (_, i) => ({ type: 'text', text: `w${i % 97} ` })) };
    expect(typeof within(5000, 'wide ADF', () => adfToText(wide))).toBe('string');

    const cyclic: Record<string, unknown> = { type: 'paragraph', content: [] };
    (cyclic['content'] as unknown[]).push(cyclic, { type: 'text', text: 'once' });
    expect(within(1000, 'cyclic ADF', () => adfToText({ type: 'doc', content: [cyclic] }))).toContain('once');
  });

  it('keeps HTML and javascript: URLs as plain text: the link target is never part of the text', () => {
    const doc = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'pay here', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }, { type: 'text', text: ' <b>bold</b>' }] }],
    };
    const text = adfToText(doc);
    expect(text).toContain('pay here <b>bold</b>');
    expect(text).not.toContain('javascript:');
  });
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 300, unit: 'grapheme' }),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.constantFrom(
    '<script>alert("x")</script> checkout crash',
    '<img src=x onerror=alert(1)> login crash',
    '[pay|javascript:alert(1)] {code}rm -rf /{code} h1. =cmd|calc',
    '\u202Egnp.exe login \u200Bcrash\u200D \uFEFF',
    'تسجيل الدخول crash שלום עולם',
    'constructor __proto__ toString hasOwnProperty valueOf prototype',
    '{noformat}'.repeat(500),
    '*'.repeat(5000),
  ),
);

describe('extractTerms', () => {
  it('never throws on hostile summaries and descriptions (text, wiki or JSON), and stored terms round-trip within the size limit', () => {
    fc.assert(
      fc.property(hostileText, fc.oneof(hostileText, fc.jsonValue({ maxDepth: 4 }), adfTree), fc.array(hostileText, { maxLength: 3 }), (summary, description, labels) => {
        const doc = within(1000, 'extractTerms', () => extractTerms({ id: '1', summary, description, labels, components: labels, type: summary.slice(0, 20) }));
        const encoded = encodeTerms(doc);
        expect(encoded.length).toBeLessThanOrEqual(MAX_ENCODED_LENGTH);
        expect(decodeTerms('1', encoded)).toEqual(decodeTerms('1', encodeTerms(decodeTerms('1', encoded))));
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('handles a 1 MB description in bounded time and bounded output', () => {
    const huge = 'Attachment upload crash with stack trace at org.example.Upload.run(Upload.java:42) '.repeat(12_500);
    expect(huge.length).toBeGreaterThan(1_000_000);
    const doc = within(15_000, '1 MB description', () => extractTerms({ id: 'big', summary: 'Upload crash', description: huge }));
    expect(encodeTerms(doc).length).toBeLessThanOrEqual(MAX_ENCODED_LENGTH);
    expect(typeof within(5000, '1 MB wiki', () => wikiToText(huge))).toBe('string');
  }, 60_000);

  it('treats words named like Object.prototype members as ordinary words (no plain-object maps)', () => {
    const words = 'constructor __proto__ toString hasOwnProperty valueOf prototype';
    const index = new SimilarityIndex();
    index.upsert(extractTerms({ id: 'a', summary: words, description: words }));
    index.upsert(extractTerms({ id: 'b', summary: words, description: `${words} again` }));
    index.upsert(extractTerms({ id: 'c', summary: 'unrelated payment gateway', description: 'checkout' }));
    const pairs = index.allPairs();
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toContain('a-b');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
