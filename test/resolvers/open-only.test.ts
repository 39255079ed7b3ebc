/**
 * "Leave out pairs whose issues are both done": the status-category filter matches either
 * issue, so it cannot drop the pairs where no work can be done twice any more; `openOnly`
 * does, in the list, its total and the CSV export alike.
 */
import { issue, ok, pairIdOf, projectExtension, startHarness, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('openOnly', () => {
  it('leaves out a pair whose two issues are done, and keeps one with an issue still open', async () => {
    const bothDone = pairIdOf('SHOP-3', 'SHOP-4');
    const oneDone = pairIdOf('SHOP-1', 'SHOP-2');
    // SHOP-3 and SHOP-4 are done; of SHOP-1 and SHOP-2 only SHOP-1 is.
    await h.forge.sql.query("UPDATE pairs SET cat_a = 'done', cat_b = 'done' WHERE id = ?", [bothDone]);
    await h.forge.sql.query("UPDATE pairs SET cat_a = 'done' WHERE id = ?", [oneDone]);
    const all = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending' }, 'member-1', SHOP));
    const open = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', openOnly: true }, 'member-1', SHOP));
    expect(all.items.map((p) => p.id)).toContain(bothDone);
    expect(open.items.map((p) => p.id)).not.toContain(bothDone);
    expect(open.items.map((p) => p.id)).toContain(oneDone);
    expect(open.total).toBe(all.total - 1);
    // "Done" in the status-category filter still matches either issue: both pairs.
    const done = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', statusCategories: ['done'] }, 'member-1', SHOP));
    expect(done.items.map((p) => p.id).sort()).toEqual([bothDone, oneDone].sort());
    const csv = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', openOnly: true }, 'member-1', SHOP));
    expect(csv.rows).toBe(open.total);
    expect(csv.csv).not.toContain(`${issue('SHOP-3').key},`);
  });

  it('refuses a value that is not true or false', async () => {
    const res = await h.call('project-page-resolver', 'pairs.list', { status: 'pending', openOnly: 'yes' }, 'member-1', SHOP);
    expect(res.success ? null : [res.error.code, res.error.fields]).toEqual(['BAD_REQUEST', { openOnly: 'must be true or false' }]);
  });
});
