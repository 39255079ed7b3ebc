/**
 * Product events (`avi:jira:*`) fanned out to listeners, the way Jira delivers
 * them: after the REST call has answered, never inside it. A listener's
 * failure is logged and does not reach the caller, since Jira's delivery is
 * independent of the request that caused it.
 */

export type EventListener = (eventType: string, payload: unknown) => void | Promise<void>;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly pending = new Set<Promise<void>>();

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(eventType: string, payload: unknown): void {
    for (const listener of this.listeners) {
      const delivery = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => listener(eventType, payload))
        .catch((err: unknown) => {
          console.error(`Jira stand-in: listener for ${eventType} failed:`, err);
        })
        .finally(() => {
          this.pending.delete(delivery);
        });
      this.pending.add(delivery);
    }
  }

  /** Resolves once every event emitted so far has been handled (tests await this). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
