/**
 * The cells of a pair that both CSV files write and that mean the same in both: the review
 * queue's export (`export.csv`: Issue A, Issue B, Score, Tier, Shared terms, Why only
 * related) and `npm run analyze --out` (key_a, key_b, score, tier, shared_terms,
 * other_work). One mapper, so that the two files keep writing them alike: scores cut off,
 * never rounded up; shared terms as written, separated by "; "; no note where there is none.
 * Each file places the cells in its own columns, beside those only it has.
 */
import type { Tier } from './contract';
import { scoreText } from './score-text';

/** Between two shared terms in one cell (a term may hold a comma: "e.g., x"). */
export const SHARED_TERMS_SEPARATOR = '; ';

export interface PairFacts {
  /** The issues' keys, as Jira shows them ('' when the file has none). */
  keyA: string;
  keyB: string;
  /** The similarity, 0 to 1. */
  score: number;
  tier: Tier;
  /** The words the two issues share, as the issues write them, best first. */
  sharedTerms: readonly string[];
  /**
   * Why the pair is only related whatever its score (`otherWorkNote`): given only for a
   * related pair whose score reaches the duplicate threshold; null otherwise.
   */
  otherWork: string | null;
}

export interface PairCells {
  keyA: string;
  keyB: string;
  score: string;
  tier: string;
  sharedTerms: string;
  otherWork: string;
}

/** The cells of `pair`, its score with `scorePlaces` decimals (cut off, as `scoreText` writes it). */
export function pairCells(pair: PairFacts, scorePlaces: number): PairCells {
  return {
    keyA: pair.keyA,
    keyB: pair.keyB,
    score: scoreText(pair.score, scorePlaces),
    tier: pair.tier,
    sharedTerms: pair.sharedTerms.join(SHARED_TERMS_SEPARATOR),
    otherWork: pair.otherWork ?? '',
  };
}
