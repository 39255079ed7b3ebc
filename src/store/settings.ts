/**
 * App settings (one KVS key) and the per-scope "last successful run" markers.
 *
 * `settingsSchema` is the edge check for everything that reads or writes settings; its
 * output type is checked against `Settings` in src/shared/contract.ts at compile time.
 * Every write goes through `updateSettings`, one save at a time (see there).
 */
import { createHash } from 'node:crypto';
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { hasTextWeight, RELATED_THRESHOLD_MIN, TEXT_WEIGHT_MESSAGE, type Settings } from '../shared/contract';
import { DEFAULT_CONFIG } from '../engine/config';
import { sleep } from '../jira/retry';
import { execute, num, select, str } from './db';

const SETTINGS_KEY = 'settings:v1';

const weight = z.number().min(0).max(5);
/** Jira project keys: a letter, then letters, digits or underscores. */
export const projectKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'must be a Jira project key such as SHOP');

export const settingsSchema = z
  .object({
    thresholds: z.object({
      duplicate: z.number().min(0).max(1),
      related: z.number().min(RELATED_THRESHOLD_MIN).max(1),
    }),
    weights: z.object({
      summary: weight,
      description: weight,
      labels: weight,
      components: weight,
      type: weight,
    }),
    projects: z.array(projectKeySchema).max(200),
    crossProject: z.boolean(),
    createDialogCheck: z.boolean(),
    dismissNeedsLink: z.boolean(),
    runsNeedProjectAdmin: z.boolean(),
    jqlFilter: z.string().max(2000),
    issueTypes: z.array(z.string().min(1).max(64)).max(100),
    maxAgeDays: z.number().int().min(0).max(36500),
    schedule: z.enum(['off', 'daily', 'weekly']),
    retentionDays: z.number().int().min(7).max(3650),
  })
  .refine((s) => s.thresholds.duplicate > s.thresholds.related, {
    message: 'the duplicate threshold must be above the related threshold',
    path: ['thresholds', 'duplicate'],
  })
  .refine((s) => hasTextWeight(s.weights), {
    message: TEXT_WEIGHT_MESSAGE,
    path: ['weights', 'summary'],
  });

// Compile-time: the schema's output is exactly the contract's Settings (both directions).
type SchemaSettings = z.infer<typeof settingsSchema>;
const contractMatchesSchema: [SchemaSettings] extends [Settings] ? ([Settings] extends [SchemaSettings] ? true : false) : false = true;
void contractMatchesSchema;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  thresholds: { duplicate: DEFAULT_CONFIG.thresholds.duplicate, related: DEFAULT_CONFIG.thresholds.related },
  weights: {
    summary: Math.min(5, DEFAULT_CONFIG.weights.summary),
    description: Math.min(5, DEFAULT_CONFIG.weights.description),
    labels: Math.min(5, DEFAULT_CONFIG.weights.labels),
    components: Math.min(5, DEFAULT_CONFIG.weights.components),
    type: Math.min(5, DEFAULT_CONFIG.weights.type),
  },
  projects: [],
  crossProject: false,
  createDialogCheck: true,
  dismissNeedsLink: false,
  runsNeedProjectAdmin: false,
  jqlFilter: '',
  issueTypes: [],
  maxAgeDays: 0,
  schedule: 'daily',
  retentionDays: 180,
});

/**
 * Whether the settings analyse issues of this type: every type when none is listed, else a
 * listed name, compared case-insensitively as JQL compares issue types (the runs' own JQL).
 */
export function typeAnalysed(issueTypes: readonly string[], name: string): boolean {
  const wanted = name.trim().toLowerCase();
  return issueTypes.length === 0 || issueTypes.some((t) => t.trim().toLowerCase() === wanted);
}

function copy(s: Settings): Settings {
  return JSON.parse(JSON.stringify(s)) as Settings;
}

/** The stored settings, or the defaults. A stored value from an older shape is merged over the defaults. */
export async function getSettings(): Promise<Settings> {
  return settingsOf(await kvs.get<unknown>(SETTINGS_KEY));
}

