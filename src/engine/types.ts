/** Public data shapes of the duplicate-detection engine. Plain data only: everything here survives JSON. */

export type FieldName = 'summary' | 'description' | 'labels' | 'components' | 'type';
export type Tier = 'duplicate' | 'related';

/** Every field an issue can contribute, in the order the engine walks them. */
export const FIELD_NAMES: readonly FieldName[] = ['summary', 'description', 'labels', 'components', 'type'];

/** The raw text of one issue, as the engine accepts it. */
export interface IssueText {
  id: string;
  summary: string;
  /** An ADF document object, a Jira wiki / plain text string, or null/undefined. */
  description?: unknown;
  labels?: string[];
  components?: string[];
  type?: string;
}

/** One term and how often it occurs in a field. */
export type TermCount = readonly [term: string, count: number];

/**
 * The analysed form of one issue: per-field term counts, sorted by count (descending)
 * then first occurrence. `description` holds prose; `code` holds terms from code
 * blocks, stack traces and log lines, which the index weighs separately (they are
 * mostly boilerplate shared by unrelated issues).
 */
export interface DocTerms {
  id: string;
  fields: DocFields;
}

export type DocField = FieldName | 'code';
export type DocFields = { [F in DocField]?: TermCount[] };

export interface Neighbour {
  id: string;
  score: number;
  tier: Tier | null;
}

/** A scored pair; `a` < `b` in string order. */
export interface ScoredPair {
  a: string;
  b: string;
  score: number;
  tier: Tier;
}

export interface NeighbourOptions {
  /** Lowest score returned (default: the index's `neighbourFloor`). */
  minScore?: number;
  /** Only ids for which this returns true are considered. */
  accept?: (otherId: string) => boolean;
}

export interface PairOptions {
  /** Lowest score returned (default: `thresholds.related`). */
  minScore?: number;
  accept?: (a: string, b: string) => boolean;
}

export interface Explanation {
  score: number;
  /** Shared terms by contribution, largest first; `share` is the fraction of `score`. */
  terms: Array<{ term: string; share: number }>;
}

export interface Cluster {
  /** Stable id: the representative's id. */
  id: string;
  representative: string;
  members: string[];
  maxScore: number;
}
