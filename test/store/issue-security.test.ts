/**
 * The store's side of issue security: which issues carry a level, and the filters that
 * leave secured issues out of counts and the history (by id, or by whole level when there
 * are too many to check one by one). MariaDB, through the app's own store.
 */
import { LocalForge } from '../../sandbox/runtime';
import { appendAction, backfillActionIssueIds, listActions } from '../../src/store/actions';
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

  it('checks every issue an entry names by id, as the issue stands now, with the pages and totals to match', async () => {
    // 7 was A-77 when the Confirm of 1 and 2 was joined through it; it is B-7 now, under B's level 900.
    await appendAction({ action: 'confirm', actorAccountId: 'ids', pairId: '1-2', issueKeys: ['A-1', 'A-2', 'A-77'], issueIds: ['1', '2', '7'], projectKeys: ['A'], detail: 'through A-77' }, 10_000);
    await appendAction({ action: 'dismiss', actorAccountId: 'ids', pairId: '1-2', issueKeys: ['A-1', 'A-2'], projectKeys: ['A'], detail: 'pair' }, 10_001);
    await appendAction({ action: 'run.start', actorAccountId: 'ids', projectKeys: ['A'], detail: 'run' }, 10_002);
    // Keys without ids (and no pair to tell them by): not known.
    await appendAction({ action: 'cluster.link', actorAccountId: 'ids', issueKeys: ['A-1', 'A-2', 'A-6'], projectKeys: ['A'], detail: 'cluster' }, 10_003);
    const seen = async (opts: Parameters<typeof listActions>[0]) => {
      const listed = await listActions({ actor: 'ids', projectKeys: ['A', 'B'], namedIssues: { hiddenLevels: [], seesEverything: false }, ...opts });
      return { details: listed.items.map((a) => a.detail ?? ''), total: listed.total };
    };
    // Nothing hidden by a level: all but the entry whose issues are not known.
    expect(await seen({})).toEqual({ details: ['run', 'pair', 'through A-77'], total: 3 });
    // The key-based filters alone miss it: A-77 is no key of a hidden project or issue.
    expect((await seen({ hiddenProjects: ['B'], namedIssues: { hiddenLevels: [], seesEverything: false } })).details).toContain('through A-77');
    // By id: a level hidden whole, the issue hidden itself, or its project not browsable.
    expect(await seen({ namedIssues: { hiddenLevels: [{ projectKey: 'B', level: '900' }], seesEverything: false } })).toEqual({ details: ['run', 'pair'], total: 2 });
    expect(await seen({ hiddenIds: ['7'] })).toEqual({ details: ['run', 'pair'], total: 2 });
    expect(await seen({ projectKeys: ['A'] })).toEqual({ details: ['run', 'pair'], total: 2 });
    // A level of another project (A's 900) hides nothing here: 7 is B's now.
    expect((await seen({ namedIssues: { hiddenLevels: [{ projectKey: 'A', level: '900' }], seesEverything: false } })).details).toContain('through A-77');
    // Pages of one entry each, over the same entries the total counts.
    const hidden = { namedIssues: { hiddenLevels: [{ projectKey: 'B', level: '900' }], seesEverything: false } };
    const pages = [await listActions({ actor: 'ids', projectKeys: ['A', 'B'], ...hidden, page: 1, pageSize: 1 }), await listActions({ actor: 'ids', projectKeys: ['A', 'B'], ...hidden, page: 2, pageSize: 1 }), await listActions({ actor: 'ids', projectKeys: ['A', 'B'], ...hidden, page: 3, pageSize: 1 })];
    expect(pages.map((p) => [p.items.map((a) => a.detail), p.total])).toEqual([[['run'], 2], [['pair'], 2], [[], 2]]);
    // Someone who sees every issue reads all of them.
    expect((await seen({ projectKeys: null, namedIssues: { hiddenLevels: [], seesEverything: true } })).total).toBe(4);
  });

  it('fills the ids of entries written before v023 where the entry tells them, and shows the rest only to those who see everything', async () => {
    const old = async (id: string, pairId: string | null, keys: string) =>
      forge.sql.query("INSERT INTO actions (id, at_ms, actor, action, pair_id, issue_keys, project_key, detail) VALUES (?, 20000, 'old', 'confirm', ?, ?, 'A', ?)", [id, pairId, keys, id]);
    await old('old-none', null, '');
    await old('old-pair', '1-2', 'A-1,A-2');
    await old('old-joined', '1-2', 'A-1,A-2,A-77');
    await old('old-cluster', null, 'A-1,A-2');
    expect(await backfillActionIssueIds()).toBeGreaterThanOrEqual(1);
    const rows = (await forge.sql.query("SELECT id, issue_ids FROM actions WHERE actor = 'old' ORDER BY id")) as Array<{ id: string; issue_ids: string | null }>;
    expect(rows.map((r) => [r.id, r.issue_ids])).toEqual([
      ['old-cluster', null],
      ['old-joined', null],
      ['old-none', null],
      ['old-pair', ',1,2,'],
    ]);
    // Those naming issues not known by id are shown only to someone who sees everything; one naming none, to all.
    const listed = async (seesEverything: boolean) =>
      (await listActions({ actor: 'old', projectKeys: ['A', 'B'], namedIssues: { hiddenLevels: [], seesEverything } })).items.map((a) => a.detail).sort();
    expect(await listed(false)).toEqual(['old-none', 'old-pair']);
    expect(await listed(true)).toEqual(['old-cluster', 'old-joined', 'old-none', 'old-pair']);
    expect(await backfillActionIssueIds()).toBe(0);
  });
});
