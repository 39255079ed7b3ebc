/**
 * Run status for the page, polled every 1.5 s while a run is active and not at
 * all otherwise. Calls `onFinished` once when an active run ends, so the rest of
 * the page can reload what the run changed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, RunControl, RunView } from '../../src/shared/contract';
import { call } from './api';
import { waitBeforeAskingAgain } from './retry-wait';

const POLL_MS = 1500;
const ACTIVE = new Set(['queued', 'fetching', 'scoring']);

export function isActive(run: RunView | null | undefined): run is RunView {
  return !!run && ACTIVE.has(run.status);
}

export interface RunStatusState {
  current: RunView | null;
  /** When the last finished run failed or was cancelled: the last one that finished well. */
  lastDone: RunView | null;
  last: RunView | null;
  /** Whether the project (or, for everything in scope, any project) is analysed; null until known. */
  analysed: boolean | null;
  /** Whether projects other than this one are in scope (a run of every project counted them). */
  otherProjects: boolean;
  /** Whether the viewer may start and cancel runs here (asked on the first read after each refresh); null until known. */
  control: RunControl | null;
  /** In scope, yet no analysis has read the project's issues (the last run shown was not its own). */
  neverRead: boolean;
  /** The thresholds changed after the last analysis: the tiers shown are from before. */
  tiersOutdated: boolean;
  loaded: boolean;
  error: ApiError | null;
}

export function useRunStatus(projectKey: string | undefined, onFinished: (run: RunView | null) => void) {
  const [state, setState] = useState<RunStatusState>({ current: null, lastDone: null, last: null, analysed: null, otherProjects: false, control: null, neverRead: false, tiersOutdated: false, loaded: false, error: null });
  const [tick, setTick] = useState(0);
  const wasActive = useRef<RunView | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    // Who may start and cancel is asked once per refresh, not on every 1.5 s poll.
    let askControl = true;
    const poll = async () => {
      const res = await call('run.status', { ...(projectKey ? { projectKey } : {}), ...(askControl ? { control: true } : {}) });
      if (stopped) return;
      if (!res.success) {
        setState((s) => ({ ...s, loaded: true, error: res.error }));
        // Keep polling through a transient error while a run is known to be active, not
        // sooner than Jira said it would take requests again (a 429's Retry-After).
        if (wasActive.current) timer = window.setTimeout(() => void poll(), waitBeforeAskingAgain(res.error, POLL_MS * 2));
        return;
      }
      const { current, last, lastDone, analysed, otherProjects, control, neverRead, tiersOutdated } = res.data;
      if (control !== null) askControl = false;
      setState((s) => ({ current, last, lastDone, analysed, otherProjects, control: control ?? s.control, neverRead, tiersOutdated, loaded: true, error: null }));
      if (isActive(current)) {
        wasActive.current = current;
        timer = window.setTimeout(() => void poll(), POLL_MS);
      } else if (wasActive.current) {
        wasActive.current = null;
        finished.current(last);
      }
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [projectKey, tick]);

  /** Starts polling again, e.g. right after a run was started or cancelled. */
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  /** Shows a run returned by start/cancel at once, before the next poll. */
  const show = useCallback((run: RunView) => {
    if (isActive(run)) wasActive.current = run;
    setState((s) => ({ ...s, current: isActive(run) ? run : null, last: isActive(run) ? s.last : run, error: null }));
  }, []);
  return { ...state, refresh, show };
}
