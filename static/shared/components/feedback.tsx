import type { ReactNode } from 'react';
import { Button } from './button';

// Where it always was for the pages; in a file of its own so that Button, used here, can show it too.
export { Spinner } from './spinner';

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
  retrying,
  title = 'Something went wrong',
  testId = 'error-banner',
}: {
  message: string;
  onRetry?: () => void;
  /**
   * For a banner that stays up while what failed is asked again (the error is kept until an
   * answer comes): true meanwhile, and Try again shows it is busy and takes no second click.
   * Such a banner is not a live region, its sentence is: the busy mark coming and going
   * would have the whole banner read out again at each ask.
   */
  retrying?: boolean;
  title?: string;
  testId?: string;
}) {
  const stays = retrying !== undefined;
  return (
    <Banner appearance="error" testId={testId} live={!stays}>
      <div className="dd-row dd-row--between">
        <div className="dd-grow" role={stays ? bannerRole('error') : undefined}>
          <strong>{title}. </strong>
          <span>{message}</span>
        </div>
        {onRetry ? (
          <Button small loading={retrying === true} onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </div>
    </Banner>
  );
}
