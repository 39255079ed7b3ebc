import type Resolver from '@forge/resolver';
import type { z } from 'zod';
import type { ApiMethod, Payload, Result, ResultOf } from '../shared/contract';
import { ApiFailure } from './api-failure';
import { readCallContext, type CallContext } from './call-context';
import { describeZodError, mapError, type Audience } from './error-mapping';
import { logEvent } from './log';
import { payloadSchemas } from './schemas';

export type MethodHandler<M extends ApiMethod> = (payload: Payload<M>, ctx: CallContext) => Promise<ResultOf<M>>;

/** Every method one surface exposes, each with its handler: the map must be complete. */
export type SurfaceHandlers<Ms extends ApiMethod> = { [M in Ms]: MethodHandler<M> };

/** What a surface says about itself when it defines its methods. */
export interface SurfaceOptions {
  /**
   * Who uses the surface (`users` unless given): the advice of its error sentences is
   * written for them (`mapError`). The admin page's is `admins`.
   */
  audience?: Audience;
}

/**
 * Forge stops a UI resolver at 25 s and the UI then sees a bare platform error. We answer
 * a typed error a little before that so the user reads a sentence instead.
 */
export const RESOLVER_BUDGET_MS = 23_000;

class BudgetExceeded extends Error {
  override readonly name = 'BudgetExceeded' as const;
}

function withBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded()), ms);
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one method call: context, payload validation, the handler, and the mapping of
 * anything thrown to the contract's `Result`. Exported for tests and for the badge.
 */
export async function runMethod<M extends ApiMethod>(
  method: M,
  schema: z.ZodType<Payload<M>>,
  handler: MethodHandler<M>,
  rawPayload: unknown,
  rawContext: unknown,
  options: SurfaceOptions = {},
): Promise<Result<ResultOf<M>>> {
  const started = Date.now();
  const audience = options.audience ?? 'users';
  try {
    const ctx: CallContext = { ...readCallContext(rawContext), audience };
    const parsed = schema.safeParse(rawPayload ?? {});
    if (!parsed.success) {
      const error = describeZodError(parsed.error);
      logEvent('resolver.call', { method, status: 'rejected', code: error.code, fields: Object.keys(error.fields ?? {}), ms: Date.now() - started });
      return { success: false, error };
    }
    const data = await withBudget(handler(parsed.data, ctx), RESOLVER_BUDGET_MS);
    logEvent('resolver.call', { method, status: 'ok', ms: Date.now() - started });
    return { success: true, data };
  } catch (err) {
    if (err instanceof BudgetExceeded) {
      logEvent('resolver.call', { method, status: 'timeout', ms: Date.now() - started });
      return { success: false, error: new ApiFailure('INTERNAL', 'This took too long. Try again, or narrow the filters.').toApiError() };
    }
    const mapped = mapError(err, audience);
    logEvent('resolver.call', { method, status: 'failed', ...mapped.log, ms: Date.now() - started });
    return { success: false, error: mapped.error };
  }
}

/** Defines one contract method on a Forge resolver with validation and error mapping. */
export function define<M extends ApiMethod>(
  resolver: Resolver,
  method: M,
  schema: z.ZodType<Payload<M>>,
  handler: MethodHandler<M>,
  options: SurfaceOptions = {},
): Resolver {
  return resolver.define(method, ({ payload, context }) => runMethod(method, schema, handler, payload, context, options));
}

/** Defines every method of a surface, each validated by its schema from `schemas.ts`. */
export function defineAll<Ms extends ApiMethod>(resolver: Resolver, handlers: SurfaceHandlers<Ms>, options: SurfaceOptions = {}): Resolver {
  for (const method of Object.keys(handlers) as Ms[]) {
    // The map type pairs each key with its own handler; TypeScript cannot follow that
    // correlation through a loop, hence the widening to the generic signature.
    const handler = handlers[method] as unknown as MethodHandler<ApiMethod>;
    const schema = payloadSchemas[method] as unknown as z.ZodType<Payload<ApiMethod>>;
    define(resolver, method, schema, handler, options);
  }
  return resolver;
}
