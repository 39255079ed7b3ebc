import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { forEachAsciiToken } from './scan';
import { STOP_WORDS } from './stop-words';
import { TermVocabulary, type TermCounter } from './term-counter';

/** Longest term kept; longer runs are blobs (base64, minified code), not words. */
const MAX_TERM_LENGTH = 64;
/** Stem cache entries before the cache is cleared (bounds memory on huge inputs). */
const STEM_CACHE_LIMIT = 200_000;
/** Distinct raw tokens remembered before the memo is cleared (between documents). */
const TOKEN_CACHE_LIMIT = 400_000;
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
const ASCII_LOWER = /^[a-z]+$/;
const JOINERS = /[.\-/:#@]+/;
const IDENTIFIER_HINT = /[._/:#@$\d]|[a-z][A-Z]/;
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
const CJK_RUN = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)/u;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
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

/**
 * Turns text into index terms: lower-cased, stop words dropped, English words stemmed
 * (Porter), identifiers kept whole and split into parts, CJK as character bigrams.
 * Holds a stem cache, so reuse one analyzer across many documents.
 */
export class TextAnalyzer {
  private readonly stems = new Map<string, string>();
  // Memo of raw token -> its term ids, stored as (offset * 64 + length) into one pool of
  // ids, so a cached token costs a map entry and no object of its own.
  private readonly proseTokens = new Map<string, number>();
  private readonly codeTokens = new Map<string, number>();
  private pool = new Int32Array(1 << 16);
  private poolSize = 0;
  private readonly token = new RegExp(TOKEN);
  /** Ids of every term this analyzer produced; counters index by them. */
  readonly vocabulary = new TermVocabulary();

  /** Adds the terms of `text` to `counter` (built on this analyzer's vocabulary). */
  analyse(text: string, kind: TextKind, counter: TermCounter): void {
    this.forEachToken(text, (raw) => {
      const ref = this.termIdsOf(raw, kind);
      const start = Math.floor(ref / 64);
      const end = start + (ref % 64);
      const pool = this.pool;
      for (let i = start; i < end; i++) counter.addId(pool[i] ?? 0);
    });
  }

  /** Terms of `text` in order (with repeats); never empty when `text` has a visible character. */
  tokenize(text: string, kind: TextKind = 'prose'): string[] {
    const out: string[] = [];
    const terms = this.vocabulary.terms;
    this.forEachToken(text, (raw) => {
      const ref = this.termIdsOf(raw, kind);
      const start = Math.floor(ref / 64);
      for (let i = start; i < start + (ref % 64); i++) out.push(terms[this.pool[i] ?? 0] ?? '');
    });
    if (out.length === 0) out.push(...fallbackTerms(text));
    return out;
  }

  /**
   * Forgets every cached token and term id when the caches have grown past their limits.
   * Call only between documents: ids handed out before are invalid afterwards.
   */
  trimCaches(): void {
    if (this.vocabulary.size > VOCABULARY_LIMIT || this.proseTokens.size + this.codeTokens.size > TOKEN_CACHE_LIMIT) {
      this.proseTokens.clear();
      this.codeTokens.clear();
      this.vocabulary.clear();
      this.poolSize = 0;
    }
    if (this.stems.size > STEM_CACHE_LIMIT) this.stems.clear();
  }

  /** Raw tokens of `text` after normalisation: a char-code scan for ASCII, the Unicode expression otherwise. */
  private forEachToken(text: string, fn: (raw: string) => void): void {
    if (!NON_ASCII.test(text)) {
      forEachAsciiToken(text, fn);
      return;
    }
    const normalised = normaliseText(text);
    const token = this.token;
    token.lastIndex = 0;
    for (let m = token.exec(normalised); m !== null; m = token.exec(normalised)) fn(m[0]);
  }

  /**
   * The term ids of one raw token, memoised: tokens follow Zipf's law, so most are seen
   * before and the rules (and the stemmer) run once per distinct token.
   */
  private termIdsOf(raw: string, kind: TextKind): number {
    const cache = kind === 'code' ? this.codeTokens : this.proseTokens;
    let ref = cache.get(raw);
    if (ref === undefined) {
      const ids: number[] = [];
      this.complexToken(raw, kind, (t) => {
        // 63 terms a token at most (the reference packs the length in 6 bits); real tokens make a handful.
        if (ids.length < 63) ids.push(this.vocabulary.idOf(t));
      });
      if (this.poolSize + ids.length > this.pool.length) {
        const bigger = new Int32Array(this.pool.length * 2);
        bigger.set(this.pool);
        this.pool = bigger;
      }
      this.pool.set(ids, this.poolSize);
      ref = this.poolSize * 64 + ids.length;
      this.poolSize += ids.length;
      cache.set(raw, ref);
    }
    return ref;
  }

  /** The stemmed form of one lower-case word, or the word itself when it is not plain English. */
  stem(word: string): string {
    if (!ASCII_LOWER.test(word) || word.length < 3) return word;
    let stemmed = this.stems.get(word);
    if (stemmed === undefined) {
      stemmed = PorterStemmer.stem(word);
      if (stemmed.length === 0) stemmed = word;
      this.stems.set(word, stemmed);
    }
    return stemmed;
  }

  private complexToken(raw: string, kind: TextKind, emit: (t: string) => void): void {
    // Most tokens are plain lower-case words: skip every other rule for them.
    if (ASCII_LOWER.test(raw)) {
      if (raw.length <= MAX_TERM_LENGTH) this.plainWord(raw, kind, emit);
      return;
    }
    let token = raw;
    const url = raw.includes('://') ? URL_PREFIX.exec(token) : null;
    if (url) {
      // The scheme and host are boilerplate shared by every link to the same site; the path is the content.
      // Path segments one by one: "browse/CVE-2022-2047" names the CVE, not a path.
      for (const segment of token.slice(url[0].length).split(/[/?#&=]+/)) {
        for (const m of segment.matchAll(PLAIN_TOKEN)) this.complexToken(m[0], kind, emit);
      }
      return;
    }
    // Trailing joiners, and the ":123" line number of "Foo.java:123" (it varies between reports of one bug).
    token = token.replace(/[.\-/:#@]+$/, '').replace(/:\d+$/, '');
    if (token.length === 0 || HEXISH.test(token) || IP_ADDRESS.test(token)) return;
    if (ISSUE_KEY.test(token)) {
      const lower = token.toLowerCase();
      emit(lower);
      emit(lower.slice(0, lower.indexOf('-')));
      return;
    }
    if (VERSION.test(token)) {
      this.version(token, emit);
      return;
    }
    const parts = token.split(JOINERS).filter((p) => p.length > 0);
    if (parts.length > 1 && IDENTIFIER_HINT.test(token) && token.length <= MAX_TERM_LENGTH) {
      const whole = token.toLowerCase();
      if (!STOP_WORDS.has(whole)) emit(whole);
    }
    // A number inside a name ("CVE-2022-42889", "bundle-2.23.19") says nothing alone; the whole name carries it.
    for (const part of parts) {
      if (parts.length === 1 || !DIGITS.test(part)) this.word(part, kind, emit);
    }
    // Versions inside artifact names: "protobuf-java-2.5.0.jar" also says "2.5.0" and "2.5".
    if (parts.length > 2) {
      for (const v of token.matchAll(EMBEDDED_VERSION)) this.version(v[0], emit);
    }
  }

  private version(token: string, emit: (t: string) => void): void {
    // The release line ("3.8" of "3.8.2") too: reports of one upgrade rarely name the same patch level.
    const lower = token.toLowerCase().replace(/^v/, '');
    emit(lower);
    const line = /^\d+\.\d+/.exec(lower)?.[0];
    if (line !== undefined && line !== lower) emit(line);
  }

  private word(raw: string, kind: TextKind, emit: (t: string) => void): void {
    if (raw.length > MAX_TERM_LENGTH) return;
    if (ASCII_LOWER.test(raw)) {
      this.plainWord(raw, kind, emit);
      return;
    }
    if (NON_ASCII.test(raw) && CJK_CHAR.test(raw)) {
      for (const piece of raw.split(CJK_RUN)) {
        if (piece.length === 0) continue;
        if (CJK_CHAR.test(piece)) emitCjk(piece, emit);
        else this.word(piece, kind, emit);
      }
      return;
    }
    if (DIGITS.test(raw)) {
      // Line numbers, ports and counters in machine text are noise; in prose a short number can be an error code.
      if (kind === 'prose' && raw.length >= 2 && raw.length <= 6) emit(raw);
      return;
    }
    if (HEXISH.test(raw)) return;
    const snake = raw.includes('_') ? raw.split(/_+/).filter((p) => p.length > 0) : [raw];
    const pieces = HAS_INNER_UPPER.test(raw) ? snake.flatMap((p) => p.split(CAMEL_BOUNDARY)) : snake;
    if (pieces.length > 1) {
      // An identifier: keep it whole (exact matches are strong evidence) and its words.
      // Stemmed like a plain word when it is one ("ZooKeeper" must meet "Zookeeper").
      const whole = raw.toLowerCase().replace(/^_+|_+$/g, '');
      emit(ASCII_LOWER.test(whole) ? this.stem(whole) : whole);
      for (const piece of pieces) this.plainWord(piece.toLowerCase(), kind, emit);
      // Its initials: people write "ABFS" for AzureBlobFileSystem and "NPE" for NullPointerException.
      if (pieces.every((p) => /^\p{L}/u.test(p))) {
        const initials = pieces.map((p) => p.charAt(0)).join('').toLowerCase();
        if (initials.length >= 3) this.plainWord(initials, kind, emit);
      }
      return;
    }
    this.plainWord(raw.toLowerCase(), kind, emit);
  }

  private plainWord(lower: string, kind: TextKind, emit: (t: string) => void): void {
    if (lower.length < 2 || STOP_WORDS.has(lower)) return;
    if (DIGITS.test(lower)) {
      if (kind === 'prose' && lower.length <= 6) emit(lower);
      return;
    }
    const stem = this.stem(lower);
    emit(SYNONYMS.get(stem) ?? stem);
  }
}

function emitCjk(run: string, emit: (t: string) => void): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    emit(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) emit((chars[i] ?? '') + (chars[i + 1] ?? ''));
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
