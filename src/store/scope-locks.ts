/**
 * One live run per scope without transactions: the first start inserts the lock row
 * (INSERT IGNORE on the scope key); later starts either find its run live (and join it) or
 * take the lock over with a compare-and-set UPDATE naming the previous holder, so two
 * simultaneous starts end with exactly one winner.
 *
 * A run of every project claims each project's scope as well as `all` (src/analysis/run-control.ts),
 * so one row per project decides between it and that project's own run, whichever starts
 * first: a project's start finds its scope held by the run of every project and joins it; a
 * start of every project finds a project held by its own run and is refused.
 */
import { execute, placeholders, select, str } from './db';

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

/**
 * The runs holding these scopes, as scope key → run id, in one read of the primary key (a
 * scope nobody ever claimed is not in the map; a holder may have finished since).
 */
export async function scopeHolders(scopeKeys: readonly string[]): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  if (scopeKeys.length === 0) return holders;
  const rows = await select(`SELECT scope_key, run_id FROM scope_locks WHERE scope_key IN (${placeholders(scopeKeys.length)})`, [...scopeKeys]);
  for (const r of rows) holders.set(str(r.scope_key), str(r.run_id));
  return holders;
}

/**
 * `claimScope` when the caller has just read the scope's holder (`scopeHolders`) and knows it
 * is no longer live (a run that finished or whose row is gone never becomes live again), or
 * that nobody holds the scope (`knownHolder` null): one statement takes the lock from it, or
 * inserts it; when that finds the lock moved on since, `claimScope` decides as ever.
 */
export async function claimScopeFrom(
  scopeKey: string,
  runId: string,
  knownHolder: { runId: string | null; live: boolean },
  holderIsLive: (holderRunId: string) => Promise<boolean>,
): Promise<ClaimOutcome> {
  if (!knownHolder.live) {
    const taken =
      knownHolder.runId === null
        ? await execute('INSERT IGNORE INTO scope_locks (scope_key, run_id, claimed_ms) VALUES (?, ?, ?)', [scopeKey, runId, Date.now()])
        : await execute('UPDATE scope_locks SET run_id = ?, claimed_ms = ? WHERE scope_key = ? AND run_id = ?', [runId, Date.now(), scopeKey, knownHolder.runId]);
    if (taken > 0) return { claimed: true };
  }
  return claimScope(scopeKey, runId, holderIsLive);
}
