/**
 * `clusters.list`: groups of issues joined by duplicate-tier pairs.
 *
 * Clusters are built per call from the pairs this user may see, not read from the stored
 * cluster ids: a stored cluster can be joined through an issue the viewer may not browse,
 * and showing its other members together would reveal that hidden link.
 */
import { buildClusters, type ScoredPair } from '../../engine';
import type { ClusterDismissal, ClusterView, IssueRef, Payload, ResultOf } from '../../shared/contract';
import { foldForSearch } from '../../shared/search-fold';
import { toIssueRef } from '../../store/docs';
import { dismissedPairsAmong, listPairs } from '../../store/review';
import { actorNames } from '../actor-names';
import type { CallContext } from '../call-context';
import { MAX_CLUSTER_MEMBERS } from '../schemas';
import { browsablePairsWithLinkRight, visibilityQuery, visibleProjectsFor } from '../visibility';
import { isoOf, reviewStatusOf } from '../views';
import { DEFAULT_PAGE_SIZE, pageProject } from './pairs';

/** Strongest pairs considered; keeps the call well inside the SQL response and time limits. */
const MAX_PAIRS = 3000;

/** Each word is a member's key or in a member's summary, in any case and with accents folded, as in the review queue. */
function matches(members: IssueRef[], search: string): boolean {
  const words = foldForSearch(search).split(/\s+/).filter((w) => w !== '');
  const folded = members.map((m) => ({ key: m.key.toLowerCase(), summary: foldForSearch(m.summary) }));
  return words.every((w) => folded.some((m) => m.key === w || m.summary.includes(w)));
}

/** Issue keys in reading order: project, then number ("SHOP-9" before "SHOP-10"). */
function compareKeys(x: string, y: string): number {
  const [px = '', nx = ''] = x.split('-');
  const [py = '', ny = ''] = y.split('-');
  if (px !== py) return px < py ? -1 : 1;
  return Number(nx) - Number(ny) || (x < y ? -1 : x > y ? 1 : 0);
}

/**
 * How alike a cluster's issues are as a group: the mean score over every two of its members,
 * a two that no duplicate-tier pair joins counting as 0, in whole percents. Six copies of one
 * report, every two of them alike, score near their pairs' scores; twelve issues chained one
 * to the next (single linkage joins them through each other) score low, though each link is
 * strong.
 */
export function togetherness(c: Pick<ClusterView, 'size' | 'pairs' | 'maxScore'>): number {
  const twos = (c.size * (c.size - 1)) / 2;
  if (twos <= 0) return 0;
  // A cluster listed without its pairs is judged by its strongest.
  const sum = c.pairs.length > 0 ? c.pairs.reduce((n, p) => n + p.score, 0) : c.maxScore;
  return Math.round((100 * Math.min(sum, twos)) / twos);
}

/**
 * The order clusters are listed in: those with pairs still to review first, then by how many
 * duplicates linking the group would likely settle (its other members, weighed by the square
 * of how alike the group is, `togetherness`), then the largest, then the strongest pair, then by the main
 * issue's key. Size alone came second before: a loose chain of twelve issues was listed above
 * six copies of one report.
 */
export function orderClusters<C extends ClusterView>(clusters: C[]): C[] {
  // Squared: a loose group's links are less likely all duplicates than a tight group's.
  const together = new Map(clusters.map((c) => [c, Math.round(((togetherness(c) / 100) ** 2) * (c.size - 1) * 100)]));
  return [...clusters].sort(
    (x, y) =>
      Number(y.pendingPairs > 0) - Number(x.pendingPairs > 0) ||
      (together.get(y) ?? 0) - (together.get(x) ?? 0) ||
      y.size - x.size ||
      y.maxScore - x.maxScore ||
      compareKeys(x.representative.key, y.representative.key),
  );
}

