/**
 * `export.csv`: the filtered review queue as CSV, one page per call, in the queue's order
 * (its sort and direction). The UI joins the pages; the header row comes with the first page
 * only. Pages follow a keyset (sort key, pair id), so an export stays complete and free of
 * repeats while people keep deciding pairs: deciding changes no sort key. A pair's key can
 * still move while the pages are read (an issue changed in Jira, an analysis), past the
 * cursor: so the first page fixes a time, `asOf`, and once the keyset pages are done the
 * export goes on with the pairs matching the filters whose key moved since then, by id. A
 * pair can come twice that way; the UI keeps each pair once, by its id (the first column).
 */
import { z } from 'zod';
import type { PairSort, Payload, ResultOf } from '../../shared/contract';
import { csvRow } from '../../shared/csv';
import { pairCells } from '../../shared/pair-csv';
import { DISMISS_REASON_TEXT, percent } from '../../shared/wording';
import { getSettings } from '../../store/settings';
import { listPairsMovedSince, listPairsSortedAfter, type PairQuery, type PairRow, type SortKeyset } from '../../store/review';
import { browsableIssueIds } from '../../jira/permissions';
import { actorNames } from '../actor-names';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';
import { badRequest } from '../api-failure';
import type { CallContext } from '../call-context';
import { keepBrowsablePairs, seesEverything, visibleProjectsFor } from '../visibility';
import { defaultEnds, pairViewOf, tierOf } from '../views';
import { pageProject, pairQuery } from './pairs';

const DEFAULT_EXPORT_PAGE = 500;
/** `p3:` since the cursor holds `asOf`; a `p2:` cursor (keyset only) is refused like a forged one. */
const CURSOR_PREFIX = 'p3:';
/**
 * How far before `asOf` the moved pairs are read from: a writer takes its time before its
 * statement commits (a statement may run for seconds), and two invocations' clocks differ a
 * little. A pair that moved just before the export began may come twice; never not at all.
 */
const MOVED_MARGIN_MS = 60_000;

// "Review status" is the pair's (pending, confirmed, dismissed); "Status A/B" the issues' in
// Jira. "Score" is the stored fraction, for sorting and joining; "Score %" as the pages show it.
// New columns go at the end, so that sheets built on the earlier ones keep their columns.
export const CSV_HEADER = [
  'Pair', 'Score', 'Tier', 'Review status',
  'Issue A', 'Summary A', 'Project A', 'Type A', 'Status A',
  'Issue B', 'Summary B', 'Project B', 'Type B', 'Status B',
  'Shared terms', 'Decided by', 'Decided at', 'First seen', 'Last seen',
  'Created A', 'Created B', 'Decider account id',
  'Score %', 'Why only related',
  'URL A', 'URL B', 'Suggested duplicate', 'Suggested original',
  'Why not a duplicate',
];

function isoDate(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : '';
}

/**
 * One row. "Decided by" is the name as Jira shows it to the viewer ("a former user" for an
 * account closed since, as `actorNames` names it; the account id when Jira gives no name: an
 * outage or a hidden profile), as written, never isolated (a cell is text of its own, and
 * invisible isolates would be data to a sheet); the account id has its own column, for
 * joining with other exports; "Linked in Jira" when an analysis confirmed the pair because a
 * Duplicate link made in Jira joins the two. The keys, score, tier, shared terms (separated
 * by "; ") and the other-work note are written as `npm run analyze` writes them (`pairCells`). "URL A/B" open each issue on the site (empty when Forge gave
 * no site address); "Suggested duplicate / original" name the issues the way the app offers
 * to link them: the one Jira closed as a duplicate when only one was, else the newer one
 * (empty on a confirmed pair, whose link in Jira may run either way). "Why not a duplicate":
 * the reason given when the pair was dismissed, if one was.
 */
