/**
 * A paged list whose page came back empty while the list is not (its rows were decided,
 * linked or cleaned up since the pages were counted): goes to the last page there is, and
 * says so, so the view shows it loading rather than "nothing here".
 */
import { useEffect } from 'react';

interface Page {
  items: readonly unknown[];
  total: number;
  page: number;
  pageSize: number;
}

/** True while the page shown is past the end (the view then shows it loading). */
export function useLastPage(data: Page | null, setPage: (page: number) => void): boolean {
  const lastPage = data === null ? 1 : Math.max(1, Math.ceil(data.total / Math.max(1, data.pageSize)));
  const pastTheEnd = data !== null && data.items.length === 0 && data.total > 0 && data.page > lastPage;
  useEffect(() => {
    if (pastTheEnd) setPage(lastPage);
  }, [pastTheEnd, lastPage, setPage]);
  return pastTheEnd;
}
