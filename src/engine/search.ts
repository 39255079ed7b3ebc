import type { Snapshot } from './snapshot';
import type { SparseVector } from './vectors';

/** Slack for float noise in bound checks: never prune what could round up to the threshold. */
const EPS = 1e-7;
const SCORE_SCALE = 1e9;

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
  /** Report every document scoring at least this through `onPair` (Infinity: none). */
  pairMin: number;
  /** The query's own slot, skipped (-1 when the query is not in the index). */
  self: number;
  accept?: (slot: number) => boolean;
  onPair?: (slot: number, score: number) => void;
}

export interface Hit {
  slot: number;
  score: number;
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
 * other through its heaviest features; docs/engine.md gives the measured recall.
 */
export function search(snap: Snapshot, query: SparseVector, params: SearchParams): Hit[] {
  const { k, floor, pairMin, self, accept, onPair } = params;
  const damping = snap.config.evidenceDamping;
  const queryEff = effectiveCount(query.weights);
  const featureCount = snap.featureCount;
  const qw = snap.queryWeights;
  const order: number[] = [];
  const bound: number[] = [];
  for (let i = 0; i < query.features.length; i++) {
    const f = query.features[i] ?? 0;
    if (f >= featureCount) continue;
    const w = query.weights[i] ?? 0;
    qw[f] = w;
    const u = w * snap.maxWeight(f);
    if (u > 0) {
      order.push(i);
      bound[i] = u;
    }
  }
  order.sort((x, y) => (bound[y] ?? 0) - (bound[x] ?? 0) || (query.features[x] ?? 0) - (query.features[y] ?? 0));
  // Suffix sums over the visiting order: of the bounds u, and of the squared query weights.
  const rest = new Float64Array(order.length + 1);
  const restSq = new Float64Array(order.length + 1);
  for (let j = order.length - 1; j >= 0; j--) {
    const i = order[j] ?? 0;
    const w = query.weights[i] ?? 0;
    rest[j] = (rest[j + 1] ?? 0) + (bound[i] ?? 0);
    restSq[j] = (restSq[j + 1] ?? 0) + w * w;
  }

  const stamp = ++snap.stamp;
  if (stamp === 0xffffffff) {
    snap.seen.fill(0);
    snap.stamp = 1;
  }
  const { seen, acc, docStart, docFeat, docW, postStart, postDoc, postW, work } = snap;
  if (self >= 0) seen[self] = snap.stamp;
  const heap: Hit[] = [];
  let worst = -1; // index in heap of the worst kept hit, when full
  const threshold = (): number => {
    const topT = k > 0 ? (heap.length === k ? Math.max(floor, (heap[worst] as Hit).score) : floor) : Infinity;
    return Math.min(topT, pairMin);
  };
  let theta = threshold();

  // Phase 1: accumulate over the heaviest features' postings.
  const lists = Math.min(order.length, snap.config.candidateTerms);
  const maxRead = snap.config.maxPostingsPerTerm;
  let candidates: Int32Array = snap.candidateScratch;
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
    const f = query.features[i] as number;
    const q = query.weights[i] as number;
    const start = postStart[f] as number;
    const listEnd = postStart[f + 1] as number;
    const end = Math.min(listEnd, start + maxRead);
    // A document first met here with weight w scores at most q*w + min(restAfter,
    // normAfter * sqrt(1 - w^2)) + unreadBound: read while that can reach theta. The
    // sqrt term is relaxed to normAfter to get one cut-off weight for the whole list.
    const wMin = (theta - EPS - unreadBound - Math.min(restAfter, normAfter)) / q;
    let p = start;
    for (; p < end; p++) {
      const w = postW[p] as number;
      if (w < wMin) break;
      const d = postDoc[p] as number;
      if (seen[d] !== stamp) {
        seen[d] = stamp;
        if (accept && !accept(d)) {
          acc[2 * d] = -Infinity;
          continue;
        }
        acc[2 * d] = q * w;
        acc[2 * d + 1] = w * w;
        if (candidateCount === candidates.length) candidates = snap.growCandidates();
        candidates[candidateCount++] = d;
        continue;
      }
      acc[2 * d] = (acc[2 * d] as number) + q * w;
      acc[2 * d + 1] = (acc[2 * d + 1] as number) + w * w;
    }
    postingsRead += p - start;
    // Documents past p hold at most postW[p] of this feature (a loose bound for those read
    // before p, whose share is already exact; maxCandidates keeps the cost of that slack small).
    if (p < listEnd) unreadBound += q * (postW[p] as number);
  }
  work.postingsRead += postingsRead;
  const restU = rest[visited] ?? 0;
  const restNorm = Math.sqrt(restSq[visited] ?? 0);

