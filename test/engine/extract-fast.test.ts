import fc from 'fast-check';
import { TermExtractor, tokenize } from '../../src/engine';
import { forEachAsciiToken } from '../../src/engine/text/scan';
import { splitMachineLines } from '../../src/engine/text/segments';
import { TermCounter, TermVocabulary } from '../../src/engine/text/term-counter';
import { TextAnalyzer } from '../../src/engine/text/tokenizer';
import { wikiToSegments } from '../../src/engine/text/wiki';

// The tokenizer's TOKEN expression: the byte scanner must split ASCII text exactly like it.
const TOKEN =
  /[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`[\]{}|\\^]+|[\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*(?:[.\-/:#@][\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*)*/giu;

const asciiText = fc.string({
  unit: fc.constantFrom(...'aZ09_$.-/:#@+ \t\n()[]{}<>"\'`|\\^!?,;=&%*~'.split(''), 'http://', 'svn+ssh://', 'a..b://'),
  maxLength: 80,
});

function asciiTokens(text: string): string[] {
  const out: string[] = [];
  forEachAsciiToken(text, (t) => out.push(t));
  return out;
}

describe('byte scanner', () => {
  it('splits ASCII text into the same tokens as the TOKEN expression', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        expect(asciiTokens(text)).toEqual(text.match(TOKEN) ?? []);
      }),
      { numRuns: 500 },
    );
  });

  it('finds URLs whose scheme has + . or - in it', () => {
    expect(asciiTokens('see svn+ssh://host/x and a..b://y, not foo_bar://z')).toEqual(['see', 'svn+ssh://host/x', 'and', 'a..b://y,', 'not', 'foo_bar', 'z']);
  });
});

describe('token memo', () => {
  it('gives a token seen before the same terms as a fresh analyser', () => {
    const warm = new TextAnalyzer();
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('prose' as const, 'code' as const), (text, kind) => {
        warm.tokenize(text, kind);
        expect(warm.tokenize(text, kind)).toEqual(new TextAnalyzer().tokenize(text, kind));
      }),
      { numRuns: 300 },
    );
  });

  it('memoises the parts of joined names without changing their terms', () => {
    const analyzer = new TextAnalyzer();
    expect(analyzer.tokenize('FileSystem')).toEqual(['filesystem', 'file', 'system']);
    expect(analyzer.tokenize('org.apache.FileSystem-2.5.0.jar')).toEqual(tokenize('org.apache.FileSystem-2.5.0.jar'));
    expect(analyzer.tokenize('データ.FileSystem.数据')).toEqual(tokenize('データ.FileSystem.数据'));
  });

  it('keeps prose and code apart (numbers count only in prose)', () => {
    const analyzer = new TextAnalyzer();
    expect(analyzer.tokenize('404', 'prose')).toEqual(['404']);
    expect(analyzer.tokenize('404', 'code')).toEqual(['404']); // the fallback: nothing else is left
    expect(analyzer.tokenize('404 error', 'code')).toEqual(['error']);
  });

  it('yields the same documents across cache trims', () => {
    const a = new TermExtractor();
    const words = (i: number): string =>
      Array.from({ length: 400 }, (_, k) => `w${i}x${k} Id${i}Part${k}Name org.x${i}.y${k}`).join(' ');
    for (let i = 0; i < 260; i++) {
      const issue = { id: String(i), summary: `node ${i} cache`, description: words(i) };
      if (i % 50 === 0) expect(a.extract(issue)).toEqual(new TermExtractor().extract(issue));
      else a.extract(issue);
    }
  });
});

describe('TermCounter.drain', () => {
  function drained(ids: number[], limit = 1024): Array<readonly [string, number]> {
    const vocabulary = new TermVocabulary();
    for (let i = 0; i < 300; i++) vocabulary.idOf(`t${i}`);
    const counter = new TermCounter(vocabulary);
    for (const id of ids) counter.addId(id);
    return counter.drain(limit);
  }

  function reference(ids: number[], limit = 1024): Array<readonly [string, number]> {
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const entries = Array.from(counts, ([id, c]) => [`t${id}`, c] as const);
    entries.sort((x, y) => y[1] - x[1]);
    return entries.slice(0, limit);
  }

  it('orders by count, then first occurrence, for small and large fields', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 299 }), { maxLength: 600 }), fc.integer({ min: 1, max: 400 }), (ids, limit) => {
        expect(drained(ids, limit)).toEqual(reference(ids, limit));
      }),
      { numRuns: 300 },
    );
  });

  it('is empty after draining', () => {
    const vocabulary = new TermVocabulary();
    const counter = new TermCounter(vocabulary);
    counter.addTerm('a');
    counter.addTerm('b');
    counter.addTerm('b');
    expect(counter.drain(10)).toEqual([['b', 2], ['a', 1]]);
    expect(counter.size).toBe(0);
    counter.addTerm('a');
    expect(counter.drain(10)).toEqual([['a', 1]]);
  });
});

describe('markup and machine lines', () => {
  it('applies a rule to markup an earlier rule uncovered', () => {
    expect(wikiToSegments('{quote}* item one{quote}')).toEqual([{ kind: 'prose', text: 'item one ' }]);
  });

  it('handles every line terminator', () => {
    const text = 'h1. Title\u2028* item\u2029bq. quote\r----\r\n*bold* (y) a\\\\b';
    expect(wikiToSegments(text)).toEqual([{ kind: 'prose', text: 'Title\u2028item\u2029quote\rbold   a\nb' }]);
  });

  it('merges lines of a kind and normalises their breaks', () => {
    expect(splitMachineLines('one\r\n\tat a.B.c(B.java:1)\r  ... 2 more\ntwo\rthree\n')).toEqual([
      { kind: 'prose', text: 'one' },
      { kind: 'code', text: '\tat a.B.c(B.java:1)\n  ... 2 more' },
      { kind: 'prose', text: 'two\nthree\n' },
    ]);
    expect(splitMachineLines('')).toEqual([{ kind: 'prose', text: '' }]);
  });
});
