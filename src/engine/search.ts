import type { Snapshot } from './snapshot';
import type { SparseVector } from './vectors';

/**
 * Slack for float noise in bound checks: never prune what could round up to the threshold.
 * Partial scores accumulate in float32 (at most a few 1e-6 off after 40 additions).
 */
const EPS = 1e-5;
/** The least partial score stored (float32 keeps it, so a met document never reads as 0). */
const MIN_PARTIAL = 1e-30;
/** Scores are whole multiples of 1 / SCORE_SCALE (see roundScore). */
export const SCORE_SCALE = 1e9;

/** Scores are rounded to 1e-9 so float summation order (which depends on term ids) never changes a result. */
export function roundScore(s: number): number {
  return Math.min(1, Math.round(s * SCORE_SCALE) / SCORE_SCALE);
}

/**
 * How many features a vector's weight effectively rests on: (sum w^2)^2 / sum w^4, the
 * participation ratio (1 when one feature carries everything, m for m equal weights).
 */
export function effectiveCount(weights: ArrayLike<number>): number {
  let sq = 0;
  let quad = 0;
  for (let i = 0; i < weights.length; i++) {
    const w2 = (weights[i] ?? 0) * (weights[i] ?? 0);
    sq += w2;
    quad += w2 * w2;
  }
  return quad > 0 ? (sq * sq) / quad : 0;
}

/**
 * The final score from a dot product `dot` and the sum of its squared per-feature terms
 * `squares`. eff = dot^2 / squares is the effective number of features the match rests on
 * (1 when one shared word carries it all). The cosine is damped by g(eff) / g(eMin), with
 * g(e) = e / (e + damping) and eMin the smaller effective count of the two documents
 * themselves, capped at 1: a pair that shares one rare word scores below a pair that
 * shares several, while a document against itself keeps 1. The factor is at most 1, so
 * the dot product stays an upper bound for pruning.
 */
export function finalScore(dot: number, squares: number, damping: number, ownEffective: number): number {
  if (dot <= 0) return 0;
  if (damping <= 0 || squares <= 0 || ownEffective <= 0) return roundScore(dot);
  const eff = (dot * dot) / squares;
  const factor = Math.min(1, ((eff / (eff + damping)) * (ownEffective + damping)) / ownEffective);
  return roundScore(dot * factor);
}

export interface SearchParams {
  /** Neighbours to keep (0: only collect pairs). */
  k: number;
  /** Lowest score for a neighbour. */
  floor: number;
  /**
   * The pair threshold: candidates are chosen so that every document scoring at least this
   * is scored (Infinity: none; `scanAll` collects the pairs itself).
   */
  pairMin: number;
  /** The query's own slot, skipped (-1 when the query is not in the index). */
  self: number;
  accept?: (slot: number) => boolean;
}

export interface Hit {
  slot: number;
  score: number;
}

/**
 * Reusable per-snapshot search state, so a search allocates nothing per posting:
 * accumulators, the candidate list and the buffers of the selection step.
 */
export class SearchScratch {
  /**
   * Per document, its partial dot product in the current search (float32: it only ranks
   * candidates; every reported score is computed exactly). 0 means not met yet, so no
   * stamps are needed: 100,000 documents take 400 KB, well inside a core's cache. The
   * selection puts every candidate back to 0; the query's own slot holds NaN while it runs.
   */
  readonly partials: Float32Array;
  candidates: Int32Array = new Int32Array(1024);
  /** Partial scores of the surviving candidates, in candidate order. */
  values: Float64Array = new Float64Array(1024);
  /** Min-heap of the largest partial scores, for the selection. */
  private heap: Float64Array = new Float64Array(64);
  /**
   * The query's weights by feature (0 elsewhere), for exact scoring: a candidate's dot
   * product is one pass over its own features. Cleared after each search.
   */
  private dense: Float32Array = new Float32Array(0);
  // Results of the accumulation step (fields instead of a returned object: no allocation per search).
  candidateCount = 0;
  unreadBound = 0;
  visited = 0;
  postingsRead = 0;
  /** Set by `chooseCandidates`: the threshold of the choice and what unread parts could add. */
  theta = 0;
  slack = 0;

