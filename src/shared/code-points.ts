/**
 * The first `max` characters of `text`, counted as code points rather than UTF-16 units: a
 * cut with `slice` can fall between the two halves of an emoji or another character outside
 * the Basic Multilingual Plane, and the lone half is stored as U+FFFD. Code points are also
 * what MariaDB's VARCHAR(n) counts, so the result fits a column of `max`.
 */
export function clipCodePoints(text: string, max: number): string {
  // At most `max` units is at most `max` code points: nothing to cut.
  if (text.length <= max) return text;
  let end = 0;
  for (let n = 0; n < max && end < text.length; n++) {
    const unit = text.charCodeAt(end);
    const next = text.charCodeAt(end + 1);
    // A high surrogate followed by a low one is one code point of two units.
    end += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, end);
}
