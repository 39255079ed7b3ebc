/**
 * The baseline (src/store/baseline.ts) against the migrations it stands for, on real MariaDB:
 * one database built through every migration one by one, as an old site has it, one through the
 * baseline and the migrations after it, as a fresh install has it. Their columns (type,
 * nullability, default, order), indexes (columns in order) and primary keys must be the same;
 * the failure lists each difference by table and column or index. A migration the baseline
 * covers, edited without the baseline following, fails here (and the baseline edited alone);
 * a migration appended after BASELINE_THROUGH runs on both and needs no baseline change.
 */
import { LocalForge } from '../../sandbox/runtime';
import { BASELINE_TABLES, BASELINE_THROUGH } from '../../src/store/baseline';
import { baselineCovers, migrate, MIGRATIONS } from '../../src/store/migrations';
import { pipelineHandlers } from '../analysis/helpers';
import { readSchema, schemaDiff, scratchDatabase, type Query } from './support/schema';

type Scratch = Awaited<ReturnType<typeof scratchDatabase>>;

async function run(query: Query, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await query(statement);
}

const afterBaseline = (): string[] => MIGRATIONS.slice(baselineCovers().length).map((m) => m.ddl);

describe('schema drift: the baseline against the migrations one by one', () => {
  let oneByOne: Scratch;
  let fromBaseline: Scratch;

  beforeAll(async () => {
    oneByOne = await scratchDatabase();
    fromBaseline = await scratchDatabase();
    await run(oneByOne.query, MIGRATIONS.map((m) => m.ddl));
    await run(fromBaseline.query, [...BASELINE_TABLES.map((t) => t.ddl), ...afterBaseline()]);
  }, 60_000);
  afterAll(async () => {
    await oneByOne?.drop();
    await fromBaseline?.drop();
  });

  it('the baseline covers the migrations through its last one, one CREATE TABLE per table', () => {
    const covers = baselineCovers();
    expect(covers[covers.length - 1]).toBe(BASELINE_THROUGH);
    for (const t of BASELINE_TABLES) expect(t.ddl).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS ${t.table} \\(`));
    expect(new Set(BASELINE_TABLES.map((t) => t.table)).size).toBe(BASELINE_TABLES.length);
  });

  it('both databases have the same tables, columns, indexes and primary keys', async () => {
    const diff = schemaDiff(await readSchema(oneByOne.query), await readSchema(fromBaseline.query), 'migrations', 'baseline');
    expect(diff).toEqual([]);
  });

  it('a fresh install through the app (the baseline, recorded) has that schema too', async () => {
    const forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    try {
      await migrate();
      const installed = await readSchema((q, p) => forge.sql.query(q, p), ['__migrations']);
      expect(schemaDiff(await readSchema(oneByOne.query), installed, 'migrations', 'fresh install')).toEqual([]);
      const recorded = (await forge.sql.query('SELECT name FROM __migrations ORDER BY id')) as Array<{ name: string }>;
      expect(recorded.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await forge.stop({ drop: true });
    }
  }, 60_000);

  it('names what differs: a column, its default, an index and its column order', async () => {
    const drifted = await scratchDatabase();
    try {
      await run(drifted.query, [...BASELINE_TABLES.map((t) => t.ddl), ...afterBaseline()]);
      await drifted.query('ALTER TABLE pairs MODIFY COLUMN moved_ms BIGINT NOT NULL DEFAULT 1');
      await drifted.query('ALTER TABLE docs DROP COLUMN summary_folded');
      await drifted.query('ALTER TABLE docs DROP INDEX docs_security, ADD INDEX docs_security (project_key, security_level)');
      const diff = schemaDiff(await readSchema(oneByOne.query), await readSchema(drifted.query), 'migrations', 'baseline');
      expect(diff).toEqual([
        'column docs.summary_folded: only in migrations (#19 varchar(1020) NULL DEFAULT NULL utf8mb4_bin)',
        'index docs.docs_security: migrations (security_level, project_key), baseline (project_key, security_level)',
        'column pairs.moved_ms: migrations #28 bigint(20) NOT NULL DEFAULT 0, baseline #28 bigint(20) NOT NULL DEFAULT 1',
      ]);
    } finally {
      await drifted.drop();
    }
  }, 60_000);
});
