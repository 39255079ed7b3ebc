/**
 * The keys stored issues had before Jira gave them another (table `former_keys`, v023): an
 * issue moved to another project gets a new key, while a history entry keeps the keys it was
 * written with. So who may read an entry that names an issue is decided by its old keys too
 * (`hiddenFormerKeys`, read by the history; src/store/actions.ts `hiddenKeys`).
 *
 * A row is written when a document is stored with a key other than its stored one (every
 * write goes through `upsertDocs`, the event path and a run's pages alike), once per issue and
 * old key, however often the write is delivered. It goes when its issue is deleted in Jira
 * (`forgetFormerKeys`), and once no history entry is old enough to name it
 * (`forgetFormerKeysBefore`, src/analysis/retention.ts). The table holds moved issues only,
 * so every read of it is bounded by how many moved, not by how many are stored.
 */
import type { SecurityGroup } from './review';
import { execute, num, placeholders, RETENTION_BATCH, RETENTION_ROUNDS, select, str, type SqlParam } from './db';

/** A document about to be written: its id, the key it is written with, and Jira's `updated` of the read. */
export interface KeyWrite {
  id: string;
  key: string;
  updatedMs: number;
}

/**
 * Before `writes` are stored: the stored key of each one whose key changes is remembered.
 * A write read before the stored row was (Jira's `updated` older: upsertDocs keeps the row
 * then) changes no key and records nothing. One indexed read (none when the caller passes
 * the `stored` keys and times it has just read); an insert only when a key changes.
 * Idempotent: a redelivered write finds the key recorded (or already changed).
 */
export async function recordKeyChanges(
  writes: readonly KeyWrite[],
  nowMs: number = Date.now(),
  stored?: ReadonlyMap<string, { key: string; updatedMs: number }>,
): Promise<number> {
  if (writes.length === 0) return 0;
  const byId = new Map(writes.map((w) => [w.id, w]));
  const changed: Array<[string, string]> = [];
  const weigh = (id: string, storedKey: string, storedUpdatedMs: number): void => {
    const w = byId.get(id);
    if (w === undefined || storedKey === w.key || storedKey === '') return;
    const stale = w.updatedMs > 0 && w.updatedMs < storedUpdatedMs;
    if (!stale) changed.push([w.id, storedKey]);
  };
  if (stored !== undefined) {
    // The caller read the stored rows just before the write (getDocStates): no second read.
    for (const id of byId.keys()) {
      const s = stored.get(id);
      if (s !== undefined) weigh(id, s.key, s.updatedMs);
    }
  } else {
    const ids = [...byId.keys()];
    for (let i = 0; i < ids.length; i += 1000) {
      const slice = ids.slice(i, i + 1000);
      const rows = await select(`SELECT id, issue_key, updated_ms FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
      for (const r of rows) weigh(str(r.id), str(r.issue_key), num(r.updated_ms));
    }
  }
  for (let i = 0; i < changed.length; i += 500) {
    const slice = changed.slice(i, i + 500);
    await execute(
      `INSERT IGNORE INTO former_keys (issue_id, issue_key, recorded_ms) VALUES ${slice.map(() => '(?, ?, ?)').join(', ')}`,
      slice.flatMap(([id, key]): SqlParam[] => [id, key, nowMs]),
    );
  }
  return changed.length;
}

/**
 * The former keys of the stored issues a viewer may not see: those of a project they may not
 * browse (not in `visibleProjects`), those a security level hides from them (`hiddenIds`),
 * and those at a level hidden as a whole (`hiddenLevels`). One read of `former_keys` (moved
 * issues only), each row joined to its document by primary key.
 */
export async function hiddenFormerKeys(opts: { visibleProjects: readonly string[]; hiddenIds: readonly string[]; hiddenLevels: readonly SecurityGroup[] }): Promise<string[]> {
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  conditions.push(opts.visibleProjects.length === 0 ? '1 = 1' : `d.project_key NOT IN (${placeholders(opts.visibleProjects.length)})`);
  params.push(...opts.visibleProjects);
  if (opts.hiddenIds.length > 0) {
    conditions.push(`f.issue_id IN (${placeholders(opts.hiddenIds.length)})`);
    params.push(...opts.hiddenIds);
  }
  for (const level of opts.hiddenLevels) {
    conditions.push('(d.project_key = ? AND d.security_level = ?)');
    params.push(level.projectKey, level.level);
  }
  // former_keys first (STRAIGHT_JOIN): it is the small side, and docs is read by its key.
  const rows = await select(
    `SELECT STRAIGHT_JOIN DISTINCT f.issue_key FROM former_keys f JOIN docs d ON d.id = f.issue_id WHERE ${conditions.join(' OR ')}`,
    params,
  );
  return rows.map((r) => str(r.issue_key));
}

/** The former keys of these issues (what a test or a caller checks). */
export async function formerKeysOf(ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const slice = unique.slice(i, i + 1000);
    const rows = await select(`SELECT issue_id, issue_key FROM former_keys WHERE issue_id IN (${placeholders(slice.length)}) ORDER BY issue_id, issue_key`, slice);
    for (const r of rows) out.set(str(r.issue_id), [...(out.get(str(r.issue_id)) ?? []), str(r.issue_key)]);
  }
  return out;
}

/** Forgets the former keys of these issues (deleted in Jira). Returns how many. */
export async function forgetFormerKeys(ids: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    n += await execute(`DELETE FROM former_keys WHERE issue_id IN (${placeholders(slice.length)})`, slice);
  }
  return n;
}

/**
 * Forgets former keys recorded before `cutoffMs`, `batch` at a time, at most `rounds`
 * statements (as deleteActionsBefore). Returns how many.
 */
export async function forgetFormerKeysBefore(cutoffMs: number, batch = RETENTION_BATCH, rounds = RETENTION_ROUNDS): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < rounds; round++) {
    const n = await execute(`DELETE FROM former_keys WHERE recorded_ms < ? LIMIT ${batch}`, [cutoffMs]);
    deleted += n;
    if (n < batch) break;
  }
  return deleted;
}
