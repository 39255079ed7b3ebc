/**
 * Fault injection: 429s with Jira's rate-limit headers, 5xx answers and
 * latency, so the app's back-off and retry paths run against real HTTP.
 *
 * Rules are consumed in the order they were added; a rule with a path regex
 * only applies to (and only counts) requests whose path matches.
 *
 * A latency rule can also hold a request for as long as a test needs rather than for a
 * guessed time: give it more than the test will take, and `liftLatency()` lets the requests
 * it holds go on when the test is ready (a run kept going until a second start is asked, say).
 */

export interface RateLimitOptions {
  /** Answer the next `count` matching requests with 429. */
  count?: number;
  /** Or answer every matching request with 429 for this many ms from now. */
  forMs?: number;
  retryAfterSeconds: number;
  path?: RegExp;
  /** `RateLimit-Reason` header; Jira's burst limit by default. */
  reason?: 'jira-burst-based' | 'jira-per-issue-on-write' | 'jira-quota-tenant-based' | 'jira-quota-global-based';
}

export interface ServerErrorOptions {
  count: number;
  status?: number;
  path?: RegExp;
  /** `Retry-After` (seconds) on the answers; default 1 on a 503, none on other statuses. */
  retryAfterSeconds?: number;
}

export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface RateLimitRule {
  remaining: number | null;
  until: number | null;
  retryAfterSeconds: number;
  path: RegExp | undefined;
  reason: string;
}

interface ServerErrorRule {
  remaining: number;
  status: number;
  path: RegExp | undefined;
  retryAfterSeconds: number | null;
}

interface LatencyRule {
  ms: number;
  path: RegExp | undefined;
}

const SERVER_ERROR_BODIES = new Map<number, string>([
  [500, 'Internal server error.'],
  [502, 'Bad gateway: Jira did not answer in time.'],
  [503, 'Service unavailable: Jira is temporarily overloaded, try again later.'],
  [504, 'Gateway timeout.'],
]);

function matches(path: RegExp | undefined, requestPath: string): boolean {
  if (!path) return true;
  path.lastIndex = 0;
  return path.test(requestPath);
}

/** `X-RateLimit-Reset` is documented as ISO 8601 to the minute: yyyy-MM-ddTHH:mmZ. */
function resetStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

export class Faults {
  private rateLimits: RateLimitRule[] = [];
  private serverErrorRules: ServerErrorRule[] = [];
  private latencies: LatencyRule[] = [];
  /** The requests being delayed now, each by its wake-up (liftLatency() calls them). */
  private readonly delayed = new Set<() => void>();

  constructor(private readonly clock: () => number = Date.now) {}

  rateLimit(opts: RateLimitOptions): void {
    if (opts.count === undefined && opts.forMs === undefined) throw new TypeError('rateLimit needs count or forMs');
    this.rateLimits.push({
      remaining: opts.count ?? null,
      until: opts.forMs === undefined ? null : this.clock() + opts.forMs,
      retryAfterSeconds: opts.retryAfterSeconds,
      path: opts.path,
      reason: opts.reason ?? 'jira-burst-based',
    });
  }

  serverErrors(opts: ServerErrorOptions): void {
    const status = opts.status ?? 503;
    this.serverErrorRules.push({ remaining: opts.count, status, path: opts.path, retryAfterSeconds: opts.retryAfterSeconds ?? (status === 503 ? 1 : null) });
  }

  /** Adds a delay to every matching request (rules add up). */
  latency(ms: number, path?: RegExp): void {
    this.latencies.push({ ms, path });
  }

  /** Removes every rule. A request already being delayed waits its time out (see liftLatency). */
  clear(): void {
    this.rateLimits = [];
    this.serverErrorRules = [];
    this.latencies = [];
  }

  /** Removes the latency rules and lets the requests they are delaying go on at once. */
  liftLatency(): void {
    this.latencies = [];
    for (const wake of [...this.delayed]) wake();
  }

  delayFor(path: string): number {
    return this.latencies.filter((l) => matches(l.path, path)).reduce((sum, l) => sum + l.ms, 0);
  }

  /** Waits out the latency the rules give a request to `path`, or until liftLatency(). */
  async delay(path: string): Promise<void> {
    const ms = this.delayFor(path);
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.delayed.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.delayed.add(wake);
    });
  }

  /** The injected answer for this request, if any; consumes one use of the rule. */
  take(path: string): FaultResponse | undefined {
    const now = this.clock();
    this.rateLimits = this.rateLimits.filter((r) => (r.remaining === null || r.remaining > 0) && (r.until === null || r.until > now));
    this.serverErrorRules = this.serverErrorRules.filter((r) => r.remaining > 0);

    const limit = this.rateLimits.find((r) => matches(r.path, path));
    if (limit) {
      if (limit.remaining !== null) limit.remaining--;
      return {
        status: 429,
        headers: {
          'Retry-After': String(limit.retryAfterSeconds),
          'X-RateLimit-Limit': '100',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': resetStamp(now + limit.retryAfterSeconds * 1000),
          'RateLimit-Reason': limit.reason,
        },
        body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
      };
    }
    const failure = this.serverErrorRules.find((r) => matches(r.path, path));
    if (failure) {
      failure.remaining--;
      const message = SERVER_ERROR_BODIES.get(failure.status) ?? 'Server error.';
      return {
        status: failure.status,
        headers: failure.retryAfterSeconds === null ? {} : { 'Retry-After': String(failure.retryAfterSeconds) },
        body: { errorMessages: [message], errors: {} },
      };
    }
    return undefined;
  }
}
