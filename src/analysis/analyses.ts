/**
 * The analyses every run and every issue event feeds (see issue-analysis.ts), and what the
 * shared machinery does with all of them at once.
 */
import type { Settings } from '../shared/contract';
import { deletedAmong } from '../store/deleted-issues';
import { leftScopeSince } from '../store/left-scope';
import { duplicatesAnalysis } from './duplicates';
import type { ForgetOptions, IssueAnalysis } from './issue-analysis';

/**
 * In this order: the first one's outcome is what an issue event reports. Duplicate detection
 * comes first and always: its `docs` table is the register of analysed issues (the full-run
 * sweep and issue events ask it which issues are analysed).
 */
export const ANALYSES: readonly IssueAnalysis[] = [duplicatesAnalysis];

/** Issues that left the analysed set go from every analysis. Returns how many any of them held. */
export async function forgetIssues(analyses: readonly IssueAnalysis[], ids: readonly string[], opts: ForgetOptions = {}): Promise<number> {
  if (ids.length === 0) return 0;
  let held = 0;
  for (const a of analyses) held = Math.max(held, await a.forgetIssues(ids, opts));
  return held;
}

/**
 * After storing issues read from Jira: those whose delete event has been seen meanwhile
 * (it may have run between the read and the write) are forgotten again. Returns their ids.
 */
export async function forgetDeletedAmong(analyses: readonly IssueAnalysis[], ids: readonly string[]): Promise<string[]> {
  const deleted = await deletedAmong([...ids]);
  await forgetIssues(analyses, deleted, { deleted: true });
  return deleted;
}

/**
 * After storing issues read from Jira from `readSinceMs` on: those an issue event took out of
 * the analysed set since then (it may have run between the read and the write) are
 * forgotten again, decisions kept as for any exit. Returns their ids.
 */
export async function forgetLeftScopeAmong(analyses: readonly IssueAnalysis[], ids: readonly string[], readSinceMs: number): Promise<string[]> {
  const left = await leftScopeSince([...ids], readSinceMs);
  await forgetIssues(analyses, left);
  return left;
}

/**
 * Scores again, from what is stored, those of `ids` each analysis still has waiting for it
 * (`rescoreIssues`; one without it has nothing to do). Returns the most any of them scored.
 */
export async function rescoreStored(analyses: readonly IssueAnalysis[], ids: readonly string[], settings: Settings): Promise<number> {
  let scored = 0;
  for (const a of analyses) if (a.rescoreIssues !== undefined) scored = Math.max(scored, await a.rescoreIssues(ids, settings));
  return scored;
}