export async function clustersMethod(payload: Payload<'clusters.list'>, ctx: CallContext): Promise<ResultOf<'clusters.list'>> {
  const projectKey = pageProject(payload.projectKey, ctx);
  const visible = await visibleProjectsFor(projectKey);
  const rows = await listPairs(
    { ...visibilityQuery(visible), projectKey, tier: 'duplicate' },
    { sort: 'score', order: 'desc', limit: MAX_PAIRS, offset: 0 },
  );
  // Which issues the viewer may link is asked in the same permission call that checks them.
  const { pairs, canLink } = await browsablePairsWithLinkRight(rows.filter((p) => reviewStatusOf(p.status) !== 'dismissed'));

  const docs = new Map<string, IssueRef>();
  for (const p of pairs) {
    docs.set(p.a.id, toIssueRef(p.a));
    docs.set(p.b.id, toIssueRef(p.b));
  }
  const scored: ScoredPair[] = pairs.map((p) => ({ a: p.a.id, b: p.b.id, score: p.score, tier: 'duplicate' }));
  const pendingByIssue = new Map<string, number>();
  for (const p of pairs) {
    if (reviewStatusOf(p.status) !== 'pending') continue;
    // Counted on one side only, so a cluster's sum is its number of pending pairs.
    pendingByIssue.set(p.a.id, (pendingByIssue.get(p.a.id) ?? 0) + 1);
  }

  const built = buildClusters(scored, { tier: 'duplicate' });
  // Every pair joins two members of one cluster: grouped by its first issue's cluster, in the
  // strongest-first order `scored` has.
  const clusterOf = new Map<string, string>();
  for (const c of built) for (const m of c.members) clusterOf.set(m, c.id);
  const pairsOf = new Map<string, ClusterView['pairs']>();
  for (const p of scored) {
    const id = clusterOf.get(p.a);
    if (id === undefined) continue;
    const list = pairsOf.get(id) ?? [];
    list.push({ a: p.a, b: p.b, score: p.score });
    pairsOf.set(id, list);
  }
  // The clusters the viewer may link: `clusters.link` asks for Link Issues on one of the issues
  // it names, so one member of the cluster is enough (a pair with that right has such a member).
  const linkable = new Set<string>();
  for (const p of pairs) {
    const id = clusterOf.get(p.a.id);
    if (id !== undefined && canLink(p)) linkable.add(id);
  }
  let clusters: Array<ClusterView & { canLink: boolean }> = built.map((c) => {
    const members = c.members.map((id) => docs.get(id)).filter((m): m is IssueRef => m !== undefined);
    const representative = docs.get(c.representative) ?? members[0];
    return {
      id: c.id,
      representative: representative as IssueRef,
      members,
      size: members.length,
      maxScore: c.maxScore,
      pendingPairs: c.members.reduce((n, id) => n + (pendingByIssue.get(id) ?? 0), 0),
      pairs: pairsOf.get(c.id) ?? [],
      canLink: linkable.has(c.id),
    };
  });
  if (payload.search !== undefined && payload.search.trim() !== '') {
    const search = payload.search;
    clusters = clusters.filter((c) => matches(c.members, search));
  }
  clusters = orderClusters(clusters);
  const page = payload.page ?? 1;
  const pageSize = payload.pageSize ?? DEFAULT_PAGE_SIZE;
  const items = clusters.slice((page - 1) * pageSize, page * pageSize);
  const dismissed = await dismissalsWithin(items);
  const actors = await actorNames([...dismissed.values()].flatMap((list) => list.map((d) => d.decidedBy)), 'clusters.actors');
  return { items: items.map((c) => ({ ...c, dismissed: dismissed.get(c.id) ?? [] })), total: clusters.length, page, pageSize, actors };
}

/**
 * The dismissed pairs inside each cluster of a page that may still be linked (pairs to review,
 * not too many members to link at once): one read for the page. Both issues of such a pair
 * are members, so the viewer may browse them. By cluster id.
 */
async function dismissalsWithin(items: ClusterView[]): Promise<Map<string, ClusterDismissal[]>> {
  const clusterOf = new Map<string, string>();
  for (const c of items) {
    if (c.pendingPairs === 0 || c.members.length > MAX_CLUSTER_MEMBERS) continue;
    for (const m of c.members) clusterOf.set(m.id, c.id);
  }
  const out = new Map<string, ClusterDismissal[]>();
  for (const p of await dismissedPairsAmong([...clusterOf.keys()])) {
    const id = clusterOf.get(p.a);
    if (id === undefined || clusterOf.get(p.b) !== id) continue;
    const list = out.get(id) ?? [];
    list.push({ pairId: p.id, a: p.a, b: p.b, decidedBy: p.decidedBy, decidedAt: isoOf(p.decidedMs), dismissReason: p.dismissReason });
    out.set(id, list);
  }
  return out;
}
