/**
 * How long a page waits before it asks again by itself after a failure: its own wait, or
 * longer when the server said how long Jira asked the app to wait (`retryAfterMs`: on a
 * `RATE_LIMITED` answer, a 429's Retry-After, and on a `JIRA_ERROR` from a 5xx that carried
 * one). Asking sooner only earns another refusal, and each ask costs Jira calls (a permission
 * check at least) inside the time Jira asked to be left alone.
 */
import type { ApiError } from '../../src/shared/contract';

/**
 * The longest wait taken from the server's word: a longer one (an hour, a date far ahead) is
 * cut to this, and the page asks again then; Try again is there meanwhile.
 */
export const LONGEST_HINTED_WAIT_MS = 5 * 60_000;

/** The wait before asking again after `error`, in ms: `ownMs`, or the server's hint when that is longer (at most `LONGEST_HINTED_WAIT_MS`). */
export function waitBeforeAskingAgain(error: ApiError, ownMs: number): number {
  const hint = error.retryAfterMs;
  if (typeof hint !== 'number' || !Number.isFinite(hint) || hint <= ownMs) return ownMs;
  return Math.max(ownMs, Math.min(hint, LONGEST_HINTED_WAIT_MS));
}
