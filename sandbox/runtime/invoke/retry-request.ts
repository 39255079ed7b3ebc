/**
 * How Forge reads a handler's return value: it is serialised as JSON, and an object
 * with `_retry: true` (what `new InvocationError(...)` returns, or a QueueResponse
 * after `.retry()`) asks for a retry with its `retryOptions`.
 */

export interface RetryRequest {
  /** Simulated seconds to wait; Forge clamps to 1..900. */
  retryAfterSeconds: number;
  retryReason: string;
  retryData: unknown;
}

export const MAX_RETRY_AFTER_SECONDS = 900;

/** The value as Forge would see it after serialisation (undefined stays undefined). */
export function serialised(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

export function retryRequested(result: unknown): RetryRequest | undefined {
  const value = serialised(result);
  if (value === null || typeof value !== 'object' || (value as { _retry?: unknown })._retry !== true) return undefined;
  const options = (value as { retryOptions?: { retryAfter?: unknown; retryReason?: unknown; retryData?: unknown } }).retryOptions;
  const after = typeof options?.retryAfter === 'number' ? options.retryAfter : 1;
  return {
    retryAfterSeconds: Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, after)),
    retryReason: typeof options?.retryReason === 'string' ? options.retryReason : 'FUNCTION_RETRY_REQUEST',
    retryData: options?.retryData,
  };
}