/**
 * Settings saved earlier (the KVS value, a run's snapshot) checked as they are read: brought
 * within the rules that came in since (`upgraded`), then checked by `settingsSchema`.
 */
export function parseStoredSettings(stored: unknown): ReturnType<typeof settingsSchema.safeParse> {
  return settingsSchema.safeParse(upgraded(stored));
}

function settingsOf(stored: unknown): Settings {
  if (stored === undefined || stored === null) return copy(DEFAULT_SETTINGS);
  const direct = parseStoredSettings(stored);
  if (direct.success) return direct.data;
  const merged = parseStoredSettings({ ...copy(DEFAULT_SETTINGS), ...(typeof stored === 'object' ? stored : {}) });
  if (merged.success) return merged.data;
  console.warn('settings: stored settings failed validation; using defaults');
  return copy(DEFAULT_SETTINGS);
}

/**
 * Stored settings saved before a rule came in, brought within it as they are read, so that
 * every run, event and page works with settings a save would accept (and the admin page's
 * next save stores them so):
 * - a related threshold under `RELATED_THRESHOLD_MIN` is raised to it (and a duplicate
 *   threshold that would then not be above it goes back to its default);
 * - weights with the summary and the description both at 0 get their defaults back for both
 *   (see `hasTextWeight`); the other fields keep theirs.
 * Anything else is left for the schema to judge.
 */
function upgraded(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null) return stored;
  const out: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  const t = out.thresholds;
  if (typeof t === 'object' && t !== null) {
    const { duplicate, related } = t as { duplicate?: unknown; related?: unknown };
    if (typeof related === 'number' && related >= 0 && related < RELATED_THRESHOLD_MIN) {
      const dup = typeof duplicate === 'number' && duplicate > RELATED_THRESHOLD_MIN ? duplicate : DEFAULT_SETTINGS.thresholds.duplicate;
      out.thresholds = { ...t, related: RELATED_THRESHOLD_MIN, duplicate: dup };
    }
  }
  const w = out.weights;
  if (typeof w === 'object' && w !== null) {
    const { summary, description } = w as { summary?: unknown; description?: unknown };
    if (summary === 0 && description === 0) {
      out.weights = { ...w, summary: DEFAULT_SETTINGS.weights.summary, description: DEFAULT_SETTINGS.weights.description };
    }
  }
  return out;
}

/** A threshold or field weight that reading the stored settings changed (`upgraded`), from and to. */
export interface ReadAdjustment {
  /** 'thresholds.related', 'weights.summary', … */
  field: string;
  from: number;
  to: number;
}

/**
 * What reading `stored` changes of its thresholds and field weights: the stored values that
 * `settingsOf` does not give back as they are (raised to a rule that came in since, or a
 * default put back). Empty for settings a save of today stored. Nothing is written: the
 * admin page's next save stores the settings as read, and says so in the history (once: the
 * settings it stores need no adjusting).
 */
export function readAdjustments(stored: unknown): ReadAdjustment[] {
  if (typeof stored !== 'object' || stored === null) return [];
  const read = settingsOf(stored);
  const out: ReadAdjustment[] = [];
  const compare = (group: 'thresholds' | 'weights', now: Record<string, number>) => {
    const was = (stored as Record<string, unknown>)[group];
    if (typeof was !== 'object' || was === null) return;
    for (const [k, to] of Object.entries(now)) {
      const from = (was as Record<string, unknown>)[k];
      if (typeof from === 'number' && from !== to) out.push({ field: `${group}.${k}`, from, to });
    }
  };
  compare('thresholds', { related: read.thresholds.related, duplicate: read.thresholds.duplicate });
  compare('weights', read.weights);
  return out;
}

/** `readAdjustments` of the settings stored now (the admin page shows them). */
export async function settingsReadAdjustments(): Promise<ReadAdjustment[]> {
  return readAdjustments(await kvs.get<unknown>(SETTINGS_KEY));
}

