import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CreateCheckStatus } from '../../src/shared/contract';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { Banner, ErrorBanner } from '../shared/components/feedback';
import { ProgressBar } from '../shared/components/progress-bar';
import { WaitingNote } from '../shared/components/waiting-note';
import { duration, plural, timeAgo } from '../shared/format';
import { FocusReturn } from '../shared/focus-return';
import { flag } from '../shared/host';
import { useFocusHandOff } from '../shared/use-focus-hand-off';
import { isActive, useRunStatus } from '../shared/use-run-status';
import { CreateCheckSection } from './create-check-status';
import { UNSAVED_REASON } from './draft';

interface ActionsProps {
  canEdit: boolean;
  createCheck: CreateCheckStatus | null;
  projectsInScope: number;
  createDialogCheck: boolean;
  /**
   * The settings form above holds changes not saved. Both actions work from the saved settings
   * (the run reads the saved scope with the saved thresholds, the registration covers the saved
   * projects), so they wait until the changes are saved or discarded, and the card says why.
   */
  unsaved: boolean;
  /** Called when an action went to the history (a run started or ended, a registration). */
  onChanged?: () => void;
}

/**
 * Site-wide actions: analyse everything in scope; the create-dialog check. Both are for
 * Jira admins: the server answers others FORBIDDEN (`run.status`, `uim.status`), since an
 * all-projects run counts issues and pairs of projects the reader may not browse. Anyone
 * else is told that plainly, with no buttons, instead of a status the page could not read.
 */
export function AdminActions(props: ActionsProps) {
  return props.canEdit ? <AdminOnlyActions {...props} /> : <ActionsForAdmins />;
}

function ActionsForAdmins() {
  return (
    <section className="dd-card dd-stack" aria-labelledby="actions-heading" data-testid="admin-actions">
      <h2 className="dd-h2" id="actions-heading">
        Actions
      </h2>
      <Banner appearance="info" testId="admin-actions-admin-only">
        Analysing everything in scope and the duplicate check in the create dialog are for Jira administrators: only they can see how these stand or change them. A
        project&rsquo;s Duplicate review page shows that project&rsquo;s analysis and can start one.
      </Banner>
    </section>
  );
}

