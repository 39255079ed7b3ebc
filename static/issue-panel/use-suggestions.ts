/**
 * The issue view's data: suggestions for one issue, refreshed when Jira says the
 * issue changed, and the link/dismiss/restore actions applied locally as soon as
 * the server agrees (so the list does not flicker through a full reload).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { events } from '@forge/bridge';
import { MAX_SUGGESTIONS_LIMIT, SUGGESTIONS_PER_LIST, type ApiError, type DismissReason, type ErrorCode, type Payload, type Suggestion, type SuggestionList, type SuggestionsView } from '../../src/shared/contract';
import { strongestFirst } from '../../src/shared/suggestion-order';
import { call } from '../shared/api';
import { useCall } from '../shared/use-call';
import { waitBeforeAskingAgain } from '../shared/retry-wait';

/** `unlink`: reopen a confirmed pair and remove the Duplicate link it made (undo of a link). */
export type Decision = 'confirm' | 'dismiss' | 'reopen' | 'unlink';
/** What a suggestion's busy state shows: the decision, or 'reverse' for a confirm linking the other way round. */
export type Busy = Decision | 'reverse';
export interface DecideOptions {
  /** For a confirm: which issue of the two is linked as the duplicate. */
  duplicateIssueId?: string;
  /** Which button shows it is working, when not the decision's own. */
  busyAs?: Busy;
  /** For a dismissal (of a suggestion already dismissed, too): why it is not a duplicate (null: the reason taken back). */
  reason?: DismissReason | null;
  /** With reason `related`: also link the two as related in Jira. */
  linkRelated?: boolean;
  /**
   * For a reopen (the Undo of a "Link as related"), or a reason other than related given after
   * it: also remove the Relates link between the two (only ever for the link this dismissal made).
   */
  unlinkRelated?: boolean;
}

/**
 * Told to the app's other frames on the page (the issue panel and the issue context box show
 * the same suggestions) after a decision here, so they do not keep offering what was just
 * decided. A dismissal changes nothing in Jira, so Jira's own JIRA_ISSUE_CHANGED would not come.
 */
export const SUGGESTIONS_CHANGED = 'dedupe.suggestions-changed';
/** This frame's name in that event, so a frame that hears its own event ignores it. */
const FRAME_ID = Math.random().toString(36).slice(2);

/**
 * After a failure that may pass (Jira busy or down, the app's function failing): asked again
 * by itself after these waits, then left to Try again. A success starts the count again. When
 * Jira said how long to wait (the Retry-After of a 429 or a 5xx, `retryAfterMs`), the wait is at least that
 * (`waitBeforeAskingAgain`, at most 5 minutes).
 */
export const RETRY_AFTER_MS: readonly number[] = [5_000, 15_000, 45_000];
const PASSING: readonly ErrorCode[] = ['RATE_LIMITED', 'JIRA_ERROR', 'INTERNAL'];

/** While suggestions are on their way: first ask again after this, then a little later each time. */
const PENDING_FIRST_MS = 2_000;
const PENDING_MAX_MS = 15_000;
/** While only an analysis is awaited (`analysisRunning`), the longest wait between asks. */
const RUN_WAIT_MAX_MS = 60_000;

function without(list: Suggestion[], pairId: string): Suggestion[] {
  return list.filter((s) => s.pairId !== pairId);
}

/** In the resolver's order (suggestion-order.ts), so a suggestion put back here sits where a reload would put it. */
function inServerOrder(list: Suggestion[]): Suggestion[] {
  return [...list].sort((x, y) => strongestFirst({ score: x.score, id: x.pairId }, { score: y.score, id: y.pairId }));
}

/** Moves a suggestion to where its new status puts it, in the place a reload would give it. */
export function applyDecision(view: SuggestionsView, updated: Suggestion): SuggestionsView {
  const base: SuggestionsView = {
    ...view,
    duplicates: without(view.duplicates, updated.pairId),
    related: without(view.related, updated.pairId),
    dismissed: without(view.dismissed, updated.pairId),
  };
  if (updated.status === 'dismissed') return { ...base, dismissed: inServerOrder([...base.dismissed, updated]) };
  if (updated.tier === 'duplicate') return { ...base, duplicates: inServerOrder([...base.duplicates, updated]) };
  return { ...base, related: inServerOrder([...base.related, updated]) };
}

/**
 * Keeps `duplicateOf` true after a decision here, without a reload: a link that made this
 * issue the duplicate adds the other issue; Unlink removes the links between the two.
 */
