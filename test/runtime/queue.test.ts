/** The queue dispatcher at the seam: real @forge/events pushes, Forge's limits, retries and at-least-once delivery. */
import { InvalidPushSettingsError, PayloadTooBigError, Queue, TooManyEventsError, InternalServerError } from '@forge/events';
import type { LocalForge } from '../../sandbox/runtime';
import { journal } from './fixtures/handlers';
import { startForge } from './helpers';

let forge: LocalForge;
const work = new Queue({ key: 'work' });
const light = new Queue({ key: 'light' });

/** Calls the seam directly, as a caller that skips the SDK's own checks would. */
async function rawPush(queueName: string, payload: unknown[]): Promise<Response> {
  const fetchFn = (globalThis as unknown as { __forge_fetch__: (d: unknown, p: string, i: RequestInit) => Promise<Response> }).__forge_fetch__;
  return fetchFn({ type: 'fpp', provider: 'app', remote: 'stargate' }, '/webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}', {
    method: 'POST',
    body: JSON.stringify({ queueName, jobId: `raw-${Math.random()}`, type: 'avi:forge:app:event', schema: 's', payload, time: new Date().toISOString() }),
  });
}

beforeAll(async () => {
  // 1 real ms = 1 simulated s: a 600 s retryAfter takes 600 ms. (A faster clock makes a 900 s
  // delay pass in 90 ms, less than a busy machine can take between a push and the next call.)
  forge = await startForge({ timeScale: 1000, queueConcurrency: 2 });
});

afterAll(async () => {
  await forge?.stop({ drop: true });
});

beforeEach(() => {
  journal.reset();
  forge.queue.faults.clear();
});

test('a pushed event reaches its consumer once, with body and jobId', async () => {
  const { jobId } = await work.push({ body: { id: 'e1' } });
  await forge.queue.settle();
  expect(journal.deliveries).toEqual([expect.objectContaining({ id: 'e1', jobId, retryCount: 0 })]);
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 1, inProgress: 0, failed: 0 });
  // The consumer's declared timeout (900 s) is what getRemainingTimeInMillis counts down from.
  expect(journal.deliveries[0]?.remainingMs).toBeGreaterThan(800_000);
});

test('the SDK rejects 51 events, a push over 200 KB and a delay of 901 s', async () => {
  const many = Array.from({ length: 51 }, (_, i) => ({ body: { id: `m${i}` } }));
  await expect(work.push(many)).rejects.toBeInstanceOf(TooManyEventsError);
  const fat = Array.from({ length: 3 }, (_, i) => ({ body: { id: `f${i}`, pad: 'x'.repeat(70 * 1024) } }));
  await expect(light.push(fat)).rejects.toBeInstanceOf(PayloadTooBigError);
  await expect(work.push({ body: { id: 'late' }, delayInSeconds: 901 })).rejects.toBeInstanceOf(InvalidPushSettingsError);
});

test('the seam itself rejects what the platform would, for callers that skip the SDK checks', async () => {
  const many = Array.from({ length: 51 }, (_, i) => ({ body: { id: `m${i}` } }));
  expect((await rawPush('work', many)).status).toBe(400);
  const fat = Array.from({ length: 3 }, (_, i) => ({ body: { id: `f${i}`, pad: 'x'.repeat(70 * 1024) } }));
  const tooBig = await rawPush('light', fat);
  expect(tooBig.status).toBe(413);
  expect(((await tooBig.json()) as { errorMessage: string }).errorMessage).toBe('The maximum payload size is 200KB.');
  expect((await rawPush('work', [{ body: { id: 'late' }, delayInSeconds: 901 }])).status).toBe(400);
});

test('an event over 100 KB is rejected when its consumer timeout is over 55 s, accepted otherwise', async () => {
  const event = { body: { id: 'wide', pad: 'x'.repeat(120 * 1024) } };
  await expect(work.push(event)).rejects.toBeInstanceOf(PayloadTooBigError);
  await light.push(event);
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => d.id)).toEqual(['wide']);
});

test('a push to a queue no consumer reads is rejected', async () => {
  await expect(new Queue({ key: 'nobody-reads-this' }).push({ body: { id: 'x' } })).rejects.toBeInstanceOf(InternalServerError);
});

