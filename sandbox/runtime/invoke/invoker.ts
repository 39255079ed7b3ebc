/**
 * Runs the app's handlers the way Forge calls them: UI resolvers with the
 * `{call, context}` + backendRuntimePayload shape @forge/resolver reads, consumers
 * with `(event, context)`, product-event and scheduled triggers with their event
 * shapes. Each call runs in its own invocation scope (acting user, remaining time),
 * and results are JSON-serialised as Forge would.
 */
import { installContextAri, type AppIdentity } from '../app-identity';
import { runInScope, type InvocationScope } from '../invocation-scope';
import { LocalForgeError } from '../local-forge-error';
import {
  DEFAULT_ASYNC_TIMEOUT_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  type AppManifest,
  type ConsumerSpec,
} from '../manifest/app-manifest';
import type { SimClock } from '../queue/sim-clock';
import { FunctionTimeoutError } from './function-timeout-error';
import { retryRequested, serialised } from './retry-request';

export interface ResolverCallOptions {
  /** The acting user: asUser() calls run as this account. */
  accountId: string;
  /** The UI module's extension context (issue, project, ...). */
  extension?: Record<string, unknown>;
  localId?: string;
  /** Default: the first UI module whose resolver is this function key. */
  moduleKey?: string;
}

export interface TriggerOutcome {
  moduleKey: string;
  functionKey: string;
  delivered: boolean;
  /** Why the event was not delivered (ignoreSelf). */
  skipped?: string;
  attempts: number;
  result?: unknown;
  error?: string;
}

/** Bridge invoke limits: a request of 500 KB, a response of 5 MB. */
export const INVOKE_LIMITS = { requestBytes: 500 * 1024, responseBytes: 5 * 1024 * 1024 };
/** UI resolvers always get 25 s. */
const RESOLVER_TIMEOUT_SECONDS = 25;
/** Product-event triggers may ask for at most 4 retries. */
const TRIGGER_MAX_RETRIES = 4;

type Handler = (...args: unknown[]) => unknown;

export class Invoker {
  constructor(
    private readonly manifest: AppManifest,
    private readonly handlers: Record<string, unknown>,
    private readonly identity: AppIdentity,
    private readonly timeoutOverridesMs: Record<string, number>,
    /** Reject a call that runs past its function timeout (real time) instead of only reporting it. */
    private readonly enforceTimeouts = false,
  ) {}

  async callResolver(functionKey: string, resolverKey: string, payload: unknown, options: ResolverCallOptions): Promise<unknown> {
    const handler = this.handlerFor(functionKey);
    const requestBytes = Buffer.byteLength(JSON.stringify(payload ?? {}));
    if (requestBytes > INVOKE_LIMITS.requestBytes) {
      throw new LocalForgeError(`invoke('${resolverKey}') payload is ${requestBytes} bytes; Forge allows ${INVOKE_LIMITS.requestBytes}.`);
    }
    const moduleKey =
      options.moduleKey ?? [...this.manifest.resolverModules].find(([, fn]) => fn === functionKey)?.[0] ?? functionKey;
    const context = {
      accountId: options.accountId,
      accountType: 'licensed',
      cloudId: this.identity.cloudId,
      siteUrl: this.identity.siteUrl,
      moduleKey,
      localId: options.localId ?? `${moduleKey}-local`,
      extension: options.extension ?? {},
      environmentId: this.identity.environmentId,
      environmentType: this.identity.environmentType,
      locale: 'en-US',
      timezone: 'UTC',
    };
    const backendRuntimePayload = {
      principal: { accountId: options.accountId },
      installContext: installContextAri(this.identity),
      license: undefined,
      installation: { id: this.identity.installationId },
    };
    const result = await this.run(
      { accountId: options.accountId, functionKey, moduleKey, timeoutMs: this.timeoutMs(functionKey, RESOLVER_TIMEOUT_SECONDS, true) },
      async () => handler({ call: { functionKey: resolverKey, payload }, context }, backendRuntimePayload),
    );
    const answer = serialised(result);
    const responseBytes = answer === undefined ? 0 : Buffer.byteLength(JSON.stringify(answer));
    if (responseBytes > INVOKE_LIMITS.responseBytes) {
      throw new LocalForgeError(`Resolver '${resolverKey}' answered ${responseBytes} bytes; Forge allows ${INVOKE_LIMITS.responseBytes}.`);
    }
    return answer;
  }

  /**
   * A plain function call. `context.principal.accountId`, when given, is the acting user
   * (user-initiated calls such as dynamicProperties); otherwise there is none.
   */
  async invokeFunction(functionKey: string, event: unknown, context: Record<string, unknown> = {}, moduleKey = functionKey): Promise<unknown> {
    const handler = this.handlerFor(functionKey);
    const principal = context['principal'] as { accountId?: unknown } | undefined;
    const accountId = typeof principal?.accountId === 'string' ? principal.accountId : undefined;
    const result = await this.run(
      { accountId, functionKey, moduleKey, timeoutMs: this.timeoutMs(functionKey, DEFAULT_TIMEOUT_SECONDS) },
      async () => handler(event, { installContext: installContextAri(this.identity), ...context }),
    );
    return serialised(result);
  }

