/**
 * The review queue of a project reads its pairs in two disjoint sides: pairs whose first issue
 * is in the project (ordered reads of the (project_a, active, status, key) indexes), and
 * cross-project pairs whose second issue is in it and whose first is not (one ordered read of
 * the (project_b, project_a, active, status, score, id, …) index per other project, or one
 * range of it sorted when there are many). Since v019 the pairs table holds no (project_b,
 * active, status, key) sort index: these tests check the index set, and that lists, pages,
 * counts and the decision charts still hold every pair of the project once, in order.
 */
import { LocalForge } from '../../sandbox/runtime';
import { migrate } from '../../src/store/migrations';
import { upsertDocs, type DocWrite } from '../../src/store/docs';
import { upsertPairs, type PairWrite } from '../../src/store/pairs';
import {
  countPairs,
  decisionsByPerson,
  decisionsByWeek,
  listPairs,
  listPairsSortedAfter,
  MAX_SECOND_SIDE_PROJECTS,
  setPairStatus,
  weekStartOf,
  type PairQuery,
  type SortKeyset,
} from '../../src/store/review';
import type { ReviewStatus } from '../../src/shared/contract';
import { pipelineHandlers } from '../analysis/helpers';

/** Issues 1..18: each issue's project by its number (1-6 A, 7-12 B, 13-18 C). */
const projectOf = (n: number): string => (n <= 6 ? 'A' : n <= 12 ? 'B' : 'C');
const DAY = 86_400_000;

const doc = (n: number): DocWrite => ({
  id: String(n),
  key: `${projectOf(n)}-${n}`,
  projectKey: projectOf(n),
  type: n % 2 === 0 ? 'Bug' : 'Task',
  status: 'Open',
  statusCategory: 'new',
  // Dates in no relation to ids or scores, so that every sort order differs.
  createdMs: ((n * 7) % 19) * DAY,
  updatedMs: 100 * DAY + ((n * 11) % 23) * DAY,
  summary: `summary ${n}`,
  textHash: 'h',
  terms: `d${n}\ns x`,
});

interface Spec {
  a: number;
  b: number;
  score: number;
  tier: 'duplicate' | 'related';
  status: ReviewStatus;
  by?: string;
}

/**
 * Pairs inside A, across A and B both ways round (string order of the ids decides which issue
 * is first: '10' < '2'), inside B, across B and C, and inside C; ties in score; some decided.
 */
const SPECS: Spec[] = [
  { a: 1, b: 2, score: 0.9, tier: 'duplicate', status: 'pending' },
  { a: 1, b: 3, score: 0.7, tier: 'related', status: 'pending' },
  { a: 2, b: 4, score: 0.7, tier: 'duplicate', status: 'dismissed', by: 'u-1' },
  { a: 3, b: 5, score: 0.45, tier: 'duplicate', status: 'pending' },
  { a: 4, b: 6, score: 0.3, tier: 'related', status: 'confirmed', by: 'u-2' },
  { a: 10, b: 2, score: 0.85, tier: 'duplicate', status: 'pending' },
  { a: 11, b: 3, score: 0.6, tier: 'related', status: 'pending' },
  { a: 12, b: 5, score: 0.6, tier: 'duplicate', status: 'confirmed', by: 'u-1' },
  { a: 1, b: 7, score: 0.55, tier: 'duplicate', status: 'pending' },
  { a: 2, b: 8, score: 0.4, tier: 'related', status: 'pending' },
  { a: 6, b: 9, score: 0.35, tier: 'duplicate', status: 'dismissed', by: 'u-2' },
  { a: 7, b: 8, score: 0.95, tier: 'duplicate', status: 'pending' },
  { a: 9, b: 11, score: 0.5, tier: 'related', status: 'pending' },
  { a: 13, b: 8, score: 0.8, tier: 'duplicate', status: 'pending' },
  { a: 9, b: 14, score: 0.65, tier: 'related', status: 'confirmed', by: 'u-1' },
  { a: 13, b: 15, score: 0.75, tier: 'duplicate', status: 'pending' },
  { a: 16, b: 17, score: 0.2, tier: 'related', status: 'pending' },
  { a: 3, b: 16, score: 0.5, tier: 'duplicate', status: 'pending' },
  { a: 18, b: 4, score: 0.25, tier: 'related', status: 'dismissed', by: 'u-2' },
];

