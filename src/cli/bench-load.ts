/**
 * `npm run bench:load -- [--users 100] [--seconds 60] [--issues 20000] [--think-ms 3000] [--sql-pool 16] [--issue-share 0.7] [--seed 7] [--json] [--verbose]`
 *
 * Load on the two hottest resolvers, end to end on loopback: the sandbox (`startSandbox`:
 * Jira stand-in, LocalForge with the app's real handlers on MariaDB, and the shell host) is
 * loaded with a generated backlog spread over four projects, a real full analysis indexes
 * it, and then simulated users call the resolvers the way the pages do, through the host's
 * bridge endpoint (`POST /__bridge`, the user chosen by the session cookie):
 *   ~70 % issue view   `suggestions.get` on a random issue of a project the user may browse;
 *   ~30 % review queue `pairs.list` with varied filters, sorts and pages.
 * Users are admins, members, a restricted user (no OPS) and a viewer (no Link Issues).
 * Each user waits a random think time between calls (uniform 0.5–1.5 × --think-ms, default
 * 3 s: a person opening issues or paging the queue as fast as they can read). The run stops by
 * itself after --seconds (in-flight calls get 30 s to finish). With --json the last line
 * printed is exactly one JSON object:
 *   {"users":100,"seconds":60,"requests":…,"errors":…,"p50_ms":…,"p95_ms":…,"p99_ms":…}
 * An error is any call that does not answer `{ success: true }` over HTTP 200.
 */
import { join } from 'node:path';
import { loadTermStats } from './lib/synthetic/term-stats';
import { generateBacklog } from './lib/synthetic/backlog';
import { Random } from './lib/synthetic/random';
import { numberArg, parseArgs, UsageError } from './lib/args';
import { JiraStandIn, type SeedIssue } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import { sampleBacklog } from '../../sandbox/seed';
import type { FrameCall, HostForge } from '../../sandbox/host/forge-context';
import { startHost, type Host } from '../../sandbox/host/host-server';
import * as appHandlers from '../index';

const DEV_SET = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'hadoop-jira', 'issues.jsonl');
const DATABASE = 'dedupe_bench_load';
const PROJECTS = [
  { id: '10000', key: 'SHOP' },
  { id: '10001', key: 'MOB' },
  { id: '10002', key: 'OPS' },
  { id: '10100', key: 'DATA' },
] as const;
const DRAIN_MS = 30_000;

interface Options {
  users: number;
  seconds: number;
  issues: number;
  thinkMs: number;
  json: boolean;
  seed: number;
  /** Pass the app's own log lines through (to stderr); by default they are dropped. */
  verbose: boolean;
  /** MariaDB connections behind the runtime's Forge SQL endpoint. */
  sqlPool: number;
  /** Share of calls that are issue views (`suggestions.get`); the rest are `pairs.list`. */
  issueShare: number;
}

type Action = 'suggestions.get' | 'pairs.list';

interface Sample {
  action: Action;
  ms: number;
  ok: boolean;
  /** For failures: the contract's error code, `HTTP <status>`, `bridge` or `network`. */
  error?: string;
}

function readOptions(argv: string[]): Options {
  const args = parseArgs(argv, { values: ['users', 'seconds', 'issues', 'think-ms', 'seed', 'sql-pool', 'issue-share'], flags: ['json', 'help', 'verbose'] });
  if (args.flags.has('help')) {
    process.stdout.write('npm run bench:load -- [--users 100] [--seconds 60] [--issues 20000] [--think-ms 3000] [--sql-pool 16] [--issue-share 0.7] [--seed 7] [--json] [--verbose]\n');
    process.exit(0);
  }
  return {
    users: numberArg(args, 'users', 1, 1000) ?? 100,
    seconds: numberArg(args, 'seconds', 1, 3600) ?? 60,
    issues: numberArg(args, 'issues', 100, 200_000) ?? 20_000,
    thinkMs: numberArg(args, 'think-ms', 0, 60_000) ?? 3000,
    seed: numberArg(args, 'seed', 0, 2 ** 31) ?? 7,
    sqlPool: numberArg(args, 'sql-pool', 1, 200) ?? 16,
    issueShare: numberArg(args, 'issue-share', 0, 1) ?? 0.7,
    json: args.flags.has('json'),
    verbose: args.flags.has('verbose'),
  };
}

const log = (line: string): void => {
  process.stderr.write(`[bench:load] ${line}\n`);
};

