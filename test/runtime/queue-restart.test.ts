/** Undelivered events survive a restart: a sandbox killed mid-analysis redelivers them (Forge keeps events 24 h). */
import { Queue } from '@forge/events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalForge } from '../../sandbox/runtime';
import { journal } from './fixtures/handlers';
import { startForge } from './helpers';

const work = new Queue({ key: 'work' });
let forge: LocalForge | undefined;

afterEach(async () => {
  await forge?.stop({ drop: true });
  forge = undefined;
});

beforeEach(() => journal.reset());

test('delayed events pushed before a stop are delivered by the next LocalForge on the same database', async () => {
  // Deadlines are kept in real time, so both runs use the same scale: 900 s pass in 9 s, more
  // than a stop and a start on the same database take on a busy machine (900 ms was not).
  forge = await startForge({ persistQueue: true, timeScale: 100 });
  const database = forge.database;
  const { jobId } = await work.push([{ body: { id: 'later-1' }, delayInSeconds: 900 }, { body: { id: 'later-2' }, delayInSeconds: 900 }]);
  await forge.stop();

  forge = await startForge({ database, persistQueue: true, timeScale: 100 });
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 0, inProgress: 2, failed: 0 });
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => d.id).sort()).toEqual(['later-1', 'later-2']);
  expect(await work.getJob(jobId).getStats()).toEqual({ success: 2, inProgress: 0, failed: 0 });
});

test('an event in flight when the runtime stops is redelivered after the restart', async () => {
  forge = await startForge({ persistQueue: true, timeScale: 1000 });
  const database = forge.database;
  await work.push({ body: { id: 'interrupted', sleepMs: 300 } });
  while (forge.queue.stats().inFlight === 0) await sleep(5);
  await forge.stop();

  forge = await startForge({ database, persistQueue: true, timeScale: 1000 });
  await forge.queue.settle();
  // The restarted runtime delivered it again; the abandoned first run may or may not have got as far
  // as recording anything (it loses the runtime under its feet, as a killed process would).
  expect(forge.queue.stats()).toMatchObject({ deliveries: 1 });
  expect(journal.deliveries.filter((d) => d.id === 'interrupted').length).toBeGreaterThanOrEqual(1);
  expect(forge.queue.stats()).toMatchObject({ pending: 0, inFlight: 0, succeeded: 1 });
});

test('delivered events are removed from the store: a second restart delivers nothing again', async () => {
  forge = await startForge({ persistQueue: true, timeScale: 1000 });
  const database = forge.database;
  await work.push({ body: { id: 'once' } });
  await forge.queue.settle();
  await forge.stop();
  forge = await startForge({ database, persistQueue: true, timeScale: 1000 });
  await forge.queue.settle();
  expect(journal.deliveries.map((d) => d.id)).toEqual(['once']);
});
