import type { Snapshot } from './snapshot';
import type { SparseVector } from './vectors';

/** Slack for float noise in bound checks: never prune what could round up to the threshold. */
const EPS = 1e-7;
const SCORE_SCALE = 1e9;

/** Scores are rounded to 1e-9 so float summation order (which depends on term ids) never changes a result. */
export function roundScore(s: number): number {
  return Math.round(s * SCORE_SCALE) / SCORE_SCALE;
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
 * Exact top-k and threshold search for one query vector (term-at-a-time with pruning).
 *
 * Query features are visited by their upper bound u = q_f * maxWeight(f), largest first;
 * `rest` is the sum of the bounds still to come. A document first met in list f can score
 * at most q_f * w + rest, so a list is read only while that can reach the current
 * threshold, and the search stops once u + rest cannot. Each document met is scored exactly
 * once against the query (a sparse dot product), which lifts the threshold (the k-th best
 * score) and shortens the lists that follow. No document that could reach the threshold
 * is skipped, so results equal a brute-force pass.
 */
export function search(snap: Snapshot, query: SparseVector, params: SearchParams): Hit[] {
  const { k, floor, pairMin, self, accept, onPair } = params;
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
  const rest = new Float64Array(order.length + 1);
  for (let j = order.length - 1; j >= 0; j--) rest[j] = (rest[j + 1] ?? 0) + (bound[order[j] ?? 0] ?? 0);

  const stamp = ++snap.stamp;
  if (stamp === 0xffffffff) {
    snap.seen.fill(0);
    snap.stamp = 1;
  }
  const seen = snap.seen;
  if (self >= 0) seen[self] = snap.stamp;
  const heap: Hit[] = [];
  let worst = -1; // index in heap of the worst kept hit, when full
  const threshold = (): number => {
    const topT = k > 0 ? (heap.length === k ? Math.max(floor, (heap[worst] as Hit).score) : floor) : Infinity;
    return Math.min(topT, pairMin);
  };
  let theta = threshold();
  const { docStart, docFeat, docW, postStart, postDoc, postW } = snap;

  for (let j = 0; j < order.length; j++) {
    const i = order[j] ?? 0;
    const restAfter = rest[j + 1] ?? 0;
    if ((bound[i] ?? 0) + restAfter < theta - EPS) break;
    const f = query.features[i] ?? 0;
    const q = query.weights[i] ?? 0;
    const end = postStart[f + 1] ?? 0;
    for (let p = postStart[f] ?? 0; p < end; p++) {
      if (q * (postW[p] ?? 0) + restAfter < theta - EPS) break;
      const d = postDoc[p] ?? 0;
      if (seen[d] === stamp) continue;
      seen[d] = stamp;
      if (accept && !accept(d)) continue;
      let s = 0;
      const de = docStart[d + 1] ?? 0;
      for (let x = docStart[d] ?? 0; x < de; x++) s += (qw[docFeat[x] ?? 0] ?? 0) * (docW[x] ?? 0);
      const score = roundScore(s);
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
