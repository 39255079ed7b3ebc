/**
 * Installs and upgrades with Forge SQL's 25 DDL requests a minute enforced. A fresh install
 * creates the schema from the baseline (src/store/baseline.ts) in a dozen DDL requests; an
 * old site still runs its pending migrations one by one; and a pass that meets the limit stops
 * cleanly, leaving the rest to the next one, rather than fail and send the whole pass again.
 */
import { sql } from '@forge/sql';
import { LocalForge } from '../../sandbox/runtime';
import { generateDatabaseName } from '../../sandbox/runtime/sql/sql-server';
import { BASELINE_TABLES } from '../../src/store/baseline';
import { countDocs, upsertDocs } from '../../src/store/docs';
import { applyMigrations, baselineCovers, migrate, MIGRATIONS } from '../../src/store/migrations';
import { lifecycle } from '../../src/triggers/lifecycle';
import { pipelineHandlers } from '../analysis/helpers';
import { doc } from './support/fixtures';
import { isDdl } from './support/migration';
import { readSchema, schemaDiff, scratchDatabase } from './support/schema';

const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS __migrations (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(255) NOT NULL, migratedAt TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)';

/** Requests Forge answered with its rate limit (the other rejections are MariaDB's errors, such as a table not there yet). */
function rateLimited(forge: LocalForge): number {
  const stats = forge.sql.stats();
  return stats.rejected - stats.failed;
}

async function recorded(forge: LocalForge): Promise<string[]> {
  const rows = (await forge.sql.query('SELECT name FROM __migrations ORDER BY id')) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/** A site that applied the migrations up to and including `last`, one by one, as the runner did. */
async function siteAt(last: string): Promise<string> {
  const database = generateDatabaseName();
  const setup = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false, database });
  await setup.sql.query(MIGRATIONS_TABLE);
  for (const m of MIGRATIONS) {
    await setup.sql.query(m.ddl);
    await setup.sql.query('INSERT INTO __migrations (name) VALUES (?)', [m.name]);
    if (m.name === last) break;
  }
  await setup.stop();
  return database;
}

/** The schema every migration one by one leaves, to compare a migrated site with. */
async function expectSchemaOfAllMigrations(forge: LocalForge): Promise<void> {
  const reference = await scratchDatabase();
  try {
    for (const m of MIGRATIONS) await reference.query(m.ddl);
    const diff = schemaDiff(await readSchema(reference.query), await readSchema((q, p) => forge.sql.query(q, p), ['__migrations']), 'migrations', 'site');
    expect(diff).toEqual([]);
  } finally {
    await reference.drop();
  }
}

