/**
 * `npm start`: the whole app on one machine. The Jira stand-in (seeded with the
 * sample backlog, or a Jira CSV export with --import), the local Forge runtime with
 * the app's real handlers on MariaDB, and the Jira-like shell that frames the real
 * static builds. Prints one `ready: <url>` line once everything answers. On a backlog never
 * analysed, the first analysis of everything in scope is already running by then.
 *
 *   npm start                                   sample backlog (SHOP, MOB, OPS)
 *   npm start -- --import ../shared/datasets/hadoop-jira/hadoop_bugs.csv
 *   npm start -- --database dedupe_sandbox_2    another database (two sandboxes never share one)
 *   npm start -- --fresh                        drop and recreate the sandbox database
 *   npm start -- --no-analysis                  do not start the first analysis by itself
 *   npm start -- --verbose                      progress and the app's logs on the terminal
 *   npm start -- --help                         the options (sandbox/start-options.ts)
 *
 * Without --verbose the app's logs go to .sandbox/sandbox.log (errors still print).
 *
 * A sandbox on a named database holds it (`holdDatabases`) while it runs: a second one on the
 * same database, from another checkout on another PORT, refuses to start instead of sharing
 * it (and `--fresh` there dropping it mid-run).
 *
 * `startSandbox()` is the same thing as a function, for the browser tests (random
 * ports, a database of their own).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { decodeExport } from '../src/import/export-text';
import { NotAJiraExportError } from '../src/import/not-a-jira-export-error';
import * as appHandlers from '../src/index';
import { JiraStandIn } from './jira';
import { LocalForge } from './runtime';
import { adminQuery, dropDatabase, DEFAULT_SQL_URL } from './runtime/sql/sql-server';
import { sampleBacklog } from './seed';
import type { FrameCall, HostForge } from './host/forge-context';
import { startHost, type Host } from './host/host-server';
import type { ShellUser } from './host/session';
import { parseStartArgs, projectKeyFor, SandboxStartError, USAGE } from './start-options';

export { projectKeyFor, SandboxStartError } from './start-options';

const APP_ROOT = resolve(__dirname, '..');
const ADMIN = 'admin-1';

export interface SandboxOptions {
  /** Shell port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Forge SQL database name; default a generated one (dropped on stop). A named one is held
   * while the sandbox runs: another sandbox on it refuses to start.
   */
  database?: string;
  /** Drop the database (and its runtime twin) before starting. */
  fresh?: boolean;
  /** Drop the databases on stop (default: true for generated names). */
  dropOnStop?: boolean;
  /** A Jira CSV export to load instead of the sample backlog. */
  importCsv?: string;
  /** Project key for the imported issues; default from the file name (hadoop_bugs.csv → HADOOP). */
  importProject?: string;
  /** Queue time scale (simulated ms per real ms); default 1. */
  timeScale?: number;
  /** Build the static surfaces (all, or the ones named) first when missing or stale (default true). */
  build?: boolean | string[];
  /** Log progress lines (default false). */
  verbose?: boolean;
  /**
   * Start the first analysis of everything in scope when none ever ran (as the daily
   * schedule would within a day of installing), without waiting for it. `npm start` does;
   * the browser tests start their own.
   */
  firstAnalysis?: boolean;
}

export interface Sandbox {
  url: string;
  forge: LocalForge;
  jira: JiraStandIn;
  host: Host;
  stop(): Promise<void>;
}

/**
 * Holds `.sandbox/build.lock` (a directory: mkdir is atomic) while `fn` runs, so two
 * test workers never build the same surface into the same folder at once.
 */
