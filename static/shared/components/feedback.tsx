import type { ReactNode } from 'react';

export function Spinner({ label = 'Loading', small = false }: { label?: string; small?: boolean }) {
  return (
    <span
      className="dd-spinner"
      role="status"
      aria-label={label}
      style={small ? { width: 12, height: 12 } : undefined}
    />
  );
}

/** Grey placeholder lines while content loads, so the layout does not jump. */
export function Skeleton({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }) {
  const widths = ['92%', '76%', '84%', '60%', '88%'];
  return (
    <div role="status" aria-label={label} aria-busy="true" data-testid="skeleton">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="dd-skeleton" style={{ width: widths[i % widths.length] }} />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
  testId,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="dd-empty" data-testid={testId ?? 'empty-state'}>
      {/* Not a tab stop, but focus may be put on it (a page whose list emptied does) and it is read out. */}
      <p className="dd-empty__title" tabIndex={-1}>
        {title}
      </p>
      {children ? <div>{children}</div> : null}
      {action ? <div style={{ marginTop: 'var(--ds-space-150, 12px)' }}>{action}</div> : null}
    </div>
  );
}

export type BannerAppearance = 'info' | 'error' | 'warning' | 'success';

/** A banner's live-region role: errors and warnings interrupt a screen reader; information waits its turn. */
export function bannerRole(appearance: BannerAppearance): 'alert' | 'status' {
  return appearance === 'error' || appearance === 'warning' ? 'alert' : 'status';
}

export function Banner({
  appearance = 'info',
  children,
  testId,
  live = true,
}: {
  appearance?: BannerAppearance;
  children: ReactNode;
  testId?: string;
  /**
   * False for a banner that holds buttons: a live region reads out all it holds at each
   * change, every button's name with it, so the banner is not one, and its sentence carries
   * the role instead (`role={bannerRole(appearance)}` on the text).
   */
  live?: boolean;
}) {
  return (
    <div className={`dd-banner dd-banner--${appearance}`} role={live ? bannerRole(appearance) : undefined} data-testid={testId}>
      <div className="dd-grow">{children}</div>
    </div>
  );
}

export function ErrorBanner({
  message,
  onRetry,
  title = 'Something went wrong',
  testId = 'error-banner',
}: {
  message: string;
  onRetry?: () => void;
  title?: string;
  testId?: string;
}) {
  return (
    <Banner appearance="error" testId={testId}>
      <div className="dd-row dd-row--between">
        <div className="dd-grow">
          <strong>{title}. </strong>
          <span>{message}</span>
        </div>
        {onRetry ? (
          <button type="button" className="dd-btn dd-btn--small" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </Banner>
  );
}