  /** One delivery of a queue event to its consumer; the dispatcher reads the outcome. */
  async consume(consumer: ConsumerSpec, event: Record<string, unknown> & { jobId: string; body: unknown }): Promise<unknown> {
    const handler = this.handlerFor(consumer.functionKey);
    const scope = {
      accountId: undefined,
      functionKey: consumer.functionKey,
      moduleKey: consumer.key,
      timeoutMs: this.timeoutMs(consumer.functionKey, DEFAULT_ASYNC_TIMEOUT_SECONDS),
    };
    const installContext = installContextAri(this.identity);
    if (consumer.method !== undefined) {
      // Resolver-style consumer: the body is the resolver payload.
      const method = consumer.method;
      return this.run(scope, async () =>
        handler({ call: { functionKey: method, payload: event.body, jobId: event.jobId }, context: { retryContext: event['retryContext'] } }, { installContext }),
      );
    }
    return this.run(scope, async () => handler(event, { installContext }));
  }

  async deliverProductEvent(eventType: string, payload: Record<string, unknown>, clock: SimClock): Promise<TriggerOutcome[]> {
    const outcomes: TriggerOutcome[] = [];
    for (const trigger of this.manifest.triggers.filter((t) => t.events.includes(eventType))) {
      const base = { moduleKey: trigger.key, functionKey: trigger.functionKey };
      if (trigger.ignoreSelf && this.causedByApp(payload)) {
        outcomes.push({ ...base, delivered: false, skipped: 'ignoreSelf: the app caused this event', attempts: 0 });
        continue;
      }
      outcomes.push({ ...base, ...(await this.runTrigger(trigger.functionKey, trigger.key, { ...payload, eventType }, clock)) });
    }
    return outcomes;
  }

  async runScheduledTrigger(key: string): Promise<unknown> {
    const trigger = this.manifest.scheduled.find((s) => s.key === key || s.functionKey === key);
    if (!trigger) throw new LocalForgeError(`No scheduledTrigger with module or function key '${key}' in the manifest.`);
    const event = { context: { cloudId: this.identity.cloudId, moduleKey: trigger.key }, contextToken: 'local-context-token' };
    const handler = this.handlerFor(trigger.functionKey);
    const result = await this.run(
      {
        accountId: undefined,
        functionKey: trigger.functionKey,
        moduleKey: trigger.key,
        timeoutMs: this.timeoutMs(trigger.functionKey, DEFAULT_ASYNC_TIMEOUT_SECONDS),
      },
      async () => handler(event, { installContext: installContextAri(this.identity) }),
    );
    return serialised(result);
  }

  runLifecycle(kind: 'installed' | 'upgraded', clock: SimClock): Promise<TriggerOutcome[]> {
    return this.deliverProductEvent(
      `avi:forge:${kind}:app`,
      {
        id: `lifecycle-${Date.now()}`,
        installerAccountId: 'local-admin',
        app: { id: this.identity.appId, version: this.identity.appVersion },
        environment: { id: this.identity.environmentId },
        context: { cloudId: this.identity.cloudId },
      },
      clock,
    );
  }

  /** Product-event triggers: an InvocationError result is retried (at most 4 times); a throw is not. */
  private async runTrigger(
    functionKey: string,
    moduleKey: string,
    event: Record<string, unknown>,
    clock: SimClock,
  ): Promise<Omit<TriggerOutcome, 'moduleKey' | 'functionKey'>> {
    let attempts = 0;
    let retryContext: Record<string, unknown> | undefined;
    for (;;) {
      attempts += 1;
      let result: unknown;
      try {
        result = await this.invokeFunction(functionKey, retryContext ? { ...event, retryContext } : event, {}, moduleKey);
      } catch (error) {
        return { delivered: true, attempts, error: (error as Error)?.message ?? String(error) };
      }
      const retry = retryRequested(result);
      if (!retry || attempts > TRIGGER_MAX_RETRIES) return { delivered: true, attempts, result };
      await clock.sleepSimulated(retry.retryAfterSeconds * 1000);
      retryContext = { retryCount: attempts, retryReason: retry.retryReason, retryData: retry.retryData };
    }
  }

  private causedByApp(payload: Record<string, unknown>): boolean {
    const user = payload['user'] as { accountId?: unknown } | undefined;
    return payload['atlassianId'] === this.identity.appAccountId || user?.accountId === this.identity.appAccountId;
  }

  private run<T>(scope: Omit<InvocationScope, 'invocationId' | 'startedAt'>, fn: () => Promise<T>): Promise<T> {
    const running = runInScope(scope, fn);
    if (!this.enforceTimeouts) return running;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(scope.functionKey, scope.timeoutMs)), scope.timeoutMs);
    });
    // The abandoned handler may still fail later; that must not surface as an unhandled rejection.
    running.catch(() => undefined);
    return Promise.race([running, expired]).finally(() => clearTimeout(timer));
  }

  private handlerFor(functionKey: string): Handler {
    const spec = this.manifest.functions.get(functionKey);
    if (!spec) throw new LocalForgeError(`Function key '${functionKey}' is not declared in the manifest.`);
    const handler = this.handlers[spec.exportName];
    if (typeof handler !== 'function') {
      throw new LocalForgeError(`Function '${functionKey}' names handler export '${spec.exportName}', which the handlers module does not export as a function.`);
    }
    return handler as Handler;
  }

  private timeoutMs(functionKey: string, defaultSeconds: number, fixed = false): number {
    const override = this.timeoutOverridesMs[functionKey];
    if (override !== undefined) return override;
    const declared = this.manifest.functions.get(functionKey)?.timeoutSeconds;
    return (fixed || declared === undefined ? defaultSeconds : declared) * 1000;
  }
}
