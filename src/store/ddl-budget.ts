/**
 * Forge SQL answers DDL requests past 25 a minute per installation with a rate-limit error, and
 * counts every request to its DDL endpoint (the migration runner's list of applied migrations
 * is a SELECT sent there). A migration pass keeps its own requests within that: it asks a
 * DdlBudget before each one. The budget remembers when this pass sent each request; when the
 * next one would be the 26th within a minute, it waits for the oldest to leave the minute, if
 * that wait ends before the pass's deadline, and otherwise says no, so the pass stops cleanly
 * and the next invocation goes on from what was recorded.
 *
 * Other invocations' DDL counts against the same limit but is not seen here: a rate-limit
 * answer from Forge (`spent`) fills the budget as of now, so the pass waits a whole minute, or
 * stops, instead of sending again at once.
 *
 * One budget per pass (no module-level state): warm containers serve several installations.
 */
import { sleep as realSleep } from '../jira/retry';

/** Forge SQL's limit on DDL requests per installation. */
export const DDL_PER_MINUTE = 25;
export const DDL_WINDOW_MS = 60_000;
/** Added to each wait, for the clocks of the app and of Forge SQL not to agree to the millisecond. */
const WAIT_MARGIN_MS = 1_000;

export interface DdlBudgetOptions {
  /** When the pass must have stopped waiting (epoch ms): no wait that ends later is begun. */
  deadlineMs: number;
  limit?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class DdlBudget {
  private readonly sentMs: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests sent through this budget, and how long it waited in all. */
  sent = 0;
  waitedMs = 0;

  constructor(private readonly opts: DdlBudgetOptions) {
    this.limit = opts.limit ?? DDL_PER_MINUTE;
    this.windowMs = opts.windowMs ?? DDL_WINDOW_MS;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  get deadlineMs(): number {
    return this.opts.deadlineMs;
  }

  /**
   * Room for one more DDL request: true once it may be sent (after a wait, when one is needed
   * and ends before the deadline), and the request is counted; false when it may not be sent
   * within the deadline (nothing counted, nothing waited).
   */
  async take(): Promise<boolean> {
    for (;;) {
      const now = this.now();
      this.forget(now);
      if (this.sentMs.length < this.limit) {
        this.sentMs.push(now);
        this.sent += 1;
        return true;
      }
      const oldest = this.sentMs[0] ?? now;
      const waitMs = oldest + this.windowMs - now + WAIT_MARGIN_MS;
      if (now + waitMs > this.opts.deadlineMs) return false;
      await this.sleep(waitMs);
      this.waitedMs += waitMs;
    }
  }

  /** Forge answered that the minute's DDL requests are spent (by this pass or by others): none until a minute from now. */
  spent(): void {
    const now = this.now();
    this.sentMs.length = 0;
    for (let n = 0; n < this.limit; n++) this.sentMs.push(now);
  }

  private forget(now: number): void {
    while (this.sentMs.length > 0 && (this.sentMs[0] ?? 0) <= now - this.windowMs) this.sentMs.shift();
  }
}

/** Forge SQL's answer to a request past its rate limit (HTTP 429). */
export function isRateLimited(err: unknown): boolean {
  const e = err as { code?: unknown; responseDetails?: { status?: unknown } } | null;
  return (typeof e?.code === 'string' && /RATE_LIMIT|TOO_MANY_REQUESTS/i.test(e.code)) || e?.responseDetails?.status === 429;
}
