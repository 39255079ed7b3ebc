import type { Snapshot } from './snapshot';
import { chooseCandidates, finalScore, type SearchParams } from './search';

/** Scores already known for some pairs of a query (see `PairCollector`). */
export interface KnownScores {
  /** Called for each query slot in ascending order before its `known` calls. */
  startQuery(slot: number): void;
  /** The pair's score, or -1 when it is not known. */
  known(slot: number, other: number): number;
}

/** How large a block may grow before it is scored. */
export interface BlockLimits {
  /** Queries per block at most: their rows (consecutive slots) stay in cache while scored. */
  queries: number;
  /** Candidates held at most (a query's whole list joins its block even past this). */
  entries: number;
}

/** About 5 MB of buffers; at 100,000 issues a block holds some 800 queries. */
export const DEFAULT_BLOCK_LIMITS: BlockLimits = Object.freeze({ queries: 2048, entries: 1 << 18 });

/**
 * Exact scoring for a whole scan, a block of consecutive queries at a time.
 *
 * A search verifies its candidates one query at a time; at 100,000 issues their rows lie
 * anywhere in 30 MB of CSR arrays, and each is fetched cold. Here the candidates of a block
 * of queries are gathered first (`add`), then scored grouped by candidate, candidates in
 * slot order (`scoreAll`): each candidate's row is read once per block, in address order,
 * and scattered into a dense array, and the queries' rows, a few hundred KB of consecutive
 * slots, stay in cache while every query that chose that candidate runs over its own row.
 * The sums are the same as a search's, bit for bit: the shared features' products in
 * ascending feature order, and `finalScore` of the same arguments. Measured at 100,000
 * issues: the scan 5-12 % faster; what remains is arithmetic (docs/engine.md).
 *
 * A search skips a candidate whose bound falls below a threshold that rises as its top k
 * fills; a block scores every chosen candidate. What it scores on top can neither reach the
 * pair threshold nor displace a neighbour, so the results are those of the searches.
 */
export class BlockVerifier {
  /** Per entry: the query slot, the candidate slot, then the exact score. */
  private query: Int32Array;
  private candidate: Int32Array;
  score: Float64Array;
  private order: Int32Array;
  /** Per block query: its first entry and one past its last. */
  readonly first: Int32Array;
  private groupEnd: Int32Array;
  private readonly limits: BlockLimits;
  /** Entries held. */
  size = 0;
  /** Queries held; the block's first slot is `start`. */
  queries = 0;
  start = 0;

  constructor(
    private readonly snap: Snapshot,
    limits: BlockLimits = DEFAULT_BLOCK_LIMITS,
  ) {
    this.limits = { queries: Math.max(1, Math.floor(limits.queries)), entries: Math.max(1, Math.floor(limits.entries)) };
    const entries = Math.min(this.limits.entries, 1 << 18);
    this.query = new Int32Array(entries);
    this.candidate = new Int32Array(entries);
    this.score = new Float64Array(entries);
    this.order = new Int32Array(entries);
    this.first = new Int32Array(this.limits.queries + 1);
    this.groupEnd = new Int32Array(snap.n + 1);
  }

  /** Whether the block should be scored before another query joins it. */
  get full(): boolean {
    return this.queries >= this.limits.queries || this.size >= this.limits.entries;
  }

  /** Starts an empty block at `slot`. */
  reset(slot: number): void {
    this.size = 0;
    this.queries = 0;
    this.start = slot;
    this.first[0] = 0;
  }

