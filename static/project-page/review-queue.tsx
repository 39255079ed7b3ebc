import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DismissReason, PairView, ReviewStatus } from '../../src/shared/contract';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { ConfirmStep } from '../shared/components/confirm-step';
import { EmptyState, ErrorBanner, Skeleton, Spinner } from '../shared/components/feedback';
import { Pagination } from '../shared/components/pagination';
import { Tabs, tabPanelProps } from '../shared/components/tabs';
import { enabledControl, FocusReturn, type FocusTarget } from '../shared/focus-return';
import { DISMISS_REASON_TEXT, plural } from '../shared/format';
import { DismissReasons, savingOf, type SavingReason } from '../shared/components/dismiss-reasons';
import { bulkQuestionWords } from './bulk-question';
import { BULK_NAMED, bulkDecidedElsewhereWords, decidedElsewhereWords } from '../shared/decided-elsewhere';
import { actionFlag, flag } from '../shared/host';
import { useCall } from '../shared/use-call';
import { useLastPage } from '../shared/use-last-page';
import { useRecovered } from '../shared/use-recovered';
import { useStaleRows } from '../shared/use-stale-rows';
import { exportCsv } from './export-csv';
import { exportFileName } from './export-name';
import { FiltersBar } from './filters-bar';
import { DEFAULT_FILTERS, activeFilterCount, restoreFilters, toPairFilters, type QueueFilters } from './filters';
import { readSession, writeSession } from '../shared/session-state';
import { PairDetailView } from './pair-detail';
import { NO_DISMISS_REASON, NO_LINK_REASON, NO_UNCONFIRM_REASON } from '../shared/permissions';
import { PairTable, type DecisionExtra, type PairBusy, type PairDecision } from './pair-table';
import { useQueueKeys } from './use-queue-keys';

const PAGE_SIZE = 25;
const DONE_WORD: Record<PairDecision, string> = { confirm: 'confirmed', dismiss: 'dismissed', reopen: 'reopened' };

/**
 * The last single decision, said once under the bulk bar instead of a flag per decision
 * (flags piled up over the page during fast triage), with the way to take it back.
 */
interface LastDecision {
  pairId: string;
  /** "SHOP-1 and SHOP-5". */
  pair: string;
  text: string;
  /** How to take it back: a reopen, removing the link the confirmation made; null when there is none. */
  undo: { unlink: boolean } | null;
  /**
   * A bulk dismissal or confirmation, taken back in bulk: the pairs whose links the batch
   * made are reopened with those links removed, the others reopened alone (a link Jira had
   * before the batch stays).
   */
  bulkUndo?: { unlink: string[]; plain: string[]; decidedAt: Record<string, string> };
  /** The status the decision gave the pairs, which an Undo takes them out of. */
  undoneFrom?: ReviewStatus;
  /** When a single decision was made (as the server says): its Undo takes back only that decision. */
  decidedAt?: string | null;
  /**
   * A dismissal: the pairs it dismissed, for the "Why?" buttons beside it, and the reason
   * given since (null until one is).
   */
  dismissed?: {
    pairIds: string[];
    reason: DismissReason | null;
    saving: SavingReason;
    /** One pair the viewer may link: "Link as related in Jira" is offered once the reason is `related`. */
    canLinkRelated: boolean;
    /** That link: being made, or made (`created: false` when Jira already had one). */
    related: 'linking' | { created: boolean; inwardKey: string; outwardKey: string } | null;
    /**
     * The link this dismissal made, removed again when its reason changed from related or was
     * taken back: how many links went (0: Jira had none left); null when none was.
     */
    relatedRemoved: number | null;
  };
  state: 'done' | 'undoing' | 'undone';
}


/** The review status a decision leaves a pair in. */
const AFTER: Record<PairDecision, ReviewStatus> = { confirm: 'confirmed', dismiss: 'dismissed', reopen: 'pending' };
const NO_SHIFT: Record<ReviewStatus, number> = { pending: 0, confirmed: 0, dismissed: 0 };

/** What a decision did, in one sentence. */
/** The line above the list: the decision, and once done, why and the Relates link made. */
function lastDecisionWords(last: LastDecision): string {
  const done = last.state === 'done';
  const reason = done && last.dismissed?.reason != null ? ` Why: ${DISMISS_REASON_TEXT[last.dismissed.reason]}.` : '';
  const related = done && typeof last.dismissed?.related === 'object' && last.dismissed.related !== null ? last.dismissed.related : null;
  const link = related === null ? '' : related.created ? ` Linked in Jira: ${related.inwardKey} relates to ${related.outwardKey}.` : ' Jira already links them as related.';
  const removed = done ? (last.dismissed?.relatedRemoved ?? null) : null;
  if (removed === null) return `${last.text}${reason}${link}`;
  const removal = removed === 0 ? 'there was no Relates link between them left to remove' : 'the Relates link is removed from Jira';
  // Said with the reason that replaced related, or alone when the reason was taken back.
  return last.dismissed?.reason != null
    ? `${last.text} Why: ${DISMISS_REASON_TEXT[last.dismissed.reason]}, and ${removal}.${link}`
    : `${last.text} ${removal.charAt(0).toUpperCase()}${removal.slice(1)}.${link}`;
}

function decisionText(d: PairDecision, pair: string, res: { link: { created: boolean; inwardKey: string; outwardKey: string } | null; alreadyLinked?: boolean; joinedThrough?: string[]; unlinked?: number }): string {
  if (d === 'confirm') {
    if (res.link?.created) return `Confirmed ${pair}: ${res.link.inwardKey} now duplicates ${res.link.outwardKey} in Jira.`;
    if (res.joinedThrough !== undefined) return `Confirmed ${pair}: Jira already joins them as duplicates through ${res.joinedThrough.join(', ')}, so no link was added.`;
    if (res.alreadyLinked === true) return `Confirmed ${pair}: they were already linked as duplicates in Jira, so no link was added.`;
    return `Confirmed ${pair} as duplicates.`;
  }
  if (d === 'dismiss') return `Dismissed ${pair}: not duplicates.`;
  if (res.unlinked === undefined) return `Reopened ${pair}.`;
  return res.unlinked === 0 ? `Reopened ${pair}; there was no Duplicate link between them to remove.` : `Removed the Duplicate link between ${pair} and reopened the pair.`;
}

/**
 * The pairs of a bulk action that failed for a reason other than someone else's decision, by
 * reason, the first few named: "1 pair not confirmed (SHOP-1 and SHOP-5): Jira answered …".
 */
function failureWords(rows: readonly PairView[], results: ReadonlyArray<{ pairId: string; error?: string }>, doneWord: string): string {
  const names = new Map(rows.map((p) => [p.id, `${p.a.key} and ${p.b.key}`]));
  const byReason = new Map<string, string[]>();
  for (const r of results) {
    const reason = r.error ?? 'Try it on its own.';
    byReason.set(reason, [...(byReason.get(reason) ?? []), names.get(r.pairId) ?? 'a pair no longer listed']);
  }
  return [...byReason]
    .map(([reason, pairs]) => {
      const more = pairs.length - BULK_NAMED;
      return `${plural(pairs.length, 'pair')} not ${doneWord} (${pairs.slice(0, BULK_NAMED).join('; ')}${more > 0 ? `; and ${plural(more, 'more pair')}` : ''}): ${reason}`;
    })
    .join(' ');
}

