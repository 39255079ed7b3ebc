/**
 * The one place the runtime meets the SDKs: `globalThis.__forge_fetch__(descriptor,
 * path, init)` (read by @forge/api, @forge/sql, @forge/kvs and @forge/events at
 * call time) and the `__forge_runtime__` they read for context. Requests are routed
 * by descriptor; nothing deeper in the SDKs is replaced.
 */
import { z } from 'zod';
import { proxyErrorReply } from './http-reply';
import { LocalForgeError } from './local-forge-error';

const descriptorSchema = z.object({
  type: z.string().optional(),
  provider: z.string().optional(),
  remote: z.string().optional(),
  accountId: z.string().optional(),
});

export type ForgeDescriptor = z.infer<typeof descriptorSchema>;

export interface SeamRoutes {
  sql(path: string, init: RequestInit | undefined): Promise<Response>;
  kvs(path: string, init: RequestInit | undefined): Promise<Response>;
  /** `remote: 'stargate'` requests: the queue's publish/stats/cancel webhooks. */
  stargate(descriptor: ForgeDescriptor, path: string, init: RequestInit | undefined): Promise<Response>;
  /** Product REST calls (`type: 'fpp'`, remote jira/confluence/...). */
  product(descriptor: ForgeDescriptor, path: string, init: RequestInit | undefined): Promise<Response>;
}

type ForgeFetch = (descriptor: unknown, path: string, init?: RequestInit) => Promise<Response>;

interface SeamGlobals {
  __forge_fetch__?: ForgeFetch;
  __forge_runtime__?: unknown;
}

const globals = globalThis as typeof globalThis & SeamGlobals;

export function route(routes: SeamRoutes): ForgeFetch {
  return async (rawDescriptor, path, init) => {
    const parsed = descriptorSchema.safeParse(rawDescriptor);
    if (!parsed.success) throw new LocalForgeError(`Unrecognised __forge_fetch__ descriptor: ${JSON.stringify(rawDescriptor)}`);
    const descriptor = parsed.data;
    if (descriptor.type === 'sql') return routes.sql(path, init);
    if (descriptor.type === 'kvs') return routes.kvs(path, init);
    if (descriptor.type === 'fpp' && descriptor.remote === 'stargate') return routes.stargate(descriptor, path, init);
    if (descriptor.type === 'fpp') return routes.product(descriptor, path, init);
    // Anything else (external fetch via Forge remotes, containers...) is outside the emulation.
    return proxyErrorReply(400, 'INVALID_REMOTE');
  };
}

export function seamInstalled(): boolean {
  return globals.__forge_fetch__ !== undefined;
}

/**
 * Installs both globals. `__forge_runtime__` is an accessor so every concurrent
 * invocation sees its own runtime (its acting user, its remaining time).
 */
export function installSeam(fetchFn: ForgeFetch, runtime: () => unknown): void {
  globals.__forge_fetch__ = fetchFn;
  Object.defineProperty(globalThis, '__forge_runtime__', { configurable: true, enumerable: false, get: runtime });
}

export function removeSeam(): void {
  delete globals.__forge_fetch__;
  Reflect.deleteProperty(globalThis, '__forge_runtime__');
}
