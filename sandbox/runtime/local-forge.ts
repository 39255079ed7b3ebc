/**
 * LocalForge: the stand-in for the Forge platform at the `__forge_fetch__` seam.
 * One instance per process (the seam is a global). It owns the MariaDB pools for
 * the app database (Forge SQL) and the runtime database (KVS, queue), the Jira
 * forwarder, the queue dispatcher and the invoker that runs handlers the way Forge
 * would.
 */
import { resolve } from 'node:path';
import type { Pool } from 'mysql2/promise';
import { defaultIdentity, type AppIdentity } from './app-identity';
import { installSeam, removeSeam, route, seamInstalled } from './fetch-seam';
import { buildRuntime, currentScope } from './invocation-scope';
import { JiraForwarder, type JiraCallStats } from './jira/jira-forwarder';
import { KvsEndpoint } from './kvs/kvs-endpoint';
import type { KvsFaults } from './kvs/kvs-faults';
import { KvsStore } from './kvs/kvs-store';
import { LocalForgeError } from './local-forge-error';
import { loadManifest, type AppManifest } from './manifest/app-manifest';
import { SqlEndpoint, type SqlCallStats } from './sql/sql-endpoint';
import { SqlFaults } from './sql/sql-faults';
import {
  checkDatabaseName,
  createDatabase,
  databaseFootprint,
  DEFAULT_SQL_URL,
  dropDatabase,
  generateDatabaseName,
  isMariaDb,
  openPool,
} from './sql/sql-server';
import { Invoker, type ResolverCallOptions, type TriggerOutcome } from './invoke/invoker';
import { QueueDispatcher, type QueueFaults, type QueueStats } from './queue/queue-dispatcher';
import { QueueEndpoint } from './queue/queue-endpoint';
import { QueueStore } from './queue/queue-store';
import { SimClock } from './queue/sim-clock';

export interface LocalForgeOptions {
  /** The module exports of src/index.ts (or a fixture): the handlers manifest.yml names. */
  handlers: Record<string, unknown>;
  /** mysql://user[:password]@host:port; default FORGE_SQL_URL or mysql://root@127.0.0.1:3306. */
  sqlUrl?: string;
  /** The app database (Forge SQL). Generated (`forge_<random>`) when absent; reuse it to restart. */
  database?: string;
  /** Base URL of the Jira stand-in; can be set later with setJiraUrl(). */
  jiraUrl?: string;
  /** Default: manifest.yml in the working directory. */
  manifestPath?: string;
  /** Simulated ms per real ms for queue delays and retryAfter (1000 → 1 s passes in 1 ms). */
  timeScale?: number;
  /** Events delivered at once (default 2). */
  queueConcurrency?: number;
  /** Keep undelivered events in MariaDB so a restarted sandbox redelivers them (default true). */
  persistQueue?: boolean;
  /** Deliver every event twice (at-least-once made visible). */
  duplicateDeliveries?: boolean;
  /** Retries after a consumer throws or a delivery fails, before the event counts failed (default 4). */
  maxRetries?: number;
  /** The app's Atlassian account id: product events it caused are filtered by ignoreSelf. */
  appAccountId?: string;
  /** Installation identifiers (cloudId, appId, ...). */
  identity?: Partial<AppIdentity>;
  /** Reject DDL sent outside executeDDL (default true). */
  strictDdlEndpoint?: boolean;
  /** Per function key, the timeout getRemainingTimeInMillis counts down from, in real ms. */
  functionTimeoutMs?: Record<string, number>;
  /**
   * Reject invocations that run past their function timeout (real time, not scaled):
   * a resolver call rejects with FunctionTimeoutError, a consumer delivery is retried
   * with FUNCTION_TIME_OUT. Default false: timeouts are only reported.
   */
  enforceTimeouts?: boolean;
  /** Answer 429 RATE_LIMIT_EXCEEDED past 150 DML requests/s or 25 DDL/min (default false; peaks are in sql.stats()). */
  enforceSqlRateLimits?: boolean;
  /** Connections in the app database pool (default 4). */
  sqlPoolSize?: number;
}

export interface SqlControl {
  /** Runs a statement directly on the app database (no Forge limits): for test setup and assertions. */
  query(statement: string, params?: unknown[]): Promise<unknown[]>;
  /** Sum of data_length + index_length of the app database's tables. */
  footprintBytes(options?: { analyze?: boolean }): Promise<number>;
  /** Calls `fn` with every statement the app sends (after the Forge checks, before it runs); returns an unsubscribe. */
  observe(fn: (query: string, params: readonly unknown[]) => void): () => void;
  readonly faults: SqlFaults;
  stats(): SqlCallStats;
}

