import type { Cluster, ScoredPair, Tier } from './types';

/**
 * Connected groups of issues joined by pairs of the given tier (default "duplicate";
 * "related" joins pairs of both tiers). The representative is the member with the highest
 * sum of pair scores inside its group (the most central issue), ties to the smaller id.
 * Groups come out largest first, then by representative id; members are sorted.
 */
export function buildClusters(pairs: ScoredPair[], opts: { tier?: Tier } = {}): Cluster[] {
  const tier = opts.tier ?? 'duplicate';
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    // Path compression keeps later finds short on long chains.
    for (let cur = x; cur !== root; ) {
      const next = parent.get(cur) ?? root;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const kept = pairs.filter((p) => (tier === 'duplicate' ? p.tier === 'duplicate' : true) && p.a !== p.b);
  for (const { a, b } of kept) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    // The smaller id becomes the root, so the result is independent of pair order.
    if (ra !== rb) {
      if (ra < rb) parent.set(rb, ra);
      else parent.set(ra, rb);
    }
  }
  const groups = new Map<string, { members: Set<string>; maxScore: number; strength: Map<string, number> }>();
  for (const { a, b, score } of kept) {
    const root = find(a);
    let g = groups.get(root);
    if (!g) {
      g = { members: new Set(), maxScore: 0, strength: new Map() };
      groups.set(root, g);
    }
    g.members.add(a);
    g.members.add(b);
    g.maxScore = Math.max(g.maxScore, score);
    g.strength.set(a, (g.strength.get(a) ?? 0) + score);
    g.strength.set(b, (g.strength.get(b) ?? 0) + score);
  }
  const out: Cluster[] = [];
  for (const g of groups.values()) {
    const members = Array.from(g.members).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    let rep = members[0] ?? '';
    for (const m of members) {
      const s = g.strength.get(m) ?? 0;
      const best = g.strength.get(rep) ?? 0;
      if (s > best + 1e-12) rep = m;
    }
    out.push({ id: rep, representative: rep, members, maxScore: g.maxScore });
  }
  out.sort((x, y) => y.members.length - x.members.length || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return out;
}
