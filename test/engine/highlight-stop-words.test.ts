/**
 * The highlighter marks the words two issues share. A stop word is no index term, yet
 * `tokenize` gives a stop word alone its fallback term ("us" → "us"), which can be the stem of
 * a shared word ("used" → "us", "one" → "on"): every "us", "on" or "at" of the text was then
 * marked as shared (seen in Compare and the issue panel: "one item on sale").
 */
import { highlight, surfaceForms } from '../../src/engine';

const marked = (text: string, terms: string[]): string[] => highlight(text, terms).filter((s) => s.match).map((s) => s.text);

describe('highlight and stop words', () => {
  it('marks the shared words whose stems are those of stop words ("used", "one")', () => {
    // The part that works today: the words themselves are marked.
    expect(marked('The app was used with one device', ['us', 'on'])).toEqual(['used', 'one']);
  });

  it('leaves a stop word unmarked when a shared word stems to it ("us" for "used", "on" for "one", "at" for "ate")', () => {
    expect(marked('Contact us if the app is used on one device', ['us', 'on'])).toEqual(['used', 'one']);
    expect(marked('The parser ate the input at startup', ['at'])).toEqual(['ate']);
  });

  it('still marks the words of a text of stop words only, which the engine indexes by those very words', () => {
    // A summary such as "It is not on" has no index term of its own: its field holds the fallback terms.
    expect(marked('It is not on', ['on', 'not'])).toEqual(['not', 'on']);
    expect(marked('Works on my machine', ['on'])).toEqual([]);
  });

  it('names a shared stem by the word that gives it, not by a stop word written earlier ("Shared words": "one", not "on")', () => {
    expect(surfaceForms('Put it on one device and let us know', ['on', 'us'])).toEqual(new Map([['on', 'one']]));
    expect(surfaceForms('Contact us: the app is used on one device', ['us', 'on'])).toEqual(new Map([['us', 'used'], ['on', 'one']]));
  });
});
