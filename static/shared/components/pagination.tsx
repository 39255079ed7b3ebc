import type { RefObject } from 'react';

/**
 * Brings the top of a paged list into view and puts the focus on it (made focusable with
 * tabIndex -1 when it is not). The pager sits under the list: without this, Next leaves the
 * reader at the bottom of the next page, thousands of pixels below its first row.
 */
export function showListTop(list: HTMLElement | null): void {
  if (!list) return;
  if (!list.hasAttribute('tabindex')) list.tabIndex = -1;
  // Scrolls every scrolling ancestor, the host page around the app's frame included.
  list.scrollIntoView({ block: 'start' });
  list.focus({ preventScroll: true });
}

/** Page numbers with previous/next; shows a window around the current page. */
export function Pagination({
  page,
  pageSize,
  total,
  onChange,
  label = 'Pages',
  listRef,
}: {
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
  label?: string;
  /** The list these pages are of: on a page change its top is brought into view and focused. */
  listRef?: RefObject<HTMLElement>;
}) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  if (pages <= 1) return null;
  const go = (p: number) => {
    onChange(p);
    if (listRef) showListTop(listRef.current);
  };
  const windowed: Array<number | 'gap'> = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 1) windowed.push(p);
    else if (windowed[windowed.length - 1] !== 'gap') windowed.push('gap');
  }
  return (
    <nav className="dd-pagination" aria-label={label} data-testid="pagination">
      <button
        type="button"
        className="dd-btn dd-btn--subtle dd-btn--small"
        disabled={page <= 1}
        onClick={() => go(page - 1)}
        data-testid="page-prev"
      >
        <span aria-hidden="true">‹ </span>
        Previous
      </button>
      {windowed.map((p, i) =>
        p === 'gap' ? (
          <span key={`gap-${i}`} aria-hidden="true">
            …
          </span>
        ) : (
          <button
            key={p}
            type="button"
            className="dd-btn dd-btn--subtle dd-btn--small"
            aria-current={p === page ? 'page' : undefined}
            aria-label={`Page ${p}`}
            onClick={() => go(p)}
          >
            {p}
          </button>
        ),
      )}
      <button
        type="button"
        className="dd-btn dd-btn--subtle dd-btn--small"
        disabled={page >= pages}
        onClick={() => go(page + 1)}
        data-testid="page-next"
      >
        Next
        <span aria-hidden="true"> ›</span>
      </button>
    </nav>
  );
}