export function withDuplicateOf(
  view: SuggestionsView,
  suggestion: Suggestion,
  decision: Decision,
  link: { created: boolean; inwardKey: string; outwardKey: string } | null,
): SuggestionsView {
  const other = { id: suggestion.issue.id, key: suggestion.issue.key };
  const others = view.duplicateOf.filter((d) => d.id !== other.id);
  if (decision === 'unlink') return { ...view, duplicateOf: others };
  // The link's inward end is the duplicate (see docs/resolvers.md, Link direction).
  if (decision === 'confirm' && link?.created && link.inwardKey === view.issue.key) return { ...view, duplicateOf: [...others, other] };
  return view;
}

/**
 * A suggestion as it stands after a decision on it was refused because someone decided it
 * first (CONFLICT), read again with the list: null when the list no longer holds it, or could
 * not be read. `names`: who decided, by account id, as Jira shows them to the viewer.
 */
export interface DecidedFirst {
  now: Suggestion | null;
  names: ReadonlyMap<string, string>;
}

/** The most suggestions asked for of each list that was asked for more (the rest: SUGGESTIONS_PER_LIST). */
type PerList = Partial<Record<SuggestionList, number>>;
const NO_MORE: PerList = {};

/** `suggestions.get`'s payload: `limits` only for the lists asked for more, as the server defaults the rest. */
function suggestionsPayload(issueId: string, perList: PerList): Payload<'suggestions.get'> {
  return Object.keys(perList).length === 0 ? { issueId } : { issueId, limits: perList };
}