/** The generated backlog as stand-in issues, spread over the four projects. */
function backlog(opts: Options): SeedIssue[] {
  const { issues } = generateBacklog(loadTermStats(DEV_SET), { n: opts.issues, seed: opts.seed, duplicateRate: 0.08 });
  const rng = new Random(opts.seed + 1);
  return issues.map((issue, n) => {
    const project = PROJECTS[rng.int(0, PROJECTS.length - 1)] ?? PROJECTS[0];
    return {
      id: String(200_000 + n),
      projectKey: project.key,
      summary: issue.summary.slice(0, 250) || `Issue ${n}`,
      description: typeof issue.description === 'string' ? issue.description.slice(0, 4000) : null,
      type: issue.type ?? 'Bug',
      status: 'Open',
      statusCategory: 'new',
      labels: issue.labels ?? [],
      components: issue.components ?? [],
      created: Number.isFinite(issue.createdMs) ? new Date(issue.createdMs).toISOString() : new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
    };
  });
}

type Json = Record<string, unknown>;

interface Stack {
  jira: JiraStandIn;
  forge: LocalForge;
  host: Host;
  stop(): Promise<void>;
}

/**
 * The sandbox's parts, wired as `startSandbox` (sandbox/start.ts) wires them: the Jira
 * stand-in with the sample backlog, LocalForge with the app's handlers, and the shell host
 * whose `POST /__bridge` the simulated users call. Composed here rather than through
 * `startSandbox` for one reason: the runtime's MariaDB pool size. The sandbox keeps the
 * runtime's default of 4 connections, which serialises 100 users' queries behind four
 * sockets; Forge SQL is a service, not a 4-connection pool, so the bench uses --sql-pool.
 */