function record(pair: PairRow, names: Map<string, string>, siteUrl: string | null, duplicateThreshold: number, seenLinks: ReadonlySet<string>): Array<string | number | null> {
  const v = pairViewOf(pair, duplicateThreshold);
  // Only for a pending pair whose issues have no Duplicate links stored to issues the viewer
  // may see (`seenLinks`): there Confirm, which reads the links as the viewer, links the way
  // `duplicateByDefault` says. A confirmed pair's link runs the way it was made (not stored),
  // a dismissed one gets none, and where links exist Confirm weighs them first (it may link
  // the other way, or not at all): a guess there, so those cells stay empty. A link to an
  // issue the viewer may not see changes nothing here, as it changes nothing for their Confirm.
  const plain = v.status === 'pending' && ![...pair.dupLinksA, ...pair.dupLinksB].some((id) => seenLinks.has(id));
  const suggested = plain ? defaultEnds(pair) : null;
  const named = v.decidedBy === null ? null : (names.get(v.decidedBy) ?? v.decidedBy);
  const decider = v.decidedInJira ? (named === null ? 'Linked in Jira' : `Linked in Jira by ${named}`) : named;
  // As analyze --out writes them (pairCells). The score cut, never rounded up, as the pages and
  // analyze show scores: 0.4499 is 0.449, not a 0.450 at the duplicate threshold.
  const same = pairCells({ keyA: v.a.key, keyB: v.b.key, score: v.score, tier: v.tier, sharedTerms: v.sharedTerms.map((t) => t.term), otherWork: v.otherWork }, 3);
  return [
    v.id, same.score, same.tier, v.status,
    same.keyA, v.a.summary, v.a.projectKey, v.a.type, v.a.status,
    same.keyB, v.b.summary, v.b.projectKey, v.b.type, v.b.status,
    same.sharedTerms, decider, v.decidedAt, v.firstSeenAt, v.lastSeenAt,
    isoDate(pair.a.createdMs), isoDate(pair.b.createdMs), v.decidedBy,
    percent(v.score), same.otherWork,
    issueUrl(siteUrl, v.a.key), issueUrl(siteUrl, v.b.key), suggested?.duplicate.key ?? '', suggested?.original.key ?? '',
    v.dismissReason === null ? '' : DISMISS_REASON_TEXT[v.dismissReason],
  ];
}

function issueUrl(siteUrl: string | null, key: string): string {
  return siteUrl === null ? '' : `${siteUrl}/browse/${encodeURIComponent(key)}`;
}

/**
 * What a cursor holds: the order it was handed out for, `a` (asOf: when the export's first
 * page was read), and where the last page ended: in the keyset pages, the last row's sort key
 * `k` and id `i` (for "possible duplicates first" also its tier `t`); in the moved pairs
 * that follow them (`m`), the last row's id.
 */
const orderFields = { s: z.enum(['likely', 'score', 'created', 'updated']), o: z.enum(['asc', 'desc']), a: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) };
const cursorShape = z.union([
  z.strictObject({
    ...orderFields,
    k: z.number().finite(),
    i: z.string().min(1).max(200),
    // The last row's tier: where "possible duplicates first" goes on.
    t: z.enum(['duplicate', 'related']).optional(),
  }),
  z.strictObject({ ...orderFields, m: z.literal(1), i: z.string().min(1).max(200) }),
]);

/** Where the next page starts: after a row of the keyset pages, or after one of the moved pairs. */
type ExportCursor = { asOf: number; after: SortKeyset } | { asOf: number; movedAfter: string };

function forged(): never {
  throw badRequest('Invalid request: cursor is not one this export handed out.', { cursor: 'is not one this export handed out' });
}

function writeCursor(sort: string, order: string, next: ExportCursor): string {
  const at = 'after' in next
    ? { k: next.after.sk, i: next.after.id, ...(sort === 'likely' && next.after.tier !== undefined ? { t: next.after.tier } : {}) }
    : { m: 1, i: next.movedAfter };
  return `${CURSOR_PREFIX}${Buffer.from(JSON.stringify({ s: sort, o: order, a: next.asOf, ...at })).toString('base64url')}`;
}

function readCursor(cursor: string | null | undefined, sort: string, order: string): ExportCursor | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  if (!cursor.startsWith(CURSOR_PREFIX) || cursor.length === CURSOR_PREFIX.length) forged();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    forged();
  }
  const held = cursorShape.safeParse(parsed);
  // A cursor of another order would skip or repeat rows: refused like a forged one.
  if (!held.success || held.data.s !== sort || held.data.o !== order) forged();
  const c = held.data;
  if ('m' in c) return { asOf: c.a, movedAfter: c.i };
  if ((sort === 'likely') !== (c.t !== undefined)) forged();
  return { asOf: c.a, after: { sk: c.k, id: c.i, ...(c.t !== undefined ? { tier: c.t } : {}) } };
}

