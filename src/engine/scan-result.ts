import { SCORE_SCALE as SCORE_STEPS } from './search';
import type { Neighbour, ScoredPair, Tier } from './types';

/** Pairs at most this many sort by one packed numeric key; more fall back to a comparator sort. */
const PACKED_SORT_LIMIT = 2 ** 23;

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

  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as Int32Array)[i & CHUNK_MASK] as number;
  }

  set(i: number, value: number): void {
    const c = i >>> CHUNK_BITS;
    while (c >= this.chunks.length) this.chunks.push(new Int32Array(1 << CHUNK_BITS));
    (this.chunks[c] as Int32Array)[i & CHUNK_MASK] = value;
  }

  clear(): void {
    this.chunks = [];
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
   * collector is spent afterwards. One numeric sort by score (exact keys: score steps and
   * the pair's index); runs of equal scores, which are rare and short, are then ordered by
   * rank, and a pair stored twice (a caller that broke the query order) is kept once. At
   * 100,000 issues there are millions of pairs, so the sort keys become the pair indices.
   */
  finish(): { count: number; a: Column; b: Column; steps: Column } {
    // The chains are no longer needed: let them go before the sort buffers are allocated.
    this.pendingNext.clear();
    const m = this.count;
    const steps = this.steps;
    const pairA = this.a;
    const pairB = this.b;
    const keys = new Float64Array(m);
    if (m < PACKED_SORT_LIMIT) {
      for (let i = 0; i < m; i++) keys[i] = (SCORE_STEPS - steps.get(i)) * PACKED_SORT_LIMIT + i;
      keys.sort();
      for (let j = 0; j < m; j++) keys[j] = (keys[j] as number) % PACKED_SORT_LIMIT;
    } else {
      const order = Array.from({ length: m }, (_, i) => i);
      order.sort((x, y) => steps.get(y) - steps.get(x) || x - y);
      keys.set(order);
    }
    const rank = this.rank;
    const byRank = (x: number, y: number): number =>
      (rank[pairA.get(x)] as number) - (rank[pairA.get(y)] as number) || (rank[pairB.get(x)] as number) - (rank[pairB.get(y)] as number);
    let count = 0;
    for (let j = 0; j < m; ) {
      const step = steps.get(keys[j] as number);
      let end = j + 1;
      while (end < m && steps.get(keys[end] as number) === step) end++;
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
    // The columns are put in that order in place (no second copy of millions of pairs):
    // position j takes the pair at keys[j], one cycle of the permutation at a time.
    const gathered = count === m ? this.permute(keys) : this.gather(keys, count);
    this.a = new Column();
    this.b = new Column();
    this.steps = new Column();
    this.count = 0;
    return { count, ...gathered };
  }

  /** The columns reordered in place so that position j holds the pair at order[j] (a permutation). */
  private permute(order: Float64Array): { a: Column; b: Column; steps: Column } {
    const { a, b, steps } = this;
    const done = new Uint8Array(order.length);
    for (let start = 0; start < order.length; start++) {
      if (done[start] === 1) continue;
      const sa = a.get(start);
      const sb = b.get(start);
      const ss = steps.get(start);
      let j = start;
      for (;;) {
        done[j] = 1;
        const from = order[j] as number;
        if (from === start) {
          a.set(j, sa);
          b.set(j, sb);
          steps.set(j, ss);
          break;
        }
        a.set(j, a.get(from));
        b.set(j, b.get(from));
        steps.set(j, steps.get(from));
        j = from;
      }
    }
    return { a, b, steps };
  }

  /** New columns holding the pairs at order[0 .. count) (when repeats were dropped). */
  private gather(order: Float64Array, count: number): { a: Column; b: Column; steps: Column } {
    const out = { a: new Column(), b: new Column(), steps: new Column() };
    for (let j = 0; j < count; j++) {
      const i = order[j] as number;
      out.a.set(j, this.a.get(i));
      out.b.set(j, this.b.get(i));
      out.steps.set(j, this.steps.get(i));
    }
    return out;
  }
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

