/**
 * Two issues can read almost alike and still be different work: "Upgrade jackson-databind to
 * 2.9.10.3" and "… to 2.9.10.4", "Backport HADOOP-17371 to branch-3.2" and "… to branch-3.1".
 * Their text scores high, yet the one thing that tells them apart is the version, branch or
 * issue key each summary names. When both summaries name marks of one kind (versions,
 * branches or issue keys) and share none of that kind, the pair is at most "related": it
 * stays listed, with its score, but is not offered as a possible duplicate and does not join
 * a cluster.
 *
 * On the dev set no known duplicate pair has marks in both summaries (measured: 0 of 66), so
 * the rule costs it nothing; a real duplicate filed against two releases would be shown as
 * related, which is the trade made here.
 */
import type { ScoredPair, Tier } from '../engine';

/** Versions: 1.2, 2.9.10.3, v3.3.1-RC0 (a lone number such as "Centos 7" is not one). */
const VERSION = /(?<![\p{L}\p{N}.-])v?\d+\.\d+(?:\.\d+)*(?:-[a-z0-9]+)?(?![\p{L}\p{N}])/giu;
/** Branch names: branch-3.2, branch-2.10. */
const BRANCH = /(?<![\p{L}\p{N}])branch-[a-z0-9][a-z0-9._-]*[a-z0-9]/giu;
/** Issue keys; a key counts only when its project is one the site analyses (UTF-8 is no issue). */
const ISSUE_KEY = /(?<![\p{L}\p{N}-])([A-Z][A-Z0-9_]+)-(\d+)(?![\p{L}\p{N}])/gu;

export interface SummaryMarks {
  versions: Set<string>;
  branches: Set<string>;
  keys: Set<string>;
}

/** The versions, branches and issue keys a summary names, lower-cased. */
export function summaryMarks(summary: string, projectKeys: ReadonlySet<string>): SummaryMarks {
  const branches = new Set(Array.from(summary.matchAll(BRANCH), (m) => m[0].toLowerCase()));
  // A branch's own number is not a version of its own.
  const withoutBranches = summary.replace(BRANCH, ' ');
  const versions = new Set(Array.from(withoutBranches.matchAll(VERSION), (m) => m[0].toLowerCase().replace(/^v/, '')));
  const keys = new Set<string>();
  for (const m of summary.matchAll(ISSUE_KEY)) if (projectKeys.has(m[1] ?? '')) keys.add(m[0].toUpperCase());
  return { versions, branches, keys };
}

function disjoint(x: Set<string>, y: Set<string>): boolean {
  if (x.size === 0 || y.size === 0) return false;
  for (const m of x) if (y.has(m)) return false;
  return true;
}

/**
 * Whether the summaries name different work: for versions, branches or issue keys, both name
 * some and share none ("to 2.9.10.3" / "to 2.9.10.4"; "HADOOP-17653" / "HADOOP-18671").
 */
export function namesOtherWork(a: string, b: string, projectKeys: ReadonlySet<string>): boolean {
  const ma = summaryMarks(a, projectKeys);
  if (ma.versions.size + ma.branches.size + ma.keys.size === 0) return false;
  const mb = summaryMarks(b, projectKeys);
  return disjoint(ma.versions, mb.versions) || disjoint(ma.branches, mb.branches) || disjoint(ma.keys, mb.keys);
}

/**
 * Why two summaries name different work, for people: "The summaries name different
 * versions: 2.9.10.3 and 2.9.10.4." Null when they do not (see `namesOtherWork`).
 */
export function otherWorkNote(a: string, b: string, projectKeys: ReadonlySet<string>): string | null {
  const ma = summaryMarks(a, projectKeys);
  if (ma.versions.size + ma.branches.size + ma.keys.size === 0) return null;
  const mb = summaryMarks(b, projectKeys);
  const some = (x: Set<string>): string => [...x].slice(0, 2).join(', ');
  for (const [kind, x, y] of [
    ['versions', ma.versions, mb.versions],
    ['branches', ma.branches, mb.branches],
    ['issue keys', ma.keys, mb.keys],
  ] as const) {
    if (disjoint(x, y)) return `The summaries name different ${kind}: ${some(x)} and ${some(y)}.`;
  }
  return null;
}

/** The tier a pair is stored with: a possible duplicate that names other work is related. */
export function tierFor(tier: Tier, a: string, b: string, projectKeys: ReadonlySet<string>): Tier {
  return tier === 'duplicate' && namesOtherWork(a, b, projectKeys) ? 'related' : tier;
}

/** `tierFor` over the engine's pairs, given each issue's summary. */
export function withWorkTiers(pairs: ScoredPair[], summaryOf: (id: string) => string | undefined, projectKeys: ReadonlySet<string>): ScoredPair[] {
  return pairs.map((p) => {
    if (p.tier !== 'duplicate') return p;
    const tier = tierFor(p.tier, summaryOf(p.a) ?? '', summaryOf(p.b) ?? '', projectKeys);
    return tier === p.tier ? p : { ...p, tier };
  });
}
