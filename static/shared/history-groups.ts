/**
 * One bulk action writes a history entry per pair (each names its own issues, so each is
 * shown or hidden by who may see them), all with the batch's id; the history shows them as
 * one entry.
 */
import type { ActionView } from '../../src/shared/contract';
import { DISMISS_REASON_TEXT, DISMISS_REASONS } from './format';

/**
 * The reason a `dismiss.reason` entry records, as its detail words it ("why: …"), or null when
 * it took one back ("no reason now").
 */
export function reasonInDetail(detail: string | null): string | null {
  const found = DISMISS_REASONS.find((r) => (detail ?? '').includes(`why: ${DISMISS_REASON_TEXT[r]}`));
  return found !== undefined ? DISMISS_REASON_TEXT[found] : null;
}

/**
 * Several decisions made by one bulk action: "Dismissed 14 pairs at once". `first`: the
 * group's first entry (one bulk action gives all its pairs the same reason, so it names it).
 */
export const GROUP_TEXT: Partial<Record<ActionView['action'], (n: number, first: ActionView) => string>> = {
  confirm: (n) => `Confirmed ${n} duplicates at once`,
  dismiss: (n) => `Dismissed ${n} pairs at once`,
  'dismiss.reason': (n, first) => {
    const reason = reasonInDetail(first.detail);
    return reason !== null ? `Said why ${n} pairs are not duplicates at once: ${reason}` : `Took back why ${n} pairs are not duplicates at once`;
  },
  reopen: (n) => `Reopened ${n} pairs at once`,
  unlink: (n) => `Unlinked and reopened ${n} pairs at once`,
};

/** What each kind of decision did, in a bulk action of several kinds: "9 unlinked and reopened". */
const DONE_TEXT: Partial<Record<ActionView['action'], string>> = {
  confirm: 'confirmed',
  dismiss: 'dismissed',
  'dismiss.reason': 'with their reason changed',
  reopen: 'reopened',
  unlink: 'unlinked and reopened',
};

/**
 * The sentence for one bulk action's entries: "Dismissed 14 pairs at once"; for reopens of
 * which some also removed Duplicate links (the Undo of a bulk confirmation, which unlinks the
 * pairs it linked and reopens those it joined through them), "Reopened 6 pairs at once and
 * unlinked 3 of them"; otherwise, when its decisions were of several kinds, "Decided 23 pairs
 * at once: 14 dismissed, 9 with their reason changed".
 */
export function groupText(actions: readonly ActionView[]): string {
  const first = actions[0];
  if (first === undefined) return '';
  const byKind = new Map<ActionView['action'], number>();
  for (const a of actions) byKind.set(a.action, (byKind.get(a.action) ?? 0) + 1);
  if (byKind.size === 1) return GROUP_TEXT[first.action]?.(actions.length, first) ?? '';
  const unlinked = byKind.get('unlink');
  if (byKind.size === 2 && byKind.has('reopen') && unlinked !== undefined) return `Reopened ${actions.length} pairs at once and unlinked ${unlinked} of them`;
  return `Decided ${actions.length} pairs at once: ${[...byKind].map(([kind, n]) => `${n} ${DONE_TEXT[kind] ?? kind}`).join(', ')}`;
}

export type Entry = { kind: 'one'; action: ActionView } | { kind: 'group'; id: string; actions: ActionView[] };

/**
 * A page's entries, with the decisions of one bulk action (one `batchId`, two or more, of
 * the kinds a bulk action makes) folded into one entry. `history.list` lists a bulk action's
 * entries together and never cuts one between pages. Decisions made one by one, however
 * quickly, stay apart.
 */
export function groupedEntries(items: readonly ActionView[]): Entry[] {
  const out: Entry[] = [];
  let run: ActionView[] = [];
  const flush = (): void => {
    if (run.length >= 2 && run.every((a) => GROUP_TEXT[a.action] !== undefined)) out.push({ kind: 'group', id: run[0]!.id, actions: run });
    else for (const a of run) out.push({ kind: 'one', action: a });
    run = [];
  };
  for (const a of items) {
    const first = run[0];
    const joins = first !== undefined && a.batchId !== null && a.batchId === first.batchId;
    if (!joins) flush();
    run.push(a);
  }
  flush();
  return out;
}
