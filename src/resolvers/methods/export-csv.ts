/**
 * `export.csv`: the filtered review queue as CSV, one page per call. The UI joins the pages;
 * the header row comes with the first page only. Pages follow pair ids (keyset), so an
 * export stays complete and free of repeats while people keep deciding pairs.
 */
import type { Payload, ResultOf } from '../../shared/contract';
import { listPairsAfter, type PairRow } from '../../store/review';
import { badRequest } from '../api-failure';
import type { CallContext } from '../call-context';
import { csvRow } from '../../shared/csv';
import { keepBrowsablePairs, visibleProjectsFor } from '../visibility';
import { pairViewOf } from '../views';
import { pageProject, pairQuery } from './pairs';

const DEFAULT_EXPORT_PAGE = 500;
const CURSOR_PREFIX = 'p1:';

export const CSV_HEADER = [
  'Pair', 'Score', 'Tier', 'Status',
  'Issue A', 'Summary A', 'Project A', 'Type A', 'Status A',
  'Issue B', 'Summary B', 'Project B', 'Type B', 'Status B',
  'Shared terms', 'Decided by', 'Decided at', 'First seen', 'Last seen',
];

function record(pair: PairRow): Array<string | number | null> {
  const v = pairViewOf(pair);
  return [
    v.id, v.score.toFixed(3), v.tier, v.status,
    v.a.key, v.a.summary, v.a.projectKey, v.a.type, v.a.status,
    v.b.key, v.b.summary, v.b.projectKey, v.b.type, v.b.status,
    v.sharedTerms.map((t) => t.term).join(' '), v.decidedBy, v.decidedAt, v.firstSeenAt, v.lastSeenAt,
  ];
}

function readCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  if (!cursor.startsWith(CURSOR_PREFIX) || cursor.length === CURSOR_PREFIX.length) {
    throw badRequest('Invalid request: cursor is not one this export handed out.', { cursor: 'is not one this export handed out' });
  }
  return cursor.slice(CURSOR_PREFIX.length);
}

export async function exportCsvMethod(payload: Payload<'export.csv'>, ctx: CallContext): Promise<ResultOf<'export.csv'>> {
  const after = readCursor(payload.cursor);
  const projectKey = pageProject(payload.projectKey, ctx);
  const visible = await visibleProjectsFor(projectKey);
  const limit = payload.pageSize ?? DEFAULT_EXPORT_PAGE;
  const rows = await listPairsAfter(pairQuery(payload, visible, projectKey), after, limit);
  const shown = await keepBrowsablePairs(rows);
  const last = rows[rows.length - 1];
  let csv = after === null ? csvRow(CSV_HEADER) : '';
  for (const pair of shown) csv += csvRow(record(pair));
  return { csv, rows: shown.length, nextCursor: rows.length === limit && last ? `${CURSOR_PREFIX}${last.id}` : null };
}
