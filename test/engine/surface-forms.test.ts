import fc from 'fast-check';
import { SurfaceForms, surfaceForms, TermExtractor, tokenize, type SurfaceText } from '../../src/engine';
import { describeWithDevSet, loadDevIssues } from './dataset';

/** Entries in order: `SurfaceForms.in` must give what `surfaceForms` gives, insertion order included. */
const entries = (m: Map<string, string>): Array<[string, string]> => [...m];

/** Words that exercise each path of the matching: identifiers, camelCase, stop words, versions, URLs, CJK, accents. */
const WORDS = [
  'the', 'on', 'us', 'one', 'used', 'it', 'is', 'not', 'a', 'and', 'Connection', 'connections', 'connect', 'refused',
  'NameNode', 'namenode', 'OutputStream', 'output', 'stream', 'S3AFileSystem', 'OrderTotalsCalculator', 'PayPal', 'Pay',
  'hadoop-hdfs-project', 'hadoop-yarn-project', 'org.apache.hadoop.fs.Path', 'HDFS-1234', 'HADOOP-17', 'v3.3.5', '3.3',
  '3.3.0', '2.9.10.4', 'http://example.com/a/b', 'https://ci-hadoop.apache.org/job/x', 'foo_bar', '$var', 'ContactUs',
  'isOn', 'café', 'Cafe', 'naïve', 'ＡＰＩ', 'API', 'api', '支付页面', '卡住', '使用API时', 'サーバー', 'ｻｰﾁ', 'ーバ', 'データ・ベース',
  '服务器', '𠮷野家', '!!!', '🔥🔥', '--', 'x', '7', '42', 'deadbeefcafe1234', 'IOException', 'NPE', 'e.g.', 'i.e',
];
const SEPARATORS = [' ', ' ', ' ', '\n', ', ', '. ', ' (', ') ', ': ', '\t', '/', '-'];

/** Words the analyser reduces to nothing: a text of them alone is matched by fallback terms. */
const NO_TERMS = ['the', 'on', 'us', 'it', 'is', 'not', 'a', 'and', '!!!', '🔥🔥', '--'];
/** Identifiers whose stem is much shorter than they are: named by `surfaceForms`' whole-identifier pass. */
const LONG_IDENTIFIERS = ['OrderTotalsCalculator', 'InventorySyncService', 'ConnectionPoolManager', 'NativeAzureFsOutputStream', 'S3AFileSystem'];

const wordsArb = (words: string[]): fc.Arbitrary<string> =>
  fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...SEPARATORS)), { maxLength: 14 }).map((parts) => parts.map(([w, s]) => w + s).join('').trimEnd());
const textArb = fc.oneof(wordsArb(WORDS), wordsArb(NO_TERMS), wordsArb([...LONG_IDENTIFIERS, ...WORDS.slice(0, 12)]));

