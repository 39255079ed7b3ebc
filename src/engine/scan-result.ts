import { SCORE_SCALE as SCORE_STEPS } from './search';
import type { Neighbour, ScoredPair, Tier } from './types';

/**
 * What a full scan found, in columns rather than one object per pair or neighbour: at
 * 100,000 issues a scan yields over a million pairs, and objects would cost more memory
 * than the index itself. Slots index `ids`; pairs are best first (score descending, then
 * `a`, then `b`, in string order, with `a` < `b`).
 */
export class ScanResult {
  constructor(
    /** Issue ids by slot. */
    readonly ids: readonly string[],
    /** Neighbours kept per issue (0 when the scan collected only pairs). */
    readonly k: number,
    /** Per slot, `k` neighbour slots, best first, -1 past the last. */
    readonly neighbourSlots: Int32Array,
    /** Per slot, the `k` neighbours' scores in steps of 1e-9 (see `neighbourScore`). */
    readonly neighbourSteps: Uint32Array,
    readonly pairCount: number,
    /** Each pair's slots (`a` before `b` in id order), by position: `pairA.get(i)`. */
    readonly pairA: Column,
    readonly pairB: Column,
    /** Each pair's score in steps of 1e-9 (scores are rounded to that): see `pairScore`. */
    readonly pairSteps: Column,
    private readonly tierOf: (score: number) => Tier | null,
    /** Slots in the order their documents were added (default: slot order). */
    private readonly insertionOrder: Int32Array | null = null,
  ) {}

  pair(i: number): ScoredPair {
    const score = this.pairScore(i);
    // Below the related threshold (a caller asked for a lower minScore) a pair still reads as related.
    return { a: this.ids[this.pairA.get(i)] ?? '', b: this.ids[this.pairB.get(i)] ?? '', score, tier: this.tierOf(score) ?? 'related' };
  }

  /** The score of pair `i`. */
  pairScore(i: number): number {
    return this.pairSteps.get(i) / SCORE_STEPS;
  }

  /** The score of entry `j` of the neighbour table (slot * k + rank). */
  neighbourScore(j: number): number {
    return (this.neighbourSteps[j] ?? 0) / SCORE_STEPS;
  }

  /** Every pair as objects, best first. */
  pairs(): ScoredPair[] {
    const out: ScoredPair[] = new Array<ScoredPair>(this.pairCount);
    for (let i = 0; i < this.pairCount; i++) out[i] = this.pair(i);
    return out;
  }

  /** One issue's neighbours (by slot), best first. */
  neighboursOf(slot: number): Neighbour[] {
    const out: Neighbour[] = [];
    for (let j = slot * this.k; j < (slot + 1) * this.k; j++) {
      const other = this.neighbourSlots[j] ?? -1;
      if (other < 0) break;
      const score = this.neighbourScore(j);
      out.push({ id: this.ids[other] ?? '', score, tier: this.tierOf(score) });
    }
    return out;
  }

  /** Every issue's neighbours, keyed in the order the issues were added (empty when the scan kept none). */
  neighbours(): Map<string, Neighbour[]> {
    const out = new Map<string, Neighbour[]>();
    if (this.k === 0) return out;
    for (let i = 0; i < this.ids.length; i++) {
      const slot = this.insertionOrder ? (this.insertionOrder[i] as number) : i;
      out.set(this.ids[slot] ?? '', this.neighboursOf(slot));
    }
    return out;
  }
}

/** A score as a whole number of 1e-9 steps (exact: scores are rounded to 1e-9). */
export function scoreSteps(score: number): number {
  return Math.round(score * SCORE_STEPS);
}

/** Entries per chunk of a `Column` (64K: 256 KB). */
const CHUNK_BITS = 16;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/**
 * A growable column of 32-bit integers in fixed chunks: growing never copies, and a column
 * holds at most one chunk more than it needs (a doubling array would hold up to twice its
 * content, and both arrays at the moment it grows).
 */
export class Column {
  private chunks: Int32Array[] = [];

