/**
 * `npm start`'s first analysis: a sandbox on a backlog never analysed starts the analysis of
 * everything in scope by itself (as the daily schedule would within a day of installing), so
 * the pages have something to show; a restart on the same database does not start another.
 * Two sandboxes never share a database: the second on one in use refuses to start, and one
 * that crashed leaves its database free. No browser: the sandbox's runtime and database only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SandboxStartError, startSandbox } from '../../sandbox/start';
import { adminQuery, DEFAULT_SQL_URL } from '../../sandbox/runtime/sql/sql-server';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const SQL_URL = process.env['FORGE_SQL_URL'] ?? DEFAULT_SQL_URL;

const rows = async (s: { forge: { sql: { query(sql: string): Promise<unknown> } } }, sql: string) => (await s.forge.sql.query(sql)) as Array<Record<string, unknown>>;

it('starts the first analysis of a backlog never analysed, and only then', async () => {
  const database = `dedupe_first_${process.pid}`;
  const first = await startSandbox({ database, fresh: true, dropOnStop: false, build: false, firstAnalysis: true, timeScale: 1000 });
  try {
    await first.forge.queue.settle(90_000);
    expect(await rows(first, 'SELECT scope_key, status, trig, mode FROM runs')).toEqual([{ scope_key: 'all', status: 'done', trig: 'admin', mode: 'full' }]);
    const [pairs] = await rows(first, 'SELECT COUNT(*) AS n FROM pairs');
    expect(Number(pairs?.['n'])).toBeGreaterThan(0);
  } finally {
    await first.stop();
  }
  const again = await startSandbox({ database, dropOnStop: true, build: false, firstAnalysis: true, timeScale: 1000 });
  try {
    await again.forge.queue.settle(30_000);
    expect(await rows(again, 'SELECT COUNT(*) AS n FROM runs')).toEqual([{ n: 1 }]);
  } finally {
    await again.stop();
  }
});

it('starts none unless asked (the browser tests start their own)', async () => {
  const sandbox = await startSandbox({ build: false, timeScale: 1000 });
  try {
    expect(await rows(sandbox, 'SELECT COUNT(*) AS n FROM runs')).toEqual([{ n: 0 }]);
  } finally {
    await sandbox.stop();
  }
});

/** `npm start -- <args>` in a process of its own (as from another checkout), on a free port; resolves to its address once ready. */
function npmStart(args: string[]): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/start.ts', ...args], { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^ready: (\S+)$/m.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`npm start ${args.join(' ')} ended (${code}) before it was ready: ${err || out}`)));
  });
  return { child, ready };
}

/** Tables in a database, as the server lists them. */
async function tables(database: string): Promise<number> {
  const rows = (await adminQuery(SQL_URL, 'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ?', [database])) as Array<{ n: number }>;
  return Number(rows[0]?.n);
}

it('refuses a second sandbox on a database another is using, runs one on another database beside it, and a crashed one blocks nothing', async () => {
  const database = `dedupe_held_${process.pid}`;
  const other = `dedupe_beside_${process.pid}`;
  const first = npmStart(['--database', database, '--fresh', '--no-analysis']);
  const exited = new Promise((resolve) => first.child.on('exit', resolve));
  try {
    const url = await first.ready;
    const held = [await tables(database), await tables(`${database}_rt`)];
    expect(held[0]).toBeGreaterThan(0);
    expect(held[1]).toBeGreaterThan(0);

    // The same database, and --fresh: refused in one sentence, before anything is dropped.
    // (Should it start after all, it is stopped at once, so it does not outlive the test.)
    const refused = await startSandbox({ database, fresh: true, build: false, timeScale: 1000 }).then(
      async (second) => {
        await second.stop();
        return null;
      },
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(SandboxStartError);
    expect((refused as Error).message).toBe(
      `Another sandbox is using the database ${database} on this MariaDB server: stop it (Ctrl-C where it runs), or start this one on a database of its own with --database NAME (or SANDBOX_DATABASE=NAME).`,
    );
    expect([await tables(database), await tables(`${database}_rt`)]).toEqual(held);
    expect((await fetch(url, { headers: { accept: 'text/html' } })).ok).toBe(true);

    // Another database: both run.
    const beside = await startSandbox({ database: other, fresh: true, dropOnStop: true, build: false, timeScale: 1000 });
    try {
      expect((await fetch(beside.url, { headers: { accept: 'text/html' } })).ok).toBe(true);
      expect((await fetch(url, { headers: { accept: 'text/html' } })).ok).toBe(true);
    } finally {
      await beside.stop();
    }
  } finally {
    // As a crash: no clean stop, the process is gone.
    first.child.kill('SIGKILL');
    await exited;
  }
  // Its hold went with its connection (the server notices the closed connection; ask until it has).
  let again: Awaited<ReturnType<typeof startSandbox>> | null = null;
  const deadline = Date.now() + 30_000;
  while (again === null) {
    try {
      again = await startSandbox({ database, dropOnStop: true, build: false, timeScale: 1000 });
    } catch (err) {
      if (!(err instanceof SandboxStartError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await again.stop();
}, 300_000);
