/**
 * Pipeline benchmark through the local Forge runtime (real SDKs, MariaDB, the Jira stand-in
 * with ~100 ms latency on every search page and 50 issues a page):
 *
 *   npm run bench:pipeline -- [--json] [--synthetic 20000] [--skip-synthetic] [--concurrency 8] [--breakdown] [--sql-latency MS] [--keep-database]
 *
 * 1. dev set (../shared/datasets/hadoop-jira, 2,503 issues): full run end to end, and how
 *    many of the 66 known duplicate pairs are among the stored pairs (either tier);
 * 2. synthetic backlog (default 20,000 issues, the engine's generator): full run end to end,
 *    SQL footprint (information_schema data_length + index_length), issue-view resolver p95
 *    (`suggestions.get` with its permission check), and created-issue → stored suggestions.
 *
 * The queue runs `--concurrency` events at once (default 8), standing in for the platform
 * running a queue's events in parallel. With --json the last line is one JSON object.
 * `--keep-database` leaves the synthetic backlog's app database in place (its name is printed),
 * to look at its tables and query plans; drop it with `DROP DATABASE` (and its `_rt` twin).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JiraStandIn, type SeedData } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import { startRun } from '../analysis/run-control';
import * as appHandlers from '../index';
import type { RunView } from '../shared/contract';
import { pairsOfIssue } from '../store/pairs';
import { DEFAULT_SETTINGS, saveSettings } from '../store/settings';
import { getRunView } from '../store/runs';
import { numberArg, parseArgs } from './lib/args';
import { generateBacklog } from './lib/synthetic/backlog';
import { loadTermStats } from './lib/synthetic/term-stats';

const DATASET = join(process.cwd(), '..', 'shared', 'datasets', 'hadoop-jira');
const SEARCH_LATENCY_MS = 100;
const SEARCH_PATH = /\/rest\/api\/3\/search\/jql/;

interface Env {
  jira: JiraStandIn;
  forge: LocalForge;
}

function log(json: boolean, line: string): void {
  // With --json, progress goes to stderr so stdout ends with exactly one JSON line.
  if (json) process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

async function startEnv(jira: JiraStandIn, projects: string[], concurrency: number): Promise<Env> {
  jira.faults.latency(SEARCH_LATENCY_MS, SEARCH_PATH);
  const forge = await LocalForge.start({ handlers: appHandlers, jiraUrl: jira.url, persistQueue: false, queueConcurrency: concurrency });
  await forge.runLifecycle('installed');
  await saveSettings({ ...DEFAULT_SETTINGS, projects });
  return { jira, forge };
}

async function stopEnv(env: Env, keep = false): Promise<void> {
  await env.forge.stop({ drop: !keep });
  await env.jira.close();
}

async function fullRun(env: Env, projectKey: string): Promise<{ ms: number; run: RunView | null }> {
  const t0 = Date.now();
  const { run } = await startRun({ scope: { kind: 'project', projectKey }, trigger: 'manual', startedBy: 'admin-1' });
  await env.forge.queue.settle(30 * 60_000);
  const ms = Date.now() - t0;
  return { ms, run: await getRunView(run.runId) };
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

async function devset(json: boolean, concurrency: number): Promise<{ issues: number; total_ms: number; known_pairs: number; known_pairs_found: number }> {
  const csv = readFileSync(join(DATASET, 'hadoop_bugs.csv'), 'utf8');
  const pairs = readFileSync(join(DATASET, 'pairs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map((s) => s.trim()));
  const jira = await JiraStandIn.start();
  const loaded = jira.loadJiraCsv(csv, { projectKey: 'HADOOP' });
  const env = await startEnv(jira, ['HADOOP'], concurrency);
  try {
    const { ms, run } = await fullRun(env, 'HADOOP');
    const rows = (await env.forge.sql.query('SELECT id FROM pairs WHERE active = 1')) as Array<{ id: string }>;
    const stored = new Set(rows.map((r) => r.id));
    const found = pairs.filter(([a = '', b = '']) => stored.has(a < b ? `${a}-${b}` : `${b}-${a}`)).length;
    log(json, `dev set: ${loaded.issues} issues, run ${run?.status} in ${ms} ms, ${run?.counters.pairs} pairs, known pairs found ${found}/${pairs.length}`);
    return { issues: loaded.issues, total_ms: ms, known_pairs: pairs.length, known_pairs_found: found };
  } finally {
    await stopEnv(env);
  }
}

function syntheticSeed(n: number): { seed: SeedData; ids: string[] } {
  const stats = loadTermStats(existsSync(join(DATASET, 'issues.jsonl')) ? join(DATASET, 'issues.jsonl') : null);
  const backlog = generateBacklog(stats, { n, seed: 42, duplicateRate: 0.05 });
  return {
    ids: backlog.issues.map((i) => i.id),
    seed: {
      projects: [{ id: '10000', key: 'SYN', name: 'Synthetic' }],
      issues: backlog.issues.map((i) => ({
        id: i.id,
        projectKey: 'SYN',
        // Jira refuses summaries of 255 characters or more; the generator does not know.
        summary: Array.from(i.summary).slice(0, 254).join(''),
        description: typeof i.description === 'string' ? i.description : null,
        type: i.type ?? 'Bug',
        status: 'Open',
        statusCategory: 'new' as const,
        components: i.components ?? [],
        labels: i.labels ?? [],
        created: i.created,
      })),
    },
  };
}

/**
 * Where the footprint is: each table's data and index bytes (information_schema, after the
 * ANALYZE that footprintBytes ran) and each index's pages (InnoDB's persistent statistics).
 */
