/** The history folds a bulk action's entries (one per pair) into one. */
import type { ActionView } from '../../src/shared/contract';
import { groupedEntries } from '../../static/shared/history-groups';

const at = (s: number): string => new Date(Date.UTC(2026, 11, 1, 10, 0, s)).toISOString();
const entry = (id: string, action: ActionView['action'], actor: string | null, second: number): ActionView => ({ id, at: at(second), actorAccountId: actor, action, pairId: `p${id}`, issueKeys: [`SHOP-${id}`], detail: null });
const shape = (items: ActionView[]) => groupedEntries(items).map((e) => (e.kind === 'one' ? e.action.id : e.actions.map((a) => a.id)));

describe('groupedEntries', () => {
  it('folds three or more decisions of one kind by one person within two minutes, and nothing else', () => {
    expect(
      shape([
        entry('1', 'dismiss', 'u1', 10),
        entry('2', 'dismiss', 'u1', 9),
        entry('3', 'dismiss', 'u1', 9),
        entry('4', 'dismiss', 'u2', 8), // another person
        entry('5', 'confirm', 'u2', 8),
        entry('6', 'confirm', 'u2', 7),
        entry('7', 'reopen', 'u2', 6), // another kind breaks the run
        entry('8', 'confirm', 'u2', 5),
        entry('9', 'run.start', 'u2', 4), // analyses are never folded
        entry('10', 'run.start', 'u2', 3),
        entry('11', 'run.start', 'u2', 2),
        entry('12', 'confirm', null, 1), // Jira-made confirmations name no one
        entry('13', 'confirm', null, 1),
        entry('14', 'confirm', null, 0),
      ]),
    ).toEqual([['1', '2', '3'], '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14']);
  });

  it('keeps entries more than two minutes apart from the first of a run apart', () => {
    expect(shape([entry('1', 'dismiss', 'u1', 0), entry('2', 'dismiss', 'u1', 0), entry('3', 'dismiss', 'u1', 0)].map((e, i) => ({ ...e, at: new Date(Date.UTC(2026, 11, 1, 10, 0, 0) - i * 61_000).toISOString() })))).toEqual(['1', '2', '3']);
    expect(shape([])).toEqual([]);
  });
});
