/**
 * KVS entries persisted in MariaDB (the runtime database, not the app's), so a
 * sandbox that is killed and restarted keeps its settings. One table; `kind`
 * separates plain keys, secrets and each custom entity, which Forge keeps apart.
 */
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { inTransaction } from '../mysql-transaction';

export interface StoredEntry {
  key: string;
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expireAt: number | undefined;
}

export interface EntryWrite {
  kind: string;
  key: string;
  valueText: string;
  ttlMs: number | undefined;
}

const TABLE = 'kvs_entries';

export class KvsStore {
  constructor(private readonly pool: Pool) {}

  async init(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      kind VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      k VARCHAR(500) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      v LONGTEXT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      expire_at BIGINT NULL,
      PRIMARY KEY (kind, k)
    )`);
  }

  async get(kind: string, key: string, db: Pool | PoolConnection = this.pool): Promise<StoredEntry | undefined> {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT k, v, created_at, updated_at, expire_at FROM ${TABLE} WHERE kind = ? AND k = ? AND (expire_at IS NULL OR expire_at > ?)`,
      [kind, key, Date.now()],
    );
    const row = rows[0];
    return row ? toEntry(row) : undefined;
  }

  /** Upserts and returns the previous live entry, if any. (created_at is assigned first: MySQL
   * evaluates ON DUPLICATE assignments left to right, and it must see the old expiry.) */
  async set(write: EntryWrite, db: Pool | PoolConnection = this.pool): Promise<StoredEntry | undefined> {
    const previous = await this.get(write.kind, write.key, db);
    const now = Date.now();
    const expireAt = write.ttlMs === undefined ? null : now + write.ttlMs;
    await db.query(
      `INSERT INTO ${TABLE} (kind, k, v, created_at, updated_at, expire_at) VALUES (?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE
         created_at = IF(expire_at IS NOT NULL AND expire_at <= ${now}, VALUES(created_at), created_at),
         v = VALUES(v), updated_at = VALUES(updated_at), expire_at = VALUES(expire_at)`,
      [write.kind, write.key, write.valueText, now, now, expireAt],
    );
    return previous;
  }

  /** True when a live entry was removed. */
  async delete(kind: string, key: string, db: Pool | PoolConnection = this.pool): Promise<boolean> {
    const live = await this.get(kind, key, db);
    await db.query<ResultSetHeader>(`DELETE FROM ${TABLE} WHERE kind = ? AND k = ?`, [kind, key]);
    return live !== undefined;
  }

  /** Live entries of `kind` whose key starts with `prefix`, after `afterKey`, in key order. */
  async query(kind: string, prefix: string, afterKey: string | undefined, limit: number): Promise<StoredEntry[]> {
    const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT k, v, created_at, updated_at, expire_at FROM ${TABLE}
       WHERE kind = ? AND k LIKE ? AND k > ? AND (expire_at IS NULL OR expire_at > ?)
       ORDER BY k LIMIT ?`,
      [kind, like, afterKey ?? '', Date.now(), limit],
    );
    return rows.map(toEntry);
  }

  /** Runs `fn` on one connection inside a transaction: all of it or none. */
  async atomically(fn: (db: PoolConnection) => Promise<void>): Promise<void> {
    await inTransaction(this.pool, fn);
  }


  async dump(): Promise<Map<string, unknown>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT kind, k, v FROM ${TABLE} WHERE expire_at IS NULL OR expire_at > ? ORDER BY kind, k`,
      [Date.now()],
    );
    const out = new Map<string, unknown>();
    for (const row of rows) {
      const kind = String(row['kind']);
      const name = kind === 'kv' ? String(row['k']) : `${kind}/${String(row['k'])}`;
      out.set(name, JSON.parse(String(row['v'])) as unknown);
    }
    return out;
  }

  async clear(): Promise<void> {
    await this.pool.query(`DELETE FROM ${TABLE}`);
  }
}

function toEntry(row: RowDataPacket): StoredEntry {
  const expire = row['expire_at'] as number | string | null;
  return {
    key: String(row['k']),
    value: JSON.parse(String(row['v'])) as unknown,
    createdAt: Number(row['created_at']),
    updatedAt: Number(row['updated_at']),
    expireAt: expire === null ? undefined : Number(expire),
  };
}