function withBuildLock<T>(fn: () => T): T {
  const lock = join(APP_ROOT, '.sandbox', 'build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than a build could take was left by a killed process.
      if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new SandboxStartError(`Waited 5 minutes for ${lock}; remove it if no build is running.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs static/build.mjs --if-needed: a no-op when every build is newer than its sources. */
export function ensureStaticBuilds(surfaces: string[] = []): void {
  const result = withBuildLock(() =>
    spawnSync(process.execPath, [join(APP_ROOT, 'static', 'build.mjs'), '--if-needed', ...surfaces], {
      cwd: APP_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    }),
  );
  if (result.status !== 0) {
    throw new SandboxStartError(`Building the static pages failed:\n${result.stderr || result.stdout}`);
  }
}

/** Fails with a sentence saying how to start MariaDB when it does not answer. */
export async function checkDatabaseServer(sqlUrl: string): Promise<void> {
  try {
    await adminQuery(sqlUrl, 'SELECT 1');
  } catch (err) {
    throw new SandboxStartError(
      `MariaDB does not answer at ${sqlUrl.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}). ` +
        'Start it (for example `sudo service mariadb start`, or `mysqld_safe &`) or point FORGE_SQL_URL at a running server.',
    );
  }
}

/** Refused: another running sandbox holds the database (`holdDatabases`). */
function databaseInUse(name: string): SandboxStartError {
  return new SandboxStartError(
    `Another sandbox is using the database ${name} on this MariaDB server: stop it (Ctrl-C where it runs), or start this one on a database of its own with --database NAME (or SANDBOX_DATABASE=NAME).`,
  );
}

/**
 * Takes a MariaDB named lock for the sandbox's databases (the app's and its `_rt` twin;
 * `db:<name>`, at most 64 characters as MySQL allows) on a connection of its own, and keeps
 * it until the returned function ends that connection. Another sandbox on the same
 * databases, from any checkout, is refused here before it reads or drops anything. The
 * server frees a lock when its connection ends, also when the process that held it dies, so
 * a crashed sandbox blocks nothing.
 */
export async function holdDatabases(sqlUrl: string, database: string): Promise<() => Promise<void>> {
  const connection = await createConnection({ uri: sqlUrl });
  // A lost connection frees the locks: say so rather than fail the running sandbox.
  connection.on('error', (err: Error) => console.error(`[sandbox] lost the hold on the database ${database} (${err.message}); another sandbox could now start on it.`));
  try {
    // The connection is idle for as long as the sandbox runs: past the server's wait_timeout
    // (8 hours by default) it would be closed, and the locks with it. A year is the most it takes.
    await connection.query('SET SESSION wait_timeout = 31536000');
    for (const name of [database, `${database}_rt`]) {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS got', [`db:${name}`]);
      if (Number(rows[0]?.['got']) !== 1) throw databaseInUse(name);
    }
  } catch (err) {
    connection.destroy();
    throw err;
  }
  return async () => {
    await connection.end();
  };
}

/** The shell's view of LocalForge: resolvers for frames, a plain function call for the badge. */
function hostForge(forge: () => LocalForge): HostForge {
  return {
    callResolver: (functionKey, method, payload, call: FrameCall) =>
      forge().callResolver(functionKey, method, payload, {
        accountId: call.accountId,
        extension: call.extension,
        localId: call.localId,
        moduleKey: call.moduleKey,
      }),
    dynamicProperties: (functionKey, call: FrameCall) => {
      const f = forge();
      const context = {
        accountId: call.accountId,
        cloudId: f.identity.cloudId,
        moduleKey: call.moduleKey,
        localId: call.localId,
        extension: call.extension,
      };
      return f.invokeFunction(functionKey, { extension: call.extension, context }, { principal: { accountId: call.accountId }, accountId: call.accountId });
    },
  };
}

type Json = Record<string, unknown>;

/** An admin-page resolver call as the sandbox's Jira admin; throws on a failed Result. */
async function asAdmin(forge: LocalForge, method: string, payload: unknown): Promise<Json> {
  const call = { accountId: ADMIN, moduleKey: 'dedupe-admin-page', extension: { type: 'jira:adminPage' } };
  const answer = (await forge.callResolver('admin-page-resolver', method, payload, call)) as Json;
  if (answer['success'] !== true) throw new SandboxStartError(`${method} failed: ${JSON.stringify(answer['error'])}`);
  return answer['data'] as Json;
}

/**
 * What an admin does once after installing, done for them: every project in scope
 * (unless settings were saved before) and the create-dialog check registered (the
 * stand-in forgets registrations on restart, so every start).
 */
async function configureAsAdmin(forge: LocalForge, projectKeys: string[]): Promise<void> {
  const settings = (await asAdmin(forge, 'settings.get', {}))['settings'] as Json;
  if (!Array.isArray(settings['projects']) || settings['projects'].length === 0) {
    await asAdmin(forge, 'settings.save', { settings: { ...settings, projects: projectKeys } });
  }
  await asAdmin(forge, 'uim.register', {});
}

/** Starts an analysis of everything in scope when none has ever run; true when it did. */
async function startFirstAnalysis(forge: LocalForge): Promise<boolean> {
  const status = await asAdmin(forge, 'run.status', {});
  if (status['current'] !== null || status['last'] !== null) return false;
  await asAdmin(forge, 'run.start', { mode: 'full' });
  return true;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = (line: string) => {
    if (options.verbose) console.error(`[sandbox] ${line}`);
  };
  const sqlUrl = process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL;
  // The stand-in first, in memory: a file --import cannot read fails before a build or the database.
  const jira = await JiraStandIn.start(options.importCsv ? {} : { seed: sampleBacklog() });
  const stops: Array<() => Promise<unknown>> = [() => jira.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error('[sandbox] stop:', err));
    stops.length = 0;
  };
  try {
    if (options.importCsv) {
      log(`importing ${options.importCsv}`);
      const projectKey = options.importProject ?? projectKeyFor(options.importCsv);
      const loaded = importExport(jira, options.importCsv, projectKey);
      log(`imported ${loaded.issues} issues into ${projectKey}${loaded.warnings.length ? ` (${loaded.warnings.length} warnings)` : ''}`);
    }
    await checkDatabaseServer(sqlUrl);
    // Before the build, so a sandbox that may not start says so at once.
    if (options.database) {
      const release = await holdDatabases(sqlUrl, options.database);
      stops.push(release);
    }
    if (options.build !== false) {
      log('checking static builds');
      ensureStaticBuilds(Array.isArray(options.build) ? options.build : []);
    }
    if (options.fresh && options.database) {
      log(`dropping ${options.database}`);
      await dropDatabase(sqlUrl, options.database);
      await dropDatabase(sqlUrl, `${options.database}_rt`);
    }
    const users: ShellUser[] = jira.users().map((u) => ({
      accountId: u.accountId,
      displayName: u.displayName,
      role: u.admin ? 'Jira admin' : describeLimits(u),
    }));

    // The host starts first so the app's siteUrl can be the shell's own address.
    const runtime: { forge?: LocalForge } = {};
    const host = await startHost({
      appRoot: APP_ROOT,
      jiraUrl: jira.url,
      forge: hostForge(() => {
        if (!runtime.forge) throw new Error('The Forge runtime is still starting.');
        return runtime.forge;
      }),
      site: { cloudId: 'local-cloud-id', siteUrl: '', environmentId: 'local-environment', environmentType: 'DEVELOPMENT' },
      users,
      port: options.port ?? 0,
      controls: {
        settle: async () => runtime.forge?.queue.settle(60_000),
      },
    });
    stops.push(() => host.close());

    const handlers = appHandlers as Record<string, unknown>;
    const database = options.database;
    const started = await LocalForge.start({
      handlers,
      jiraUrl: jira.url,
      ...(database ? { database } : {}),
      manifestPath: join(APP_ROOT, 'manifest.yml'),
      timeScale: options.timeScale ?? 1,
      appAccountId: jira.appAccountId,
      identity: { siteUrl: host.url.replace(/\/$/, ''), cloudId: 'local-cloud-id' },
    });
    runtime.forge = started;
    const drop = options.dropOnStop ?? !database;
    stops.push(() => started.stop({ drop }));
    jira.onEvent((type, payload) => started.deliverProductEvent(type, payload as Json).then(() => undefined));

    log('running install lifecycle (migrations)');
    await started.runLifecycle('installed');
    await configureAsAdmin(started, jira.projectKeys());
    if (options.firstAnalysis && (await startFirstAnalysis(started))) log('first analysis started');
    log('ready');
    return { url: host.url, forge: started, jira, host, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Loads a Jira CSV export into the stand-in; a file that is not one fails with a sentence. */
function importExport(jira: JiraStandIn, file: string, projectKey: string): { issues: number; warnings: string[] } {
  try {
    return jira.loadJiraCsv(decodeExport(readFileSync(file)).text, { projectKey });
  } catch (err) {
    if (err instanceof NotAJiraExportError || typeof (err as NodeJS.ErrnoException).code === 'string') {
      throw new SandboxStartError(`Cannot import ${file}: ${(err as Error).message}`);
    }
    throw err;
  }
}

function describeLimits(u: { browse: '*' | string[]; link: '*' | string[]; browseDenied?: string[]; projectAdmin?: string[] }): string {
  if (u.projectAdmin && u.projectAdmin.length > 0) return `administers ${u.projectAdmin.join(', ')}`;
  if (u.browseDenied && u.browseDenied.length > 0) return `cannot browse ${u.browseDenied.join(', ')}`;
  if (u.browse !== '*') return `browses ${u.browse.join(', ')}`;
  if (u.link !== '*' && u.link.length === 0) return 'cannot link issues';
  return 'member';
}

/**
 * Sends the app's own logging (every resolver call, run step and trigger) to
 * `.sandbox/sandbox.log`, so the terminal shows only the ready line and real trouble.
 */
function logToFile(): string {
  const file = join(APP_ROOT, '.sandbox', 'sandbox.log');
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file, { flags: 'a' });
  const write = (level: string) => (...args: unknown[]) => out.write(`${new Date().toISOString()} ${level} ${format(...args)}\n`);
  console.log = write('log');
  console.info = write('info');
  console.debug = write('debug');
  console.warn = write('warn');
  return file;
}

async function main(): Promise<void> {
  const command = parseStartArgs(process.argv.slice(2), process.env);
  if (command.help) {
    process.stdout.write(USAGE);
    return;
  }
  const options = command.options;
  if (!options.verbose) logToFile();
  // Builds the pages that are missing or older than their sources (--if-needed), then starts.
  const sandbox = await startSandbox({ ...options, verbose: options.verbose ?? false });
  // "ready" means the shell answers with a page, not just that the port is open.
  const probe = await fetch(sandbox.url, { headers: { accept: 'text/html' } });
  if (!probe.ok) {
    await sandbox.stop();
    throw new SandboxStartError(`The shell answered ${probe.status} at ${sandbox.url}.`);
  }
  process.stdout.write(`ready: ${sandbox.url}\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${process.env['PORT'] ?? 8080} is in use: stop what runs there or start with PORT=<another port> npm start.`);
    } else {
      console.error(err instanceof SandboxStartError ? err.message : err);
    }
    process.exit(1);
  });
}
