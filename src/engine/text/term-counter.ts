import type { TermCount } from '../types';

/** Below this length V8 copies a substring instead of keeping a view into its parent. */
const SLICE_MIN_LENGTH = 13;

/**
 * The same characters in a string that holds on to nothing larger. V8 keeps a substring of
 * 13 characters or more as a view into the string it was cut from, so a term cut from a
 * long description would keep the whole description alive as long as a dictionary holds
 * the term (at 100,000 issues, 34 MB of texts held by their terms). A JSON round trip
 * builds a new flat string (cheaper than a loop of concatenations, and unlike cutting a
 * fresh copy it leaves no view behind).
 */
export function detachedString(s: string): string {
  return s.length < SLICE_MIN_LENGTH ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Term strings interned to small integer ids, for counting without string-keyed maps. */
export class TermVocabulary {
  /** Tells vocabularies apart without holding on to one (see `HintTranslator`). */
  readonly token = Symbol('vocabulary');
  private readonly ids = new Map<string, number>();
  terms: string[] = [];
  /** Bumped by `clear`: ids handed out under an older generation mean nothing now. */
  generation = 0;

  /**
   * `detach`: keep a copy of each new term that holds on to nothing larger (see
   * `detachedString`). For a dictionary that outlives the texts it was built from (an
   * index's); an extractor's vocabulary lives no longer than the extractor, and copying
   * there would only cost time.
   */
  constructor(private readonly detach = false) {}

  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      const own = this.detach ? detachedString(term) : term;
      this.ids.set(own, id);
      this.terms.push(own);
    }
    return id;
  }

  find(term: string): number | undefined {
    return this.ids.get(term);
  }

  get size(): number {
    return this.terms.length;
  }

  clear(): void {
    this.ids.clear();
    this.terms = [];
    this.generation++;
  }
}

/** Positions in `touched` a sort key can hold (see `TermCounter.drain`). */
const POSITION_BITS = 2 ** 22;
/** Above every count an Int32Array can hold, so `COUNT_CEILING - count` is positive. */
const COUNT_CEILING = 2 ** 31;

/** Fields up to this many terms sort in place: cheaper than a native sort call, and nearly sorted already. */
const INSERTION_SORT_LIMIT = 64;

function insertionSort(keys: Float64Array): void {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (keys[j] ?? 0) > key) {
      keys[j + 1] = keys[j] ?? 0;
      j--;
    }
    keys[j + 1] = key;
  }
}

/**
 * Counts term ids of one field of one document; reused across documents (`drain` resets
 * it), so counting costs an array increment per term instead of a map update.
 */
export class TermCounter {
  private counts = new Int32Array(1024);
  /** Ids counted so far, in order of first occurrence. */
  private readonly touched: number[] = [];
  private keys = new Float64Array(256);

  constructor(private readonly vocabulary: TermVocabulary) {}

  addId(id: number): void {
    if (id >= this.counts.length) this.grow(id);
    const counts = this.counts;
    const count = counts[id] ?? 0;
    if (count === 0) this.touched.push(id);
    counts[id] = count + 1;
  }

  addTerm(term: string): void {
    this.addId(this.vocabulary.idOf(term));
  }

  get size(): number {
    return this.touched.length;
  }

  /**
   * The counted terms, most frequent first (equal counts keep first-occurrence order),
   * at most `limit`; the counter is empty afterwards. `ids`, when given, receives their
   * vocabulary ids in the same order.
   */
  drain(limit: number, ids?: number[]): TermCount[] {
    const touched = this.touched;
    const counts = this.counts;
    const terms = this.vocabulary.terms;
    const n = Math.min(touched.length, limit);
    const order = this.drainOrder(n);
    const entries: TermCount[] = [];
    for (let q = 0; q < n; q++) {
      const id = touched[order === null ? q : (order[q] ?? 0)] ?? 0;
      entries.push([terms[id] ?? '', counts[id] ?? 0] as const);
      ids?.push(id);
    }
    for (const id of touched) counts[id] = 0;
    touched.length = 0;
    return entries;
  }

  /**
   * The positions in `touched` of the first `n` terms in drain order, or null when
   * `touched` already is in that order (count descending, then first occurrence).
   */
  private drainOrder(n: number): Float64Array | null {
    const touched = this.touched;
    const counts = this.counts;
    let previous = COUNT_CEILING;
    let sorted = true;
    for (let p = 0; p < touched.length; p++) {
      const count = counts[touched[p] ?? 0] ?? 0;
      if (count > previous) {
        sorted = false;
        break;
      }
      previous = count;
    }
    if (sorted) return null;
    if (touched.length >= POSITION_BITS) return this.stableSortPositions();
    // A key packs (COUNT_CEILING - count, position) into one exact double, so a plain
    // numeric sort (no comparator calls, no tuples) gives the order.
    const total = touched.length;
    if (this.keys.length < total) this.keys = new Float64Array(Math.max(total, this.keys.length * 2));
    const keys = this.keys.subarray(0, total);
    for (let p = 0; p < total; p++) keys[p] = (COUNT_CEILING - (counts[touched[p] ?? 0] ?? 0)) * POSITION_BITS + p;
    if (total <= INSERTION_SORT_LIMIT) insertionSort(keys);
    else keys.sort();
    for (let q = 0; q < n; q++) keys[q] = (keys[q] ?? 0) % POSITION_BITS;
    return keys;
  }

  /** `drainOrder` for fields too large to pack a position into a key (huge documents): a stable sort. */
  private stableSortPositions(): Float64Array {
    const touched = this.touched;
    const counts = this.counts;
    const positions = Array.from(touched.keys());
    positions.sort((x, y) => (counts[touched[y] ?? 0] ?? 0) - (counts[touched[x] ?? 0] ?? 0));
    return Float64Array.from(positions);
  }

  private grow(id: number): void {
    const bigger = new Int32Array(Math.max(id + 1, this.counts.length * 2));
    bigger.set(this.counts);
    this.counts = bigger;
  }
}
