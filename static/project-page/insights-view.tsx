import { useMemo, useState } from 'react';
import type { ResultOf } from '../../src/shared/contract';
import { FORMER_USER, FORMER_USERS_LABEL } from '../../src/shared/wording';
import { EmptyState, ErrorBanner, Skeleton } from '../shared/components/feedback';
import { UserText } from '../shared/components/user-text';
import { displayText, nameAtStart, plural } from '../shared/format';
import { useCall } from '../shared/use-call';
import { SimpleChart, type Series } from './bar-chart';
import { dismissReasonsSentence } from './reason-summary';

type Stats = ResultOf<'stats.get'>;

/**
 * Charts side by side, each at least 280 px wide, or one a row as wide as the page when the
 * page is narrower than that: a fixed 280 px minimum made the page scroll sideways in a
 * narrow frame.
 */
const CHART_COLUMNS = 'repeat(auto-fit, minmax(min(280px, 100%), 1fr))';

/** Score distribution, candidates by type and runs over time. */
export function InsightsView({
  projectKey,
  stats,
  statsError,
  onRetryStats,
  refreshKey,
}: {
  projectKey: string | undefined;
  stats: Stats | null;
  statsError: string | null;
  /** Reads the numbers again after `statsError`. */
  onRetryStats: () => void;
  refreshKey: number;
}) {
  const runs = useCall('run.list', { ...(projectKey ? { projectKey } : {}), limit: 30 }, refreshKey);
  // Review progress is asked for here only: the tab counts read stats.get without it after every decision.
  const progress = useCall('stats.get', { ...(projectKey ? { projectKey } : {}), progress: true }, refreshKey);

  const progressChart = useMemo(() => {
    const weeks = progress.data?.decisionsByWeek ?? [];
    const names = new Map((progress.data?.actors ?? []).map((a) => [a.accountId, a.displayName]));
    const people = progress.data?.deciders ?? [];
    return {
      weeks: {
        // The Monday each week starts on, as the server counts weeks (UTC).
        labels: weeks.map((w) => `Week of ${new Date(`${w.weekStart}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })}`),
        series: [
          { label: 'Confirmed', values: weeks.map((w) => w.confirmed), color: ['--ds-chart-success', '#22a06b'] },
          { label: 'Dismissed', values: weeks.map((w) => w.dismissed), color: ['--ds-chart-neutral', '#8590a2'] },
        ] as Series[],
        decided: weeks.reduce((n, w) => n + w.confirmed + w.dismissed, 0),
      },
      people: {
        // A label each, alone (not in a sentence): a name as Jira shows it, and "Former users" for the accounts closed since (the marker's one bar counts all of them).
        labels: people.map((p) => (p.accountId === FORMER_USER ? FORMER_USERS_LABEL : displayText(nameAtStart(names.get(p.accountId) ?? 'Someone Jira did not name'), 24))),
        series: [
          { label: 'Confirmed', values: people.map((p) => p.confirmed), color: ['--ds-chart-success', '#22a06b'] },
          { label: 'Dismissed', values: people.map((p) => p.dismissed), color: ['--ds-chart-neutral', '#8590a2'] },
        ] as Series[],
        // Decisions no person is counted under: confirmed from a Jira link nobody was named for.
        unnamed: weeks.reduce((n, w) => n + w.confirmed + w.dismissed, 0) - people.reduce((n, p) => n + p.confirmed + p.dismissed, 0),
        capped: people.length >= 10,
      },
    };
  }, [progress.data]);

  // Related pairs at low scores can outnumber the possible duplicates a hundred to one, and
  // then set the chart's scale alone: the duplicates' bars are too small to see.
  const [duplicatesOnly, setDuplicatesOnly] = useState(false);
  const histogram = useMemo(() => {
    const all = stats?.scoreHistogram ?? [];
    if (duplicatesOnly) {
      // From the first bucket with a possible duplicate to the last, empty ones kept as 0: the shape stays true.
      const first = all.findIndex((r) => r.duplicates > 0);
      const last = all.length - 1 - [...all].reverse().findIndex((r) => r.duplicates > 0);
      const rows = first < 0 ? [] : all.slice(first, last + 1);
      return {
        labels: rows.map((r) => `${Math.round(r.from * 100)}–${Math.round(r.to * 100)}%`),
        series: [{ label: 'Possible duplicates', values: rows.map((r) => r.duplicates), color: ['--ds-chart-danger', '#f15b50'] }] as Series[],
      };
    }
    const rows = all;
    return {
      labels: rows.map((r) => `${Math.round(r.from * 100)}–${Math.round(r.to * 100)}%`),
      // Stacked by tier, so the chart shows where the duplicate threshold cuts.
      series: [
        { label: 'Possible duplicates', values: rows.map((r) => r.duplicates), color: ['--ds-chart-danger', '#f15b50'] },
        { label: 'Related', values: rows.map((r) => r.count - r.duplicates), color: ['--ds-chart-discovery', '#8f7ee7'] },
      ] as Series[],
    };
  }, [stats, duplicatesOnly]);
  const someDuplicates = (stats?.scoreHistogram ?? []).some((r) => r.duplicates > 0);
  const someRelated = (stats?.scoreHistogram ?? []).some((r) => r.count > r.duplicates);

  const byType = useMemo(() => {
    const rows = [...(stats?.byType ?? [])].sort((a, b) => b.count - a.count).slice(0, 12);
    return {
      labels: rows.map((r) => displayText(r.type, 24)),
      // Not the tier colours of the chart beside it: these bars count both tiers.
      series: [{ label: 'Pairs', values: rows.map((r) => r.count), color: ['--ds-chart-brand', '#1d7afc'] }] as Series[],
    };
  }, [stats]);

  const runSeries = useMemo(() => {
    // Runs whose counts would include projects this viewer cannot browse are not charted
    // (`countsWithheld`), nor pairs when any run's were withheld.
    const all = runs.data?.runs ?? [];
    const rows = all.filter((r) => r.countsWithheld !== 'all').sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const pairsWithheld = rows.some((r) => r.countsWithheld === 'compared');
    // A run that failed, was cancelled or is still going stopped part way: its counts are not a
    // point of the lines (a cancelled run's 0 pairs is not "none found"), but marks of their own.
    const unfinished = rows.map((r) => r.status !== 'done');
    const finishedOnly = (values: number[]): Array<number | null> => values.map((v, i) => (unfinished[i] ? null : v));
    const unfinishedOnly = (values: number[]): Array<number | null> => values.map((v, i) => (unfinished[i] ? v : null));
    const fetched = rows.map((r) => r.counters.fetched);
    const pairs = rows.map((r) => r.counters.pairs);
    const anyUnfinished = unfinished.some(Boolean);
    return {
      withheldRuns: all.length - rows.length,
      pairsWithheld,
      anyUnfinished,
      // Each run says what kind it was: a full read, the changed issues only, or every project in
      // scope; "Issues read" means different things for each. A run that did not finish says so.
      labels: rows.map(
        (r) =>
          `${new Date(r.startedAt).toLocaleString('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })} (${r.scope.kind === 'all' ? 'all projects' : r.mode === 'full' ? 'full' : 'changes'}${r.status === 'failed' ? ', failed' : r.status === 'cancelled' ? ', cancelled' : r.status === 'done' ? '' : ', still running'})`,
      ),
      series: [
        { label: 'Issues read', values: finishedOnly(fetched), color: ['--ds-chart-neutral', '#8590a2'] },
        ...(pairsWithheld ? [] : [{ label: 'Pairs found', values: finishedOnly(pairs), color: ['--ds-chart-brand', '#1d7afc'] }]),
        ...(anyUnfinished
          ? [
              { label: 'Issues read (unfinished run)', values: unfinishedOnly(fetched), color: ['--ds-chart-neutral', '#8590a2'], apart: true },
              ...(pairsWithheld ? [] : [{ label: 'Pairs found (unfinished run)', values: unfinishedOnly(pairs), color: ['--ds-chart-brand', '#1d7afc'], apart: true }]),
            ]
          : []),
      ] as Series[],
      count: rows.length,
    };
  }, [runs.data]);

  if (statsError) return <ErrorBanner title="Could not read the numbers for the charts" message={statsError} onRetry={onRetryStats} testId="stats-error" />;
  if (!stats) return <Skeleton lines={6} label="Loading charts" />;
  const nothing = stats.scoreHistogram.every((r) => r.count === 0) && stats.byType.length === 0;
  const reasonsSentence = dismissReasonsSentence(stats.byStatus.dismissed, stats.dismissReasons);
  return (
    <div className="dd-stack" data-testid="insights">
      {nothing ? (
        <EmptyState title="No pairs to chart yet">Charts appear once an analysis has found similar issues.</EmptyState>
      ) : (
        <div style={{ display: 'grid', gap: 'var(--ds-space-200, 16px)', gridTemplateColumns: CHART_COLUMNS }}>
          <div className="dd-card dd-stack">
            <SimpleChart kind="bar" stacked title="Score distribution" labels={histogram.labels} series={histogram.series} testId="chart-scores" />
            {someDuplicates && someRelated ? (
              <label className="dd-subtle" style={{ display: 'flex', alignItems: 'center', gap: 'var(--ds-space-100, 8px)' }} title="Related pairs can make the possible duplicates' bars too small to see">
                <input type="checkbox" checked={duplicatesOnly} onChange={(e) => setDuplicatesOnly(e.target.checked)} data-testid="chart-scores-duplicates-only" />
                <span>Only possible duplicates</span>
              </label>
            ) : null}
          </div>
          <div className="dd-card">
            {byType.labels.length === 1 ? (
              // One bar says nothing a sentence does not.
              <figure style={{ margin: 0 }} data-testid="chart-types" data-kind="sentence">
                <figcaption>
                  <h3 className="dd-h3">Pairs by issue type</h3>
                </figcaption>
                <p className="dd-subtle" data-testid="chart-types-single">
                  Every pair is between issues of one type, <UserText text={byType.labels[0] ?? ''} max={24} />: {plural(byType.series[0]?.values[0] ?? 0, 'pair')}.
                </p>
              </figure>
            ) : (
              <SimpleChart kind="bar" title="Pairs by issue type" labels={byType.labels} series={byType.series} testId="chart-types" />
            )}
          </div>
          <p className="dd-subtlest" style={{ margin: 0, gridColumn: '1 / -1' }} data-testid="charts-note">
            Both charts count every pair stored: to review, confirmed and dismissed.
            {byType.labels.length > 1 ? ' A pair of two issue types counts under each, so the bars by type can add up to more than the pairs.' : ''}
          </p>
        </div>
      )}
      <div className="dd-card dd-stack" data-testid="review-progress">
        {progress.state === 'error' ? <ErrorBanner title="Could not read the review progress" message={progress.error.message} onRetry={progress.reload} /> : null}
        <h3 className="dd-h3" style={{ margin: 0 }}>
          Review progress
        </h3>
        {progress.data ? (
          <>
            <p className="dd-subtle" style={{ margin: 0 }} data-testid="review-progress-summary">
              {/* Most of a long queue is related pairs: the possible duplicates are counted apart, so the work left is not read as all alike. */}
              {plural(stats.byStatus.pending, 'pair')} to review
              {stats.byStatus.pending > 0 ? `, ${stats.duplicatesByStatus.pending.toLocaleString('en-US')} of them possible duplicates` : ''}. {plural(progressChart.weeks.decided, 'pair')} confirmed or
              dismissed in the last 12 weeks
              {progressChart.weeks.decided > 0 ? ' (not counting those reopened since).' : '.'}
            </p>
            {reasonsSentence !== null ? (
              <p className="dd-subtle" style={{ margin: 0 }} data-testid="dismiss-reasons-summary">
                {reasonsSentence}
              </p>
            ) : null}
            {progressChart.weeks.decided > 0 ? (
              <div style={{ display: 'grid', gap: 'var(--ds-space-200, 16px)', gridTemplateColumns: CHART_COLUMNS }}>
                <SimpleChart kind="bar" stacked title="Decisions per week" labels={progressChart.weeks.labels} series={progressChart.weeks.series} testId="chart-decisions" />
                {progressChart.people.labels.length > 0 ? (
                  <SimpleChart kind="bar" stacked title="Decisions by person" labels={progressChart.people.labels} series={progressChart.people.series} testId="chart-deciders" />
                ) : null}
              </div>
            ) : null}
            {(progressChart.people.unnamed > 0 && !progressChart.people.capped) || progressChart.people.capped ? (
              <p className="dd-subtlest" style={{ margin: 0 }} data-testid="deciders-note">
                {progressChart.people.capped ? 'The ten people with the most decisions are shown. ' : ''}
                {progressChart.people.unnamed > 0 && !progressChart.people.capped
                  ? `${plural(progressChart.people.unnamed, 'pair')} confirmed from a Duplicate link in Jira ${progressChart.people.unnamed === 1 ? 'has' : 'have'} no person to count under: Jira did not say who made the link.`
                  : ''}
              </p>
            ) : null}
          </>
        ) : progress.state === 'loading' ? (
          <Skeleton lines={3} label="Loading review progress" />
        ) : null}
      </div>
      <div className="dd-card">
        {runs.state === 'error' ? <ErrorBanner message={runs.error.message} onRetry={runs.reload} /> : null}
        {runs.data && runSeries.count > 0 ? (
          // A line needs a few points to say anything; one or two runs read better as bars.
          <>
            <SimpleChart kind={runSeries.count < 3 ? 'bar' : 'line'} title="Runs over time" labels={runSeries.labels} series={runSeries.series} testId="chart-runs" />
            {runSeries.anyUnfinished ? (
              <p className="dd-subtlest" style={{ margin: 0 }} data-testid="runs-unfinished-note">
                A run that failed, was cancelled or is still running is not on the lines: its counts stop where it stopped. What it read and found by then is marked apart, with a cross.
              </p>
            ) : null}
            {runs.data.runs.some((r) => r.scope.kind === 'all' && r.countsWithheld === 'none') ? (
              <p className="dd-subtlest" style={{ margin: 0 }} data-testid="runs-scope-note">
                An analysis of every project in scope counts the issues and pairs of all of them, not of this project alone.
              </p>
            ) : null}
          </>
        ) : runs.data && runSeries.withheldRuns === 0 ? (
          <EmptyState title="No runs yet" />
        ) : runs.data ? null : (
          <Skeleton lines={3} label="Loading runs" />
        )}
        {runSeries.withheldRuns > 0 || runSeries.pairsWithheld ? (
          <p className="dd-subtlest" style={{ margin: 0 }} data-testid="runs-withheld-note">
            {runSeries.withheldRuns > 0 ? `${plural(runSeries.withheldRuns, 'analysis', 'analyses')} of every project ${runSeries.withheldRuns === 1 ? 'is' : 'are'} not charted` : ''}
            {runSeries.withheldRuns > 0 && runSeries.pairsWithheld ? ', and pairs found are not' : runSeries.pairsWithheld ? 'Pairs found are not charted' : ''}: their counts include projects you cannot browse.
          </p>
        ) : null}
      </div>
    </div>
  );
}
