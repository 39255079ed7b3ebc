import type { IssueRecord } from './issue-record';

/** Cut-offs reported for recall. */
export const RECALL_AT = [1, 5, 10, 20] as const;
/** Ranks looked at for MAP; a first hit further down counts as a miss (1/1000 is noise). */
export const MAP_DEPTH = 1000;

export interface EvalQuery {
  /** The newer issue of a known pair. */
  query: string;
  createdMs: number;
  /** Issues of its duplicate group created strictly before it. */
  relevant: Set<string>;
}

export interface Metrics {
  r1: number;
  r5: number;
  r10: number;
  r20: number;
  map: number;
}

/**
 * The time-aware protocol: one query per known pair, the newer issue asking; the answer is
 * any issue of its duplicate group (connected pairs) created before it. Ties in creation
 * time go to the larger id as "newer", so every pair yields exactly one query.
 */
export function buildQueries(issues: IssueRecord[], pairs: Array<[string, string]>): EvalQuery[] {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const usable = pairs.filter(([a, b]) => byId.has(a) && byId.has(b));
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while ((parent.get(r) ?? r) !== r) r = parent.get(r) ?? r;
    return r;
  };
  for (const [a, b] of usable) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    const g = groups.get(r) ?? [];
    g.push(id);
    groups.set(r, g);
  }
  const created = (id: string): number => byId.get(id)?.createdMs ?? NaN;
  const newer = (a: string, b: string): boolean => {
    const ca = created(a);
    const cb = created(b);
    return ca !== cb ? ca > cb : a > b;
  };
  return usable.map(([a, b]) => {
    const query = newer(a, b) ? a : b;
    const qc = created(query);
    const group = groups.get(find(query)) ?? [];
    return { query, createdMs: qc, relevant: new Set(group.filter((m) => m !== query && created(m) < qc)) };
  });
}

/** Recall at the cut-offs and MAP (mean reciprocal rank of the first correct issue). */
export function scoreRankings(queries: EvalQuery[], rank: (q: EvalQuery) => string[]): Metrics {
  const hits = [0, 0, 0, 0];
  let reciprocal = 0;
  for (const q of queries) {
    const ranked = rank(q);
    const first = ranked.findIndex((id) => q.relevant.has(id));
    if (first < 0 || first >= MAP_DEPTH) continue;
    reciprocal += 1 / (first + 1);
    RECALL_AT.forEach((k, i) => {
      if (first < k) hits[i] = (hits[i] ?? 0) + 1;
    });
  }
  const n = Math.max(1, queries.length);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    r1: round((hits[0] ?? 0) / n),
    r5: round((hits[1] ?? 0) / n),
    r10: round((hits[2] ?? 0) / n),
    r20: round((hits[3] ?? 0) / n),
    map: round(reciprocal / n),
  };
}
