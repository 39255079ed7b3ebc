/**
 * Issues an issue event took out of the analysed set (table `left_scope`: moved to a project
 * not analysed, made a type not analysed, left out by the JQL filter or the age limit), with
 * when. Work that read such an issue from Jira before it left (a run's search page, another
 * event's fetch) can store it after the event forgot it; such writers look here after their
 * own write and forget again what left after they began to read. The issue may come back
 * later: a read begun after it left is not affected, so only the latest exit counts, and an
 * event that reads it back in scope deletes the exits before its read (`clearLeftScopeBefore`).
 */
import { execute, placeholders, select, str } from './db';

/** How long an exit is remembered: far longer than any event or run step in flight. */
export const LEFT_SCOPE_MEMORY_DAYS = 30;

/**
 * Remembers that these issues were read out of the analysed set at `readMs` (when the read of
 * Jira began; a later exit replaces an earlier one). The read's time, not the write's: a read
 * back in scope begun after it wins, whichever is written first.
 */
export async function recordLeftScope(ids: string[], readMs: number = Date.now()): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    await execute(
      `INSERT INTO left_scope (id, left_ms) VALUES ${slice.map(() => '(?, ?)').join(', ')} ON DUPLICATE KEY UPDATE left_ms = GREATEST(left_ms, VALUES(left_ms))`,
      slice.flatMap((id) => [id, readMs]),
    );
  }
}

/**
 * These issues were read in scope from Jira at `readMs`: exits recorded up to that read are
 * over (the issue came back), so they are forgotten. A later exit stays, and still removes
 * what the read stores.
 */
export async function clearLeftScopeBefore(ids: string[], readMs: number): Promise<void> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const slice = unique.slice(i, i + 1000);
    await execute(`DELETE FROM left_scope WHERE id IN (${placeholders(slice.length)}) AND left_ms <= ?`, [...slice, readMs]);
  }
}

/** Of `ids`, those that left the analysed set at or after `sinceMs`. */
export async function leftScopeSince(ids: string[], sinceMs: number): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found: string[] = [];
  for (let i = 0; i < unique.length; i += 1000) {
    const slice = unique.slice(i, i + 1000);
    const rows = await select(`SELECT id FROM left_scope WHERE id IN (${placeholders(slice.length)}) AND left_ms >= ?`, [...slice, sinceMs]);
    for (const r of rows) found.push(str(r.id));
  }
  return found;
}

/**
 * Exits recorded at exactly `leftMs` with ids after `afterId` and up to `throughId` (null: no
 * upper end), in id order: what a scope sweep's page recorded before forgetting them, which a
 * redelivery of that page finds again though their documents are gone (the `left_scope_at`
 * index, (left_ms, id)).
 */
export async function leftScopeAt(leftMs: number, afterId: string, throughId: string | null, limit: number): Promise<string[]> {
  const upper = throughId === null ? '' : ' AND id <= ?';
  const rows = await select(`SELECT id FROM left_scope WHERE left_ms = ? AND id > ?${upper} ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`, [
    leftMs,
    afterId,
    ...(throughId === null ? [] : [throughId]),
  ]);
  return rows.map((r) => str(r.id));
}

/** Forgets exits older than `cutoffMs`; returns how many. */
export async function forgetLeftScopeBefore(cutoffMs: number): Promise<number> {
  return execute('DELETE FROM left_scope WHERE left_ms < ?', [cutoffMs]);
}
