import { extractTerms, type SimilarityIndex } from '../../engine';
import type { EvalQuery } from './eval-protocol';
import type { IssueRecord } from './issue-record';

/** How many matches the create dialog's check looks at (src/resolvers/methods/create-check.ts). */
const SHOWN = 5;
/** Issues too early to have much before them are not counted as new issues. */
const WARM_UP_SHARE = 0.2;

export interface CreateCheckRow {
  /** Lowest score shown as a warning. */
  minScore: number;
  /** Known duplicates (time-aware queries) whose earlier issue is among the matches at or above it. */
  duplicatesWarned: number;
  /** New issues with no known duplicate that still get a warning (their best match reaches it). */
  othersWarned: number;
}

export interface CreateCheckTable {
  draft: 'summary' | 'summary+description';
  queries: number;
  others: number;
  rows: CreateCheckRow[];
}

/**
 * What the create dialog's check would say, on a labelled set: each issue as a draft (its
 * summary alone, as typed first, or with its description) against the issues created before
 * it, as the check compares a draft with the stored issues. For each lowest score: how many
 * known duplicates get their earlier issue named, and how many other new issues get a
 * warning all the same.
 */
export function createCheckTables(index: SimilarityIndex, issues: IssueRecord[], queries: EvalQuery[], minScores: number[]): CreateCheckTable[] {
  const created = new Map(issues.map((i) => [i.id, i.createdMs]));
  const byId = new Map(issues.map((i) => [i.id, i]));
  const asked = new Set(queries.map((q) => q.query));
  const ordered = [...issues].sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1));
  const others = ordered.slice(Math.floor(ordered.length * WARM_UP_SHARE)).filter((i) => !asked.has(i.id));
  const lowest = Math.min(...minScores);
  return (['summary', 'summary+description'] as const).map((draft) => {
    const asDraft = (i: IssueRecord) => extractTerms({ id: '', summary: i.summary, description: draft === 'summary' ? '' : i.description });
    const before = (createdMs: number, self: string) => (other: string) => other !== self && (created.get(other) ?? Infinity) < createdMs;
    const trueScores: number[] = [];
    for (const q of queries) {
      const issue = byId.get(q.query);
      if (!issue) continue;
      const hits = index.query(asDraft(issue), SHOWN, { minScore: lowest, accept: before(q.createdMs, q.query) });
      const hit = hits.find((h) => q.relevant.has(h.id));
      if (hit) trueScores.push(hit.score);
    }
    const best = others.map((i) => index.query(asDraft(i), 1, { minScore: lowest, accept: before(i.createdMs, i.id) })[0]?.score ?? 0);
    return {
      draft,
      queries: queries.length,
      others: others.length,
      rows: minScores.map((minScore) => ({
        minScore,
        duplicatesWarned: trueScores.filter((s) => s >= minScore).length,
        othersWarned: best.filter((s) => s >= minScore).length,
      })),
    };
  });
}