/**
 * Asked before a bulk confirmation links the selected pairs in Jira: how many of them are
 * only related, and that a link is made for each (as the person) unless its issues are
 * already joined. One click on "Confirm selected" used to make them all at once.
 */
function BulkConfirmQuestion({ pairs, left, onCancel, onConfirm }: { pairs: PairView[]; left: string | null; onCancel: () => void; onConfirm: () => void }) {
  const words = bulkQuestionWords(pairs);
  return (
    <ConfirmStep title={words.title} confirmLabel={words.label} testId="bulk-link" appearance="primary" onCancel={onCancel} onConfirm={onConfirm}>
      {left !== null ? (
        <p style={{ margin: 0 }} data-testid="bulk-link-left">
          {left}
        </p>
      ) : null}
      <p style={{ margin: 0 }}>{words.tiers}</p>
      <p style={{ margin: 0 }} data-testid="bulk-link-links">
        {words.links}
      </p>
    </ConfirmStep>
  );
}

/** The queue's place as kept for the session: each part only when it reads back as it should. */
function restoreQueue(raw: unknown): { status: ReviewStatus; filters: QueueFilters; page: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  const status = o['status'] === 'confirmed' || o['status'] === 'dismissed' ? o['status'] : 'pending';
  const page = typeof o['page'] === 'number' && Number.isInteger(o['page']) && o['page'] >= 1 && o['page'] <= 10_000 ? o['page'] : 1;
  return { status, filters: restoreFilters(o['filters']) ?? DEFAULT_FILTERS, page };
}

