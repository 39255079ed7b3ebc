/**
 * The only place that sends SQL. One statement per call, bound parameters only.
 *
 * Three recoveries live here so no caller repeats them:
 * - schema missing (a fresh install whose lifecycle event has not run yet, or a table or a
 *   column added by an upgrade, used before the upgrade's lifecycle event has migrated): run
 *   the migrations, then the statement once more; one invocation at a time migrates (the
 *   claim in src/store/migration-claim.ts), the others wait for its pass, up to
 *   MIGRATION_WAIT_MS, then fail with the retryable `StoreError{code:'SCHEMA_UPDATING'}`;
 * - a lock conflict (deadlock or write conflict): the database rolled the statement back, so
 *   it runs again after a short random pause, up to LOCK_RETRIES times. Every call is one
 *   statement in its own transaction, so nothing else is undone. Fetch chains storing at
 *   once meet here: a docs upsert locks docs and then their pairs, while another chain's
 *   does the same on pairs they share;
 * - QUERY_TIMED_OUT is surfaced as `StoreError{code:'QUERY_TIMED_OUT'}` so paged readers can
 *   shrink their page (see `pagedRead`).
 */
import { randomUUID } from 'node:crypto';
import { sql } from '@forge/sql';
import { backoffMs, sleep } from '../jira/retry';
import { StoreError } from './store-error';
import { claimMigrations, isSchemaUpdating, releaseMigrations, schemaUpdatingError, waitForMigrations, type ClaimOutcome } from './migration-claim';
import { applyMigrations, createMigrationClaims, type MigrationPass } from './migrations';

/**
 * Retention deletes go this many rows a statement, and this many statements a day at most
 * per table: each statement stays well inside Forge SQL's time limit however much a shorter
 * retention leaves to delete at once; what is left goes the next day.
 */
export const RETENTION_BATCH = 5000;
export const RETENTION_ROUNDS = 20;

export type SqlParam = string | number | boolean | null;
export type Row = Record<string, unknown>;

interface ForgeSqlLikeError {
  code?: unknown;
  message?: unknown;
  context?: unknown;
}

function errorCode(err: unknown): string {
  const code = (err as ForgeSqlLikeError | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN_ERROR';
}

function errorMessage(err: unknown): string {
  const message = (err as ForgeSqlLikeError | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

/**
 * A table or a column the statement names is not there yet: MySQL/MariaDB/TiDB all say
 * "Table 'db.name' doesn't exist" (errno 1146) and "Unknown column 'name' in 'field list'"
 * (1054). Between an upgrade's deploy and its lifecycle event, code that uses a new column
 * meets the old table.
 */
export function isMissingSchema(err: unknown): boolean {
  const message = errorMessage(err);
  return (
    /Table '[^']*' doesn't exist|ER_NO_SUCH_TABLE|no such table|Unknown column '[^']*'|ER_BAD_FIELD_ERROR/i.test(message) ||
    /"errno":\s*(1146|1054)\b/.test(JSON.stringify((err as ForgeSqlLikeError | null)?.context ?? {}))
  );
}

export function isQueryTimeout(err: unknown): boolean {
  return errorCode(err) === 'QUERY_TIMED_OUT' || (err instanceof StoreError && err.code === 'QUERY_TIMED_OUT');
}

/**
 * InnoDB/MariaDB/TiDB "Deadlock found when trying to get lock" (1213) and TiDB's "Write
 * conflict" (9007): the statement was rolled back at once. A lock wait timeout (1205, also
 * "try restarting transaction") is not one: it has already waited its full time.
 */
export function isLockConflict(err: unknown): boolean {
  const message = errorMessage(err);
  return /Deadlock found|Write conflict/i.test(message) || /"errno":\s*(1213|9007)\b/.test(JSON.stringify((err as ForgeSqlLikeError | null)?.context ?? {}));
}

export const LOCK_RETRIES = 4;

export async function withLockRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt > LOCK_RETRIES || !isLockConflict(err)) throw err;
      // Random, growing pauses (25-50 ms, then 50-100 ms, …) so the two sides do not meet again.
      await sleep(backoffMs(attempt, { baseMs: 50, capMs: 400 }));
    }
  }
}

/**
 * How long a statement that met a missing table or column waits for another invocation's
 * migration pass: well inside a UI resolver's 25 s, with time left for its other statements.
 */
export const MIGRATION_WAIT_MS = 10_000;

async function withSchema<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await withLockRetries(work);
  } catch (err) {
    if (!isMissingSchema(err)) throw wrap(err);
  }
  return migrateThenRetry(work);
}

/**
 * The statement met the old schema. The invocation that claims the pass runs it, once the
 * statement has failed again under the claim (a pass that ended meanwhile may have added what
 * it needs: a request that arrives late sends no DDL). The others wait for that pass to end,
 * then run the statement again; if the schema is still missing (that pass failed), one of
 * them claims the next. The schema only: filling older rows is for the lifecycle and the
 * schedule, not a request.
 */
