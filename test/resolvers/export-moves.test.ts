/**
 * `export.csv` while pairs move: an issue changed in Jira (its event through the sandbox) or an
 * analysis moves a pair's sort key past the export's cursor between two of its pages. The file,
 * joined as the project page joins it, must still hold every pair that matched the filters for
 * the whole export, each once. Real SDKs, LocalForge, MariaDB and the Jira stand-in.
 */
import { parse } from 'csv-parse/sync';
import { startRun } from '../../src/analysis/run-control';
import type { PairSort } from '../../src/shared/contract';
import { csvPages } from '../../static/project-page/csv-pages';
import { issue, ok, pairIdOf, projectExtension, startHarness, type Harness } from './helpers';

const SHOP = projectExtension('SHOP');

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  // The engine's own scores, so that an issue's event scores its pairs as a run would.
  await analyse();
  // As if the pairs had been stored long before the export (not within the minute before it
  // that the export reads again in any case): only what moves during the export is read again.
  await h.forge.sql.query('UPDATE pairs SET moved_ms = 0');
});

afterEach(async () => {
  await h?.stop();
});

async function analyse(): Promise<void> {
  await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1', mode: 'full' });
  await h.forge.queue.settle(60_000);
}

/** An edit in Jira, and its event delivered as Jira would. */
async function edit(key: string, changes: Parameters<Harness['jira']['updateIssue']>[1]): Promise<void> {
  const { id, project } = issue(key);
  h.jira.updateIssue(id, changes, { accountId: 'member-1' });
  await h.forge.deliverProductEvent('avi:jira:updated:issue', { eventType: 'avi:jira:updated:issue', atlassianId: 'member-1', issue: { id, fields: { project: { key: project } } } });
}

/** The SHOP queue's pending pairs in an order, as the page lists them. */
async function queue(sort: PairSort, order: 'asc' | 'desc'): Promise<string[]> {
  return ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', sort, order, pageSize: 100 }, 'member-1', SHOP)).items.map((p) => p.id);
}

/**
 * An export of SHOP's pending pairs, one pair a page; `between` runs after the pages listed so
 * far hold `pagesBefore` rows. Answers the pairs of the joined file, in its order, and the ids
 * the pages listed before `between` ran.
 */
async function exportWith(sort: PairSort, order: 'asc' | 'desc', pagesBefore: number, between: () => Promise<void>): Promise<{ file: string[]; before: string[] }> {
  const file = csvPages();
  const listed: string[] = [];
  let before: string[] | null = null;
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    if (page === pagesBefore) {
      before = [...listed];
      await between();
    }
    const res: { csv: string; nextCursor: string | null } = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', sort, order, pageSize: 1, cursor }, 'member-1', SHOP));
    const records: string[][] = parse(res.csv);
    listed.push(...records.filter((r) => r[0] !== 'Pair').map((r) => r[0] ?? ''));
    file.add(res.csv);
    cursor = res.nextCursor;
    if (cursor === null) break;
  }
  expect(cursor).toBeNull();
  const records: string[][] = parse(file.parts().join(''));
  expect(records[0]?.[0]).toBe('Pair');
  return { file: records.slice(1).map((r) => r[0] ?? ''), before: before ?? [] };
}

/** Each of `ids` once, whatever the order. */
const once = (ids: readonly string[]): string[] => [...ids].sort();

