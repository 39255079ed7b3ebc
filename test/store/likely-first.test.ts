/**
 * "Possible duplicates first" (sort `likely`): the duplicate tier by score, then the related
 * tier by score, across page boundaries, by offset (the queue) and by keyset (the export).
 */
import { LocalForge } from '../../sandbox/runtime';
import { migrate } from '../../src/store/migrations';
import { upsertDocs, type DocWrite } from '../../src/store/docs';
import { upsertPairs, type PairWrite } from '../../src/store/pairs';
import { countPairs, listPairs, listPairsSortedAfter, type PairQuery, type SortKeyset } from '../../src/store/review';
import { pipelineHandlers } from '../analysis/helpers';

const doc = (n: number): DocWrite => ({
  id: String(n),
  key: `L-${n}`,
  projectKey: 'L',
  type: 'Bug',
  status: 'Open',
  statusCategory: 'new',
  createdMs: n * 1000,
  updatedMs: n * 1000,
  summary: `summary ${n}`,
  textHash: 'h',
  terms: `d${n}\ns x`,
});

// Issue 1 paired with 2..13: scores and tiers chosen so that related pairs score above
// duplicates (0.93, 0.90 related against 0.89 and below duplicate), with a tie in score.
const SPEC: Array<[number, number, 'duplicate' | 'related']> = [
  [2, 0.95, 'duplicate'],
  [3, 0.93, 'related'],
  [4, 0.9, 'related'],
  [5, 0.89, 'duplicate'],
  [6, 0.7, 'duplicate'],
  [7, 0.7, 'duplicate'],
  [8, 0.6, 'duplicate'],
  [9, 0.5, 'duplicate'],
  [10, 0.44, 'related'],
  [11, 0.41, 'related'],
  [12, 1, 'related'],
  [13, 0.46, 'duplicate'],
];

describe('possible duplicates first', () => {
  let forge: LocalForge;
  const q: PairQuery = { visibleProjects: ['L'], allProjectsVisible: true, projectKey: 'L', status: 'pending' };
  const pairId = (b: number) => `1-${b}`;
  // What the order must be, worked out here from the spec rather than read back.
  const expected = (order: 'asc' | 'desc'): string[] => {
    const rank = (t: string) => (t === 'duplicate' ? 1 : 0);
    const sorted = [...SPEC].sort((x, y) => rank(x[2]) - rank(y[2]) || x[1] - y[1] || pairId(x[0]).localeCompare(pairId(y[0])));
    const ids = sorted.map(([b]) => pairId(b));
    return order === 'asc' ? ids : ids.reverse();
  };

  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    await upsertDocs(Array.from({ length: 13 }, (_, i) => doc(i + 1)));
    const pairs: PairWrite[] = SPEC.map(([b, score, tier]) => ({ a: '1', b: String(b), projectA: 'L', projectB: 'L', score, tier, reasons: [], clusterId: null }));
    await upsertPairs(pairs, 'run-1', 1);
  });
  afterAll(async () => forge?.stop({ drop: true }));

  it('puts every pair of the duplicate tier before the related ones, each tier by score', async () => {
    const all = (await listPairs(q, { sort: 'likely', order: 'desc', limit: 50, offset: 0 })).map((p) => p.id);
    expect(all).toEqual(expected('desc'));
    expect(all.slice(0, 3)).toEqual(['1-2', '1-5', '1-7']);
    // By plain score, the related 1-12 (100 %) comes first.
    expect((await listPairs(q, { sort: 'score', order: 'desc', limit: 1, offset: 0 }))[0]?.id).toBe('1-12');
  });

  it('pages across the boundary between the tiers by offset, every pair once', async () => {
    for (const order of ['desc', 'asc'] as const) {
      for (const size of [1, 3, 5, 7]) {
        const seen: string[] = [];
        for (let offset = 0; offset < SPEC.length + size; offset += size) {
          seen.push(...(await listPairs(q, { sort: 'likely', order, limit: size, offset })).map((p) => p.id));
        }
        expect([size, order, seen]).toEqual([size, order, expected(order)]);
      }
    }
  });

  it('follows a keyset across the tiers (the export), every pair once', async () => {
    for (const order of ['desc', 'asc'] as const) {
      for (const size of [1, 2, 4]) {
        const seen: string[] = [];
        let after: SortKeyset | null = null;
        for (let guard = 0; guard < 50; guard++) {
          const rows = await listPairsSortedAfter(q, { sort: 'likely', order, after, limit: size });
          seen.push(...rows.map((r) => r.pair.id));
          const last = rows[rows.length - 1];
          if (rows.length < size || !last) break;
          after = { sk: last.sk, id: last.pair.id, tier: last.pair.tier as 'duplicate' | 'related' };
        }
        expect([size, order, seen]).toEqual([size, order, expected(order)]);
      }
    }
  });

  it('keeps to one tier when the tier is filtered, and counts as the other orders do', async () => {
    const related = (await listPairs({ ...q, tier: 'related' }, { sort: 'likely', order: 'desc', limit: 50, offset: 0 })).map((p) => p.id);
    expect(related).toEqual(expected('desc').filter((id) => SPEC.find(([b]) => pairId(b) === id)?.[2] === 'related'));
    expect(await countPairs(q)).toBe(SPEC.length);
  });
});
