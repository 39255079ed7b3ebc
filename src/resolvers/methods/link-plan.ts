/**
 * The order in which a bulk confirmation links its pairs, so that it makes one Duplicate
 * link per issue joined rather than one per pair.
 *
 * Six copies of one report make fifteen pairs. Confirming them all pair by pair would leave
 * fifteen links (an issue "duplicating" three others and "duplicated by" two more): the web
 * the Clusters tab exists to avoid. Instead, within each group of issues the selected pairs
 * join, the pairs with the group's oldest issue (the original) come first, strongest first,
 * then the rest, strongest first. Linking in that order and skipping a pair whose issues the
 * links already made have joined leaves a tree: for six copies, five links to the original.
 */
import { IdGroups } from '../../engine';
import { filedAfter, resolvedAsDuplicate } from '../../shared/newer-issue';
import type { DocMeta } from '../../store/docs';

export interface PlannedPair {
  id: string;
  a: DocMeta;
  b: DocMeta;
  score: number;
}

/** The pairs in the order to link them (see the module comment); the input is not changed. */
export function linkOrder<P extends PlannedPair>(pairs: readonly P[]): P[] {
  const groups = new IdGroups();
  const issues = new Map<string, DocMeta>();
  for (const p of pairs) {
    groups.join(p.a.id, p.b.id);
    issues.set(p.a.id, p.a);
    issues.set(p.b.id, p.b);
  }
  // Each group's original: the issue filed first, passing over one already closed as a
  // duplicate in Jira when the group has another.
  const original = new Map<string, DocMeta>();
  const rank = (d: DocMeta): number => (resolvedAsDuplicate(d.resolution) ? 1 : 0);
  for (const issue of issues.values()) {
    const root = groups.find(issue.id);
    const known = original.get(root);
    if (known === undefined || rank(known) > rank(issue) || (rank(known) === rank(issue) && filedAfter(known, issue))) original.set(root, issue);
  }
  const withOriginal = (p: P): boolean => {
    const first = original.get(groups.find(p.a.id));
    return first !== undefined && (first.id === p.a.id || first.id === p.b.id);
  };
  return [...pairs].sort((x, y) => Number(withOriginal(y)) - Number(withOriginal(x)) || y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
