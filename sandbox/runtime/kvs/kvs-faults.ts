/**
 * Fault injection for KVS: make chosen requests fail with a Forge-shaped error (before
 * or after they are carried out), or hold one until a test lets it go, so the app's
 * retry, read-back and race paths run through the real @forge/kvs SDK.
 */
import { LocalForgeError } from '../local-forge-error';
import { WireError } from '../wire-error';

/** One KVS request as the faults see it: the route under `/api/v1/` and the keys it names. */
export interface KvsRequest {
  /** `get`, `set`, `delete`, `query`, `secret/set`, `entity/get`, `batch/set`, `transaction`, ... */
  route: string;
  /** The request's key, or every key of a batch or transaction; none for a query. */
  keys: readonly string[];
}

/** Which requests a fault applies to; an empty match applies to every request. */
export interface KvsMatch {
  /** A route name (exactly, e.g. `set`) or a RegExp tested against it (e.g. /^(set|transaction)$/). */
  route?: string | RegExp;
  /** A key (exactly) or a RegExp tested against each key the request names; one must match. */
  key?: string | RegExp;
}

export interface KvsFailureSpec {
  match?: KvsMatch;
  /** Forge error code; INTERNAL_SERVER_ERROR unless given. */
  code?: string;
  /** HTTP status; 429 for RATE_LIMIT_EXCEEDED, else 500, unless given. */
  status?: number;
  message?: string;
  /** Carry the request out first, then answer the error: a write that landed although the caller saw an error. */
  after?: boolean;
}

export interface KvsHoldOptions {
  /** Let the held request go on by itself this many ms after it arrived (default: only on release() or clear()). */
  ms?: number;
}

export interface KvsHold {
  /** Resolves with the request when it arrives and is held. */
  readonly arrived: Promise<KvsRequest>;
  /** Lets the held request go on; called before it arrives, the request passes without waiting. */
  release(): void;
}

/** An injected failure taken for one request: `after` says whether the request is carried out first. */
export interface KvsInjectedFailure {
  error: WireError;
  after: boolean;
}

interface PendingFailure {
  remaining: number;
  spec: KvsFailureSpec;
}

interface PlannedHold {
  match: KvsMatch;
  ms: number | undefined;
  arrive: (request: KvsRequest) => void;
  released: boolean;
  go: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class KvsFaults {
  private readonly failures: PendingFailure[] = [];
  private readonly holds: PlannedHold[] = [];
  private readonly held = new Set<PlannedHold>();

  /** @param routes the route names the endpoint answers, so a misspelt route in a match is refused. */
  constructor(private readonly routes: readonly string[]) {}

  /** The next `count` matching requests fail with the given Forge error (0 plans nothing). */
  failNext(count: number, spec: KvsFailureSpec = {}): void {
    if (!Number.isInteger(count) || count < 0) throw new LocalForgeError(`kvs.faults.failNext: count must be a whole number ≥ 0, not ${String(count)}.`);
    this.checkMatch(spec.match ?? {}, 'failNext');
    if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) {
      throw new LocalForgeError(`kvs.faults.failNext: status must be an HTTP error status (400-599), not ${String(spec.status)}.`);
    }
    if (count > 0) this.failures.push({ remaining: count, spec });
  }

  /**
   * Holds the next request matching `match` (once) before it is carried out, until
   * release(), clear() or `options.ms` after it arrived; `arrived` resolves when it comes,
   * so a test can act while the step that sent it waits.
   */
  holdNext(match: KvsMatch = {}, options: KvsHoldOptions = {}): KvsHold {
    this.checkMatch(match, 'holdNext');
    if (options.ms !== undefined && !(Number.isFinite(options.ms) && options.ms >= 0)) {
      throw new LocalForgeError(`kvs.faults.holdNext: ms must be a number ≥ 0, not ${String(options.ms)}.`);
    }
    let arrive: (request: KvsRequest) => void = () => undefined;
    const arrived = new Promise<KvsRequest>((resolve) => (arrive = resolve));
    const hold: PlannedHold = { match, ms: options.ms, arrive, released: false, go: undefined, timer: undefined };
    this.holds.push(hold);
    return { arrived, release: () => this.release(hold) };
  }

  /** Drops planned failures and holds that no request met yet, and lets every held request go on. */
  clear(): void {
    this.failures.length = 0;
    this.holds.length = 0;
    for (const hold of [...this.held]) this.release(hold);
  }

  /** How many injected failures are still waiting for a matching request. */
  pendingFailures(): number {
    return this.failures.reduce((sum, f) => sum + f.remaining, 0);
  }

  /** Waits while a planned hold takes this request; the endpoint calls it for every request. */
  async admit(request: KvsRequest): Promise<void> {
    const index = this.holds.findIndex((h) => matches(h.match, request));
    const hold = this.holds[index];
    if (!hold) return;
    this.holds.splice(index, 1);
    hold.arrive(request);
    if (hold.released) return;
    await new Promise<void>((resolve) => {
      hold.go = resolve;
      this.held.add(hold);
      if (hold.ms !== undefined) hold.timer = setTimeout(() => this.release(hold), hold.ms);
    });
  }

  /** Consumes one injected failure for this request, if one applies. */
  takeFailure(request: KvsRequest): KvsInjectedFailure | undefined {
    const index = this.failures.findIndex((f) => matches(f.spec.match ?? {}, request));
    const failure = this.failures[index];
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.failures.splice(index, 1);
    const code = failure.spec.code ?? 'INTERNAL_SERVER_ERROR';
    const status = failure.spec.status ?? (code === 'RATE_LIMIT_EXCEEDED' ? 429 : 500);
    const message = failure.spec.message ?? `Injected failure (${code}) from LocalForge KVS faults.`;
    return { error: new WireError(status, code, message), after: failure.spec.after === true };
  }

  private release(hold: PlannedHold): void {
    hold.released = true;
    if (hold.timer) clearTimeout(hold.timer);
    this.held.delete(hold);
    hold.go?.();
  }

  private checkMatch(match: KvsMatch, method: string): void {
    if (typeof match.route === 'string' && !this.routes.includes(match.route)) {
      throw new LocalForgeError(`kvs.faults.${method}: no KVS route '${match.route}'; the routes are ${this.routes.join(', ')}.`);
    }
  }
}

function matches(match: KvsMatch, request: KvsRequest): boolean {
  return fits(match.route, request.route) && (match.key === undefined || request.keys.some((key) => fits(match.key, key)));
}

function fits(pattern: string | RegExp | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  // A RegExp with the g or y flag keeps its lastIndex between tests: start each test afresh.
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags).test(value);
  return pattern === value;
}