describe('installs and upgrades with 25 DDL requests a minute enforced', () => {
  const seen: string[] = [];
  let forge: LocalForge | undefined;
  async function open(database?: string): Promise<LocalForge> {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false, enforceSqlRateLimits: true, ...(database ? { database } : {}) });
    seen.length = 0;
    forge.sql.observe((query) => {
      seen.push(query);
    });
    return forge;
  }
  afterEach(async () => {
    await forge?.stop({ drop: true });
    forge = undefined;
  });

  it('the installed event creates the whole schema from the baseline, within the limit', async () => {
    const site = await open();
    const outcomes = await site.runLifecycle('installed');
    expect(outcomes.map((o) => [o.delivered, o.error, o.attempts])).toEqual([[true, undefined, 1]]);
    expect(await recorded(site)).toEqual(MIGRATIONS.map((m) => m.name));
    // The runner's two requests, one CREATE TABLE per table, then each migration after the baseline.
    const expected = 2 + BASELINE_TABLES.length + MIGRATIONS.length - baselineCovers().length;
    expect(seen.filter(isDdl)).toHaveLength(expected);
    expect(expected).toBeLessThanOrEqual(25);
    expect(site.sql.stats().peakDdlPerMinute).toBe(expected);
    expect(rateLimited(site)).toBe(0);
    await expectSchemaOfAllMigrations(site);
    await upsertDocs([doc('1')]);
    expect(await countDocs(['A'])).toBe(1);
    // The next event has nothing to do: the runner's two requests.
    seen.length = 0;
    expect(await migrate()).toEqual([]);
    expect(seen.filter(isDdl)).toHaveLength(2);
  }, 90_000);

  it('requests that arrive before the installed event all succeed: one of them creates the schema', async () => {
    const site = await open();
    const writes = Array.from({ length: 10 }, (_, n) => upsertDocs([doc(String(10 + n))]));
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await countDocs(['A'])).toBe(10);
    // Each request that finds no claim table looks again after a random moment before creating
    // it (one DDL request each): ten creations and the schema's own requests were more than
    // the 25 a minute a fresh install has.
    expect(seen.filter((q) => /CREATE TABLE[^(]*migration_claims/i.test(q)).length).toBeLessThanOrEqual(4);
    expect(rateLimited(site)).toBe(0);
    expect(site.sql.stats().peakDdlPerMinute).toBeLessThanOrEqual(25);
    expect(await recorded(site)).toEqual(MIGRATIONS.map((m) => m.name));
    const outcomesOfEvent = await site.runLifecycle('installed');
    expect(outcomesOfEvent.map((o) => [o.delivered, o.error])).toEqual([[true, undefined]]);
    expect(await recorded(site)).toEqual(MIGRATIONS.map((m) => m.name));
  }, 90_000);

  it('a site stopped at v010 is upgraded one migration at a time, within the limit', async () => {
    const site = await open(await siteAt('v010-pairs-dismiss-reason'));
    const outcomes = await site.runLifecycle('upgraded');
    expect(outcomes.map((o) => [o.delivered, o.error])).toEqual([[true, undefined]]);
    const after = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === 'v010-pairs-dismiss-reason') + 1).map((m) => m.name);
    expect(await recorded(site)).toEqual(MIGRATIONS.map((m) => m.name));
    // No baseline: every pending migration's own statement, after the runner's two requests.
    expect(seen.filter(isDdl)).toHaveLength(2 + after.length);
    expect(seen.some((q) => /CREATE TABLE IF NOT EXISTS docs/.test(q))).toBe(false);
    expect(rateLimited(site)).toBe(0);
    await expectSchemaOfAllMigrations(site);
  }, 90_000);

  it('a pass that meets the limit stops cleanly, sends no statement twice, and the next pass goes on', async () => {
    const database = await siteAt('v001-actions');
    let site = await open(database);
    // Other invocations spent 15 of the minute's 25 DDL requests.
    for (let n = 0; n < 15; n++) await sql.executeDDL(`CREATE TABLE IF NOT EXISTS spent_${n % 3} (id INT NOT NULL, PRIMARY KEY (id))`);
    seen.length = 0;
    const pass = await applyMigrations({ deadlineMs: Date.now() + 3_000 });
    // 10 admitted (the runner's two, eight migrations), the eleventh answered 429; a wait for the
    // minute to pass would end after the deadline, so the pass stopped there. v003's columns are
    // recorded only with the fill of older pairs at the end of a pass, so it is left with the rest.
    const sent = MIGRATIONS.slice(6, 14).map((m) => m.name);
    const v003 = 'v003-pairs-doc-columns';
    expect(pass.applied).toEqual(sent.filter((name) => name !== v003));
    expect(pass.pending).toEqual([v003, ...MIGRATIONS.slice(14).map((m) => m.name)]);
    expect(pass.ddlRequests).toBe(11);
    expect(rateLimited(site)).toBe(1);
    expect(await recorded(site)).toEqual(MIGRATIONS.slice(0, 14).map((m) => m.name).filter((name) => name !== v003));
    const ddl = seen.filter(isDdl);
    expect(new Set(ddl).size).toBe(ddl.length);
    expect(ddl).toHaveLength(10);
    await site.stop();
    forge = undefined;

    // The next invocation, a minute on (a fresh window): it applies the rest, v003 last.
    site = await open(database);
    const rest = await migrate();
    expect(rest).toEqual([...MIGRATIONS.slice(14).map((m) => m.name), v003]);
    expect((await recorded(site)).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(rateLimited(site)).toBe(0);
    await site.sql.query('DROP TABLE spent_0, spent_1, spent_2');
    await expectSchemaOfAllMigrations(site);
  }, 90_000);

  it('the lifecycle event asks to be delivered again when its pass stops at the limit', async () => {
    const site = await open(await siteAt('v001-actions'));
    // Other invocations spent the whole minute.
    for (let n = 0; n < 25; n++) await sql.executeDDL('CREATE TABLE IF NOT EXISTS spent_0 (id INT NOT NULL, PRIMARY KEY (id))');
    const started = Date.now();
    const answer = await lifecycle({ eventType: 'avi:forge:upgraded:app' });
    // An InvocationError is its plain JSON form: what the platform reads to deliver the event again.
    expect(answer).toMatchObject({ _retry: true, retryOptions: { retryAfter: 65 } });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await recorded(site)).toEqual(MIGRATIONS.slice(0, 6).map((m) => m.name));
    await site.sql.query('DROP TABLE spent_0');
  }, 90_000);
});
