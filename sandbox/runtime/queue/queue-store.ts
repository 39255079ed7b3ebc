/**
 * Undelivered events and job counters in MariaDB (the runtime database), so a
 * sandbox killed mid-analysis redelivers its events when it starts again, as Forge
 * keeps them for 24 h. Writes are chained so they land in the order they were made
 * (an event's "in flight" mark can never overtake its deletion).
 */
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { JobRecord, QueuedEvent } from './queue-model';

export class QueueStore {
  private chain: Promise<void> = Promise.resolve();
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
      state VARCHAR(16) NOT NULL,
      KEY by_job (job_id)
    )`);
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
  async insertPush(job: JobRecord, events: QueuedEvent[]): Promise<void> {
    await this.flush();
    await this.pool.query('INSERT INTO queue_jobs (job_id, queue_name, total) VALUES (?, ?, ?)', [job.jobId, job.queueName, job.total]);
    if (events.length === 0) return;
    const placeholders = events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    await this.pool.query(
      `INSERT INTO queue_events (event_id, job_id, queue_name, body, delay_seconds, concurrency_key, concurrency_limit,
         due_at, retry_count, retry_reason, retry_data, state) VALUES ${placeholders}`,
      events.flatMap(eventRow),
    );
  }

  markInflight(eventId: string): void {
    this.write('UPDATE queue_events SET state = ? WHERE event_id = ?', ['inflight', eventId]);
  }

  reschedule(event: QueuedEvent): void {
    this.write('UPDATE queue_events SET state = ?, due_at = ?, retry_count = ?, retry_reason = ?, retry_data = ? WHERE event_id = ?', [
      'pending',
      event.dueAt,
      event.retryCount,
      event.retryReason ?? null,
      event.retryData === undefined ? null : JSON.stringify(event.retryData),
      event.eventId,
    ]);
  }

  remove(eventIds: string[]): void {
    if (eventIds.length > 0) this.write('DELETE FROM queue_events WHERE event_id IN (?)', [eventIds]);
  }

  saveJob(job: JobRecord): void {
    this.write('UPDATE queue_jobs SET success = ?, failed = ?, cancelled = ? WHERE job_id = ?', [
      job.success,
      job.failed,
      job.cancelled ? 1 : 0,
      job.jobId,
    ]);
  }

  /** Resolves when every write made so far has landed. */
  flush(): Promise<void> {
    return this.chain;
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
        state: r['state'] === 'inflight' ? 'inflight' : 'pending',
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

  private write(statement: string, params: unknown[]): void {
    this.chain = this.chain.then(async () => {
      try {
        await this.pool.query(statement, params);
      } catch (error) {
        this.lastError = error as Error;
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
    e.state,
  ];
}
