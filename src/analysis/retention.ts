/**
 * Retention: runs (with their batch rows), action log entries and undecided inactive pairs
 * older than `retentionDays` are deleted (a pair a person reopened is undecided once its
 * reopen is older too). Decisions stay as long as both issues exist.
 * Remembered deletes and scope exits go after a fixed time (see src/store/deleted-issues.ts
 * and src/store/left-scope.ts). The former keys of moved issues (src/store/former-keys.ts)
 * go once the oldest history entry left is more than FORMER_KEY_MARGIN_MS younger than them:
 * an entry names an issue by the key it had when written, and one written with an old key
 * was written before the move was recorded (or while it was being recorded).
 *
 * The newest good run of every project still in the settings, and of all projects, stays
 * however old (the pages show it as the last analysis). A project taken out of the settings
 * has no page that shows it: its runs, whose rows name who started them (personal data), go by
 * age like any other.
 */
import { deleteActionsBefore, oldestActionMs } from '../store/actions';
import { deleteBatchesOfRuns } from '../store/batches';
import { DELETED_ISSUE_MEMORY_DAYS, forgetDeletedIssuesBefore } from '../store/deleted-issues';
import { forgetFormerKeysBefore } from '../store/former-keys';
import { forgetLeftScopeBefore, LEFT_SCOPE_MEMORY_DAYS } from '../store/left-scope';
import { deletePendingInactiveBefore } from '../store/pairs';
import { deleteRunsByIds, finishedRunIdsBefore, newestDoneRunIds } from '../store/runs';
import { scopeKey } from '../store/scopes';
import type { Settings } from '../shared/contract';
import { deleteRunPlan } from '../store/run-plans';

/** How much younger than a former key the oldest history entry must be before the key goes. */
export const FORMER_KEY_MARGIN_MS = 86_400_000;

export async function applyRetention(settings: Pick<Settings, 'retentionDays' | 'projects'>, now = Date.now()): Promise<{ runs: number; actions: number; pairs: number; deletedIssues: number }> {
  const cutoff = now - settings.retentionDays * 86_400_000;
  const keep = await newestDoneRunIds([scopeKey({ kind: 'all' }), ...settings.projects.map((projectKey) => scopeKey({ kind: 'project', projectKey }))]);
  let runs = 0;
  for (let round = 0; round < 20; round++) {
    const ids = await finishedRunIdsBefore(cutoff, keep, 200);
    if (ids.length === 0) break;
    // Batch rows first: if we stop half-way, the next pass still finds the runs.
    await deleteBatchesOfRuns(ids);
    // Plans of runs that failed or were cancelled (finished runs delete their own).
    for (const id of ids) await deleteRunPlan(id);
    runs += await deleteRunsByIds(ids);
  }
  const actions = await deleteActionsBefore(cutoff);
  const pairs = await deletePendingInactiveBefore(cutoff);
  const deletedIssues = await forgetDeletedIssuesBefore(now - DELETED_ISSUE_MEMORY_DAYS * 86_400_000);
  await forgetLeftScopeBefore(now - LEFT_SCOPE_MEMORY_DAYS * 86_400_000);
  // Read after the entries were deleted: what is left is what may name an old key.
  const oldest = await oldestActionMs();
  await forgetFormerKeysBefore(Math.min(oldest ?? now, now) - FORMER_KEY_MARGIN_MS);
  return { runs, actions, pairs, deletedIssues };
}
