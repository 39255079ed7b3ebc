/** The review queue's doc columns on pairs (created_ms, updated_ms, type_a/_b, cat_a/_b) follow their docs. */
import { LocalForge } from '../../sandbox/runtime';
import { migrate } from '../../src/store/migrations';
import { upsertDocs } from '../../src/store/docs';
import { backfillPairDocColumns, upsertPairs } from '../../src/store/pairs';
import { countPairs, listPairs } from '../../src/store/review';
import { pipelineHandlers } from '../analysis/helpers';
import { doc, pair } from './support/fixtures';

describe('pair doc columns', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  async function cols(id: string): Promise<Record<string, unknown>> {
    const rows = (await forge.sql.query('SELECT created_ms, updated_ms, type_a, type_b, cat_a, cat_b FROM pairs WHERE id = ?', [id])) as Array<Record<string, unknown>>;
    const r = rows[0] ?? {};
    return { created: Number(r['created_ms']), updated: Number(r['updated_ms']), typeA: r['type_a'], typeB: r['type_b'], catA: r['cat_a'], catB: r['cat_b'] };
  }

  const q = { visibleProjects: ['A'], allProjectsVisible: true, projectKey: 'A', status: 'pending' as const };
  const page = (sort: 'created' | 'updated', order: 'asc' | 'desc' = 'desc') => ({ sort, order, limit: 10, offset: 0 });

  it('are written with the pair and follow doc changes', async () => {
    await upsertDocs([doc('1'), doc('2', { type: 'Bug', status: 'Done', statusCategory: 'done' }), doc('3', { updatedMs: 99_000 })]);
    await upsertPairs([pair('2', '1', 0.5), pair('1', '3', 0.4, 'related')], 'run-1', 1);
    expect(await cols('1-2')).toEqual({ created: 2000, updated: 2500, typeA: 'Task', typeB: 'Bug', catA: 'new', catB: 'done' });
    expect(await cols('1-3')).toEqual({ created: 3000, updated: 99_000, typeA: 'Task', typeB: 'Task', catA: 'new', catB: 'new' });
    expect((await listPairs(q, page('created'))).map((p) => p.id)).toEqual(['1-3', '1-2']);
    expect((await listPairs(q, page('updated', 'asc'))).map((p) => p.id)).toEqual(['1-2', '1-3']);
    expect(await countPairs({ ...q, types: ['Bug'] })).toBe(1);
    expect(await countPairs({ ...q, statusCategories: ['done'] })).toBe(1);

    // Issue 1 changes type, status and dates: both of its pairs follow.
    await upsertDocs([doc('1', { type: 'Bug', statusCategory: 'done', createdMs: 50_000, updatedMs: 200_000, terms: null })]);
    expect(await cols('1-2')).toEqual({ created: 50_000, updated: 200_000, typeA: 'Bug', typeB: 'Bug', catA: 'done', catB: 'done' });
    expect(await cols('1-3')).toEqual({ created: 50_000, updated: 200_000, typeA: 'Bug', typeB: 'Task', catA: 'done', catB: 'new' });
    expect(await countPairs({ ...q, types: ['Bug'] })).toBe(2);
    expect(await countPairs({ ...q, types: ['Task'], statusCategories: ['new'] })).toBe(1);
    expect(await countPairs({ ...q, search: 'summary' })).toBe(2);
  });

  it('backfills pairs stored before the columns existed', async () => {
    await forge.sql.query("UPDATE pairs SET created_ms = 0, updated_ms = 0, type_a = '', type_b = '', cat_a = '', cat_b = ''");
    expect(await backfillPairDocColumns()).toBe(2);
    expect(await cols('1-2')).toEqual({ created: 50_000, updated: 200_000, typeA: 'Bug', typeB: 'Bug', catA: 'done', catB: 'done' });
  });
});
