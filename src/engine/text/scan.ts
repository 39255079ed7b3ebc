/**
 * A character-code scanner that splits ASCII text into the same raw tokens as the
 * tokenizer's TOKEN expression (URLs, and word runs joined by . - / : # @), without a
 * regular-expression match object per token. Text with any non-ASCII character goes
 * through the expression instead (Unicode classes).
 *
 * The scanner reads the text as bytes (ASCII text encodes one byte a character, and a
 * typed array reads much faster than `charCodeAt`) and hands out each token as a range
 * plus a hash of its characters, so a caller that memoises tokens never needs to slice
 * the string for one it has seen.
 */

/** Receives the tokens of a scan, in order. */
export interface TokenSink {
  /** The token at `start` .. `end` of the scanned bytes; `hash` is `hashBytes` of them. */
  token(start: number, end: number, hash: number): void;
}

// Character classes, as bits of one table lookup per character.
const WORD = 1; // 0-9, A-Z, a-z, _ and $
const LETTER = 2; // A-Z, a-z
const JOINER = 4; // . - / : # @
const SCHEME = 8; // what a URL scheme is made of: letters, digits, + . -
const URL = 16; // anything but whitespace, controls and < > " ' ` [ ] { } | \ ^
/** Word and joiner characters that cannot be part of a URL scheme. */
const NOT_SCHEME = 32; // _ $ / : # @

const CLASSES = buildClasses();

function buildClasses(): Uint8Array {
  const table = new Uint8Array(256);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    const digit = c >= 48 && c <= 57;
    let bits = 0;
    if (letter || digit || c === 95 || c === 36) bits |= WORD;
    if (letter) bits |= LETTER;
    if ('.-/:#@'.includes(String.fromCharCode(c))) bits |= JOINER;
    if (letter || digit || c === 43 || c === 46 || c === 45) bits |= SCHEME;
    if (c > 32 && c !== 127 && !'<>"\'`[]{}|\\^'.includes(String.fromCharCode(c))) bits |= URL;
    if ('_$/:#@'.includes(String.fromCharCode(c))) bits |= NOT_SCHEME;
    table[c] = bits;
  }
  return table;
}

function classOf(c: number): number {
  return CLASSES[c] ?? 0;
}

/** Starting value of `hashStep` (FNV-1a offset basis). */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One character into a running hash (FNV-1a); the scanner and `hashChars` must agree. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** The hash the scanner reports for the token at `start` .. `end` of `bytes`. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashStep(h, bytes[i] ?? 0);
  return h;
}

const encoder = new TextEncoder();

/**
 * `text` (ASCII: tab to tilde and line breaks) as bytes, in `buffer` when it is big enough
 * (else in a new array); the first `text.length` bytes are the text.
 */
export function asciiBytes(text: string, buffer: Uint8Array): Uint8Array {
  const bytes = buffer.length >= text.length ? buffer : new Uint8Array(Math.max(text.length, buffer.length * 2));
  encoder.encodeInto(text, bytes);
  return bytes;
}

/** Reports every raw token of the first `n` bytes of an ASCII text to `sink`, in order. */
export function scanAsciiTokens(text: Uint8Array, n: number, sink: TokenSink): void {
  let i = 0;
  while (i < n) {
    const first = text[i] ?? 0;
    const firstClass = classOf(first);
    if ((firstClass & WORD) === 0) {
      i++;
      continue;
    }
    // A word run joined by single joiners: "org.apache.Foo", "HDFS-123", "a/b:c".
    let h = hashStep(HASH_SEED, first);
    let seen = firstClass;
    let j = i + 1;
    for (;;) {
      while (j < n) {
        const c = text[j] ?? 0;
        const cls = classOf(c);
        if ((cls & WORD) === 0) break;
        h = hashStep(h, c);
        seen |= cls;
        j++;
      }
      if (j + 1 < n) {
        const c = text[j] ?? 0;
        const cls = classOf(c);
        if ((cls & JOINER) !== 0 && (classOf(text[j + 1] ?? 0) & WORD) !== 0) {
          h = hashStep(h, c);
          seen |= cls;
          j++;
          continue;
        }
      }
      break;
    }
    // A URL starts like a word made of scheme characters; only then can its scheme reach "://".
    if ((firstClass & LETTER) !== 0 && (seen & NOT_SCHEME) === 0 && j < n && (classOf(text[j] ?? 0) & (SCHEME | JOINER)) !== 0) {
      const end = urlEnd(text, n, j);
      if (end > 0) {
        sink.token(i, end, hashBytes(text, i, end));
        i = end;
        continue;
      }
    }
    sink.token(i, j, h);
    i = j;
  }
}

/**
 * Where the URL ends whose scheme began before `from` (every character before it
 * being a scheme character), or -1 when the scheme run is not followed by "://" and a
 * URL character.
 */
function urlEnd(text: Uint8Array, n: number, from: number): number {
  let k = from;
  while (k < n && (classOf(text[k] ?? 0) & SCHEME) !== 0) k++;
  if (!(k + 3 < n && text[k] === 58 && text[k + 1] === 47 && text[k + 2] === 47)) return -1;
  if ((classOf(text[k + 3] ?? 0) & URL) === 0) return -1;
  let j = k + 4;
  while (j < n && (classOf(text[j] ?? 0) & URL) !== 0) j++;
  return j;
}

/** Calls `fn` with every raw token of an ASCII `text`, in order. */
export function forEachAsciiToken(text: string, fn: (token: string) => void): void {
  const bytes = asciiBytes(text, new Uint8Array(text.length));
  scanAsciiTokens(bytes, text.length, { token: (start, end) => fn(text.slice(start, end)) });
}
