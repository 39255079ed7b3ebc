import { escapeTerm, scanEncodedTerms, unescapeTerm } from './codec';

/** Entries the arrays start with; they double as needed. */
const INITIAL_ENTRIES = 1 << 10;
/** Int32 fields per entry in `entries`. */
const FIELDS = 4;
const START = 0; // offset of the term's characters in `chars`
const LENGTH = 1;
const DF = 2; // documents holding the term
const LAST_DOC = 3; // the last document (1-based) it was counted for: repeats in one document count once

/**
 * Document frequencies of a corpus: how many documents hold each term.
 *
 * For a question about one document (the issue being typed, the issue just changed) the
 * answer depends on the whole corpus only through its IDF. Counting the corpus here and
 * indexing only the documents that could reach the threshold (`SimilarityIndex.useCorpus`,
 * `termWeights`) gives those documents exactly the scores the whole index would, for a
 * fraction of the work: no vectors, postings or snapshot for the rest.
 *
 * Counting reads stored encodings in place: each term is hashed where it stands in the
 * text and looked up in an open-addressing table keyed by its characters as written, so a
 * term seen before costs no string at all (a string-keyed Map made 20,000 documents cost
 * 0.3 s, nearly all of it hashing fresh substrings). Terms get dense integer ids (`termId`).
 */
export class CorpusStats {
  /** Slot pairs (hash, entry index + 1), 0 when empty; a power of two, at most half full. */
  private table = new Int32Array(INITIAL_ENTRIES * 4);
  /** FIELDS int32s per entry, side by side, so a lookup and its count touch one cache line. */
  private entries = new Int32Array(INITIAL_ENTRIES * FIELDS);
  /** Each term's characters as written in an encoding, back to back. */
  private chars = new Uint16Array(INITIAL_ENTRIES * 8);
  private charsUsed = 0;
  private count = 0;
  private docs = 0;
  /** Ids of the document being counted (scratch). */
  private readonly pending: number[] = [];

  /** Documents counted. */
  get size(): number {
    return this.docs;
  }

  /** Distinct terms met. */
  get vocabulary(): number {
    return this.count;
  }

  /**
   * Counts one document given as `encodeTerms` text and returns the ids of its distinct
   * terms. Throws TermsDecodeError when the text is not an encoding; nothing is counted then.
   */
  addEncoded(encoded: string): number[] {
    const ids = this.pending;
    ids.length = 0;
    scanEncodedTerms(encoded, (start, end) => {
      const hash = hashRange(encoded, start, end);
      let id = this.find(encoded, start, end, hash);
      // A new term is checked as it is added (a broken escape throws before anything is counted).
      if (id < 0) {
        unescapeTerm(encoded.slice(start, end));
        id = this.insert(encoded, start, end, hash);
      }
      ids.push(id);
    });
    return this.countDocument(ids);
  }

  /** Counts one document given by its terms (repeats allowed) and returns the ids of the distinct ones. */
  addTerms(terms: Iterable<string>): number[] {
    const ids: number[] = [];
    for (const term of terms) ids.push(this.intern(term));
    return this.countDocument(ids);
  }

  /**
   * The id of `term`, given to it now if it has none (its df stays 0 until a document holding
   * it is counted): so a caller can know the ids of the words it looks for before counting.
   */
  intern(term: string): number {
    const written = escapeTerm(term);
    const hash = hashRange(written, 0, written.length);
    const id = this.find(written, 0, written.length, hash);
    return id >= 0 ? id : this.insert(written, 0, written.length, hash);
  }

  /** The id of a counted term, or undefined. */
  termId(term: string): number | undefined {
    const written = escapeTerm(term);
    const id = this.find(written, 0, written.length, hashRange(written, 0, written.length));
    return id < 0 ? undefined : id;
  }

  dfOf(term: string): number {
    const id = this.termId(term);
    return id === undefined ? 0 : (this.entries[id * FIELDS + DF] as number);
  }

  private countDocument(ids: number[]): number[] {
    const doc = ++this.docs;
    const entries = this.entries;
    const out: number[] = [];
    for (const id of ids) {
      const base = id * FIELDS;
      if (entries[base + LAST_DOC] === doc) continue;
      entries[base + LAST_DOC] = doc;
      entries[base + DF] = (entries[base + DF] as number) + 1;
      out.push(id);
    }
    return out;
  }

  /** The entry whose characters are `text[start, end)`, or -1. */
  private find(text: string, start: number, end: number, hash: number): number {
    const table = this.table;
    const mask = table.length - 2;
    const len = end - start;
    for (let slot = (mix(hash) << 1) & mask; ; slot = (slot + 2) & mask) {
      const e = (table[slot + 1] as number) - 1;
      if (e < 0) return -1;
      if (table[slot] !== hash) continue;
      const base = e * FIELDS;
      if (this.entries[base + LENGTH] !== len) continue;
      const at = this.entries[base + START] as number;
      const chars = this.chars;
      let k = 0;
      while (k < len && chars[at + k] === text.charCodeAt(start + k)) k++;
      if (k === len) return e;
    }
  }

  private insert(text: string, start: number, end: number, hash: number): number {
    const e = this.count++;
    if ((e + 1) * FIELDS > this.entries.length) {
      const entries = new Int32Array(this.entries.length * 2);
      entries.set(this.entries);
      this.entries = entries;
    }
    const len = end - start;
    if (this.charsUsed + len > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.charsUsed + len, this.chars.length * 2));
      chars.set(this.chars.subarray(0, this.charsUsed));
      this.chars = chars;
    }
    for (let k = 0; k < len; k++) this.chars[this.charsUsed + k] = text.charCodeAt(start + k);
    const base = e * FIELDS;
    this.entries[base + START] = this.charsUsed;
    this.entries[base + LENGTH] = len;
    this.charsUsed += len;
    if (4 * this.count > this.table.length) this.rehash(this.table.length * 2, hash, e);
    else this.place(this.table, hash, e);
    return e;
  }

  private place(table: Int32Array, hash: number, e: number): void {
    const mask = table.length - 2;
    let slot = (mix(hash) << 1) & mask;
    while ((table[slot + 1] as number) !== 0) slot = (slot + 2) & mask;
    table[slot] = hash;
    table[slot + 1] = e + 1;
  }

  /** A table of `size` int32s with every entry, the new one (`hash`, `e`) included. */
  private rehash(size: number, hash: number, e: number): void {
    const old = this.table;
    const table = new Int32Array(size);
    for (let s = 0; s < old.length; s += 2) {
      const entry = (old[s + 1] as number) - 1;
      if (entry >= 0) this.place(table, old[s] as number, entry);
    }
    this.place(table, hash, e);
    this.table = table;
  }
}

/** FNV-1a over the UTF-16 code units of `text[start, end)`. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** Spreads the hash over the slot bits (murmur3 finaliser). */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
