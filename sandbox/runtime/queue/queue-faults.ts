/**
 * Deliberate delivery faults. Forge delivers at least once: an event can arrive
 * twice, and a delivery can die (the handler never runs, or runs and its result is
 * lost) and be redelivered later. Consumers must survive both; these make both
 * happen on demand.
 */

export type FailureMode = 'before' | 'after';

export interface DeliveryFailure {
  /** `before`: the handler is not called. `after`: it runs, but its outcome is lost. */
  mode: FailureMode;
  /** The retryReason the redelivery carries. */
  reason: string;
}

interface PlannedFailure extends DeliveryFailure {
  remaining: number;
  queue: string | undefined;
}

export class QueueFaults {
  private readonly failures: PlannedFailure[] = [];
  private duplicates = 0;

  /** The next `count` deliveries (optionally only on `queue`) fail and are redelivered later. */
  failNext(count: number, options: { mode?: FailureMode; reason?: string; queue?: string } = {}): void {
    if (count <= 0) return;
    this.failures.push({
      remaining: count,
      mode: options.mode ?? 'before',
      reason: options.reason ?? (options.mode === 'after' ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR'),
      queue: options.queue,
    });
  }

  /** The next `count` successfully handled events are delivered a second time. */
  duplicateNext(count: number): void {
    this.duplicates += Math.max(0, count);
  }

  clear(): void {
    this.failures.length = 0;
    this.duplicates = 0;
  }

  takeFailure(queue: string): DeliveryFailure | undefined {
    const index = this.failures.findIndex((f) => f.queue === undefined || f.queue === queue);
    const planned = this.failures[index];
    if (!planned) return undefined;
    planned.remaining -= 1;
    if (planned.remaining <= 0) this.failures.splice(index, 1);
    return { mode: planned.mode, reason: planned.reason };
  }

  takeDuplicate(): boolean {
    if (this.duplicates <= 0) return false;
    this.duplicates -= 1;
    return true;
  }
}
