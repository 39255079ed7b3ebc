/** The history folds a bulk action's entries (one per pair, one batch id) into one. */
import type { ActionView } from '../../src/shared/contract';
import { GROUP_TEXT, groupText, groupedEntries, reasonInDetail } from '../../static/shared/history-groups';

const at = (s: number): string => new Date(Date.UTC(2026, 11, 1, 10, 0, s)).toISOString();
const entry = (id: string, action: ActionView['action'], batchId: string | null, second = 0): ActionView => ({ id, at: at(second), actorAccountId: 'u1', action, pairId: `p${id}`, issueKeys: [`SHOP-${id}`], detail: null, batchId });
const shape = (items: ActionView[]) => groupedEntries(items).map((e) => (e.kind === 'one' ? e.action.id : e.actions.map((a) => a.id)));

describe('groupedEntries', () => {
  it('folds the decisions of one bulk action, two or more, and nothing else', () => {
    expect(
      shape([
        entry('1', 'dismiss', 'b1'),
        entry('2', 'dismiss', 'b1'),
        entry('3', 'dismiss', 'b1'),
        entry('4', 'dismiss', 'b2'), // another batch: alone, so not folded
        entry('5', 'confirm', null), // decided one by one, within a second of each other
        entry('6', 'confirm', null),
        entry('7', 'confirm', null),
        entry('8', 'reopen', 'b3'),
        entry('9', 'unlink', 'b3'), // one batch, two kinds (reopen and unlink): one entry still
        entry('10', 'unlink', 'b3'),
        entry('11', 'run.start', 'b4'), // analyses are never folded
        entry('12', 'run.start', 'b4'),
      ]),
    ).toEqual([['1', '2', '3'], '4', '5', '6', '7', ['8', '9', '10'], '11', '12']);
    expect(shape([])).toEqual([]);
  });

  it('says what a bulk action did, kind by kind when it did several', () => {
    expect(groupText([entry('1', 'dismiss', 'b1'), entry('2', 'dismiss', 'b1')])).toBe('Dismissed 2 pairs at once');
    // The Undo of a bulk confirmation: the pairs it linked unlinked, those joined through them reopened.
    expect(groupText([entry('1', 'reopen', 'b1'), entry('2', 'unlink', 'b1'), entry('3', 'reopen', 'b1')])).toBe('Reopened 3 pairs at once and unlinked 1 of them');
    expect(groupText([entry('1', 'unlink', 'b1'), entry('2', 'unlink', 'b1')])).toBe('Unlinked and reopened 2 pairs at once');
    expect(groupText([entry('1', 'dismiss', 'b1'), entry('2', 'dismiss.reason', 'b1'), entry('3', 'dismiss', 'b1')])).toBe('Decided 3 pairs at once: 2 dismissed, 1 with their reason changed');
  });

  it('names the reason a bulk "why" gave, or that it was taken back, as the entries word it', () => {
    const why = (detail: string | null): ActionView => ({ ...entry('1', 'dismiss.reason', 'b1'), detail });
    const text = GROUP_TEXT['dismiss.reason'];
    expect(text?.(3, why('score 91%; why: Related, but separate work'))).toBe('Said why 3 pairs are not duplicates at once: Related, but separate work');
    expect(text?.(2, why('score 88%; no reason now (was: Not the same problem)'))).toBe('Took back why 2 pairs are not duplicates at once');
    // "was: …" names the reason taken back, not one given.
    expect(reasonInDetail('score 88%; no reason now (was: Not the same problem)')).toBeNull();
    expect(reasonInDetail('score 88%; why: Split on purpose (one per team, component or version)')).toBe('Split on purpose (one per team, component or version)');
    expect(reasonInDetail(null)).toBeNull();
  });
});
