/**
 * A busy site between an upgrade's deploy and its lifecycle event: many requests meet the
 * previous version's schema at once. With Forge SQL's 25 DDL requests a minute enforced, they
 * all succeed, and the pending DDL is sent once (the claim in src/store/migration-claim.ts,
 * v017), also on a site whose claim table is not there yet.
 *
 * The schema is built by a first runtime without the limit, then this file's runtime opens the
 * same database with the limit on, so the tests start with an empty minute.
 */
import { generateDatabaseName } from '../../sandbox/runtime/sql/sql-server';
import { LocalForge } from '../../sandbox/runtime';
import { countDocs, upsertDocs } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { pipelineHandlers } from '../analysis/helpers';
import { doc } from './support/fixtures';
import { beforeV013, isDdl, LINKS_MS_DDL, recordStatements } from './support/migration';

describe('a burst of requests meeting the old schema, with 25 DDL requests a minute enforced', () => {
  let forge: LocalForge;
  const seen = recordStatements(() => forge);

  beforeAll(async () => {
    const database = generateDatabaseName();
    const setup = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false, database });
    await migrate();
    await setup.stop();
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false, database, enforceSqlRateLimits: true });
  });
  afterAll(async () => forge?.stop({ drop: true }));

  it('sends the pending DDL once: one pass of three DDL requests, every request succeeds', async () => {
    await beforeV013(forge);
    // The pass's DDL is held for a second, so the other requests arrive while it runs.
    const held = forge.sql.faults.holdNext(LINKS_MS_DDL, 1000);
    const writes = Array.from({ length: 20 }, (_, n) => upsertDocs([doc(String(100 + n))]));
    await held;
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await countDocs(['A'])).toBe(20);
    expect(seen.filter((q) => LINKS_MS_DDL.test(q))).toHaveLength(1);
    // The runner's CREATE of __migrations, its list of applied migrations, the ALTER.
    expect(seen.filter(isDdl)).toHaveLength(3);
    expect(forge.sql.stats().peakDdlPerMinute).toBe(3);
    expect(await forge.sql.query('SELECT name FROM __migrations WHERE name = ?', ['v013-docs-links-ms'])).toHaveLength(1);
    expect(await forge.sql.query('SELECT k FROM migration_claims')).toEqual([]);
  }, 60_000);

  it('requests arriving while the lifecycle event migrates wait for its pass', async () => {
    await beforeV013(forge);
    const held = forge.sql.faults.holdNext(LINKS_MS_DDL, 1000);
    const lifecycle = forge.runLifecycle('upgraded');
    await held;
    const writes = Array.from({ length: 10 }, (_, n) => upsertDocs([doc(String(200 + n))]));
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect((await lifecycle).map((o) => [o.delivered, o.error])).toEqual([[true, undefined]]);
    expect(await countDocs(['A'])).toBe(30);
    expect(seen.filter((q) => LINKS_MS_DDL.test(q))).toHaveLength(1);
    expect(seen.filter(isDdl)).toHaveLength(3);
  }, 60_000);

  it('on a site that has not applied v017, each request creates the claim table at most, and the pass runs once', async () => {
    await beforeV013(forge);
    await forge.sql.query('DROP TABLE migration_claims');
    await forge.sql.query("DELETE FROM __migrations WHERE name = 'v017-migration-claims'");
    const held = forge.sql.faults.holdNext(LINKS_MS_DDL, 1000);
    const writes = Array.from({ length: 8 }, (_, n) => upsertDocs([doc(String(300 + n))]));
    await held;
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await countDocs(['A'])).toBe(38);
    expect(seen.filter((q) => LINKS_MS_DDL.test(q))).toHaveLength(1);
    const creates = seen.filter((q) => /CREATE TABLE IF NOT EXISTS migration_claims/.test(q)).length;
    expect(creates).toBeGreaterThanOrEqual(1);
    expect(creates).toBeLessThanOrEqual(8 + 1);
    // One pass: the runner's two requests once (the claim table's CREATE is counted above).
    expect(seen.filter((q) => /__migrations/.test(q) && isDdl(q))).toHaveLength(2);
    expect(await forge.sql.query('SELECT name FROM __migrations WHERE name = ?', ['v017-migration-claims'])).toHaveLength(1);
  }, 60_000);
});
