/**
 * The in-process stand-in for Forge's async event service: accepts pushes, waits out
 * delays and retryAfter on the scaled clock, calls the consumer named in the
 * manifest with bounded concurrency (and per-push concurrency keys), retries what
 * fails, and keeps per-job counts for getStats(). At-least-once is the contract, so
 * duplicate and failed deliveries can be switched on.
 */
import { randomUUID } from 'node:crypto';
import { LocalForgeError } from '../local-forge-error';
import type { AppManifest, ConsumerSpec } from '../manifest/app-manifest';
import { FunctionTimeoutError } from '../invoke/function-timeout-error';
import type { Invoker } from '../invoke/invoker';
import { retryRequested } from '../invoke/retry-request';
import { validatePush } from './push-validation';
import { QueueFaults, type DeliveryFailure } from './queue-faults';
import type { JobRecord, QueuedEvent } from './queue-model';
import type { QueueStore } from './queue-store';
import type { SimClock } from './sim-clock';

export { QueueFaults };

export interface QueueStats {
  pushed: number;
  /** Handler calls, duplicates included. */
  deliveries: number;
  succeeded: number;
  failed: number;
  retried: number;
  duplicated: number;
  /** Deliveries failed on purpose (faults.failNext). */
  droppedDeliveries: number;
  pending: number;
  inFlight: number;
  /** The latest consumer errors (most recent last, at most 50). */
  errors: { eventId: string; queueName: string; message: string }[];
  /** The last failed write to the queue store, if any (persistence is best effort after a push). */
  storeError: string | undefined;
}

export interface DispatcherOptions {
  manifest: AppManifest;
  invoker: Invoker;
  clock: SimClock;
  store: QueueStore | undefined;
  concurrency: number;
  maxRetries: number;
  duplicateDeliveries: boolean;
}

type Outcome =
  | { kind: 'success' }
  | { kind: 'retry'; afterSeconds: number; reason: string; data: unknown }
  | { kind: 'lost' };

/** Simulated back-off after a thrown error or a dropped delivery: 15 s, 30 s, 60 s, ... */
function errorBackoffSeconds(retryCount: number): number {
  return Math.min(900, 15 * 2 ** retryCount);
}

