/**
 * The keys an issue had before it moved project (table `former_keys`): recorded once by the
 * write that changes the key, read for the viewer who may not see the issue so the history
 * leaves out entries naming it by its old key, and forgotten with the issue (deleted in Jira)
 * or once no history entry is old enough to name them. MariaDB, through the app's own store.
 */
import { LocalForge } from '../../sandbox/runtime';
import { ANALYSES, forgetIssues } from '../../src/analysis/analyses';
import { applyRetention, FORMER_KEY_MARGIN_MS } from '../../src/analysis/retention';
import { appendAction, listActions } from '../../src/store/actions';
import { getDocStates, upsertDocs, type DocWrite } from '../../src/store/docs';
import { formerKeysOf, hiddenFormerKeys } from '../../src/store/former-keys';
import { migrate } from '../../src/store/migrations';
import { pipelineHandlers } from '../analysis/helpers';

const doc = (id: string, key: string, updatedMs: number, securityLevel = ''): DocWrite => ({
  id,
  key,
  projectKey: key.split('-')[0] ?? '',
  type: 'Bug',
  status: 'Open',
  statusCategory: 'new',
  createdMs: 1000,
  updatedMs,
  summary: `summary ${id}`,
  textHash: `h${id}`,
  terms: `d1\ns x${id}`,
  securityLevel,
});