/**
 * One page's rows and where the next starts. The keyset pages first; the page where they end
 * goes on with the moved pairs (those whose sort key moved since `asOf`, less the margin), so
 * a small export is one call; the moved pairs' pages follow by id until one is not full.
 */
async function pageRows(q: PairQuery, sort: PairSort, order: 'asc' | 'desc', cursor: ExportCursor | null, asOf: number, limit: number): Promise<{ rows: PairRow[]; next: ExportCursor | null }> {
  const sinceMs = asOf - MOVED_MARGIN_MS;
  const moved = async (afterId: string, room: number, before: readonly PairRow[]): Promise<{ rows: PairRow[]; next: ExportCursor | null }> => {
    const found = await listPairsMovedSince(q, { sinceMs, afterId, limit: room });
    const last = found[found.length - 1];
    // A pair listed by this page's keyset part already is not listed twice in one page.
    const listed = new Set(before.map((p) => p.id));
    return { rows: [...before, ...found.filter((p) => !listed.has(p.id))], next: found.length === room && last ? { asOf, movedAfter: last.id } : null };
  };
  if (cursor !== null && 'movedAfter' in cursor) return moved(cursor.movedAfter, limit, []);
  const sorted = await listPairsSortedAfter(q, { sort, order, after: cursor?.after ?? null, limit });
  const last = sorted[sorted.length - 1];
  if (sorted.length === limit && last) return { rows: sorted.map((r) => r.pair), next: { asOf, after: { sk: last.sk, id: last.pair.id, tier: tierOf(last.pair.tier) } } };
  return moved('', limit - sorted.length, sorted.map((r) => r.pair));
}

/**
 * The issues the pending rows' stored Duplicate links name that the viewer may browse (one
 * permission call for the page). When Jira cannot say, none: the suggestion cells are then
 * filled as if there were no links, which may be a guess but tells nothing of hidden issues.
 */
async function linkedIssuesSeen(pairs: readonly PairRow[]): Promise<Set<string>> {
  const ids = [...new Set(pairs.filter((p) => p.status === 'pending').flatMap((p) => [...p.dupLinksA, ...p.dupLinksB]))];
  if (ids.length === 0) return new Set();
  try {
    return await browsableIssueIds(ids);
  } catch (err) {
    logEvent('export.csv.links', { status: 'failed', ...mapError(err).log });
    return new Set();
  }
}

export async function exportCsvMethod(payload: Payload<'export.csv'>, ctx: CallContext): Promise<ResultOf<'export.csv'>> {
  const sort = payload.sort ?? 'score';
  const order = payload.order ?? 'desc';
  const cursor = readCursor(payload.cursor, sort, order);
  // Fixed by the first page, before it reads anything: what moves after it is read again at the end.
  const asOf = cursor?.asOf ?? Date.now();
  const projectKey = pageProject(payload.projectKey, ctx);
  const visible = await visibleProjectsFor(projectKey);
  const limit = payload.pageSize ?? DEFAULT_EXPORT_PAGE;
  const { rows, next } = await pageRows(pairQuery(payload, visible, projectKey), sort, order, cursor, asOf, limit);
  const shown = await keepBrowsablePairs(rows, seesEverything(visible));
  const [named, { thresholds }] = await Promise.all([actorNames(shown.map((p) => p.decidedBy), 'export.csv.names'), getSettings()]);
  const names = new Map(named.map((n) => [n.accountId, n.displayName]));
  let csv = cursor === null ? csvRow(CSV_HEADER) : '';
  const seenLinks = await linkedIssuesSeen(shown);
  for (const pair of shown) csv += csvRow(record(pair, names, ctx.siteUrl ?? null, thresholds.duplicate, seenLinks));
  return { csv, rows: shown.length, nextCursor: next === null ? null : writeCursor(sort, order, next) };
}
