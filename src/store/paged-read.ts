/**
 * Keyset paging for big reads. Forge SQL answers at most 4 MiB and gives a SELECT 5 s, so
 * the page size starts at `pageSize` and halves whenever a page times out or is too large,
 * down to `minPageSize` (then the error stands).
 */
import { isQueryTimeout } from './db';

/** Errors a smaller page can fix: Forge's SELECT timeout and its 4 MiB response limit. */
export function isShrinkable(err: unknown): boolean {
  return isQueryTimeout(err) || isTooLarge(err);
}

function isTooLarge(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  return code === 'RESPONSE_TOO_LARGE' || /RESPONSE_TOO_LARGE|response limit|too large/i.test(message);
}

export async function pagedRead<R>(
  readPage: (afterKey: string, limit: number) => Promise<R[]>,
  keyOf: (row: R) => string,
  opts: { pageSize?: number; minPageSize?: number; onPage?: (rows: R[]) => void } = {},
): Promise<R[]> {
  let limit = opts.pageSize ?? 1000;
  const min = opts.minPageSize ?? 25;
  const out: R[] = [];
  let after = '';
  for (;;) {
    let rows: R[];
    try {
      rows = await readPage(after, limit);
    } catch (err) {
      if ((isQueryTimeout(err) || isTooLarge(err)) && limit > min) {
        limit = Math.max(min, Math.floor(limit / 2));
        console.warn(`store: page too slow or large; retrying with ${limit} rows`);
        continue;
      }
      throw err;
    }
    if (opts.onPage) opts.onPage(rows);
    else for (const r of rows) out.push(r);
    if (rows.length < limit) return out;
    const last = rows[rows.length - 1];
    if (last === undefined) return out;
    after = keyOf(last);
  }
}
