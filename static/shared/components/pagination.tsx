/** Page numbers with previous/next; shows a window around the current page. */
export function Pagination({
  page,
  pageSize,
  total,
  onChange,
  label = 'Pages',
}: {
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
  label?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  if (pages <= 1) return null;
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
        onClick={() => onChange(page - 1)}
        aria-label="Previous page"
        data-testid="page-prev"
      >
        ‹ Prev
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
            onClick={() => onChange(p)}
          >
            {p}
          </button>
        ),
      )}
      <button
        type="button"
        className="dd-btn dd-btn--subtle dd-btn--small"
        disabled={page >= pages}
        onClick={() => onChange(page + 1)}
        aria-label="Next page"
        data-testid="page-next"
      >
        Next ›
      </button>
    </nav>
  );
}
