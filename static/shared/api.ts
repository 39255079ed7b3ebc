/**
 * The one way the front ends talk to the resolvers.
 *
 * Resolvers already answer with `Result<T>` and never throw, but the bridge itself
 * can fail (host gone, rate limiter, network): those failures become an INTERNAL
 * result too, so every caller handles exactly one shape.
 */
import { invoke } from '@forge/bridge';
import type { ApiMethod, Payload, Result, ResultOf } from '../../src/shared/contract';
import { flag } from './host';

export type { ApiMethod, Payload, Result, ResultOf };

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('success' in value)) return false;
  const v = value as { success: unknown; data?: unknown; error?: unknown };
  if (v.success === true) return 'data' in v;
  return v.success === false && typeof v.error === 'object' && v.error !== null;
}

function messageOf(err: unknown): string {
  if (err instanceof Error && err.message.trim() !== '') return err.message.trim();
  if (typeof err === 'string' && err.trim() !== '') return err.trim();
  return 'The request could not reach the app. Check your connection and try again.';
}

export async function call<M extends ApiMethod>(method: M, payload: Payload<M>): Promise<Result<ResultOf<M>>> {
  try {
    const answer: unknown = await invoke(method, payload as Record<string, unknown>);
    if (isResult(answer)) {
      // A decision made whose history entry could not be written: said once, wherever it was made (one flag for a batch).
      const data = answer.success ? (answer.data as { notInHistory?: unknown; results?: unknown } | null) : null;
      const batch = Array.isArray(data?.results) ? (data.results as Array<{ notInHistory?: unknown }>) : [];
      if (data?.notInHistory === true || batch.some((r) => r.notInHistory === true)) {
        flag('warning', 'Saved, but not in the history', 'The decision is made, but its entry could not be written to the history, which will not show it.');
      }
      return answer as Result<ResultOf<M>>;
    }
    return {
      success: false,
      error: { code: 'INTERNAL', message: `The app answered "${method}" in an unexpected shape. Reload the page and try again.` },
    };
  } catch (err) {
    // Logged without the payload: it may carry issue text.
    console.error(`[dedupe] ${method} failed in the bridge`, err);
    return { success: false, error: { code: 'INTERNAL', message: messageOf(err) } };
  }
}
