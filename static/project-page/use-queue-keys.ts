/**
 * Keyboard review for the queue, for people who go through hundreds of pairs: j / k move
 * between rows, c confirms, d dismisses, r reopens, o compares, x selects. Keys typed into
 * a field (search, filters, the compare view's own controls) are left alone, and so are keys
 * pressed while focus is anywhere else on the page (a tab, the run panel, a link): single
 * letters act only inside the queue (`data-queue-keys`) or with nothing focused, so speech
 * input or a stray key elsewhere cannot confirm a pair.
 */
import { useEffect, useState } from 'react';
import type { DismissReason, PairView, ReviewStatus } from '../../src/shared/contract';
import { DISMISS_REASONS } from '../shared/format';
import type { PairDecision } from './pair-table';

/** Whether a key pressed with focus on `target` is meant for the queue. */
function forQueue(target: EventTarget | null): boolean {
  if (target === null || target === document.body || target === document.documentElement) return true;
  const el = target as { closest?: (s: string) => unknown };
  return typeof el.closest === 'function' && el.closest('[data-queue-keys]') !== null;
}

/** Where keys are text, not commands (a checkbox is not: x toggles it as it would a row). */
function typingIn(target: EventTarget | null): boolean {
  const el = target as { closest?: (s: string) => unknown } | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.closest('input:not([type="checkbox"]), textarea, select, [contenteditable="true"]') !== null;
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
  const [index, setIndex] = useState<number | null>(null);
  useEffect(() => setIndex(null), [listKey]);
  // A decided row leaves the list: the row that took its place is the active one.
  const active = index === null || items.length === 0 ? null : Math.min(index, items.length - 1);
  const activeId = active === null ? null : (items[active]?.id ?? null);

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
      const pair = active === null ? undefined : items[active];
      switch (e.key) {
        case 'j':
          setIndex(active === null ? 0 : Math.min(active + 1, items.length - 1));
          break;
        case 'k':
          setIndex(active === null ? 0 : Math.max(active - 1, 0));
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
  }, [enabled, undoable, reasonable, active, items, status, onDecide, onView, onToggle, onUndo, onReason]);

  // The active row is scrolled into view and focused, so a screen reader reads it.
  useEffect(() => {
    if (activeId === null) return;
    const row = document.querySelector<HTMLElement>(`[data-testid="pair-row"][data-pair-id="${CSS.escape(activeId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
    row?.focus({ preventScroll: true });
  }, [activeId]);

  return { activeId };
}
