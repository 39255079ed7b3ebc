/**
 * `surfaceForms` for many lookups in the same texts, as `npm run analyze` makes them: the
 * words each of hundreds of thousands of pairs shares, looked up in its two issues'
 * summaries and descriptions, each issue being in many pairs. `surfaceForms` reads the whole
 * text on each call (and analyses every word of it); on a 20,000-issue backlog that was
 * nearly all of analyze's time (docs/engine.md, "analyze --out").
 *
 * Here a text is read once, on its first lookup: its distinct words in the order they first
 * come, and for each term the words that may give it (every term a piece of the word is
 * analysed into). A lookup reads only the words that may give a term not found yet, in the
 * text's order, through the code `surfaceForms` runs on every word (`wordSpans`). That
 * gives what `surfaceForms` gives, the same entries in the same order: a word's spans
 * depend on the word alone, a word repeated gives nothing its first use did not, and a word
 * that may give no wanted term gives no span. What a word gives depends on the wanted terms
 * only through those it may give, so it is remembered by them.
 */
import { COMPLEX, wordSpans, type Span, type Terms } from './highlight';
import { CJK_CHAR } from './text/cjk';
import { fallbackTerms, TextAnalyzer } from './text/tokenizer';

/** What `SurfaceForms` analyses words with: a `TextAnalyzer`, or the `TermExtractor` that indexed the texts. */
export interface TermAnalyzer {
  ownTerms(text: string): string[];
  /** Forgets cached words when the caches have grown past their limits; called between texts. */
  trimCaches(): void;
}

const NOTHING: ReadonlySet<string> = new Set();
/** Text the tokenizer scans as bytes (tab to tilde): its tokens are the matches of COMPLEX, URLs aside. */
const BYTE_SCANNED = /^[\t-~]*$/;
/** Pieces whose own terms are remembered before all are forgotten. */
const PIECE_CACHE = 200_000;
/** Words whose terms are remembered (across texts) before all are forgotten. */
const WORD_CACHE = 200_000;
/** Terms a word may give for what it gives to be remembered by a bit mask of them. */
const MASK_TERMS = 30;
/** A (term id, word index) pair is kept as term id × 2^32 + word index: sorted, by term, then word. */
const WORD_SLOTS = 2 ** 32;
/** 32-bit words of a text's term mask (1,024 bits, a power of two): most terms a text lacks are told at once. */
const MASK_WORDS = 32;

/** One distinct word of the texts read. */
interface Word {
  text: string;
  /** Ids of every term a piece of the word is analysed into. */
  mayGive: number[];
  /** Id of the word's first term, which names it in the whole-identifier pass; -1 for none or a CJK word. */
  first: number;
  /** What the word gives ([term id, form as written]) by the bit mask of its `mayGive` that are wanted. */
  gives: Map<number, Array<[number, string]>> | undefined;
  /** The last text whose words it was put among (`SurfaceForms.texts`): a word is listed once a text. */
  listedIn: number;
}

/** A text's words as one kind of lookup (own terms, or with fallback terms) matches them. */
interface TextWords {
  /** The distinct words, in the order they first come. */
  words: Word[];
  /** (term id, index in `words`) of every term each word may give, sorted. */
  byTerm: Float64Array;
  /** (term id, index in `words`) of each word's first term, sorted. */
  firstOf: Float64Array;
  /** Whether a word has a term of its own (read with own terms). */
  anyOwn: boolean;
  /** A bit for each term a word may give (term id modulo 1,024): a clear bit says no word does. */
  mask: Int32Array;
}

/** A text ready for `SurfaceForms.in`, made by `SurfaceForms.prepare`; read on its first lookup. */
export class SurfaceText {
  /** Whether the text has terms of its own (not only fallback terms), once known. */
  hasOwn: boolean | undefined;
  /** Its words as a lookup with own terms reads them, and as one with fallback terms does. */
  readonly read: { own?: TextWords; fallback?: TextWords } = {};

  constructor(readonly text: string) {}
}