it('keeps a pair an issue update moved from behind the cursor to before it, sorted by recently updated', async () => {
  const start = await queue('updated', 'desc');
  const moving = [pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-1', 'OPS-1')];
  // Both pairs of SHOP-1 come after the first two rows.
  expect(start.slice(2).sort()).toEqual([...moving].sort());
  const { file, before } = await exportWith('updated', 'desc', 2, async () => {
    await edit('SHOP-1', { status: 'In Progress' });
  });
  expect(before).toEqual(start.slice(0, 2));
  // The edit made them the most recently updated: before the cursor now.
  const moved = await queue('updated', 'desc');
  expect(moved.slice(0, 2).sort()).toEqual([...moving].sort());
  expect(once(moved)).toEqual(once(start));
  expect(once(file)).toEqual(once(start));
});

it('keeps a pair an analysis re-scored from behind the cursor to before it, sorted by score', async () => {
  const start = await queue('score', 'desc');
  const rising = pairIdOf('SHOP-1', 'OPS-1');
  expect(start.at(-1)).toBe(rising);
  const { file, before } = await exportWith('score', 'desc', 2, async () => {
    // OPS-1 now reads as SHOP-1 does: the next analysis (which reads the change) scores their pair near 1.
    h.jira.updateIssue(issue('OPS-1').id, { summary: issue('SHOP-1').summary, description: issue('SHOP-1').description }, { accountId: 'member-1' });
    await analyse();
  });
  expect(before).toEqual(start.slice(0, 2));
  const rescored = await queue('score', 'desc');
  expect(rescored[0]).toBe(rising);
  // The pairs that matched the filters the whole time, each once; none other.
  const throughout = start.filter((id) => rescored.includes(id));
  expect(throughout).toContain(rising);
  expect(once(file.filter((id) => throughout.includes(id)))).toEqual(once(throughout));
  expect(file.every((id) => start.includes(id) || rescored.includes(id))).toBe(true);
  expect(new Set(file).size).toBe(file.length);
});

it('keeps a pair whose tier an analysis changed from related to duplicate, in "possible duplicates first"', async () => {
  const start = await queue('likely', 'desc');
  const rising = pairIdOf('SHOP-1', 'OPS-1');
  const pairs = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', sort: 'likely', order: 'desc', pageSize: 100 }, 'member-1', SHOP)).items;
  expect(pairs.find((p) => p.id === rising)?.tier).toBe('related');
  const { file } = await exportWith('likely', 'desc', 1, async () => {
    h.jira.updateIssue(issue('OPS-1').id, { summary: issue('SHOP-1').summary, description: issue('SHOP-1').description }, { accountId: 'member-1' });
    await analyse();
  });
  const after = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', sort: 'likely', order: 'desc', pageSize: 100 }, 'member-1', SHOP)).items;
  expect(after.find((p) => p.id === rising)?.tier).toBe('duplicate');
  const throughout = start.filter((id) => after.some((p) => p.id === id));
  expect(once(file.filter((id) => throughout.includes(id)))).toEqual(once(throughout));
  expect(new Set(file).size).toBe(file.length);
});

it('lists a pair once that an update moved past the cursor into the pages still to come', async () => {
  // Oldest update first: a pair listed already that is updated now comes again at the end.
  const start = await queue('updated', 'asc');
  const again = [pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-2', 'OPS-1')];
  const { file, before } = await exportWith('updated', 'asc', 3, async () => {
    await edit('SHOP-2', { status: 'In Progress' });
  });
  expect(before).toEqual(expect.arrayContaining(again));
  expect((await queue('updated', 'asc')).slice(-2).sort()).toEqual([...again].sort());
  expect(file).toHaveLength(start.length);
  expect(once(file)).toEqual(once(start));
});

it('refuses a cursor of the earlier shape, without the time the export began', async () => {
  const old = `p2:${Buffer.from(JSON.stringify({ s: 'score', o: 'desc', k: 0.5, i: pairIdOf('SHOP-1', 'SHOP-2') })).toString('base64url')}`;
  const res = await h.call('project-page-resolver', 'export.csv', { status: 'pending', cursor: old }, 'member-1', SHOP);
  expect(res.success ? null : res.error).toMatchObject({ code: 'BAD_REQUEST', fields: { cursor: 'is not one this export handed out' } });
  // Nor one whose time is not a time, nor a keyset cursor that also says it is past the keyset pages.
  const first = ok(await h.call('project-page-resolver', 'export.csv', { status: 'pending', pageSize: 1 }, 'member-1', SHOP));
  const held = JSON.parse(Buffer.from((first.nextCursor ?? '').slice(3), 'base64url').toString('utf8')) as Record<string, unknown>;
  expect(typeof held['a']).toBe('number');
  for (const shape of [{ ...held, a: 'now' }, { ...held, a: -1 }, { ...held, m: 1 }, { s: held['s'], o: held['o'], a: held['a'], m: 2, i: 'x' }]) {
    const cursor = `p3:${Buffer.from(JSON.stringify(shape)).toString('base64url')}`;
    const bad = await h.call('project-page-resolver', 'export.csv', { status: 'pending', pageSize: 1, cursor }, 'member-1', SHOP);
    expect(bad.success ? null : bad.error.code).toBe('BAD_REQUEST');
  }
});
