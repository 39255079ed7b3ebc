/** Forge SQL at the seam: the real @forge/sql SDK against MariaDB, with Forge's limits. */
import { errorCodes, migrationRunner, sql } from '@forge/sql';
import type { LocalForge } from '../../sandbox/runtime';
import { startForge } from './helpers';

let forge: LocalForge;

beforeAll(async () => {
  forge = await startForge();
  migrationRunner
    .enqueue('v001_items', 'CREATE TABLE IF NOT EXISTS items (id VARCHAR(64) PRIMARY KEY, title MEDIUMTEXT NOT NULL, score DOUBLE, created DATETIME, data BLOB)')
    .enqueue('v002_items_index', 'CREATE INDEX items_score ON items (score)');
  await migrationRunner.run();
});

afterAll(async () => {
  await forge.stop({ drop: true });
});

beforeEach(() => {
  forge.sql.faults.clear();
});

test('migrationRunner applies migrations once and records them in __migrations', async () => {
  expect(await migrationRunner.run()).toEqual([]);
  const applied = await migrationRunner.list();
  expect(applied.map((m) => m.name)).toEqual(['v001_items', 'v002_items_index']);
  expect(applied[0]?.migratedAt).toBeInstanceOf(Date);
});

test('prepared statements write and read rows with Forge SQL answer shapes', async () => {
  const insert = await sql
    .prepare('INSERT INTO items (id, title, score, created) VALUES (?, ?, ?, ?)')
    .bindParams('a', 'first', 0.5, '2025-01-02 03:04:05')
    .execute();
  expect(insert.rows).toMatchObject({ affectedRows: 1, insertId: 0 });

  await sql.prepare('INSERT INTO items (id, title, score) VALUES (?, ?, ?), (?, ?, ?)').bindParams('b', 'second', 0.9, 'c', "it's", null).execute();
  const result = await sql.prepare<{ id: string; title: string; score: number | null; created: string | null }>('SELECT id, title, score, created FROM items ORDER BY id').execute();
  expect(result.rows).toEqual([
    { id: 'a', title: 'first', score: 0.5, created: '2025-01-02 03:04:05' },
    { id: 'b', title: 'second', score: 0.9, created: null },
    { id: 'c', title: "it's", score: null, created: null },
  ]);
  expect(await forge.sql.query('SELECT COUNT(*) AS n FROM items')).toEqual([{ n: 3 }]);
});

test('an upsert with ON DUPLICATE KEY UPDATE reports affected rows', async () => {
  const upsert = await sql
    .prepare('INSERT INTO items (id, title) VALUES (?, ?) ON DUPLICATE KEY UPDATE title = VALUES(title)')
    .bindParams('a', 'renamed')
    .execute();
  expect(upsert.rows).toMatchObject({ affectedRows: 2 });
});

test('executeDDL runs DDL; DDL through prepare() is rejected', async () => {
  await sql.executeDDL('CREATE TABLE IF NOT EXISTS extra (id INT PRIMARY KEY)');
  await expect(sql.prepare('DROP TABLE extra').execute()).rejects.toMatchObject({ code: errorCodes.INVALID_SQL_QUERY });
  await sql.executeDDL('DROP TABLE extra');
});

test('several statements in one call are rejected (a trailing semicolon is fine)', async () => {
  await expect(sql.prepare('SELECT 1; SELECT 2').execute()).rejects.toMatchObject({
    name: 'ForgeSQLError',
    code: errorCodes.SQL_EXECUTION_ERROR,
    message: expect.stringContaining('multi-statement') as unknown,
  });
  await expect(sql.prepare("SELECT ';' AS s; -- trailing comment").execute()).resolves.toEqual({ rows: [{ s: ';' }] });
});

test('statements Forge SQL does not offer are rejected', async () => {
  await expect(sql.prepare('START TRANSACTION').execute()).rejects.toMatchObject({ code: errorCodes.INVALID_SQL_QUERY });
  await expect(sql.executeDDL('CREATE TABLE child (id INT, p VARCHAR(64), FOREIGN KEY (p) REFERENCES items (id))')).rejects.toMatchObject({
    code: errorCodes.INVALID_SQL_QUERY,
  });
  await expect(sql.prepare('USE mysql').execute()).rejects.toMatchObject({ code: errorCodes.INVALID_SQL_QUERY });
  await expect(sql.prepare("DELETE FROM items WHERE id = 'zz' RETURNING id").execute()).rejects.toMatchObject({ code: errorCodes.INVALID_SQL_QUERY });
  await expect(sql.prepare("SELECT 'RETURNING' AS word").execute()).resolves.toEqual({ rows: [{ word: 'RETURNING' }] });
});

