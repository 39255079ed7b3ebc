/**
 * Who is running right now. Many invocations run concurrently in load tests, so the
 * acting user and the `__forge_runtime__` the SDK reads are kept per async context
 * (AsyncLocalStorage), never in a shared variable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AppIdentity } from './app-identity';

export interface InvocationScope {
  readonly invocationId: string;
  /** The user whose action started the invocation; undefined for triggers and consumers. */
  readonly accountId: string | undefined;
  readonly functionKey: string;
  readonly moduleKey: string;
  readonly startedAt: number;
  readonly timeoutMs: number;
}

const storage = new AsyncLocalStorage<InvocationScope>();

export function currentScope(): InvocationScope | undefined {
  return storage.getStore();
}

export function runInScope<T>(
  init: Omit<InvocationScope, 'invocationId' | 'startedAt'>,
  fn: () => Promise<T>,
): Promise<T> {
  const scope: InvocationScope = { ...init, invocationId: randomUUID(), startedAt: Date.now() };
  return storage.run(scope, fn);
}

/** Metrics are no-ops: @forge/api only needs the call chain to exist. */
const noopMetrics = {
  counter: () => ({ incr: () => undefined, decr: () => undefined }),
  gauge: () => ({ set: () => undefined }),
  timing: () => ({ measure: () => ({ stop: () => undefined }) }),
};

/**
 * The minimal `global.__forge_runtime__` that @forge/api reads: getAppContext(),
 * authorize() (aaid), wrapInMetrics (metrics). `kvs` is deliberately absent so
 * @forge/kvs uses its plain `{type:'kvs'}` descriptor.
 */
export function buildRuntime(identity: AppIdentity, scope: InvocationScope | undefined): Record<string, unknown> {
  return {
    proxy: { token: 'local-forge-token', url: 'http://local-forge.invalid' },
    tracing: { traceId: scope?.invocationId ?? 'no-invocation', spanId: 'local' },
    metrics: noopMetrics,
    aaid: scope?.accountId,
    externalAuth: [],
    container: { appCodeDir: process.cwd() },
    appContext: {
      appId: identity.appId,
      appVersion: identity.appVersion,
      environmentId: identity.environmentId,
      environmentType: identity.environmentType,
      invocationId: scope?.invocationId ?? 'no-invocation',
      installationId: identity.installationId,
      moduleKey: scope?.moduleKey ?? 'no-module',
      license: undefined,
      installation: undefined,
      permissions: { scopes: [], external: {} },
    },
    lambdaContext: {
      getRemainingTimeInMillis: () =>
        scope ? Math.max(0, scope.startedAt + scope.timeoutMs - Date.now()) : Number.MAX_SAFE_INTEGER,
    },
  };
}
