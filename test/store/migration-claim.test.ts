/**
 * The migration claim (src/store/migration-claim.ts, v017): one invocation migrates at a time;
 * a request that meets the old schema while another holds the claim waits for that pass and
 * sends no DDL, or fails with a retryable error the resolvers show as "being updated" when the
 * pass outlasts its wait; a claim left by a stopped invocation is taken over, by a request as
 * by the lifecycle event, and a live one holds the lifecycle event up for a bounded time only.
 */
import { LocalForge } from '../../sandbox/runtime';
import { mapError } from '../../src/resolvers/error-mapping';
import { countDocs, upsertDocs } from '../../src/store/docs';
import { claimMigrations, MIGRATION_CLAIM_STALE_MS, releaseMigrations, SCHEMA_UPDATING } from '../../src/store/migration-claim';
import { migrate } from '../../src/store/migrations';
import { StoreError } from '../../src/store/store-error';
import { pipelineHandlers } from '../analysis/helpers';
import { doc } from './support/fixtures';
import { beforeV013, isDdl, LINKS_MS_DDL, recordStatements } from './support/migration';

describe('migration claim', () => {
  let forge: LocalForge;
  const seen = recordStatements(() => forge);

  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));
  beforeEach(async () => {
    await forge.sql.query('DELETE FROM migration_claims');
  });

  /** What another invocation's pass would do, done directly. */
  async function v013ByAnother(): Promise<void> {
    await forge.sql.query('ALTER TABLE docs ADD COLUMN links_ms BIGINT NOT NULL DEFAULT 0');
    await forge.sql.query("INSERT INTO __migrations (name) VALUES ('v013-docs-links-ms')");
  }

  async function claimHeldBy(owner: string, claimedMs: number): Promise<void> {
    await forge.sql.query("INSERT INTO migration_claims (k, owner, claimed_ms) VALUES ('schema', ?, ?)", [owner, claimedMs]);
  }

  async function claimRows(): Promise<unknown[]> {
    return forge.sql.query('SELECT owner FROM migration_claims');
  }

  it('is held by one owner at a time, until released or stale', async () => {
    const now = Date.now();
    expect(await claimMigrations('a0000000-0000-0000-0000-000000000001', now)).toBe('won');
    expect(await claimMigrations('b0000000-0000-0000-0000-000000000002', now + 1000)).toBe('held');
    // The holder claiming again holds it still, from its first time: a claim is not extended.
    expect(await claimMigrations('a0000000-0000-0000-0000-000000000001', now + 2000)).toBe('won');
    expect(await forge.sql.query('SELECT claimed_ms FROM migration_claims')).toEqual([{ claimed_ms: now }]);
    expect(await claimMigrations('b0000000-0000-0000-0000-000000000002', now + MIGRATION_CLAIM_STALE_MS + 1)).toBe('won');
    await releaseMigrations('a0000000-0000-0000-0000-000000000001');
    expect(await claimRows()).toEqual([{ owner: 'b0000000-0000-0000-0000-000000000002' }]);
    await releaseMigrations('b0000000-0000-0000-0000-000000000002');
    expect(await claimRows()).toEqual([]);
  });

  it("a request that meets the old schema during another invocation's pass waits for it and sends no DDL", async () => {
    await beforeV013(forge);
    await claimHeldBy('other-pass', Date.now());
    const before = await countDocs(['A']);
    const claimed = forge.sql.faults.holdNext(/INSERT INTO migration_claims/, 0);
    const write = upsertDocs([doc('1')]);
    const first = await Promise.race([claimed.then(() => 'claimed'), write.then(() => 'done', () => 'failed')]);
    // The other pass ends after the request found the claim held.
    await v013ByAnother();
    await forge.sql.query('DELETE FROM migration_claims');
    await write;
    expect(first).toBe('claimed');
    expect(seen.filter(isDdl)).toEqual([]);
    expect(await countDocs(['A'])).toBe(before + 1);
  }, 30_000);

  it('a pass that outlasts the wait fails the request with SCHEMA_UPDATING, shown as "being updated", and writes nothing', async () => {
    await beforeV013(forge);
    await claimHeldBy('slow-pass', Date.now());
    const before = await countDocs(['A']);
    const err: unknown = await upsertDocs([doc('2')]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(SCHEMA_UPDATING);
    expect(mapError(err).error).toEqual({ code: 'INTERNAL', message: 'The app is being updated; try again in a moment.' });
    expect(seen.filter(isDdl)).toEqual([]);
    expect(await claimRows()).toEqual([{ owner: 'slow-pass' }]);
    // Once that pass is done, the same write goes through.
    await v013ByAnother();
    await forge.sql.query('DELETE FROM migration_claims');
    expect(await countDocs(['A'])).toBe(before);
    await upsertDocs([doc('2')]);
    expect(await countDocs(['A'])).toBe(before + 1);
  }, 30_000);

  it('a request out of time while a claim is still held runs its statement once more: the schema may be there anyway', async () => {
    await beforeV013(forge);
    // A holder that stopped without letting go; meanwhile the lifecycle, done waiting for it, migrated without the claim.
    await claimHeldBy('stopped-recently', Date.now());
    const before = await countDocs(['A']);
    const claimed = forge.sql.faults.holdNext(/INSERT INTO migration_claims/, 0);
    const write = upsertDocs([doc('4')]);
    // The schema comes once the request has met the old one and found the claim held (not
    // after a fixed pause, which a busy machine can outlast before the request gets there).
    await claimed;
    await v013ByAnother();
    await write;
    expect(await countDocs(['A'])).toBe(before + 1);
    expect(seen.filter(isDdl)).toEqual([]);
    expect(await claimRows()).toEqual([{ owner: 'stopped-recently' }]);
  }, 30_000);

  it('a claim left by a stopped invocation is taken over by a request, which migrates and lets go', async () => {
    await beforeV013(forge);
    await claimHeldBy('stopped', Date.now() - MIGRATION_CLAIM_STALE_MS - 1000);
    await upsertDocs([doc('3')]);
    expect(seen.filter((q) => LINKS_MS_DDL.test(q))).toHaveLength(1);
    expect(await forge.sql.query("SELECT name FROM __migrations WHERE name = 'v013-docs-links-ms'")).toHaveLength(1);
    expect(await claimRows()).toEqual([]);
  }, 30_000);

  it('the lifecycle event takes a stale claim over at once', async () => {
    await beforeV013(forge);
    await claimHeldBy('stopped', Date.now() - MIGRATION_CLAIM_STALE_MS - 1000);
    const outcomes = await forge.runLifecycle('upgraded');
    expect(outcomes.map((o) => [o.delivered, o.error])).toEqual([[true, undefined]]);
    expect(await forge.sql.query("SELECT name FROM __migrations WHERE name = 'v013-docs-links-ms'")).toHaveLength(1);
    expect(await claimRows()).toEqual([]);
  }, 30_000);

  it('a live claim that is never let go holds the lifecycle event up for a while, then it migrates anyway', async () => {
    await beforeV013(forge);
    await claimHeldBy('never-done', Date.now());
    const outcomes = await forge.runLifecycle('upgraded');
    expect(outcomes.map((o) => [o.delivered, o.error])).toEqual([[true, undefined]]);
    expect(await forge.sql.query("SELECT name FROM __migrations WHERE name = 'v013-docs-links-ms'")).toHaveLength(1);
    // Not its claim: left for its holder, or for whoever finds it stale.
    expect(await claimRows()).toEqual([{ owner: 'never-done' }]);
  }, 60_000);
});