export interface KvsControl {
  /** Every live entry: plain keys by key, secrets and entities as `secret/<key>`, `entity:<name>/<key>`. */
  dump(): Promise<Map<string, unknown>>;
  clear(): Promise<void>;
  /** Failures and holds for chosen KVS requests (every route goes through them). */
  readonly faults: KvsFaults;
}

export interface QueueControl {
  /**
   * Resolves when no event is waiting or in flight (delayed ones included) and no
   * invocation started through LocalForge is running. Never await it inside a handler.
   */
  settle(timeoutMs?: number): Promise<void>;
  readonly faults: QueueFaults;
  stats(): QueueStats;
}

let active: LocalForge | undefined;
/** Set synchronously by start() so two concurrent starts cannot both pass the check. */
let starting = false;

export class LocalForge {
  readonly sql: SqlControl;
  readonly kvs: KvsControl;
  readonly queue: QueueControl;
  readonly identity: AppIdentity;
  readonly manifest: AppManifest;

  private stopped = false;
  /** Invocations started through this object and not yet finished (queue.settle waits for them). */
  private busy = 0;

  private constructor(
    readonly database: string,
    readonly runtimeDatabase: string,
    private readonly sqlUrl: string,
    private readonly appPool: Pool,
    private readonly runtimePool: Pool,
    private readonly sqlEndpoint: SqlEndpoint,
    private readonly kvsStore: KvsStore,
    kvsFaults: KvsFaults,
    private readonly jira: JiraForwarder,
    private readonly dispatcher: QueueDispatcher,
    private readonly invoker: Invoker,
    manifest: AppManifest,
    identity: AppIdentity,
  ) {
    this.manifest = manifest;
    this.identity = identity;
    const faults = sqlEndpoint.faults;
    this.sql = {
      query: async (statement, params = []) => {
        const [rows] = await appPool.query(statement, params);
        return Array.isArray(rows) ? rows : [rows];
      },
      footprintBytes: (options = {}) => databaseFootprint(appPool, database, options.analyze === true),
      observe: (fn) => sqlEndpoint.observe(fn),
      faults,
      stats: () => ({ ...sqlEndpoint.stats, byKind: { ...sqlEndpoint.stats.byKind } }),
    };
    this.kvs = { dump: () => kvsStore.dump(), clear: () => kvsStore.clear(), faults: kvsFaults };
    dispatcher.setExternalBusy(() => this.busy > 0);
    this.queue = {
      settle: (timeoutMs) => dispatcher.settle(timeoutMs),
      faults: dispatcher.faults,
      stats: () => dispatcher.stats(),
    };
  }

  /** Creates (or reopens) the databases, installs the seam and re-queues persisted events. */
  static async start(options: LocalForgeOptions): Promise<LocalForge> {
    if (active || starting || seamInstalled()) {
      throw new LocalForgeError('A LocalForge (or another __forge_fetch__) is already active in this process: stop() it first.');
    }
    starting = true;
    try {
      return await LocalForge.open(options);
    } finally {
      starting = false;
    }
  }

  private static async open(options: LocalForgeOptions): Promise<LocalForge> {
    const sqlUrl = options.sqlUrl ?? process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL;
    const database = checkDatabaseName(options.database ?? generateDatabaseName());
    const runtimeDatabase = checkDatabaseName(`${database}_rt`);
    const manifest = loadManifest(options.manifestPath ?? resolve(process.cwd(), 'manifest.yml'));
    const identity = defaultIdentity({
      ...options.identity,
      ...(options.appAccountId === undefined ? {} : { appAccountId: options.appAccountId }),
    });

    await createDatabase(sqlUrl, database);
    await createDatabase(sqlUrl, runtimeDatabase);
    const appPool = openPool(sqlUrl, database, options.sqlPoolSize ?? 4);
    const runtimePool = openPool(sqlUrl, runtimeDatabase, 4);
    try {
      const sqlEndpoint = new SqlEndpoint(appPool, new SqlFaults(), {
        strictDdlEndpoint: options.strictDdlEndpoint ?? true,
        boundStatementTime: await isMariaDb(appPool),
        enforceRateLimits: options.enforceSqlRateLimits ?? false,
      });
      const kvsStore = new KvsStore(runtimePool);
      await kvsStore.init();
      const jira = new JiraForwarder(undefined);
      if (options.jiraUrl) jira.setBaseUrl(options.jiraUrl);
      const invoker = new Invoker(manifest, options.handlers, identity, options.functionTimeoutMs ?? {}, options.enforceTimeouts ?? false);
      const queueStore = options.persistQueue === false ? undefined : new QueueStore(runtimePool);
      await queueStore?.init();
      const dispatcher = new QueueDispatcher({
        manifest,
        invoker,
        clock: new SimClock(options.timeScale ?? 1),
        store: queueStore,
        concurrency: options.queueConcurrency ?? 2,
        maxRetries: options.maxRetries ?? 4,
        duplicateDeliveries: options.duplicateDeliveries ?? false,
      });
      const queueEndpoint = new QueueEndpoint(dispatcher);
      const kvsEndpoint = new KvsEndpoint(kvsStore);
      const forge = new LocalForge(
        database, runtimeDatabase, sqlUrl, appPool, runtimePool, sqlEndpoint, kvsStore, kvsEndpoint.faults, jira, dispatcher, invoker, manifest, identity,
      );
      installSeam(
        route({
          sql: (path, init) => sqlEndpoint.handle(path, init),
          kvs: (path, init) => kvsEndpoint.handle(path, init),
          // Atlassian's personal data reporting (privacy.reportPersonalData) is answered by the
          // Jira stand-in, as the app; every other stargate path is the queue's.
          stargate: (descriptor, path, init) =>
            path.startsWith('/app/report-accounts') ? jira.forward({ ...descriptor, remote: 'jira' }, path, init, currentScope()?.accountId) : queueEndpoint.handle(path, init),
          product: (descriptor, path, init) => jira.forward(descriptor, path, init, currentScope()?.accountId),
        }),
        () => buildRuntime(identity, currentScope()),
      );
      active = forge;
      await dispatcher.start();
      return forge;
    } catch (error) {
      removeSeam();
      active = undefined;
      await Promise.allSettled([appPool.end(), runtimePool.end()]);
      throw error;
    }
  }