  const queryFeatures = query.features;
  const queryLength = queryFeatures.length;
  // Phase 2: verify the candidates that can still reach the threshold; when there are more
  // than `maxCandidates`, only those with the largest partial scores.
  const cut = candidateCount > snap.config.maxCandidates ? kthLargest(snap, candidates, candidateCount, snap.config.maxCandidates) : -Infinity;
  for (let ci = 0; ci < candidateCount; ci++) {
    const d = candidates[ci] as number;
    const partial = acc[2 * d] as number;
    // Beyond the top maxCandidates, a candidate whose partial score alone reaches the pair
    // threshold is still scored: stored pairs matter more than neighbour ranks.
    if (partial === -Infinity || (partial < cut && partial < pairMin)) continue;
    const upper = partial + unreadBound + Math.min(restU, restNorm * Math.sqrt(Math.max(0, 1 - (acc[2 * d + 1] as number))));
    if (upper < theta - EPS) continue;
    work.candidatesScored++;
    let s = 0;
    let s2 = 0;
    // Both feature lists ascend: merge them (the products of shared features, in the same
    // ascending order as a pass over the document's features).
    const de = docStart[d + 1] as number;
    let x = docStart[d] as number;
    let y = 0;
    if (x < de && y < queryLength) {
      let fx = docFeat[x] as number;
      let fy = queryFeatures[y] as number;
      for (;;) {
        if (fx < fy) {
          if (++x === de) break;
          fx = docFeat[x] as number;
        } else if (fx > fy) {
          if (++y === queryLength) break;
          fy = queryFeatures[y] as number;
        } else {
          const c = (qw[fx] as number) * (docW[x] as number);
          s += c;
          s2 += c * c;
          if (++x === de || ++y === queryLength) break;
          fx = docFeat[x] as number;
          fy = queryFeatures[y] as number;
        }
      }
    }
    const score = finalScore(s, s2, damping, Math.min(queryEff, snap.effective[d] ?? 0));
    if (onPair && score >= pairMin) onPair(d, score);
    if (k > 0 && score >= floor) {
      const hit: Hit = { slot: d, score };
      if (heap.length < k) {
        heap.push(hit);
        if (heap.length === k) worst = worstIndex(snap, heap);
      } else if (better(snap, hit, heap[worst] as Hit)) {
        heap[worst] = hit;
        worst = worstIndex(snap, heap);
      } else continue;
      theta = threshold();
    }
  }
  for (const f of query.features) if (f < featureCount) qw[f] = 0;
  heap.sort((a, b) => (better(snap, a, b) ? -1 : 1));
  return heap;
}

function worstIndex(snap: Snapshot, heap: Hit[]): number {
  let w = 0;
  for (let i = 1; i < heap.length; i++) if (better(snap, heap[w] as Hit, heap[i] as Hit)) w = i;
  return w;
}

/** The k-th largest accumulator among the candidates (quickselect on a scratch copy). */
function kthLargest(snap: Snapshot, candidates: Int32Array, count: number, k: number): number {
  const values = snap.selectScratch(count);
  const acc = snap.acc;
  for (let i = 0; i < count; i++) values[i] = acc[2 * (candidates[i] as number)] as number;
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