describe('SurfaceForms', () => {
  it('gives what surfaceForms gives on the texts joined by a space, entries in the same order, one finder for many lookups', () => {
    // One finder and its prepared texts across every run: what it remembers between lookups must change nothing.
    const finder = new SurfaceForms();
    const prepared = new Map<string, SurfaceText>();
    const prepare = (text: string): SurfaceText => {
      let t = prepared.get(text);
      if (t === undefined) {
        t = finder.prepare(text);
        prepared.set(text, t);
      }
      return t;
    };
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 1, maxLength: 3 }), textArb, textArb, fc.nat(), (texts, other, more, pick) => {
        // The terms of one of the texts (or of another), and a few more that may be in none.
        const wantedFrom = pick % 3 === 0 ? other : (texts[pick % texts.length] ?? '');
        const terms = [...tokenize(wantedFrom), ...tokenize(more).slice(0, 3)];
        const expected = entries(surfaceForms(texts.join(' '), terms));
        expect(entries(finder.in(texts.map(prepare), terms))).toEqual(expected);
        // A fresh finder, and the texts joined by a line break (as analyze joins descriptions), agree too.
        expect(entries(new SurfaceForms().in(texts.map((t) => new SurfaceForms().prepare(t)), terms))).toEqual(expected);
        expect(entries(finder.in(texts.map(prepare), terms))).toEqual(entries(surfaceForms(texts.join('\n'), terms)));
      }),
      { numRuns: 1000 },
    );
  });

  it('matches stop words by their fallback terms only when no text has a term of its own, as surfaceForms does', () => {
    const finder = new SurfaceForms();
    const lookup = (texts: string[], terms: string[]): Array<[string, string]> => entries(finder.in(texts.map((t) => finder.prepare(t)), terms));
    // Stop words alone: the engine indexes them by their fallback terms, which name them.
    expect(lookup(['It is not on', 'is it'], ['it', 'on'])).toEqual(entries(surfaceForms('It is not on is it', ['it', 'on'])));
    expect(lookup(['It is not on', 'is it'], ['it', 'on'])).toEqual([['it', 'It'], ['on', 'on']]);
    // One text with a word of its own: "on" is no term of "on", and names "one".
    expect(lookup(['Put it on', 'one device'], ['on'])).toEqual([['on', 'one']]);
    expect(lookup(['Put it on', 'one device'], ['on'])).toEqual(entries(surfaceForms('Put it on one device', ['on'])));
  });

  it('names a whole identifier whose stem is much shorter than it, and nothing for empty texts or no terms', () => {
    const finder = new SurfaceForms();
    const [whole] = tokenize('OrderTotalsCalculator');
    const texts = ['NPE in OrderTotalsCalculator', 'OrderTotalsCalculator fails'].map((t) => finder.prepare(t));
    expect(finder.in(texts, [whole ?? ''])).toEqual(surfaceForms('NPE in OrderTotalsCalculator OrderTotalsCalculator fails', [whole ?? '']));
    expect(finder.in(texts, [whole ?? '']).get(whole ?? '')).toBe('OrderTotalsCalculator');
    expect(finder.in([finder.prepare(''), finder.prepare('')], ['order'])).toEqual(new Map());
    expect(finder.in(texts, [])).toEqual(new Map());
  });
});

describeWithDevSet('SurfaceForms on the dev set', () => {
  it('gives what surfaceForms gives for pairs of dev-set summaries and descriptions', () => {
    const issues = loadDevIssues().slice(0, 600);
    const extractor = new TermExtractor();
    for (const issue of issues) extractor.extract({ id: issue.id, summary: issue.summary, description: issue.description });
    // Shared by the lookups, with the extractor that analysed the issues, as analyze uses it.
    const finder = new SurfaceForms(extractor);
    const summaries = new Map(issues.map((i) => [i.id, finder.prepare(i.summary)]));
    const descriptions = new Map(issues.map((i) => [i.id, finder.prepare(typeof i.description === 'string' ? i.description.slice(0, 20_000) : '')]));
    let found = 0;
    for (let k = 0; k + 1 < issues.length; k++) {
      const a = issues[k];
      const b = issues[(k * 7 + 1) % issues.length];
      if (a === undefined || b === undefined || a === b) continue;
      // Terms of both issues: some in the summaries, some only in the descriptions, some in neither.
      const terms = [...tokenize(a.summary).slice(0, 6), ...tokenize(b.description ?? '').slice(0, 8), ...tokenize(issues[k + 1]?.summary ?? '').slice(0, 2)];
      const inSummaries = finder.in([summaries.get(a.id), summaries.get(b.id)].filter((t) => t !== undefined), terms);
      expect(entries(inSummaries)).toEqual(entries(surfaceForms(`${a.summary} ${b.summary}`, terms)));
      const descriptionText = [a, b].map((i) => (typeof i.description === 'string' ? i.description.slice(0, 20_000) : '')).join('\n');
      const inDescriptions = finder.in([descriptions.get(a.id), descriptions.get(b.id)].filter((t) => t !== undefined), terms);
      expect(entries(inDescriptions)).toEqual(entries(surfaceForms(descriptionText, terms)));
      found += inSummaries.size + inDescriptions.size;
    }
    // The lookups found words: the comparison is not one of empty maps.
    expect(found).toBeGreaterThan(2000);
  });
});
