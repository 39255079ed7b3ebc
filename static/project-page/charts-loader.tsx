/**
 * The Charts tab, with its code (Chart.js, about 60 KB gzip) loaded when the tab first opens.
 * A load that fails (the network dropped for a moment, or the app was upgraded and this page
 * asks for a file the new build no longer has) is said in the tab, with Try again, which
 * asks for the code once more: it used to throw to the page's last-resort boundary, which
 * put "Something went wrong while showing this page" in place of the whole page.
 */
import { Component, Suspense, lazy, useMemo, useState, type ComponentProps, type ReactNode } from 'react';
import { ErrorBanner, Skeleton } from '../shared/components/feedback';
import type { InsightsView as InsightsViewType } from './insights-view';

class LoadBoundary extends Component<{ children: ReactNode; onRetry: () => void }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error): void {
    console.warn('[dedupe] the charts could not be loaded', error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div data-testid="charts-load-error">
        <ErrorBanner title="The charts could not be loaded" message="Check the connection, or reload the page if the app was just updated." onRetry={this.props.onRetry} />
      </div>
    );
  }
}

export function ChartsTab(props: ComponentProps<typeof InsightsViewType>) {
  // Each try is a new lazy component: a lazy one keeps the failure of its first load.
  const [attempt, setAttempt] = useState(0);
  const InsightsView = useMemo(() => {
    void attempt;
    return lazy(() => import('./insights-view').then((m) => ({ default: m.InsightsView })));
  }, [attempt]);
  return (
    <LoadBoundary
      key={attempt}
      onRetry={() => {
        // Try again goes with the banner: the focus goes to the Charts tab, not to the page.
        document.querySelector<HTMLElement>('[data-testid="tab-insights"]')?.focus();
        setAttempt((n) => n + 1);
      }}
    >
      <Suspense fallback={<Skeleton lines={6} label="Loading charts" />}>
        <InsightsView {...props} />
      </Suspense>
    </LoadBoundary>
  );
}
