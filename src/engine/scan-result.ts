import type { Neighbour, ScoredPair, Tier } from './types';

/** Pairs at most this many sort by one packed numeric key; more fall back to a comparator sort. */
const PACKED_SORT_LIMIT = 2 ** 23;
const SCORE_STEPS = 1e9; // scores are rounded to 1e-9 (see roundScore)

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
    readonly neighbourScores: Float64Array,
    readonly pairCount: number,
    readonly pairA: Int32Array,
    readonly pairB: Int32Array,
    readonly pairScore: Float64Array,
    private readonly tierOf: (score: number) => Tier | null,
    /** Slots in the order their documents were added (default: slot order). */
    private readonly insertionOrder: Int32Array | null = null,
  ) {}

  pair(i: number): ScoredPair {
    const score = this.pairScore[i] ?? 0;
    // Below the related threshold (a caller asked for a lower minScore) a pair still reads as related.
    return { a: this.ids[this.pairA[i] ?? 0] ?? '', b: this.ids[this.pairB[i] ?? 0] ?? '', score, tier: this.tierOf(score) ?? 'related' };
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
      const score = this.neighbourScores[j] ?? 0;
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

/**
 * Collects the pairs a scan meets, from either end, in columns. Queries arrive in slot
 * order; a pair met again from its other end (the same score: the dot product and its
 * damping are symmetric) is recognised in the earlier query's batch and not stored twice.
 * Scores are kept as integers of 1e-9 (scores are rounded to that, so this is exact).
 */
export class PairCollector {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private steps = new Uint32Array(1024);
  /**
   * Pairs stored by a query for a later slot, chained per later slot (`pendingHead[slot]`,
   * then `pendingNext[pair]`), so that the later query finds them without a search.
   */
  private pendingNext = new Int32Array(1024);
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
    for (let i = this.pendingHead[slot] ?? -1; i >= 0; i = this.pendingNext[i] ?? -1) {
      const other = this.a[i] === slot ? (this.b[i] ?? 0) : (this.a[i] ?? 0);
      this.metStamp[other] = slot + 1;
      this.metAt[other] = i;
    }
  }

  /** A pair met by the query in slot `x` (queries in ascending slots). */
  add(x: number, y: number, score: number): void {
    if (x !== this.query) this.startQuery(x);
    const earlier = y < x;
    if (earlier && this.metStamp[y] === x + 1) return;
    if (this.count === this.a.length) {
      const size = this.count * 2;
      this.a = grow(this.a, new Int32Array(size));
      this.b = grow(this.b, new Int32Array(size));
      this.steps = grow(this.steps, new Uint32Array(size));
      this.pendingNext = grow(this.pendingNext, new Int32Array(size));
    }
    const swap = (this.rank[x] ?? 0) > (this.rank[y] ?? 0);
    this.a[this.count] = swap ? y : x;
    this.b[this.count] = swap ? x : y;
    this.steps[this.count] = Math.round(score * SCORE_STEPS);
    if (!earlier) {
      this.pendingNext[this.count] = this.pendingHead[y] ?? -1;
      this.pendingHead[y] = this.count;
    }
    this.count++;
  }

  /**
   * The score of the pair (x, y) if an earlier query (`y` < `x`, the current query) stored
   * it, else -1: the current query need not compute it again.
   */
  known(x: number, y: number): number {
    if (y >= x || x !== this.query || this.metStamp[y] !== x + 1) return -1;
    return (this.steps[this.metAt[y] ?? 0] ?? 0) / SCORE_STEPS;
  }

  /**
   * Distinct pairs, best first, ties by the ranks of `a` then `b` (that is, by id). The
   * collector is spent afterwards. One numeric sort by score (exact keys: score steps and
   * the pair's index); runs of equal scores, which are rare and short, are then ordered by
   * rank, and a pair stored twice (a caller that broke the query order) is kept once. At
   * 100,000 issues there are millions of pairs, so the sort keys become the pair indices,
   * then the scores.
   */
  finish(): { count: number; a: Int32Array; b: Int32Array; score: Float64Array } {
    // The chains are no longer needed: let them go before the sort buffers are allocated.
    this.pendingNext = new Int32Array(0);
    const m = this.count;
    const steps = this.steps;
    const keys = new Float64Array(m);
    if (m < PACKED_SORT_LIMIT) {
      for (let i = 0; i < m; i++) keys[i] = (SCORE_STEPS - (steps[i] as number)) * PACKED_SORT_LIMIT + i;
      keys.sort();
      for (let j = 0; j < m; j++) keys[j] = (keys[j] as number) % PACKED_SORT_LIMIT;
    } else {
      const order = Array.from({ length: m }, (_, i) => i);
      order.sort((x, y) => (steps[y] as number) - (steps[x] as number) || x - y);
      keys.set(order);
    }
    const rank = this.rank;
    const byRank = (x: number, y: number): number =>
      (rank[this.a[x] as number] as number) - (rank[this.a[y] as number] as number) ||
      (rank[this.b[x] as number] as number) - (rank[this.b[y] as number] as number);
    let count = 0;
    for (let j = 0; j < m; ) {
      const step = steps[keys[j] as number] as number;
      let end = j + 1;
      while (end < m && steps[keys[end] as number] === step) end++;
      if (end - j === 1) {
        keys[count++] = keys[j] as number;
      } else {
        const run = Array.from(keys.subarray(j, end)).sort(byRank);
        let previous = -1;
        for (const i of run) {
          if (previous >= 0 && byRank(previous, i) === 0) continue;
          keys[count++] = i;
          previous = i;
        }
      }
      j = end;
    }
    const a = new Int32Array(count);
    const b = new Int32Array(count);
    const score = keys.subarray(0, count); // each position is read (a pair index) before it is overwritten (its score)
    for (let j = 0; j < count; j++) {
      const i = keys[j] as number;
      a[j] = this.a[i] as number;
      b[j] = this.b[i] as number;
      score[j] = (steps[i] as number) / SCORE_STEPS;
    }
    this.a = new Int32Array(0);
    this.b = new Int32Array(0);
    this.steps = new Uint32Array(0);
    this.count = 0;
    return { count, a, b, score };
  }
}

function grow<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
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

