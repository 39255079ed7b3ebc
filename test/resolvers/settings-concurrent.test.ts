/**
 * Two admins saving the settings at the same moment: each save merges onto what the other
 * stored, and neither change is lost; a save stopped between taking its version and writing
 * the settings (or that cannot tell whether its write landed) holds the next saves back for a
 * minute at most, losing nothing that was answered as saved; and a save that saw its write
 * fail holds nothing back, so its admin can try again at once.
 */
import type { Settings } from '../../src/shared/contract';
import { getSettings, saveSettings, SETTINGS_WRITE_STALE_MS } from '../../src/store/settings';
import { ADMIN_EXTENSION, TEST_SETTINGS, ok, startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

afterEach(async () => {
  h.jira.faults.clear();
  h.forge.sql.faults.clear();
  h.forge.kvs.faults.clear();
  // A version a failed test left taken holds back no later test's save.
  await h.forge.sql.query("UPDATE settings_writes SET taken_ms = 0 WHERE k = 'settings:v1'");
  await saveSettings(TEST_SETTINGS);
});

const PROJECT_SEARCH = '/rest/api/3/project/search';
/** The settings' own KVS writes (not the run markers' or anything else's). */
const SETTINGS_WRITE = { route: 'set', key: 'settings:v1' };
const SETTINGS_READ = { route: 'get', key: 'settings:v1' };
/** The version row's read, once at the start of every pass of a save (also each time it waits). */
const VERSION_ROW_READ = /FROM settings_writes/;
const save = (settings: Settings, base: Settings, user: 'admin-1' = 'admin-1') =>
  h.call('admin-page-resolver', 'settings.save', { settings, base }, user, ADMIN_EXTENSION);

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const historySince = async (atMs: number) =>
  (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'settings.save' AND at_ms >= ? ORDER BY at_ms, id", [atMs])) as Array<{ detail: string }>;

describe('settings.save, two at once', () => {
  it('keeps both changes when a save runs whole while another is between reading and writing the settings', async () => {
    const start: Settings = { ...TEST_SETTINGS, projects: ['OPS', 'SHOP'] };
    await saveSettings(start);
    const t0 = Date.now();
    // Admin A adds MOB; its project check waits in Jira, after it has read the settings.
    const searches = h.jira.stats().count('GET', PROJECT_SEARCH);
    h.jira.faults.latency(1500, /\/rest\/api\/3\/project\/search/);
    const first = save({ ...start, projects: ['OPS', 'SHOP', 'MOB'] }, start);
    await until(() => h.jira.stats().count('GET', PROJECT_SEARCH) > searches, "the first save's project check");
    h.jira.faults.clear();
    // Admin B, from the same page state, changes the duplicate threshold and is done first.
    const second = ok(await save({ ...start, thresholds: { ...start.thresholds, duplicate: 0.6 } }, start));
    expect(second.settings).toMatchObject({ projects: ['OPS', 'SHOP'], thresholds: { duplicate: 0.6 } });
    const firstDone = ok(await first);
    // A's save went onto B's: both changes are stored, and A's answer says B's was kept.
    expect(firstDone.settings).toMatchObject({ projects: ['MOB', 'OPS', 'SHOP'], thresholds: { duplicate: 0.6 } });
    expect(firstDone.kept).toEqual(['thresholds']);
    expect(await getSettings()).toMatchObject({ projects: ['MOB', 'OPS', 'SHOP'], thresholds: { duplicate: 0.6, related: start.thresholds.related } });
    // Each history entry names its own change only, in the order the two were stored.
    expect((await historySince(t0)).map((r) => r.detail.replace(/;.*$/, ''))).toEqual(['changed: thresholds (50% / 30% → 60% / 30%)', 'changed: projects in scope (added MOB)']);
  });

  it('a save that reads the settings while another\'s write is on its way waits for that write and merges onto it', async () => {
    const start: Settings = { ...TEST_SETTINGS, projects: ['OPS', 'SHOP'] };
    await saveSettings(start);
    const t0 = Date.now();
    // Admin A's write of the settings waits (it has checked everything, and is storing).
    const aWrite = h.forge.kvs.faults.holdNext(SETTINGS_WRITE);
    const first = save({ ...start, projects: ['OPS', 'SHOP', 'MOB'] }, start);
    await aWrite.arrived;
    // Admin B saves meanwhile, from the same page state: its second look at the version row
    // (it waited) or its end, whichever comes first, lets A's write through.
    const reads = h.forge.sql.faults.holdNext(/FROM settings_writes/, 0);
    const reread = reads.then(() => h.forge.sql.faults.holdNext(/FROM settings_writes/, 0));
    const second = save({ ...start, thresholds: { ...start.thresholds, duplicate: 0.6 } }, start);
    const firstOfTwo = await Promise.race([reread.then(() => 'B waited'), second.then(() => 'B was done')]);
    aWrite.release();
    const [a, b] = [ok(await first), ok(await second)];
    expect(a.settings).toMatchObject({ projects: ['MOB', 'OPS', 'SHOP'], thresholds: { duplicate: start.thresholds.duplicate } });
    expect(b.settings).toMatchObject({ projects: ['MOB', 'OPS', 'SHOP'], thresholds: { duplicate: 0.6 } });
    expect(b.kept).toEqual(['projects in scope']);
    expect(await getSettings()).toMatchObject({ projects: ['MOB', 'OPS', 'SHOP'], thresholds: { duplicate: 0.6 } });
    expect((await historySince(t0)).map((r) => r.detail.replace(/;.*$/, ''))).toEqual(['changed: projects in scope (added MOB)', 'changed: thresholds (50% / 30% → 60% / 30%)']);
    expect(firstOfTwo).toBe('B waited');
  });

  it('a save stopped between taking its version and writing the settings: the next saves are refused for a minute at most, then go on from the last saved settings', async () => {
    try {
      const start: Settings = { ...TEST_SETTINGS, projects: ['OPS', 'SHOP'] };
      await saveSettings(start);
      const t0 = Date.now();
      // Admin A's write of the settings fails, retry included, and so does its read-back: it
      // cannot tell whether the write landed (as a save whose invocation stopped cannot), and
      // ends with an error.
      const write = h.forge.kvs.faults.holdNext(SETTINGS_WRITE);
      const failing = save({ ...start, projects: ['OPS', 'SHOP', 'MOB'] }, start);
      await write.arrived;
      h.forge.kvs.faults.failNext(2, { match: SETTINGS_WRITE });
      h.forge.kvs.faults.failNext(1, { match: SETTINGS_READ });
      write.release();
      const failed = await failing;
      expect(failed.success ? 'saved' : failed.error.code).toBe('INTERNAL');
      expect(h.forge.kvs.faults.pendingFailures()).toBe(0);
      expect(await getSettings()).toEqual(start);
      // Admin B, right after: refused, nothing written, nothing in the history.
      const refused = await save({ ...start, thresholds: { ...start.thresholds, duplicate: 0.6 } }, start);
      expect(refused.success ? 'saved' : [refused.error.code, refused.error.message]).toEqual([
        'CONFLICT',
        "Another admin's save of the settings has not finished, so nothing was saved. Save again in a minute.",
      ]);
      expect(await getSettings()).toEqual(start);
      expect(await historySince(t0)).toEqual([]);
      // A minute on (A's invocation is long stopped, its write can no longer land): B's save
      // goes onto the last settings saved, at once, and so does the next.
      await h.forge.sql.query("UPDATE settings_writes SET taken_ms = taken_ms - ? WHERE k = 'settings:v1'", [SETTINGS_WRITE_STALE_MS]);
      // At once: each save reads the version row once, not again as a save that waits for
      // the write does (every 100 ms). Counted, not timed: a busy machine is slow either way.
      void h.forge.sql.faults.holdNext(VERSION_ROW_READ, 0);
      void h.forge.sql.faults.holdNext(VERSION_ROW_READ, 0);
      let readAgain = false;
      void h.forge.sql.faults.holdNext(VERSION_ROW_READ, 0).then(() => (readAgain = true));
      const b = ok(await save({ ...start, thresholds: { ...start.thresholds, duplicate: 0.6 } }, start));
      expect(b.settings).toEqual({ ...start, thresholds: { ...start.thresholds, duplicate: 0.6 } });
      expect(b.kept).toEqual([]);
      ok(await save({ ...b.settings, retentionDays: 90 }, b.settings));
      h.forge.sql.faults.clear();
      expect(readAgain).toBe(false);
      expect(await getSettings()).toEqual({ ...start, thresholds: { ...start.thresholds, duplicate: 0.6 }, retentionDays: 90 });
      expect((await historySince(t0)).map((r) => r.detail.replace(/;.*$/, ''))).toEqual(['changed: thresholds (50% / 30% → 60% / 30%)', 'changed: retention (180 days → 90 days)']);
    } finally {
      // A version left by a save that never wrote holds back no later test's save.
      await h.forge.sql.query("UPDATE settings_writes SET taken_ms = 0 WHERE k = 'settings:v1'").catch(() => undefined);
    }
  });

  it('an admin whose save failed (both writes refused, the settings read back as they were) saves again at once', async () => {
    const start: Settings = { ...TEST_SETTINGS, projects: ['OPS', 'SHOP'] };
    await saveSettings(start);
    const t0 = Date.now();
    h.forge.kvs.faults.failNext(2, { match: SETTINGS_WRITE });
    const failed = await save({ ...start, projects: ['OPS', 'SHOP', 'MOB'] }, start);
    expect(failed.success ? 'saved' : failed.error.code).toBe('INTERNAL');
    expect(h.forge.kvs.faults.pendingFailures()).toBe(0);
    expect(await getSettings()).toEqual(start);
    // "Try again": the same save, from the same page state, is stored, with its history entry.
    const retry = ok(await save({ ...start, projects: ['OPS', 'SHOP', 'MOB'] }, start));
    expect(retry.settings).toEqual({ ...start, projects: ['MOB', 'OPS', 'SHOP'] });
    expect(retry.kept).toEqual([]);
    expect(await getSettings()).toEqual({ ...start, projects: ['MOB', 'OPS', 'SHOP'] });
    expect((await historySince(t0)).map((r) => r.detail.replace(/;.*$/, ''))).toEqual(['changed: projects in scope (added MOB)']);
    // Another admin's save right after goes on too, onto the retry's settings.
    const other = ok(await save({ ...start, retentionDays: 90 }, start));
    expect(other.settings).toEqual({ ...start, projects: ['MOB', 'OPS', 'SHOP'], retentionDays: 90 });
    expect(other.kept).toEqual(['projects in scope']);
  });

  it('a write that landed although KVS answered an error, twice, is a save done, with its history entry', async () => {
    const start: Settings = { ...TEST_SETTINGS, projects: ['OPS', 'SHOP'] };
    await saveSettings(start);
    const t0 = Date.now();
    h.forge.kvs.faults.failNext(2, { match: SETTINGS_WRITE, after: true });
    const saved = ok(await save({ ...start, projects: ['OPS', 'SHOP', 'MOB'] }, start));
    expect(saved.settings.projects).toEqual(['MOB', 'OPS', 'SHOP']);
    expect(h.forge.kvs.faults.pendingFailures()).toBe(0);
    expect((await getSettings()).projects).toEqual(['MOB', 'OPS', 'SHOP']);
    expect((await historySince(t0)).map((r) => r.detail.replace(/;.*$/, ''))).toEqual(['changed: projects in scope (added MOB)']);
  });
});
