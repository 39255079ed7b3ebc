/**
 * Per-run units of work, keyed (run_id, batch_no). A queue event claims its batch before
 * working and completes it with its counters after; at-least-once delivery then means:
 * - a duplicate delivery finds the batch done (or freshly claimed by its twin) and stops
 *   without pushing anything, so chains never fork;
 * - a redelivery after a crash (retryContext set, or the claim's lease ran out) takes the
 *   claim over and redoes the batch; every write it makes is an idempotent upsert.
 * Counters are written once per batch row and summed on read: nothing double counts.
 */
import { execute, num, placeholders, select, str } from './db';

export interface RunCounters {
  fetched: number;
  indexed: number;
  scored: number;
  pairs: number;
}

export type ClaimResult = 'claimed' | 'done' | 'busy';

export async function claimBatch(runId: string, batchNo: string, owner: string, opts: { takeOver: boolean; leaseMs: number }): Promise<ClaimResult> {
  const now = Date.now();
  const inserted = await execute(
    "INSERT IGNORE INTO run_batches (run_id, batch_no, state, owner, claimed_ms, done_ms, fetched, indexed, scored, pairs) VALUES (?, ?, 'working', ?, ?, NULL, 0, 0, 0, 0)",
    [runId, batchNo, owner, now],
  );
  if (inserted > 0) return 'claimed';
  const rows = await select('SELECT state, owner, claimed_ms FROM run_batches WHERE run_id = ? AND batch_no = ?', [runId, batchNo]);
  const row = rows[0];
  if (!row) return 'busy';
  if (str(row.state) === 'done') return 'done';
  const stale = now - num(row.claimed_ms) > opts.leaseMs;
  // The same event delivered again (e.g. redelivered after the process died, which the
  // platform may report without a retryContext) takes its own claim back.
  const own = str(row.owner) === owner;
  if (!opts.takeOver && !stale && !own) return 'busy';
  // Compare-and-set on the previous claim so two retries cannot both take over.
  const taken = await execute(
    "UPDATE run_batches SET owner = ?, claimed_ms = ? WHERE run_id = ? AND batch_no = ? AND state = 'working' AND owner = ? AND claimed_ms = ?",
    [owner, now, runId, batchNo, str(row.owner), num(row.claimed_ms)],
  );
  return taken > 0 ? 'claimed' : 'busy';
}

export async function completeBatch(runId: string, batchNo: string, counters: Partial<RunCounters>): Promise<void> {
  await execute(
    "UPDATE run_batches SET state = 'done', done_ms = ?, fetched = ?, indexed = ?, scored = ?, pairs = ? WHERE run_id = ? AND batch_no = ?",
    [Date.now(), counters.fetched ?? 0, counters.indexed ?? 0, counters.scored ?? 0, counters.pairs ?? 0, runId, batchNo],
  );
}

/**
 * Marks several batches done in one statement, so they land together or not at all: a fetch
 * chain's last step and the chain's end (`end.<chain>`, created here under `owner`). A batch
 * row that exists keeps its owner and claim time.
 */
export async function completeBatches(runId: string, owner: string, batches: Array<{ batchNo: string; counters: Partial<RunCounters> }>): Promise<void> {
  if (batches.length === 0) return;
  const now = Date.now();
  await execute(
    `INSERT INTO run_batches (run_id, batch_no, state, owner, claimed_ms, done_ms, fetched, indexed, scored, pairs) VALUES ${batches.map(() => "(?, ?, 'done', ?, ?, ?, ?, ?, ?, ?)").join(', ')}
     ON DUPLICATE KEY UPDATE state = 'done', done_ms = VALUES(done_ms), fetched = VALUES(fetched), indexed = VALUES(indexed), scored = VALUES(scored), pairs = VALUES(pairs)`,
    batches.flatMap((b) => [runId, b.batchNo, owner, now, now, b.counters.fetched ?? 0, b.counters.indexed ?? 0, b.counters.scored ?? 0, b.counters.pairs ?? 0]),
  );
}

/** Records counters while the batch is still working (long scoring batches show progress). */
export async function recordBatchProgress(runId: string, batchNo: string, counters: Partial<RunCounters>): Promise<void> {
  await execute(
    "UPDATE run_batches SET fetched = ?, indexed = ?, scored = ?, pairs = ?, claimed_ms = ? WHERE run_id = ? AND batch_no = ? AND state = 'working'",
    [counters.fetched ?? 0, counters.indexed ?? 0, counters.scored ?? 0, counters.pairs ?? 0, Date.now(), runId, batchNo],
  );
}

