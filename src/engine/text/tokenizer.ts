import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { CJK_CHAR, CJK_RUN, isProlongedSoundMarks } from './cjk';
import { asciiBytes, hashBytes, scanAsciiTokens, type TokenSink } from './scan';
import { STOP_WORDS } from './stop-words';
import { TermVocabulary } from './term-counter';
import {
  asciiHasInnerUpper,
  endsWithJoiner,
  hasJoiner,
  hasNonAscii,
  isAsciiLower,
  mayBeHexish,
  mayBeIssueKey,
  mayBeVersion,
  mayEndWithLineNumber,
  mayHaveDottedNumber,
  startsWithDigit,
} from './token-shape';
import { TokenMemo } from './token-memo';

/** Longest term kept; longer runs are blobs (base64, minified code), not words. */
const MAX_TERM_LENGTH = 64;
/** Stem cache entries before the cache is cleared (bounds memory on huge inputs). */
const STEM_CACHE_LIMIT = 200_000;
/** Distinct raw tokens remembered before the memo is cleared (between documents). */
const TOKEN_CACHE_LIMIT = 400_000;
/** Characters and ids the token memo may hold before it is cleared (long tokens make few entries). */
const TOKEN_CACHE_FOOTPRINT = 1 << 24;
/** Terms one raw token makes at most; real tokens make a handful. */
const MAX_TERMS_PER_TOKEN = 63;
/** Distinct terms with ids before the vocabulary is reset (between documents). */
const VOCABULARY_LIMIT = 1_000_000;

