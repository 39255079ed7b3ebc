/**
 * App settings (one KVS key) and the per-scope "last successful run" markers.
 *
 * `settingsSchema` is the edge check for everything that reads or writes settings; its
 * output type is checked against `Settings` in src/shared/contract.ts at compile time.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import type { Settings } from '../shared/contract';
import { DEFAULT_CONFIG } from '../engine/config';

const SETTINGS_KEY = 'settings:v1';

const weight = z.number().min(0).max(5);
/** Jira project keys: a letter, then letters, digits or underscores. */
export const projectKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'must be a Jira project key such as SHOP');

export const settingsSchema = z
  .object({
    thresholds: z.object({
      duplicate: z.number().min(0).max(1),
      related: z.number().min(0).max(1),
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
  .refine((s) => Object.values(s.weights).some((w) => w > 0), {
    message: 'at least one field needs a weight above 0',
    path: ['weights'],
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
  const stored = await kvs.get<unknown>(SETTINGS_KEY);
  if (stored === undefined || stored === null) return copy(DEFAULT_SETTINGS);
  const direct = settingsSchema.safeParse(stored);
  if (direct.success) return direct.data;
  const merged = settingsSchema.safeParse({ ...copy(DEFAULT_SETTINGS), ...(typeof stored === 'object' ? stored : {}) });
  if (merged.success) return merged.data;
  console.warn('settings: stored settings failed validation; using defaults');
  return copy(DEFAULT_SETTINGS);
}

/** Validates (throws zod's error on bad input: check with settingsSchema first at the edge) and stores. */
export async function saveSettings(settings: Settings): Promise<Settings> {
  const valid = settingsSchema.parse(settings);
  const normalised: Settings = {
    ...valid,
    projects: [...new Set(valid.projects)].sort(),
    issueTypes: [...new Set(valid.issueTypes.map((t) => t.trim()).filter((t) => t !== ''))],
    jqlFilter: valid.jqlFilter.trim(),
  };
  await kvs.set(SETTINGS_KEY, normalised);
  return normalised;
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

/** Forgets the last good runs of these scopes (projects taken out of the settings). */
export async function deleteRunMarkers(scopeKeys: string[]): Promise<void> {
  for (const key of scopeKeys) await kvs.delete(markerKey(key));
}

export async function setRunMarker(scopeKey: string, marker: Omit<RunMarker, 'lastFullStartedMs'>): Promise<void> {
  const previous = await getRunMarker(scopeKey);
  const lastFullStartedMs = marker.mode === 'full' ? marker.startedMs : (previous?.lastFullStartedMs ?? null);
  await kvs.set(markerKey(scopeKey), { ...marker, lastFullStartedMs });
}