export async function countDoneBatches(runId: string, prefix: string): Promise<number> {
  const rows = await select("SELECT COUNT(*) AS n FROM run_batches WHERE run_id = ? AND batch_no LIKE ? AND state = 'done'", [runId, `${prefix}%`]);
  return num(rows[0]?.n);
}

/** Batches named `prefix…` that were claimed and are not done (working, or failed and awaiting their retry). */
export async function countOpenBatches(runId: string, prefix: string): Promise<number> {
  const rows = await select("SELECT COUNT(*) AS n FROM run_batches WHERE run_id = ? AND batch_no LIKE ? AND state <> 'done'", [runId, `${prefix}%`]);
  return num(rows[0]?.n);
}

/** The issues the batches of a run whose number begins with `prefix` counted as stored (`indexed`). */
export async function sumIndexed(runId: string, prefix: string): Promise<number> {
  const rows = await select('SELECT SUM(indexed) AS i FROM run_batches WHERE run_id = ? AND batch_no LIKE ?', [runId, `${prefix}%`]);
  return num(rows[0]?.i);
}

export async function sumCounters(runId: string): Promise<RunCounters> {
  const rows = await select('SELECT SUM(fetched) AS f, SUM(indexed) AS i, SUM(scored) AS s, SUM(pairs) AS p FROM run_batches WHERE run_id = ?', [runId]);
  const r = rows[0];
  return { fetched: num(r?.f), indexed: num(r?.i), scored: num(r?.s), pairs: num(r?.p) };
}

export async function sumCountersForRuns(runIds: string[]): Promise<Map<string, RunCounters>> {
  const out = new Map<string, RunCounters>();
  if (runIds.length === 0) return out;
  const rows = await select(
    `SELECT run_id, SUM(fetched) AS f, SUM(indexed) AS i, SUM(scored) AS s, SUM(pairs) AS p FROM run_batches WHERE run_id IN (${placeholders(runIds.length)}) GROUP BY run_id`,
    runIds,
  );
  for (const r of rows) out.set(str(r.run_id), { fetched: num(r.f), indexed: num(r.i), scored: num(r.s), pairs: num(r.p) });
  return out;
}

/** Newest progress of a run (claims and completions), for stale detection. */
export async function lastBatchActivity(runId: string): Promise<number> {
  const rows = await select('SELECT MAX(claimed_ms) AS c, MAX(done_ms) AS d FROM run_batches WHERE run_id = ?', [runId]);
  return Math.max(num(rows[0]?.c), num(rows[0]?.d));
}

/**
 * Why a run waits for Jira (`markRunWaiting` in runs.ts): Jira asked it to (the Retry-After of a
 * 429, or of a 5xx), Jira answered with errors (5xx without Retry-After), or Jira did not answer
 * (a timeout, the network).
 */
export type WaitReason = 'asked' | 'errors' | 'no-answer';
const WAIT_REASONS: readonly WaitReason[] = ['asked', 'errors', 'no-answer'];

/**
 * The run's wait marker: one row per run, `batch_no` 'wait', as the chains' `end.<chain>` rows
 * are markers beside the batches. Its `state` holds the reason and `claimed_ms` the end of the
 * wait; its counters are 0, so the run's sums are unchanged, and it goes with the run's batch
 * rows. Of two waits the one that ends later gives the reason, as it gives the run's heartbeat.
 */
export async function recordWait(runId: string, untilMs: number, reason: WaitReason): Promise<void> {
  await execute(
    `INSERT INTO run_batches (run_id, batch_no, state, owner, claimed_ms, done_ms, fetched, indexed, scored, pairs) VALUES (?, 'wait', ?, 'jira', ?, NULL, 0, 0, 0, 0)
     ON DUPLICATE KEY UPDATE state = IF(VALUES(claimed_ms) >= claimed_ms, VALUES(state), state), claimed_ms = GREATEST(claimed_ms, VALUES(claimed_ms))`,
    [runId, reason, Math.round(untilMs)],
  );
}

/** Why each of these runs waits (or last waited), by run id; runs that never waited are not in the map. */
export async function waitReasons(runIds: string[]): Promise<Map<string, WaitReason>> {
  const out = new Map<string, WaitReason>();
  if (runIds.length === 0) return out;
  const rows = await select(`SELECT run_id, state FROM run_batches WHERE run_id IN (${placeholders(runIds.length)}) AND batch_no = 'wait'`, runIds);
  for (const r of rows) {
    const reason = WAIT_REASONS.find((w) => w === str(r.state));
    if (reason !== undefined) out.set(str(r.run_id), reason);
  }
  return out;
}

export async function deleteBatchesOfRuns(runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await execute(`DELETE FROM run_batches WHERE run_id IN (${placeholders(runIds.length)})`, runIds);
}
