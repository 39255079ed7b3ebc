import { Suspense, lazy, useCallback, useState } from 'react';
import { ErrorBanner, Skeleton } from '../shared/components/feedback';
import { Tabs, tabPanelProps } from '../shared/components/tabs';
import { HistoryView } from '../shared/components/history-view';
import type { AppContext } from '../shared/context';
import { displayText } from '../shared/format';
import { readSession, writeSession } from '../shared/session-state';
import { useCall } from '../shared/use-call';
import { ClustersView } from './clusters-view';
import { ReviewQueue } from './review-queue';
import { RunPanel } from './run-panel';

// Chart.js is only needed on the Charts tab: load it when that tab opens.
const InsightsView = lazy(() => import('./insights-view').then((m) => ({ default: m.InsightsView })));

type View = 'review' | 'clusters' | 'insights' | 'history';

/** Each section's tab label, and its heading (h2, under the page's h1, beside the run panel's). */
const SECTION_TITLE: Record<View, string> = { review: 'Review queue', clusters: 'Clusters', insights: 'Charts', history: 'History' };
const VIEWS = Object.keys(SECTION_TITLE) as View[];

/** The project's Duplicate review page: analysis, review queue, clusters, charts, history. */
export function ProjectPage({ context }: { context: AppContext }) {
  const projectKey = context.project?.key || undefined;
  // The section shown, kept for the session as the queue's place is (session-state.ts).
  const [view, setViewState] = useState<View>(() => readSession(`view:${projectKey ?? '-'}`, (raw) => (VIEWS.includes(raw as View) ? (raw as View) : null)) ?? 'review');
  const setView = useCallback(
    (v: View) => {
      setViewState(v);
      writeSession(`view:${projectKey ?? '-'}`, v);
    },
    [projectKey],
  );
  // Bumped when an analysis finishes or a decision lands: everything reloads once.
  const [refreshKey, setRefreshKey] = useState(0);
  const [statsKey, setStatsKey] = useState(0);
  const stats = useCall('stats.get', projectKey ? { projectKey } : {}, `${refreshKey}:${statsKey}`);
  const bumpAll = useCallback(() => setRefreshKey((k) => k + 1), []);
  const bumpStats = useCallback(() => setStatsKey((k) => k + 1), []);
  const [analysed, setAnalysed] = useState(true);
  // When a panel's Try again works, the outage that failed it is over: the counts and charts
  // (which failed with it, and have no Try again on the review tab) are read again too.
  const reloadStats = stats.reload;
  const typeOptions = (stats.data?.byType ?? []).map((t) => t.type);
  return (
    <main className="dd-page dd-stack" data-testid="project-page">
      <h1 className="dd-h1">Duplicate review{projectKey ? <span className="dd-subtle"> · {displayText(projectKey, 20)}</span> : null}</h1>
      {!projectKey ? <ErrorBanner title="No project" message="Open this page from a project's sidebar." /> : null}
      <RunPanel projectKey={projectKey} onFinished={bumpAll} onAnalysed={setAnalysed} onRecovered={reloadStats} />
      <Tabs
        id="view"
        label="Duplicate review sections"
        selected={view}
        onSelect={setView}
        items={(Object.keys(SECTION_TITLE) as Array<keyof typeof SECTION_TITLE>).map((key) => ({ key, label: SECTION_TITLE[key] }))}
      />
      <div {...tabPanelProps('view', view, view === 'review')}>
        {/* The section's heading, for the outline screen readers move by: its tab names it in view. */}
        <h2 className="dd-visually-hidden" data-testid="section-heading">
          {SECTION_TITLE[view]}
        </h2>
        {view === 'review' ? (
          <ReviewQueue
            projectKey={projectKey}
            counts={stats.data?.byStatus ?? null}
            duplicateCounts={stats.data?.duplicatesByStatus ?? null}
            typeOptions={typeOptions}
            onChanged={bumpStats}
            onRecovered={reloadStats}
            refreshKey={refreshKey}
            analysed={analysed}
            accountId={context.accountId}
          />
        ) : view === 'clusters' ? (
          <ClustersView projectKey={projectKey} refreshKey={refreshKey} onChanged={bumpStats} accountId={context.accountId} />
        ) : view === 'insights' ? (
          <Suspense fallback={<Skeleton lines={6} label="Loading charts" />}>
            <InsightsView
              projectKey={projectKey}
              stats={stats.data}
              statsError={stats.state === 'error' ? stats.error.message : null}
              onRetryStats={reloadStats}
              refreshKey={refreshKey}
            />
          </Suspense>
        ) : (
          <HistoryView projectKey={projectKey} accountId={context.accountId} refreshKey={`${refreshKey}:${statsKey}`} onRecovered={reloadStats} />
        )}
      </div>
    </main>
  );
}