test('a request over 1 MiB is rejected before it reaches the database', async () => {
  const big = 'x'.repeat(1024 * 1024);
  await expect(sql.prepare('INSERT INTO items (id, title) VALUES (?, ?)').bindParams('big', big).execute()).rejects.toMatchObject({
    code: 'REQUEST_TOO_LARGE',
    responseDetails: { status: 413 },
  });
  expect(await forge.sql.query("SELECT id FROM items WHERE id = 'big'")).toEqual([]);
});

test('a response over 4 MiB is rejected; a paged read passes', async () => {
  const chunk = 'y'.repeat(900 * 1024);
  for (let i = 0; i < 5; i += 1) {
    await sql.prepare('INSERT INTO items (id, title) VALUES (?, ?)').bindParams(`big-${i}`, chunk).execute();
  }
  await expect(sql.prepare("SELECT title FROM items WHERE id LIKE 'big-%'").execute()).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  const page = await sql.prepare<{ title: string }>("SELECT title FROM items WHERE id LIKE 'big-%' ORDER BY id LIMIT 2").execute();
  expect(page.rows).toHaveLength(2);
  await sql.prepare("DELETE FROM items WHERE id LIKE 'big-%'").execute();
});

test('SQL errors come back as SQL_EXECUTION_ERROR with the server message', async () => {
  await expect(sql.prepare('SELECT nope FROM items').execute()).rejects.toMatchObject({
    code: errorCodes.SQL_EXECUTION_ERROR,
    message: expect.stringContaining('nope') as unknown,
  });
});

test('fault injection: the next matching queries fail with QUERY_TIMED_OUT, others pass', async () => {
  forge.sql.faults.failNext(2, { match: /FROM items/ });
  await expect(sql.prepare('SELECT 1 AS one').execute()).resolves.toEqual({ rows: [{ one: 1 }] });
  await expect(sql.prepare('SELECT id FROM items').execute()).rejects.toMatchObject({ code: errorCodes.QUERY_TIMED_OUT });
  await expect(sql.prepare('SELECT id FROM items').execute()).rejects.toMatchObject({ code: errorCodes.QUERY_TIMED_OUT });
  await expect(sql.prepare('SELECT id FROM items LIMIT 1').execute()).resolves.toBeDefined();
  forge.sql.faults.failNext(1, { code: 'SQL_EXECUTION_ERROR', status: 500 });
  await expect(sql.prepare('SELECT 1').execute()).rejects.toMatchObject({ code: 'SQL_EXECUTION_ERROR', responseDetails: { status: 500 } });
});

test('fault injection: per-query latency', async () => {
  forge.sql.faults.setLatency(120, /SLEEPY/);
  const started = Date.now();
  await sql.prepare('SELECT 1 AS SLEEPY').execute();
  expect(Date.now() - started).toBeGreaterThanOrEqual(100);
});

test('fault injection: a query held until release() runs only then, and clear() lets a held one go too', async () => {
  const arrived = forge.sql.faults.holdNext(/HELD_ONE/, Infinity);
  let answered = false;
  const held = sql
    .prepare('SELECT 1 AS HELD_ONE')
    .execute()
    .then((r) => ((answered = true), r));
  await arrived;
  // Other queries pass meanwhile; the held one has not run when they are answered.
  await expect(sql.prepare('SELECT 2 AS other').execute()).resolves.toEqual({ rows: [{ other: 2 }] });
  expect(answered).toBe(false);
  forge.sql.faults.release();
  await expect(held).resolves.toEqual({ rows: [{ HELD_ONE: 1 }] });

  // A release before the query comes does not use up the hold: clear() does, and lets it go.
  const again = forge.sql.faults.holdNext(/HELD_TWO/, Infinity);
  forge.sql.faults.release();
  const second = sql.prepare('SELECT 2 AS HELD_TWO').execute();
  await again;
  forge.sql.faults.clear();
  await expect(second).resolves.toEqual({ rows: [{ HELD_TWO: 2 }] });
});

test('footprintBytes measures the app database only', async () => {
  const bytes = await forge.sql.footprintBytes({ analyze: true });
  expect(bytes).toBeGreaterThan(0);
  expect(forge.sql.stats().calls).toBeGreaterThan(10);
});
