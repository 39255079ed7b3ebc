/**
 * `npm start`'s first analysis: a sandbox on a backlog never analysed starts the analysis of
 * everything in scope by itself (as the daily schedule would within a day of installing), so
 * the pages have something to show; a restart on the same database does not start another.
 * No browser: the sandbox's runtime and database only.
 */
import { startSandbox } from '../../sandbox/start';

jest.setTimeout(120_000);

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