  /**
   * Chooses the candidates of the next query (slot `start + queries`) and holds them. A
   * candidate whose score `known` already has (a pair an earlier block stored) is held with
   * that score and not scored again.
   */
  add(params: SearchParams, known: KnownScores): void {
    const snap = this.snap;
    const slot = this.start + this.queries;
    params.self = slot;
    const chosen = chooseCandidates(snap, snap.vectorOf(slot), params);
    this.reserve(this.size + chosen);
    known.startQuery(slot);
    const candidates = snap.scratch.candidates;
    const { query, candidate, score } = this;
    let at = this.size;
    for (let ci = 0; ci < chosen; ci++) {
      const d = candidates[ci] as number;
      query[at] = slot;
      candidate[at] = d;
      score[at++] = known.known(slot, d);
    }
    this.size = at;
    this.first[++this.queries] = at;
  }

  /** Scores every held entry into `score`. */
  scoreAll(): void {
    const snap = this.snap;
    const m = this.size;
    const n = snap.n;
    const { query, candidate, order, groupEnd, score } = this;
    // Entries still to score (score -1) grouped by candidate slot (a counting sort; within a
    // group, in entry order).
    groupEnd.fill(0);
    let toScore = 0;
    for (let e = 0; e < m; e++) {
      if ((score[e] as number) >= 0) continue;
      const at = (candidate[e] as number) + 1;
      groupEnd[at] = (groupEnd[at] as number) + 1;
      toScore++;
    }
    for (let c = 1; c <= n; c++) groupEnd[c] = (groupEnd[c] as number) + (groupEnd[c - 1] as number);
    for (let e = 0; e < m; e++) {
      if ((score[e] as number) >= 0) continue;
      const c = candidate[e] as number;
      const at = groupEnd[c] as number;
      order[at] = e;
      groupEnd[c] = at + 1;
    }
    // groupEnd[c] is now one past the last entry of group c.
    const featureCount = snap.featureCount;
    const dense = snap.scratch.denseQuery(featureCount);
    const { docStart, docFeat, docW, effective } = snap;
    const damping = snap.config.evidenceDamping;
    let from = 0;
    for (let c = 0; c < n && from < toScore; c++) {
      const to = groupEnd[c] as number;
      if (to === from) continue;
      const cs = docStart[c] as number;
      const ce = docStart[c + 1] as number;
      for (let x = cs; x < ce; x++) {
        const f = docFeat[x] as number;
        dense[f] = docW[x] as number;
      }
      const candidateEff = effective[c] as number;
      for (let g = from; g < to; g++) {
        const e = order[g] as number;
        const q = query[e] as number;
        let s = 0;
        let s2 = 0;
        const qe = docStart[q + 1] as number;
        // No test per feature: where the candidate has no weight the dense array holds 0 and
        // the product adds an exact zero, so the sums are those of the shared features alone
        // (a per-feature bit test cost more here than it saved: about 6 % at 100k).
        for (let x = docStart[q] as number; x < qe; x++) {
          const p = (dense[docFeat[x] as number] as number) * (docW[x] as number);
          s += p;
          s2 += p * p;
        }
        score[e] = finalScore(s, s2, damping, Math.min(effective[q] as number, candidateEff));
      }
      for (let x = cs; x < ce; x++) {
        dense[docFeat[x] as number] = 0;
      }
      from = to;
    }
    snap.work.candidatesScored += toScore;
  }

  /** Lets the buffers go (the scan's pair sort comes next and needs the memory more). */
  release(): void {
    this.query = new Int32Array(0);
    this.candidate = new Int32Array(0);
    this.score = new Float64Array(0);
    this.order = new Int32Array(0);
    this.groupEnd = new Int32Array(0);
    this.size = 0;
    this.queries = 0;
  }

  /** The candidate slot of entry `e`. */
  candidateOf(e: number): number {
    return this.candidate[e] as number;
  }

  private reserve(size: number): void {
    if (size <= this.query.length) return;
    const grown = Math.max(size, this.query.length * 2);
    const q = new Int32Array(grown);
    q.set(this.query);
    this.query = q;
    const c = new Int32Array(grown);
    c.set(this.candidate);
    this.candidate = c;
    const s = new Float64Array(grown);
    s.set(this.score);
    this.score = s;
    this.order = new Int32Array(grown);
  }
}
