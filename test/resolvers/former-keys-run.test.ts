/**
 * A full run stores an issue that moved project while no event told the app (its event lost,
 * or never delivered): the run's write changes its key, and the old key is remembered as an
 * event's write does (test/resolvers/issue-security.test.ts, 'a secured issue moved to
 * another project'), once however often the run reads it.
 */
import { startRun } from '../../src/analysis/run-control';
import { formerKeysOf } from '../../src/store/former-keys';
import { issue, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const fullRun = async (): Promise<void> => {
  await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1', mode: 'full' });
  await h.forge.queue.settle(60_000);
};

it('remembers the key an issue had before a full run read it in another project, once', async () => {
  await fullRun();
  const id = issue('SHOP-3').id;
  expect((await formerKeysOf([id])).get(id)).toBeUndefined();
  // Moved in Jira with no event delivered to the app (no listener).
  h.jira.updateIssue('SHOP-3', { projectKey: 'MOB' }, { accountId: 'member-1' });
  await h.jira.flushEvents();
  await fullRun();
  const [doc] = (await h.forge.sql.query('SELECT issue_key, project_key FROM docs WHERE id = ?', [id])) as Array<{ issue_key: string; project_key: string }>;
  expect(doc?.project_key).toBe('MOB');
  expect((await formerKeysOf([id])).get(id)).toEqual(['SHOP-3']);
  await fullRun();
  expect((await formerKeysOf([id])).get(id)).toEqual(['SHOP-3']);
  const rows = (await h.forge.sql.query('SELECT COUNT(*) AS n FROM former_keys')) as Array<{ n: number | string }>;
  expect(Number(rows[0]?.n)).toBe(1);
});
