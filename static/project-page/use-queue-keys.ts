/**
 * Keyboard review for the queue, for people who go through hundreds of pairs: j / k move
 * between rows, c confirms, d dismisses, r reopens, o compares, x selects. Keys typed into
 * a field (search, filters, the compare view's own controls) are left alone, and so are keys
 * pressed while focus is anywhere else on the page (a tab, the run panel, a link): single
 * letters act only inside the queue (`data-queue-keys`) or with nothing focused, so speech
 * input or a stray key elsewhere cannot confirm a pair.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DismissReason, PairView, ReviewStatus } from '../../src/shared/contract';
import { DISMISS_REASONS } from '../shared/format';
import type { PairDecision } from './pair-table';

/**
 * The nearest element around `target` (itself included) that matches `selector`: null when
 * there is none, and `undefined` when `target` is not an element (a text node, the window).
 */
function closestOf(target: EventTarget | null, selector: string): Element | null | undefined {
  const el = target as { closest?: (s: string) => Element | null } | null;
  return el !== null && typeof el.closest === 'function' ? el.closest(selector) : undefined;
}

/**
 * Whether a key pressed with focus on `target` is meant for the queue: not inside a question
 * the queue asks (the bulk confirmation's), which waits for its own answer; u there took back
 * the last decision behind it and moved the focus out of the question.
 */
function forQueue(target: EventTarget | null): boolean {
  if (target === null || target === document.body || target === document.documentElement) return true;
  return (closestOf(target, '[data-queue-keys]') ?? null) !== null && (closestOf(target, '[role="alertdialog"]') ?? null) === null;
}

/**
 * The pair of the row that holds `target`, if any. Read from the row itself, not looked up in
 * a list: a focus event can come while the list is being replaced (focus placed on the row
 * that took a decided row's place), when the list a listener knows is the one before.
 */
function rowIdOf(target: EventTarget | null): string | null {
  return closestOf(target, '[data-testid="pair-row"]')?.getAttribute('data-pair-id') ?? null;
}

/**
 * Focus on a control of the page that is not in a row (Export CSV, a tab, the search box's
 * neighbours): a key that decides must not reach past it to a row chosen earlier.
 */
function onOtherControl(target: EventTarget | null): boolean {
  return (closestOf(target, 'button, a[href], input, select, textarea, [role="tab"], [role="checkbox"]') ?? null) !== null;
}

/** A click on a row's text (not on one of its controls, which take the focus themselves). */
function onRowText(target: EventTarget | null): boolean {
  return closestOf(target, 'button, a[href], input, select, textarea, label') === null;
}

/** Where keys are text, not commands (a checkbox is not: x toggles it as it would a row). */
function typingIn(target: EventTarget | null): boolean {
  return (closestOf(target, 'input:not([type="checkbox"]), textarea, select, [contenteditable="true"]') ?? null) !== null;
}

