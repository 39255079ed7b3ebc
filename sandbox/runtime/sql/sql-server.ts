/**
 * The MySQL-compatible server behind Forge SQL: connection settings from
 * FORGE_SQL_URL, one database per test file or sandbox, and the admin operations
 * (create, drop, measure) that a Forge installation would get from the platform.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { LocalForgeError } from '../local-forge-error';

export const DEFAULT_SQL_URL = 'mysql://root@127.0.0.1:3306';

const DATABASE_NAME = /^[A-Za-z0-9_]{1,60}$/;

export function generateDatabaseName(): string {
  return `forge_${randomBytes(5).toString('hex')}`;
}

export function checkDatabaseName(name: string): string {
  if (!DATABASE_NAME.test(name)) {
    throw new LocalForgeError(`Database name '${name}' must be 1-60 characters of [A-Za-z0-9_].`);
  }
  return name;
}

/** Runs one admin statement on a short-lived connection with no default database. */
export async function adminQuery(sqlUrl: string, statement: string, params: unknown[] = []): Promise<unknown> {
  const connection = await createConnection({ uri: sqlUrl });
  try {
    const [result] = await connection.query(statement, params);
    return result;
  } finally {
    await connection.end();
  }
}

export async function createDatabase(sqlUrl: string, name: string): Promise<void> {
  await adminQuery(
    sqlUrl,
    `CREATE DATABASE IF NOT EXISTS \`${checkDatabaseName(name)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  );
}

export async function dropDatabase(sqlUrl: string, name: string): Promise<void> {
  await adminQuery(sqlUrl, `DROP DATABASE IF EXISTS \`${checkDatabaseName(name)}\``);
}

export function openPool(sqlUrl: string, database: string, connectionLimit: number): Pool {
  return createPool({
    uri: sqlUrl,
    database,
    connectionLimit,
    // Forge SQL answers DATETIME/DATE/TIMESTAMP as strings.
    dateStrings: true,
    supportBigNumbers: true,
    multipleStatements: false,
    waitForConnections: true,
  });
}

/** MariaDB can bound a statement's run time server-side; MySQL cannot do it as simply. */
export async function isMariaDb(pool: Pool): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT VERSION() AS v');
  const version: unknown = rows[0]?.['v'];
  return typeof version === 'string' && version.includes('MariaDB');
}

/**
 * Bytes of data and indexes of every table in `database`, as information_schema
 * reports them. With `analyze`, statistics are refreshed first (InnoDB updates them
 * lazily, so a just-written table can read as empty).
 */
export async function databaseFootprint(pool: Pool, database: string, analyze: boolean): Promise<number> {
  if (analyze) {
    const [tables] = await pool.query<RowDataPacket[]>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?',
      [database],
    );
    for (const row of tables) {
      const table = String(row['t']);
      await pool.query(`ANALYZE TABLE \`${table.replace(/`/g, '``')}\``);
    }
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT COALESCE(SUM(data_length + index_length), 0) AS bytes FROM information_schema.tables WHERE table_schema = ?',
    [database],
  );
  return Number(rows[0]?.['bytes'] ?? 0);
}