export class QueueDispatcher {
  readonly faults = new QueueFaults();
  readonly clock: SimClock;
  private readonly events = new Map<string, QueuedEvent>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly inFlightByKey = new Map<string, number>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private running = false;
  private waiters: (() => void)[] = [];
  private readonly counters = { pushed: 0, deliveries: 0, succeeded: 0, failed: 0, retried: 0, duplicated: 0, droppedDeliveries: 0 };
  private readonly errors: QueueStats['errors'] = [];
  /** Work outside the queue that settle() also waits for (running triggers and resolvers). */
  private externalBusy: () => boolean = () => false;

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock;
    if (!(options.concurrency >= 1)) throw new LocalForgeError('queueConcurrency must be at least 1.');
  }

  /** Re-queues what a previous run left undelivered, then starts delivering. */
  async start(): Promise<void> {
    if (this.options.store) {
      const { events, jobs } = await this.options.store.load();
      for (const job of jobs) this.jobs.set(job.jobId, job);
      for (const event of events) {
        // An event in flight when the process died is redelivered, as Forge does after a lost invocation.
        event.state = 'pending';
        this.events.set(event.eventId, event);
        const job = this.jobs.get(event.jobId);
        if (job) job.live += 1;
      }
    }
    this.running = true;
    this.pump();
  }

  /** Stops delivering. In-flight handlers are abandoned: their outcome is not recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.options.store?.flush();
    this.wakeWaiters(true);
  }

  async push(raw: unknown): Promise<void> {
    const push = validatePush(raw, this.options.manifest);
    if (this.jobs.has(push.jobId)) throw new LocalForgeError(`Duplicate jobId ${push.jobId}.`);
    const job: JobRecord = {
      jobId: push.jobId,
      queueName: push.queueName,
      total: push.events.length,
      success: 0,
      failed: 0,
      cancelled: false,
      live: push.events.length,
    };
    const events = push.events.map(
      (e): QueuedEvent => ({
        eventId: randomUUID(),
        jobId: push.jobId,
        queueName: push.queueName,
        body: e.body,
        delayInSeconds: e.delayInSeconds,
        concurrency: e.concurrency,
        dueAt: this.clock.deadlineAfter(e.delayInSeconds ?? 0),
        retryCount: 0,
        retryReason: undefined,
        retryData: undefined,
        state: 'pending',
      }),
    );
    await this.options.store?.insertPush(job, events);
    this.jobs.set(job.jobId, job);
    for (const event of events) this.events.set(event.eventId, event);
    this.counters.pushed += events.length;
    this.pump();
  }

  jobStats(jobId: string): { success: number; inProgress: number; failed: number } | undefined {
    const job = this.jobs.get(jobId);
    return job && { success: job.success, inProgress: job.live, failed: job.failed };
  }

  /** Drops the job's waiting events; events already in flight finish. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    job.cancelled = true;
    const dropped: string[] = [];
    for (const event of this.events.values()) {
      if (event.jobId === jobId && event.state === 'pending') {
        this.events.delete(event.eventId);
        dropped.push(event.eventId);
        job.live -= 1;
      }
    }
    this.options.store?.remove(dropped);
    this.options.store?.saveJob(job);
    this.wakeWaiters(false);
    return true;
  }

  stats(): QueueStats {
    let pending = 0;
    for (const event of this.events.values()) if (event.state === 'pending') pending += 1;
    return { ...this.counters, pending, inFlight: this.inFlight, errors: [...this.errors], storeError: this.options.store?.lastError?.message };
  }

  setExternalBusy(isBusy: () => boolean): void {
    this.externalBusy = isBusy;
  }

  /** Called when outside work ends: settle() may now be satisfied. */
  recheckIdle(): void {
    this.wakeWaiters(false);
  }

  /** Resolves once nothing waits or runs (and the store has caught up). */
  async settle(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return; // stopped: nothing will ever be delivered here
    const idle = new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.wakeWaiters(false);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const s = this.stats();
        reject(new LocalForgeError(`queue.settle timed out after ${timeoutMs} ms: ${s.pending} pending, ${s.inFlight} in flight.`));
      }, timeoutMs);
    });
    try {
      await Promise.race([idle, timeout]);
      await this.options.store?.flush();
    } finally {
      clearTimeout(timer);
    }
  }

  private wakeWaiters(force: boolean): void {
    if (!force && (this.events.size > 0 || this.inFlight > 0 || this.externalBusy())) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Starts every event that is due and fits the concurrency limits; arms a timer for the next one. */
  private pump(): void {
    if (!this.running) return;
    const now = Date.now();
    let nextDue = Infinity;
    for (const event of this.events.values()) {
      if (event.state !== 'pending') continue;
      if (event.dueAt > now) {
        nextDue = Math.min(nextDue, event.dueAt);
        continue;
      }
      if (this.inFlight >= this.options.concurrency) break;
      if (event.concurrency && (this.inFlightByKey.get(event.concurrency.key) ?? 0) >= event.concurrency.limit) continue;
      this.begin(event);
    }
    this.arm(nextDue);
    this.wakeWaiters(false);
  }

  private arm(due: number): void {
    if (due === Infinity || due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.pump();
    }, Math.max(0, due - Date.now()));
  }

  private begin(event: QueuedEvent): void {
    event.state = 'inflight';
    this.inFlight += 1;
    const key = event.concurrency?.key;
    if (key) this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 0) + 1);
    void this.deliver(event)
      .catch((error: unknown) => {
        this.errors.push({ eventId: event.eventId, queueName: event.queueName, message: String(error) });
      })
      .finally(() => {
        this.inFlight -= 1;
        if (key) this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 1) - 1);
        this.pump();
      });
  }

  private async deliver(event: QueuedEvent): Promise<void> {
    const consumer = this.consumerFor(event.queueName);
    const failure = this.faults.takeFailure(event.queueName);
    let outcome = await this.attempt(consumer, event, failure);
    if (!this.running) return; // the process "died": nothing is recorded, the store still holds the event
    if (outcome.kind === 'success' && (this.options.duplicateDeliveries || this.faults.takeDuplicate())) {
      // The platform delivered it again; the job already counts it as done.
      this.counters.duplicated += 1;
      await this.attempt(consumer, event, undefined);
      if (!this.running) return;
    }
    if (outcome.kind === 'lost') {
      this.counters.droppedDeliveries += 1;
      outcome = { kind: 'retry', afterSeconds: errorBackoffSeconds(event.retryCount), reason: failure?.reason ?? 'FUNCTION_PLATFORM_UNKNOWN_ERROR', data: undefined };
    }
    const job = this.jobs.get(event.jobId);
    if (outcome.kind === 'success') {
      this.finish(event, job, 'success');
    } else if (event.retryCount >= this.options.maxRetries || job?.cancelled) {
      this.finish(event, job, 'failed');
    } else {
      this.counters.retried += 1;
      event.retryCount += 1;
      event.retryReason = outcome.reason;
      event.retryData = outcome.data;
      event.dueAt = this.clock.deadlineAfter(outcome.afterSeconds);
      event.state = 'pending';
      this.options.store?.reschedule(event);
    }
  }

  private finish(event: QueuedEvent, job: JobRecord | undefined, result: 'success' | 'failed'): void {
    this.events.delete(event.eventId);
    this.options.store?.remove([event.eventId]);
    if (result === 'success') this.counters.succeeded += 1;
    else this.counters.failed += 1;
    if (job) {
      job[result] += 1;
      job.live -= 1;
      this.options.store?.saveJob(job);
    }
  }

  private async attempt(consumer: ConsumerSpec, event: QueuedEvent, failure: DeliveryFailure | undefined): Promise<Outcome> {
    if (failure?.mode === 'before') return { kind: 'lost' };
    this.counters.deliveries += 1;
    try {
      const result = await this.options.invoker.consume(consumer, {
        queueName: event.queueName,
        jobId: event.jobId,
        eventId: event.eventId,
        body: event.body,
        ...(event.delayInSeconds === undefined ? {} : { delayInSeconds: event.delayInSeconds }),
        ...(event.concurrency ? { concurrency: event.concurrency } : {}),
        ...(event.retryCount > 0
          ? { retryContext: { retryCount: event.retryCount, retryReason: event.retryReason ?? '', retryData: event.retryData } }
          : {}),
      });
      if (failure?.mode === 'after') return { kind: 'lost' };
      const retry = retryRequested(result);
      return retry ? { kind: 'retry', afterSeconds: retry.retryAfterSeconds, reason: retry.retryReason, data: retry.retryData } : { kind: 'success' };
    } catch (error) {
      if (failure?.mode === 'after') return { kind: 'lost' };
      this.errors.push({ eventId: event.eventId, queueName: event.queueName, message: (error as Error)?.message ?? String(error) });
      if (this.errors.length > 50) this.errors.shift();
      const reason = error instanceof FunctionTimeoutError ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR';
      return { kind: 'retry', afterSeconds: errorBackoffSeconds(event.retryCount), reason, data: undefined };
    }
  }

  private consumerFor(queueName: string): ConsumerSpec {
    const consumer = this.options.manifest.consumers.find((c) => c.queue === queueName);
    if (!consumer) throw new LocalForgeError(`No consumer for queue ${queueName}.`);
    return consumer;
  }
}
