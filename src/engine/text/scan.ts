/**
 * A character-code scanner that splits ASCII text into the same raw tokens as the
 * tokenizer's TOKEN expression (URLs, and word runs joined by . - / : # @), without a
 * regular-expression match object per token. Text with any non-ASCII character goes
 * through the expression instead (Unicode classes).
 */

function isWord(c: number): boolean {
  // 0-9, A-Z, a-z, _ and $
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isJoiner(c: number): boolean {
  // . - / : # @
  return c === 46 || c === 45 || c === 47 || c === 58 || c === 35 || c === 64;
}

function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
}

/** Characters a URL runs over: anything but whitespace and < > " ' ` [ ] { } | \ ^. */
function isUrlChar(c: number): boolean {
  if (c <= 32 || c === 127) return false;
  return !(c === 60 || c === 62 || c === 34 || c === 39 || c === 96 || c === 91 || c === 93 || c === 123 || c === 125 || c === 124 || c === 92 || c === 94);
}

const WORD = 1;
const SCHEME = 2;
const JOINER = 4;
/** Character classes of the ASCII codes (as the functions above), for a one-load test per character. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) CLASS[c] = (isWord(c) ? WORD : 0) | (isSchemeChar(c) ? SCHEME : 0) | (isJoiner(c) ? JOINER : 0);

function classOf(c: number): number {
  return c < 128 ? (CLASS[c] as number) : 0;
}

/** Calls `fn` with every raw token of an ASCII `text`, in order. */
export function forEachAsciiToken(text: string, fn: (token: string) => void): void {
  forEachAsciiSpan(text, (start, end) => fn(text.slice(start, end)));
}

/** Calls `fn` with the bounds [start, end) of every raw token of an ASCII `text`, in order. */
export function forEachAsciiSpan(text: string, fn: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if ((classOf(c) & WORD) === 0) {
      i++;
      continue;
    }
    if (isLetter(c)) {
      let k = i + 1;
      while (k < n && (classOf(text.charCodeAt(k)) & SCHEME) !== 0) k++;
      if (k + 3 < n && text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 47 && text.charCodeAt(k + 2) === 47 && isUrlChar(text.charCodeAt(k + 3))) {
        let j = k + 4;
        while (j < n && isUrlChar(text.charCodeAt(j))) j++;
        fn(i, j);
        i = j;
        continue;
      }
    }
    let j = i + 1;
    for (;;) {
      while (j < n && (classOf(text.charCodeAt(j)) & WORD) !== 0) j++;
      if (j + 1 < n && (classOf(text.charCodeAt(j)) & JOINER) !== 0 && (classOf(text.charCodeAt(j + 1)) & WORD) !== 0) {
        j += 2;
        continue;
      }
      break;
    }
    fn(i, j);
    i = j;
  }
}
