/**
 * Candidate pairs (table `pairs`). Analysis writes scores, tiers, reasons and seen-marks;
 * it never writes review fields (status, decided_by, decided_ms) here, so decisions survive
 * every re-analysis (the one exception, a pending pair that Jira already links as
 * duplicates, is in jira-links.ts). A pair that is not found again is made inactive (hidden) rather than deleted,
 * until retention removes undecided inactive pairs. When one of its issues leaves the index,
 * an undecided pair is deleted and a decided one only made inactive: an issue out of scope
 * for a while (a narrower JQL filter, an issue type left out) finds its decisions again when
 * it comes back. A pair a person reopened (pending, `reopened_ms` set) counts as decided
 * there: deleted, it would be stored as new when the issue came back and confirmed again by
 * a Duplicate link the person had reopened it despite. Pairs of an issue deleted in Jira are
 * deleted outright, decisions included.
 */
import type { DismissReason, ReviewStatus, SharedTerm, Tier } from '../shared/contract';
import { clipCodePoints } from '../shared/code-points';
import { dismissReasonOf } from '../shared/wording';
import { chunkBySize, execute, RETENTION_BATCH, RETENTION_ROUNDS, num, numOrNull, placeholders, rowBytes, select, str, strOrNull, type Row, type SqlParam } from './db';

export interface PairWrite {
  a: string;
  b: string;
  projectA: string;
  projectB: string;
  score: number;
  tier: Tier;
  reasons: SharedTerm[];
  clusterId: string | null;
}

export interface PairRow {
  id: string;
  a: string;
  b: string;
  projectA: string;
  projectB: string;
  score: number;
  tier: Tier;
  reasons: SharedTerm[];
  active: boolean;
  status: ReviewStatus;
  decidedBy: string | null;
  decidedMs: number | null;
  /** Confirmed because a Duplicate link in Jira joins the two issues (see jira-links.ts). */
  decidedInJira: boolean;
  /** Why a dismissed pair is not a duplicate, when the person said so (null otherwise). */
  dismissReason: DismissReason | null;
  firstRun: string;
  lastRun: string;
  firstSeenMs: number;
  lastSeenMs: number;
  clusterId: string | null;
}

export const PAIR_COLUMNS = 'id, issue_a, issue_b, project_a, project_b, score, tier, reasons, active, status, decided_by, decided_ms, decided_in_jira, dismiss_reason, first_run, last_run, first_seen_ms, last_seen_ms, cluster_id';

/** Canonical order: the engine's (string compare), so both sides agree on one id. */
/** A score as the pairs table holds it: to a millionth. */
export function storedScore(score: number): number {
  return Math.round(score * 1e6) / 1e6;
}

export function pairId(x: string, y: string): string {
  return x < y ? `${x}-${y}` : `${y}-${x}`;
}