const pairIdOf = (s: Spec): string => {
  const [x, y] = [String(s.a), String(s.b)];
  return x < y ? `${x}-${y}` : `${y}-${x}`;
};
const created = (s: Spec): number => Math.max(doc(s.a).createdMs, doc(s.b).createdMs);
const updated = (s: Spec): number => Math.max(doc(s.a).updatedMs, doc(s.b).updatedMs);
const KEYS = { score: (s: Spec) => s.score, created, updated } as const;

describe('the review queue reads a project in two sides', () => {
  let forge: LocalForge;
  const decidedAt = 400 * DAY;

  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    await upsertDocs(Array.from({ length: 18 }, (_, i) => doc(i + 1)));
    const pairs: PairWrite[] = SPECS.map((s) => ({ a: String(s.a), b: String(s.b), projectA: projectOf(s.a), projectB: projectOf(s.b), score: s.score, tier: s.tier, reasons: [], clusterId: null }));
    await upsertPairs(pairs, 'run-1', 1);
    for (const s of SPECS) {
      if (s.status !== 'pending') expect(await setPairStatus(pairIdOf(s), s.status, s.by ?? null, decidedAt, 'pending')).toBe(true);
    }
  });
  afterAll(async () => forge?.stop({ drop: true }));

  /** What a query must find, worked out here from the specs rather than read back. */
  const touching = (project: string, visible: string[], status?: ReviewStatus): Spec[] =>
    SPECS.filter((s) => (projectOf(s.a) === project || projectOf(s.b) === project) && visible.includes(projectOf(s.a)) && visible.includes(projectOf(s.b)) && (status === undefined || s.status === status));
  const ordered = (specs: Spec[], sort: keyof typeof KEYS, order: 'asc' | 'desc'): string[] => {
    const asc = [...specs].sort((x, y) => KEYS[sort](x) - KEYS[sort](y) || (pairIdOf(x) < pairIdOf(y) ? -1 : 1)).map(pairIdOf);
    return order === 'asc' ? asc : asc.reverse();
  };

  it('keeps one sort index per key on the first project only, and one for the second that covers its filters and sort keys', async () => {
    const rows = (await forge.sql.query(
      "SELECT index_name AS x, column_name AS c FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'pairs' ORDER BY index_name, seq_in_index",
    )) as Array<{ x: string; c: string }>;
    const indexes = new Map<string, string[]>();
    for (const r of rows) indexes.set(r.x, [...(indexes.get(r.x) ?? []), r.c]);
    expect(Object.fromEntries(indexes)).toEqual({
      PRIMARY: ['id'],
      pairs_issue_a: ['issue_a'],
      pairs_issue_b: ['issue_b'],
      pairs_project_a: ['project_a', 'active', 'status', 'score'],
      pairs_project_a_created: ['project_a', 'active', 'status', 'created_ms'],
      pairs_project_a_updated: ['project_a', 'active', 'status', 'updated_ms'],
      pairs_project_b_cross: ['project_b', 'project_a', 'active', 'status', 'score', 'id', 'tier', 'created_ms', 'updated_ms'],
    });
  });

  /**
   * How the viewer's projects reach the store: each other project a side of its own; every
   * project said visible while the list lacks one (C), whose pairs the side for first issues
   * in no listed project holds; more projects than MAX_SECOND_SIDE_PROJECTS, one range.
   */
  const VISIBILITIES: Array<{ name: string; visible: string[]; all: boolean; sizes: number[] }> = [
    { name: 'A, B, C', visible: ['A', 'B', 'C'], all: true, sizes: [1, 3, 50] },
    { name: 'all, listed A, B', visible: ['A', 'B'], all: true, sizes: [3] },
    {
      name: 'many',
      visible: ['A', 'B', 'C', ...Array.from({ length: MAX_SECOND_SIDE_PROJECTS }, (_, i) => `P${i}`)],
      all: false,
      sizes: [3],
    },
  ];

  // One test per viewer and project, each with its own time: read in one test, the few thousand
  // pages took longer than a test's 60 s on a busy machine (the slowest case here took 19 s).
  const CASES = VISIBILITIES.flatMap((v) => ['A', 'B', 'C'].map((project) => ({ v, project, name: `${v.name}: project ${project}` })));
  it.each(CASES)('lists every pair touching the project once, in each sort order, page by page ($name)', async ({ v, project }) => {
    for (const status of ['pending', 'dismissed', undefined] as const) {
      const q: PairQuery = { visibleProjects: v.visible, allProjectsVisible: v.all, projectKey: project, status };
      for (const sort of ['score', 'created', 'updated'] as const) {
        for (const order of ['desc', 'asc'] as const) {
          const want = ordered(touching(project, ['A', 'B', 'C'], status), sort, order);
          for (const size of v.sizes) {
            const seen: string[] = [];
            for (let offset = 0; offset < want.length + size; offset += size) {
              seen.push(...(await listPairs(q, { sort, order, limit: size, offset })).map((p) => p.id));
            }
            expect([v.name, project, status, sort, order, size, seen]).toEqual([v.name, project, status, sort, order, size, want]);
          }
          // By keyset, as the export pages.
          const seen: string[] = [];
          let after: SortKeyset | null = null;
          for (let guard = 0; guard < 40; guard++) {
            const rows = await listPairsSortedAfter(q, { sort, order, after, limit: 2 });
            seen.push(...rows.map((r) => r.pair.id));
            const last = rows[rows.length - 1];
            if (rows.length < 2 || !last) break;
            after = { sk: last.sk, id: last.pair.id };
          }
          expect([v.name, project, status, sort, order, 'keyset', seen]).toEqual([v.name, project, status, sort, order, 'keyset', want]);
        }
      }
      expect([v.name, project, status, await countPairs(q)]).toEqual([v.name, project, status, touching(project, ['A', 'B', 'C'], status).length]);
    }
  });

  it('puts possible duplicates first across both sides', async () => {
    const q: PairQuery = { visibleProjects: ['A', 'B', 'C'], allProjectsVisible: true, projectKey: 'A', status: 'pending' };
    const rank = (s: Spec) => (s.tier === 'duplicate' ? 1 : 0);
    const want = [...touching('A', ['A', 'B', 'C'], 'pending')]
      .sort((x, y) => rank(y) - rank(x) || y.score - x.score || (pairIdOf(x) < pairIdOf(y) ? 1 : -1))
      .map(pairIdOf);
    expect((await listPairs(q, { sort: 'likely', order: 'desc', limit: 50, offset: 0 })).map((p) => p.id)).toEqual(want);
    const paged: string[] = [];
    for (let offset = 0; offset < want.length; offset += 2) paged.push(...(await listPairs(q, { sort: 'likely', order: 'desc', limit: 2, offset })).map((p) => p.id));
    expect(paged).toEqual(want);
  });

  it('leaves out pairs with an issue in a project the viewer may not browse, on both sides', async () => {
    for (const project of ['A', 'B']) {
      const q: PairQuery = { visibleProjects: ['A', 'B'], allProjectsVisible: false, projectKey: project };
      const want = ordered(touching(project, ['A', 'B']), 'created', 'desc');
      expect(want.length).toBeGreaterThan(0);
      expect((await listPairs(q, { sort: 'created', order: 'desc', limit: 50, offset: 0 })).map((p) => p.id)).toEqual(want);
      expect(await countPairs(q)).toBe(want.length);
    }
  });

  it('charts the decisions of both sides, by week and by person', async () => {
    for (const project of ['A', 'B', 'C']) {
      const decided = touching(project, ['A', 'B', 'C']).filter((s) => s.status !== 'pending');
      const q: PairQuery = { visibleProjects: ['A', 'B', 'C'], allProjectsVisible: true, projectKey: project };
      const count = (specs: Spec[], status: ReviewStatus) => specs.filter((s) => s.status === status).length;
      expect([project, await decisionsByWeek(q, decidedAt - 14 * DAY)]).toEqual([
        project,
        [{ weekStartMs: weekStartOf(decidedAt), confirmed: count(decided, 'confirmed'), dismissed: count(decided, 'dismissed') }],
      ]);
      const people = ['u-1', 'u-2']
        .map((who) => ({ accountId: who, confirmed: count(decided.filter((s) => s.by === who), 'confirmed'), dismissed: count(decided.filter((s) => s.by === who), 'dismissed') }))
        .filter((p) => p.confirmed + p.dismissed > 0)
        .sort((x, y) => y.confirmed + y.dismissed - (x.confirmed + x.dismissed) || (x.accountId < y.accountId ? -1 : 1));
      expect([project, await decisionsByPerson(q, decidedAt - 14 * DAY)]).toEqual([project, people]);
      // Nothing decided since after the decisions.
      expect(await decisionsByWeek(q, decidedAt + 14 * DAY)).toEqual([]);
    }
  });
});
