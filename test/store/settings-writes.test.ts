/**
 * `updateSettings`: one save at a time over the settings in KVS, ordered by the version row
 * in SQL (`settings_writes`, v016). A save that loses the version to another works its change
 * out again from the other's settings; a version taken for a write that has not landed holds
 * later saves back until it lands, or until it is too old to land at all, unless its own save
 * saw that write fail and gives the version back.
 */
import { kvs } from '@forge/kvs';
import { LocalForge } from '../../sandbox/runtime';
import type { Settings } from '../../src/shared/contract';
import { migrate } from '../../src/store/migrations';
import { DEFAULT_SETTINGS, getSettings, saveSettings, SETTINGS_WRITE_STALE_MS, SettingsBusyError, settingsHash, updateSettings } from '../../src/store/settings';
import { pipelineHandlers } from '../analysis/helpers';

const START: Settings = { ...DEFAULT_SETTINGS, projects: ['OPS', 'SHOP'] };

describe('updateSettings', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));
  beforeEach(async () => {
    forge.sql.faults.clear();
    forge.kvs.faults.clear();
    await forge.sql.query("UPDATE settings_writes SET taken_ms = 0 WHERE k = 'settings:v1'");
    await saveSettings(START);
  });

  /** The settings' own KVS writes and reads (not the run markers' or anything else's). */
  const SETTINGS_SET = { route: 'set', key: 'settings:v1' };
  const SETTINGS_GET = { route: 'get', key: 'settings:v1' };
  /** The version row's read, once at the start of every pass of a save (also each time it waits). */
  const VERSION_ROW_READ = /FROM settings_writes/;

  /** The hash of the settings as KVS holds them (what the version row's hash is compared with). */
  async function storedHash(): Promise<string> {
    return settingsHash(await kvs.get<unknown>('settings:v1'));
  }

  async function row(): Promise<{ version: number; hash: string; takenMs: number }> {
    const [r] = (await forge.sql.query("SELECT version, settings_hash, taken_ms FROM settings_writes WHERE k = 'settings:v1'")) as Array<Record<string, unknown>>;
    return { version: Number(r?.version), hash: String(r?.settings_hash), takenMs: Number(r?.taken_ms) };
  }

  it('takes the next version for each save, and none for a save that changes nothing', async () => {
    const { version } = await row();
    const first = await updateSettings((s) => ({ ...s, maxAgeDays: 30 }));
    expect([first.changed, first.before.maxAgeDays, first.saved.maxAgeDays]).toEqual([true, 0, 30]);
    expect(await row()).toMatchObject({ version: version + 1, hash: settingsHash(first.saved), takenMs: first.atMs });
    // The same settings, the projects in another order: the same once stored, so no write.
    const same = await updateSettings((s) => ({ ...s, projects: ['SHOP', 'OPS'] }));
    expect([same.changed, same.saved]).toEqual([false, first.saved]);
    expect((await row()).version).toBe(version + 1);
    // The hash does not depend on the order of the keys (KVS and zod may hand them back in another).
    const reversed = Object.fromEntries(Object.entries(first.saved).reverse()) as unknown as Settings;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(first.saved));
    expect(settingsHash(reversed)).toBe(settingsHash(first.saved));
  });

  it('two saves at once: the one that loses the version works its change out again from the other\'s settings', async () => {
    const { version } = await row();
    const seen: number[] = [];
    // The first save's version is held back in SQL while the second is stored whole.
    const held = forge.sql.faults.holdNext(/UPDATE settings_writes SET version = version \+ 1/, 1000);
    const first = updateSettings((s) => {
      seen.push(s.retentionDays);
      return { ...s, maxAgeDays: 30 };
    });
    await held;
    const second = await updateSettings((s) => ({ ...s, retentionDays: 30 }));
    expect(second.saved).toMatchObject({ maxAgeDays: 0, retentionDays: 30 });
    const done = await first;
    expect(seen).toEqual([START.retentionDays, 30]);
    expect([done.before.retentionDays, done.saved.maxAgeDays, done.saved.retentionDays]).toEqual([30, 30, 30]);
    expect(await getSettings()).toMatchObject({ maxAgeDays: 30, retentionDays: 30 });
    expect((await row()).version).toBe(version + 2);
    expect(done.atMs).toBeGreaterThanOrEqual(second.atMs);
  });

  it('a version taken for a write that has not landed: later saves wait for it, or are refused, until it is too old to land', async () => {
    // As a save stopped between taking its version and writing KVS leaves it.
    const lost: Settings = { ...START, projects: ['MOB', 'OPS', 'SHOP'] };
    await forge.sql.query("UPDATE settings_writes SET version = version + 1, settings_hash = ?, taken_ms = ? WHERE k = 'settings:v1'", [settingsHash(lost), Date.now()]);
    const { version } = await row();
    const change = jest.fn((s: Settings) => ({ ...s, maxAgeDays: 30 }));
    const refused = await updateSettings(change).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SettingsBusyError);
    expect((refused as SettingsBusyError).reason).toBe('pending');
    expect(change).not.toHaveBeenCalled();
    expect([(await row()).version, await getSettings()]).toEqual([version, START]);
    // The write lands while a save waits: that save goes onto it.
    const waiting = updateSettings(change);
    await new Promise((r) => setTimeout(r, 300));
    await kvs.set('settings:v1', lost);
    expect((await waiting).saved).toMatchObject({ projects: ['MOB', 'OPS', 'SHOP'], maxAgeDays: 30 });
    expect((await row()).version).toBe(version + 1);
    // It never lands, and its version is older than any invocation lives: the next save goes
    // on from the settings in KVS (the last save that answered), at once.
    await saveSettings(START);
    await forge.sql.query("UPDATE settings_writes SET version = version + 1, settings_hash = ?, taken_ms = ? WHERE k = 'settings:v1'", [settingsHash(lost), Date.now() - SETTINGS_WRITE_STALE_MS - 1000]);
    // At once: the version row is read once, not again as by a save that waits for the write
    // (every 100 ms). Counted, not timed: a busy machine is slow either way.
    void forge.sql.faults.holdNext(VERSION_ROW_READ, 0);
    let readAgain = false;
    void forge.sql.faults.holdNext(VERSION_ROW_READ, 0).then(() => (readAgain = true));
    const after = await updateSettings((s) => ({ ...s, retentionDays: 30 }));
    forge.sql.faults.clear();
    expect(readAgain).toBe(false);
    expect(after.saved).toEqual({ ...START, retentionDays: 30 });
    expect(await getSettings()).toEqual({ ...START, retentionDays: 30 });
  });

  describe('a save whose write failed', () => {
    it('gives its version back when the read-back finds the settings it read: a retry right after is stored', async () => {
      const { version } = await row();
      const before = await storedHash();
      // Both writes fail, and the read-back finds the settings as they were.
      forge.kvs.faults.failNext(2, { match: SETTINGS_SET });
      const failed = await updateSettings((s) => ({ ...s, maxAgeDays: 30 })).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(Error);
      expect(failed).not.toBeInstanceOf(SettingsBusyError);
      expect(forge.kvs.faults.pendingFailures()).toBe(0);
      expect(await getSettings()).toEqual(START);
      // The version stays taken; its hash is the stored settings' again.
      expect(await row()).toMatchObject({ version: version + 1, hash: before });
      // The admin tries again at once: stored, from the settings in KVS.
      const retry = await updateSettings((s) => ({ ...s, maxAgeDays: 30 }));
      expect([retry.changed, retry.before, retry.saved]).toEqual([true, START, { ...START, maxAgeDays: 30 }]);
      expect(await getSettings()).toEqual({ ...START, maxAgeDays: 30 });
      expect(await row()).toMatchObject({ version: version + 2, hash: settingsHash(retry.saved) });
    });

    it('lets a save that was waiting for that write go on from the settings in KVS', async () => {
      const hold = forge.kvs.faults.holdNext(SETTINGS_SET);
      const failing = updateSettings((s) => ({ ...s, maxAgeDays: 30 })).catch((err: unknown) => err);
      await hold.arrived;
      // Another save reads the row while the write is on its way, and waits for it.
      const reads = forge.sql.faults.holdNext(/FROM settings_writes/, 0);
      const reread = reads.then(() => forge.sql.faults.holdNext(/FROM settings_writes/, 0));
      const waiting = updateSettings((s) => ({ ...s, retentionDays: 30 }));
      await reread;
      forge.kvs.faults.failNext(2, { match: SETTINGS_SET });
      hold.release();
      expect(await failing).toBeInstanceOf(Error);
      expect(await failing).not.toBeInstanceOf(SettingsBusyError);
      const done = await waiting;
      expect([done.before, done.saved]).toEqual([START, { ...START, retentionDays: 30 }]);
      expect(await getSettings()).toEqual({ ...START, retentionDays: 30 });
    });

    it('keeps its version when the outcome is unknown (the read-back failed) or the read-back finds other settings', async () => {
      for (const readBack of ['fails', 'finds other settings'] as const) {
        await forge.sql.query("UPDATE settings_writes SET taken_ms = 0 WHERE k = 'settings:v1'");
        await saveSettings(START);
        const { version } = await row();
        const hold = forge.kvs.faults.holdNext(SETTINGS_SET);
        const failing = updateSettings((s) => ({ ...s, maxAgeDays: 30 })).catch((err: unknown) => err);
        await hold.arrived;
        // Both writes fail; then the read-back fails too, or finds settings that neither this
        // save read nor wrote (as a write from elsewhere would leave them).
        const other: Settings = { ...START, projects: ['MOB', 'OPS', 'SHOP'] };
        if (readBack === 'finds other settings') await kvs.set('settings:v1', other);
        forge.kvs.faults.failNext(2, { match: SETTINGS_SET });
        if (readBack === 'fails') forge.kvs.faults.failNext(1, { match: SETTINGS_GET });
        hold.release();
        expect(await failing).toBeInstanceOf(Error);
        expect(forge.kvs.faults.pendingFailures()).toBe(0);
        const held = await row();
        expect([readBack, held.version, held.hash]).toEqual([readBack, version + 1, settingsHash({ ...START, maxAgeDays: 30 })]);
        // The next save is held off, as by any write that could still land.
        const change = jest.fn((s: Settings) => ({ ...s, retentionDays: 30 }));
        const refused = await updateSettings(change).catch((err: unknown) => err);
        expect([readBack, (refused as SettingsBusyError).reason]).toEqual([readBack, 'pending']);
        expect(change).not.toHaveBeenCalled();
        expect(await getSettings()).toEqual(readBack === 'fails' ? START : other);
      }
    });

    it('does not disturb another save that took the next version meanwhile', async () => {
      const { version } = await row();
      const firstWrite = forge.kvs.faults.holdNext(SETTINGS_SET);
      const failing = updateSettings((s) => ({ ...s, maxAgeDays: 30 })).catch((err: unknown) => err);
      await firstWrite.arrived;
      // Its version goes stale while its write waits, and another save takes the next one;
      // that save's write waits too.
      await forge.sql.query("UPDATE settings_writes SET taken_ms = taken_ms - ? WHERE k = 'settings:v1'", [SETTINGS_WRITE_STALE_MS + 1000]);
      const secondWrite = forge.kvs.faults.holdNext(SETTINGS_SET);
      const second = updateSettings((s) => ({ ...s, retentionDays: 30 }));
      await secondWrite.arrived;
      const taken = await row();
      expect(taken.version).toBe(version + 2);
      // The first save's writes fail, and its read-back finds the settings it read.
      forge.kvs.faults.failNext(2, { match: SETTINGS_SET });
      firstWrite.release();
      expect(await failing).toBeInstanceOf(Error);
      expect(forge.kvs.faults.pendingFailures()).toBe(0);
      expect(await row()).toEqual(taken);
      // A third save still waits for the second's write (it reads the row a second time), and
      // goes onto it once it lands: neither change is lost.
      const reads = forge.sql.faults.holdNext(/FROM settings_writes/, 0);
      const reread = reads.then(() => forge.sql.faults.holdNext(/FROM settings_writes/, 0));
      const third = updateSettings((s) => ({ ...s, crossProject: true }));
      await reread;
      secondWrite.release();
      expect((await second).saved).toEqual({ ...START, retentionDays: 30 });
      const done = await third;
      expect([done.before, done.saved]).toEqual([{ ...START, retentionDays: 30 }, { ...START, retentionDays: 30, crossProject: true }]);
      expect(await getSettings()).toEqual({ ...START, retentionDays: 30, crossProject: true });
      expect((await row()).version).toBe(version + 3);
    });
  });
});
