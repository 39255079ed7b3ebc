/**
 * Review of the admin settings end to end (report only): each `it.failing` reproduces a
 * defect found, and passes once its assertion holds on today's code no longer.
 * Real SDKs, LocalForge, MariaDB and the Jira stand-in; the runs are real analyses.
 */
import { RELATED_THRESHOLD_MIN, type Settings } from '../../src/shared/contract';
import { getSettings, saveSettings } from '../../src/store/settings';
import { ADMIN_EXTENSION, ok, pairIdOf, startHarness, TEST_SETTINGS, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

afterEach(async () => {
  await saveSettings(TEST_SETTINGS);
});

const admin = {
  get: async () => ok(await h.call('admin-page-resolver', 'settings.get', {}, 'admin-1', ADMIN_EXTENSION)),
  save: (settings: Settings, base?: Settings) => h.call('admin-page-resolver', 'settings.save', base === undefined ? { settings } : { settings, base }, 'admin-1', ADMIN_EXTENSION),
};

/** A full run of everything in scope, started as the admin page does, carried out to its end. */
async function runAll(): Promise<string> {
  const { run } = ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION));
  await h.forge.queue.settle(60_000);
  const rows = (await h.forge.sql.query('SELECT status FROM runs WHERE id = ?', [run.runId])) as Array<{ status: string }>;
  return rows[0]?.status ?? 'missing';
}

async function activePair(x: string, y: string): Promise<{ tier: string; score: number } | null> {
  const rows = (await h.forge.sql.query('SELECT tier, score FROM pairs WHERE id = ? AND active = 1', [pairIdOf(x, y)])) as Array<{ tier: string; score: number }>;
  return rows[0] ?? null;
}

describe('settings stored before the related threshold had its 5 % minimum', () => {
  // An installation that saved a related threshold of 2 % before the minimum came in (commit
  // 8b47c8b) still has it: the store's schema reads it back as valid.
  const legacy = (): Settings => ({ ...TEST_SETTINGS, thresholds: { duplicate: 0.5, related: 0.02 } });

  it.failing('lets the admin page save a corrected threshold: the page sends what it loaded as `base`, which the payload schema refuses', async () => {
    await saveSettings(legacy());
    const loaded = (await admin.get()).settings;
    expect(loaded.thresholds.related).toBe(0.02);
    // The form flags 2 % itself; the admin types 10 % and saves, as the page does (base: what it loaded).
    const fixed: Settings = { ...loaded, thresholds: { duplicate: 0.5, related: 0.1 } };
    const res = await admin.save(fixed, loaded);
    // Today: BAD_REQUEST "base.thresholds.related must be at least 0.05": no save from the page can ever succeed.
    expect(res.success ? null : res.error.fields).toBeNull();
    expect((await getSettings()).thresholds.related).toBe(0.1);
  });

  it.failing('keeps analyses from running at a related threshold below the minimum the page and the save enforce', async () => {
    await saveSettings(legacy());
    const { run } = ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION));
    await h.forge.queue.settle(60_000);
    const rows = (await h.forge.sql.query('SELECT status, settings FROM runs WHERE id = ?', [run.runId])) as Array<{ status: string; settings: string }>;
    const snapshot = JSON.parse(rows[0]?.settings ?? '{}') as Settings;
    // Today the run is done at 2 %: on a real backlog the pair growth the minimum exists to stop
    // (a million pairs on the dev set at 0 %), with nothing on any page saying so.
    expect({ status: rows[0]?.status, belowMinimum: snapshot.thresholds.related < RELATED_THRESHOLD_MIN }).toEqual({ status: 'done', belowMinimum: false });
  });
});

describe('field weights that leave only the issue type', () => {
  it.failing('do not make every two issues of one type a 100 % possible duplicate', async () => {
    const loaded = (await admin.get()).settings;
    // Accepted by the form and the server: "at least one field needs a weight above 0" holds.
    const typeOnly: Settings = { ...loaded, weights: { summary: 0, description: 0, labels: 0, components: 0, type: 1 } };
    const res = await admin.save(typeOnly, loaded);
    expect(await runAll()).toBe('done');
    // A newsletter layout bug and a mobile login crash share nothing but the type Bug. Either
    // the save refuses these weights or the analysis finds no pair in them; today both go
    // through and the pair is stored as a possible duplicate scoring 1.
    const pair = await activePair('SHOP-6', 'MOB-1');
    expect({ saved: res.success, pair }).toEqual(res.success ? { saved: true, pair: null } : { saved: false, pair: null });
  });
});
