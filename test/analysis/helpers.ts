/**
 * Shared setup for pipeline tests: the Jira stand-in (optionally loaded with the Hadoop dev
 * set as project HADOOP) and a LocalForge running the real SDKs on a fresh MariaDB database,
 * with the pipeline's own handlers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalForge, type LocalForgeOptions } from '../../sandbox/runtime';
import { JiraStandIn, type SeedData } from '../../sandbox/jira';
import { analysisWorker } from '../../src/analysis/worker';
import { issueEvents } from '../../src/triggers/issue-events';
import { lifecycle } from '../../src/triggers/lifecycle';
import { scheduledRun } from '../../src/triggers/scheduled';
import { saveSettings, DEFAULT_SETTINGS } from '../../src/store/settings';
import type { Settings } from '../../src/shared/contract';

export const DATASET_DIR = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'hadoop-jira');
export const DEVSET_CSV = join(DATASET_DIR, 'hadoop_bugs.csv');
export const PAIRS_CSV = join(DATASET_DIR, 'pairs.csv');
export const hasDevset = existsSync(DEVSET_CSV) && existsSync(PAIRS_CSV);

export const pipelineHandlers = { analysisWorker, scheduledRun, issueEvents, lifecycle };

export interface Env {
  jira: JiraStandIn;
  forge: LocalForge;
  stop(): Promise<void>;
}

export async function startEnv(opts: { devset?: boolean; seed?: SeedData; forge?: Partial<LocalForgeOptions>; settings?: Partial<Settings>; projectKey?: string } = {}): Promise<Env> {
  const jira = await JiraStandIn.start(opts.seed ? { seed: opts.seed } : {});
  if (opts.devset) jira.loadJiraCsv(readFileSync(DEVSET_CSV, 'utf8'), { projectKey: opts.projectKey ?? 'HADOOP' });
  const forge = await LocalForge.start({
    handlers: pipelineHandlers,
    jiraUrl: jira.url,
    persistQueue: false,
    timeScale: 1000,
    queueConcurrency: 4,
    ...opts.forge,
  });
  await forge.runLifecycle('installed');
  await inForge(forge, () => saveSettings({ ...DEFAULT_SETTINGS, projects: [opts.projectKey ?? 'HADOOP'], ...opts.settings }));
  return {
    jira,
    forge,
    stop: async () => {
      await forge.stop({ drop: true });
      await jira.close();
    },
  };
}

/**
 * Runs store/analysis code outside a handler. The SDKs only need the seam, which LocalForge
 * installs process-wide, so a plain call works; kept as a function to make that explicit.
 */
export async function inForge<T>(_forge: LocalForge, work: () => Promise<T>): Promise<T> {
  return work();
}

export function knownPairs(): Array<[string, string]> {
  return readFileSync(PAIRS_CSV, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((s) => s.trim()) as [string, string]);
}

/** Active pairs as "a-b|tier|score(4dp)|status" lines, sorted: a fingerprint of the results. */
export async function pairFingerprint(forge: LocalForge): Promise<string[]> {
  const rows = (await forge.sql.query('SELECT id, tier, score, status FROM pairs WHERE active = 1 ORDER BY id')) as Array<{ id: string; tier: string; score: number; status: string }>;
  return rows.map((r) => `${r.id}|${r.tier}|${Number(r.score).toFixed(4)}|${r.status}`);
}

/**
 * A smaller slice of the dev set as a seed: every issue of the first `pairCount` known pairs
 * plus the first issues of the file up to `size`, so fault tests are quick but have pairs.
 */
export function devsetSubset(size: number, pairCount = 30, projectKey = 'HADOOP'): SeedData {
  const all = readFileSync(join(DATASET_DIR, 'issues.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string | number; summary: string; description: string | null; created: string });
  const wanted = new Set(knownPairs().slice(0, pairCount).flat());
  const picked = all.filter((i) => wanted.has(String(i.id)));
  for (const i of all) {
    if (picked.length >= size) break;
    if (!wanted.has(String(i.id))) picked.push(i);
  }
  return {
    projects: [{ id: '10000', key: projectKey, name: 'Hadoop' }],
    issues: picked.map((i) => ({
      id: String(i.id),
      projectKey,
      summary: i.summary,
      description: i.description ?? null,
      type: 'Bug',
      status: 'Open',
      statusCategory: 'new' as const,
      created: i.created,
    })),
  };
}
