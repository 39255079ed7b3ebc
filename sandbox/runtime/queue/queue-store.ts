/**
 * Undelivered events and job counters in MariaDB (the runtime database), so a
 * sandbox killed mid-analysis redelivers its events when it starts again, as Forge
 * keeps them for 24 h. Every stored event is due again on restart (whether it was
 * waiting or in flight), so only pushes, retries, removals and job counts are written.
 */
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { JobRecord, QueuedEvent } from './queue-model';
import { inTransaction } from '../mysql-transaction';

export class QueueStore {
  // Write-behind buffers, drained in batches: one commit (and one fsync) per batch
  // instead of per event. Losing a buffered removal in a crash only means a delivered
  // event is delivered again, which at-least-once allows.
  private readonly removals = new Set<string>();
  private readonly reschedules = new Map<string, QueuedEvent>();
  private readonly jobs = new Map<string, JobRecord>();
  private draining: Promise<void> | undefined;
  /** One writer at a time: a push transaction and a batched DELETE would otherwise deadlock. */
  private lock: Promise<void> = Promise.resolve();
  /** The last write that failed, for diagnosis; writes never throw into delivery. */
  lastError: Error | undefined;

  constructor(private readonly pool: Pool) {}

  async init(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS queue_events (
      event_id CHAR(36) NOT NULL PRIMARY KEY,
      job_id CHAR(36) NOT NULL,
      queue_name VARCHAR(255) NOT NULL,
      body LONGTEXT NOT NULL,
      delay_seconds INT NULL,
      concurrency_key VARCHAR(255) NULL,
      concurrency_limit INT NULL,
      due_at BIGINT NOT NULL,
      retry_count INT NOT NULL DEFAULT 0,
      retry_reason VARCHAR(100) NULL,
      retry_data LONGTEXT NULL,
      KEY by_job (job_id)
    )`);
    // Databases made by an earlier version of this runtime had a `state` column.
    await this.pool.query('ALTER TABLE queue_events DROP COLUMN IF EXISTS state');
    await this.pool.query(`CREATE TABLE IF NOT EXISTS queue_jobs (
      job_id CHAR(36) NOT NULL PRIMARY KEY,
      queue_name VARCHAR(255) NOT NULL,
      total INT NOT NULL,
      success INT NOT NULL DEFAULT 0,
      failed INT NOT NULL DEFAULT 0,
      cancelled TINYINT NOT NULL DEFAULT 0
    )`);
  }

  /** Awaited by the push handler: a push is acknowledged only once it is durable. */
  insertPush(job: JobRecord, events: QueuedEvent[]): Promise<void> {
    return this.exclusive(() => this.insertPushNow(job, events));
  }

  private async insertPushNow(job: JobRecord, events: QueuedEvent[]): Promise<void> {
    await inTransaction(this.pool, async (connection) => {
      await connection.query('INSERT INTO queue_jobs (job_id, queue_name, total) VALUES (?, ?, ?)', [job.jobId, job.queueName, job.total]);
      if (events.length > 0) {
        const placeholders = events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
        await connection.query(
          `INSERT INTO queue_events (event_id, job_id, queue_name, body, delay_seconds, concurrency_key, concurrency_limit,
             due_at, retry_count, retry_reason, retry_data) VALUES ${placeholders}`,
          events.flatMap(eventRow),
        );
      }
    });
  }

  /** Records a retry's new due time and retry context (the event object is read when written). */
  reschedule(event: QueuedEvent): void {
    this.reschedules.set(event.eventId, event);
    this.drainSoon();
  }

  remove(eventIds: string[]): void {
    for (const id of eventIds) this.removals.add(id);
    this.drainSoon();
  }

  saveJob(job: JobRecord): void {
    this.jobs.set(job.jobId, job);
    this.drainSoon();
  }

  /** Resolves when every write made so far has landed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async load(): Promise<{ events: QueuedEvent[]; jobs: JobRecord[] }> {
    await this.flush();
    const [eventRows] = await this.pool.query<RowDataPacket[]>('SELECT * FROM queue_events ORDER BY due_at');
    const [jobRows] = await this.pool.query<RowDataPacket[]>('SELECT * FROM queue_jobs');
    const events = eventRows.map(
      (r): QueuedEvent => ({
        eventId: String(r['event_id']),
        jobId: String(r['job_id']),
        queueName: String(r['queue_name']),
        body: JSON.parse(String(r['body'])) as Record<string, unknown>,
        delayInSeconds: r['delay_seconds'] === null ? undefined : Number(r['delay_seconds']),
        concurrency:
          r['concurrency_key'] === null ? undefined : { key: String(r['concurrency_key']), limit: Number(r['concurrency_limit']) },
        dueAt: Number(r['due_at']),
        retryCount: Number(r['retry_count']),
        retryReason: r['retry_reason'] === null ? undefined : String(r['retry_reason']),
        retryData: r['retry_data'] === null ? undefined : (JSON.parse(String(r['retry_data'])) as unknown),
        // Whatever was in flight when the previous process stopped is simply due again.
        state: 'pending',
      }),
    );
    const jobs = jobRows.map(
      (r): JobRecord => ({
        jobId: String(r['job_id']),
        queueName: String(r['queue_name']),
        total: Number(r['total']),
        success: Number(r['success']),
        failed: Number(r['failed']),
        cancelled: Number(r['cancelled']) === 1,
        live: 0,
      }),
    );
    return { events, jobs };
  }

  private drainSoon(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.removals.size > 0 || this.reschedules.size > 0 || this.jobs.size > 0) {
      // Reschedules before removals: an event retried and then finished ends up deleted.
      const reschedules = [...this.reschedules.values()];
      const removals = [...this.removals];
      const jobs = [...this.jobs.values()];
      this.reschedules.clear();
      this.removals.clear();
      this.jobs.clear();
      try {
        await this.exclusive(() => this.write(reschedules, removals, jobs));
      } catch (error) {
        this.lastError = error as Error;
      }
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** One batch in one transaction: a single commit however many events it covers. */
  private async write(reschedules: QueuedEvent[], removals: string[], jobs: JobRecord[]): Promise<void> {
    await inTransaction(this.pool, async (connection) => {
      for (const e of reschedules) {
        await connection.query('UPDATE queue_events SET due_at = ?, retry_count = ?, retry_reason = ?, retry_data = ? WHERE event_id = ?', [
          e.dueAt,
          e.retryCount,
          e.retryReason ?? null,
          e.retryData === undefined ? null : JSON.stringify(e.retryData),
          e.eventId,
        ]);
      }
      for (let i = 0; i < removals.length; i += 1000) {
        await connection.query('DELETE FROM queue_events WHERE event_id IN (?)', [removals.slice(i, i + 1000)]);
      }
      if (jobs.length > 0) {
        await connection.query(
          `INSERT INTO queue_jobs (job_id, queue_name, total, success, failed, cancelled) VALUES ?
           ON DUPLICATE KEY UPDATE success = VALUES(success), failed = VALUES(failed), cancelled = VALUES(cancelled)`,
          [jobs.map((j) => [j.jobId, j.queueName, j.total, j.success, j.failed, j.cancelled ? 1 : 0])],
        );
      }
    });
  }
}

function eventRow(e: QueuedEvent): unknown[] {
  return [
    e.eventId,
    e.jobId,
    e.queueName,
    JSON.stringify(e.body),
    e.delayInSeconds ?? null,
    e.concurrency?.key ?? null,
    e.concurrency?.limit ?? null,
    e.dueAt,
    e.retryCount,
    e.retryReason ?? null,
    e.retryData === undefined ? null : JSON.stringify(e.retryData),
  ];
}
