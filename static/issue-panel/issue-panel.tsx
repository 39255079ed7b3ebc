import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { SUGGESTIONS_PER_LIST, type ApiError, type DismissReason, type Suggestion, type SuggestionList, type SuggestionsView } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { Banner, bannerRole, EmptyState, ErrorBanner, Skeleton, Spinner } from '../shared/components/feedback';
import { UserText } from '../shared/components/user-text';
import type { AppContext } from '../shared/context';
import { DISMISS_REASON_TEXT, dateTime, displayText, duration, plural, timeAgo } from '../shared/format';
import { DismissReasons, savingOf, type SavingReason } from '../shared/components/dismiss-reasons';
import { flag, goToProjectPage } from '../shared/host';
import { FocusReturn } from '../shared/focus-return';
import { decidedElsewhereText } from '../shared/decided-elsewhere';
import { NO_LINK_REASON } from '../shared/permissions';
import { IssueKey, SuggestionItem, type Deciders } from './suggestion-item';
import { useSuggestions, type Busy, type DecidedFirst, type DecideOptions, type Decision } from './use-suggestions';

/** Re-renders every 30 s so "Updated 2 minutes ago" stays true. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}

/**
 * Suggestions a list shows before "Show N more". The strongest come first, and past the
 * fifth a list is mostly the long tail of its tier; five keep the issue context box (about
 * 150 px per suggestion at 330 px wide) within about one screen, where an issue with 14
 * suggestions made the page 3,700 px tall.
 */
export const SHOWN_AT_FIRST = 5;

/** Frames up to this wide (the issue context box) get the short labels; base.css hides Open at the same width. */
const NARROW_QUERY = '(max-width: 380px)';

/** Whether the frame is narrow, following resizes. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW_QUERY);
    const onChange = () => setNarrow(query.matches);
    onChange();
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return narrow;
}

function Section({
  title,
  list,
  items,
  canLink,
  canDismiss,
  busy,
  onDecide,
  testId,
  duplicateOf,
  narrow,
  deciders,
  thisIssueId,
  others,
  reveal,
  notListed,
  onShowMore,
  loading,
  hideTitle = false,
}: {
  title: string;
  /** Which of `suggestions.get`'s lists it shows: "Show N more" asks for more of that one. */
  list: SuggestionList;
  items: Suggestion[];
  canLink: boolean;
  canDismiss: boolean;
  busy: Record<string, Busy>;
  onDecide: (s: Suggestion, d: Decision, options?: DecideOptions) => void;
  testId: string;
  duplicateOf: string[];
  narrow: boolean;
  deciders: Deciders;
  thisIssueId: string;
  /** The summaries of every suggestion listed (`SuggestionItem`'s `others`). */
  others: readonly string[];
  /**
   * A suggestion the panel is about to give the keyboard focus (one put back by Restore or
   * Undo): once the list holds it past the first SHOWN_AT_FIRST, the list opens to show it.
   * Each request is a new object, handled once: "Show fewer" afterwards is the reader's.
   */
  reveal: { pairId: string } | null;
  /** How many more the list holds than the server listed (`SuggestionsView.notListed`): counted, and offered by "Show N more". */
  notListed: { pending: number; confirmed: number };
  /** Asks the server for more of one list (`useSuggestions`' `showMore`). */
  onShowMore: (list: SuggestionList) => void;
  /** The lists are being read (again): "Show N more" is busy while it has asked. */
  loading: boolean;
  /** The frame's own title already says it (the issue context box is "Possible duplicates"): kept for screen readers only. */
  hideTitle?: boolean;
}) {
  const [expanded, setExpanded] = useState(false);
  const [revealed, setRevealed] = useState<{ pairId: string } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  if (reveal !== null && reveal !== revealed) {
    // Set while drawing (React draws again at once), so the focus finds it drawn: behind
    // "Show N more" it was not, and the focus fell to the page.
    const at = items.findIndex((s) => s.pairId === reveal.pairId);
    if (at >= 0) {
      setRevealed(reveal);
      if (at >= SHOWN_AT_FIRST && !expanded) setExpanded(true);
    }
  }
  // "Show N more" past what the server listed: the focus goes to the first suggestion it brings.
  const moreFrom = useRef<number | null>(null);
  useEffect(() => {
    const from = moreFrom.current;
    if (from === null || items.length <= from) return;
    moreFrom.current = null;
    listRef.current?.querySelectorAll<HTMLElement>('[data-testid="suggestion-key"]')[from]?.focus();
  });
  const hidden = notListed.pending + notListed.confirmed;
  if (items.length === 0 && hidden === 0) return null;
  // Counted whole, as the issue's badge counts them, the ones not listed too.
  const confirmed = items.filter((s) => s.status === 'confirmed').length + notListed.confirmed;
  const toReview = items.length + hidden - confirmed;
  const headingId = `${testId}-heading`;
  const listId = `${testId}-list`;
  // "Show 1 more" would take the room of the one it hides.
  const collapsible = items.length > SHOWN_AT_FIRST + 1;
  const shown = collapsible && !expanded ? items.slice(0, SHOWN_AT_FIRST) : items;
  const toggle = () => {
    const opening = !expanded;
    setExpanded(opening);
    // Keyboard users land on the first suggestion they had not seen.
    if (opening) window.setTimeout(() => listRef.current?.querySelectorAll<HTMLElement>('[data-testid="suggestion-key"]')[SHOWN_AT_FIRST]?.focus(), 0);
  };
  return (
    <section aria-labelledby={headingId} data-testid={testId}>
      <h2 className={hideTitle ? 'dd-visually-hidden' : 'dd-h3'} id={headingId} data-testid="section-title">
        {/* The count is what is left to review, as the issue's badge counts it; confirmed ones are listed, and said apart. */}
        {title} {toReview > 0 ? <span className="dd-count" data-testid="section-count">{toReview}</span> : null}
        {confirmed > 0 ? (
          <span className="dd-subtlest" style={{ fontWeight: 'normal' }} data-testid="section-confirmed">
            {toReview > 0 ? ' · ' : ''}
            {confirmed} confirmed
          </span>
        ) : null}
      </h2>
      <ul className="dd-list" id={listId} ref={listRef}>
        {shown.map((s) => (
          <SuggestionItem
            key={s.pairId}
            suggestion={s}
            canLink={canLink}
            canDismiss={canDismiss}
            busy={busy[s.pairId]}
            onDecide={onDecide}
            duplicateOf={duplicateOf}
            narrow={narrow}
            deciders={deciders}
            thisIssueId={thisIssueId}
            others={others}
          />
        ))}
      </ul>
      {collapsible ? (
        <Button small appearance="link" aria-expanded={expanded} aria-controls={listId} onClick={toggle} data-testid="show-more">
          {expanded ? 'Show fewer' : `Show ${items.length - SHOWN_AT_FIRST} more`}
        </Button>
      ) : null}
      {hidden > 0 && (!collapsible || expanded) ? (
        // The server lists SUGGESTIONS_PER_LIST of each list at first; the rest, that many at a time.
        <Button
          small
          appearance="link"
          loading={loading && moreFrom.current !== null}
          onClick={() => {
            moreFrom.current = items.length;
            onShowMore(list);
          }}
          data-testid="load-more"
        >
          {`Show ${Math.min(hidden, SUGGESTIONS_PER_LIST)} more of ${items.length + hidden}`}
        </Button>
      ) : null}
    </section>
  );
}