  constructor(documents: number) {
    this.partials = new Float32Array(documents);
  }

  /** Doubles the candidate list (contents kept) and returns it. */
  growCandidates(): Int32Array {
    const bigger = new Int32Array(this.candidates.length * 2);
    bigger.set(this.candidates);
    this.candidates = bigger;
    this.values = new Float64Array(bigger.length);
    return bigger;
  }

  private order: Int32Array = new Int32Array(64);
  private bound: Float64Array = new Float64Array(64);
  private rest: Float64Array = new Float64Array(65);
  private restSq: Float64Array = new Float64Array(65);

  /** Per-query arrays for a query of `length` features: visiting order, bounds, suffix sums. */
  queryBuffers(length: number): { order: Int32Array; bound: Float64Array; rest: Float64Array; restSq: Float64Array } {
    if (this.order.length < length) {
      this.order = new Int32Array(length);
      this.bound = new Float64Array(length);
      this.rest = new Float64Array(length + 1);
      this.restSq = new Float64Array(length + 1);
    }
    return { order: this.order, bound: this.bound, rest: this.rest, restSq: this.restSq };
  }

  /** The dense query array, at least `features` long (all zeros between searches). */
  denseQuery(features: number): Float32Array {
    if (this.dense.length < features) this.dense = new Float32Array(features);
    return this.dense;
  }

  private bits: Int32Array = new Int32Array(0);

  /** One bit per feature, set for the query's features (all zeros between searches). */
  queryBits(features: number): Int32Array {
    if (this.bits.length * 32 < features) this.bits = new Int32Array((features >>> 5) + 1);
    return this.bits;
  }

  private rowStart: Int32Array = new Int32Array(1024);
  private rowEnd: Int32Array = new Int32Array(1024);
  /** What touching the candidates' rows read (kept so the loads are not optimised away). */
  touched = 0;

  /** Row start and end per chosen candidate, at least `count` long. */
  rowBuffers(count: number): { rowStart: Int32Array; rowEnd: Int32Array } {
    if (this.rowStart.length < count) {
      const size = Math.max(count, 2 * this.rowStart.length);
      this.rowStart = new Int32Array(size);
      this.rowEnd = new Int32Array(size);
    }
    return { rowStart: this.rowStart, rowEnd: this.rowEnd };
  }

  heapBuffer(size: number): Float64Array {
    if (this.heap.length < size) this.heap = new Float64Array(size);
    return this.heap;
  }
}

/**
 * Sorts order[0 .. length) by bound, largest first, ties by feature (ascending): insertion
 * sort for the usual few dozen features, a comparator sort beyond.
 */
function sortByBound(order: Int32Array, length: number, bound: Float64Array, features: Uint32Array): void {
  if (length > 64) {
    const sorted = Array.from(order.subarray(0, length)).sort((x, y) =>
      visitsBefore(x, y, bound, features) ? -1 : visitsBefore(y, x, bound, features) ? 1 : 0,
    );
    order.set(sorted);
    return;
  }
  for (let j = 1; j < length; j++) {
    const x = order[j] as number;
    let at = j;
    while (at > 0 && visitsBefore(x, order[at - 1] as number, bound, features)) {
      order[at] = order[at - 1] as number;
      at--;
    }
    order[at] = x;
  }
}

/** Whether query feature x is visited before y: larger bound first, then smaller feature. */
function visitsBefore(x: number, y: number, bound: Float64Array, features: Uint32Array): boolean {
  const bx = bound[x] as number;
  const by = bound[y] as number;
  return bx > by || (bx === by && (features[x] as number) < (features[y] as number));
}

/** Better first: higher score, then smaller id. */
function better(snap: Snapshot, a: Hit, b: Hit): boolean {
  if (a.score !== b.score) return a.score > b.score;
  return (snap.ids[a.slot] ?? '') < (snap.ids[b.slot] ?? '');
}

