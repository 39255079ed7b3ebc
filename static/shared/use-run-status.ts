/**
 * Run status for the page: polled every 1.5 s while a run is active, and otherwise every
 * 20 s while the page is in view, and at once when it comes back into view or its window
 * gets the focus, so a run someone else started (or the schedule) shows without a reload.
 * Calls `onFinished` once when an active run ends, so the rest of the page can reload what
 * the run changed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, RunControl, RunView } from '../../src/shared/contract';
import { call } from './api';
import { waitBeforeAskingAgain } from './retry-wait';

const POLL_MS = 1500;
/** While no run is active: slow, since a run of a large backlog lasts minutes. */
export const IDLE_POLL_MS = 20_000;
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
  /** The last read failed (`error`) and the status is being read again: by Try again, the window's focus or the poll. */
  retrying: boolean;
}

/** Whether the page is in view: a hidden tab or frame is not polled while idle. */
function inView(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

export function useRunStatus(projectKey: string | undefined, onFinished: (run: RunView | null) => void) {
  const [state, setState] = useState<RunStatusState>({ current: null, lastDone: null, last: null, analysed: null, otherProjects: false, control: null, neverRead: false, tiersOutdated: false, loaded: false, error: null, retrying: false });
  const [tick, setTick] = useState(0);
  const wasActive = useRef<RunView | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    /** A read under way: a focus or a return into view meanwhile does not start a second one. */
    let reading = false;
    // Who may start and cancel is asked once per refresh, not on every 1.5 s poll.
    let askControl = true;
    const next = (ms: number) => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void poll(), ms);
    };
    const poll = async () => {
      if (stopped || reading) return;
      // Idle and out of sight: no read until the page is in view again (see `onShown`).
      if (!wasActive.current && !inView()) return;
      reading = true;
      window.clearTimeout(timer);
      // Said only while an error is shown (its Try again is then busy): no render for the polls of a run going well.
      setState((s) => (s.error && !s.retrying ? { ...s, retrying: true } : s));
      const res = await call('run.status', { ...(projectKey ? { projectKey } : {}), ...(askControl ? { control: true } : {}) });
      reading = false;
      if (stopped) return;
      if (!res.success) {
        setState((s) => ({ ...s, loaded: true, error: res.error, retrying: false }));
        // Keep polling through a transient error while a run is known to be active, slowly
        // otherwise; either way not sooner than Jira said it would take requests again (the
        // Retry-After of a 429 or a 5xx).
        next(waitBeforeAskingAgain(res.error, wasActive.current ? POLL_MS * 2 : IDLE_POLL_MS));
        return;
      }
      const { current, last, lastDone, analysed, otherProjects, control, neverRead, tiersOutdated } = res.data;
      if (control !== null) askControl = false;
      setState((s) => ({ current, last, lastDone, analysed, otherProjects, control: control ?? s.control, neverRead, tiersOutdated, loaded: true, error: null, retrying: false }));
      if (isActive(current)) {
        wasActive.current = current;
        next(POLL_MS);
        return;
      }
      if (wasActive.current) {
        wasActive.current = null;
        finished.current(last);
      }
      next(IDLE_POLL_MS);
    };
    // Back in view, or the frame's window focused: read at once when idle (an active run is
    // read every 1.5 s anyway). Out of sight, an idle page stops polling until then.
    const onShown = () => {
      if (wasActive.current) return;
      if (inView()) void poll();
      else window.clearTimeout(timer);
    };
    document.addEventListener('visibilitychange', onShown);
    window.addEventListener('focus', onShown);
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onShown);
      window.removeEventListener('focus', onShown);
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
