import fc from 'fast-check';
import { buildClusters, highlight, surfaceForms, tokenize, type ScoredPair } from '../../src/engine';

const pair = (a: string, b: string, score: number, tier: ScoredPair['tier'] = 'duplicate'): ScoredPair => ({ a, b, score, tier });

describe('buildClusters', () => {
  it('groups connected duplicate pairs and picks the most central member', () => {
    const clusters = buildClusters([pair('a', 'b', 0.9), pair('b', 'c', 0.8), pair('d', 'e', 0.7), pair('c', 'x', 0.3, 'related')]);
    expect(clusters).toHaveLength(2);
    expect(clusters[0]).toMatchObject({ representative: 'b', members: ['a', 'b', 'c'], maxScore: 0.9 });
    expect(clusters[1]?.members).toEqual(['d', 'e']);
    expect(buildClusters([pair('c', 'x', 0.3, 'related')], { tier: 'related' })[0]?.members).toEqual(['c', 'x']);
  });

  it('does not depend on the order of the pairs', () => {
    const pairsArb = fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 1, max: 99 })),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(pairsArb.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length }))), ([ps, shuffled]) => {
        const toPairs = (xs: typeof ps): ScoredPair[] => xs.map(([a, b, s]) => pair(a < b ? a : b, a < b ? b : a, s / 100));
        expect(buildClusters(toPairs(shuffled))).toEqual(buildClusters(toPairs(ps)));
      }),
    );
  });
});

describe('highlight and surfaceForms', () => {
  const text = 'The NameNode connection was refused; connections retry (see S3AFileSystem).';
  const terms = [tokenize('connection')[0] ?? '', 'namenod', 's3afilesystem'];

  it('marks words by stem and concatenates back to the text exactly', () => {
    const segments = highlight(text, terms);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    const marked = segments.filter((s) => s.match).map((s) => s.text);
    expect(marked).toEqual(expect.arrayContaining(['connection', 'connections', 'S3AFileSystem']));
    expect(marked.join(' ')).toContain('NameNode');
  });

  it('always concatenates back, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (t) => {
        expect(highlight(t, ['a', 'b', 'test']).map((s) => s.text).join('')).toBe(t);
      }),
    );
  });

  it('maps stems to the words as written', () => {
    const forms = surfaceForms(text, terms);
    expect(forms.get(tokenize('connection')[0] ?? '')).toBe('connection');
    expect(forms.get('s3afilesystem')).toBe('S3AFileSystem');
  });

  it('maps a whole identifier whose stem is shorter than it, even when its parts are wanted too', () => {
    const t = 'Payment step throws NullPointerException in OrderTotalsCalculator for PayPal orders.';
    const whole = tokenize('OrderTotalsCalculator')[0] ?? '';
    expect(whole.length).toBeLessThan('OrderTotalsCalculator'.length - 1);
    const forms = surfaceForms(t, [whole, 'total', 'order']);
    expect(forms.get(whole)).toBe('OrderTotalsCalculator');
    expect(forms.get('total')).toBe('Totals');
    expect(forms.get('order')).toBe('Order');
    // Highlighting is unchanged: the parts are marked, not the whole token.
    expect(highlight(t, [whole, 'total']).filter((x) => x.match).map((x) => x.text)).toEqual(['Totals']);
  });
});
