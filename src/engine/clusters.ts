import type { Cluster, ScoredPair, Tier } from './types';

/**
 * Union-find over string ids, with path compression. The smaller id of two groups becomes
 * the root when they are joined, so roots do not depend on the order of the joins.
 */
export class IdGroups {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    for (let up = this.parent.get(root); up !== undefined && up !== root; up = this.parent.get(root)) root = up;
    // Path compression keeps later finds short on long chains.
    for (let at = id; at !== root; ) {
      const next = this.parent.get(at) ?? root;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }

  joined(a: string, b: string): boolean {
    return this.find(a) === this.find(b);
  }

  join(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra < rb) this.parent.set(rb, ra);
    else if (rb < ra) this.parent.set(ra, rb);
  }
}

/**
 * Connected groups of issues joined by pairs of the given tier (default "duplicate";
 * "related" joins pairs of both tiers). The representative is the member with the highest
 * sum of pair scores inside its group (the most central issue), ties to the smaller id.
 * Groups come out largest first, then by representative id; members are sorted.
 */
export function buildClusters(pairs: ScoredPair[], opts: { tier?: Tier } = {}): Cluster[] {
  const tier = opts.tier ?? 'duplicate';
  const joins = new IdGroups();
  const kept = pairs.filter((p) => (tier === 'duplicate' ? p.tier === 'duplicate' : true) && p.a !== p.b);
  for (const { a, b } of kept) joins.join(a, b);
  const groups = new Map<string, { members: Set<string>; maxScore: number; strength: Map<string, number> }>();
  for (const { a, b, score } of kept) {
    const root = joins.find(a);
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