export function useQueueKeys(opts: {
  items: PairView[];
  status: ReviewStatus;
  /** Keys do nothing while false (the compare view is open, nothing is listed). */
  enabled: boolean;
  /** Changes when another list is shown (tab, page, filters): the active row starts over. */
  listKey: string;
  onDecide: (pair: PairView, d: PairDecision) => void;
  onView: (pair: PairView) => void;
  onToggle: (pair: PairView) => void;
  /** `u`: takes back the last decision. */
  onUndo?: () => void;
  /** Whether there is a decision to take back (`u` listens only then). */
  undoable?: boolean;
  /** `1`, `2`, `3`: why the pairs just dismissed are not duplicates (DISMISS_REASONS, in order). */
  onReason?: (reason: DismissReason) => void;
  /** Whether a dismissal just made takes a reason (the digits listen only then). */
  reasonable?: boolean;
}): { activeId: string | null } {
  const { items, status, enabled, listKey, onDecide, onView, onToggle, onUndo, undoable = false, onReason, reasonable = false } = opts;
  // The active row is kept by its pair, so it stays with that row however the list around it
  // changes. `at` is where that row was last seen: when the row leaves (its pair decided),
  // the row that takes its place there is the active one. Both belong to one list (`listKey`):
  // on another tab, page or filter nothing is active until a key or the focus says so.
  const [choice, setChoice] = useState<{ id: string; listKey: string } | null>(null);
  const at = useRef<{ index: number; listKey: string } | null>(null);
  const keyNow = useRef(listKey);
  keyNow.current = listKey;
  const setChosen = useCallback((id: string | null) => setChoice(id === null ? null : { id, listKey: keyNow.current }), []);
  const chosen = choice !== null && choice.listKey === listKey ? choice.id : null;
  const chosenIndex = chosen === null ? -1 : items.findIndex((p) => p.id === chosen);
  const since = at.current !== null && at.current.listKey === listKey ? at.current.index : null;
  const active = chosen === null || items.length === 0 ? null : chosenIndex >= 0 ? chosenIndex : since === null ? null : Math.min(since, items.length - 1);
  const activeId = active === null ? null : (items[active]?.id ?? null);
  // Where the active row is, for the next time it leaves; and the row that took a decided
  // row's place is the chosen one from then on.
  useLayoutEffect(() => {
    if (active !== null) at.current = { index: active, listKey };
  }, [active, listKey]);
  useEffect(() => {
    if (activeId !== null && activeId !== chosen) setChosen(activeId);
  }, [activeId, chosen, setChosen]);
  // The active row as rendered last, for the listeners: a focus event can come before they are
  // set up again for the new list.
  const activeNow = useRef(activeId);
  activeNow.current = activeId;
  const itemsNow = useRef(items);
  itemsNow.current = items;
  // Set when the active row changed because focus went into it (Tab, a click): it is not focused again.
  const followedFocus = useRef(false);
  // Set by j / k: the row they choose gets the focus, wherever it was.
  const moved = useRef(false);

  // The active row follows the focus: keys act on the row the focus is in (a checkbox
  // clicked, Tab to a row's button), never on one chosen earlier with j / k.
  useEffect(() => {
    if (!enabled) return undefined;
    const onFocus = (e: FocusEvent) => {
      const id = rowIdOf(e.target);
      if (id === null || id === activeNow.current || !itemsNow.current.some((p) => p.id === id)) return;
      followedFocus.current = true;
      setChosen(id);
    };
    // A click on a row's text moves no focus into the row (the list takes it): the row clicked
    // becomes the active one all the same, and gets the focus, as j / k would give it.
    const onPointer = (e: PointerEvent) => {
      const id = rowIdOf(e.target);
      if (id === null || !onRowText(e.target) || id === activeNow.current || !itemsNow.current.some((p) => p.id === id)) return;
      moved.current = true;
      setChosen(id);
    };
    document.addEventListener('focusin', onFocus);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [enabled, setChosen]);

  useEffect(() => {
    // `u` (and a reason's digit) also works with the list empty (the last pair decided), as
    // long as Compare is closed.
    if (!enabled && !undoable && !reasonable) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typingIn(e.target) || !forQueue(e.target)) return;
      if (e.key === 'u') {
        if (!undoable || !onUndo) return;
        onUndo();
        e.preventDefault();
        return;
      }
      const reason = DISMISS_REASONS[Number(e.key) - 1];
      if (/^[1-9]$/.test(e.key) && reason !== undefined) {
        if (!reasonable || !onReason) return;
        onReason(reason);
        e.preventDefault();
        return;
      }
      if (!enabled) return;
      // The row the focus is in, else the one chosen with j / k; j / k move on from there. A
      // key that acts on a row does nothing while the focus is on a control outside the rows.
      const rowId = rowIdOf(e.target);
      const found = rowId === null ? -1 : items.findIndex((p) => p.id === rowId);
      const inRow = found >= 0 ? found : null;
      const here = inRow ?? active;
      const pair = here === null || (inRow === null && onOtherControl(e.target)) ? undefined : items[here];
      switch (e.key) {
        case 'j':
          moved.current = true;
          setChosen(items[here === null ? 0 : Math.min(here + 1, items.length - 1)]?.id ?? null);
          break;
        case 'k':
          moved.current = true;
          setChosen(items[here === null ? 0 : Math.max(here - 1, 0)]?.id ?? null);
          break;
        case 'c':
        case 'd':
          if (!pair || status !== 'pending') return;
          onDecide(pair, e.key === 'c' ? 'confirm' : 'dismiss');
          break;
        case 'r':
          if (!pair || status === 'pending') return;
          onDecide(pair, 'reopen');
          break;
        case 'o':
          if (!pair) return;
          onView(pair);
          break;
        case 'x':
          if (!pair) return;
          onToggle(pair);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled, undoable, reasonable, active, items, status, onDecide, onView, onToggle, onUndo, onReason, setChosen]);

  // The active row is scrolled into view and focused, so a screen reader reads it: when j / k
  // chose it, or when the focus was on the row before it (gone with its decision) or nowhere.
  // Focus the page placed elsewhere (a button on the next row, the list) stays there.
  useEffect(() => {
    if (activeId === null) return;
    const chosen = moved.current;
    moved.current = false;
    if (followedFocus.current) {
      followedFocus.current = false;
      return;
    }
    const now = document.activeElement;
    const onRowOrNowhere = now === null || now === document.body || now.getAttribute('data-testid') === 'pair-row';
    if (!chosen && !onRowOrNowhere) return;
    const row = document.querySelector<HTMLElement>(`[data-testid="pair-row"][data-pair-id="${CSS.escape(activeId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
    row?.focus({ preventScroll: true });
  }, [activeId]);

  return { activeId };
}