/**
 * Advice to try again at the end of an error's message ("Try again later.", "Try again in a
 * minute."): left out while the panel tries again by itself, which the banner says instead.
 */
const TRY_AGAIN_ADVICE = /\s*Try again(?: later| in a (?:minute|moment)| in about \d+ s)?\.$/;

/**
 * Why the suggestions could not be read, with Try again. While the panel asks again (by
 * itself after a wait, or after Try again) the banner stays as it is and its button shows
 * it is busy: put back after each answer, it would be announced again by a screen reader,
 * and the keyboard focus on Try again would drop to the page. The button stays focusable
 * meanwhile (Button's `loading`), and a click then does nothing.
 */
function LoadError({ error, retrying, retryInMs, onRetry }: { error: ApiError; retrying: boolean; retryInMs: number | null; onRetry: () => void }) {
  // Said with the error while the panel will ask again by itself.
  const message =
    retryInMs === null ? error.message : `${error.message.replace(TRY_AGAIN_ADVICE, '')} The panel tries again by itself in about ${duration(retryInMs / 1000)}.`;
  return (
    // Live only in its sentence, which changes as the panel asks again: Try again is not read out with it.
    <Banner appearance="error" testId="error-banner" live={false}>
      <div className="dd-row dd-row--between">
        <div className="dd-grow" role={bannerRole('error')} data-testid="error-text">
          <strong>Something went wrong. </strong>
          <span>{message}</span>
        </div>
        <Button small loading={retrying} onClick={onRetry} data-testid="error-retry">
          Try again
        </Button>
      </div>
    </Banner>
  );
}

/**
 * What a failed decision on a suggestion says. NOT_FOUND is the server's one answer for a pair
 * that is gone and for one with an issue the viewer may no longer see (`PAIR_UNAVAILABLE` in
 * src/resolvers/api-failure.ts): said of the suggested issue, in words that tell those apart no
 * more than the server's do (the panel reads its list again meanwhile, use-suggestions.ts).
 */
/**
 * A refusal someone else's decision explains: CONFLICT, and the suggestion read again is not
 * as the panel showed it (another status, a newer decision, or no longer listed), or could not
 * be read again. A CONFLICT with the suggestion unchanged (Jira answering 409 to a link, say)
 * is not said to be someone's decision: the server's sentence says what it was.
 */