/**
 * Top-k and threshold search for one query vector, in two phases.
 *
 * 1. Accumulate. The query's features are visited by upper bound u = q_f * maxWeight(f),
 *    largest first, and only the first `candidateTerms` of them; each postings list is read
 *    heaviest first, at most `maxPostingsPerTerm` entries, and stops early once a document
 *    first met there could not reach the threshold: q_f * w plus the most the rest of the
 *    query could add (the smaller of the remaining bounds' sum and, by Cauchy-Schwarz, the
 *    remaining query norm times sqrt(1 - w^2)). Each posting adds q_f * w to an accumulator.
 * 2. Verify. A candidate's accumulator plus what the unread parts could add is an upper
 *    bound on its score; candidates whose bound reaches the threshold are scored exactly
 *    (a sparse dot product over all their features), which raises the threshold (the k-th
 *    best score) as the top-k fills.
 *
 * With unlimited `candidateTerms` and `maxPostingsPerTerm` the result equals a brute-force
 * pass. With the defaults a pair can be missed only when neither document reaches the
 * other through its heaviest features; docs/engine.md gives the measured recall. This is the
 * search for one document; a whole scan runs phase 1 (`chooseCandidates`) per document and
 * verifies in blocks (see BlockVerifier).
 */
export function search(snap: Snapshot, query: SparseVector, params: SearchParams): Hit[] {
  const { k, floor, pairMin } = params;
  const scratch = snap.scratch;
  const chosen = chooseCandidates(snap, query, params);
  const slack = scratch.slack;
  const top = new TopHits(snap, k);
  let theta = scratch.theta;

  // Phase 2: verify the candidates that can still reach the threshold; when there are more
  // than `maxCandidates`, only those with the largest partial scores.
  const featureCount = snap.featureCount;
  const damping = snap.config.evidenceDamping;
  const queryEff = effectiveCount(query.weights);
  const { docStart, docFeat, docW, effective } = snap;
  const { candidates, values } = scratch;
  const queryFeatures = query.features;
  const queryWeights = query.weights;
  const queryLength = queryFeatures.length;
  // The query's weights by feature, so that a candidate's dot product is one pass over its
  // own features: shared features add q * w in ascending feature order (the same sums, bit
  // for bit, as a merge of the two sorted lists). A bit per feature marks the query's own, so
  // the loop skips the others after a look into 64 KB (at 500,000 features) instead of the
  // 2 MB dense array.
  const dense = scratch.denseQuery(featureCount);
  const bits = scratch.queryBits(featureCount);
  for (let y = 0; y < queryLength; y++) {
    const f = queryFeatures[y] as number;
    if (f < featureCount) {
      dense[f] = queryWeights[y] as number;
      bits[f >>> 5] = (bits[f >>> 5] as number) | (1 << (f & 31));
    }
  }
  // The candidates' vectors lie anywhere in the CSR arrays, and scoring them one after the
  // other meets their cache misses one at a time (the row start, then the row). Gathering
  // every row start first, then touching each row's first, middle and last entries, issues
  // loads that do not depend on one another, so their misses overlap. Measured at 100,000
  // issues: the verification takes a fifth less time.
  const { rowStart, rowEnd } = scratch.rowBuffers(chosen);
  for (let ci = 0; ci < chosen; ci++) {
    const d = candidates[ci] as number;
    rowStart[ci] = docStart[d] as number;
    rowEnd[ci] = docStart[d + 1] as number;
  }
  let touched = 0;
  for (let ci = 0; ci < chosen; ci++) {
    const first = rowStart[ci] as number;
    const last = (rowEnd[ci] as number) - 1;
    if (last < first) continue;
    const middle = (first + last) >> 1;
    touched += (docFeat[first] as number) + (docFeat[middle] as number) + (docFeat[last] as number);
    touched += (docW[first] as number) + (docW[middle] as number) + (docW[last] as number);
  }
  scratch.touched = touched;
  let scored = 0;
  try {
    for (let ci = 0; ci < chosen; ci++) {
      const d = candidates[ci] as number;
      if ((values[ci] as number) + slack < theta - EPS) continue;
      scored++;
      let s = 0;
      let s2 = 0;
      const de = rowEnd[ci] as number;
      for (let x = rowStart[ci] as number; x < de; x++) {
        const f = docFeat[x] as number;
        if (((bits[f >>> 5] as number) & (1 << (f & 31))) === 0) continue;
        const c = (dense[f] as number) * (docW[x] as number);
        s += c;
        s2 += c * c;
      }
      const score = finalScore(s, s2, damping, Math.min(queryEff, effective[d] as number));
      if (k > 0 && score >= floor) {
        if (!top.offer(d, score)) continue;
        theta = top.threshold(floor, pairMin);
      }
    }
  } finally {
    for (let y = 0; y < queryLength; y++) {
      const f = queryFeatures[y] as number;
      if (f < featureCount) {
        dense[f] = 0;
        bits[f >>> 5] = 0;
      }
    }
  }
  snap.work.candidatesScored += scored;
  return top.sorted();
}