/** The first place in `sorted` whose value is `key` or more. */
function lowerBound(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a text whose terms set `mask` may hold term `id` (false: it holds it not). */
function mayHold(mask: Int32Array, id: number): boolean {
  return ((mask[(id >>> 5) & (MASK_WORDS - 1)] ?? 0) & (1 << (id & 31))) !== 0;
}

/**
 * The written forms of terms in texts read once each. One instance for one run: it remembers
 * words across texts (as many as `WORD_CACHE`) and the texts remember their words.
 */
export class SurfaceForms {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly words = new Map<string, Word>();
  private readonly pieces = new Map<string, string[]>();
  /** Texts read so far (`Word.listedIn`). */
  private texts = 0;
  /** Lookups so far; by term id, the last lookup that wanted the term, and the last that found it. */
  private lookups = 0;
  private readonly wantedIn: number[] = [];
  private readonly foundIn: number[] = [];
  private readonly own: Terms = (piece) => {
    let terms = this.pieces.get(piece);
    if (terms === undefined) {
      if (this.pieces.size >= PIECE_CACHE) this.pieces.clear();
      terms = this.analyzer.ownTerms(piece);
      this.pieces.set(piece, terms);
    }
    return terms;
  };
  /** As `surfaceForms` matches a piece when the whole text has no terms of its own. */
  private readonly withFallback: Terms = (piece) => {
    const own = this.own(piece);
    return own.length > 0 ? own : fallbackTerms(piece);
  };

  /** `analyzer`: best the `TermExtractor` that indexed the texts, which knows most of their words already. */
  constructor(private readonly analyzer: TermAnalyzer = new TextAnalyzer()) {}

  /** A text ready for lookups; nothing is read until the first. */
  prepare(text: string): SurfaceText {
    return new SurfaceText(typeof text === 'string' ? text : '');
  }

  /**
   * For each term found in the texts, the first word as written there: what
   * `surfaceForms(texts joined by spaces, terms)` gives (no word runs across a space), the
   * same entries in the same order. As there, a piece without terms of its own is matched by
   * its fallback terms only when the whole has none: when no text has terms of its own.
   */
  in(texts: readonly SurfaceText[], terms: Iterable<string>): Map<string, string> {
    const out = new Map<string, string>();
    const wanted = [...terms];
    if (wanted.length === 0 || texts.every((t) => t.text.length === 0)) return out;
    const fallback = !texts.some((t) => this.hasOwnTerms(t));
    const termsOf = fallback ? this.withFallback : this.own;
    const read = texts.map((t) => this.wordsOf(t, fallback));
    const lookup = ++this.lookups;
    // The wanted terms a word of the texts may give (every such term has an id by now), once each.
    const ids: number[] = [];
    for (const term of wanted) {
      const id = this.termIds.get(term);
      if (id === undefined || this.wantedIn[id] === lookup) continue;
      this.wantedIn[id] = lookup;
      ids.push(id);
    }
    const found = (id: number): boolean => this.foundIn[id] === lookup;
    for (const { words, byTerm, mask } of read) {
      // For each term not found yet that the text may hold, the words that may give it: [next, end) of `byTerm`.
      const open: Array<{ id: number; next: number; end: number }> = [];
      for (const id of ids) {
        if (found(id) || !mayHold(mask, id)) continue;
        const next = lowerBound(byTerm, id * WORD_SLOTS);
        const end = lowerBound(byTerm, (id + 1) * WORD_SLOTS);
        if (next < end) open.push({ id, next, end });
      }
      // Word by word in the text's order, only those that may give a term not found yet.
      for (let last = -1; ; ) {
        let i = Infinity;
        for (const o of open) {
          if (found(o.id)) continue;
          while (o.next < o.end && (byTerm[o.next] ?? 0) % WORD_SLOTS <= last) o.next++;
          if (o.next < o.end) i = Math.min(i, (byTerm[o.next] ?? 0) % WORD_SLOTS);
        }
        const word = words[i];
        if (word === undefined) break;
        last = i;
        for (const [id, form] of this.gives(word, lookup, termsOf)) {
          if (found(id)) continue;
          this.foundIn[id] = lookup;
          out.set(this.terms[id] ?? '', form);
        }
      }
    }
    // `surfaceForms`' whole-identifier pass: a term still not found names the first word
    // whose first term it is, entered in the order its scan of the texts meets them.
    const rest: Array<{ id: number; text: number; word: number }> = [];
    for (const id of ids) {
      if (found(id)) continue;
      for (let t = 0; t < read.length; t++) {
        const { firstOf, mask } = read[t] as TextWords;
        if (!mayHold(mask, id)) continue;
        const at = lowerBound(firstOf, id * WORD_SLOTS);
        if (at < firstOf.length && (firstOf[at] ?? 0) < (id + 1) * WORD_SLOTS) {
          rest.push({ id, text: t, word: (firstOf[at] ?? 0) % WORD_SLOTS });
          break;
        }
      }
    }
    rest.sort((x, y) => x.text - y.text || x.word - y.word);
    for (const r of rest) out.set(this.terms[r.id] ?? '', read[r.text]?.words[r.word]?.text ?? '');
    return out;
  }

  /**
   * What `word` gives ([term id, form]) to lookup `lookup`: remembered by which of its terms
   * are wanted, the only ones `wordSpans` can give.
   */
  private gives(word: Word, lookup: number, termsOf: Terms): Array<[number, string]> {
    let mask = 0;
    const wanted = new Set<string>();
    const { mayGive } = word;
    for (let k = 0; k < mayGive.length; k++) {
      const id = mayGive[k] ?? -1;
      if (this.wantedIn[id] !== lookup) continue;
      wanted.add(this.terms[id] ?? '');
      mask |= 1 << k;
    }
    const remember = mayGive.length <= MASK_TERMS;
    const known = remember ? word.gives?.get(mask) : undefined;
    if (known !== undefined) return known;
    const spans: Span[] = [];
    wordSpans(word.text, 0, wanted, termsOf, spans);
    const given = spans.map((s): [number, string] => [this.idOf(s.term), word.text.slice(s.start, s.end)]);
    if (remember) (word.gives ??= new Map()).set(mask, given);
    return given;
  }

  /**
   * Whether the text has terms of its own. An ASCII text without a URL is analysed word by
   * word, its words being COMPLEX's (the tokenizer's byte scan finds the same): it has own
   * terms when one of its words has, as its words read with own terms say. Other texts are
   * analysed whole.
   */
  private hasOwnTerms(text: SurfaceText): boolean {
    if (text.hasOwn === undefined) {
      if (text.text.length === 0) text.hasOwn = false;
      else if (BYTE_SCANNED.test(text.text) && !text.text.includes('://')) text.hasOwn = this.wordsOf(text, false).anyOwn;
      else {
        text.hasOwn = this.analyzer.ownTerms(text.text).length > 0;
        this.analyzer.trimCaches();
      }
    }
    return text.hasOwn;
  }

  private idOf(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
      // Grown one by one, so that they stay dense arrays (one set far past the end would make a dictionary of them).
      this.wantedIn.push(0);
      this.foundIn.push(0);
    }
    return id;
  }

  /**
   * A word as `termsOf` matches it: every term a piece of it is analysed into (with nothing
   * wanted, `wordSpans` asks for them all) and its first term.
   */
  private readWord(text: string, termsOf: Terms): Word {
    const mayGive = new Set<string>();
    wordSpans(text, 0, NOTHING, (piece) => {
      const terms = termsOf(piece);
      for (const t of terms) mayGive.add(t);
      return terms;
    }, []);
    const first = CJK_CHAR.test(text) ? undefined : termsOf(text)[0];
    return { text, mayGive: [...mayGive].map((t) => this.idOf(t)), first: first === undefined ? -1 : this.idOf(first), gives: undefined, listedIn: 0 };
  }

  /** The text's words, read on the first lookup of its kind (own terms, or with fallback terms). */
  private wordsOf(text: SurfaceText, fallback: boolean): TextWords {
    const kind = fallback ? 'fallback' : 'own';
    const done = text.read[kind];
    if (done !== undefined) return done;
    // Words with own terms are remembered across texts; with fallback terms (rare), within this one.
    if (this.words.size >= WORD_CACHE) this.words.clear();
    const cache = fallback ? new Map<string, Word>() : this.words;
    const termsOf = fallback ? this.withFallback : this.own;
    const listed = ++this.texts;
    const words: Word[] = [];
    const byTerm: number[] = [];
    const firstOf: number[] = [];
    const mask = new Int32Array(MASK_WORDS);
    let anyOwn = false;
    for (const m of text.text.matchAll(COMPLEX)) {
      let word = cache.get(m[0]);
      if (word === undefined) {
        word = this.readWord(m[0], termsOf);
        cache.set(m[0], word);
      }
      if (word.listedIn === listed) continue;
      word.listedIn = listed;
      const index = words.length;
      words.push(word);
      for (const id of word.mayGive) {
        byTerm.push(id * WORD_SLOTS + index);
        const at = (id >>> 5) & (MASK_WORDS - 1);
        mask[at] = (mask[at] ?? 0) | (1 << (id & 31));
      }
      if (word.first >= 0) {
        anyOwn = true;
        firstOf.push(word.first * WORD_SLOTS + index);
      }
    }
    this.analyzer.trimCaches();
    const read: TextWords = { words, byTerm: Float64Array.from(byTerm).sort(), firstOf: Float64Array.from(firstOf).sort(), anyOwn, mask };
    text.read[kind] = read;
    return read;
  }
}