export function orderIds(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

const REASONS_MAX = 1000;
/** Shares are stored in thousandths. */
const SHARE_STEPS = 1000;

/**
 * The top shared terms as `word:share|word:share…`, shares in thousandths
 * ("payment:412|gateway:200"): a pair row is written for every suggestion, and this form is
 * about ten bytes a word shorter than JSON (at 20,000 issues, some 2 MiB of the pairs table).
 * A word keeps any ':' (the share is after the last one); a '|' in a word is written '¦'.
 * Trimmed until it fits the column. Read it back with decodeReasons.
 */
export function encodeReasons(terms: SharedTerm[]): string {
  let items = terms.slice(0, 5).map((t) => `${clipCodePoints(t.term, 48).replace(/\|/g, '¦')}:${Math.round(Math.max(0, Math.min(1, t.share)) * SHARE_STEPS)}`);
  let text = items.join('|');
  while (text.length > REASONS_MAX && items.length > 0) {
    items = items.slice(0, -1);
    text = items.join('|');
  }
  return text;
}

const COMPACT_ITEM = /^(.+):(\d{1,4})$/su;

/** Accepts the `word:share|…` form, and the JSON forms rows were written in before it. */
export function decodeReasons(text: string): SharedTerm[] {
  if (text === '') return [];
  if (!text.startsWith('[')) {
    const out: SharedTerm[] = [];
    for (const item of text.split('|')) {
      const m = COMPACT_ITEM.exec(item);
      if (m) out.push({ term: m[1] ?? '', share: Number(m[2]) / SHARE_STEPS });
    }
    return out;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    const out: SharedTerm[] = [];
    for (const item of parsed) {
      if (Array.isArray(item)) {
        const [t, s] = item as unknown[];
        if (typeof t === 'string' && typeof s === 'number') out.push({ term: t, share: s });
        continue;
      }
      const t = (item as { term?: unknown }).term;
      const s = (item as { share?: unknown }).share;
      if (typeof t === 'string' && typeof s === 'number') out.push({ term: t, share: s });
    }
    return out;
  } catch {
    return [];
  }
}

export function toPairRow(r: Row): PairRow {
  return {
    id: str(r.id),
    a: str(r.issue_a),
    b: str(r.issue_b),
    projectA: str(r.project_a),
    projectB: str(r.project_b),
    score: num(r.score),
    tier: str(r.tier) === 'duplicate' ? 'duplicate' : 'related',
    reasons: decodeReasons(str(r.reasons)),
    active: num(r.active) === 1,
    status: str(r.status) as ReviewStatus,
    decidedBy: strOrNull(r.decided_by),
    decidedMs: numOrNull(r.decided_ms),
    decidedInJira: num(r.decided_in_jira) === 1,
    dismissReason: dismissReasonOf(r.dismiss_reason),
    firstRun: str(r.first_run),
    lastRun: str(r.last_run),
    firstSeenMs: num(r.first_seen_ms),
    lastSeenMs: num(r.last_seen_ms),
    clusterId: strOrNull(r.cluster_id),
  };
}

/**
 * The review queue's filter and sort columns of a pair, copied from its two docs (migration
 * v003-pairs-doc-columns): `created_ms` = the newer issue's created, `updated_ms` = the later
 * updated of the two, `type_a/_b` and `cat_a/_b` = each issue's type and status category, and
 * `project_a/_b` each issue's project (an issue moved to another project in Jira takes its
 * pairs to that project's queue until they are scored again).
 * Written after every pair upsert and after every doc upsert (upsertDocs), so a doc change
 * reaches its pairs; as an UPDATE … JOIN docs (MariaDB and TiDB), one statement per call.
 * Its one parameter (before the caller's WHERE parameters) is the time of the write: a pair
 * whose created_ms or updated_ms, sort keys of the queue, changes gets it as `moved_ms`. That
 * assignment comes first, so it compares the stored keys however the server evaluates the
 * others: MariaDB reads the old row in a multiple-table UPDATE and TiDB in every UPDATE, and
 * a server reading assignments left to right reads nothing assigned before this one.
 */
const PAIR_DOC_SYNC = `UPDATE pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b
  SET p.moved_ms = IF(p.created_ms <> GREATEST(da.created_ms, db.created_ms) OR p.updated_ms <> GREATEST(da.updated_ms, db.updated_ms), ?, p.moved_ms),
    p.project_a = da.project_key, p.project_b = db.project_key,
    p.created_ms = GREATEST(da.created_ms, db.created_ms), p.updated_ms = GREATEST(da.updated_ms, db.updated_ms),
    p.type_a = da.issue_type, p.type_b = db.issue_type, p.cat_a = da.status_category, p.cat_b = db.status_category`;

/** Refreshes the doc columns of every pair touching these docs (after they changed). */
export async function syncPairsOfDocs(docIds: string[]): Promise<void> {
  for (let i = 0; i < docIds.length; i += 500) {
    const slice = docIds.slice(i, i + 500);
    await execute(`${PAIR_DOC_SYNC} WHERE p.issue_a IN (${placeholders(slice.length)})`, [Date.now(), ...slice]);
    await execute(`${PAIR_DOC_SYNC} WHERE p.issue_b IN (${placeholders(slice.length)})`, [Date.now(), ...slice]);
  }
}

/** Fills the doc columns of pairs stored before they existed (still at the 0 default). Idempotent. */
export async function backfillPairDocColumns(): Promise<number> {
  return execute(`${PAIR_DOC_SYNC} WHERE p.created_ms = 0`, [Date.now()]);
}

/**
 * Upserts pairs found by `runId` (a run id, or an `inc-…` marker for incremental updates).
 * On conflict only analysis columns change and the pair becomes active again. The doc
 * columns (created_ms, updated_ms, type_a/_b, cat_a/_b) are then copied from the docs.
 */
export async function upsertPairs(pairs: PairWrite[], runId: string, seenMs: number, opts: { keepClusters?: boolean } = {}): Promise<void> {
  const rows: SqlParam[][] = pairs.map((p) => {
    const [a, b] = orderIds(p.a, p.b);
    const swapped = a !== p.a;
    return [
      `${a}-${b}`,
      a,
      b,
      swapped ? p.projectB : p.projectA,
      swapped ? p.projectA : p.projectB,
      storedScore(p.score),
      p.tier,
      encodeReasons(p.reasons),
      runId,
      runId,
      seenMs,
      seenMs,
      p.clusterId,
    ];
  });
  const cluster = opts.keepClusters ? '' : ', cluster_id = VALUES(cluster_id)';
  for (const batch of chunkBySize(rows, rowBytes, 700_000, 1000)) {
    // `moved_ms` (the time of this write) on a new pair, one made active again, or one whose
    // score or tier changes; assigned first, so it compares the stored ones.
    const movedMs = Date.now();
    await execute(
      `INSERT INTO pairs (id, issue_a, issue_b, project_a, project_b, score, tier, reasons, first_run, last_run, first_seen_ms, last_seen_ms, cluster_id, moved_ms, active, status)
       VALUES ${batch.map(() => `(${placeholders(14)}, 1, 'pending')`).join(', ')}
       ON DUPLICATE KEY UPDATE moved_ms = IF(active = 0 OR score <> VALUES(score) OR tier <> VALUES(tier), VALUES(moved_ms), moved_ms),
         project_a = VALUES(project_a), project_b = VALUES(project_b), score = VALUES(score), tier = VALUES(tier),
         reasons = VALUES(reasons), last_run = VALUES(last_run), last_seen_ms = GREATEST(last_seen_ms, VALUES(last_seen_ms)), active = 1${cluster}`,
      batch.flatMap((r) => [...r, movedMs]),
    );
    // Both docs are stored before their pairs (fetch / incremental upsert them first).
    await execute(`${PAIR_DOC_SYNC} WHERE p.id IN (${placeholders(batch.length)})`, [Date.now(), ...batch.map((r) => String(r[0]))]);
  }
}

/**
 * A confirmed pair is not hidden because its issues stopped matching (someone edited one):
 * the Duplicate link it made is still in Jira, and the decision stays where people can see
 * and undo it, with the score it had when it was last found. Pairs of issues that left the
 * analysis (out of scope, deleted) go as before (`retirePairsOfIssues`, `deletePairsOfIssues`).
 */
const NOT_CONFIRMED = "status <> 'confirmed'";

/**
 * Hides pairs of a scope that the run scoring since `beforeMs` did not find again, confirmed
 * ones excepted (above). `projects` null: every pair. `match` 'both': pairs whose two projects
 * are in `projects`; 'either': pairs touching them (cross-project scoring).
 */
export async function deactivateUnseen(projects: string[] | null, match: 'both' | 'either', beforeMs: number): Promise<number> {
  if (projects === null) return execute(`UPDATE pairs SET active = 0 WHERE active = 1 AND last_seen_ms < ? AND ${NOT_CONFIRMED}`, [beforeMs]);
  if (projects.length === 0) return 0;
  const inList = placeholders(projects.length);
  if (match === 'both') {
    return execute(`UPDATE pairs SET active = 0 WHERE project_a IN (${inList}) AND project_b IN (${inList}) AND active = 1 AND last_seen_ms < ? AND ${NOT_CONFIRMED}`, [
      ...projects,
      ...projects,
      beforeMs,
    ]);
  }
  let n = await execute(`UPDATE pairs SET active = 0 WHERE project_a IN (${inList}) AND active = 1 AND last_seen_ms < ? AND ${NOT_CONFIRMED}`, [...projects, beforeMs]);
  n += await execute(`UPDATE pairs SET active = 0 WHERE project_b IN (${inList}) AND active = 1 AND last_seen_ms < ? AND ${NOT_CONFIRMED}`, [...projects, beforeMs]);
  return n;
}

/** Hides one issue's pairs not refreshed since `beforeMs` (incremental update of that issue), confirmed ones excepted. */
export async function deactivateIssuePairsNotSeen(issueId: string, beforeMs: number): Promise<number> {
  let n = await execute(`UPDATE pairs SET active = 0 WHERE issue_a = ? AND active = 1 AND last_seen_ms < ? AND ${NOT_CONFIRMED}`, [issueId, beforeMs]);
  n += await execute(`UPDATE pairs SET active = 0 WHERE issue_b = ? AND active = 1 AND last_seen_ms < ? AND ${NOT_CONFIRMED}`, [issueId, beforeMs]);
  return n;
}

/**
 * The scores of the active pairs of these issues, by issue: for each, the other issue and the
 * pair's score (pairs_issue_a / pairs_issue_b ranges). An issue event asks it of its
 * neighbours, to keep a related pair as a run would (src/analysis/pair-cap.ts).
 */
export async function activePairScoresOf(ids: string[]): Promise<Map<string, Array<{ other: string; score: number }>>> {
  const out = new Map<string, Array<{ other: string; score: number }>>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const list = placeholders(slice.length);
    const rows = await select(
      `SELECT issue_a AS self, issue_b AS other, score FROM pairs WHERE issue_a IN (${list}) AND active = 1
       UNION ALL
       SELECT issue_b AS self, issue_a AS other, score FROM pairs WHERE issue_b IN (${list}) AND active = 1`,
      [...slice, ...slice],
    );
    for (const r of rows) {
      const self = str(r['self']);
      const held = out.get(self) ?? [];
      held.push({ other: str(r['other']), score: num(r['score']) });
      out.set(self, held);
    }
  }
  return out;
}

