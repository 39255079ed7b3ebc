/**
 * One bulk action writes a history entry per pair (each names its own issues, so each is
 * shown or hidden by who may see them); the history shows such a run as one entry.
 */
import type { ActionView } from '../../src/shared/contract';

/** Several decisions of one kind, made at once (a bulk action): "Dismissed 14 pairs at once". */
export const GROUP_TEXT: Partial<Record<ActionView['action'], (n: number) => string>> = {
  confirm: (n) => `Confirmed ${n} duplicates at once`,
  dismiss: (n) => `Dismissed ${n} pairs at once`,
  reopen: (n) => `Reopened ${n} pairs at once`,
  unlink: (n) => `Unlinked and reopened ${n} pairs at once`,
};
/** Entries this close together, by one person, of one kind, are one bulk action. */
const GROUP_WINDOW_MS = 120_000;
const GROUP_MIN = 3;

export type Entry = { kind: 'one'; action: ActionView } | { kind: 'group'; id: string; actions: ActionView[] };

/**
 * A page's entries, with each run of at least three decisions of one kind by one person made
 * within two minutes (one bulk action writes an entry per pair) folded into one entry.
 */
export function groupedEntries(items: readonly ActionView[]): Entry[] {
  const out: Entry[] = [];
  let run: ActionView[] = [];
  const flush = (): void => {
    if (run.length >= GROUP_MIN) out.push({ kind: 'group', id: run[0]!.id, actions: run });
    else for (const a of run) out.push({ kind: 'one', action: a });
    run = [];
  };
  for (const a of items) {
    const first = run[0];
    const joins =
      first !== undefined &&
      GROUP_TEXT[a.action] !== undefined &&
      a.action === first.action &&
      a.actorAccountId !== null &&
      a.actorAccountId === first.actorAccountId &&
      Math.abs(Date.parse(first.at) - Date.parse(a.at)) <= GROUP_WINDOW_MS;
    if (!joins) flush();
    run.push(a);
  }
  flush();
  return out;
}

