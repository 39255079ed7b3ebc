/**
 * The tokenizer calls natural's Porter stemmer only for words with an ending some Porter
 * step rewrites (`porterMayChange`); every other word is its own stem. These tests hold
 * that shortcut to natural's own output, so a stemmer that changed would fail them.
 */
import fc from 'fast-check';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { porterMayChange } from '../../src/engine/text/tokenizer';
import { describeWithDevSet, loadDevIssues } from './dataset';

// Endings close to the rules' own (and a few that only look like them), so that random
// words land on the boundaries instead of mostly on plain consonants.
const ENDINGS = [
  '', 'a', 'b', 'k', 'p', 'h', 'w', 'x', 'z', 'o', 'f', 'v', 'q', 'j', 'd', 'g', 'n', 'm', 'r', 't', 'c', 'l', 'i', 'u',
  'ss', 'sses', 'ies', 'eed', 'ed', 'ing', 'ly', 'ey', 'at', 'bl', 'iz', 'ational', 'tional', 'enci', 'anci', 'izer',
  'abli', 'bli', 'alli', 'entli', 'eli', 'ousli', 'ization', 'ation', 'ator', 'alism', 'iveness', 'fulness', 'ousness',
  'aliti', 'iviti', 'biliti', 'logi', 'icate', 'ative', 'alize', 'iciti', 'ical', 'ful', 'ness', 'al', 'ance', 'ence',
  'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'sion',
  'tion', 'e', 'll', 'oo', 'ook', 'ath', 'ax', 'ow', 'um', 'on', 'ar', 'ir', 'ur', 'et', 'ut', 'ud', 'og', 'ol', 'il',
  'ui', 'oi', 'mi', 'ri', 'di', '1', '2x', 'v2', '3d',
];

const word = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{0,12}$/), fc.constantFrom(...ENDINGS))
  .map(([stem, ending]) => stem + ending)
  .filter((w) => w.length >= 3);

describe('porterMayChange', () => {
  it('is false only for words the Porter stemmer leaves as they are', () => {
    fc.assert(
      fc.property(word, (w) => {
        if (!porterMayChange(w)) expect(PorterStemmer.stem(w)).toBe(w);
      }),
      { numRuns: 20_000 },
    );
  });

  it('lets the stemmer see every word it changes, and skips a good share of plain words', () => {
    const sample = ['hadoop', 'block', 'classpath', 'java', 'stack', 'jdk', 'failing', 'caches', 'nodes', 'connection', 'happy', 'rational', 'cluster', 'fully', 'hopeful', 'generalization', 'roll'];
    const changed = sample.filter((w) => PorterStemmer.stem(w) !== w);
    expect(changed.length).toBeGreaterThanOrEqual(8);
    for (const w of changed) expect(porterMayChange(w)).toBe(true);
    expect(sample.filter((w) => !porterMayChange(w))).toEqual(['hadoop', 'block', 'classpath', 'java', 'stack', 'jdk']);
  });
});

describeWithDevSet('porterMayChange on the dev set', () => {
  it('agrees with natural on every lower-case word of the Hadoop issues', () => {
    const words = new Set<string>();
    for (const issue of loadDevIssues()) {
      for (const w of `${issue.summary} ${issue.description ?? ''}`.toLowerCase().match(/[a-z][a-z0-9]{2,}/g) ?? []) words.add(w);
    }
    expect(words.size).toBeGreaterThan(10_000);
    let skipped = 0;
    for (const w of words) {
      if (porterMayChange(w)) continue;
      skipped++;
      expect(PorterStemmer.stem(w)).toBe(w);
    }
    // A shortcut that skipped nothing would pass the line above; it must skip real words.
    expect(skipped).toBeGreaterThan(words.size / 5);
  });
});
