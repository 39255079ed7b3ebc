/**
 * Review of the admin settings end to end: each test reproduced a defect the review found
 * (it failed on the code before the fix).
 * Real SDKs, LocalForge, MariaDB and the Jira stand-in; the runs are real analyses.
 */
import { kvs } from '@forge/kvs';
import { RELATED_THRESHOLD_MIN, type Settings } from '../../src/shared/contract';
import { DEFAULT_SETTINGS, getSettings, saveSettings } from '../../src/store/settings';
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

/**
 * Settings as an older version of the app stored them, before today's rules: written to KVS
 * as they are, with no save's version row (as before migration v016), which a save cannot do
 * now since it checks what it stores.
 */
async function storeAsOlderVersionDid(settings: unknown): Promise<void> {
  await kvs.set('settings:v1', settings);
  await h.forge.sql.query('DELETE FROM settings_writes');
}

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

  it('lets the admin page save a corrected threshold: the page sends what it loaded as `base`, which the payload schema refuses', async () => {
    await storeAsOlderVersionDid(legacy());
    // Read back raised to the minimum, as every run and page now reads it.
    const loaded = (await admin.get()).settings;
    expect(loaded.thresholds).toEqual({ duplicate: 0.5, related: RELATED_THRESHOLD_MIN });
    const fixed: Settings = { ...loaded, thresholds: { duplicate: 0.5, related: 0.1 } };
    // A page opened before the upgrade sends the 2 % it loaded as `base`: before the fix every
    // save answered BAD_REQUEST "base.thresholds.related must be at least 0.05".
    const res = await admin.save(fixed, legacy());
    expect(res.success ? null : res.error).toBeNull();
    expect((await getSettings()).thresholds.related).toBe(0.1);
  });

  it('keeps analyses from running at a related threshold below the minimum the page and the save enforce', async () => {
    await storeAsOlderVersionDid(legacy());
    const { run } = ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION));
    await h.forge.queue.settle(60_000);
    const rows = (await h.forge.sql.query('SELECT status, settings FROM runs WHERE id = ?', [run.runId])) as Array<{ status: string; settings: string }>;
    const snapshot = JSON.parse(rows[0]?.settings ?? '{}') as Settings;
    // Before the fix the run was done at 2 %: on a real backlog the pair growth the minimum exists
    // to stop (a million pairs on the dev set at 0 %), with nothing on any page saying so.
    expect({ status: rows[0]?.status, belowMinimum: snapshot.thresholds.related < RELATED_THRESHOLD_MIN }).toEqual({ status: 'done', belowMinimum: false });
  });
});

describe('field weights that leave only the issue type', () => {
  it('do not make every two issues of one type a 100 % possible duplicate', async () => {
    const loaded = (await admin.get()).settings;
    // Before the fix the form and the server accepted these ("at least one field needs a
    // weight above 0"), and the next run stored every two Bugs as possible duplicates scoring
    // 1: a newsletter layout bug and a mobile login crash share nothing but the type.
    const typeOnly: Settings = { ...loaded, weights: { summary: 0, description: 0, labels: 0, components: 0, type: 1 } };
    const res = await admin.save(typeOnly, loaded);
    const refused = res.success ? null : res.error;
    expect(refused?.code).toBe('BAD_REQUEST');
    expect(Object.keys(refused?.fields ?? {})).toEqual(['settings.weights.summary']);
    expect(refused?.fields?.['settings.weights.summary'] ?? '').toContain('the summary or the description needs a weight above 0');
    expect((await getSettings()).weights).toEqual(loaded.weights);
    expect(await runAll()).toBe('done');
    expect(await activePair('SHOP-6', 'MOB-1')).toBeNull();
  });

  it('reads weights stored before the rule with the text weighed again, the other fields as they were', async () => {
    const loaded = (await admin.get()).settings;
    await storeAsOlderVersionDid({ ...loaded, weights: { summary: 0, description: 0, labels: 2, components: 0, type: 1 } });
    expect((await getSettings()).weights).toEqual({ summary: DEFAULT_SETTINGS.weights.summary, description: DEFAULT_SETTINGS.weights.description, labels: 2, components: 0, type: 1 });
    expect(await runAll()).toBe('done');
    expect(await activePair('SHOP-6', 'MOB-1')).toBeNull();
  });
});

describe('settings an older version of the app stored, adjusted as they are read', () => {
  const history = async (): Promise<Array<{ action: string; detail: string }>> =>
    ((await h.forge.sql.query("SELECT action, detail FROM actions WHERE action = 'settings.save' ORDER BY at_ms, id")) as Array<{ action: string; detail: string }>);
  const clearHistory = () => h.forge.sql.query("DELETE FROM actions WHERE action = 'settings.save'");

  it('are written to the history once, by the next save that stores them, and not by reads', async () => {
    await clearHistory();
    const loaded = (await admin.get()).settings;
    await storeAsOlderVersionDid({ ...loaded, thresholds: { duplicate: 0.5, related: 0.02 }, weights: { summary: 0, description: 0, labels: 2, components: 0, type: 1 } });
    // Reads (the page, runs) change nothing and write nothing; the page is told what reading adjusted.
    const read = await admin.get();
    const shown = read.settings;
    expect(read.adjusted).toEqual([
      'related threshold 2% → 5%',
      `summary weight 0 → ${DEFAULT_SETTINGS.weights.summary}`,
      `description weight 0 → ${DEFAULT_SETTINGS.weights.description}`,
    ]);
    const member = ok(await h.call('admin-page-resolver', 'settings.get', {}, 'member-1', ADMIN_EXTENSION));
    expect(member.adjusted).toEqual([]);
    await getSettings();
    expect(await history()).toEqual([]);

    // The admin changes something else and saves: what they saw is stored, and the history says
    // which values it differs from what was stored. Before the fix the entry named the
    // schedule alone, and the 2 % and the zero weights were gone with no trace.
    ok(await admin.save({ ...shown, schedule: 'weekly' }, shown));
    const first = await history();
    expect(first.map((a) => a.detail)).toEqual([
      `changed: schedule (daily → weekly); 3 projects in scope; stored values brought within current rules: related threshold 2% → 5%, summary weight 0 → ${DEFAULT_SETTINGS.weights.summary}, description weight 0 → ${DEFAULT_SETTINGS.weights.description}`,
    ]);

    // Once stored, nothing is adjusted any more: the next save says its own change only.
    expect((await admin.get()).adjusted).toEqual([]);
    const now = (await admin.get()).settings;
    ok(await admin.save({ ...now, schedule: 'daily' }, now));
    expect((await history()).map((a) => a.detail)).toEqual([first[0]?.detail, 'changed: schedule (weekly → daily); 3 projects in scope']);
  });

  it('are written to the history by a save that changes nothing else', async () => {
    await clearHistory();
    const loaded = (await admin.get()).settings;
    await storeAsOlderVersionDid({ ...loaded, thresholds: { duplicate: 0.5, related: 0.03 } });
    const shown = (await admin.get()).settings;
    // Before the fix this save stored 5 % and wrote no history ("nothing changed").
    ok(await admin.save(shown, shown));
    expect((await history()).map((a) => a.detail)).toEqual(['changed: nothing; 3 projects in scope; stored values brought within current rules: related threshold 3% → 5%']);
    ok(await admin.save(shown, shown));
    expect(await history()).toHaveLength(1);
  });
});
