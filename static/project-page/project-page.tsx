import { useCallback, useEffect, useState } from 'react';
import type { ReviewStatus } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { ErrorBanner, Skeleton } from '../shared/components/feedback';
import { Tabs, tabPanelProps } from '../shared/components/tabs';
import { HistoryView } from '../shared/components/history-view';
import type { AppContext } from '../shared/context';
import { displayText } from '../shared/format';
import { readSession, writeSession } from '../shared/session-state';
import { useCall } from '../shared/use-call';
import { ChartsTab } from './charts-loader';
import { ClustersView } from './clusters-view';
import type { PageRoute, PageView } from './page-route';
import { ReviewQueue } from './review-queue';
import { RunPanel } from './run-panel';
import { usePageRoute } from './use-page-route';

type View = PageView;

/** Each section's tab label, and its heading (h2, under the page's h1, beside the run panel's). */
const SECTION_TITLE: Record<View, string> = { review: 'Review queue', clusters: 'Clusters', insights: 'Charts', history: 'History' };
const VIEWS = Object.keys(SECTION_TITLE) as View[];

/** The queue's tab as the queue keeps it for the session (review-queue.tsx), if it reads back as one. */
function queueTab(raw: unknown): ReviewStatus | null {
  const status = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['status'] : null;
  return status === 'pending' || status === 'confirmed' || status === 'dismissed' ? status : null;
}

/** The project's Duplicate review page: analysis, review queue, clusters, charts, history. */
export function ProjectPage({ context }: { context: AppContext }) {
  const projectKey = context.project?.key || undefined;
  // Where the page is (section, queue tab, pair in Compare): in its address, so it can be
  // linked to and Back goes through it (use-page-route.ts). The page's bare address (the
  // sidebar's) comes back to the section and tab kept for the session, as the queue's filters do.
  const fromSession = useCallback(
    (): PageRoute => ({
      view: readSession(`view:${projectKey ?? '-'}`, (raw) => (VIEWS.includes(raw as View) ? (raw as View) : null)) ?? 'review',
      tab: readSession(`queue:${projectKey ?? '-'}`, (raw) => queueTab(raw)) ?? 'pending',
      pair: null,
    }),
    [projectKey],
  );
  const { shown, go, pairGone } = usePageRoute(fromSession);
  const route = shown?.route ?? null;
  const view = route?.view ?? null;
  useEffect(() => {
    if (view !== null) writeSession(`view:${projectKey ?? '-'}`, view);
  }, [view, projectKey]);
  const setView = useCallback((v: View) => go((now) => ({ ...now, view: v, pair: null })), [go]);
  const setTab = useCallback((tab: ReviewStatus) => go((now) => ({ ...now, tab, pair: null })), [go]);
  // Compare belongs to the review queue: a pair closed after the page left it changes nothing.
  const setPair = useCallback((pair: string | null) => go((now) => (now.view === 'review' ? { ...now, pair } : now)), [go]);
  // A pair opened from the address that cannot be read (gone with a re-run, or of issues the
  // viewer cannot browse) closes; the notice below says why the queue shows instead.
  const fromAddress = shown?.fromAddress === true;
  const onPairUnavailable = useCallback(() => {
    if (fromAddress) pairGone();
  }, [fromAddress, pairGone]);
  const [noticeClosed, setNoticeClosed] = useState(false);
  useEffect(() => setNoticeClosed(false), [shown]);
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
      {view === null ? (
        <Skeleton lines={6} label="Loading the page" />
      ) : (
        <>
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
            {view === 'review' && shown?.pairUnavailable === true && !noticeClosed ? (
              <div className="dd-banner dd-banner--warning dd-row dd-row--between" role="status" data-testid="link-pair-unavailable">
                <span>The pair this link opens is not available: a later analysis may have removed it, or you cannot browse its issues. The review queue is shown instead.</span>
                <Button appearance="subtle" small onClick={() => setNoticeClosed(true)} data-testid="link-pair-unavailable-close">
                  Close
                </Button>
              </div>
            ) : null}
            {view === 'review' && route !== null ? (
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
                tab={route.tab}
                onTab={setTab}
                compare={route.pair}
                onCompare={setPair}
                onCompareUnavailable={onPairUnavailable}
              />
            ) : view === 'clusters' ? (
              <ClustersView projectKey={projectKey} refreshKey={refreshKey} onChanged={bumpStats} accountId={context.accountId} />
            ) : view === 'insights' ? (
              // Chart.js is only needed on the Charts tab: its code loads when the tab opens.
              <ChartsTab
                projectKey={projectKey}
                stats={stats.data}
                statsError={stats.state === 'error' ? stats.error.message : null}
                onRetryStats={reloadStats}
                refreshKey={refreshKey}
              />
            ) : (
              <HistoryView projectKey={projectKey} accountId={context.accountId} refreshKey={`${refreshKey}:${statsKey}`} onRecovered={reloadStats} />
            )}
          </div>
        </>
      )}
    </main>
  );
}