/**
 * Phase 1 of `search` and the choice of what to verify: leaves in `scratch.candidates`
 * (partial scores in `scratch.values`) the candidates worth scoring exactly, and returns
 * how many. `scratch.theta` is the threshold they were chosen under (the top k still
 * empty) and `scratch.slack` the most the unread parts could add to any partial score.
 */
export function chooseCandidates(snap: Snapshot, query: SparseVector, params: SearchParams): number {
  const { k, floor, pairMin, self, accept } = params;
  const scratch = snap.scratch;
  const featureCount = snap.featureCount;
  const { order, bound, rest, restSq } = scratch.queryBuffers(query.features.length);
  let lists = 0;
  for (let i = 0; i < query.features.length; i++) {
    const f = query.features[i] ?? 0;
    if (f >= featureCount) continue;
    const w = query.weights[i] ?? 0;
    const u = w * snap.maxWeight(f);
    if (u > 0) {
      order[lists++] = i;
      bound[i] = u;
    }
  }
  sortByBound(order, lists, bound, query.features);
  // Suffix sums over the visiting order: of the bounds u, and of the squared query weights.
  rest[lists] = 0;
  restSq[lists] = 0;
  for (let j = lists - 1; j >= 0; j--) {
    const i = order[j] ?? 0;
    const w = query.weights[i] ?? 0;
    rest[j] = (rest[j + 1] ?? 0) + (bound[i] ?? 0);
    restSq[j] = (restSq[j + 1] ?? 0) + w * w;
  }

  const theta = Math.min(k > 0 ? floor : Infinity, pairMin); // the top k is still empty
  // Candidates whose partial score reaches this are scored even outside the top maxCandidates.
  const pairScreen = pairMin * snap.config.pairCandidateShare;

  // The query's own slot is "met" (NaN absorbs what its postings add) and never a candidate.
  const { partials } = scratch;
  if (self >= 0) partials[self] = NaN;
  let survivors: number;
  let cut: number;
  let restU: number;
  let restNorm: number;
  let unreadBound: number;
  try {
    accumulate(snap, query, order, lists, bound, rest, restSq, theta, accept);
    snap.work.postingsRead += scratch.postingsRead;
    unreadBound = scratch.unreadBound;
    restU = rest[scratch.visited] ?? 0;
    restNorm = Math.sqrt(restSq[scratch.visited] ?? 0);
    // Most candidates met one light posting and cannot reach θ whatever the unread parts add;
    // the selection drops them, and among the rest finds the `maxCandidates`-th largest
    // partial score (the cut-off for verification). It leaves every partial at 0 again.
    const minPartial = theta - EPS - unreadBound - Math.min(restU, restNorm);
    ({ survivors, cut } = selectCandidates(scratch, minPartial, snap.config.maxCandidates, pairScreen));
  } catch (err) {
    partials.fill(0); // an `accept` that threw: start the next search clean
    throw err;
  } finally {
    if (self >= 0) partials[self] = 0;
  }

  // A candidate's score is at most its partial plus `slack` (what the unread parts could add).
  const slack = unreadBound + Math.min(restU, restNorm);
  // Beyond the top maxCandidates, a candidate whose partial score reaches pairScreen (a share
  // of the pair threshold: the partial misses unread tails) is still scored: stored pairs
  // matter more than neighbour ranks. The list of candidates to score (θ only rises, so this
  // is a superset of what a search scores).
  const { candidates, values } = scratch;
  let chosen = 0;
  for (let ci = 0; ci < survivors; ci++) {
    const partial = values[ci] as number;
    if (partial === -Infinity || (partial < cut && partial < pairScreen)) continue;
    const d = candidates[ci] as number;
    if (partial + slack < theta - EPS) continue;
    candidates[chosen] = d;
    values[chosen++] = partial;
  }
  scratch.theta = theta;
  scratch.slack = slack;
  return chosen;
}

