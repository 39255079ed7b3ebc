/**
 * Issues deleted in Jira (table `deleted_issues`), remembered for a while after their delete
 * event. Work that read an issue from Jira just before it was deleted (an update event's
 * fetch, a run's search page) can store its document after the delete event removed it;
 * such writers look here after their own write and remove what they brought back. Jira
 * never reuses an issue id and a deleted issue does not come back, so a remembered delete
 * is final.
 */
import { execute, placeholders, select, str } from './db';

/** How long a delete is remembered: far longer than any event or run step in flight. */
export const DELETED_ISSUE_MEMORY_DAYS = 30;

/** Remembers that these issues were deleted (idempotent: a redelivered event changes nothing). */
export async function recordDeletedIssues(ids: string[], nowMs: number = Date.now()): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    await execute(
      `INSERT IGNORE INTO deleted_issues (id, deleted_ms) VALUES ${slice.map(() => '(?, ?)').join(', ')}`,
      slice.flatMap((id) => [id, nowMs]),
    );
  }
}

/** Of `ids`, those deleted in Jira. */
export async function deletedAmong(ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found: string[] = [];
  for (let i = 0; i < unique.length; i += 1000) {
    const slice = unique.slice(i, i + 1000);
    const rows = await select(`SELECT id FROM deleted_issues WHERE id IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) found.push(str(r.id));
  }
  return found;
}

/** Forgets deletes older than `cutoffMs`; returns how many. */
export async function forgetDeletedIssuesBefore(cutoffMs: number): Promise<number> {
  return execute('DELETE FROM deleted_issues WHERE deleted_ms < ?', [cutoffMs]);
}