  /** Runs a UI resolver (a @forge/resolver definitions handler) as `accountId`. */
  callResolver(functionKey: string, resolverKey: string, payload: unknown, options: ResolverCallOptions): Promise<unknown> {
    return this.track(() => this.invoker.callResolver(functionKey, resolverKey, payload, options));
  }

  /**
   * Drops a LocalForge's databases (the app's and its `_rt` runtime database) without
   * starting one: e.g. a sandbox started with --fresh.
   */
  static async drop(database: string, sqlUrl = process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL): Promise<void> {
    await dropDatabase(sqlUrl, checkDatabaseName(database));
    await dropDatabase(sqlUrl, checkDatabaseName(`${database}_rt`));
  }

  /**
   * Calls a function key's handler with `(event, context)`. The acting user is
   * `context.principal.accountId` when given (dynamicProperties), else none (triggers).
   */
  invokeFunction(functionKey: string, event: unknown, context: Record<string, unknown> = {}): Promise<unknown> {
    return this.track(() => this.invoker.invokeFunction(functionKey, event, context));
  }

  /** Delivers a product event (e.g. avi:jira:created:issue) to every trigger subscribed to it. */
  deliverProductEvent(eventType: string, payload: Record<string, unknown>): Promise<TriggerOutcome[]> {
    return this.track(() => this.invoker.deliverProductEvent(eventType, payload, this.dispatcher.clock));
  }

  /** Runs a scheduled trigger by module key (or function key). */
  runScheduledTrigger(key: string): Promise<unknown> {
    return this.track(() => this.invoker.runScheduledTrigger(key));
  }

  /** Delivers avi:forge:installed:app or avi:forge:upgraded:app. */
  runLifecycle(kind: 'installed' | 'upgraded'): Promise<TriggerOutcome[]> {
    return this.track(() => this.invoker.runLifecycle(kind, this.dispatcher.clock));
  }

  /**
   * Counts the invocation as busy from the moment it is called (synchronously), so a
   * settle() that starts while a product event is being handled waits for the events
   * that handler pushes.
   */
  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.busy += 1;
    try {
      return await fn();
    } finally {
      this.busy -= 1;
      this.dispatcher.recheckIdle();
    }
  }

  setJiraUrl(url: string): void {
    this.jira.setBaseUrl(url);
  }

  jiraStats(): JiraCallStats {
    return { ...this.jira.stats, byPrincipal: { ...this.jira.stats.byPrincipal } };
  }

  /**
   * Stops delivering, closes the pools and removes the seam. In-flight consumer calls
   * are abandoned (their events stay persisted, as if the process died). With
   * `drop`, both databases are dropped (tests).
   */
  async stop(options: { drop?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.dispatcher.stop();
    if (active === this) {
      removeSeam();
      active = undefined;
    }
    await Promise.allSettled([this.appPool.end(), this.runtimePool.end()]);
    if (options.drop) {
      await dropDatabase(this.sqlUrl, this.database);
      await dropDatabase(this.sqlUrl, this.runtimeDatabase);
    }
  }
}
