/**
 * One bulk action writes a history entry per pair (each names its own issues, so each is
 * shown or hidden by who may see them), all with the batch's id; the history shows such a
 * run as one entry.
 */
import type { ActionView } from '../../src/shared/contract';

/** Several decisions made by one bulk action: "Dismissed 14 pairs at once". */
export const GROUP_TEXT: Partial<Record<ActionView['action'], (n: number) => string>> = {
  confirm: (n) => `Confirmed ${n} duplicates at once`,
  dismiss: (n) => `Dismissed ${n} pairs at once`,
  'dismiss.reason': (n) => `Said why ${n} pairs are not duplicates at once`,
  reopen: (n) => `Reopened ${n} pairs at once`,
  unlink: (n) => `Unlinked and reopened ${n} pairs at once`,
};

export type Entry = { kind: 'one'; action: ActionView } | { kind: 'group'; id: string; actions: ActionView[] };

/**
 * A page's entries, with each run of two or more decisions of one bulk action (one
 * `batchId`, one kind) folded into one entry. Decisions made one by one, however quickly,
 * stay apart.
 */
export function groupedEntries(items: readonly ActionView[]): Entry[] {
  const out: Entry[] = [];
  let run: ActionView[] = [];
  const flush = (): void => {
    if (run.length >= 2) out.push({ kind: 'group', id: run[0]!.id, actions: run });
    else for (const a of run) out.push({ kind: 'one', action: a });
    run = [];
  };
  for (const a of items) {
    const first = run[0];
    const joins = first !== undefined && a.batchId !== null && a.batchId === first.batchId && a.action === first.action && GROUP_TEXT[a.action] !== undefined;
    if (!joins) flush();
    run.push(a);
  }
  flush();
  return out;
}
