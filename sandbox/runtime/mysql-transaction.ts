import type { Pool, PoolConnection } from 'mysql2/promise';

/**
 * Runs `fn` on one pooled connection inside a transaction: committed when it resolves,
 * rolled back when it throws. The runtime's own bookkeeping (KVS, persisted queue) uses
 * transactions; the app's SQL never does, since Forge SQL has none.
 */
export async function inTransaction(pool: Pool, fn: (connection: PoolConnection) => Promise<void>): Promise<void> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    await fn(connection);
    await connection.commit();
  } catch (error) {
    await connection.rollback();
    throw error;
  } finally {
    connection.release();
  }
}