test('InvocationError retryAfter is honoured on the scaled clock, with retryContext', async () => {
  const started = Date.now();
  const { jobId } = await work.push({ body: { id: 'r1', mode: 'retry', retries: 2 } });
  await forge.queue.settle();
  const elapsed = Date.now() - started;
  expect(journal.deliveries.map((d) => [d.retryCount, d.retryReason, d.retryData])).toEqual([
    [0, undefined, undefined],
    [1, 'FUNCTION_UPSTREAM_RATE_LIMITED', { attempt: 1 }],
    [2, 'FUNCTION_UPSTREAM_RATE_LIMITED', { attempt: 2 }],
  ]);
  // Two waits of 600 simulated seconds at 1000x: at least 1200 real ms.
  expect(elapsed).toBeGreaterThanOrEqual(1195);
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 1, inProgress: 0, failed: 0 });
});

test('a delay is honoured on the scaled clock and getStats shows the event in progress meanwhile', async () => {
  const { jobId } = await work.push({ body: { id: 'd1' }, delayInSeconds: 900 });
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 0, inProgress: 1, failed: 0 });
  expect(journal.deliveries).toHaveLength(0);
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => d.id)).toEqual(['d1']);
});

test('a consumer that keeps throwing is retried a bounded number of times, then counted failed', async () => {
  const { jobId } = await work.push({ body: { id: 't1', mode: 'throw' } });
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => d.retryCount)).toEqual([0, 1, 2, 3, 4]);
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 0, inProgress: 0, failed: 1 });
  expect(forge.queue.stats().errors.at(-1)?.message).toBe('worker failed on t1');
});

test('duplicate delivery on demand: the event reaches the consumer twice, the job counts it once', async () => {
  forge.queue.faults.duplicateNext(1);
  const { jobId } = await work.push([{ body: { id: 'dup' } }, { body: { id: 'single' } }]);
  await forge.queue.settle();
  const ids = journal.deliveries.map((d) => d.id);
  // Which of the two is duplicated depends on which finishes first; one of them arrives twice.
  expect(ids).toHaveLength(3);
  expect(new Set(ids)).toEqual(new Set(['dup', 'single']));
  expect(journal.deliveries.filter((d) => d.id === ids[0]).length + journal.deliveries.filter((d) => d.id !== ids[0]).length).toBe(3);
  expect(new Set(journal.deliveries.map((d) => d.eventId)).size).toBe(2);
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 2, inProgress: 0, failed: 0 });
});

test('failNext: a lost delivery is redelivered later (handler not called, or its outcome lost)', async () => {
  forge.queue.faults.failNext(1, { mode: 'before' });
  await work.push({ body: { id: 'lost-before' } });
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => [d.id, d.retryCount, d.retryReason])).toEqual([['lost-before', 1, 'FUNCTION_PLATFORM_UNKNOWN_ERROR']]);

  journal.reset();
  forge.queue.faults.failNext(1, { mode: 'after' });
  await work.push({ body: { id: 'lost-after' } });
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => [d.id, d.retryCount])).toEqual([
    ['lost-after', 0],
    ['lost-after', 1],
  ]);
  expect(forge.queue.stats().droppedDeliveries).toBeGreaterThanOrEqual(2);
});

test('cancel() drops the job events still waiting', async () => {
  const { jobId } = await work.push([{ body: { id: 'c1' }, delayInSeconds: 900 }, { body: { id: 'c2' }, delayInSeconds: 900 }]);
  await work.getJob(jobId).cancel();
  await forge.queue.settle();
  expect(journal.deliveries).toHaveLength(0);
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 0, inProgress: 0, failed: 0 });
});

test('getStats of an unknown job fails like Forge', async () => {
  await expect(work.getJob('no-such-job').getStats()).rejects.toThrow('was not found');
});

test('deliveries run concurrently up to the limit, and per-push concurrency keys are respected', async () => {
  const events = Array.from({ length: 6 }, (_, i) => ({ body: { id: `p${i}`, sleepMs: 100 } }));
  await work.push(events);
  await forge.queue.settle();
  // Six 100 ms events, two at a time (the limit): counted in the consumer, not timed, so a
  // busy machine that runs them late cannot pass for a limit broken.
  expect(journal.deliveries).toHaveLength(6);
  expect(journal.mostRunning).toBe(2);

  journal.reset();
  const started = Date.now();
  await work.push(events.map((e) => ({ ...e, concurrency: { key: 'one-at-a-time', limit: 1 } })));
  await forge.queue.settle();
  expect(journal.mostRunning).toBe(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(595);
  expect(journal.deliveries).toHaveLength(6);
});

test('settle() also waits for a product-event trigger that is still running', async () => {
  const triggered = forge.deliverProductEvent('avi:jira:created:issue', { atlassianId: 'someone', retries: 1 });
  // The trigger is mid-retry (30 simulated seconds) when settle starts; settle must not resolve early.
  await forge.queue.settle();
  expect(journal.triggers).toHaveLength(2);
  await triggered;
});
