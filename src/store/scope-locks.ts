/**
 * One live run per scope without transactions: the first start inserts the lock row
 * (INSERT IGNORE on the scope key); later starts either find its run live (and join it) or
 * take the lock over with a compare-and-set UPDATE naming the previous holder, so two
 * simultaneous starts end with exactly one winner.
 */
import { execute, select, str } from './db';

export type ClaimOutcome = { claimed: true } | { claimed: false; holderRunId: string };

export async function claimScope(scopeKey: string, runId: string, holderIsLive: (holderRunId: string) => Promise<boolean>): Promise<ClaimOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const inserted = await execute('INSERT IGNORE INTO scope_locks (scope_key, run_id, claimed_ms) VALUES (?, ?, ?)', [scopeKey, runId, Date.now()]);
    if (inserted > 0) return { claimed: true };
    const rows = await select('SELECT run_id FROM scope_locks WHERE scope_key = ?', [scopeKey]);
    const holder = rows[0] ? str(rows[0].run_id) : null;
    if (holder === null) continue; // released between our insert and read: try again
    if (holder === runId) return { claimed: true };
    if (await holderIsLive(holder)) return { claimed: false, holderRunId: holder };
    const taken = await execute('UPDATE scope_locks SET run_id = ?, claimed_ms = ? WHERE scope_key = ? AND run_id = ?', [runId, Date.now(), scopeKey, holder]);
    if (taken > 0) return { claimed: true };
  }
  throw new Error(`Could not claim scope ${scopeKey} after 5 attempts`);
}

/** The run currently holding a scope (it may have finished since). */
export async function scopeHolder(scopeKey: string): Promise<string | null> {
  const rows = await select('SELECT run_id FROM scope_locks WHERE scope_key = ?', [scopeKey]);
  return rows[0] ? str(rows[0].run_id) : null;
}
