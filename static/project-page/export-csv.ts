/**
 * CSV export in the browser: pages through `export.csv` by cursor, in the queue's order (the header
 * comes with the first page only), joins the pages, each pair once (`csvPages`: a pair whose
 * sort key moved during the export can come twice), and hands the file to the browser as a
 * download. Nothing is written server-side.
 */
import type { PairFilters, PairSort } from '../../src/shared/contract';
import { CSV_BOM } from '../../src/shared/csv';
import { call, type Result, type ResultOf } from '../shared/api';
import { csvPages } from './csv-pages';

const PAGE_SIZE = 1000;
/** A guard against a cursor that never ends (a server bug must not hang the tab). */
const MAX_PAGES = 500;

/**
 * The queue's filters and its order: the file lists the rows as the queue shows them.
 * `fileName`: what the browser saves it as (`exportFileName`).
 */
export async function exportCsv(
  filters: PairFilters & { sort: PairSort; order: 'asc' | 'desc' },
  onProgress: (rows: number) => void,
  fileName: string,
): Promise<{ ok: true; rows: number } | { ok: false; message: string }> {
  const file = csvPages();
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res: Result<ResultOf<'export.csv'>> = await call('export.csv', { ...filters, cursor, pageSize: PAGE_SIZE });
    if (!res.success) return { ok: false, message: res.error.message };
    file.add(res.data.csv);
    onProgress(file.rows);
    cursor = res.data.nextCursor;
    if (!cursor) break;
  }
  const rows = file.rows;
  // Stopped by the guard, not by the end: no file that looks whole and is not.
  if (cursor) return { ok: false, message: `The export stopped after ${rows.toLocaleString('en')} rows, before the end. Narrow the queue with filters and export again.` };
  const blob = new Blob([CSV_BOM, ...file.parts()], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download asynchronously.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return { ok: true, rows };
}