/** Removes every pair touching these issues, decisions included (the issues are gone). */
export async function deletePairsOfIssues(ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    n += await execute(`DELETE FROM pairs WHERE issue_a IN (${placeholders(slice.length)})`, slice);
    n += await execute(`DELETE FROM pairs WHERE issue_b IN (${placeholders(slice.length)})`, slice);
  }
  return n;
}

/** A pending pair nobody reopened: what a scope exit deletes (`retirePairsOfIssues`). */
const UNDECIDED = "status = 'pending' AND reopened_ms IS NULL";

/**
 * The pairs of issues that left the index but may come back: undecided ones are deleted,
 * decided ones (confirmed, dismissed, or reopened by a person) made inactive, hidden
 * everywhere until an analysis finds the pair again and keeps its decision. Returns the pairs
 * deleted. Both statements are idempotent: a delivery of the same exit again changes nothing.
 */
export async function retirePairsOfIssues(ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const list = placeholders(slice.length);
    for (const side of ['issue_a', 'issue_b']) {
      n += await execute(`DELETE FROM pairs WHERE ${side} IN (${list}) AND ${UNDECIDED}`, slice);
      await execute(`UPDATE pairs SET active = 0 WHERE ${side} IN (${list}) AND NOT (${UNDECIDED}) AND active = 1`, slice);
    }
  }
  return n;
}

