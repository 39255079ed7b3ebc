/** Migrations are idempotent, safe to run concurrently, and run lazily when a table is missing. */
import { LocalForge } from '../../sandbox/runtime';
import { migrate, MIGRATIONS } from '../../src/store/migrations';
import { countDocs, upsertDocs } from '../../src/store/docs';
import { pipelineHandlers } from '../analysis/helpers';

describe('migrations', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
  });
  afterAll(async () => forge?.stop({ drop: true }));

  async function tables(): Promise<string[]> {
    const rows = (await forge.sql.query('SHOW TABLES')) as Array<Record<string, string>>;
    return rows.map((r) => Object.values(r)[0] ?? '').sort();
  }

  it('applies every migration once, then nothing; concurrent runs all succeed', async () => {
    const first = await migrate();
    expect(first).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate()).toEqual([]);
    await expect(Promise.all([migrate(), migrate(), migrate()])).resolves.toBeDefined();
    expect(await tables()).toEqual(['__migrations', 'actions', 'deleted_issues', 'docs', 'left_scope', 'migration_claims', 'pairs', 'run_batches', 'runs', 'scope_locks', 'settings_writes']);
  });

  it('recreates a missing table on first use (lazy migration)', async () => {
    await forge.sql.query('DROP TABLE docs');
    await forge.sql.query("DELETE FROM __migrations WHERE name LIKE 'v0__-docs%'");
    await upsertDocs([
      { id: '1', key: 'A-1', projectKey: 'A', type: 'Bug', status: 'Open', statusCategory: 'new', createdMs: 1, updatedMs: 2, summary: 's', textHash: 'h', terms: 'd1\ns x' },
    ]);
    expect(await countDocs(['A'])).toBe(1);
  });

  it('adds a missing column on first use (an upgrade deployed before its lifecycle event migrated)', async () => {
    // The docs table as it was before v013: no links_ms, and no record of the migration.
    await forge.sql.query('ALTER TABLE docs DROP COLUMN links_ms');
    await forge.sql.query("DELETE FROM __migrations WHERE name = 'v013-docs-links-ms'");
    await upsertDocs([
      { id: '2', key: 'A-2', projectKey: 'A', type: 'Bug', status: 'Open', statusCategory: 'new', createdMs: 1, updatedMs: 2, summary: 's', textHash: 'h', terms: 'd1\ns x' },
    ]);
    expect(await countDocs(['A'])).toBe(2);
    const applied = await forge.sql.query("SELECT name FROM __migrations WHERE name = 'v013-docs-links-ms'");
    expect(applied).toHaveLength(1);
  });

  it('the lifecycle trigger migrates', async () => {
    const outcomes = await forge.runLifecycle('upgraded');
    expect(outcomes.every((o) => o.delivered)).toBe(true);
  });
});
