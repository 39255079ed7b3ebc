/**
 * The history is paged by entry, not by row: a bulk action (one batch id, one row per pair)
 * is one entry, listed whole on one page and never split around other entries, even when two
 * bulk actions were written at the same time, as an Undo's reopen and unlink are. A page read
 * at a given time (`asOfMs`) stays as it was while entries are added. MariaDB, through the
 * app's own store.
 */
import { LocalForge } from '../../sandbox/runtime';
import { appendAction, listActions, type ActionInput } from '../../src/store/actions';
import { migrate } from '../../src/store/migrations';
import { pipelineHandlers } from '../analysis/helpers';

const decision = (action: ActionInput['action'], n: number, batchId: string | null = null, actor = 'lead'): ActionInput => ({
  action,
  actorAccountId: actor,
  issueKeys: [`SHOP-${n}`, `SHOP-${n + 100}`],
  projectKeys: ['SHOP'],
  detail: `pair ${n}`,
  batchId,
});

/** A page as entries: a single row's detail, or the details of a batch's rows. */
type Shape = Array<string | string[]>;
function shape(items: Array<{ detail: string | null; batchId: string | null }>): Shape {
  const out: Shape = [];
  let last: string | null = null;
  for (const a of items) {
    const top = out[out.length - 1];
    if (a.batchId !== null && a.batchId === last && Array.isArray(top)) top.push(a.detail ?? '');
    else out.push(a.batchId !== null ? [a.detail ?? ''] : (a.detail ?? ''));
    last = a.batchId;
  }
  return out;
}

describe('history pages of entries', () => {
  let forge: LocalForge;
  const list = (opts: Parameters<typeof listActions>[0] = {}) => listActions({ projectKeys: ['SHOP'], involving: 'SHOP', ...opts });

  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    await appendAction(decision('dismiss', 1), 900);
    await appendAction(decision('dismiss', 2), 950);
    // An Undo of a bulk confirmation: two bulk actions at once, their rows interleaved in
    // time (reopen: 1001, 1003, …; unlink: 1000, 1002, …), and a decision in the middle.
    for (let i = 0; i < 5; i++) await appendAction(decision('reopen', 10 + i, 'undo-reopen'), 1001 + 2 * i);
    for (let i = 0; i < 4; i++) await appendAction(decision('unlink', 20 + i, 'undo-unlink'), 1000 + 2 * i);
    await appendAction(decision('confirm', 3, null, 'member'), 1005);
    await appendAction(decision('dismiss', 4), 1100);
    await appendAction(decision('dismiss', 5), 1200);
  });
  afterAll(async () => forge?.stop({ drop: true }));

  it('counts and pages entries, each bulk action whole and in one place, newest first by when it began', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => list({ page, pageSize: 2 })));
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7, 7]);
    expect(pages.map((p) => shape(p.items))).toEqual([
      ['pair 5', 'pair 4'],
      ['pair 3', ['pair 14', 'pair 13', 'pair 12', 'pair 11', 'pair 10']],
      [['pair 23', 'pair 22', 'pair 21', 'pair 20'], 'pair 2'],
      ['pair 1'],
    ]);
    // One page of everything lists each bulk action's rows together too.
    expect(shape((await list({ pageSize: 50 })).items)).toEqual(pages.flatMap((p) => shape(p.items)));
  });

  it('keeps the filters: a batch is an entry of the rows they keep', async () => {
    const reopens = await list({ actions: ['reopen'], pageSize: 1 });
    expect([reopens.total, shape(reopens.items)]).toEqual([1, [['pair 14', 'pair 13', 'pair 12', 'pair 11', 'pair 10']]]);
    const one = await list({ issueKey: 'SHOP-112', pageSize: 5 });
    expect([one.total, shape(one.items)]).toEqual([1, [['pair 12']]]);
    const members = await list({ actor: 'member', pageSize: 5 });
    expect([members.total, shape(members.items)]).toEqual([1, ['pair 3']]);
  });

  it('pages the history as it stood at asOfMs: what is added later moves nothing, and is counted as newer', async () => {
    const first = await list({ page: 1, pageSize: 2 });
    expect(first.asOfMs).toBeGreaterThanOrEqual(1200);
    const before = await list({ page: 2, pageSize: 2, asOfMs: first.asOfMs });
    // Two new decisions, and one more row of a bulk action begun before (still being written).
    await appendAction(decision('dismiss', 6), first.asOfMs + 1);
    await appendAction(decision('dismiss', 7), first.asOfMs + 2);
    await appendAction(decision('unlink', 24, 'undo-unlink'), first.asOfMs + 3);
    try {
      const after = await list({ page: 2, pageSize: 2, asOfMs: first.asOfMs });
      expect([after.total, after.newer, shape(after.items)]).toEqual([7, 2, shape(before.items)]);
      const third = await list({ page: 3, pageSize: 2, asOfMs: first.asOfMs });
      expect(shape(third.items)).toEqual([['pair 24', 'pair 23', 'pair 22', 'pair 21', 'pair 20'], 'pair 2']);
      // Read from the top again: the new entries come first.
      const now = await list({ page: 1, pageSize: 2 });
      expect([now.total, now.newer, shape(now.items)]).toEqual([9, 0, ['pair 7', 'pair 6']]);
    } finally {
      await forge.sql.query("DELETE FROM actions WHERE detail IN ('pair 6', 'pair 7', 'pair 24')");
    }
  });
});
