/** Opt-in enforcement: function timeouts and Forge SQL's request rates. */
import { Queue } from '@forge/events';
import { sql } from '@forge/sql';
import { FunctionTimeoutError, type LocalForge } from '../../sandbox/runtime';
import { journal } from './fixtures/handlers';
import { startForge } from './helpers';

let forge: LocalForge;

beforeAll(async () => {
  forge = await startForge({
    enforceTimeouts: true,
    enforceSqlRateLimits: true,
    timeScale: 100_000,
    functionTimeoutMs: { 'panel-resolver': 100, worker: 100 },
  });
});

afterAll(async () => {
  await forge?.stop({ drop: true });
});

test('a resolver past its timeout rejects with FunctionTimeoutError', async () => {
  await expect(forge.callResolver('panel-resolver', 'slow', { ms: 10 }, { accountId: 'u' })).resolves.toEqual({ slept: true });
  await expect(forge.callResolver('panel-resolver', 'slow', { ms: 300 }, { accountId: 'u' })).rejects.toBeInstanceOf(FunctionTimeoutError);
});

test('a consumer past its timeout is redelivered with FUNCTION_TIME_OUT', async () => {
  journal.reset();
  await new Queue({ key: 'work' }).push({ body: { id: 'slowpoke', sleepMs: 150 } });
  await forge.queue.settle();
  // Every attempt times out before it records anything; the last one gives up.
  expect(forge.queue.stats()).toMatchObject({ failed: 1, retried: 4 });
});

test('more than 25 DDL operations a minute answer 429 RATE_LIMIT_EXCEEDED', async () => {
  const results = [];
  for (let i = 0; i < 26; i += 1) {
    results.push(await sql.executeDDL(`CREATE TABLE IF NOT EXISTS t${i % 3} (id INT PRIMARY KEY)`).then(() => 'ok', (e: { code?: string }) => e.code));
  }
  expect(results.filter((r) => r === 'ok')).toHaveLength(25);
  expect(results.at(-1)).toBe('RATE_LIMIT_EXCEEDED');
  expect(forge.sql.stats().peakDdlPerMinute).toBe(25);
});