/**
 * Phase 1 over the heaviest features' postings (see `search`). Leaves the candidates in
 * `scratch.candidates`, their partial scores in `scratch.partials`, and the bookkeeping the
 * verification needs in the scratch's fields.
 */
function accumulate(
  snap: Snapshot,
  query: SparseVector,
  order: Int32Array,
  orderLength: number,
  bound: Float64Array,
  rest: Float64Array,
  restSq: Float64Array,
  theta: number,
  accept: ((slot: number) => boolean) | undefined,
): void {
  const scratch = snap.scratch;
  const { partials } = scratch;
  const { postStart, postDoc, postW } = snap;
  const lists = Math.min(orderLength, snap.config.candidateTerms);
  const maxRead = snap.config.maxPostingsPerTerm;
  const impactFloor = snap.config.impactFloor * theta;
  let candidates = scratch.candidates;
  let candidateCount = 0;
  let unreadBound = 0; // what the unread tails of the visited lists could add to any document
  let visited = 0; // lists fully or partly read; the rest count in the verification bound
  let postingsRead = 0;
  for (; visited < lists; visited++) {
    const j = visited;
    const i = order[j] as number;
    const restAfter = rest[j + 1] as number;
    const normAfter = Math.sqrt(restSq[j + 1] as number);
    if (Math.min((bound[i] as number) + restAfter, Math.sqrt(restSq[j] as number)) + unreadBound < theta - EPS) break;
    const q = query.weights[i] as number;
    const f = query.features[i] as number;
    const start = postStart[f] as number;
    const listEnd = postStart[f + 1] as number;
    const end = Math.min(listEnd, start + maxRead);
    // A document first met here with weight w scores at most q*w + min(restAfter,
    // normAfter * sqrt(1 - w^2)) + unreadBound: read while that can reach theta. The
    // sqrt term is relaxed to normAfter to get one cut-off weight for the whole list.
    // A posting adding less than impactFloor * theta is a faint echo of a shared common
    // word: the read stops there too (what the rest could add stays in unreadBound).
    const wMin = Math.max(theta - EPS - unreadBound - Math.min(restAfter, normAfter), impactFloor) / q;
    let p = start;
    for (; p < end; p++) {
      const w = postW[p] as number;
      if (w < wMin) break;
      const d = postDoc[p] as number;
      const old = partials[d] as number;
      if (old !== 0) {
        partials[d] = old + q * w; // met before (NaN and -Infinity stay as they are)
        continue;
      }
      const v = q * w;
      // A refused document is marked -Infinity and listed, so the selection resets it; a
      // contribution too small for float32 still marks its document as met.
      partials[d] = accept !== undefined && !accept(d) ? -Infinity : v > MIN_PARTIAL ? v : MIN_PARTIAL;
      if (candidateCount === candidates.length) candidates = scratch.growCandidates();
      candidates[candidateCount++] = d;
    }
    postingsRead += p - start;
    // Documents past p hold at most postW[p] of this feature (a loose bound for those read
    // before p, whose share is already exact; maxCandidates keeps the cost of that slack small).
    if (p < listEnd) unreadBound += q * (postW[p] as number);
  }
  scratch.candidateCount = candidateCount;
  scratch.unreadBound = unreadBound;
  scratch.visited = visited;
  scratch.postingsRead = postingsRead;
}

/**
 * Among the candidates whose partial score reaches `minPartial`, finds the `limit`-th
 * largest partial score `cut` (-Infinity when there are at most `limit` of them), and keeps
 * (in order, their partial scores copied to `scratch.values`) at least every one that
 * reaches `cut` or `keepAbove`; returns how many were kept. Every candidate's partial is
 * put back to 0.
 * The cut comes from a min-heap of the `limit` largest seen so far, filled in the same
 * pass: its root only rises, so a candidate below both the root and `keepAbove` when it is
 * met can never be chosen and is dropped at once (one comparison for most candidates).
 */