function decidedElsewhere(s: Suggestion, error: ApiError, first: DecidedFirst | null): boolean {
  if (error.code !== 'CONFLICT') return false;
  const now = first?.now ?? null;
  if (first === null || now === null) return true;
  return now.status !== s.status || now.decidedAt !== s.decidedAt;
}

function failureText(s: Suggestion, error: ApiError): string {
  return error.code === 'NOT_FOUND' ? `${s.issue.key} may have been deleted, or you may no longer be allowed to see it.` : error.message;
}

/** The test id of the suggestion's button that made a decision (Undo, in the banner, reopens as Restore would). */
function pressedControl(s: Suggestion, d: Decision, options: DecideOptions): string {
  if (d === 'confirm') return options.busyAs === 'reverse' ? 'link-reverse' : 'link-duplicate';
  if (d === 'reopen') return s.status === 'confirmed' ? 'reopen-confirmed' : 'restore';
  return d;
}

/** What the panel tried when someone else decided the suggestion first: a decision, a reason, or a Relates link. */
type Attempt = Decision | 'reason' | 'related';

/** The flag's title when someone else decided the suggestion first. */
const NOT_DONE_TITLE: Record<Attempt, string> = {
  confirm: 'Not confirmed',
  dismiss: 'Not dismissed',
  reopen: 'Not put back',
  unlink: 'The Duplicate link was not removed',
  reason: 'The reason was not saved',
  related: 'Not linked as related',
};

/**
 * What a decision refused with CONFLICT says, in one sentence, in the project page's frame
 * (shared/decided-elsewhere.ts) and the issue view's words (of the suggested issue, never of a
 * pair): who did what to the suggestion and when, after this panel showed it how, and that this
 * decision was not carried out. "Alex Admin dismissed SHOP-5 as not a duplicate 2 minutes ago,
 * after this panel showed it for review, so no Duplicate link was made." The suggestion as it
 * is now comes from the list read again (`suggestions.get`: only what the viewer may browse,
 * names as Jira shows them to the viewer).
 */
function decidedFirstText(s: Suggestion, attempt: Attempt, first: DecidedFirst | null, me: string | null): string {
  const key = displayText(s.issue.key, 40);
  const notDone: Record<Attempt, string> = {
    // A plain Confirm (the two already joined in Jira) would have linked nothing either.
    confirm: s.joinedThrough.length > 0 ? 'your confirmation was not saved' : 'no Duplicate link was made',
    dismiss: 'your dismissal was not saved',
    reopen: 'it was not put back among the suggestions to review',
    unlink: 'the Duplicate link was not removed',
    reason: 'your reason was not saved',
    related: 'nothing was linked as related',
  };
  const shown = { pending: 'for review', confirmed: 'as confirmed', dismissed: 'as dismissed' }[s.status];
  return decidedElsewhereText(
    {
      name: key,
      did: { pending: `put ${key} back among the suggestions to review`, confirmed: `confirmed ${key} as a duplicate`, dismissed: `dismissed ${key} as not a duplicate` },
      linkedInJira: `This issue and ${key} were linked as duplicates in Jira`,
      shown: `this panel showed it ${shown}`,
      notDone: notDone[attempt],
      // What someone did says where it is now.
      where: null,
      unknown: 'The list has been read again.',
    },
    first?.now ? { pair: first.now, names: new Map([...first.names].flatMap(([id, name]) => (displayText(name, 60) ? [[id, displayText(name, 60)] as const] : []))) } : null,
    me,
  );
}

/** "the Relates link is removed from Jira", or that there was none left to remove. */
const removalWords = (removed: number): string => (removed === 0 ? 'there was no Relates link between them left to remove' : 'the Relates link is removed from Jira');

/** How many suggestions each list holds, those the server did not list too. */
function listCounts(data: SuggestionsView): { duplicates: number; related: number; dismissed: number } {
  const { notListed } = data;
  return {
    duplicates: data.duplicates.length + notListed.duplicates.pending + notListed.duplicates.confirmed,
    related: data.related.length + notListed.related.pending + notListed.related.confirmed,
    dismissed: data.dismissed.length + notListed.dismissed,
  };
}

/** What the panel says once a new issue's suggestions arrive: how many of each it lists. */
function arrivalText(data: SuggestionsView): string {
  const { duplicates, related } = listCounts(data);
  const found = [duplicates > 0 ? plural(duplicates, 'possible duplicate') : '', related > 0 ? `${related} related` : ''].filter(Boolean);
  return found.length === 0 ? 'No similar issues found.' : `Similar issues found: ${found.join(' and ')}.`;
}