async function footprintBreakdown(env: Env, json: boolean): Promise<void> {
  const mib = (bytes: unknown): string => (Number(bytes) / 2 ** 20).toFixed(2);
  const tables = (await env.forge.sql.query(
    'SELECT table_name AS t, table_rows AS r, data_length AS d, index_length AS i FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY data_length + index_length DESC',
  )) as Array<{ t: string; r: number; d: number; i: number }>;
  for (const row of tables) log(json, `  table ${row.t}: ~${row.r} rows, data ${mib(row.d)} MiB, indexes ${mib(row.i)} MiB`);
  const indexes = (await env.forge.sql.query(
    "SELECT table_name AS t, index_name AS x, stat_value AS pages FROM mysql.innodb_index_stats WHERE database_name = DATABASE() AND stat_name = 'size' ORDER BY stat_value DESC",
  )) as Array<{ t: string; x: string; pages: number }>;
  for (const row of indexes) log(json, `  index ${row.t}.${row.x}: ${mib(Number(row.pages) * 16384)} MiB`);
  const columns = (await env.forge.sql.query(
    'SELECT AVG(LENGTH(terms)) AS terms, AVG(LENGTH(words)) AS words, AVG(LENGTH(summary)) AS summary FROM docs',
  )) as Array<Record<string, unknown>>;
  const pairColumns = (await env.forge.sql.query(
    'SELECT AVG(LENGTH(reasons)) AS reasons, AVG(LENGTH(id)) AS id, AVG(LENGTH(first_run) + LENGTH(last_run)) AS runs FROM pairs',
  )) as Array<Record<string, unknown>>;
  log(json, `  average bytes: docs ${JSON.stringify(columns[0])}, pairs ${JSON.stringify(pairColumns[0])}`);
}

