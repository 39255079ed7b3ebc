/**
 * Which way a confirmation links by default: an issue Jira already closed as "Duplicate" is
 * the duplicate, even when it was filed first (an older report closed in favour of a newer
 * one); otherwise the newer issue is. The resolution is read from Jira by a real run.
 */
import { startRun } from '../../src/analysis/run-control';
import { issue, ok, pairIdOf, projectExtension, startHarness, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const linkKeys = (): string[] =>
  [...h.jira.store.links.values()].map((l) => `${h.jira.store.issues.get(l.inwardIssueId)?.key}>${h.jira.store.issues.get(l.outwardIssueId)?.key}`).sort();

describe('the default way of a Duplicate link', () => {
  it('makes the newer issue the duplicate when neither is resolved as one', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP));
    expect(res.link).toMatchObject({ inwardKey: 'SHOP-4', outwardKey: 'SHOP-3' });
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', SHOP));
    expect(linkKeys()).toEqual([]);
  });

  it('makes the issue Jira closed as a duplicate the duplicate, though it was filed first, in the list, Compare and the link', async () => {
    // SHOP-1 (filed 1 January) was closed as a duplicate of SHOP-2 (filed 5 January).
    const stored = h.jira.store.issues.get(issue('SHOP-1').id);
    if (!stored) throw new Error('SHOP-1 missing from the stand-in');
    stored.resolution = 'Duplicate';
    stored.status = 'Done';
    stored.statusCategory = 'done';
    await startRun({ scope: { kind: 'project', projectKey: 'SHOP' }, trigger: 'manual', startedBy: 'admin-1', mode: 'full' });
    await h.forge.queue.settle(60_000);
    const rows = (await h.forge.sql.query('SELECT id, resolution FROM docs WHERE id IN (?, ?) ORDER BY id', [issue('SHOP-1').id, issue('SHOP-2').id])) as Array<{ id: string; resolution: string }>;
    expect(rows.map((r) => r.resolution)).toEqual(['Duplicate', '']);

    const pairId = pairIdOf('SHOP-1', 'SHOP-2');
    const list = ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', search: 'SHOP-1' }, 'member-1', SHOP));
    const row = list.items.find((p) => p.id === pairId);
    expect([row?.a.resolution, row?.b.resolution]).toEqual(['Duplicate', null]);
    const detail = ok(await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'member-1', SHOP));
    expect(detail.a.issue.resolution).toBe('Duplicate');

    const res = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', SHOP));
    expect(res.link).toMatchObject({ inwardKey: 'SHOP-1', outwardKey: 'SHOP-2' });
    expect(linkKeys()).toEqual(['SHOP-1>SHOP-2']);
    // The way asked for still wins.
    ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', SHOP));
    const asked = ok(await h.call('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm', duplicateIssueId: issue('SHOP-2').id }, 'member-1', SHOP));
    expect(asked.link).toMatchObject({ inwardKey: 'SHOP-2', outwardKey: 'SHOP-1' });
  });
});