/** Pending / confirmed / dismissed pairs with filters, bulk actions, compare and export. */
export function ReviewQueue({
  projectKey,
  counts,
  duplicateCounts = null,
  typeOptions,
  onChanged,
  onRecovered,
  refreshKey,
  analysed = true,
  accountId = null,
  tab,
  onTab,
  compare,
  onCompare,
  onCompareUnavailable,
}: {
  /**
   * The tab and the pair in Compare when the page keeps them (in its address): the queue
   * shows them and asks for changes through `onTab` / `onCompare`. Without, it keeps its own.
   */
  tab?: ReviewStatus;
  onTab?: (tab: ReviewStatus) => void;
  compare?: string | null;
  onCompare?: (pairId: string | null) => void;
  /** Compare's pair does not exist or is not the viewer's to see. */
  onCompareUnavailable?: (pairId: string) => void;
  /** The viewer's account id ("Confirmed by you"). */
  accountId?: string | null;
  projectKey: string | undefined;
  /** False when the project is not among the analysed projects (no run to suggest). */
  analysed?: boolean;
  counts: Record<ReviewStatus, number> | null;
  /** Of `counts`, the pairs in the duplicate tier. */
  duplicateCounts?: Record<ReviewStatus, number> | null;
  typeOptions: string[];
  /** Called after any decision so counts and charts catch up. */
  onChanged: () => void;
  /** Called when the list loads again after failing, so the page can re-read what failed with it. */
  onRecovered?: () => void;
  /** Bumped by the page when an analysis finishes. */
  refreshKey: number;
}) {
  // Where the reviewer was (tab, filters, sort, page): back there after a reload of the frame.
  const sessionKey = `queue:${projectKey ?? '-'}`;
  const [restored] = useState(() => readSession(sessionKey, restoreQueue));
  const [ownStatus, setOwnStatus] = useState<ReviewStatus>(restored?.status ?? 'pending');
  const status = tab ?? ownStatus;
  const setStatus = onTab ?? setOwnStatus;
  const [filters, setFilters] = useState<QueueFilters>(restored?.filters ?? DEFAULT_FILTERS);
  const [page, setPage] = useState(restored?.page ?? 1);
  useEffect(() => writeSession(sessionKey, { status, filters, page }), [sessionKey, status, filters, page]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Record<string, PairBusy>>({});
  const [bulkBusy, setBulkBusy] = useState<PairDecision | 'unlink' | null>(null);
  const [ownViewing, setOwnViewing] = useState<string | null>(null);
  const viewing = compare === undefined ? ownViewing : compare;
  const setViewing = onCompare ?? setOwnViewing;
  /** Bumped when a decision made in Compare was refused: Compare reads its pair again. */
  const [compareRead, setCompareRead] = useState(0);
  const [exporting, setExporting] = useState<number | null>(null);
  const [last, setLast] = useState<LastDecision | null>(null);
  // Decisions made here since the counts were last read: the tabs' counts move with the rows
  // at once, instead of a moment later when the page has read them again. Fresh counts
  // replace the guess.
  const [shift, setShift] = useState<Record<ReviewStatus, number>>(NO_SHIFT);
  useEffect(() => setShift(NO_SHIFT), [counts]);
  const moved = (from: ReviewStatus, to: ReviewStatus, n: number): void => {
    if (n <= 0 || from === to) return;
    setShift((x) => ({ ...x, [from]: x[from] - n, [to]: x[to] + n }));
  };
  /**
   * The question a bulk confirmation asks before it makes links in Jira: the pairs it asks
   * about, as the list read again just before showed them (the pairs selected then that it
   * still lists), and what it says of the selected pairs it no longer lists.
   */
  const [askBulk, setAskBulk] = useState<{ pairs: PairView[]; left: string | null } | null>(null);
  /** The list being read again before the question is asked. */
  const [askReading, setAskReading] = useState(false);
  // A selection other than the pairs asked about withdraws the question: it described those.
  useEffect(() => setAskBulk((a) => (a === null || (a.pairs.length === selected.size && a.pairs.every((p) => selected.has(p.id))) ? a : null)), [selected]);
  useEffect(() => setAskBulk(null), [status]);
  const selectedNow = useRef(selected);
  selectedNow.current = selected;

  const pairFilters = useMemo(() => toPairFilters(filters, status, projectKey), [filters, status, projectKey]);
  const request = { ...pairFilters, sort: filters.sort, order: filters.order, page, pageSize: PAGE_SIZE };
  const requestKey = JSON.stringify(request);
  const requestNow = useRef(requestKey);
  requestNow.current = requestKey;
  const list = useCall('pairs.list', request, refreshKey);
  const { reload } = list;
  useRecovered(list.state, onRecovered);

  // Rows of another tab, filter or page than the one asked for: shown dimmed and out of
  // reach (inert) until the new rows arrive, so nobody confirms a pair the filter excludes.
  const staleRows = useRef<HTMLDivElement>(null);
  const stale = useStaleRows(list.data, requestKey, staleRows);
  const listTop = useRef<HTMLDivElement>(null);
  const staleNow = useRef(stale);
  // The rows shown and whether they are being read again, for the focus and the decision
  // line's flag, which wait for the list a decision leaves.
  const dataNow = useRef(list.data);
  const loadingNow = useRef(list.state === 'loading');
  useLayoutEffect(() => {
    staleNow.current = stale;
    dataNow.current = list.data;
    loadingNow.current = list.state === 'loading';
    const w = bulkWait.current;
    if (w !== null && w !== 'call' && !loadingNow.current && !stale && !beyondLast && dataNow.current !== w.data) {
      bulkWait.current = null;
      // The new rows are in: focus still in the page (on the list, or wherever the person
      // took it meanwhile) stays there, and nothing more is to follow.
      const now = document.activeElement;
      if (now !== null && now !== document.body && now.isConnected) focus.clear();
    }
  });
  /**
   * A bulk action under way: 'call' until its answer comes, then the rows shown at that
   * moment, which the list read again after it replaces; null once that list is shown (not
   * an emptied last page, which gives way to the page before) or the action failed, and
   * nothing is read again.
   */
  const bulkWait = useRef<'call' | { data: unknown } | null>(null);
  const [focus] = useState(() => new FocusReturn());
  // A bulk action disables its own button (nothing is selected after it) and takes its rows
  // away. While it runs and the list is read again, focus waits on the list; once the new
  // rows are in, it stays there, or, when none is left, goes to what the empty state offers:
  // its Clear filters button, else its title. (Focus placed on the list before the rows are
  // gone would fall to the page with them.) The list takes the focus without scrolling: the
  // line above it, which says what the action did, stays in view.
  useEffect(() => () => focus.clear(), [focus]);
  useLayoutEffect(() => focus.place());
  const listFocus = (): FocusTarget | null => {
    const settled = bulkWait.current === null;
    const top = listTop.current;
    if (top !== null) {
      // Rows of another tab or filter: wait for their own.
      if (settled && staleNow.current) return null;
      // Already there once the rows are in: nothing more to follow.
      if (settled && document.activeElement === top) {
        focus.clear();
        return null;
      }
      top.focus({ preventScroll: true });
      return settled ? { el: top, final: true } : { el: top, park: true };
    }
    if (!settled) return null;
    const empty = document.querySelector<HTMLElement>('[data-testid="review-queue"] .dd-empty');
    const clear = empty?.querySelector<HTMLElement>('[data-testid="empty-clear-filters"]');
    if (clear) return { el: clear, final: true };
    const title = empty?.querySelector<HTMLElement>('.dd-empty__title');
    if (title) return { el: title, final: true };
    const tab = document.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
    return tab ? { el: tab, final: true } : null;
  };

  const resetView = () => {
    setPage(1);
    setSelected(new Set());
  };
  // Another tab from the page (Back, or a link): its first page, nothing selected, as a tab clicked.
  const [listedStatus, setListedStatus] = useState(restored?.status ?? status);
  if (listedStatus !== status) {
    setListedStatus(status);
    resetView();
  }
  const onFilters = useCallback((f: QueueFilters) => {
    setFilters(f);
    setPage(1);
    setSelected(new Set());
  }, []);

  const afterChange = () => {
    reload();
    onChanged();
  };

  /**
   * Pairs decided here whose rows are still shown, each with the rows shown when its decision
   * was saved. The row stays busy (its buttons disabled, keys passing it by) until the list read
   * again after the decision is in: its buttons used to come back for that moment, and a second
   * key press or click decided the pair again and was refused as "someone else decided this
   * pair first", about the person's own decision.
   */
  const decidedRows = useRef(new Map<string, unknown>());
  const heldUntilRead = (pairIds: readonly string[]): void => {
    for (const id of pairIds) decidedRows.current.set(id, dataNow.current);
  };

  /**
   * Decides one pair as the page shows it: `seen` is the pair shown (the row, or Compare's,
   * which the list may not hold: a link to it, or a list moved on since). Its status is sent as
   * `expected`, so a pair someone else has decided since is refused (CONFLICT) instead of
   * overturned, and the tabs' counts move from it; its issues name it in what the page says.
   * The list is then read again, and a flag says who decided the pair, and where it is now.
   */
  const decide = async (pairId: string, d: PairDecision, extra: DecisionExtra = {}, seen?: PairView): Promise<'done' | 'failed' | 'conflict'> => {
    const shown = seen ?? items.find((p) => p.id === pairId);
    const pairName = shown ? `${shown.a.key} and ${shown.b.key}` : 'the pair';
    const expected = shown?.status ?? status;
    setBusy((b) => ({ ...b, [pairId]: extra.unlink ? 'unlink' : d }));
    const res = await call('pairs.decide', { pairId, decision: d, ...extra, expected });
    if (!res.success) {
      setBusy((b) => {
        const next = { ...b };
        delete next[pairId];
        return next;
      });
      if (res.error.code === 'CONFLICT') {
        afterChange();
        const message = shown ? await decidedElsewhereWords(shown, d, expected, projectKey, accountId) : res.error.message;
        flag('warning', `Not ${DONE_WORD[d]}: someone else decided this pair first`, message);
        return 'conflict';
      }
      flag('error', 'The decision was not saved', res.error.message);
      return 'failed';
    }
    setLast({
      pairId,
      pair: pairName,
      text: decisionText(d, pairName, res.data),
      decidedAt: res.data.pair.decidedAt,
      // A reopen is not taken back here: what it undid may have been someone else's decision.
      undo: d === 'reopen' ? null : { unlink: d === 'confirm' && res.data.link?.created === true },
      undoneFrom: AFTER[d],
      ...(d === 'dismiss' ? { dismissed: { pairIds: [pairId], reason: null, saving: null, canLinkRelated: shown?.canLink === true, related: null, relatedRemoved: null } } : {}),
      state: 'done',
    });
    setSelected((s) => {
      const next = new Set(s);
      next.delete(pairId);
      return next;
    });
    heldUntilRead([pairId]);
    moved(expected, AFTER[d], 1);
    afterChange();
    return 'done';
  };

  /**
   * An Undo under way: 'call' until its answer comes, then the rows shown at that moment,
   * which the list read again after it replaces; null when no Undo waits for the list.
   */
  const undoWait = useRef<'call' | { data: unknown } | null>(null);
  /**
   * Where focus goes after an Undo: the same button on the row of the pair it put back
   * (Confirm after a confirmation, Dismiss after a dismissal; after a bulk Undo, on the first
   * of its pairs listed) once the list read again shows it; the list when none of them is
   * listed there (another tab, filter or page). It moves from the Undo button, which goes, and
   * from where the decision left the focus (the next row, the list) unless something is typed
   * or clicked meanwhile, so `u` brings it back to the pair as the button does.
   */
  const expectUndoneFocus = (pairIds: string[], control: 'pair-confirm' | 'pair-dismiss'): void => {
    undoWait.current = 'call';
    // A bulk action's wait for its list is over: the Undo's own follows.
    bulkWait.current = null;
    const now = document.activeElement;
    focus.expect(
      () => {
        const w = undoWait.current;
        if (w === 'call') return null;
        const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="pair-table"] [data-testid="pair-row"]')];
        const row = rows.find((r) => pairIds.includes(r.dataset['pairId'] ?? ''));
        const el = row === undefined ? null : (enabledControl(row, control) ?? enabledControl(row, 'pair-view'));
        if (el !== null) return { el, final: true };
        // Not listed once the list read again after the Undo is in: the list, or the search box.
        if (w !== null && (loadingNow.current || staleNow.current || dataNow.current === w.data)) return null;
        const fallback = listTop.current ?? document.querySelector<HTMLElement>('[data-testid="search-input"]');
        return fallback === null ? null : { el: fallback, final: true };
      },
      now instanceof HTMLElement && now !== document.body ? now : null,
    );
  };
  /** The Undo's answer: focus waits for the list it reads again (or, refused, stays where it is). */
  const undoAnswered = (ok: boolean): void => {
    if (ok) {
      undoWait.current = { data: dataNow.current };
      return;
    }
    undoWait.current = null;
    focus.clear();
  };

  const undoLast = async (): Promise<void> => {
    const taken = last;
    // Not while the Relates link is being made: Undo would race it and leave the link behind.
    if (taken === null || taken.undo === null || taken.state !== 'done' || taken.dismissed?.related === 'linking') return;
    setLast({ ...taken, state: 'undoing' });
    expectUndoneFocus(taken.bulkUndo !== undefined ? [...taken.bulkUndo.unlink, ...taken.bulkUndo.plain] : [taken.pairId], taken.undoneFrom === 'confirmed' ? 'pair-confirm' : 'pair-dismiss');
    if (taken.bulkUndo !== undefined) {
      const { unlink, plain, decidedAt } = taken.bulkUndo;
      const ids = [...unlink, ...plain];
      // One call, so the history has the Undo as one bulk action (one batch): the links the
      // batch made go with their pairs (`unlinkPairIds`), the pairs joined through them are
      // reopened alone. Each pair only as this batch left it: one a colleague has decided
      // again since stays theirs.
      const res = await call('pairs.bulkDecide', {
        pairIds: ids,
        decision: 'reopen',
        ...(unlink.length > 0 ? { unlinkPairIds: unlink } : {}),
        ...(taken.undoneFrom
          ? { expected: taken.undoneFrom, expectedDecidedAt: Object.fromEntries(ids.flatMap((id) => (decidedAt[id] !== undefined ? [[id, decidedAt[id]]] : []))) }
          : {}),
      });
      const undone = res.success ? res.data.results.filter((x) => x.ok) : [];
      const notReopened = res.success ? res.data.results.filter((x) => !x.ok) : [];
      undoAnswered(undone.length > 0);
      const removed = undone.reduce((n, x) => n + (x.unlinked ?? 0), 0);
      moved(taken.undoneFrom ?? 'pending', 'pending', undone.length);
      afterChange();
      if (!res.success || notReopened.length > 0) {
        const message = !res.success ? res.error.message : (notReopened[0]?.error ?? 'Try them one at a time.');
        setLast({ ...taken, undo: null, state: 'undone', text: `Not all undone: ${plural(notReopened.length || ids.length, 'pair')} could not be put back to review.` });
        flag('error', 'Not all undone', message);
        return;
      }
      setLast({
        ...taken,
        undo: null,
        state: 'undone',
        text: `Undone: ${taken.pair} ${ids.length === 1 ? 'is' : 'are'} back to review${removed > 0 ? `, and ${plural(removed, 'Duplicate link')} removed from Jira` : ''}.`,
      });
      return;
    }
    // A Relates link made after the dismissal is taken back with it.
    const unlinkRelated = typeof taken.dismissed?.related === 'object' && taken.dismissed.related?.created === true;
    // Only of the pair as this decision left it: one someone has decided since stays as they left it.
    const res = await call('pairs.decide', {
      pairId: taken.pairId,
      decision: 'reopen',
      ...(taken.undo.unlink ? { unlink: true } : {}),
      ...(unlinkRelated ? { unlinkRelated: true } : {}),
      ...(taken.undoneFrom ? { expected: taken.undoneFrom } : {}),
      ...(taken.undoneFrom && taken.decidedAt ? { expectedDecidedAt: taken.decidedAt } : {}),
    });
    undoAnswered(res.success);
    if (!res.success) {
      setLast({ ...taken, state: 'done' });
      flag('error', 'Not undone', `${res.error.message}${unlinkRelated && res.error.code === 'CONFLICT' ? ' The Relates link made in Jira stays; remove it there if it should go.' : ''}`);
      return;
    }
    setLast({
      ...taken,
      undo: null,
      state: 'undone',
      text:
        `Undone: ${taken.pair} ${taken.pair === 'the pair' ? 'is' : 'are'} back to review${taken.undo.unlink ? `, and the Duplicate link is removed from Jira` : ''}` +
        `${unlinkRelated ? (res.data.unlinkedRelated === 0 ? '; there was no Relates link between them to remove' : ', and the Relates link is removed from Jira') : ''}.`,
    });
    moved(taken.undoneFrom ?? 'pending', 'pending', 1);
    afterChange();
  };

  // The line above the list says what was just decided, with its Undo. The page grows with its
  // list inside Jira (the frame is as tall as its content), so after a decision far down the
  // list that line is out of sight: a flag, which Jira shows in view, then says it too, with
  // an Undo of its own. One at a time: the next decision, an Undo or leaving the page closes it.
  const statusLine = useRef<HTMLDivElement>(null);
  const offscreenFlag = useRef<{ close: () => void } | null>(null);
  const undoNow = useRef(undoLast);
  undoNow.current = undoLast;
  // The flag says what the line says (a reason or a Relates link given since shows it again).
  const decisionKey = last !== null && last.state === 'done' && last.undo !== null ? `${last.pairId}|${lastDecisionWords(last)}` : null;
  const lastText = useRef('');
  lastText.current = last === null ? '' : lastDecisionWords(last);
  useEffect(() => {
    offscreenFlag.current?.close();
    offscreenFlag.current = null;
    const el = statusLine.current;
    if (decisionKey === null || el === null || typeof IntersectionObserver !== 'function') return undefined;
    let cancelled = false;
    let seen: IntersectionObserver | null = null;
    let timer = 0;
    // Looked at once the list the decision leaves is in: until then its old rows (and the
    // focus a bulk action puts on them) may push the line out of view, and the flag would
    // say again what the line, in view a moment later, says. A change that reads nothing
    // again (a Relates link made) is looked at after a while all the same.
    const from = dataNow.current;
    const since = Date.now();
    const look = () => {
      if (cancelled) return;
      const settling = loadingNow.current || staleNow.current || bulkWait.current !== null || (dataNow.current === from && Date.now() - since < 3000);
      if (settling) {
        timer = window.setTimeout(look, 100);
        return;
      }
      seen = new IntersectionObserver(onSeen);
      seen.observe(el);
    };
    const onSeen = (entries: IntersectionObserverEntry[]) => {
      seen?.disconnect();
      if (cancelled || entries[0]?.isIntersecting !== false) return;
      offscreenFlag.current = actionFlag('success', lastText.current, [
        {
          text: 'Undo',
          onClick: () => {
            offscreenFlag.current?.close();
            offscreenFlag.current = null;
            void undoNow.current();
          },
        },
      ]);
    };
    timer = window.setTimeout(look, 100);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      seen?.disconnect();
    };
  }, [decisionKey]);
  useEffect(
    () => () => {
      offscreenFlag.current?.close();
    },
    [],
  );

  /** Why the last dismissal's pairs are not duplicates: recorded on each, said in the line. */
  const giveReason = async (reason: DismissReason | null): Promise<void> => {
    const taken = last;
    if (taken?.dismissed === undefined || taken.state !== 'done' || taken.dismissed.saving !== null || taken.dismissed.related === 'linking') return;
    const { pairIds, related } = taken.dismissed;
    // The Relates link this dismissal made goes when the reason is no longer related (another,
    // or taken back): the link said why they are related. One Jira had before stays.
    const unlinkRelated = typeof related === 'object' && related !== null && related.created && reason !== 'related';
    setLast({ ...taken, dismissed: { ...taken.dismissed, saving: savingOf(reason) } });
    const res =
      pairIds.length === 1
        ? await call('pairs.decide', { pairId: pairIds[0] ?? '', decision: 'dismiss', reason, expected: 'dismissed', ...(unlinkRelated ? { unlinkRelated: true } : {}) })
        : await call('pairs.bulkDecide', { pairIds, decision: 'dismiss', reason, expected: 'dismissed' });
    const failed = !res.success ? res.error.message : 'results' in res.data ? (res.data.results.find((r) => !r.ok)?.error ?? null) : null;
    const removed = unlinkRelated && res.success && 'pair' in res.data ? (res.data.unlinkedRelated ?? 0) : null;
    // The line may have moved on (Undo, another decision) while this was saved.
    setLast((now) =>
      now === null || now.dismissed === undefined || now.pairId !== taken.pairId
        ? now
        : {
            ...now,
            dismissed: {
              ...now.dismissed,
              saving: null,
              reason: failed === null ? reason : now.dismissed.reason,
              // The removal is said with the reason that took related's place, until the next one.
              ...(removed !== null ? { related: null, relatedRemoved: removed } : failed === null ? { relatedRemoved: null } : {}),
            },
          },
    );
    // The link is removed first: when Jira refuses, neither the link nor the reason changed.
    if (failed !== null) flag('error', unlinkRelated ? 'The reason was not changed' : 'The reason was not saved', unlinkRelated ? `${failed} The Relates link stays in Jira, and so does the reason.` : failed);
    else reload();
  };

  /** The last dismissal, of one pair as related, linked as such in Jira. */
  const linkRelated = async (): Promise<void> => {
    const taken = last;
    if (taken?.dismissed === undefined || taken.state !== 'done' || taken.dismissed.reason !== 'related' || taken.dismissed.related !== null) return;
    const pairId = taken.dismissed.pairIds[0] ?? '';
    // A link made again after one was removed: the line says the new one, not the removal.
    const at = (related: NonNullable<LastDecision['dismissed']>['related']) =>
      setLast((now) =>
        now === null || now.dismissed === undefined || now.pairId !== taken.pairId
          ? now
          : { ...now, dismissed: { ...now.dismissed, related, ...(typeof related === 'object' && related !== null ? { relatedRemoved: null } : {}) } },
      );
    at('linking');
    const res = await call('pairs.decide', { pairId, decision: 'dismiss', reason: 'related', linkRelated: true, expected: 'dismissed' });
    if (!res.success || res.data.relatedLink === undefined) {
      at(null);
      flag('error', 'Not linked as related', res.success ? 'Jira did not say what it did. Reload to see.' : res.error.message);
      return;
    }
    // The button goes once the link is made: focus to Undo, beside it.
    focus.expect(() => {
      const el = document.querySelector<HTMLElement>('[data-testid="decision-undo"]');
      return el !== null ? { el, final: true } : null;
    });
    at(res.data.relatedLink);
  };

  /**
   * "Confirm selected": the list is read again first, so the question counts the selected pairs
   * as they are when it is asked. Those the list no longer holds (someone else decided them
   * since the page read it) leave the selection, and the question names them and who decided
   * them; when none is left, a flag says so instead of asking.
   */
  const askBulkConfirm = async (): Promise<void> => {
    const asked = requestKey;
    const before = items.filter((p) => selectedNow.current.has(p.id));
    if (before.length === 0) return;
    setAskReading(true);
    const res = await call('pairs.list', request);
    setAskReading(false);
    // The tab, filters or page changed meanwhile: nothing is asked of a list no longer shown.
    if (requestNow.current !== asked) return;
    if (!res.success) {
      // Not read again: asked of the rows shown, as before.
      setAskBulk({ pairs: before, left: null });
      return;
    }
    list.replace(res.data);
    const fresh = new Map(res.data.items.map((p) => [p.id, p]));
    const chosen = [...selectedNow.current].flatMap((id) => {
      const p = fresh.get(id);
      return p === undefined ? [] : [p];
    });
    const gone = before.filter((p) => !fresh.has(p.id));
    setSelected(new Set(chosen.map((p) => p.id)));
    // The tabs' counts follow the pairs decided elsewhere.
    if (gone.length > 0) onChanged();
    const left = gone.length > 0 ? await bulkDecidedElsewhereWords(gone, chosen.length > 0 ? 'left out' : 'confirm', status, projectKey, accountId) : null;
    if (chosen.length === 0) {
      // Nothing left to ask about: the button goes disabled, so the focus goes to the list.
      focus.expect(listFocus);
      // Stays until closed, as a bulk action's failures do.
      flag('error', 'Nothing confirmed: someone else decided the selected pairs first', left ?? undefined);
      return;
    }
    if (requestNow.current === asked) setAskBulk({ pairs: chosen, left });
  };

  /**
   * A bulk action on `rows` (the pairs selected and listed, or those the bulk question asked
   * about). The line above the list says what it did; a part that failed is said in a flag that
   * stays until closed: the pairs someone else decided first by name, with who did what
   * (`bulkDecidedElsewhereWords`), and the others with their reason. The selection then keeps
   * only the pairs that failed for another reason, and of those only the ones the list read
   * again still holds.
   */
  const bulk = async (d: PairDecision, unlink = false, rows: PairView[] = selectedRows) => {
    const ids = rows.map((p) => p.id);
    if (ids.length === 0) return;
    // What the last single decision's Undo would take back may be part of this batch.
    setLast(null);
    bulkWait.current = 'call';
    focus.expect(listFocus);
    setBulkBusy(unlink ? 'unlink' : d);
    // The batch's rows are busy while it runs, and those it decided until the list read again
    // leaves them out (`heldUntilRead`), as a single decision's row is.
    const rowBusy: PairBusy = unlink ? 'unlink' : d;
    setBusy((b) => ({ ...b, ...Object.fromEntries(ids.map((id) => [id, rowBusy])) }));
    const free = (freed: readonly string[]): void =>
      setBusy((b) => {
        const next = { ...b };
        for (const id of freed) delete next[id];
        return next;
      });
    // Each pair only as this tab lists it: one a colleague has decided since fails alone (CONFLICT),
    // and is not counted as this batch's, so the batch's Undo never takes back their decision.
    const res = await call('pairs.bulkDecide', { pairIds: ids.slice(0, 100), decision: d, expected: status, ...(unlink ? { unlink } : {}) });
    // The list is read again below: focus waits for the rows that answers.
    bulkWait.current = res.success ? { data: dataNow.current } : null;
    setBulkBusy(null);
    if (!res.success) {
      free(ids);
      flag('error', 'Nothing was changed', res.error.message);
      return;
    }
    const decidedIds = new Set(res.data.results.filter((r) => r.ok).map((r) => r.pairId));
    free(ids.filter((id) => !decidedIds.has(id)));
    heldUntilRead([...decidedIds]);
    const failed = res.data.results.filter((r) => !r.ok);
    const ok = res.data.results.length - failed.length;
    const removed = res.data.results.reduce((sum, r) => sum + (r.unlinked ?? 0), 0);
    // A confirmation of pairs that share issues links each issue once (to the oldest of its
    // group); the others are confirmed through those links, and the flag says so.
    const joinedByBatch = res.data.results.filter((r) => r.ok && r.linked === false && r.joined === 'batch').length;
    const joinedInJira = res.data.results.filter((r) => r.ok && r.linked === false && r.joined !== 'batch').length;
    const made = res.data.results.filter((r) => r.ok && r.linked === true).length;
    const own = (n: number): string => (n === 1 ? 'its' : 'their');
    // The pairs that needed no link of their own, said in the line above the list (or the flag).
    const joinedWords = [
      joinedByBatch > 0 ? `${plural(joinedByBatch, 'pair')} joined through those, so without a link of ${own(joinedByBatch)} own.` : '',
      joinedInJira > 0 ? `${plural(joinedInJira, 'pair')} already joined by Duplicate links in Jira, so without a link of ${own(joinedInJira)} own.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const linksNote = unlink ? `Duplicate links removed in Jira: ${removed}.` : joinedWords !== '' ? `${plural(made, 'Duplicate link')} made in Jira. ${joinedWords}` : undefined;
    // Someone else decided these after the page read the list; the others failed for a reason of their own.
    const conflicts = failed.filter((r) => r.code === 'CONFLICT');
    const others = failed.filter((r) => r.code !== 'CONFLICT');
    const notDone =
      failed.length === 0
        ? ''
        : ` ${plural(failed.length, 'selected pair')} ${failed.length === 1 ? 'was' : 'were'} not ${DONE_WORD[d]}${
            others.length === 0 ? `: someone else decided ${failed.length === 1 ? 'it' : 'them'} first` : `; a message says which and why`
          }.`;
    // A batch is taken back as a single decision is: said above the list, with Undo (and u).
    // Not a reopen (what it undid may have been someone else's), nor an unlink.
    const done = res.data.results.filter((r) => r.ok);
    const said = ok > 0 && d !== 'reopen' && !unlink;
    if (said) {
      const unlinkIds = done.filter((r) => d === 'confirm' && r.linked === true).map((r) => r.pairId);
      setLast({
        pairId: done[0]?.pairId ?? '',
        pair: plural(ok, 'pair'),
        text: `${d === 'confirm' ? 'Confirmed' : 'Dismissed'} ${plural(ok, 'pair')}${d === 'confirm' && unlinkIds.length > 0 ? `, with ${plural(unlinkIds.length, 'Duplicate link')} made in Jira` : ''}.${d === 'confirm' && joinedWords !== '' ? ` ${joinedWords}` : ''}${notDone}`,
        undo: { unlink: unlinkIds.length > 0 },
        bulkUndo: {
          unlink: unlinkIds,
          plain: done.filter((r) => !unlinkIds.includes(r.pairId)).map((r) => r.pairId),
          decidedAt: Object.fromEntries(done.flatMap((r) => (typeof r.decidedAt === 'string' ? [[r.pairId, r.decidedAt]] : []))),
        },
        undoneFrom: AFTER[d],
        ...(d === 'dismiss' ? { dismissed: { pairIds: done.map((r) => r.pairId), reason: null, saving: null, canLinkRelated: false, related: null, relatedRemoved: null } } : {}),
        state: 'done',
      });
    }
    // Pairs decided elsewhere leave the selection (and, the list read again, the list); a pair
    // that failed otherwise stays selected while it is listed, to try again.
    setSelected(new Set(others.map((f) => f.pairId)));
    moved(status, AFTER[d], ok);
    afterChange();
    // Said once: a batch the line above the list says (and, when that line is out of sight,
    // its flag with Undo) has no flag of its own as well; one that failed in part does, which
    // stays until it is closed, saying what failed and why.
    if (failed.length === 0) {
      if (!said) flag('success', `${plural(ok, 'pair')} ${DONE_WORD[d]}`, linksNote);
      return;
    }
    const byId = new Map(rows.map((p) => [p.id, p]));
    const rowsOf = (results: typeof failed): PairView[] => results.flatMap((r) => (byId.has(r.pairId) ? [byId.get(r.pairId) as PairView] : []));
    const elsewhere = conflicts.length > 0 ? await bulkDecidedElsewhereWords(rowsOf(conflicts), d, status, projectKey, accountId) : '';
    flag('error', `${plural(ok, 'pair')} ${DONE_WORD[d]}, ${failed.length} not`, [linksNote, elsewhere, failureWords(rowsOf(others), others, DONE_WORD[d])].filter(Boolean).join(' '));
  };

  const doExport = async () => {
    setExporting(0);
    const res = await exportCsv({ ...pairFilters, sort: filters.sort, order: filters.order }, (rows) => setExporting(rows), exportFileName(filters, status, projectKey, new Date()));
    setExporting(null);
    if (res.ok) flag('success', `Exported ${plural(res.rows, 'pair')}`);
    else flag('error', 'The export failed', res.message);
  };

  const data = list.data;
  const items: PairView[] = useMemo(() => data?.items ?? [], [data]);
  // The rows of decided pairs are free again once another list is in (without them), or when
  // reading it failed (the error says so, and Try again reads it).
  useEffect(() => {
    const done = [...decidedRows.current].filter(([, shown]) => shown !== data || list.state === 'error').map(([id]) => id);
    if (done.length === 0) return;
    for (const id of done) decidedRows.current.delete(id);
    setBusy((b) => {
      const next = { ...b };
      for (const id of done) delete next[id];
      return next;
    });
  }, [data, list.state]);
  // A page emptied under the reader (its pairs decided, here or elsewhere) while others are
  // left: the last page there is, rather than "nothing to review".
  const beyondLast = useLastPage(data, setPage);
  // The selection keeps only the pairs listed: a pair the list read again no longer holds
  // (decided here or elsewhere) leaves it with its row, so the count and the bulk buttons never
  // stand for pairs out of sight. Not against another tab's or filter's rows, still shown.
  useEffect(() => {
    if (data === null || stale) return;
    const listed = new Set(items.map((p) => p.id));
    setSelected((s) => ([...s].every((id) => listed.has(id)) ? s : new Set([...s].filter((id) => listed.has(id)))));
  }, [data, items, stale]);
  // Bulk confirm and unlink need Link Issues on the pairs chosen: off when none of them has it.
  const selectedRows = items.filter((p) => selected.has(p.id));
  const noneLinkable = selectedRows.length > 0 && selectedRows.every((p) => p.canLink === false);
  // Dismissing and reopening need Link Issues too when the admin's settings say so.
  // Reopening a confirmed pair always needs it: the confirmation stands for a link only Link Issues could make.
  const noneDismissable = (data?.dismissNeedsLink === true || status === 'confirmed') && noneLinkable;
  const noDismissReason = status === 'confirmed' ? NO_UNCONFIRM_REASON : NO_DISMISS_REASON;
  const toggle = useCallback(
    (id: string, on: boolean) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const keys = useQueueKeys({
    items,
    status,
    enabled: viewing === null && items.length > 0 && !stale,
    listKey: `${status}|${page}|${JSON.stringify(pairFilters)}|${filters.sort}|${filters.order}`,
    onDecide: (p, d) => {
      if (d === 'confirm' && p.canLink === false) flag('warning', 'Not confirmed', `${NO_LINK_REASON}.`);
      else if (d !== 'confirm' && status === 'confirmed' && p.canLink === false) flag('warning', 'Not reopened', `${NO_UNCONFIRM_REASON}.`);
      else if (d !== 'confirm' && data?.dismissNeedsLink === true && p.canLink === false) flag('warning', d === 'dismiss' ? 'Not dismissed' : 'Not reopened', `${NO_DISMISS_REASON}.`);
      else if (busy[p.id] === undefined) void decide(p.id, d, {}, p);
    },
    onView: (p) => setViewing(p.id),
    onToggle: (p) => toggle(p.id, !selected.has(p.id)),
    onUndo: () => void undoLast(),
    undoable: viewing === null && last !== null && last.undo !== null && last.state === 'done',
    // A key works as its button does: the reason already chosen is taken back.
    onReason: (r) => void giveReason(last?.dismissed?.reason === r ? null : r),
    reasonable: viewing === null && last !== null && last.dismissed !== undefined && last.state === 'done',
  });
  const tabItems = (['pending', 'confirmed', 'dismissed'] as const).map((k) => ({
    key: k,
    label: k === 'pending' ? 'Pending' : k === 'confirmed' ? 'Confirmed' : 'Dismissed',
    count: counts ? Math.max(0, counts[k] + shift[k]) : null,
  }));

  return (
    <div className="dd-stack" data-testid="review-queue" data-queue-keys="">
      {/* Screen readers hear how many pairs a search, filter or tab leaves, once it has loaded
          (the count on screen is inside the list, which is rebuilt as it loads). */}
      <span className="dd-visually-hidden" role="status" data-testid="queue-announcement">
        {list.state === 'ok' && data ? `${plural(data.total, 'pair')}${data.total > 0 ? `, page ${data.page} of ${Math.max(1, Math.ceil(data.total / data.pageSize))}` : ''}` : ''}
      </span>
      <Tabs
        id="queue"
        label="Review status"
        items={tabItems}
        selected={status}
        onSelect={(k) => {
          setStatus(k);
          resetView();
        }}
      />
      <div {...tabPanelProps('queue', status, true)} className="dd-stack">
        <FiltersBar filters={filters} onChange={onFilters} typeOptions={typeOptions} />
        {/* A long queue is mostly related pairs: say so, and offer the possible duplicates alone.
            The counts are the tab's totals, so only while nothing narrows the list. */}
        {activeFilterCount(filters) === 0 && counts && duplicateCounts && counts[status] > PAGE_SIZE && duplicateCounts[status] < counts[status] ? (
          <p className="dd-subtle" style={{ margin: 0 }} data-testid="queue-tier-hint">
            {duplicateCounts[status] === 0
              ? `None of the ${counts[status].toLocaleString('en')} ${status} pairs is a possible duplicate; all are related.`
              : `Of the ${counts[status].toLocaleString('en')} ${status} pairs, ${duplicateCounts[status].toLocaleString('en')} ${duplicateCounts[status] === 1 ? 'is a possible duplicate' : 'are possible duplicates'}; the rest are related.`}{' '}
            {duplicateCounts[status] > 0 ? (
              <Button
                appearance="link"
                onClick={() => {
                  onFilters({ ...filters, tier: 'duplicate' });
                  // The hint goes with its button: focus goes to the filter it set.
                  document.querySelector<HTMLElement>('[data-testid="filter-tier"]')?.focus();
                }}
                data-testid="queue-tier-only-duplicates"
              >
                Show only the possible duplicates
              </Button>
            ) : null}
          </p>
        ) : null}
        {/* Nothing listed (an empty answer, or none: the list failed, and shows at most the dimmed
            rows of before), nothing selected, nothing under way: no pairs to act on or export, so
            no controls for them. */}
        {((data !== null && data.total === 0) || (list.state === 'error' && (data === null || stale))) && selected.size === 0 && bulkBusy === null && exporting === null ? null : (
          <div className="dd-row dd-row--between" data-testid="queue-actions">
            <div className="dd-row" role="group" aria-label="Bulk actions">
              <span className="dd-subtle" aria-live="polite" data-testid="selected-count">
                {selected.size > 0 ? `${plural(selected.size, 'pair')} selected` : 'Select pairs to act on several at once'}
              </span>
              {status === 'pending' ? (
                <>
                  <Button
                    small
                    appearance="primary"
                    disabled={selected.size === 0 || bulkBusy !== null || noneLinkable}
                    disabledReason={noneLinkable ? NO_LINK_REASON : null}
                    loading={bulkBusy === 'confirm' || askReading}
                    onClick={() => void askBulkConfirm()}
                    aria-expanded={askBulk !== null}
                    data-testid="bulk-confirm"
                  >
                    Confirm selected
                  </Button>
                  <Button
                    small
                    disabled={selected.size === 0 || bulkBusy !== null || noneDismissable}
                    disabledReason={noneDismissable ? noDismissReason : null}
                    loading={bulkBusy === 'dismiss'}
                    onClick={() => void bulk('dismiss')}
                    data-testid="bulk-dismiss"
                  >
                    Dismiss selected
                  </Button>
                </>
              ) : (
                <>
                  <Button
                    small
                    disabled={selected.size === 0 || bulkBusy !== null || noneDismissable}
                    disabledReason={noneDismissable ? noDismissReason : null}
                    loading={bulkBusy === 'reopen'}
                    onClick={() => void bulk('reopen')}
                    data-testid="bulk-reopen"
                  >
                    Reopen selected
                  </Button>
                  {status === 'confirmed' ? (
                    <Button
                      small
                      disabled={selected.size === 0 || bulkBusy !== null || noneLinkable}
                      disabledReason={noneLinkable ? NO_LINK_REASON : null}
                      loading={bulkBusy === 'unlink'}
                      onClick={() => void bulk('reopen', true)}
                      title="Remove the Duplicate links in Jira and put the pairs back to review"
                      data-testid="bulk-unlink"
                    >
                      Unlink and reopen selected
                    </Button>
                  ) : null}
                </>
              )}
            </div>
            <Button small loading={exporting !== null} onClick={() => void doExport()} data-testid="export-csv">
              {exporting !== null ? `Exporting… ${exporting.toLocaleString('en')} rows` : 'Export CSV'}
            </Button>
          </div>
        )}
        {askBulk !== null && status === 'pending' ? (
          <BulkConfirmQuestion
            pairs={askBulk.pairs}
            left={askBulk.left}
            onCancel={() => {
              setAskBulk(null);
              window.setTimeout(() => document.querySelector<HTMLElement>('[data-testid="bulk-confirm"]')?.focus(), 0);
            }}
            onConfirm={() => {
              const asked = askBulk.pairs;
              setAskBulk(null);
              void bulk('confirm', false, asked);
            }}
          />
        ) : null}
        {items.length > 0 && items.every((p) => p.canLink === false) && (status !== 'dismissed' || data?.dismissNeedsLink === true) ? (
          // Disabled buttons cannot be focused, so their tooltips never reach keyboard and touch
          // users: the reason is said once, in view, when none of the rows shown may be linked.
          <p className="dd-subtle" style={{ margin: 0 }} data-testid="queue-no-link">
            {status === 'confirmed'
              ? `${NO_UNCONFIRM_REASON}, or to remove its link.`
              : status === 'pending'
                ? `${NO_LINK_REASON}, so you cannot confirm these pairs${data?.dismissNeedsLink === true ? ', and a Jira admin lets only people who have it dismiss them' : '; you can still dismiss them'}.`
                : `${NO_DISMISS_REASON}.`}
          </p>
        ) : null}
        {status === 'confirmed' && items.some((p) => p.linkedInJira && p.canLink !== false) ? (
          // The two ways back differ only in what happens in Jira: said in view, not only in tooltips.
          <p className="dd-subtle" style={{ margin: 0 }} data-testid="queue-confirmed-note">
            Reopen puts a pair back to review and leaves its Duplicate link in Jira; Unlink removes the link too.
          </p>
        ) : null}
        {/* Always in the page, so its first sentence is announced too: a live region added
            together with its text is often not read out. Out of sight while it is empty. */}
        <div
          ref={statusLine}
          className={last !== null ? 'dd-row dd-decision-status' : 'dd-visually-hidden'}
          data-testid={last !== null ? 'decision-status' : undefined}
          data-state={last?.state}
        >
          <span role="status" className="dd-grow" data-testid="decision-status-text">
            {last === null ? '' : lastDecisionWords(last)}
          </span>
          {last !== null && last.dismissed !== undefined && last.state === 'done' ? (
            <DismissReasons pairs={last.dismissed.pairIds.length} chosen={last.dismissed.reason} saving={last.dismissed.saving} onChoose={(r) => void giveReason(r)} keys />
          ) : null}
          {last !== null &&
          last.state === 'done' &&
          last.dismissed?.reason === 'related' &&
          last.dismissed.pairIds.length === 1 &&
          (last.dismissed.related === null || last.dismissed.related === 'linking') ? (
            <Button
              small
              loading={last.dismissed.related === 'linking'}
              disabled={!last.dismissed.canLinkRelated}
              disabledReason={!last.dismissed.canLinkRelated ? NO_LINK_REASON : null}
              onClick={() => void linkRelated()}
              data-testid="dismiss-link-related"
            >
              Link as related in Jira
            </Button>
          ) : null}
          {last !== null && last.undo !== null ? (
            <Button
              small
              appearance="subtle"
              loading={last.state === 'undoing'}
              disabled={last.state !== 'done' || last.dismissed?.related === 'linking'}
              onClick={() => void undoLast()}
              aria-label={`Undo: ${last.text}`}
              data-testid="decision-undo"
            >
              Undo
            </Button>
          ) : null}
        </div>
        {viewing ? (
          <PairDetailView
            key={viewing}
            pairId={viewing}
            busy={busy[viewing]}
            linkedThrough={items.find((p) => p.id === viewing)?.linkedThrough ?? []}
            onReasonSaved={reload}
            dismissNeedsLink={data?.dismissNeedsLink === true}
            onClose={() => setViewing(null)}
            onUnavailable={onCompareUnavailable}
            refreshKey={compareRead}
            onDecide={(id, d, shown, extra) => {
              void decide(id, d, extra, shown).then((outcome) => {
                if (outcome === 'done') setViewing(null);
                // Someone else decided it first: Compare reads the pair again and shows it as it is now.
                else if (outcome === 'conflict') setCompareRead((n) => n + 1);
              });
            }}
          />
        ) : null}
        {list.state === 'error' ? <ErrorBanner message={list.error.message} onRetry={reload} /> : null}
        {data === null || beyondLast ? (
          list.state === 'loading' || beyondLast ? <Skeleton lines={6} label="Loading pairs" /> : null
        ) : items.length === 0 ? (
          activeFilterCount(filters) > 0 ? (
            <EmptyState title="No pairs match these filters" testId="empty-filtered" action={
                <Button
                  onClick={() => {
                    onFilters({ ...DEFAULT_FILTERS, sort: filters.sort, order: filters.order });
                    // The button goes with the empty state: focus goes to the search box, as
                    // the filter bar's own Clear filters gives it.
                    document.querySelector<HTMLElement>('[data-testid="search-input"]')?.focus();
                  }}
                  data-testid="empty-clear-filters"
                >
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyState title={status === 'pending' ? 'Nothing to review' : `No ${status} pairs yet`} testId="empty-queue">
              {status === 'pending' ? (analysed ? 'No pending pairs. Run an analysis to look for duplicates, or check the other tabs.' : 'No pending pairs.') : null}
            </EmptyState>
          )
        ) : (
          <>
            <div
              ref={listTop}
              className="dd-list-host"
              role="region"
              aria-label={`Pairs, page ${page} of ${Math.max(1, Math.ceil(data.total / Math.max(1, data.pageSize)))}`}
              aria-busy={list.state === 'loading'}
              tabIndex={-1}
              data-testid="pair-list"
            >
              {/* Over the top right of the list, where its column headings leave room, not
                  above the rows: a banner there pushed every row down while the list was read
                  again (after each decision, sort or filter) and back up once it came, so a
                  row's buttons moved under the pointer. Always in the page, a live region
                  that fills when it loads; out of the layout, so it moves nothing. */}
              <div role="status" className="dd-list-updating">
                {list.state === 'loading' ? (
                  <>
                    <Spinner small label="Updating" /> Updating…
                  </>
                ) : null}
              </div>
              <div ref={staleRows} className={stale ? 'dd-stale' : undefined}>
                <PairTable
                  items={items}
                  status={status}
                  selected={selected}
                  onSelect={toggle}
                  onSelectPage={(on) =>
                    setSelected((s) => {
                      const next = new Set(s);
                      for (const p of items) {
                        if (on) next.add(p.id);
                        else next.delete(p.id);
                      }
                      return next;
                    })
                  }
                  busy={busy}
                  onDecide={(p, d, extra) => void decide(p.id, d, extra, p)}
                  onView={(p) => setViewing(p.id)}
                  viewing={viewing}
                  activeId={keys.activeId}
                  actors={data?.actors ?? []}
                  me={accountId}
                  dismissNeedsLink={data?.dismissNeedsLink === true}
                  tierDivider={filters.sort === 'likely' && filters.tier === ''}
                />
              </div>
            </div>
            <p className="dd-subtlest" style={{ margin: 0 }} data-testid="queue-keys-hint">
              Keys: j and k move through the pairs, {status === 'pending' ? 'c confirms, d dismisses (then 1, 2 or 3 says why)' : 'r reopens'}, o compares, x selects, u undoes the last decision.
            </p>
            <div className="dd-row dd-row--between">
              <span className="dd-subtlest" data-testid="pair-total">
                {plural(data.total, 'pair')}
              </span>
              <Pagination
                page={data.page}
                pageSize={data.pageSize}
                total={data.total}
                onChange={(p) => {
                  setPage(p);
                  setSelected(new Set());
                }}
                label="Pair pages"
                listRef={listTop}
              />
            </div>
          </>
        )}
      </div>
    </div>
  );
}
