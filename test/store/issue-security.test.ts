/**
 * The store's side of issue security: which issues carry a level, and the filters that
 * leave secured issues out of counts and the history (by id, or by whole level when there
 * are too many to check one by one). MariaDB, through the app's own store.
 */
import { LocalForge } from '../../sandbox/runtime';
import { appendAction, listActions } from '../../src/store/actions';
import { upsertDocs, type DocWrite } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { upsertPairs } from '../../src/store/pairs';
import { countPairs, listPairs, securedDocs, securedGroups } from '../../src/store/review';
import { pipelineHandlers } from '../analysis/helpers';

const doc = (id: string, projectKey: string, securityLevel = ''): DocWrite => ({
  id,
  key: `${projectKey}-${id}`,
  projectKey,
  type: 'Bug',
  status: 'Open',
  statusCategory: 'new',
  createdMs: 1000,
  updatedMs: 2000,
  summary: `summary ${id}`,
  textHash: `h${id}`,
  terms: `d1\ns x${id}`,
  securityLevel,
});

describe('issue security in the store', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    // A: 1 and 2 open, 3 and 4 under level 900, 5 under level 901. B: 6 open, 7 under 900.
    await upsertDocs([doc('1', 'A'), doc('2', 'A'), doc('3', 'A', '900'), doc('4', 'A', '900'), doc('5', 'A', '901'), doc('6', 'B'), doc('7', 'B', '900')]);
    const pair = (a: string, b: string, pa = 'A', pb = 'A') => ({ a, b, projectA: pa, projectB: pb, score: 0.6, tier: 'duplicate' as const, reasons: [], clusterId: null });
    await upsertPairs([pair('1', '2'), pair('1', '3'), pair('3', '4'), pair('2', '5'), pair('1', '6', 'A', 'B'), pair('6', '7', 'B', 'B')], 'run-1', 1);
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const all = { visibleProjects: ['A', 'B'], allProjectsVisible: true };

  it('lists the secured issues of the given projects by id, one past the limit to say there are more', async () => {
    expect((await securedDocs(['A'], 10)).map((d) => [d.id, d.key, d.level])).toEqual([
      ['3', 'A-3', '900'],
      ['4', 'A-4', '900'],
      ['5', 'A-5', '901'],
    ]);
    expect((await securedDocs(['A', 'B'], 1)).map((d) => d.id)).toEqual(['3', '4']);
    expect(await securedDocs([], 10)).toEqual([]);
    expect(await securedGroups(['A', 'B'], 1)).toEqual([
      { projectKey: 'A', level: '900', ids: ['3'] },
      { projectKey: 'A', level: '901', ids: ['5'] },
      { projectKey: 'B', level: '900', ids: ['7'] },
    ]);
  });

  it('keeps the level when the text is unchanged, and follows a level changed in Jira', async () => {
    await upsertDocs([{ ...doc('4', 'A', '900'), terms: null }]);
    expect((await securedDocs(['A'], 10)).map((d) => d.id)).toContain('4');
    await upsertDocs([{ ...doc('4', 'A', ''), terms: null }]);
    expect((await securedDocs(['A'], 10)).map((d) => d.id)).not.toContain('4');
    await upsertDocs([{ ...doc('4', 'A', '900'), terms: null }]);
  });

  it('leaves pairs with hidden issues out of counts and lists, by id or by whole level of a project', async () => {
    expect(await countPairs(all)).toBe(6);
    expect(await countPairs({ ...all, hiddenIssueIds: ['3'] })).toBe(4);
    // Level 900 of A hidden: 3 and 4 go, B's 7 (same level, other project) stays.
    const byLevel = { ...all, hiddenLevels: [{ projectKey: 'A', level: '900' }] };
    expect(await countPairs(byLevel)).toBe(4);
    expect((await listPairs(byLevel, { sort: 'score', order: 'desc', limit: 10, offset: 0 })).map((p) => p.id).sort()).toEqual(['1-2', '1-6', '2-5', '6-7']);
    expect(await countPairs({ ...all, hiddenIssueIds: ['5'], hiddenLevels: [{ projectKey: 'A', level: '900' }, { projectKey: 'B', level: '900' }] })).toBe(2);
    // The page's project and the project filter still apply beside them.
    expect(await countPairs({ visibleProjects: ['A'], projectKey: 'A', hiddenIssueIds: ['3'] })).toBe(2);
  });

  it('leaves out history entries naming a hidden issue, or any issue of a project with a hidden level', async () => {
    await appendAction({ action: 'dismiss', actorAccountId: 'u', issueKeys: ['A-1', 'A-3'], projectKeys: ['A'] });
    await appendAction({ action: 'dismiss', actorAccountId: 'u', issueKeys: ['A-13', 'A-1'], projectKeys: ['A'] });
    await appendAction({ action: 'confirm', actorAccountId: 'u', issueKeys: ['B-6', 'B-7'], projectKeys: ['B'] });
    await appendAction({ action: 'run.start', actorAccountId: 'u', issueKeys: [], projectKeys: ['A'] });
    const keys = async (opts: Parameters<typeof listActions>[0]) => (await listActions({ projectKeys: ['A', 'B'], ...opts })).items.map((a) => a.issueKeys.join(',')).sort();
    expect(await keys({})).toEqual(['', 'A-1,A-3', 'A-13,A-1', 'B-6,B-7']);
    // A-3 is hidden; A-13 is another issue whose key starts the same.
    expect(await keys({ hiddenKeys: ['A-3'] })).toEqual(['', 'A-13,A-1', 'B-6,B-7']);
    expect((await listActions({ projectKeys: ['A', 'B'], hiddenKeys: ['A-3', 'B-7'] })).total).toBe(2);
    expect(await keys({ hiddenProjects: ['A'] })).toEqual(['', 'B-6,B-7']);
    // Many hidden keys are sent as several patterns, all applied.
    const many = [...Array.from({ length: 450 }, (_, i) => `Z-${i}`), 'B-7'];
    expect(await keys({ hiddenKeys: many })).toEqual(['', 'A-1,A-3', 'A-13,A-1']);
  });
});