describe('former keys of moved issues', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const rows = async (): Promise<Array<{ issue_id: string; issue_key: string }>> =>
    (await forge.sql.query('SELECT issue_id, issue_key FROM former_keys ORDER BY issue_id, issue_key')) as Array<{ issue_id: string; issue_key: string }>;

  it('records the old key once when a write changes it, however often the write comes; a stale or same-key write records nothing', async () => {
    await upsertDocs([doc('1', 'A-1', 2000, '900'), doc('2', 'A-2', 2000)]);
    // Written again with the same keys (a full run's next read): nothing moved.
    await upsertDocs([doc('1', 'A-1', 2500, '900'), { ...doc('2', 'A-2', 2500), terms: null }]);
    expect(await rows()).toEqual([]);
    // 1 moves to B (a new key); the event is delivered three times, and a run's page read
    // before the move (older `updated`) lands after it.
    const moved = doc('1', 'B-9', 3000, '900');
    await upsertDocs([moved]);
    await upsertDocs([moved]);
    await upsertDocs([{ ...moved, terms: null }]);
    await upsertDocs([doc('1', 'A-1', 2500, '900')]);
    expect(await rows()).toEqual([{ issue_id: '1', issue_key: 'A-1' }]);
    const [stored] = (await forge.sql.query("SELECT issue_key FROM docs WHERE id = '1'")) as Array<{ issue_key: string }>;
    expect(stored?.issue_key).toBe('B-9');
    // It moves on once more: both old keys are kept.
    await upsertDocs([doc('1', 'C-4', 4000, '900')]);
    expect((await formerKeysOf(['1', '2'])).get('1')).toEqual(['A-1', 'B-9']);
    expect((await formerKeysOf(['1', '2'])).has('2')).toBe(false);
  });

  it('records the same from the stored keys a caller has just read, with no read of its own', async () => {
    await upsertDocs([doc('7', 'A-7', 2000), doc('8', 'A-8', 2000)]);
    const stored = await getDocStates(['7', '8']);
    const reads: string[] = [];
    const stop = forge.sql.observe((query) => {
      if (/^\s*SELECT/i.test(query)) reads.push(query);
    });
    try {
      // 7 moves; 8 is written from a read older than the stored row (stale): no key of it.
      await upsertDocs([doc('7', 'B-3', 3000), doc('8', 'C-8', 1500)], Date.now(), Date.now(), stored);
    } finally {
      stop();
    }
    expect(reads.filter((q) => /FROM docs WHERE id IN/i.test(q))).toEqual([]);
    expect((await formerKeysOf(['7', '8'])).get('7')).toEqual(['A-7']);
    expect((await formerKeysOf(['7', '8'])).has('8')).toBe(false);
    await forge.sql.query("DELETE FROM former_keys WHERE issue_id IN ('7', '8')");
    await forge.sql.query("DELETE FROM docs WHERE id IN ('7', '8')");
  });

  it('names the old keys to a viewer the issue is hidden from (by id, by level, or by a project they may not browse), not to one who sees it', async () => {
    await appendAction({ action: 'confirm', actorAccountId: 'u', issueKeys: ['A-3', 'A-4', 'A-1'], projectKeys: ['A'], detail: 'already joined as duplicates in Jira through A-1' });
    await appendAction({ action: 'dismiss', actorAccountId: 'u', issueKeys: ['A-2', 'A-11'], projectKeys: ['A'] });
    const all = ['A', 'C'];
    const viewer = await hiddenFormerKeys({ visibleProjects: all, hiddenIds: ['1'], hiddenLevels: [] });
    expect(viewer.sort()).toEqual(['A-1', 'B-9']);
    expect((await hiddenFormerKeys({ visibleProjects: all, hiddenIds: [], hiddenLevels: [{ projectKey: 'C', level: '900' }] })).sort()).toEqual(['A-1', 'B-9']);
    // The level of another project, or nothing hidden: none.
    expect(await hiddenFormerKeys({ visibleProjects: all, hiddenIds: [], hiddenLevels: [{ projectKey: 'A', level: '900' }] })).toEqual([]);
    const member = await hiddenFormerKeys({ visibleProjects: all, hiddenIds: [], hiddenLevels: [] });
    expect(member).toEqual([]);
    // Someone who may browse A but not C, where the issue is now.
    expect((await hiddenFormerKeys({ visibleProjects: ['A'], hiddenIds: [], hiddenLevels: [] })).sort()).toEqual(['A-1', 'B-9']);

    const listed = async (hiddenKeys: string[]) => (await listActions({ projectKeys: all, hiddenKeys })).items.map((a) => a.issueKeys.join(',')).sort();
    expect(await listed(member)).toEqual(['A-2,A-11', 'A-3,A-4,A-1']);
    // A-11 is another issue, whose key starts as the old one does.
    expect(await listed(viewer)).toEqual(['A-2,A-11']);
  });

  it('forgets the old keys of an issue deleted in Jira, not of one that only left scope', async () => {
    await upsertDocs([doc('5', 'A-5', 2000), doc('6', 'A-6', 2000)]);
    await upsertDocs([doc('5', 'B-5', 3000), doc('6', 'B-6', 3000)]);
    expect([...(await formerKeysOf(['5', '6'])).keys()].sort()).toEqual(['5', '6']);
    await forgetIssues(ANALYSES, ['5']);
    await forgetIssues(ANALYSES, ['6'], { deleted: true });
    expect([...(await formerKeysOf(['5', '6'])).entries()]).toEqual([['5', ['A-5']]]);
  });

  it('retention forgets the old keys no history entry is old enough to name, once such entries are gone', async () => {
    const day = 86_400_000;
    const now = Date.now() + 400 * day;
    await forge.sql.query('DELETE FROM actions');
    await forge.sql.query('DELETE FROM former_keys');
    await forge.sql.query('INSERT INTO former_keys (issue_id, issue_key, recorded_ms) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)', [
      '1', 'A-1', now - 100 * day,
      '1', 'B-9', now - 50 * day,
      '5', 'A-5', now - 2 * 3_600_000,
    ]);
    // An entry 60 days old may name A-1 (recorded 100 days ago, moved since) no more: it is
    // younger than the move by more than the margin. B-9's move is younger than the entry.
    await appendAction({ action: 'dismiss', actorAccountId: 'u', issueKeys: ['B-9'], projectKeys: ['B'] }, now - 60 * day);
    await applyRetention({ retentionDays: 90, projects: [] }, now);
    expect(await rows()).toEqual([
      { issue_id: '1', issue_key: 'B-9' },
      { issue_id: '5', issue_key: 'A-5' },
    ]);
    // Retention of 30 days deletes that entry: nothing is left to name B-9. A move recorded
    // two hours ago stays (an entry written with its old key may be on its way).
    await applyRetention({ retentionDays: 30, projects: [] }, now);
    expect(await rows()).toEqual([{ issue_id: '5', issue_key: 'A-5' }]);
    expect(FORMER_KEY_MARGIN_MS).toBeGreaterThan(2 * 3_600_000);
  });
});