export function IssuePanel({ context }: { context: AppContext }) {
  const issueId = context.issue?.id || null;
  const { state, data, shownError, retrying, reload, busy, decide, recheck, retryInMs, showMore } = useSuggestions(issueId);
  const errorBanner = shownError === null ? null : <LoadError error={shownError} retrying={retrying} retryInMs={retryInMs} onRetry={reload} />;
  // The issue context box (title "Possible duplicates") or the issue panel ("Similar issues").
  const inContextBox = context.extensionType === 'jira:issueContext';
  const narrow = useNarrow();
  const [showDismissed, setShowDismissed] = useState(false);
  const [undo, setUndo] = useState<Suggestion | null>(null);
  const now = useNow();
  // Keyboard focus when a decision takes its button away: to Undo after a dismissal, and back
  // to the suggestion once Undo or Restore has brought it back (it would fall to the page).
  const [focus] = useState(() => new FocusReturn());
  // The suggestion the focus goes to next, for its list to show it (Section's `reveal`).
  const [reveal, setReveal] = useState<{ pairId: string } | null>(null);
  useEffect(() => () => focus.clear(), [focus]);
  useLayoutEffect(() => focus.place());
  const focusOn = (...selectors: string[]): void =>
    focus.expect(() => {
      // The first selector that finds something: the preferred control, then its fallbacks.
      for (const selector of selectors) {
        const el = document.querySelector<HTMLElement>(selector);
        if (el !== null) return { el, final: true };
      }
      return null;
    });
  /**
   * Focus to one of suggestion `s`'s own controls (the first of `controls`, by test id, found
   * in its item), else to the first of `fallbacks` found anywhere; its list is told to show it
   * (`reveal`), since it may be past those the list shows. One call, so that the two go together.
   */
  const focusOnSuggestion = (s: Suggestion, controls: string[], fallbacks: string[] = []): void => {
    const item = `[data-testid="suggestion"][data-pair-id="${CSS.escape(s.pairId)}"]`;
    setReveal({ pairId: s.pairId });
    focusOn(...controls.map((c) => `${item} [data-testid="${c}"]`), ...fallbacks);
  };

  // What arrived once the panel stopped waiting ("Looking for similar issues", or a running
  // analysis) and showed the results by itself: said in a polite live region, since the list
  // that takes the spinner's place is none, and a screen reader would say nothing.
  const [arrived, setArrived] = useState('');
  const wasWaiting = useRef(false);
  const waiting = data !== null && (data.pending || data.analysisRunning) && data.duplicates.length + data.related.length === 0;
  useEffect(() => {
    if (data === null) return;
    if (waiting) {
      wasWaiting.current = true;
      return;
    }
    if (!wasWaiting.current) return;
    wasWaiting.current = false;
    setArrived(arrivalText(data));
  }, [data, waiting]);

  // Why the suggestion just dismissed is not a duplicate (the Undo banner's "Why?").
  const [savingReason, setSavingReason] = useState<SavingReason>(null);
  // The suggestion just dismissed as related, linked as such in Jira: being linked, or the link.
  const [related, setRelated] = useState<{ pairId: string; link: 'linking' | { created: boolean; inwardKey: string; outwardKey: string } } | null>(null);
  // The Relates link that dismissal made, removed again when its reason changed from related or
  // was taken back: how many links went (0: Jira had none left).
  const [relatedRemoved, setRelatedRemoved] = useState<{ pairId: string; removed: number } | null>(null);
  /** A suggestion the server no longer has for the viewer: its Undo banner goes with it. */
  const forget = (s: Suggestion) => {
    setUndo((u) => (u?.pairId === s.pairId ? null : u));
    setRelated((r) => (r?.pairId === s.pairId ? null : r));
  };
  /**
   * A decision refused because someone else decided the suggestion first (`decidedElsewhere`): the list
   * has been read again (use-suggestions.ts), so the suggestion shows as it is now; the flag
   * says who did what; its Undo banner goes (it was about the suggestion as it was). The
   * control pressed goes with the suggestion's old state, so the focus goes to the suggestion's
   * key where it is listed now, else to "Show dismissed" when it went there, else to the first
   * suggestion, else to Refresh.
   */
  const decidedFirst = (s: Suggestion, attempt: Attempt, first: DecidedFirst | null, extra = ''): void => {
    forget(s);
    // Asked for before the list read again is drawn (use-suggestions.ts has put it in place, and
    // React draws it after this answer's callbacks), so the place found is in the new list.
    focusOnSuggestion(s, ['suggestion-key'], ['[data-testid="toggle-dismissed"]', '[data-testid="suggestion-key"]', '[data-testid="refresh"]:not(:disabled)']);
    flag('warning', `${NOT_DONE_TITLE[attempt]}: someone else decided first`, `${decidedFirstText(s, attempt, first, context.accountId)}${extra}`);
  };

  const linkRelated = (s: Suggestion) => {
    if (related !== null && related.pairId === s.pairId) return;
    setRelated({ pairId: s.pairId, link: 'linking' });
    void decide(s, 'dismiss', { reason: 'related', linkRelated: true }).then((res) => {
      if (!res.ok && decidedElsewhere(s, res.error, res.decidedFirst)) {
        setRelated(null);
        // Decided otherwise while Jira made the link, and the server could not take it back
        // (its sentence names the link; the plain refusal does not).
        const left = /Relates link/.test(res.error.message) ? ` The Relates link between this issue and ${s.issue.key} made meanwhile could not be taken back: remove it in Jira.` : '';
        decidedFirst(s, 'related', res.decidedFirst, left);
        return;
      }
      if (!res.ok || res.relatedLink === null) {
        setRelated(null);
        if (!res.ok && res.error.code === 'NOT_FOUND') forget(s);
        flag('error', 'Not linked as related', res.ok ? 'Jira did not say what it did. Reload to see.' : failureText(s, res.error));
        return;
      }
      setRelated({ pairId: s.pairId, link: res.relatedLink });
      setRelatedRemoved(null);
      // The button goes once the link is made: focus to Undo, beside it.
      focusOn('[data-testid="undo"]');
    });
  };
  /** A reason chosen while another (or the Relates link) is being saved: given once that is done, not dropped. */
  const queuedReason = useRef<{ s: Suggestion; reason: DismissReason | null } | null>(null);
  const giveReason = (s: Suggestion, reason: DismissReason | null) => {
    if (savingReason !== null || related?.link === 'linking') {
      queuedReason.current = { s, reason };
      return;
    }
    // The Relates link this dismissal made goes when the reason is no longer related (taken
    // back, or another): the link said why they are related. One Jira had before stays.
    const made = related !== null && related.pairId === s.pairId && typeof related.link === 'object' && related.link.created;
    const unlinkRelated = made && reason !== 'related';
    // A reason taken back shows as none at once (nothing pressed while it is saved).
    setSavingReason(savingOf(reason));
    void decide(s, 'dismiss', { reason, ...(unlinkRelated ? { unlinkRelated: true } : {}) }).then((res) => {
      setSavingReason(null);
      if (!res.ok) {
        if (res.error.code === 'NOT_FOUND') {
          forget(s);
          flag('error', 'The reason was not saved', failureText(s, res.error));
        } else if (decidedElsewhere(s, res.error, res.decidedFirst)) {
          // Refused before the Relates link was touched: it stays, as the reason does.
          decidedFirst(s, 'reason', res.decidedFirst, unlinkRelated ? ' The Relates link made in Jira stays; remove it there if it should go.' : '');
        } else if (unlinkRelated) {
          // The link is removed first: when Jira refuses, neither the link nor the reason changed.
          flag('error', 'The reason was not changed', `${res.error.message} The Relates link stays in Jira, and so does the reason.`);
        } else {
          flag('error', 'The reason was not saved', res.error.message);
        }
        return;
      }
      setUndo((u) => (u?.pairId === s.pairId ? { ...u, dismissReason: reason } : u));
      // The removal is said with the reason that took related's place, until the next one.
      if (unlinkRelated) {
        setRelated((r) => (r?.pairId === s.pairId ? null : r));
        setRelatedRemoved({ pairId: s.pairId, removed: res.unlinkedRelated ?? 0 });
      } else {
        setRelatedRemoved(null);
      }
    });
  };

  useEffect(() => {
    const queued = queuedReason.current;
    if (savingReason !== null || related?.link === 'linking' || queued === null) return;
    queuedReason.current = null;
    // Only while the banner still offers reasons for that dismissal (not after an Undo).
    if (undo?.pairId === queued.s.pairId) giveReason(queued.s, queued.reason);
  });

  /** Undo of a dismissal linked as related: the Relates link removed from Jira, then the reopen. */
  const undoLinkedAsRelated = (s: Suggestion) => {
    void decide({ ...s, status: 'dismissed' }, 'reopen', { unlinkRelated: true }).then((res) => {
      if (!res.ok) {
        if (res.error.code === 'NOT_FOUND') {
          forget(s);
          flag('error', 'Not undone', failureText(s, res.error));
          return;
        }
        if (decidedElsewhere({ ...s, status: 'dismissed' }, res.error, res.decidedFirst)) {
          setRelated(null);
          decidedFirst({ ...s, status: 'dismissed' }, 'reopen', res.decidedFirst, ' The Relates link made in Jira stays; remove it there if it should go.');
          return;
        }
        // Jira refused the removal: it stays as it is, and so does the banner, to try again.
        flag('error', 'Not undone', res.error.message);
        return;
      }
      setUndo((u) => (u?.pairId === s.pairId ? null : u));
      setRelated(null);
      focusOnSuggestion(s, ['suggestion-key']);
      flag(
        'success',
        `${s.issue.key} is back among the suggestions`,
        res.unlinkedRelated === 0 ? 'There was no Relates link between the two issues to remove.' : 'The Relates link made in Jira is removed.',
      );
    });
  };

  const onDecide = (s: Suggestion, d: Decision, options: DecideOptions = {}) => {
    void decide(s, d, options).then((res) => {
      if (!res.ok) {
        if (decidedElsewhere(s, res.error, res.decidedFirst)) {
          decidedFirst(s, d, res.decidedFirst);
          return;
        }
        // Gone for the viewer (deleted, or hidden now): the list is read again, and its Undo goes.
        if (res.error.code === 'NOT_FOUND') forget(s);
        // The button pressed kept the focus while it was busy, and keeps it now. Should a list
        // read again take it away (the issue gone for the viewer; a link Jira made after all,
        // Unlink in its place), the focus goes to what is there instead, not to the page.
        const item = `[data-testid="suggestion"][data-pair-id="${CSS.escape(s.pairId)}"]`;
        focusOn(
          `${item} [data-testid="${pressedControl(s, d, options)}"]`,
          ...(d === 'confirm' ? [`${item} [data-testid="unlink"]`] : []),
          `${item} [data-testid="suggestion-key"]`,
          '[data-testid="suggestion-key"]',
          '[data-testid="refresh"]:not(:disabled)',
        );
        // The project page's wording for the same failure.
        // Say what failed: a link Jira refused is not a lost dismissal.
        flag('error', d === 'confirm' ? 'Not confirmed' : d === 'unlink' ? 'The Duplicate link was not removed' : 'The decision was not saved', failureText(s, res.error));
        return;
      }
      // A link made or removed changes which way the other suggestions would link (no issue is
      // made to duplicate two): their buttons are read again.
      if (d === 'confirm' || d === 'unlink') reload();
      if (d === 'dismiss') {
        // As dismissed now: its Undo reopens only this dismissal, not a colleague's newer one.
        setUndo({ ...s, status: 'dismissed', decidedAt: res.decidedAt });
        // A new dismissal has made no Relates link yet, nor removed one.
        setRelated(null);
        setRelatedRemoved(null);
        focusOn('[data-testid="undo"]');
      } else {
        setUndo((u) => (u?.pairId === s.pairId ? null : u));
      }
      if (d === 'reopen') focusOnSuggestion(s, ['suggestion-key']);
      // Link and Unlink replace each other: focus goes to the one that took the pressed one's place.
      if (d === 'confirm') focusOnSuggestion(s, ['unlink', 'suggestion-key']);
      if (d === 'unlink') focusOnSuggestion(s, ['link-duplicate', 'suggestion-key']);
      if (d === 'confirm') {
        // Which one duplicates which: as the server linked them (the newer duplicates the older unless that would make it duplicate two issues).
        flag(
          'success',
          res.link
            ? `Linked in Jira: ${res.link.inwardKey} duplicates ${res.link.outwardKey}`
            : res.joinedThrough.length > 0
              ? `Confirmed: Jira already joins the two as duplicates through ${res.joinedThrough.join(', ')}`
              : `Marked ${s.issue.key} as a duplicate`,
        );
      }
      if (d === 'unlink') {
        // A pair confirmed with a whole cluster may have had no link of its own.
        if (res.unlinked === 0) flag('success', `${s.issue.key} is back to review`, 'There was no Duplicate link between the two issues to remove.');
        else flag('success', `Duplicate link to ${s.issue.key} removed`, `${s.issue.key} is back among the suggestions to review.`);
      }
    });
  };

  if (!issueId) {
    return (
      <main className="dd-page dd-page--panel">
        <ErrorBanner title="No issue" message="Open this panel from an issue to see similar issues." />
      </main>
    );
  }

  if (data === null) {
    return (
      // Not busy as a whole while it asks again after an error: the banner's button says so,
      // and the banner stays readable meanwhile.
      <main className="dd-page dd-page--panel" aria-busy={state === 'loading' && !retrying}>
        {errorBanner ?? <Skeleton lines={4} label="Loading similar issues" />}
      </main>
    );
  }

  const counts = listCounts(data);
  const total = counts.duplicates + counts.related;
  const relatedDone = undo !== null && related !== null && related.pairId === undo.pairId && related.link !== 'linking' ? related.link : null;
  const removal = undo !== null && relatedRemoved !== null && relatedRemoved.pairId === undo.pairId ? removalWords(relatedRemoved.removed) : null;
  const duplicateOf = data.duplicateOf.map((d) => d.key);
  const projectKey = context.project?.key ? displayText(context.project.key, 20) : null;
  // Who confirmed or dismissed each suggestion: "you", or the name Jira shows the viewer.
  const deciders: Deciders = { me: context.accountId, names: new Map(data.actors.map((a) => [a.accountId, a.displayName])), now };
  // This issue's summary and every summary listed: a long one is shown from where it parts
  // from the others (SuggestionItem), as the review queue shows a pair's two summaries, so a
  // suggestion that reads like this issue for its first 160 characters shows where it differs.
  const others = [data.issue.summary, ...[...data.duplicates, ...data.related, ...data.dismissed].map((s) => s.issue.summary)];
  const sectionProps = { canLink: data.canLink, canDismiss: data.canDismiss, busy, onDecide, duplicateOf, narrow, deciders, thisIssueId: data.issue.id, others, reveal, onShowMore: showMore, loading: state === 'loading' };
  return (
    <main className="dd-page dd-page--panel dd-stack" aria-busy={state === 'loading'} data-testid="issue-panel">
      {errorBanner}
      {undo ? (
        // Live only in its sentence: choosing a reason changes it, and a screen reader reads
        // that out, not every button's name in the banner again.
        <Banner testId="undo-banner" live={false}>
          <div className="dd-row dd-row--between">
            <span role={bannerRole('info')} data-testid="undo-text">
              <IssueKey>{undo.issue.key}</IssueKey> marked as not a duplicate.
              {undo.dismissReason !== null
                ? ` Why: ${DISMISS_REASON_TEXT[undo.dismissReason]}${removal !== null ? `, and ${removal}` : ''}.`
                : removal !== null
                  ? ` ${removal.charAt(0).toUpperCase()}${removal.slice(1)}.`
                  : ''}
              {relatedDone !== null ? (
                relatedDone.created ? (
                  <>
                    {' Linked in Jira: '}
                    <IssueKey>{relatedDone.inwardKey}</IssueKey> relates to <IssueKey>{relatedDone.outwardKey}</IssueKey>.
                  </>
                ) : (
                  ' Jira already links them as related.'
                )
              ) : (
                ''
              )}
            </span>
            <DismissReasons pairs={1} chosen={undo.dismissReason} saving={savingReason} onChoose={(r) => giveReason(undo, r)} />
            {undo.dismissReason === 'related' && relatedDone === null ? (
              <Button
                small
                loading={related?.pairId === undo.pairId && related.link === 'linking'}
                disabled={!data.canLink}
                disabledReason={!data.canLink ? NO_LINK_REASON : null}
                onClick={() => linkRelated(undo)}
                data-testid="dismiss-link-related"
              >
                Link as related in Jira
              </Button>
            ) : null}
            <Button
              small
              appearance="link"
              aria-label={`Undo: ${undo.issue.key} is a possible duplicate again`}
              data-testid="undo"
              // Not while the Relates link is being made: Undo would race it and leave the link behind.
              disabled={related?.pairId === undo.pairId && related.link === 'linking'}
              // Busy while its reopen is on its way: a second click would find the pair reopened.
              loading={busy[undo.pairId] !== undefined}
              onClick={() => {
                // A Relates link made after the dismissal is taken back with it (the banner stays until that is done).
                if (relatedDone?.created === true) {
                  undoLinkedAsRelated(undo);
                  return;
                }
                setUndo(null);
                onDecide({ ...undo, status: 'dismissed' }, 'reopen');
              }}
            >
              Undo
            </Button>
          </div>
        </Banner>
      ) : null}
      {!data.inScope ? (
        // As the project page's run-not-analysed banner says it.
        <Banner appearance="warning" testId="not-in-scope">
          {projectKey ?? 'This project'} is not among the projects the app analyses, so this issue is not checked for duplicates
          {total + counts.dismissed > 0 ? ', and the suggestions below are no longer kept up to date' : ''}. A Jira admin can add it under Apps
          → Duplicate detection.
        </Banner>
      ) : null}
      {data.inScope && data.excludedType !== null ? (
        <Banner appearance="warning" testId="type-not-analysed">
          <UserText text={data.excludedType} max={60} /> is not among the issue types the app analyses, so this issue is not checked for
          duplicates{total + counts.dismissed > 0 ? ', and the suggestions below are no longer kept up to date' : ''}. A Jira admin can add it under Apps →
          Duplicate detection.
        </Banner>
      ) : null}
      {data.excludedByAge !== null ? (
        <Banner appearance="warning" testId="age-not-analysed">
          The app analyses only issues created in the last {plural(data.excludedByAge, 'day')}, and this one is older, so it is not checked for duplicates
          {total + counts.dismissed > 0 ? ', and the suggestions below are no longer kept up to date' : ''}. A Jira admin can change that under Apps → Duplicate
          detection.
        </Banner>
      ) : null}
      {data.excludedByFilter ? (
        <Banner appearance="warning" testId="filter-not-analysed">
          The app&apos;s JQL filter leaves this issue out, so it is not checked for duplicates. A Jira admin can change the filter under Apps → Duplicate detection.
        </Banner>
      ) : null}
      {data.indexed && !data.canLink && total > 0 ? (
        <Banner testId="no-link-note">
          {NO_LINK_REASON}.{data.canDismiss ? ' You can still dismiss suggestions.' : ' A Jira admin lets only people who have it dismiss suggestions too.'}
        </Banner>
      ) : null}
      {data.tiersOutdated && !data.pending && !data.analysisRunning && !(total === 0 && data.noWords) ? (
        // As the project page's run-tiers-outdated note: the create dialog applies the new thresholds at once, this list from the next analysis.
        <p className="dd-subtle" style={{ margin: 0 }} data-testid="tiers-outdated">
          A Jira admin changed the similarity thresholds after the last analysis of {projectKey ?? 'this project'}. Until the next one, what is listed here, and as
          possible duplicate or related, may follow the old ones.
        </p>
      ) : null}
      {data.analysisRunning && total === 0 ? (
        // A run reads and compares every issue in scope: minutes in a large backlog, so not "a few seconds".
        <EmptyState title="An analysis is running" testId="empty-analysing">
          <span className="dd-row">
            <Spinner small label="An analysis is running" />
            <span>
              {data.indexed ? 'It has read this issue and not yet compared it' : 'It has not compared this issue yet'}: its suggestions appear here when it has,
              within minutes in a large backlog.
            </span>
          </span>
        </EmptyState>
      ) : data.pending && total === 0 ? (
        <EmptyState title="Looking for similar issues" testId="empty-pending">
          <span className="dd-row">
            <Spinner small label="Looking for similar issues" />
            <span>{data.indexed ? 'This issue is being analysed' : 'This issue is new'}: its suggestions appear here in a few seconds.</span>
          </span>
        </EmptyState>
      ) : (!data.inScope || data.excludedType !== null || data.excludedByFilter || data.excludedByAge !== null) && total === 0 ? null : !data.indexed ? (
        <EmptyState title="This issue has not been analysed yet" testId="empty-not-indexed">
          Run an analysis from the project&apos;s{' '}
          {context.project?.key ? (
            <Button appearance="link" onClick={() => goToProjectPage(context.project?.key ?? '')} data-testid="open-project-page">
              Duplicate review
            </Button>
          ) : (
            'Duplicate review'
          )}{' '}
          page (or ask someone who may start one), then come back here.
        </EmptyState>
      ) : total === 0 && data.noWords ? (
        <EmptyState title="Nothing to compare" testId="empty-no-words">
          This issue&apos;s summary and description hold no words, only punctuation, symbols or emoji, so no other issue can be found alike. Describe the problem in a few
          words and its suggestions follow.
        </EmptyState>
      ) : total === 0 ? (
        <EmptyState title="No similar issues found" testId="empty-none">
          {counts.dismissed > 0
            ? 'Nothing else in scope is similar enough, apart from the dismissed ones.'
            : 'Nothing in scope is similar enough to this issue to suggest.'}
        </EmptyState>
      ) : (
        <>
          <Section title="Possible duplicates" list="duplicates" items={data.duplicates} notListed={data.notListed.duplicates} testId="duplicates" hideTitle={inContextBox} {...sectionProps} />
          <Section title="Related" list="related" items={data.related} notListed={data.notListed.related} testId="related" {...sectionProps} />
        </>
      )}
      {counts.dismissed > 0 ? (
        <div>
          <Button
            appearance="link"
            aria-expanded={showDismissed}
            aria-controls="dismissed-list"
            onClick={() => setShowDismissed((v) => !v)}
            data-testid="toggle-dismissed"
          >
            {showDismissed ? 'Hide dismissed' : `Show dismissed (${counts.dismissed})`}
          </Button>
          {showDismissed ? (
            <div id="dismissed-list">
              <Section title="Dismissed" list="dismissed" items={data.dismissed} notListed={{ pending: data.notListed.dismissed, confirmed: 0 }} testId="dismissed" {...sectionProps} />
            </div>
          ) : null}
        </div>
      ) : null}
      {recheck === 'failed' && data.changedSinceAnalysed ? (
        <p className="dd-subtle" style={{ margin: 0 }} data-testid="changed-since">
          This issue changed after it was last analysed, and it could not be checked again just now: the suggestions may be out of date until the next analysis.
        </p>
      ) : null}
      <footer className="dd-row dd-row--between dd-subtlest">
        {/* When the list shown was last brought up to date: a newer issue's pair with this one counts, though this issue was compared earlier. */}
        <span data-testid="computed-at" title={dateTime(data.updatedAt)}>
          {data.pending || data.analysisRunning || recheck === 'checking' ? 'Updating…' : data.indexed && data.updatedAt ? `Updated ${timeAgo(data.updatedAt, now)}` : ''}
          {context.issue?.key ? <span className="dd-visually-hidden"> for {displayText(context.issue.key, 40)}</span> : null}
        </span>
        <span className="dd-row">
          {state === 'loading' ? <Spinner small label="Refreshing" /> : null}
          <Button
            small
            appearance="subtle"
            onClick={() => {
              // Disabled while it reads: focus comes back to it once it can take it.
              focusOn('[data-testid="refresh"]:not(:disabled)');
              reload();
            }}
            disabled={state === 'loading'}
            data-testid="refresh"
          >
            Refresh
          </Button>
        </span>
      </footer>
      {/* Last, so that it (out of the flow) puts no gap above the first thing shown. */}
      <p className="dd-visually-hidden" role="status" data-testid="arrival-announcement">
        {arrived}
      </p>
    </main>
  );
}