// A URL, or a run of word characters joined by . - / : # @ (identifiers, paths, versions, keys).
const TOKEN =
  /[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`[\]{}|\\^]+|[\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*(?:[.\-/:#@][\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*)*/giu;
const PLAIN_TOKEN = /[\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*(?:[.\-/:#@][\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*)*/gu;
const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
const ISSUE_KEY = /^[a-z][a-z0-9]+-\d+$/i;
const VERSION = /^v?\d+(?:\.\d+)+(?:[-.]?[a-z][a-z0-9]*)?$/i;
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/;
// Hashes, UUIDs, object ids: unique noise that would only bloat the vocabulary.
const HEXISH = /^(?:0x)?[0-9a-f]{8,}$|^[0-9a-f]{8}-[0-9a-f]{4}-/i;
const DIGITS = /^\d+$/;
const HAS_INNER_UPPER = /.\p{Lu}/u;
const EMBEDDED_VERSION = /(?<![\d.])\d+(?:\.\d+)+(?![\d.]*\d)/g;
const IDENTIFIER_HINT = /[._/:#@$\d]|[a-z][A-Z]/;
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
// Anything beyond tab..tilde (printable ASCII and line breaks); no u flag: a code-unit test is enough and much faster.
const NON_ASCII = /[^\t-~]/;
const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Stems that trackers use interchangeably, mapped to one. Deliberately tiny: each entry
 * must mean the same in any project ("bump netty" = "upgrade netty").
 */
const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['updat', 'upgrad'],
  ['bump', 'upgrad'],
]);

export type TextKind = 'prose' | 'code';

/**
 * Normalises text for matching: well-formed UTF-16, NFKC (full-width forms, ligatures),
 * and Latin accents folded ("café" matches "cafe") while other scripts keep their marks.
 */
export function normaliseText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const wellFormed = text.replace(LONE_SURROGATE, '\uFFFD');
  return wellFormed.normalize('NFKC').normalize('NFD').replace(LATIN_WITH_MARKS, '$1').normalize('NFC');
}

/** Where term ids go: a field's counter, or the list `tokenize` builds. */
export interface TermIdSink {
  addId(id: number): void;
}

/** Term ids in order, with repeats (for `tokenize`). */
class IdList implements TermIdSink {
  readonly ids: number[] = [];

  addId(id: number): void {
    this.ids.push(id);
  }
}

/** The term ids the rules make of one token: 63 at most (real tokens make a handful). */
class TermIds implements TermIdSink {
  readonly ids: number[] = [];

  constructor(private readonly vocabulary: TermVocabulary) {}

  term(term: string): void {
    if (this.ids.length < MAX_TERMS_PER_TOKEN) this.ids.push(this.vocabulary.idOf(term));
  }

  addId(id: number): void {
    if (this.ids.length < MAX_TERMS_PER_TOKEN) this.ids.push(id);
  }
}

/**
 * The endings some step of the Porter stemmer removes or rewrites (natural's
 * porter_stemmer.js, steps 1a to 5b), each cut to the letters that tell it apart:
 * -s (1a, and -ness, -ous, -iveness), -ed and -ing (1b), -y (1c), -al, -ul, -ll (2, 3, 4,
 * 5b), -ci, -li, -gi, -ti (2, 3, 4), -er, -or (2, 4), -ion (2, 4), -ism (2, 4), -ic (4),
 * -nt (4: -ant, -ent, -ment, -ement), -ou (4) and -e (3, 4, 5a). Every step looks only at
 * the end of the word, so a lower-case word with none of these endings is its own stem
 * (about three words in ten: "hadoop", "block", "classpath", "java").
 */
const PORTER_ENDINGS = /(?:s|ed|ing|y|[alu]l|[cglt]i|[eo]r|ion|ism|ic|nt|ou|e)$/;

/** Whether the Porter stemmer may change `word` (lower-case); false means it is its own stem. */
export function porterMayChange(word: string): boolean {
  return PORTER_ENDINGS.test(word);
}

/**
 * Turns text into index terms: lower-cased, stop words dropped, English words stemmed
 * (Porter), identifiers kept whole and split into parts, CJK as character bigrams.
 * Holds a stem cache, so reuse one analyzer across many documents.
 */
export class TextAnalyzer {
  private readonly stems = new Map<string, string>();
  // Memo of raw token -> its term ids: tokens follow Zipf's law, so most are seen before
  // and the rules (and the stemmer) run once per distinct token.
  private readonly memo = new TokenMemo();
  private readonly token = new RegExp(TOKEN);
  // Tokens with characters beyond one byte (Unicode text is rare): by string, per kind.
  private readonly wideTokens = { prose: new Map<string, number[]>(), code: new Map<string, number[]>() };
  // The text, its bytes, kind and destination of the scan under way (set by `scan`; scans do not nest).
  private scanText = '';
  private scanBytes: Uint8Array = new Uint8Array(1 << 10);
  private scanKind: TextKind = 'prose';
  private scanTarget: TermIdSink = new IdList();
  private readonly sink: TokenSink = {
    token: (start, end, hash) => this.idsOf(this.scanText, this.scanBytes, start, end, hash, this.scanKind, this.scanTarget),
  };
  /** Ids of every term this analyzer produced; counters index by them. */
  readonly vocabulary = new TermVocabulary();

  /** Adds the terms of `text` to `counter` (built on this analyzer's vocabulary). */
  analyse(text: string, kind: TextKind, counter: TermIdSink): void {
    this.scan(text, kind, counter);
  }

  /** Terms of `text` in order (with repeats); never empty when `text` has a visible character. */
  tokenize(text: string, kind: TextKind = 'prose'): string[] {
    const out = this.ownTerms(text, kind);
    if (out.length === 0) out.push(...fallbackTerms(text));
    return out;
  }

  /**
   * Terms of `text` in order (with repeats), without `tokenize`'s fallback: empty for a text
   * the analyser reduces to nothing, such as a stop word alone ("us", "on").
   */
  ownTerms(text: string, kind: TextKind = 'prose'): string[] {
    const list = new IdList();
    this.scan(text, kind, list);
    const terms = this.vocabulary.terms;
    return list.ids.map((id) => terms[id] ?? '');
  }

  /**
   * Forgets every cached token and term id when the caches have grown past their limits.
   * Call only between documents: ids handed out before are invalid afterwards.
   */
  trimCaches(): void {
    const memo = this.memo;
    const tokens = memo.size + this.wideTokens.prose.size + this.wideTokens.code.size;
    if (this.vocabulary.size > VOCABULARY_LIMIT || tokens > TOKEN_CACHE_LIMIT || memo.footprint > TOKEN_CACHE_FOOTPRINT) {
      memo.clear();
      this.wideTokens.prose.clear();
      this.wideTokens.code.clear();
      this.vocabulary.clear();
    }
    if (this.stems.size > STEM_CACHE_LIMIT) this.stems.clear();
  }

  /** Raw tokens of `text` after normalisation: a byte scan for ASCII, the Unicode expression otherwise. */
  private scan(text: string, kind: TextKind, target: TermIdSink): void {
    this.scanKind = kind;
    this.scanTarget = target;
    if (!NON_ASCII.test(text)) {
      const bytes = asciiBytes(text, this.scanBytes);
      this.scanBytes = bytes;
      this.scanText = text;
      scanAsciiTokens(bytes, text.length, this.sink);
      this.scanText = '';
      return;
    }
    const normalised = normaliseText(text);
    const token = this.token;
    token.lastIndex = 0;
    for (let m = token.exec(normalised); m !== null; m = token.exec(normalised)) this.idsOfToken(m[0], kind, target);
  }

  /** Adds the term ids of the raw token `raw` to `target`, through the memo that suits it. */
  private idsOfToken(raw: string, kind: TextKind, target: TermIdSink): void {
    const bytes = latin1Bytes(raw);
    if (bytes !== null) {
      this.idsOf(raw, bytes, 0, raw.length, hashBytes(bytes, 0, raw.length), kind, target);
      return;
    }
    const wide = this.wideTokens[kind];
    let ids = wide.get(raw);
    if (ids === undefined) {
      const found = new TermIds(this.vocabulary);
      this.complexToken(raw, kind, found);
      ids = found.ids;
      wide.set(raw, ids);
    }
    for (const id of ids) target.addId(id);
  }

  /**
   * Adds the term ids of the token at `start` .. `end` of `text` to `target`: from the
   * memo, else by the rules, then memoised. `bytes` holds the token's characters at the
   * same offsets (each below 256) and `hash` is `hashBytes` of them.
   */
  private idsOf(text: string, bytes: Uint8Array, start: number, end: number, hash: number, kind: TextKind, target: TermIdSink): void {
    const memo = this.memo;
    const kindBit = kind === 'code' ? 1 : 0;
    const e = memo.find(bytes, start, end, hash, kindBit);
    if (e >= 0) {
      const ids = memo.ids;
      const from = memo.idStartOf(e);
      const to = from + memo.idCountOf(e);
      for (let i = from; i < to; i++) target.addId(ids[i] ?? 0);
      return;
    }
    const found = new TermIds(this.vocabulary);
    this.complexToken(text.slice(start, end), kind, found);
    memo.add(bytes, start, end, hash, kindBit, found.ids);
    for (const id of found.ids) target.addId(id);
  }

  /** The stemmed form of one lower-case word, or the word itself when it is not plain English. */
  stem(word: string): string {
    if (word.length < 3 || !isAsciiLower(word)) return word;
    let stemmed = this.stems.get(word);
    if (stemmed === undefined) {
      stemmed = porterMayChange(word) ? PorterStemmer.stem(word) : word;
      if (stemmed.length === 0) stemmed = word;
      this.stems.set(word, stemmed);
    }
    return stemmed;
  }

  private complexToken(raw: string, kind: TextKind, out: TermIds): void {
    // Most tokens are plain lower-case words: skip every other rule for them.
    if (isAsciiLower(raw)) {
      if (raw.length <= MAX_TERM_LENGTH) this.plainWord(raw, kind, out);
      return;
    }
    let token = raw;
    const url = raw.includes('://') ? URL_PREFIX.exec(token) : null;
    if (url) {
      // The scheme and host are boilerplate shared by every link to the same site; the path is the content.
      // Path segments one by one: "browse/CVE-2022-2047" names the CVE, not a path.
      for (const segment of token.slice(url[0].length).split(/[/?#&=]+/)) {
        for (const m of segment.matchAll(PLAIN_TOKEN)) this.complexToken(m[0], kind, out);
      }
      return;
    }
    // Trailing joiners, and the ":123" line number of "Foo.java:123" (it varies between reports of one bug).
    if (endsWithJoiner(token)) token = token.replace(/[.\-/:#@]+$/, '');
    if (mayEndWithLineNumber(token)) token = token.replace(/:\d+$/, '');
    if (token.length === 0 || isHexish(token) || (startsWithDigit(token) && IP_ADDRESS.test(token))) return;
    if (mayBeIssueKey(token) && ISSUE_KEY.test(token)) {
      const lower = token.toLowerCase();
      out.term(lower);
      out.term(lower.slice(0, lower.indexOf('-')));
      return;
    }
    if (mayBeVersion(token) && VERSION.test(token)) {
      this.version(token, out);
      return;
    }
    const parts = hasJoiner(token) ? partRanges(token) : [0, token.length];
    const count = parts.length / 2;
    if (count <= 1) {
      if (count === 1) this.word(token.slice(parts[0], parts[1]), kind, out);
      return;
    }
    if (IDENTIFIER_HINT.test(token) && token.length <= MAX_TERM_LENGTH) {
      const whole = token.toLowerCase();
      if (!STOP_WORDS.has(whole)) out.term(whole);
    }
    // A number inside a name ("CVE-2022-42889", "bundle-2.23.19") says nothing alone; the whole name carries it.
    // Each part is a token of its own to the rules (without joiners, `complexToken` is `word`), so it
    // comes from the memo: the parts of names recur far more than the names do.
    const bytes = latin1Bytes(token);
    for (let p = 0; p < parts.length; p += 2) {
      const start = parts[p] ?? 0;
      const end = parts[p + 1] ?? 0;
      if (isDigitRange(token, start, end)) continue;
      if (bytes === null) this.word(token.slice(start, end), kind, out);
      else this.idsOf(token, bytes, start, end, hashBytes(bytes, start, end), kind, out);
    }
    // Versions inside artifact names: "protobuf-java-2.5.0.jar" also says "2.5.0" and "2.5".
    if (count > 2 && mayHaveDottedNumber(token)) {
      for (const v of token.matchAll(EMBEDDED_VERSION)) this.version(v[0], out);
    }
  }

  private version(token: string, out: TermIds): void {
    // The release line ("3.8" of "3.8.2") too: reports of one upgrade rarely name the same patch level.
    const lower = token.toLowerCase().replace(/^v/, '');
    out.term(lower);
    const line = /^\d+\.\d+/.exec(lower)?.[0];
    if (line !== undefined && line !== lower) out.term(line);
  }

  private word(raw: string, kind: TextKind, out: TermIds): void {
    if (raw.length > MAX_TERM_LENGTH) return;
    if (isAsciiLower(raw)) {
      this.plainWord(raw, kind, out);
      return;
    }
    const ascii = !hasNonAscii(raw);
    // Prolonged sound marks (ー) with no kana or Han before them lengthen nothing (see cjk.ts).
    if (!ascii && isProlongedSoundMarks(raw)) return;
    if (!ascii && CJK_CHAR.test(raw)) {
      // Runs of CJK characters, each with the prolonged sound marks inside it ("サーバー").
      for (const piece of raw.split(CJK_RUN)) {
        if (piece.length === 0 || isProlongedSoundMarks(piece)) continue;
        if (CJK_CHAR.test(piece)) emitCjk(piece, out);
        else this.word(piece, kind, out);
      }
      return;
    }
    if (isDigits(raw)) {
      // Line numbers, ports and counters in machine text are noise. In prose a short number
      // can be an error code ("503") or a version ("Centos 7" is not "Centos 8"); a common
      // one ("1", "2") weighs little by its IDF.
      if (kind === 'prose' && raw.length <= 6) out.term(raw);
      return;
    }
    if (isHexish(raw)) return;
    const snake = raw.includes('_') ? raw.split(/_+/).filter((p) => p.length > 0) : [raw];
    const innerUpper = ascii ? asciiHasInnerUpper(raw) : HAS_INNER_UPPER.test(raw);
    const pieces = innerUpper ? snake.flatMap((p) => p.split(CAMEL_BOUNDARY)) : snake;
    if (pieces.length > 1) {
      // An identifier: keep it whole (exact matches are strong evidence) and its words.
      // Stemmed like a plain word when it is one ("ZooKeeper" must meet "Zookeeper").
      const whole = raw.toLowerCase().replace(/^_+|_+$/g, '');
      out.term(isAsciiLower(whole) ? this.stem(whole) : whole);
      for (const piece of pieces) this.plainWord(piece.toLowerCase(), kind, out);
      // Its initials: people write "ABFS" for AzureBlobFileSystem and "NPE" for NullPointerException.
      if (pieces.every((p) => /^\p{L}/u.test(p))) {
        const initials = pieces.map((p) => p.charAt(0)).join('').toLowerCase();
        if (initials.length >= 3) this.plainWord(initials, kind, out);
      }
      return;
    }
    this.plainWord(raw.toLowerCase(), kind, out);
  }

  private plainWord(lower: string, kind: TextKind, out: TermIds): void {
    if (lower.length < 2 || STOP_WORDS.has(lower)) return;
    if (isDigits(lower)) {
      if (kind === 'prose' && lower.length <= 6) out.term(lower);
      return;
    }
    const stem = this.stem(lower);
    out.term(SYNONYMS.get(stem) ?? stem);
  }
}

/** The characters of `s` as bytes, or null when one is beyond 255 (the memo keys bytes). */
function latin1Bytes(s: string): Uint8Array | null {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return null;
    bytes[i] = c;
  }
  return bytes;
}

/** The runs between joiners of a joined name ("org.apache.Foo"), as start, end pairs. */
function partRanges(token: string): number[] {
  const ranges: number[] = [];
  let start = -1;
  for (let i = 0; i < token.length; i++) {
    if (isJoinerChar(token.charCodeAt(i))) {
      if (start >= 0) ranges.push(start, i);
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) ranges.push(start, token.length);
  return ranges;
}

function isJoinerChar(c: number): boolean {
  // . - / : # @
  return c === 46 || c === 45 || c === 47 || c === 58 || c === 35 || c === 64;
}

/** Exactly `/^\d+$/` on `s.slice(start, end)`. */
function isDigitRange(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isDigits(s: string): boolean {
  return startsWithDigit(s) && DIGITS.test(s);
}

function isHexish(s: string): boolean {
  return mayBeHexish(s) && HEXISH.test(s);
}

function emitCjk(run: string, out: TermIds): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.term(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.term((chars[i] ?? '') + (chars[i + 1] ?? ''));
}

/**
 * Terms for text the analyser reduced to nothing ("the", "!!!", "🔥🔥"): lower-cased
 * words without the stop list, else the visible chunks themselves. Such a text still
 * matches an identical one.
 */
export function fallbackTerms(text: string): string[] {
  const normalised = normaliseText(text).toLowerCase();
  const words = normalised.match(/[\p{L}\p{N}]+/gu);
  if (words && words.length > 0) return words.slice(0, 64).map((w) => w.slice(0, MAX_TERM_LENGTH));
  const chunks = normalised.split(/\s+/).filter((c) => c.length > 0);
  return chunks.slice(0, 64).map((c) => Array.from(c).slice(0, 16).join(''));
}