/** Validates (throws zod's error on bad input) and puts lists and text in their stored form. */
function normalise(settings: Settings): Settings {
  const valid = settingsSchema.parse(settings);
  return {
    ...valid,
    projects: [...new Set(valid.projects)].sort(),
    issueTypes: [...new Set(valid.issueTypes.map((t) => t.trim()).filter((t) => t !== ''))],
    jqlFilter: valid.jqlFilter.trim(),
  };
}

/**
 * Validates (throws zod's error on bad input: check with settingsSchema first at the edge) and
 * stores these settings whole, over whatever is stored (the admin page's save merges instead:
 * `updateSettings`).
 */
export async function saveSettings(settings: Settings): Promise<Settings> {
  return (await updateSettings(() => settings)).saved;
}

// ---------------------------------------------------------------------------------------
// One save at a time.
//
// KVS has no compare-and-set for a plain key, so two saves that read the settings at the
// same moment would both merge onto them and the later write would drop the earlier's
// change. The row `settings_writes` (migration v016) in Forge SQL orders them: a save reads
// the row, then the settings; works out what to store; takes the next version with
// `UPDATE … SET version = version + 1 … WHERE version = <the one it read>` (one save of two
// wins; the other reads again, now the winner's settings, and works its change out again);
// and only the winner writes KVS. The row also holds the hash of the settings the version's
// save writes: settings in KVS with another hash are about to be overwritten by that save, so
// a save that reads them waits for the write rather than merge onto them (and the version
// check alone could not tell, since the write comes after the version is taken).
//
// A save stopped between taking its version and writing KVS (its invocation timed out or
// failed) never writes: its change is lost, but it never answered that it was saved. Its
// version is then held by a write that will not come; once older than any invocation lives
// (`SETTINGS_WRITE_STALE_MS`; Forge stops resolvers at 25 s), the next save goes on from the
// settings in KVS, which are the last save that did answer. Until then saves are refused with
// `SettingsBusyError` (try again in a minute), never let through to merge onto settings that
// a late write could still replace. A save that changes nothing takes no version and writes
// nothing.
//
// A save that knows its write did not land gives its version back, so that its admin's "Try
// again" (or anyone's save) goes on at once instead of being refused for a minute. It knows
// only when both KVS writes answered an error and the read-back, made after both answers,
// finds the settings it read before it took its version (by hash). It then sets the row's
// hash back to theirs with `UPDATE … WHERE version = <its version> AND settings_hash = <its
// hash>`: the row again says the settings in KVS are the last save's, as before it took the
// version. The version itself stays taken (versions only go up, so a save that read the row
// before the take cannot take that version a second time), and so does `taken_ms`. In the
// races this meets:
// - another save that took the next version meanwhile (only possible once this one's version
//   was stale) has changed the row's version and hash: the UPDATE matches nothing, and that
//   save's pending write holds later saves off as before;
// - a save waiting on this one's write sees the row agree with KVS at its next look and goes
//   on from the settings in KVS, which are the last save that answered;
// - a late landing of this save's write after the read-back (KVS carrying out a write after
//   it answered it with an error and after answering a later read, which the read-back is
//   there to rule out): before another save has taken the next version, the settings in KVS
//   no longer match the row's hash, so saves wait and are refused as for any pending write,
//   until the version is stale; after another save took the next version, that save's write
//   could be overwritten. That is the one case the give-back trades for the retry, and only a
//   save that saw its own write fail does it.
// When the read-back fails (the outcome is unknown) or finds other settings, nothing is given
// back: the version holds later saves off until its write lands or it is stale, as above. A
// give-back that fails in SQL leaves it so too.

/** How long a version taken for a write that never landed holds up later saves. */
export const SETTINGS_WRITE_STALE_MS = 60_000;
/** How long, in all, one save waits for another's write to land before it gives up. */
const PENDING_WAIT_MS = 3000;
const PENDING_POLL_MS = 100;
/** Versions lost to other saves before one gives up (each time it reads and merges again). */
const MAX_TAKES = 5;