async function migrateThenRetry<T>(work: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  const deadlineMs = Date.now() + MIGRATION_WAIT_MS;
  for (;;) {
    const claim = await claimOrCreate(owner);
    if (claim === 'held') {
      try {
        await waitForMigrations(deadlineMs);
      } catch (err) {
        // Out of time with the claim still held: the schema may be complete all the same (a
        // lifecycle pass that stopped waiting for a stopped holder migrated without it).
        if (!isSchemaUpdating(err)) throw wrap(err);
        const last = await attempt(work);
        if (last.ok) return last.value;
        throw err;
      }
      const done = await attempt(work);
      if (done.ok) return done.value;
      if (Date.now() >= deadlineMs) throw schemaUpdatingError('the schema is still missing after a migration pass');
      continue;
    }
    let pass: MigrationPass;
    try {
      if (claim === 'won') {
        const done = await attempt(work);
        if (done.ok) return done.value;
      }
      // 'absent': a site before v017 whose claim table could not be created; migrate as before the claim.
      // The pass ends by the request's deadline: past Forge's 25 DDL requests a minute it stops
      // rather than wait longer than the request can (the next pass goes on from there).
      pass = await applyMigrations({ deadlineMs }).catch((err: unknown) => {
        console.warn(`store: migration pass failed (${err instanceof Error ? err.name : 'unknown'})`);
        throw schemaUpdatingError('the migration pass failed');
      });
    } finally {
      if (claim === 'won') await releaseMigrations(owner);
    }
    try {
      return await withLockRetries(work);
    } catch (again) {
      // What this statement needs may be among the migrations the pass left for the next one.
      if (pass.pending.length > 0 && isMissingSchema(again)) throw schemaUpdatingError('the migration pass stopped at the DDL limit');
      throw wrap(again);
    }
  }
}

/**
 * Requests that find no claim table (a fresh install: every one of a burst of requests before
 * the installed event does) each wait a random moment up to this long and look again before
 * creating it: the first to wake creates it, most of the others find it. Each creation is a
 * DDL request, and a fresh install's schema takes 16 of Forge SQL's 25 a minute, so ten
 * requests creating it at once pushed the pass past the limit.
 */
export const CLAIM_TABLE_STAGGER_MS = 2000;

/** Claims the pass; on a site whose claim table is not there yet, creates it first (one DDL request). */
async function claimOrCreate(owner: string): Promise<ClaimOutcome> {
  try {
    let claim = await claimMigrations(owner);
    if (claim !== 'absent') return claim;
    await sleep(Math.random() * CLAIM_TABLE_STAGGER_MS);
    claim = await claimMigrations(owner);
    if (claim !== 'absent' || !(await createMigrationClaims())) return claim;
    return await claimMigrations(owner);
  } catch (err) {
    throw wrap(err);
  }
}

/** The statement once more: its value, or not yet when the schema is still missing (other failures are thrown). */
async function attempt<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await withLockRetries(work) };
  } catch (err) {
    if (!isMissingSchema(err)) throw wrap(err);
    return { ok: false };
  }
}

function wrap(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const code = errorCode(err);
  if (code === 'UNKNOWN_ERROR' && !(err instanceof Error)) return err;
  // Keep Forge's message: it names the table/column, never row data (all values are bound).
  return new StoreError(`SQL failed (${code}): ${errorMessage(err).slice(0, 300)}`, code);
}

/** A SELECT: the rows as objects. */
export async function select<R extends Row = Row>(query: string, params: SqlParam[] = []): Promise<R[]> {
  return withSchema(async () => {
    const result = await sql.prepare<R>(query).bindParams(...params).execute();
    return result.rows as R[];
  });
}

/** INSERT/UPDATE/DELETE: the number of affected rows. */
export async function execute(query: string, params: SqlParam[] = []): Promise<number> {
  return withSchema(async () => {
    const result = await sql.prepare<unknown>(query).bindParams(...params).execute();
    const rows = result.rows as unknown as { affectedRows?: unknown };
    return typeof rows.affectedRows === 'number' ? rows.affectedRows : 0;
  });
}

/** `?, ?, ?` for an IN list of n values (n ≥ 1). */
export function placeholders(n: number): string {
  return new Array<string>(Math.max(1, n)).fill('?').join(', ');
}

/** Reads a number column that the driver may hand back as string (BIGINT, DECIMAL). */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

export function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return num(value);
}

export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function strOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return str(value);
}

/** ms since epoch → ISO string, or null. */
export function iso(ms: unknown): string | null {
  if (ms === null || ms === undefined) return null;
  const n = num(ms);
  return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : null;
}

/**
 * Splits rows into multi-row INSERT batches whose bound parameters stay under `maxBytes`
 * (Forge SQL rejects requests over 1 MiB; JSON encoding of the request adds some overhead).
 */
export function chunkBySize<T>(items: T[], sizeOf: (item: T) => number, maxBytes = 700_000, maxRows = 500): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item) + 16;
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= maxRows)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Byte size of a row's string values as they travel in the JSON request. */
export function rowBytes(values: SqlParam[]): number {
  let n = 0;
  for (const v of values) n += typeof v === 'string' ? Buffer.byteLength(v) + 8 : 12;
  return n;
}
