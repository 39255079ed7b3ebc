/**
 * Retry timing for Jira calls: Retry-After parsing and exponential back-off with jitter.
 * Pure apart from `sleep`; the randomness is injectable so tests can pin it.
 */

export interface BackoffOptions {
  /** First delay in ms (attempt 1). Default 300. */
  baseMs?: number;
  /** Upper bound of any single back-off delay in ms. Default 8000. */
  capMs?: number;
  /** Source of randomness in [0, 1). Default Math.random. */
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