export function selectCandidates(
  scratch: SearchScratch,
  minPartial: number,
  limit: number,
  keepAbove = Infinity,
): { survivors: number; cut: number } {
  const { partials, candidates, values } = scratch;
  const count = scratch.candidateCount;
  let survivors = 0;
  if (limit >= count) {
    for (let ci = 0; ci < count; ci++) {
      const d = candidates[ci] as number;
      const v = partials[d] as number;
      partials[d] = 0;
      if (v >= minPartial) {
        candidates[survivors] = d;
        values[survivors++] = v;
      }
    }
    return { survivors, cut: -Infinity };
  }
  const heap = scratch.heapBuffer(limit);
  let size = 0;
  let seen = 0; // candidates reaching minPartial
  for (let ci = 0; ci < count; ci++) {
    const d = candidates[ci] as number;
    const v = partials[d] as number;
    partials[d] = 0;
    if (!(v >= minPartial)) continue;
    seen++;
    if (size < limit) {
      // Sift up.
      let at = size++;
      while (at > 0) {
        const up = (at - 1) >> 1;
        const parent = heap[up] as number;
        if (parent <= v) break;
        heap[at] = parent;
        at = up;
      }
      heap[at] = v;
    } else if (v > (heap[0] as number)) {
      // Replace the root, sift down.
      let at = 0;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        const right = child + 1;
        if (right < size && (heap[right] as number) < (heap[child] as number)) child = right;
        const c = heap[child] as number;
        if (c >= v) break;
        heap[at] = c;
        at = child;
      }
      heap[at] = v;
    } else if (v < (heap[0] as number) && v < keepAbove) {
      continue; // below the final cut whatever comes later
    }
    candidates[survivors] = d;
    values[survivors++] = v;
  }
  return { survivors, cut: seen <= limit ? -Infinity : (heap[0] as number) };
}

/**
 * The k best hits so far (higher score, then smaller id), whatever order they are offered in.
 */
export class TopHits {
  private readonly heap: Hit[] = [];
  /** Index in `heap` of the worst kept hit, once it is full. */
  private worst = -1;

  constructor(
    private readonly snap: Snapshot,
    private readonly k: number,
  ) {}

  /** Keeps the hit if it is among the k best so far; says whether it was kept. */
  offer(slot: number, score: number): boolean {
    const heap = this.heap;
    if (heap.length < this.k) {
      heap.push({ slot, score });
      if (heap.length === this.k) this.worst = this.worstIndex();
      return true;
    }
    // Most hits lose to the worst kept one at once: no object is made for them.
    const w = heap[this.worst] as Hit;
    if (score < w.score || (score === w.score && !better(this.snap, { slot, score }, w))) return false;
    heap[this.worst] = { slot, score };
    this.worst = this.worstIndex();
    return true;
  }

  /** The search threshold: the k-th best score so far (at least `floor`), never above `pairMin`. */
  threshold(floor: number, pairMin: number): number {
    const full = this.heap.length === this.k;
    return Math.min(full ? Math.max(floor, (this.heap[this.worst] as Hit).score) : floor, pairMin);
  }

  /** The kept hits, best first. */
  sorted(): Hit[] {
    return this.heap.sort((a, b) => (better(this.snap, a, b) ? -1 : 1));
  }

  private worstIndex(): number {
    const heap = this.heap;
    let w = 0;
    for (let i = 1; i < heap.length; i++) if (better(this.snap, heap[w] as Hit, heap[i] as Hit)) w = i;
    return w;
  }
}

/** The k-th largest of values[0 .. count) (quickselect; reorders them). */
export function kthLargest(values: Float64Array, count: number, k: number): number {
  let lo = 0;
  let hi = count - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] ?? 0;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] ?? 0) > pivot) i++;
      while ((values[j] ?? 0) < pivot) j--;
      if (i <= j) {
        const t = values[i] ?? 0;
        values[i] = values[j] ?? 0;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target] ?? 0;
}
