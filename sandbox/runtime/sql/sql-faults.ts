/**
 * Fault injection for Forge SQL: make chosen queries fail (QUERY_TIMED_OUT by
 * default), slow, or held once while a test acts, so retry, timeout and race paths run in
 * tests and benchmarks.
 */
import { WireError } from '../wire-error';

export interface SqlFailureSpec {
  /** Only queries whose text matches fail; others pass untouched. */
  match?: RegExp;
  /** Forge error code; QUERY_TIMED_OUT unless given. */
  code?: string;
  status?: number;
  message?: string;
}

interface PendingFailure {
  remaining: number;
  spec: SqlFailureSpec;
}

export class SqlFaults {
  private readonly failures: PendingFailure[] = [];
  private latency: { ms: number; match: RegExp | undefined } | undefined;
  private readonly holds: Array<{ match: RegExp; ms: number; arrived: () => void }> = [];
  /** Queries held now: each one's way to go on. */
  private readonly held = new Set<() => void>();

  /** The next `count` matching queries fail with the given Forge error. */
  failNext(count: number, spec: SqlFailureSpec = {}): void {
    if (count > 0) this.failures.push({ remaining: count, spec });
  }

  /** Add `ms` of latency to every matching query (0 removes it). */
  setLatency(ms: number, match?: RegExp): void {
    this.latency = ms > 0 ? { ms, match } : undefined;
  }

  /**
   * Holds the next query matching `match` (once) for `ms`, or until release() or clear()
   * if that comes first (`Infinity`: only then); the promise resolves when that query
   * arrives, so a test can act while the step that sent it waits.
   */
  holdNext(match: RegExp, ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.holds.push({ match, ms, arrived: resolve });
    });
  }

  /** Lets every query held now go on (holds planned for queries still to come stay planned). */
  release(): void {
    for (const go of [...this.held]) go();
  }

  /** Drops planned failures, latency and holds, and lets every held query go on. */
  clear(): void {
    this.failures.length = 0;
    this.latency = undefined;
    this.holds.length = 0;
    this.release();
  }

  /** How many injected failures are still waiting for a matching query. */
  pendingFailures(): number {
    return this.failures.reduce((sum, f) => sum + f.remaining, 0);
  }

  /**
   * What `query` waits for before it runs, as the faults say: held, when a planned hold takes
   * it, else the latency; null when it runs at once (a hold of 0 ms only says it arrived).
   */
  delay(query: string): Promise<void> | null {
    const index = this.holds.findIndex((h) => h.match.test(query));
    const hold = this.holds[index];
    if (hold) {
      this.holds.splice(index, 1);
      hold.arrived();
      if (hold.ms <= 0) return null;
      return new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const go = (): void => {
          clearTimeout(timer);
          this.held.delete(go);
          resolve();
        };
        this.held.add(go);
        if (Number.isFinite(hold.ms)) timer = setTimeout(go, hold.ms);
      });
    }
    const ms = this.latency && (!this.latency.match || this.latency.match.test(query)) ? this.latency.ms : 0;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : null;
  }

  /** Consumes one injected failure for this query, if one applies. */
  takeFailure(query: string): WireError | undefined {
    const index = this.failures.findIndex((f) => !f.spec.match || f.spec.match.test(query));
    const failure = this.failures[index];
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.failures.splice(index, 1);
    const code = failure.spec.code ?? 'QUERY_TIMED_OUT';
    const status = failure.spec.status ?? (code === 'QUERY_TIMED_OUT' ? 504 : 500);
    const message = failure.spec.message ?? `Injected failure (${code}) from LocalForge SQL faults.`;
    return new WireError(status, code, message, { debug: { injected: true } });
  }
}
