import fc from 'fast-check';
import { withoutControlCharacters, withoutControlCharactersIn } from '../../src/import/control-text';

/** Control characters but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- what the tests look for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe('withoutControlCharacters', () => {
  it.each<[string, string, string]>([
    ['colour codes around a word', '\u001b[31mERROR\u001b[0m: disk full', 'ERROR: disk full'],
    ['bold and colour with several parameters', '\u001b[1;33;40mwarn\u001b[m done', 'warn done'],
    ['the 8-bit control sequence introducer', 'build \u009b32mpassed\u009b0m', 'build passed'],
    ['a window title ended by BEL', 'Login \u001b]0;owned\u0007fails', 'Login fails'],
    ['a hyperlink ended by ST', 'see \u001b]8;;https://example.com\u001b\\the log\u001b]8;;\u001b\\ here', 'see the log here'],
    ['a character set and a reset, as tput writes them', '\u001b(B\u001b[mplain\u001bc text', 'plain text'],
    ['a cursor move', 'progress\u001b[2K\u001b[1G 100%', 'progress 100%'],
    ['a lone ESC at the end', 'cut off\u001b', 'cut off'],
    ['a title never ended: to the end of its line only', 'first \u001b]2;title\nsecond line', 'first \nsecond line'],
    ['other controls, as spaces', 'bell\u0007here\u0000and\u007fthere\u0085too', 'bell here and there too'],
    ['an 8-bit string introducer, as a space, not the rest of the line', 'a\u009db c', 'a b c'],
  ])('removes %s', (name, text, expected) => {
    expect(withoutControlCharacters(text)).toBe(expected);
  });

  it('keeps tabs and line breaks, which are whitespace the analyzer reads', () => {
    const text = 'Steps:\r\n\t1. open\n{code}\nat Foo.bar(Foo.java:1)\n{code}';
    expect(withoutControlCharacters(text)).toBe(text);
  });

  it('leaves text without control characters as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!CONTROL.test(s));
        expect(withoutControlCharacters(s)).toBe(s);
      }),
    );
  });

  it('leaves no control character but tab and line breaks, whatever the text', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('\u001b', '\u001b[', '\u001b]', '\u009b', '\u009d', '\u0007', '\u001b\\', '31m', ';', '\n', '\t', '\r', '\u0000', '\u0085', '\u007f'),
    );
    fc.assert(
      fc.property(fc.array(piece), (pieces) => {
        expect(withoutControlCharacters(pieces.join(''))).not.toMatch(CONTROL);
      }),
    );
  });

  it('cleans the strings of an ADF document, in a copy', () => {
    const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '\u001b[31mred\u001b[0m text' }] }] };
    expect(withoutControlCharactersIn(doc)).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'red text' }] }] });
    expect(doc.content[0]?.content[0]?.text).toBe('\u001b[31mred\u001b[0m text');
    expect(withoutControlCharactersIn(null)).toBeNull();
  });
});