/** Another save holds the settings: its write has not landed, or saves kept winning over this one. Nothing was written. */
export class SettingsBusyError extends Error {
  override readonly name = 'SettingsBusyError' as const;
  readonly reason: 'pending' | 'contended';

  constructor(reason: 'pending' | 'contended') {
    super(reason === 'pending' ? "another save's settings have not been written yet" : 'other saves kept taking the next settings version');
    this.reason = reason;
  }
}

interface WriteRow {
  version: number;
  hash: string;
  takenMs: number;
}

/** The version a save took, the hash of the settings it writes, and that of the settings it read in KVS ('' for none). */
interface TakenVersion {
  version: number;
  hash: string;
  storedHash: string;
}

/** The same for the same settings (or stored value), whatever the order of their keys. */
export function settingsHash(settings: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return createHash('sha256').update(JSON.stringify(sorted(settings))).digest('hex');
}

async function readWriteRow(): Promise<WriteRow | null> {
  const rows = await select('SELECT version, settings_hash, taken_ms FROM settings_writes WHERE k = ?', [SETTINGS_KEY]);
  const row = rows[0];
  return row ? { version: num(row.version), hash: str(row.settings_hash), takenMs: num(row.taken_ms) } : null;
}

/** Takes the version after `row`'s for settings with this hash: false when another save took it first. */
async function takeVersion(row: WriteRow | null, hash: string, atMs: number): Promise<boolean> {
  if (row === null) {
    return (await execute('INSERT IGNORE INTO settings_writes (k, version, settings_hash, taken_ms) VALUES (?, 1, ?, ?)', [SETTINGS_KEY, hash, atMs])) > 0;
  }
  const taken = await execute('UPDATE settings_writes SET version = version + 1, settings_hash = ?, taken_ms = ? WHERE k = ? AND version = ?', [hash, atMs, SETTINGS_KEY, row.version]);
  return taken > 0;
}

/** Gives back a version whose write did not land: the row's hash is the settings' in KVS again, if the row is still this save's. */
async function giveBackVersion(taken: TakenVersion): Promise<void> {
  await execute('UPDATE settings_writes SET settings_hash = ? WHERE k = ? AND version = ? AND settings_hash = ?', [taken.storedHash, SETTINGS_KEY, taken.version, taken.hash]);
}

export interface SettingsUpdate {
  /** The stored settings the change was worked out from (those of the attempt that was stored). */
  before: Settings;
  saved: Settings;
  /** False when the change left the settings as they were (nothing was written). */
  changed: boolean;
  /** What reading the stored settings changed (`readAdjustments`), now stored as read when `changed`. */
  adjusted: ReadAdjustment[];
  /** When the save took its version: saves are stored in this order. */
  atMs: number;
}

/**
 * Stores `change(stored)` over the stored settings, one save at a time: when another save
 * stores first, `change` is called again with its settings (so it must only compute, and may
 * be called up to MAX_TAKES times). Throws what `change` throws, zod's error for invalid
 * settings, and `SettingsBusyError` when another save holds the settings; nothing is written then.
 */
export async function updateSettings(change: (stored: Settings) => Settings | Promise<Settings>): Promise<SettingsUpdate> {
  const waitUntil = Date.now() + PENDING_WAIT_MS;
  let takes = 0;
  for (;;) {
    // The row first: settings read after it that match its hash are at least its version's.
    // The hash is of the value as stored, not as read (a value stored before a setting was
    // added is read with the new setting's default, and would not match).
    const row = await readWriteRow();
    const stored = await kvs.get<unknown>(SETTINGS_KEY);
    const before = settingsOf(stored);
    const storedHash = stored === undefined || stored === null ? '' : settingsHash(stored);
    if (row !== null && row.hash !== storedHash && Date.now() - row.takenMs < SETTINGS_WRITE_STALE_MS) {
      if (Date.now() >= waitUntil) throw new SettingsBusyError('pending');
      await sleep(PENDING_POLL_MS);
      continue;
    }
    const saved = normalise(await change(copy(before)));
    const hash = settingsHash(saved);
    const adjusted = readAdjustments(stored);
    if (hash === storedHash) return { before, saved, changed: false, adjusted, atMs: Date.now() };
    const atMs = Date.now();
    if (await takeVersion(row, hash, atMs)) {
      await writeSettings(saved, { version: (row?.version ?? 0) + 1, hash, storedHash });
      return { before, saved, changed: true, adjusted, atMs };
    }
    if (++takes >= MAX_TAKES) throw new SettingsBusyError('contended');
  }
}

