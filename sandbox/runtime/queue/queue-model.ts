/** The records the dispatcher keeps per event and per job (in memory and in MariaDB). */

export interface Concurrency {
  key: string;
  limit: number;
}

export interface QueuedEvent {
  eventId: string;
  jobId: string;
  queueName: string;
  body: Record<string, unknown>;
  delayInSeconds: number | undefined;
  concurrency: Concurrency | undefined;
  /** Real epoch ms when the event may be delivered. */
  dueAt: number;
  retryCount: number;
  retryReason: string | undefined;
  retryData: unknown;
  state: 'pending' | 'inflight';
}

export interface JobRecord {
  jobId: string;
  queueName: string;
  total: number;
  success: number;
  failed: number;
  cancelled: boolean;
  /** Events of the job not yet finished (waiting, delayed, retrying or in flight). */
  live: number;
}