/** Every pair of one issue (both columns are indexed), active first then by score. */
export async function pairsOfIssue(issueId: string, opts: { activeOnly?: boolean } = {}): Promise<PairRow[]> {
  const active = opts.activeOnly ? ' AND active = 1' : '';
  const rows = await select(
    `SELECT ${PAIR_COLUMNS} FROM pairs WHERE issue_a = ?${active} UNION ALL SELECT ${PAIR_COLUMNS} FROM pairs WHERE issue_b = ?${active}`,
    [issueId, issueId],
  );
  return rows.map(toPairRow).sort((x, y) => Number(y.active) - Number(x.active) || y.score - x.score || (x.id < y.id ? -1 : 1));
}

export async function getPairRow(id: string): Promise<PairRow | null> {
  const rows = await select(`SELECT ${PAIR_COLUMNS} FROM pairs WHERE id = ?`, [id]);
  return rows[0] ? toPairRow(rows[0]) : null;
}

/**
 * Retention: undecided pairs hidden for longer than the retention window, `batch` at a time
 * and `rounds` statements at most (see deleteActionsBefore); the rest goes on the next day.
 * A pair a person reopened within the window stays (the reopen is a decision, kept as long
 * as its history entry); once the reopen is older, it goes like any other pending pair.
 */
export async function deletePendingInactiveBefore(cutoffMs: number, batch = RETENTION_BATCH, rounds = RETENTION_ROUNDS): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < rounds; round++) {
    const n = await execute(
      `DELETE FROM pairs WHERE active = 0 AND status = 'pending' AND last_seen_ms < ? AND (reopened_ms IS NULL OR reopened_ms < ?) LIMIT ${batch}`,
      [cutoffMs, cutoffMs],
    );
    deleted += n;
    if (n < batch) break;
  }
  return deleted;
}

export async function countActivePairs(projects: string[] | null): Promise<number> {
  if (projects !== null && projects.length === 0) return 0;
  const rows = projects === null
    ? await select('SELECT COUNT(*) AS n FROM pairs WHERE active = 1')
    : await select(`SELECT COUNT(*) AS n FROM pairs WHERE active = 1 AND project_a IN (${placeholders(projects.length)})`, projects);
  return num(rows[0]?.n);
}
