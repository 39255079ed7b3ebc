import type { DocField, DocFields, DocTerms, TermCount } from './types';
import { TermVocabulary as TermDictionary } from './text/term-counter';
import type { HintTranslator, TermIdHint } from './term-hints';

/** Fields in storage order; `code` sits with the description it came from. */
export const DOC_FIELDS: readonly DocField[] = ['summary', 'description', 'code', 'labels', 'components', 'type'];
const HEADER = DOC_FIELDS.length + 1;
const MAX_COUNT = 0xffff;

/**
 * One document's raw term counts in a single typed array (one object per document keeps
 * 100k documents cheap for the garbage collector):
 *
 *   [start of each field (6)] [entries E] [term ids (E)] [counts (E), two per word]
 *
 * Field f's entries are positions start[f] .. start[f+1] (or E) of the id and count runs.
 * Counts are capped at 65,535, so two share a word (entry i in the low half of word i / 2
 * when i is even, in the high half when odd): at 100,000 issues that is 15 MB less.
 */
export type PackedDoc = Uint32Array;

export interface TermInterner {
  idOf(term: string): number;
}

/**
 * The index's term dictionary is the tokenizer's vocabulary class: ids are never reused
 * while the index lives (it never calls `clear`).
 */
export { TermDictionary };

/**
 * Reusable marks for packing: which term ids the current document has met, and where.
 * One per index, so packing costs no map per document.
 */
export class PackScratch {
  /** Work area of `packDoc`: ids, then counts, one per word. */
  work = new Uint32Array(1024);
  private stamps = new Uint32Array(1024);
  private positions = new Int32Array(1024);
  private stamp = 0;

  next(): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** The position recorded for `id` under `stamp`, or -1. */
  get(id: number, stamp: number): number {
    return id < this.stamps.length && this.stamps[id] === stamp ? (this.positions[id] ?? -1) : -1;
  }

  set(id: number, stamp: number, position: number): void {
    if (id >= this.stamps.length) {
      const size = Math.max(id + 1, this.stamps.length * 2);
      const stamps = new Uint32Array(size);
      stamps.set(this.stamps);
      const positions = new Int32Array(size);
      positions.set(this.positions);
      this.stamps = stamps;
      this.positions = positions;
    }
    this.stamps[id] = stamp;
    this.positions[id] = position;
  }
}

/** A document's extractor ids and the translator that turns them into the index's ids. */
export interface PackHint {
  ids: TermIdHint['fields'];
  translator: HintTranslator;
}

export function packDoc(doc: DocTerms, dict: TermInterner, scratch: PackScratch = new PackScratch(), hint?: PackHint): PackedDoc {
  let total = 0;
  for (const field of DOC_FIELDS) total += doc.fields[field]?.length ?? 0;
  if (scratch.work.length < 2 * total) scratch.work = new Uint32Array(Math.max(2 * total, 2 * scratch.work.length));
  const work = scratch.work; // ids at [0, total), counts at [total, 2 total)
  const starts: number[] = [];
  let at = 0;
  DOC_FIELDS.forEach((field) => {
    starts.push(at);
    // A term listed twice in one field (hand-built DocTerms) is merged, so df stays right.
    const stamp = scratch.next();
    const entries = doc.fields[field] ?? [];
    const hinted = hint?.ids[field];
    for (let k = 0; k < entries.length; k++) {
      const [term, count] = entries[k] as TermCount;
      if (typeof term !== 'string' || term.length === 0) continue;
      const c = Math.min(MAX_COUNT, Math.max(1, Math.round(Number.isFinite(count) ? count : 1)));
      const id = hint ? hint.translator.idOf(term, hinted?.[k]) : dict.idOf(term);
      const prev = scratch.get(id, stamp);
      if (prev >= 0) {
        work[total + prev] = Math.min(MAX_COUNT, (work[total + prev] as number) + c);
        continue;
      }
      scratch.set(id, stamp, at);
      work[at] = id;
      work[total + at] = c;
      at++;
    }
  });
  const packed = new Uint32Array(HEADER + at + ((at + 1) >> 1));
  starts.forEach((start, f) => {
    packed[f] = start;
  });
  packed[DOC_FIELDS.length] = at;
  packed.set(work.subarray(0, at), HEADER);
  for (let i = 0; i < at; i++) {
    const word = HEADER + at + (i >> 1);
    packed[word] = (packed[word] as number) | ((work[total + i] as number) << ((i & 1) << 4));
  }
  return packed;
}

/** The count of entry `i` of a packed document with `total` entries. */
export function countAt(packed: PackedDoc, total: number, i: number): number {
  return ((packed[HEADER + total + (i >> 1)] as number) >>> ((i & 1) << 4)) & 0xffff;
}

/** Calls `fn` once per distinct term id of a document (a term in two fields counts once). */
export function forEachDistinctTerm(packed: PackedDoc, scratch: PackScratch, fn: (termId: number) => void): void {
  const total = entryCount(packed);
  const stamp = scratch.next();
  for (let i = 0; i < total; i++) {
    const id = packed[HEADER + i] ?? 0;
    if (scratch.get(id, stamp) >= 0) continue;
    scratch.set(id, stamp, 0);
    fn(id);
  }
}

/** Words of the packed document that starts at `offset` of `words` (read from its header). */
export function packedLength(words: Uint32Array, offset: number): number {
  const total = words[offset + DOC_FIELDS.length] ?? 0;
  return HEADER + total + ((total + 1) >> 1);
}

export function entryCount(packed: PackedDoc): number {
  return packed[DOC_FIELDS.length] ?? 0;
}

/** Calls `fn(fieldIndex, termId, count)` for every entry. */
export function forEachEntry(packed: PackedDoc, fn: (field: number, termId: number, count: number) => void): void {
  const total = entryCount(packed);
  for (let f = 0; f < DOC_FIELDS.length; f++) {
    const start = packed[f] ?? 0;
    const end = f + 1 < DOC_FIELDS.length ? (packed[f + 1] ?? total) : total;
    for (let i = start; i < end; i++) fn(f, packed[HEADER + i] ?? 0, countAt(packed, total, i));
  }
}

export function unpackDoc(id: string, packed: PackedDoc, dict: TermDictionary): DocTerms {
  const fields: DocFields = {};
  forEachEntry(packed, (f, termId, count) => {
    const field = DOC_FIELDS[f];
    if (field === undefined) return;
    const list: TermCount[] = fields[field] ?? (fields[field] = []);
    list.push([dict.terms[termId] ?? '', count]);
  });
  return { id, fields };
}

/**
 * Interns a query's terms without growing the index's dictionary: known terms keep their
 * ids, new ones get ids past the end (they match nothing but still count in the norm).
 */
export class QueryTerms implements TermInterner {
  private readonly extra = new Map<string, number>();
  readonly extraTerms: string[] = [];

  constructor(private readonly dict: TermDictionary) {}

  idOf(term: string): number {
    const known = this.dict.find(term);
    if (known !== undefined) return known;
    let id = this.extra.get(term);
    if (id === undefined) {
      id = this.dict.size + this.extraTerms.length;
      this.extra.set(term, id);
      this.extraTerms.push(term);
    }
    return id;
  }

  termOf(id: number): string {
    return id < this.dict.size ? (this.dict.terms[id] ?? '') : (this.extraTerms[id - this.dict.size] ?? '');
  }

  get vocabulary(): number {
    return this.dict.size + this.extraTerms.length;
  }
}