  /**
   * `spare` chunks are used before new ones are allocated (their old contents are
   * overwritten as positions are set; a caller reads only positions it has set).
   */
  constructor(private spare: Int32Array[] = []) {}

  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as Int32Array)[i & CHUNK_MASK] as number;
  }

  set(i: number, value: number): void {
    const c = i >>> CHUNK_BITS;
    while (c >= this.chunks.length) this.chunks.push(this.spare.pop() ?? new Int32Array(1 << CHUNK_BITS));
    (this.chunks[c] as Int32Array)[i & CHUNK_MASK] = value;
  }

  clear(): void {
    this.chunks = [];
    this.spare = [];
  }

  /** Empties the column and hands over its chunks (for another column to fill). */
  release(): Int32Array[] {
    const chunks = this.chunks;
    this.clear();
    return chunks;
  }
}

/**
 * Collects the pairs a scan meets, from either end, in columns. Queries arrive in slot
 * order; a pair met again from its other end (the same score: the dot product and its
 * damping are symmetric) is found through the later slot's chain and not stored twice.
 * Scores are kept as 1e-9 steps (`scoreSteps`).
 */
export class PairCollector {
  private a = new Column();
  private b = new Column();
  /** Scores in steps of 1e-9 (at most 1e9: they fit an Int32). */
  private steps = new Column();
  /**
   * Pairs stored by a query for a later slot, chained per later slot (`pendingHead[slot]`,
   * then `pendingNext[pair]`), so that the later query finds them without a search.
   */
  private readonly pendingNext = new Column();
  private readonly pendingHead: Int32Array;
  /** For the current query: `metStamp[other] === query + 1` when `other` stored their pair, at `metAt[other]`. */
  private readonly metStamp: Int32Array;
  private readonly metAt: Int32Array;
  private count = 0;
  private query = -1;

  /** `rank` orders slots by id (string order); `a` and `b` are stored so that rank[a] < rank[b]. */
  constructor(private readonly rank: Int32Array) {
    this.pendingHead = new Int32Array(rank.length).fill(-1);
    this.metStamp = new Int32Array(rank.length);
    this.metAt = new Int32Array(rank.length);
  }

  /** Starts the pairs of the query in `slot` (slots ascending, each once). */
  startQuery(slot: number): void {
    if (slot < this.query) throw new RangeError('pairs must arrive by ascending query slot');
    if (slot === this.query) return;
    this.query = slot;
    for (let i = this.pendingHead[slot] ?? -1; i >= 0; i = this.pendingNext.get(i)) {
      const a = this.a.get(i);
      const other = a === slot ? this.b.get(i) : a;
      this.metStamp[other] = slot + 1;
      this.metAt[other] = i;
    }
  }

  /**
   * Lets the queries from `slot` on start again (a block scan looks at each query's known
   * pairs before scoring the block, then stores the block's pairs in query order). Pairs
   * stored since are chained as before, so a restarted query sees them too.
   */
  rewind(slot: number): void {
    this.query = Math.min(this.query, slot - 1);
  }

  /** A pair met by the query in slot `x` (queries in ascending slots). */
  add(x: number, y: number, score: number): void {
    if (x !== this.query) this.startQuery(x);
    const earlier = y < x;
    if (earlier && this.metStamp[y] === x + 1) return;
    const swap = (this.rank[x] ?? 0) > (this.rank[y] ?? 0);
    const at = this.count;
    this.a.set(at, swap ? y : x);
    this.b.set(at, swap ? x : y);
    this.steps.set(at, scoreSteps(score));
    if (!earlier) {
      this.pendingNext.set(at, this.pendingHead[y] ?? -1);
      this.pendingHead[y] = at;
    }
    this.count++;
  }

  /**
   * The score of the pair (x, y) if an earlier query (`y` < `x`, the current query) stored
   * it, else -1: the current query need not compute it again.
   */
  known(x: number, y: number): number {
    if (y >= x || x !== this.query || this.metStamp[y] !== x + 1) return -1;
    return this.steps.get(this.metAt[y] ?? 0) / SCORE_STEPS;
  }

