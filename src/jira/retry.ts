/**
 * Retry timing for Jira calls: Retry-After parsing and exponential back-off with jitter.
 * Pure apart from `sleep`; the randomness is injectable so tests can pin it.
 */

export interface BackoffOptions {
  /** First delay in ms (attempt 1). Default 300. */
  baseMs?: number;
  /** Upper bound of any single back-off delay in ms. Default 8000. */
  capMs?: number;
  /** Source of randomness in [0, 1), for back-off and for the Retry-After jitter. Default Math.random. */
  random?: () => number;
}

/**
 * "Full jitter" back-off: a uniformly random delay in [base·2^(n-1)/2, base·2^(n-1)], capped.
 * Keeping half of the window fixed stops retries from collapsing to ~0 ms under load.
 */
export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 300;
  const cap = opts.capMs ?? 8000;
  const random = opts.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** How far past Jira's Retry-After a wait may go: up to 20 % more. */
export const RETRY_AFTER_SPREAD = 0.2;

/**
 * The wait for a 429 (or a 5xx) with Retry-After: never less than Jira asked, and a random share of it
 * (up to `RETRY_AFTER_SPREAD`) more, so calls that were limited together do not all come back
 * at the same instant and hit the limit again together. The extra is cut at `ceilingMs` (what
 * the caller's budget allows), never the wait itself. `random` as in `BackoffOptions`.
 */
export function retryAfterWaitMs(seconds: number, opts: { random?: () => number; ceilingMs?: number } = {}): number {
  const asked = Math.max(0, seconds) * 1000;
  const random = opts.random ?? Math.random;
  const jittered = asked * (1 + RETRY_AFTER_SPREAD * Math.min(1, Math.max(0, random())));
  return Math.round(Math.max(asked, Math.min(jittered, opts.ceilingMs ?? Number.POSITIVE_INFINITY)));
}

/**
 * Retry-After is either delta-seconds or an HTTP date. Returns seconds (≥ 0), or null when
 * the header is absent or unreadable (the caller then falls back to back-off).
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.max(0, Number(text));
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, (at - nowMs) / 1000);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