export function useSuggestions(issueId: string | null) {
  // Each list's most suggestions: SUGGESTIONS_PER_LIST, and that many more of a list for each
  // "Show N more" past them under it (`showMore`); the lists are read again with it (the ones
  // shown stay meanwhile). Asked per list, so the other lists do not grow with it.
  const [limits, setLimits] = useState<{ issueId: string | null; n: PerList }>({ issueId, n: {} });
  const perList = limits.issueId === issueId ? limits.n : NO_MORE;
  const payload = issueId ? suggestionsPayload(issueId, perList) : null;
  const loaded = useCall('suggestions.get', payload);
  const showMore = useCallback(
    (list: SuggestionList) =>
      setLimits((l) => {
        const now = l.issueId === issueId ? l.n : NO_MORE;
        return { issueId, n: { ...now, [list]: Math.min(MAX_SUGGESTIONS_LIMIT, (now[list] ?? SUGGESTIONS_PER_LIST) + SUGGESTIONS_PER_LIST) } };
      }),
    [issueId],
  );
  const { reload, update, replace } = loaded;
  const [busy, setBusy] = useState<Record<string, Busy>>({});

  useEffect(() => {
    let cancelled = false;
    let pending: number | undefined;
    // Jira sends one event per field edited; a burst of edits should cost one reload.
    const onChanged = () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(reload, 400);
    };
    const unsubscribes: Array<() => void> = [];
    const listen = (event: string, handler: (payload?: unknown) => void) =>
      events
        .on(event, async (payload?: unknown) => handler(payload))
        .then((sub) => {
          if (cancelled) sub.unsubscribe();
          else unsubscribes.push(() => sub.unsubscribe());
        })
        .catch((err: unknown) => console.warn(`[dedupe] cannot listen for ${event}`, err));
    void listen('JIRA_ISSUE_CHANGED', onChanged);
    void listen(SUGGESTIONS_CHANGED, (payload) => {
      const from = payload as { issueId?: unknown; frame?: unknown } | undefined;
      if (from?.frame !== FRAME_ID && from?.issueId === issueId) onChanged();
    });
    return () => {
      cancelled = true;
      window.clearTimeout(pending);
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [reload, issueId]);

  // Jira changed the issue after the analysis read it, and its change event was lost: the
  // panel has it done now, once per issue it shows (`suggestions.recheck`), then reads again.
  // 'checking' while it runs; 'failed' when it could not, and the panel says the suggestions
  // may be out of date.
  const [recheck, setRecheck] = useState<'idle' | 'checking' | 'failed'>('idle');
  const rechecked = useRef<string | null>(null);
  const changed = loaded.state === 'ok' && loaded.data.changedSinceAnalysed;
  useEffect(() => {
    if (!changed || issueId === null || rechecked.current === issueId) return;
    rechecked.current = issueId;
    setRecheck('checking');
    void call('suggestions.recheck', { issueId }).then((res) => {
      setRecheck(res.success ? 'idle' : 'failed');
      if (res.success && res.data.rechecked) reload();
    });
  }, [changed, issueId, reload]);

  // A new issue's suggestions are being computed (its created event is on its way), or an
  // analysis that has not compared it yet is running: ask again until the answer says they
  // are ready, 2 s at first and backing off to 15 s, or to 60 s while only a run is awaited
  // (the resolver stops saying "pending" after a few minutes, and a run ends or is marked
  // stale, so this ends).
  const waiting = loaded.state === 'ok' && (loaded.data.pending || loaded.data.analysisRunning);
  const ready = loaded.state === 'ok' && !waiting;
  const polls = useRef(0);
  useEffect(() => {
    if (ready) polls.current = 0;
  }, [ready]);
  useEffect(() => {
    if (!waiting) return undefined;
    // A run takes minutes, and every open panel asks: backing off further while only a run is awaited.
    const max = loaded.state === 'ok' && !loaded.data.pending ? RUN_WAIT_MAX_MS : PENDING_MAX_MS;
    const delay = Math.min(max, PENDING_FIRST_MS * 1.5 ** polls.current);
    polls.current++;
    const t = window.setTimeout(reload, delay);
    return () => window.clearTimeout(t);
  }, [waiting, loaded.data, reload]);

  const decide = useCallback(
    async (
      suggestion: Suggestion,
      decision: Decision,
      options: DecideOptions = {},
    ): Promise<
      | {
          ok: true;
          link: { inwardKey: string; outwardKey: string } | null;
          unlinked: number | null;
          joinedThrough: string[];
          relatedLink: { created: boolean; inwardKey: string; outwardKey: string } | null;
          unlinkedRelated: number | null;
          /** When the pair was decided, as it stands now (null when pending). */
          decidedAt: string | null;
        }
      | { ok: false; error: ApiError; decidedFirst: DecidedFirst | null }
    > => {
      setBusy((b) => ({ ...b, [suggestion.pairId]: options.busyAs ?? decision }));
      const res = await call(
        'pairs.decide',
        // Every decision only of the suggestion as the viewer saw it (`expected`, as the project
        // page sends it): one someone has decided since is left as they left it (CONFLICT), so
        // a stale Link does not overturn a colleague's dismissal, nor a stale Dismiss their link.
        decision === 'unlink'
          ? { pairId: suggestion.pairId, decision: 'reopen', unlink: true, expected: suggestion.status }
          : decision === 'confirm'
            ? {
                pairId: suggestion.pairId,
                decision,
                expected: suggestion.status,
                ...(options.duplicateIssueId !== undefined ? { duplicateIssueId: options.duplicateIssueId } : {}),
              }
            : decision === 'dismiss' && options.reason !== undefined
              ? // Given after the dismissal: only while the pair is still dismissed.
                {
                  pairId: suggestion.pairId,
                  decision,
                  reason: options.reason,
                  expected: 'dismissed' as const,
                  ...(options.linkRelated === true ? { linkRelated: true } : {}),
                  ...(options.unlinkRelated === true ? { unlinkRelated: true } : {}),
                }
              : decision === 'reopen'
                ? {
                    pairId: suggestion.pairId,
                    decision,
                    expected: suggestion.status,
                    // The decision as the viewer saw it: a colleague's newer one, even a dismissal too, stays.
                    ...(suggestion.decidedAt !== null ? { expectedDecidedAt: suggestion.decidedAt } : {}),
                    ...(options.unlinkRelated === true ? { unlinkRelated: true } : {}),
                  }
                : { pairId: suggestion.pairId, decision, expected: suggestion.status },
      );
      setBusy((b) => {
        const next = { ...b };
        delete next[suggestion.pairId];
        return next;
      });
      if (!res.success) {
        const tellOthers = () =>
          events.emit(SUGGESTIONS_CHANGED, { issueId, frame: FRAME_ID }).catch((err: unknown) => console.warn('[dedupe] cannot tell the other frames', err));
        // The pair is gone, or an issue of it is hidden from the viewer now (the server does not
        // say which): the list is read again here and in the app's other frame on the page, so
        // the suggestion does not stay with buttons that can only fail.
        if (res.error.code === 'NOT_FOUND') {
          reload();
          void tellOthers();
        }
        // Someone decided it first: the list is read again (here at once, for the panel to say
        // who did what; the other frame by the event), and the suggestion shows as it is now.
        let decidedFirst: DecidedFirst | null = null;
        if (res.error.code === 'CONFLICT' && issueId !== null) {
          const fresh = await call('suggestions.get', suggestionsPayload(issueId, perList));
          if (fresh.success) {
            replace(fresh.data);
            const now = [...fresh.data.duplicates, ...fresh.data.related, ...fresh.data.dismissed].find((s) => s.pairId === suggestion.pairId) ?? null;
            decidedFirst = { now, names: new Map(fresh.data.actors.map((a) => [a.accountId, a.displayName])) };
          } else {
            reload();
          }
          void tellOthers();
        }
        return { ok: false, error: res.error, decidedFirst };
      }
      const updated: Suggestion = {
        ...suggestion,
        status: res.data.pair.status,
        tier: res.data.pair.tier,
        // Linked directly; two issues Jira joins only through others are not.
        linked: decision === 'unlink' ? false : suggestion.linked || res.data.link !== null || (res.data.alreadyLinked === true && res.data.joinedThrough === undefined),
        // The viewer's own decision (the panel says "you"), or none again after a reopen.
        decidedBy: res.data.pair.decidedBy,
        decidedAt: res.data.pair.decidedAt,
        decidedInJira: res.data.pair.decidedInJira,
        dismissReason: res.data.pair.dismissReason,
        dismissReasonBy: res.data.pair.dismissReasonBy,
      };
      update((view) => withDuplicateOf(applyDecision(view, updated), suggestion, decision, res.data.link));
      events.emit(SUGGESTIONS_CHANGED, { issueId, frame: FRAME_ID }).catch((err: unknown) => console.warn('[dedupe] cannot tell the other frames', err));
      const link = res.data.link;
      return {
        ok: true,
        link: link?.created ? { inwardKey: link.inwardKey, outwardKey: link.outwardKey } : null,
        unlinked: res.data.unlinked ?? null,
        joinedThrough: res.data.joinedThrough ?? [],
        relatedLink: res.data.relatedLink ?? null,
        unlinkedRelated: res.data.unlinkedRelated ?? null,
        decidedAt: res.data.pair.decidedAt,
      };
    },
    [update, reload, replace, issueId, perList],
  );

  // The last error, kept while the panel asks again (by itself or after Try again): the
  // panel keeps showing it, busy, until the answer comes, rather than a loading skeleton
  // that would take the Try again button (and the keyboard focus on it) away and make a
  // screen reader announce the error again when it came back. Set while rendering, as
  // React allows for state derived from the previous render.
  const [lastError, setLastError] = useState<{ issueId: string | null; error: ApiError } | null>(null);
  if (loaded.state === 'error' && (lastError?.error !== loaded.error || lastError.issueId !== issueId)) setLastError({ issueId, error: loaded.error });
  if (loaded.state === 'ok' && lastError !== null) setLastError(null);
  const shownError = loaded.state === 'error' ? loaded.error : loaded.state === 'loading' && lastError?.issueId === issueId ? (lastError?.error ?? null) : null;
  // Asking again after that error, its answer not in yet.
  const retrying = loaded.state === 'loading' && shownError !== null;

  // An outage need not keep the panel on an error until someone presses Try again.
  const failures = useRef(0);
  const [retryInMs, setRetryInMs] = useState<number | null>(null);
  const passingError = loaded.state === 'error' && PASSING.includes(loaded.error.code) ? loaded.error : null;
  useEffect(() => {
    if (loaded.state === 'ok') failures.current = 0;
  }, [loaded.state]);
  useEffect(() => {
    // While the panel asks again there is no error: the wait said with the last one stays.
    if (passingError === null) return undefined;
    const own = RETRY_AFTER_MS[failures.current];
    if (own === undefined) {
      setRetryInMs(null);
      return undefined;
    }
    // Not before Jira said it would take requests again: the banner says the wait taken.
    const wait = waitBeforeAskingAgain(passingError, own);
    failures.current++;
    setRetryInMs(wait);
    const t = window.setTimeout(reload, wait);
    return () => window.clearTimeout(t);
  }, [passingError, reload]);

  return {
    ...loaded,
    busy,
    decide,
    recheck,
    /** Asks for SUGGESTIONS_PER_LIST more of one list. */
    showMore,
    /** The lists' most suggestions asked for, where more than SUGGESTIONS_PER_LIST. */
    perList,
    /** The error to show: the answer's, or the last one while the panel asks again. */
    shownError,
    retrying,
    /** When the panel asks again by itself after `shownError` (null: it does not). */
    retryInMs: shownError !== null && PASSING.includes(shownError.code) ? retryInMs : null,
  };
}