  /**
   * Distinct pairs, best first, ties by the ranks of `a` then `b` (that is, by id). The
   * collector is spent afterwards. The pairs are ordered by score with a stable radix sort
   * of their indices (`orderByScore`); runs of equal scores, which are rare and short, are
   * then ordered by rank, and a pair stored twice (a caller that broke the query order) is
   * kept once. The columns are then gathered into that order one at a time, each into the
   * chunks the previous one let go (see `gatherColumn`): at 100,000 issues there are
   * millions of pairs, and this holds 4 bytes a pair beside them instead of a second copy.
   */
  finish(): { count: number; a: Column; b: Column; steps: Column } {
    // The chains are no longer needed: their chunks hold the sort's first pass.
    const m = this.count;
    const steps = this.steps;
    const pairA = this.a;
    const pairB = this.b;
    const byLow = new Column(this.pendingNext.release());
    const order = orderByScore(steps, m, byLow);
    const rank = this.rank;
    const byRank = (x: number, y: number): number =>
      (rank[pairA.get(x)] as number) - (rank[pairA.get(y)] as number) || (rank[pairB.get(x)] as number) - (rank[pairB.get(y)] as number);
    let count = 0;
    for (let j = 0; j < m; ) {
      const step = steps.get(order[j] as number);
      let end = j + 1;
      while (end < m && steps.get(order[end] as number) === step) end++;
      if (end - j === 1) {
        order[count++] = order[j] as number;
      } else {
        const run = Array.from(order.subarray(j, end)).sort(byRank);
        let previous = -1;
        for (const i of run) {
          if (previous >= 0 && byRank(previous, i) === 0) continue;
          order[count++] = i;
          previous = i;
        }
      }
      j = end;
    }
    // Each gather reads its column in random order (independent loads, so their cache
    // misses overlap) and writes the new one in sequence; the old column's chunks then
    // hold the next one.
    const a = gatherColumn(pairA, order, count, byLow.release());
    const b = gatherColumn(pairB, order, count, pairA.release());
    const sorted = gatherColumn(steps, order, count, pairB.release());
    steps.release();
    this.a = new Column();
    this.b = new Column();
    this.steps = new Column();
    this.count = 0;
    return { count, a, b, steps: sorted };
  }
}

/** Bits of the sort key per radix pass: two passes cover keys below 2^30 (scores in 1e-9 steps). */
const RADIX_BITS = 15;
const RADIX = 1 << RADIX_BITS;

/**
 * Indices 0 .. m-1 ordered by score, best first, ties in index order: a stable
 * least-significant-digit radix sort of the keys SCORE_STEPS - steps (below 2^30), two
 * passes of 15 bits. Linear in m; the first pass's output goes to `byLow` (the chains'
 * chunks, which the collector no longer needs), the second to the 4-byte-a-pair result.
 */
function orderByScore(steps: Column, m: number, byLow: Column): Int32Array {
  const low = RADIX - 1;
  // Both digits' counts in one sequential pass (a digit's count does not depend on order).
  const lowStarts = new Int32Array(RADIX + 1);
  const highStarts = new Int32Array(RADIX + 1);
  for (let i = 0; i < m; i++) {
    const key = SCORE_STEPS - steps.get(i);
    const dl = (key & low) + 1;
    const dh = (key >>> RADIX_BITS) + 1;
    lowStarts[dl] = (lowStarts[dl] as number) + 1;
    highStarts[dh] = (highStarts[dh] as number) + 1;
  }
  for (let d = 1; d <= RADIX; d++) {
    lowStarts[d] = (lowStarts[d] as number) + (lowStarts[d - 1] as number);
    highStarts[d] = (highStarts[d] as number) + (highStarts[d - 1] as number);
  }
  // Pass 1: indices by the low 15 bits of the key.
  for (let i = 0; i < m; i++) {
    const d = (SCORE_STEPS - steps.get(i)) & low;
    const at = lowStarts[d] as number;
    byLow.set(at, i);
    lowStarts[d] = at + 1;
  }
  // Pass 2: by the high bits, stable, so equal keys keep the order of pass 1 (by index).
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const i = byLow.get(j);
    const d = (SCORE_STEPS - steps.get(i)) >>> RADIX_BITS;
    const at = highStarts[d] as number;
    order[at] = i;
    highStarts[d] = at + 1;
  }
  return order;
}

/** A new column holding `from`'s values at order[0 .. count), in chunks taken from `reuse` first. */
function gatherColumn(from: Column, order: Int32Array, count: number, reuse: Int32Array[]): Column {
  const out = new Column(reuse);
  for (let j = 0; j < count; j++) out.set(j, from.get(order[j] as number));
  return out;
}

/** Slots ranked by id in string order: rank[slot]. */
export function rankByIds(ids: readonly string[]): Int32Array {
  const slots = Array.from(ids.keys());
  slots.sort((x, y) => {
    const a = ids[x] ?? '';
    const b = ids[y] ?? '';
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const rank = new Int32Array(ids.length);
  slots.forEach((slot, r) => {
    rank[slot] = r;
  });
  return rank;
}