async function startStack(opts: Options): Promise<Stack> {
  await LocalForge.drop(DATABASE);
  const jira = await JiraStandIn.start({ seed: sampleBacklog() });
  const stops: Array<() => Promise<unknown>> = [() => jira.close()];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => log(`stop: ${String(err)}`));
    stops.length = 0;
  };
  try {
    const runtime: { forge?: LocalForge } = {};
    const forgeOf = (): LocalForge => {
      if (!runtime.forge) throw new Error('The Forge runtime is still starting.');
      return runtime.forge;
    };
    const hostForge: HostForge = {
      callResolver: (functionKey, method, payload, call: FrameCall) =>
        forgeOf().callResolver(functionKey, method, payload, { accountId: call.accountId, extension: call.extension, localId: call.localId, moduleKey: call.moduleKey }),
      dynamicProperties: (functionKey, call: FrameCall) =>
        forgeOf().invokeFunction(functionKey, { extension: call.extension, context: { accountId: call.accountId, extension: call.extension } }, { principal: { accountId: call.accountId }, accountId: call.accountId }),
    };
    const host = await startHost({
      appRoot: join(__dirname, '..', '..'),
      jiraUrl: jira.url,
      forge: hostForge,
      site: { cloudId: 'local-cloud-id', siteUrl: '', environmentId: 'local-environment', environmentType: 'DEVELOPMENT' },
      users: jira.users().map((u) => ({ accountId: u.accountId, displayName: u.displayName, role: u.admin ? 'Jira admin' : 'member' })),
      port: 0,
    });
    stops.push(() => host.close());
    const forge = await LocalForge.start({
      handlers: appHandlers,
      jiraUrl: jira.url,
      database: DATABASE,
      manifestPath: join(__dirname, '..', '..', 'manifest.yml'),
      timeScale: 1000,
      persistQueue: false,
      sqlPoolSize: opts.sqlPool,
      appAccountId: jira.appAccountId,
      identity: { siteUrl: host.url.replace(/\/$/, ''), cloudId: 'local-cloud-id' },
    });
    runtime.forge = forge;
    stops.push(() => forge.stop({ drop: true }));
    await forge.runLifecycle('installed');
    return { jira, forge, host, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function adminCall(sandbox: Stack, method: string, payload: Json): Promise<Json> {
  const answer = (await sandbox.forge.callResolver('admin-page-resolver', method, payload, { accountId: 'admin-1', extension: { type: 'jira:adminPage' } })) as Json;
  if (answer['success'] !== true) throw new Error(`${method} failed: ${JSON.stringify(answer['error'])}`);
  return answer['data'] as Json;
}

/** Indexes the backlog with a real full analysis of every project, through the admin page. */
async function analyse(sandbox: Stack): Promise<void> {
  const { settings } = (await adminCall(sandbox, 'settings.get', {})) as { settings: Json };
  await adminCall(sandbox, 'settings.save', { settings: { ...settings, projects: PROJECTS.map((p) => p.key), crossProject: true } });
  const started = Date.now();
  const { run } = (await adminCall(sandbox, 'run.start', { mode: 'full' })) as { run: { runId: string } };
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const status = (await adminCall(sandbox, 'run.status', {})) as { current: Json | null; last: Json | null };
    if (status.current === null) {
      if (status.last?.['runId'] !== run.runId || status.last['status'] !== 'done') throw new Error(`the analysis did not finish: ${JSON.stringify(status.last)}`);
      const counters = status.last['counters'] as { indexed: number; pairs: number };
      log(`indexed ${counters.indexed} issues, ${counters.pairs} pairs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    const c = status.current['counters'] as { fetched: number; pairs: number };
    log(`analysing: ${String(status.current['status'])}, ${c.fetched} fetched, ${c.pairs} pairs`);
  }
}

interface User {
  accountId: string;
  /** Projects this account may browse (restricted-1: not OPS). */
  projects: ReadonlyArray<(typeof PROJECTS)[number]>;
}

const USERS: User[] = [
  { accountId: 'admin-1', projects: PROJECTS },
  { accountId: 'member-1', projects: PROJECTS },
  { accountId: 'member-1', projects: PROJECTS },
  { accountId: 'restricted-1', projects: PROJECTS.filter((p) => p.key !== 'OPS') },
  { accountId: 'viewer-1', projects: PROJECTS },
];

const FILTERS: Json[] = [
  // The queue as it opens: possible duplicates first.
  { status: 'pending', sort: 'likely', order: 'desc' },
  { status: 'pending', sort: 'likely', order: 'desc', minScore: 0.3 },
  { status: 'pending' },
  { status: 'pending', tier: 'duplicate' },
  { status: 'pending', tier: 'related', sort: 'created', order: 'desc' },
  { status: 'pending', minScore: 0.5 },
  { status: 'pending', search: 'error' },
  { status: 'pending', sort: 'updated', order: 'asc', pageSize: 50 },
  { status: 'dismissed' },
  { status: 'confirmed' },
  { status: 'pending', types: ['Bug'], statusCategories: ['new'] },
];

interface Bridge {
  url: string;
  issuesByProject: Map<string, Array<{ id: string; key: string }>>;
}

/** Undefined when the call answered `{ success: true }`, else what went wrong. */
async function invoke(bridge: Bridge, accountId: string, moduleKey: string, extension: Json, method: Action, payload: Json): Promise<string | undefined> {
  const res = await fetch(`${bridge.url}__bridge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `sandbox_user=${accountId}` },
    body: JSON.stringify({ command: 'invoke', moduleKey, localId: moduleKey, extension, payload: { functionKey: method, payload } }),
  });
  if (res.status !== 200) return `HTTP ${res.status}`;
  const answer = (await res.json()) as { ok?: boolean; result?: { success?: boolean; error?: { code?: string; message?: string } } };
  if (answer.ok !== true) return 'bridge';
  if (answer.result?.success === true) return undefined;
  return `${answer.result?.error?.code ?? 'unknown'}: ${answer.result?.error?.message ?? ''}`;
}

async function oneCall(bridge: Bridge, user: User, rng: Random, issueShare: number): Promise<Sample> {
  const project = rng.pick(user.projects);
  const started = performance.now();
  let action: Action;
  let error: string | undefined;
  try {
    if (rng.chance(issueShare)) {
      action = 'suggestions.get';
      const issue = rng.pick(bridge.issuesByProject.get(project.key) ?? []);
      const extension = { issue: { id: issue.id, key: issue.key, type: 'Bug', typeId: '1' }, project: { id: project.id, key: project.key, type: 'software' } };
      error = await invoke(bridge, user.accountId, 'dedupe-issue-panel', extension, action, { issueId: issue.id });
    } else {
      action = 'pairs.list';
      const filter = rng.pick(FILTERS);
      const page = rng.chance(0.7) ? 1 : rng.int(2, 6);
      error = await invoke(bridge, user.accountId, 'dedupe-project-page', { project: { id: project.id, key: project.key, type: 'software' } }, action, { ...filter, page });
    }
  } catch {
    action = 'suggestions.get';
    error = 'network';
  }
  const ms = performance.now() - started;
  return error === undefined ? { action, ms, ok: true } : { action, ms, ok: false, error };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

async function load(bridge: Bridge, opts: Options): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = Date.now() + opts.seconds * 1000;
  const rngs = Array.from({ length: opts.users }, (_, u) => new Random(opts.seed * 1000 + u));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const user = async (u: number): Promise<void> => {
    const rng = rngs[u] as Random;
    const who = USERS[u % USERS.length] as User;
    // Users arrive over the first think time, not all in the same millisecond.
    await sleep(rng.next() * opts.thinkMs);
    while (Date.now() < deadline) {
      samples.push(await oneCall(bridge, who, rng, opts.issueShare));
      await sleep(opts.thinkMs * (0.5 + rng.next()));
    }
  };
  const progress = setInterval(() => log(`${samples.length} calls, ${samples.filter((s) => !s.ok).length} errors`), 10_000);
  try {
    const all = Promise.all(Array.from({ length: opts.users }, (_, u) => user(u)));
    const drained = await Promise.race([all.then(() => true), sleep(opts.seconds * 1000 + DRAIN_MS).then(() => false)]);
    if (!drained) log(`stopped waiting for calls still in flight ${DRAIN_MS / 1000} s after the end`);
  } finally {
    clearInterval(progress);
  }
  return [...samples];
}

function summarise(samples: Sample[]): { requests: number; errors: number; p50: number; p95: number; p99: number } {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { requests: samples.length, errors: samples.filter((s) => !s.ok).length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/**
 * The app logs one line per resolver call. On Forge those lines are shipped out of process;
 * here they would be terminal I/O inside the measured process, so they are dropped unless
 * --verbose (then they go to stderr). stdout carries only the summary and the JSON line.
 */
function routeAppLogs(verbose: boolean): void {
  const sink = verbose ? (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`) : () => undefined;
  console.log = sink;
  console.info = sink;
  console.debug = sink;
  console.warn = sink;
}

async function main(): Promise<void> {
  const opts = readOptions(process.argv.slice(2));
  routeAppLogs(opts.verbose);
  log(`generating ${opts.issues} issues over ${PROJECTS.map((p) => p.key).join(', ')}`);
  const issues = backlog(opts);
  const sandbox = await startStack(opts);
  try {
    sandbox.jira.loadSeed({ projects: [{ id: '10100', key: 'DATA', name: 'Data Platform' }], issues });
    await analyse(sandbox);
    const issuesByProject = new Map<string, Array<{ id: string; key: string }>>();
    for (const seeded of issues) {
      const stored = seeded.id === undefined ? undefined : sandbox.jira.store.getIssue(seeded.id);
      if (!stored) continue;
      const list = issuesByProject.get(seeded.projectKey) ?? [];
      list.push({ id: stored.id, key: stored.key });
      issuesByProject.set(seeded.projectKey, list);
    }
    const url = sandbox.host.url;
    const bridge: Bridge = { url: url.endsWith('/') ? url : `${url}/`, issuesByProject };
    log(`${opts.users} users for ${opts.seconds} s (think time ~${opts.thinkMs} ms, ${opts.sqlPool} SQL connections) through ${bridge.url}__bridge`);
    const cpuBefore = process.cpuUsage();
    const samples = await load(bridge, opts);
    const cpu = process.cpuUsage(cpuBefore);
    const all = summarise(samples);
    const lines = [
      `bench:load  ${opts.users} users, ${opts.seconds} s, ${opts.issues} generated issues (+${sampleBacklog().issues.length} sample), through the sandbox host's bridge (HTTP on loopback), ${opts.sqlPool} SQL connections`,
      `  all             ${all.requests} calls (${(all.requests / opts.seconds).toFixed(1)}/s), ${all.errors} errors, p50 ${all.p50.toFixed(1)} ms, p95 ${all.p95.toFixed(1)} ms, p99 ${all.p99.toFixed(1)} ms`,
    ];
    for (const action of ['suggestions.get', 'pairs.list'] as const) {
      const part = summarise(samples.filter((s) => s.action === action));
      lines.push(`  ${action.padEnd(15)} ${part.requests} calls, ${part.errors} errors, p50 ${part.p50.toFixed(1)} ms, p95 ${part.p95.toFixed(1)} ms, p99 ${part.p99.toFixed(1)} ms`);
    }
    const why = new Map<string, number>();
    for (const s of samples) if (s.error !== undefined) why.set(s.error, (why.get(s.error) ?? 0) + 1);
    for (const [error, n] of [...why].sort((x, y) => y[1] - x[1]).slice(0, 5)) lines.push(`  error ×${n}: ${error}`);
    const sqlStats = sandbox.forge.sql.stats();
    lines.push(`  SQL (analysis included): ${sqlStats.calls} statements, ${(sqlStats.totalMs / 1000).toFixed(1)} s summed over statements (waits for a connection included), peak ${sqlStats.peakDmlPerSecond}/s (Forge allows 150)`);
    lines.push(`  process CPU during the load: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (the whole sandbox runs in this process); load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ users: opts.users, seconds: opts.seconds, requests: all.requests, errors: all.errors, p50_ms: round1(all.p50), p95_ms: round1(all.p95), p99_ms: round1(all.p99) })}\n`);
    }
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof UsageError ? `bench:load: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