function AdminOnlyActions({ canEdit, createCheck, projectsInScope, createDialogCheck, unsaved, onChanged }: ActionsProps) {
  const status = useRunStatus(undefined, (last) => {
    onChanged?.();
    if (last?.status === 'done' && last.notice !== null) flag('warning', 'Analysis finished, with part of the scope left out', `${last.counters.pairs.toLocaleString('en')} pairs found. ${last.notice}`);
    else if (last?.status === 'done') flag('success', 'Analysis finished', `${last.counters.pairs.toLocaleString('en')} pairs found.`);
    else if (last?.status === 'failed') flag('error', 'Analysis failed', last.error ?? undefined);
  });
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  /** Read every issue again (a full run), not only those changed since the last run. */
  const [full, setFull] = useState(false);
  const [runError, setRunError] = useState<{ title: string; message: string } | null>(null);
  // The button is disabled while the run it started is live: focus goes to the run's status.
  const statusBox = useRef<HTMLDivElement>(null);
  const [focus] = useState(() => new FocusReturn());
  useEffect(() => () => focus.clear(), [focus]);
  useLayoutEffect(() => focus.place());

  const start = async () => {
    focus.expect(() => (statusBox.current ? { el: statusBox.current, final: true } : null));
    setStarting(true);
    setRunError(null);
    const res = await call('run.start', full ? { mode: 'full' } : {});
    setStarting(false);
    if (!res.success) {
      setRunError({ title: 'The analysis did not start', message: res.error.message });
      return;
    }
    onChanged?.();
    if (res.data.joined) flag('info', 'An analysis was already running', 'Showing its progress.');
    status.show(res.data.run);
    status.refresh();
  };

  const cancel = async () => {
    const run = status.current;
    if (!run) return;
    // Cancel goes with the run: focus goes to the run's status, where Start is said to be back.
    focus.expect(() => (statusBox.current ? { el: statusBox.current, final: true } : null));
    setCancelling(true);
    setRunError(null);
    const res = await call('run.cancel', { runId: run.runId });
    setCancelling(false);
    if (!res.success) {
      setRunError({ title: 'The analysis was not cancelled', message: res.error.message });
      return;
    }
    onChanged?.();
    status.show(res.data.run);
    status.refresh();
  };

  const current = status.current;
  const last = status.last;
  // What the run shown left out of the saved scope (Jira no longer shows it the app): the server says it to Jira admins only.
  const notice = isActive(current) ? current.notice : (last?.notice ?? null);
  // A run that ends by itself takes Cancel away: focus on it goes to the run's status, where the outcome is said.
  const cancelFocus = useFocusHandOff(isActive(current), () => {
    focus.expect(() => (statusBox.current ? { el: statusBox.current, final: true } : null));
    focus.place();
  });
  return (
    <section className="dd-card dd-stack" aria-labelledby="actions-heading" data-testid="admin-actions">
      <h2 className="dd-h2" id="actions-heading">
        Actions
      </h2>
      {unsaved ? (
        // Disabled buttons cannot be focused, so their reason is said in view too.
        <Banner appearance="info" live={false} testId="admin-actions-unsaved">
          The settings above have changes that are not saved. These actions use the saved settings: save or discard your changes before you start an analysis or
          register the create-dialog check.
        </Banner>
      ) : null}
      <div className="dd-stack">
        <div className="dd-row dd-row--between">
          <div className="dd-grow" style={{ flexBasis: '20rem' }}>
            <strong>Analyse everything in scope</strong>
            <div className="dd-help">
              Reads every project in scope, as saved, and looks for duplicates with the saved settings. Without &quot;Re-read every issue&quot;, only the issues changed since the
              last analysis are read again (the scheduled run re-reads everything once a week, which also lets go of issues deleted or aged out meanwhile).
            </div>
          </div>
          <Checkbox label="Re-read every issue" checked={full} onChange={setFull} disabled={!canEdit || isActive(current)} testId="run-all-full" />
          <Button
            appearance="primary"
            onClick={() => void start()}
            loading={starting}
            disabled={!canEdit || isActive(current) || unsaved || projectsInScope === 0}
            disabledReason={!canEdit ? 'Only Jira admins can start this' : isActive(current) ? 'An analysis is already running' : unsaved ? UNSAVED_REASON : projectsInScope === 0 ? 'Choose projects above and save first' : null}
            data-testid="run-all"
          >
            Run analysis for everything in scope
          </Button>
        </div>
        {runError ? <ErrorBanner title={runError.title} message={runError.message} testId="run-all-action-error" /> : null}
        {/* Only the run's phase is announced: its counters change every poll and would be read out each time. */}
        <span className="dd-visually-hidden" role="status">
          {isActive(current) ? 'Analysis running' : last ? `Last analysis ${last.status === 'done' ? 'finished' : last.status}` : ''}
        </span>
        <div ref={statusBox} tabIndex={-1} role="group" aria-label="Analysis status" data-testid="run-all-status" data-status={current?.status ?? last?.status ?? (status.error ? 'unknown' : 'none')}>
          {isActive(current) ? (
            <div className="dd-stack">
              <ProgressBar value={current.status === 'queued' ? null : current.progress} label="Analysis progress" testId="run-all-progress" />
              {current.waitingUntil !== null ? <WaitingNote until={current.waitingUntil} reason={current.waitReason} /> : null}
              <div className="dd-row dd-row--between">
                <span className="dd-subtle" data-testid="run-all-counts">
                  {/* Pairs are counted once the comparing is done: none "so far" before then. */}
                  {plural(current.counters.fetched, 'issue')} read
                  {current.counters.pairs > 0 ? `, ${plural(current.counters.pairs, 'pair')} so far` : ''}
                  {current.etaSeconds !== null ? `, about ${duration(current.etaSeconds)} left` : ''}.
                </span>
                <Button
                  small
                  loading={cancelling}
                  disabled={!canEdit}
                  disabledReason={!canEdit ? 'Only Jira admins can cancel this' : null}
                  onClick={() => void cancel()}
                  {...cancelFocus}
                  data-testid="run-all-cancel"
                >
                  Cancel analysis
                </Button>
              </div>
            </div>
          ) : last ? (
            <span className="dd-subtle">
              Last analysis {last.status === 'done' ? 'finished' : last.status} {timeAgo(last.finishedAt ?? last.startedAt)}
              {last.status === 'done' ? `: ${plural(last.counters.pairs, 'pair')} found.` : '.'}
              {last.error ? ` ${last.error}` : ''}
            </span>
          ) : status.error ? (
            <ErrorBanner title="Could not read the state of the analysis" message={status.error.message} onRetry={status.refresh} retrying={status.retrying} testId="run-all-error" />
          ) : status.loaded ? (
            <span className="dd-subtle">No analysis of everything in scope has run yet (a project's own page analyses just that project).</span>
          ) : null}
        </div>
        {notice !== null ? (
          <Banner appearance="warning" testId="run-all-notice">
            {notice}
          </Banner>
        ) : null}
      </div>
      <CreateCheckSection canEdit={canEdit} saved={createCheck} projectsInScope={projectsInScope} enabled={createDialogCheck} unsaved={unsaved} onChanged={onChanged} />
    </section>
  );
}
