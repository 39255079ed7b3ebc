/**
 * An honest cap on stored suggestions: every pair in the "duplicate" tier is kept, and a
 * "related" pair is kept when it is among the RELATED_PER_ISSUE best pairs of either of its
 * issues. Without it a 20,000-issue backlog stores over 200,000 related pairs (most of them the
 * 20th-best neighbour of something) and the SQL footprint passes Forge's budget, while the
 * issue view only ever shows a handful.
 */
import type { ScoredPair } from '../engine';

export const RELATED_PER_ISSUE = 4;

/** `pairs` must be sorted best first (as allPairs returns them). */
export function capPairs(pairs: ScoredPair[], perIssue = RELATED_PER_ISSUE): ScoredPair[] {
  const rank = new Map<string, number>();
  const kept: ScoredPair[] = [];
  for (const p of pairs) {
    const ra = rank.get(p.a) ?? 0;
    const rb = rank.get(p.b) ?? 0;
    if (p.tier === 'duplicate' || ra < perIssue || rb < perIssue) kept.push(p);
    rank.set(p.a, ra + 1);
    rank.set(p.b, rb + 1);
  }
  return kept;
}