/**
 * The version is taken: write, once more on a failure (the same value, so a first write that
 * did land is harmless). When the second fails too, the settings are read back: a write that
 * landed although KVS answered an error is a save done (its history entry and the rest follow),
 * not one reported failed; settings still as the save read them mean it did not land, and the
 * version is given back (see "One save at a time") before the error is thrown.
 */
async function writeSettings(settings: Settings, taken: TakenVersion): Promise<void> {
  try {
    await kvs.set(SETTINGS_KEY, settings);
  } catch {
    try {
      await kvs.set(SETTINGS_KEY, settings);
    } catch (err) {
      let stored: unknown;
      try {
        stored = await kvs.get<unknown>(SETTINGS_KEY);
      } catch {
        throw err; // The outcome is unknown: the version stays taken.
      }
      const found = stored === undefined || stored === null ? '' : settingsHash(stored);
      if (found === taken.hash) return;
      if (found === taken.storedHash) await giveBackVersion(taken).catch(() => undefined);
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Last successful run per scope: where incremental runs start from.

export interface RunMarker {
  runId: string;
  mode: 'full' | 'incremental';
  /** When the run started (ms): incremental runs fetch issues updated since (minus overlap). */
  startedMs: number;
  finishedMs: number;
  /** When the last full run of this scope started (ms), for the weekly refresh. */
  lastFullStartedMs: number | null;
  /** `fetchScopeOf` the run's settings; absent in markers written before it was kept. */
  fetchScope?: string | undefined;
  /** The thresholds the run gave the stored pairs their tiers by; absent in markers written before they were kept. */
  thresholds?: { duplicate: number; related: number } | undefined;
}

const markerSchema = z.object({
  runId: z.string(),
  mode: z.enum(['full', 'incremental']),
  startedMs: z.number(),
  finishedMs: z.number(),
  lastFullStartedMs: z.number().nullable(),
  fetchScope: z.string().optional(),
  thresholds: z.object({ duplicate: z.number(), related: z.number() }).optional(),
});

function markerKey(scopeKey: string): string {
  return `last-success:${scopeKey.replace(/[^a-zA-Z0-9:._-]/g, '_')}`;
}

export async function getRunMarker(scopeKey: string): Promise<RunMarker | null> {
  const stored = await kvs.get<unknown>(markerKey(scopeKey));
  const parsed = markerSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * Whether the settings' thresholds differ from those the run behind `marker` gave the stored
 * pairs their tiers by: the tiers shown are from before until an analysis applies them. False
 * without a marker, or with one written before markers kept the thresholds.
 */
export function tiersOutdated(marker: RunMarker | null, settings: Pick<Settings, 'thresholds'>): boolean {
  const stored = marker?.thresholds;
  return stored !== undefined && (stored.duplicate !== settings.thresholds.duplicate || stored.related !== settings.thresholds.related);
}

/** Forgets the last good runs of these scopes (projects taken out of the settings). */
export async function deleteRunMarkers(scopeKeys: string[]): Promise<void> {
  for (const key of scopeKeys) await kvs.delete(markerKey(key));
}

export async function setRunMarker(scopeKey: string, marker: Omit<RunMarker, 'lastFullStartedMs'>): Promise<void> {
  const previous = await getRunMarker(scopeKey);
  const lastFullStartedMs = marker.mode === 'full' ? marker.startedMs : (previous?.lastFullStartedMs ?? null);
  await kvs.set(markerKey(scopeKey), { ...marker, lastFullStartedMs });
}
