/**
 * One migration pass at a time per installation.
 *
 * Forge SQL allows 25 DDL requests a minute per installation, and a pass costs two of them
 * even when there is nothing to do. Between an upgrade's deploy and its lifecycle event,
 * every request that meets the old schema (a table or a column missing, src/store/db.ts)
 * would migrate at once and send the same pending statements many times over, so requests
 * failed on the limit until one pass had recorded the migrations. The row 'schema' of
 * `migration_claims` (migration v017) says which invocation is migrating: one statement
 * claims it, and succeeds when there is no row or the row is older than
 * MIGRATION_CLAIM_STALE_MS (its holder was stopped before it let go). Only the holder sends
 * DDL; it deletes the row when its pass ends. Requests wait for the row to go (bounded by
 * their caller), then run their statement again; the lifecycle and the schedule wait a while,
 * then migrate anyway (`migrate` in src/store/migrations.ts).
 *
 * These statements go to @forge/sql directly, not through `select` / `execute`: a missing
 * claim table must be reported to the caller ('absent'), not start a migration of its own.
 */
import { sql } from '@forge/sql';
import { backoffMs, sleep } from '../jira/retry';
import { isMissingSchema, withLockRetries } from './db';
import { StoreError } from './store-error';

const CLAIM_KEY = 'schema';

/**
 * A claim older than this is taken over: its holder was stopped (a resolver at 25 s, a
 * trigger at its timeout) or is still at it after every DDL statement it could send would
 * have timed out (20 s each). Waiting for a claim never outlasts it.
 */
export const MIGRATION_CLAIM_STALE_MS = 90_000;

/** The code of the StoreError a request gets when another invocation's pass outlasts its wait: retryable. */
export const SCHEMA_UPDATING = 'SCHEMA_UPDATING';

export function schemaUpdatingError(why: string): StoreError {
  return new StoreError(`The schema is being updated (${why}); try again in a moment.`, SCHEMA_UPDATING);
}

export function isSchemaUpdating(err: unknown): boolean {
  return err instanceof StoreError && err.code === SCHEMA_UPDATING;
}

export type ClaimOutcome =
  /** This owner holds the claim: it runs the pass, then releases. */
  | 'won'
  /** Another invocation holds a live claim. */
  | 'held'
  /** No claim table (a site that has not applied v017 yet). */
  | 'absent';

interface Holder {
  owner: string;
  claimedMs: number;
}

async function readHolder(): Promise<Holder | null | 'absent'> {
  try {
    const result = await withLockRetries(() => sql.prepare<Record<string, unknown>>('SELECT owner, claimed_ms FROM migration_claims WHERE k = ?').bindParams(CLAIM_KEY).execute());
    const row = result.rows[0];
    if (!row) return null;
    return { owner: String(row['owner']), claimedMs: Number(row['claimed_ms']) };
  } catch (err) {
    if (isMissingSchema(err)) return 'absent';
    throw err;
  }
}

/**
 * Claims the pass for `owner`: one INSERT that, when the row exists, replaces it only if it is
 * stale (both assignments test the old `claimed_ms`, whatever order the server applies them
 * in), then a read of who holds it.
 */
export async function claimMigrations(owner: string, nowMs = Date.now()): Promise<ClaimOutcome> {
  const staleBefore = nowMs - MIGRATION_CLAIM_STALE_MS;
  try {
    await withLockRetries(() =>
      sql
        .prepare(
          `INSERT INTO migration_claims (k, owner, claimed_ms) VALUES (?, ?, ?)
           ON DUPLICATE KEY UPDATE
             owner = IF(claimed_ms < ?, VALUES(owner), owner),
             claimed_ms = IF(claimed_ms < ?, VALUES(claimed_ms), claimed_ms)`,
        )
        .bindParams(CLAIM_KEY, owner, nowMs, staleBefore, staleBefore)
        .execute(),
    );
  } catch (err) {
    if (isMissingSchema(err)) return 'absent';
    throw err;
  }
  const holder = await readHolder();
  if (holder === 'absent') return 'absent';
  // Gone already: only its holder deletes the row, so another pass ran and ended in between.
  if (holder === null) return 'held';
  return holder.owner === owner ? 'won' : 'held';
}

/** Lets go of the claim (only `owner`'s). A failure is logged: the claim then goes stale. */
export async function releaseMigrations(owner: string): Promise<void> {
  try {
    await withLockRetries(() => sql.prepare('DELETE FROM migration_claims WHERE k = ? AND owner = ?').bindParams(CLAIM_KEY, owner).execute());
  } catch (err) {
    console.warn(`store: letting go of the migration claim failed (${err instanceof Error ? err.name : 'unknown'}); it is taken over once stale`);
  }
}

/**
 * Waits out another invocation's claim, for a caller that has just found it held: asks `probe`
 * again at growing intervals (0.1-0.2 s, then up to 1 s) while it answers 'held' and
 * `deadlineMs` has not passed, and returns its last answer ('held' when time ran out first).
 * The probe reads the row (a request, waitForMigrations) or claims it again (the lifecycle and
 * the schedule, `migrate`): DML requests, not DDL.
 */
export async function pollWhileHeld<T>(deadlineMs: number, probe: () => Promise<T | 'held'>): Promise<T | 'held'> {
  for (let attempt = 1; ; attempt++) {
    const left = deadlineMs - Date.now();
    if (left <= 0) return 'held';
    await sleep(Math.min(left, backoffMs(attempt, { baseMs: 200, capMs: 1000 })));
    const answer = await probe();
    if (answer !== 'held') return answer;
  }
}

/**
 * Waits until no live claim is held: the holder's pass ended (its row is gone) or the claim
 * went stale. Reads the row (pollWhileHeld). Throws `SCHEMA_UPDATING` once `deadlineMs`
 * passes with the claim still held.
 */
export async function waitForMigrations(deadlineMs: number): Promise<void> {
  const claim = await pollWhileHeld(deadlineMs, async () => {
    const holder = await readHolder();
    return holder === null || holder === 'absent' || holder.claimedMs < Date.now() - MIGRATION_CLAIM_STALE_MS ? 'free' : 'held';
  });
  if (claim === 'held') throw schemaUpdatingError('another invocation is applying the migrations');
}
