import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RunView } from '../../src/shared/contract';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { Banner, ErrorBanner } from '../shared/components/feedback';
import { ProgressBar } from '../shared/components/progress-bar';
import { WaitingNote } from '../shared/components/waiting-note';
import { duration, plural, timeAgo } from '../shared/format';
import { enabledControl, FocusReturn } from '../shared/focus-return';
import { flag } from '../shared/host';
import { useFocusHandOff } from '../shared/use-focus-hand-off';
import { useRecovered } from '../shared/use-recovered';
import { isActive, useRunStatus } from '../shared/use-run-status';
import { When } from '../shared/components/when';

/** On a project page's Cancel while a run of every project is live, for anyone but a Jira admin. */
export const NO_ALL_RUN_CANCEL_REASON = "This analysis covers every project in scope: only a Jira admin can cancel it, on the app's admin page";

const STATUS_TEXT: Record<RunView['status'], string> = {
  queued: 'Waiting to start',
  fetching: 'Reading issues from Jira',
  scoring: 'Comparing issues',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * The phase, as the counters beside the bar tell it: in the last step, once every issue is
 * compared, the pairs found are being stored (the bar then stands just short of the end).
 */
function phaseText(run: RunView): string {
  const c = run.counters;
  if (run.status === 'scoring' && c.toCompare !== null && c.toCompare > 0 && c.scored >= c.toCompare) return 'Storing the pairs found';
  return STATUS_TEXT[run.status];
}

/** Whose issues the counters count: a run of everything in scope counts other projects' too. */
function ScopeNote({ run, projectKey, otherProjects }: { run: RunView; projectKey: string | undefined; otherProjects: boolean }) {
  if (run.scope.kind !== 'all' || !otherProjects || run.countsWithheld === 'all') return null;
  return (
    <p className="dd-subtlest" style={{ margin: 0 }} data-testid="run-scope-note">
      This analysis covered every project in scope, so its counts include {projectKey ? `projects other than ${projectKey}` : 'other projects'}. The review queue below shows this
      project&apos;s pairs.
    </p>
  );
}

function Counters({ run }: { run: RunView }) {
  const c = run.counters;
  const of = c.expected !== null ? ` of ${c.expected.toLocaleString('en')}` : '';
  // Counts that would include projects this viewer cannot browse are not given to the page:
  // all of them, or (a project's run compared across projects) those of the comparing, and
  // the bar above then moves without a fraction.
  const comparedWithheld = run.countsWithheld === 'compared';
  if (run.countsWithheld === 'all') {
    return (
      <p className="dd-subtlest" style={{ margin: 0 }} data-testid="run-counts-withheld">
        This analysis covered issues you cannot see, so its counts are not shown.
      </p>
    );
  }
  return (
    <>
    <dl className="dd-row dd-subtle" style={{ margin: 0, padding: 0, gap: 'var(--ds-space-200, 16px)' }} data-testid="run-counters">
      <div>
        <dt className="dd-subtlest">{run.mode === 'incremental' ? 'Changed issues read' : 'Issues read'}</dt>
        <dd style={{ margin: 0 }} data-testid="run-fetched">
          {c.fetched.toLocaleString('en')}
          {of}
        </dd>
      </div>
      <div>
        {/* What this run stored: in a run of the changes, the changed issues only, not all there are. */}
        <dt className="dd-subtlest">{run.mode === 'incremental' ? 'Changed issues stored' : 'Issues stored'}</dt>
        <dd style={{ margin: 0 }} data-testid="run-indexed">{c.indexed.toLocaleString('en')}</dd>
      </div>
      {comparedWithheld ? null : (
        <>
          <div>
            <dt className="dd-subtlest">Issues compared</dt>
            {/* Compared after the reading, all in the last step: "0" while reading read as "none compared". */}
            <dd style={{ margin: 0 }} data-testid="run-scored">
              {run.status === 'queued' || run.status === 'fetching'
                ? 'after the reading'
                : `${c.scored.toLocaleString('en')}${isActive(run) && c.toCompare !== null ? ` of ${c.toCompare.toLocaleString('en')}` : ''}`}
            </dd>
          </div>
          <div>
            <dt className="dd-subtlest">Pairs found</dt>
            {/* Pairs are counted once the comparing is done: "0" before then read as "none found". */}
            <dd style={{ margin: 0 }} data-testid="run-pairs">{isActive(run) && c.pairs === 0 ? 'counted at the end' : c.pairs.toLocaleString('en')}</dd>
          </div>
        </>
      )}
      {isActive(run) && run.etaSeconds !== null ? (
        <div>
          <dt className="dd-subtlest">Time left</dt>
          <dd style={{ margin: 0 }} data-testid="run-eta">about {duration(run.etaSeconds)}</dd>
        </div>
      ) : null}
    </dl>
    {comparedWithheld ? (
      <p className="dd-subtlest" style={{ margin: 0 }} data-testid="run-compared-withheld">
        {isActive(run)
          ? "Issues compared, pairs found and how far the analysis has come are not shown: this project's issues are being compared with those of projects you cannot browse."
          : "Issues compared and pairs found are not shown: this project's issues were compared with those of projects you cannot browse."}
      </p>
    ) : null}
    {run.mode === 'incremental' && run.status === 'done' && c.fetched === 0 ? (
      <p className="dd-subtlest" style={{ margin: 0 }} data-testid="run-nothing-changed">
        No issue changed since the last analysis, so none was read again; every stored issue was compared again.
      </p>
    ) : null}
    </>
  );
}

/**
 * What a start that joined a run already live (someone else's, the schedule's, or one of every
 * project) should know of it, beyond that it runs: that it covers every project, and, when a
 * full re-read was asked for, that it reads only the issues changed since the last analysis,
 * so the re-read is still to do. Null when there is nothing to add.
 */
function joinedWords(run: RunView, projectKey: string | undefined, askedFull: boolean): string | null {
  const everyProject = projectKey !== undefined && run.scope.kind === 'all' ? 'It analyses every project in scope, this one among them. ' : '';
  if (askedFull && run.mode !== 'full') {
    return `${everyProject}It is a quick update of the issues changed since the last analysis, not the full re-read you asked for: start a full re-read when it ends ("Re-read every issue" stays ticked). `;
  }
  return everyProject === '' ? null : everyProject;
}

/** Start / cancel an analysis of this project and watch it run. */
export function RunPanel({
  projectKey,
  onFinished,
  onAnalysed,
  onRecovered,
}: {
  projectKey: string | undefined;
  onFinished: () => void;
  /** Told whether the project is among the analysed projects, once known and on every change. */
  onAnalysed?: (analysed: boolean) => void;
  /** Called when the status is read again after a failure (its Try again worked). */
  onRecovered?: () => void;
}) {
  const status = useRunStatus(projectKey, (last) => {
    if (last?.status === 'done') flag('success', 'Analysis finished', last.countsWithheld === 'none' ? `${last.counters.pairs.toLocaleString('en')} pairs found.` : undefined);
    else if (last?.status === 'failed') flag('error', 'Analysis failed', last.error ?? undefined);
    onFinished();
  });
  const [full, setFull] = useState(false);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [actionError, setActionError] = useState<{ title: string; message: string } | null>(null);
  /** A full re-read asked for that joined a run of the changes instead: said beside that run while it is live. */
  const [joined, setJoined] = useState<{ runId: string; text: string } | null>(null);
  // Start and Cancel take each other's place: focus follows to whichever is there (and can
  // take it) once the run's state shows, instead of falling to the page.
  const panel = useRef<HTMLElement>(null);
  const [focus] = useState(() => new FocusReturn());
  useEffect(() => () => focus.clear(), [focus]);
  useLayoutEffect(() => focus.place());
  const expectControl = (first: string, second: string) =>
    focus.expect(() => {
      const el = panel.current ? (enabledControl(panel.current, first) ?? enabledControl(panel.current, second)) : null;
      return el ? { el, final: true } : null;
    });
  const current = status.current;
  const active = isActive(current);
  // A run that ends by itself takes Cancel away: focus on it goes to Start, which takes its place.
  const cancelFocus = useFocusHandOff(active, () => {
    expectControl('run-start', 'run-full');
    focus.place();
  });
  useEffect(() => {
    if (status.analysed !== null) onAnalysed?.(status.analysed);
  }, [status.analysed, onAnalysed]);
  useRecovered(status.error ? 'error' : status.loaded ? 'ok' : 'loading', onRecovered);
  // The status could not be read and never was: whether this project was ever analysed is
  // unknown, so the panel neither says it was not nor offers Start as a first run.
  const unknown = status.error !== null && status.analysed === null && !current && !status.last;
  // The admin's setting may leave starting and cancelling to project administrators.
  const noControl = status.control !== null && !status.control.allowed ? (status.control.reason ?? 'You may not start or cancel analyses here') : null;
  // A run of every project, shown here too, is the admin page's to cancel (Jira admins only).
  const noCancel =
    noControl ?? (projectKey !== undefined && current?.scope.kind === 'all' && status.control !== null && !status.control.cancelsEveryProject ? NO_ALL_RUN_CANCEL_REASON : null);

  const start = async () => {
    expectControl('run-cancel', 'run-start');
    setStarting(true);
    setActionError(null);
    const res = await call('run.start', { ...(projectKey ? { projectKey } : {}), ...(full ? { mode: 'full' as const } : {}) });
    setStarting(false);
    if (!res.success) {
      setActionError({ title: 'The analysis did not start', message: res.error.message });
      return;
    }
    const run = res.data.run;
    if (res.data.joined) {
      const what = joinedWords(run, projectKey, full);
      flag('info', 'An analysis was already running', `${what ?? ''}Showing its progress.`.trim());
      setJoined(what !== null && full && run.mode !== 'full' ? { runId: run.runId, text: what.trim() } : null);
    } else setJoined(null);
    status.show(run);
    status.refresh();
  };

  const cancel = async () => {
    if (!current) return;
    expectControl('run-start', 'run-cancel');
    setCancelling(true);
    setActionError(null);
    const res = await call('run.cancel', { runId: current.runId });
    setCancelling(false);
    if (!res.success) {
      setActionError({ title: 'The analysis was not cancelled', message: res.error.message });
      return;
    }
    status.show(res.data.run);
    status.refresh();
  };

  const last = status.last;
  return (
    <section className="dd-card dd-stack" aria-labelledby="run-heading" data-testid="run-panel" ref={panel}>
      <div className="dd-row dd-row--between">
        <h2 className="dd-h2" id="run-heading">
          Analysis
        </h2>
        <div className="dd-row">
          {active ? (
            <Button
              loading={cancelling}
              disabled={noCancel !== null}
              disabledReason={noCancel}
              onClick={() => void cancel()}
              {...cancelFocus}
              data-testid="run-cancel"
            >
              Cancel analysis
            </Button>
          ) : (
            <>
              <Checkbox label="Re-read every issue" checked={full} onChange={setFull} disabled={noControl !== null} testId="run-full" />
              <Button
                appearance="primary"
                loading={starting}
                disabled={!status.loaded || status.analysed === false || unknown || noControl !== null}
                disabledReason={
                  status.analysed === false
                    ? 'This project is not among the analysed projects'
                    : unknown
                      ? 'The analysis status could not be read. Try again first.'
                      : noControl
                }
                onClick={() => void start()}
                data-testid="run-start"
              >
                {/* "Start" only once the status says no analysis ran: while it loads, the neutral name
                    (a project analysed before read "Start analysis" for a moment on every visit). */}
                {last ? 'Run analysis again' : unknown || !status.loaded ? 'Run analysis' : 'Start analysis'}
              </Button>
            </>
          )}
        </div>
      </div>
      {status.analysed === false && !active ? (
        <Banner appearance="warning" testId="run-not-analysed">
          {projectKey ?? 'This project'} is not among the projects the app analyses, so its issues are not checked for duplicates
          {last ? ', and what is shown here is no longer kept up to date' : ''}. A Jira admin can add it under Apps → Duplicate detection.
        </Banner>
      ) : null}
      {status.neverRead && !active && status.last !== null ? (
        <Banner appearance="warning" testId="run-never-read">
          {projectKey ?? 'This project'} has not been analysed yet: the analysis shown below ran before it was in scope, so none of its issues were read.{' '}
          {noControl !== null ? "Ask one of the project's administrators to start one." : 'Start an analysis to find possible duplicates.'}
        </Banner>
      ) : null}
      {status.tiersOutdated && !active && status.analysed !== false ? (
        <Banner appearance="info" testId="run-tiers-outdated">
          A Jira admin changed the similarity thresholds after the last analysis. The pairs below keep the tiers that analysis gave them (possible duplicate or related) until the next
          one{noControl !== null ? '.' : ': run it to apply the new thresholds.'}
        </Banner>
      ) : null}
      {noControl !== null && status.analysed !== false ? (
        <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-control-note">
          {noControl}. Its pairs are still yours to review below.
        </p>
      ) : null}
      {actionError ? <ErrorBanner message={actionError.message} title={actionError.title} testId="run-action-error" /> : null}
      {status.error && !actionError ? (
        <ErrorBanner
          message={
            // A run being shown is not stopped by a status read that failed (Jira's rate limit, an outage): said so, and the page asks again by itself.
            active ? `${status.error.message} The analysis itself goes on; this page asks again by itself in a few seconds.` : status.error.message
          }
          title={active ? 'Could not read how far the analysis is just now' : 'Could not read the analysis status'}
          onRetry={status.refresh}
          retrying={status.retrying}
        />
      ) : null}
      {/* Announced: the phase, when it changes (not every poll's counters and time left). */}
      <span className="dd-visually-hidden" role="status" data-testid="run-announcement">
        {active ? `Analysis: ${phaseText(current)}` : last ? `Last analysis: ${STATUS_TEXT[last.status]}` : ''}
      </span>
      <div className="dd-stack" data-testid="run-status" data-status={current?.status ?? last?.status ?? (unknown ? 'unknown' : 'none')}>
        {active ? (
          <>
            <div className="dd-row dd-row--between">
              <strong data-testid="run-phase">{phaseText(current)}…</strong>
              <span className="dd-subtlest">Started {timeAgo(current.startedAt)}</span>
            </div>
            <ProgressBar value={current.status === 'queued' ? null : current.progress} label="Analysis progress" testId="run-progress" />
            {current.waitingUntil !== null ? <WaitingNote until={current.waitingUntil} reason={current.waitReason} /> : null}
            <Counters run={current} />
            {joined !== null && joined.runId === current.runId ? (
              <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-joined-note">
                {joined.text}
              </p>
            ) : null}
            <ScopeNote run={current} projectKey={projectKey} otherProjects={status.otherProjects} />
            {noControl === null && noCancel !== null ? (
              // A disabled button's reason never reaches keyboard and touch users: said in view too.
              <p className="dd-subtlest" style={{ margin: 0 }} data-testid="run-cancel-note">
                {noCancel}.
              </p>
            ) : null}
          </>
        ) : last ? (
          <>
            <div className="dd-row">
              <span>
                Last analysis: <strong>{STATUS_TEXT[last.status]}</strong>{' '}
                <When iso={last.finishedAt ?? last.startedAt} />
              </span>
            </div>
            {last.status === 'failed' && last.error ? <Banner appearance="warning">{last.error}</Banner> : null}
            <Counters run={last} />
            {last.status !== 'done' && status.lastDone ? (
              <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-last-done">
                The pairs below come from the last analysis that finished,{' '}
                <When iso={status.lastDone.finishedAt ?? status.lastDone.startedAt} />
                {status.lastDone.countsWithheld === 'none' ? (
                  <>
                    {' '}
                    ({plural(status.lastDone.counters.pairs, 'pair')} found
                    {status.lastDone.scope.kind === 'all' && status.otherProjects ? ' across every project in scope' : ''})
                  </>
                ) : null}
                .
              </p>
            ) : null}
            <ScopeNote run={last} projectKey={projectKey} otherProjects={status.otherProjects} />
          </>
        ) : status.loaded && status.analysed !== false && !unknown ? (
          <p className="dd-subtle" style={{ margin: 0 }} data-testid="run-never">
            This project has not been analysed yet. Start an analysis to find possible duplicates.
          </p>
        ) : null}
      </div>
    </section>
  );
}
