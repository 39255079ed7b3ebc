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
    expect(await tables()).toEqual(['__migrations', 'actions', 'deleted_issues', 'docs', 'former_keys', 'left_scope', 'migration_claims', 'pairs', 'personal_data_accounts', 'personal_data_report', 'run_batches', 'runs', 'scope_locks', 'settings_writes']);
  });

  it('v019 replaces the three (project_b, active, status, key) indexes of a table that has them, and an earlier v019 index, keeping its rows', async () => {
    const indexes = async (): Promise<string[]> => {
      const rows = (await forge.sql.query(
        "SELECT DISTINCT index_name AS x FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'pairs' AND index_name LIKE 'pairs_project_b%' ORDER BY index_name",
      )) as Array<{ x: string }>;
      return rows.map((r) => r.x);
    };
    // The pairs table as a site has it before v019 (v001 and v003 made these), with a row;
    // and the narrower (project_b, project_a, active, status) an unreleased build of v019 made.
    await forge.sql.query(`ALTER TABLE pairs DROP INDEX pairs_project_b_cross,
      ADD INDEX pairs_project_b_a (project_b, project_a, active, status),
      ADD INDEX pairs_project_b (project_b, active, status, score),
      ADD INDEX pairs_project_b_created (project_b, active, status, created_ms),
      ADD INDEX pairs_project_b_updated (project_b, active, status, updated_ms)`);
    await forge.sql.query("DELETE FROM __migrations WHERE name = 'v019-pairs-project-b-cross'");
    await forge.sql.query(
      `INSERT INTO pairs (id, issue_a, issue_b, project_a, project_b, score, tier, reasons, active, status, first_run, last_run, first_seen_ms, last_seen_ms)
       VALUES ('1-2', '1', '2', 'A', 'B', 0.5, 'duplicate', '', 1, 'pending', 'r', 'r', 1, 1)`,
    );
    expect(await indexes()).toEqual(['pairs_project_b', 'pairs_project_b_a', 'pairs_project_b_created', 'pairs_project_b_updated']);

    expect(await migrate()).toEqual(['v019-pairs-project-b-cross']);
    expect(await indexes()).toEqual(['pairs_project_b_cross']);
    // Run again (a concurrent pass, a lost record of it): nothing to do, nothing fails.
    const v019 = MIGRATIONS.find((m) => m.name === 'v019-pairs-project-b-cross');
    await forge.sql.query(v019?.ddl ?? 'missing');
    expect(await indexes()).toEqual(['pairs_project_b_cross']);
    expect(await forge.sql.query("SELECT id FROM pairs WHERE project_b = 'B' AND project_a <> 'B' AND active = 1 AND status = 'pending'")).toEqual([{ id: '1-2' }]);
    await forge.sql.query('DELETE FROM pairs');
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