async function synthetic(json: boolean, n: number, concurrency: number, breakdown: boolean, sqlLatencyMs: number, keep: boolean): Promise<{ issues: number; total_ms: number; panel_p95_ms: number | null; panel_measured: string; create_check_ms: number; created_to_suggestions_ms: number; sql_mib: number; pairs: number }> {
  const { seed, ids } = syntheticSeed(n);
  const jira = await JiraStandIn.start({ seed });
  const env = await startEnv(jira, ['SYN'], concurrency);
  try {
    const { ms, run } = await fullRun(env, 'SYN');
    const footprint = await env.forge.sql.footprintBytes({ analyze: true });
    log(json, `synthetic: ${n} issues, run ${run?.status} in ${ms} ms, ${run?.counters.pairs} pairs, SQL ${(footprint / 2 ** 20).toFixed(1)} MiB`);
    if (breakdown) await footprintBreakdown(env, json);
    // From here on (the interactive measurements), every SQL call can be made to wait as a
    // network round trip to Forge SQL would; the local server answers in well under a ms.
    if (sqlLatencyMs > 0) {
      env.forge.sql.faults.setLatency(sqlLatencyMs);
      log(json, `SQL latency: ${sqlLatencyMs} ms per call from here on`);
    }

    // Issue view: the resolver as the panel calls it (permission check included).
    const sample = Array.from({ length: 200 }, (_, i) => ids[(i * 7919) % ids.length] ?? '');
    const times: number[] = [];
    let measured = 'issue-view-resolver suggestions.get';
    for (const id of sample) {
      const t0 = performance.now();
      try {
        await env.forge.callResolver('issue-view-resolver', 'suggestions.get', { issueId: id }, { accountId: 'admin-1', extension: { issue: { id, key: '', type: 'Bug' } } });
      } catch {
        measured = 'store lookup (pairsOfIssue): resolver unavailable';
        await pairsOfIssue(id, { activeOnly: true });
      }
      times.push(performance.now() - t0);
    }
    const panel = Math.round(p95(times));
    log(json, `issue view p95: ${panel} ms over ${times.length} calls (${measured})`);

    // Create dialog: `create.check` as the UI modification calls it once the summary is entered
    // (the project's stored documents are indexed per call; nothing is cached between calls).
    const checkTimes: number[] = [];
    let checkMatches = 0;
    for (let i = 0; i < 5; i++) {
      const base = seed.issues[(i * 3001 + 11) % seed.issues.length];
      const t0 = performance.now();
      const res = (await env.forge.callResolver('create-check-resolver', 'create.check', { summary: base?.summary ?? 'New issue' }, {
        accountId: 'admin-1',
        extension: { type: 'jira:uiModifications', project: { id: '10000', key: 'SYN', type: 'software' }, viewType: 'GIC' },
      })) as { success: boolean; data?: { matches: unknown[] } };
      checkTimes.push(performance.now() - t0);
      checkMatches += res.success ? (res.data?.matches.length ?? 0) : 0;
    }
    const checkMs = Math.round([...checkTimes].sort((a, b) => a - b)[2] ?? 0);
    log(json, `create.check: median ${checkMs} ms over ${checkTimes.length} calls (${checkMatches} matches in all)`);

    // Created issue → stored suggestions: the trigger's full work after its event is delivered.
    const createdTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const base = seed.issues[(i * 4001 + 17) % seed.issues.length];
      let payload: Record<string, unknown> | undefined;
      const off = jira.onEvent((type, p) => {
        if (type === 'avi:jira:created:issue') payload = p as Record<string, unknown>;
      });
      const created = jira.createIssue({ projectKey: 'SYN', summary: `${base?.summary ?? 'New issue'} again`, description: 'Seen again after the upgrade.', type: 'Bug' }, { accountId: 'member-1' });
      await jira.flushEvents();
      off();
      if (!payload) throw new Error('the stand-in emitted no created event');
      const t0 = performance.now();
      await env.forge.deliverProductEvent('avi:jira:created:issue', payload);
      createdTimes.push(performance.now() - t0);
      const stored = await pairsOfIssue(created.id, { activeOnly: true });
      log(json, `created ${created.key}: suggestions stored in ${Math.round(createdTimes[i] ?? 0)} ms (${stored.length} pairs)`);
    }
    const createdMs = Math.round([...createdTimes].sort((a, b) => a - b)[1] ?? 0);
    return { issues: n, total_ms: ms, panel_p95_ms: panel, panel_measured: measured, create_check_ms: checkMs, created_to_suggestions_ms: createdMs, sql_mib: Math.round((footprint / 2 ** 20) * 10) / 10, pairs: run?.counters.pairs ?? 0 };
  } finally {
    if (keep) log(json, `kept database ${env.forge.database} (and ${env.forge.database}_rt)`);
    await stopEnv(env, keep);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ['synthetic', 'concurrency', 'sql-latency'], flags: ['json', 'skip-synthetic', 'skip-devset', 'breakdown', 'keep-database'] });
  const json = args.flags.has('json');
  const n = Number(args.values.get('synthetic') ?? 20000);
  const concurrency = Number(args.values.get('concurrency') ?? 8);
  const result: Record<string, unknown> = {};
  if (!args.flags.has('skip-devset')) {
    if (existsSync(join(DATASET, 'hadoop_bugs.csv'))) result.devset = await devset(json, concurrency);
    else log(json, `dev set skipped: ${DATASET} is absent`);
  }
  if (!args.flags.has('skip-synthetic')) {
    const s = await synthetic(json, n, concurrency, args.flags.has('breakdown'), numberArg(args, 'sql-latency', 0, 10_000) ?? 0, args.flags.has('keep-database'));
    result.synthetic = { issues: s.issues, total_ms: s.total_ms, pairs: s.pairs };
    result.panel_p95_ms = s.panel_p95_ms;
    result.panel_measured = s.panel_measured;
    result.created_to_suggestions_ms = s.created_to_suggestions_ms;
    result.create_check_ms = s.create_check_ms;
    result.sql_mib_20k = s.sql_mib;
  }
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-pipeline failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
