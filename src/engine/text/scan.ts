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

/** Calls `fn` with every raw token of an ASCII `text`, in order. */
export function forEachAsciiToken(text: string, fn: (token: string) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isWord(c)) {
      i++;
      continue;
    }
    if (isLetter(c)) {
      let k = i + 1;
      while (k < n && isSchemeChar(text.charCodeAt(k))) k++;
      if (k + 3 < n && text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 47 && text.charCodeAt(k + 2) === 47 && isUrlChar(text.charCodeAt(k + 3))) {
        let j = k + 4;
        while (j < n && isUrlChar(text.charCodeAt(j))) j++;
        fn(text.slice(i, j));
        i = j;
        continue;
      }
    }
    let j = i + 1;
    for (;;) {
      while (j < n && isWord(text.charCodeAt(j))) j++;
      if (j + 1 < n && isJoiner(text.charCodeAt(j)) && isWord(text.charCodeAt(j + 1))) {
        j += 2;
        continue;
      }
      break;
    }
    fn(text.slice(i, j));
    i = j;
  }
}
