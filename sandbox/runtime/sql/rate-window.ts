/**
 * Counts requests in a sliding window, to watch (or enforce) Forge SQL's request
 * rates: 150 DML requests a second, 25 DDL requests a minute.
 */
export class RateWindow {
  private readonly stamps: number[] = [];
  /** The most requests seen inside one window so far. */
  peak = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records a request now; returns false when it is over the limit (it is then not counted). */
  admit(now = Date.now()): boolean {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.windowMs) this.stamps.shift();
    if (this.stamps.length >= this.limit) return false;
    this.stamps.push(now);
    this.peak = Math.max(this.peak, this.stamps.length);
    return true;
  }
}
