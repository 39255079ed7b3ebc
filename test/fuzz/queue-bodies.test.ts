/**
 * Queue bodies the analysis consumer did not write: arbitrary JSON, near-miss analysis
 * events (wrong kinds, types, sizes), and well-formed events for runs that do not exist or
 * already finished. The consumer must not crash, must drop them with a log line and without
 * asking for a retry (no retry storm), and must write nothing.
 */
import { Queue } from '@forge/events';
import fc from 'fast-check';
import { analysisWorker } from '../../src/analysis/worker';
import { captureConsole, type ConsoleCapture } from './support/console-capture';
import { startWorld, type World } from './support/env';
import { snapshotStore } from './support/snapshot';

const SEED = 77;
let world: World;
let logs: ConsoleCapture;
let doneRunId: string;

const runIdLike = fc.oneof(fc.constantFrom('run-none', 'r1', '', 'x'.repeat(41)), fc.string({ maxLength: 45 }));
const nearMiss: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ kind: fc.oneof(fc.constantFrom('plan', 'fetch', 'score', 'PLAN', 'delete', 'drop', '__proto__'), fc.string()), runId: runIdLike }),
  fc.record(
    {
      kind: fc.constant('fetch'),
      runId: runIdLike,
      chain: fc.oneof(fc.integer({ min: -5, max: 5_000 }), fc.double(), fc.string(), fc.constant(null)),
      step: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.double(), fc.constant('0')),
      jql: fc.oneof(fc.constantFrom('', 'project = SHOP', 'project = HIDDEN', ') OR (project = HIDDEN'), fc.string({ maxLength: 50 }).map((s) => s.repeat(300))),
      token: fc.oneof(fc.constant(null), fc.string({ maxLength: 30 }), fc.integer()),
    },
    { requiredKeys: ['kind'] },
  ),
  // Scope sweep pages whose cursor, time or reason is not one the app writes.
  fc.record(
    {
      kind: fc.constant('sweep'),
      after: fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 10 }).map((s) => s.repeat(10))),
      atMs: fc.oneof(fc.constant(-1), fc.double({ noNaN: false }), fc.string(), fc.constant(null)),
      reason: fc.oneof(fc.constantFrom('SETTINGS', 'cron', ''), fc.integer()),
    },
    { requiredKeys: ['kind'] },
  ),
);
const anyBody: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nearMiss, fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'kind', 'runId', 'body'), fc.jsonValue({ maxDepth: 2 })));

/** Deliveries as the platform shapes them, and some it never would. */
const anyEvent: fc.Arbitrary<unknown> = fc.oneof(
  anyBody.map((body) => ({ body, eventId: 'e-1', jobId: 'j-1', retryContext: { retryCount: 0 } })),
  anyBody.map((body) => ({ body })),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(undefined, null, 0, '', [], {}),
);

beforeAll(async () => {
  world = await startWorld();
  logs = captureConsole();
  await world.analyse();
  const [row] = (await world.forge.sql.query("SELECT id FROM runs WHERE status = 'done' ORDER BY started_ms DESC LIMIT 1")) as Array<{ id: string }>;
  if (!row) throw new Error('no finished run');
  doneRunId = row.id;
}, 240_000);

afterAll(async () => {
  logs?.restore();
  await world?.stop();
});

describe('the analysis consumer, called directly', () => {
  it('drops arbitrary and near-miss deliveries without throwing, retrying or writing', async () => {
    const before = await snapshotStore(world.forge);
    await fc.assert(
      fc.asyncProperty(anyEvent, async (event) => {
        const outcome = await analysisWorker(event);
        // undefined = done with it; an InvocationError would be a request to retry.
        expect(outcome).toBeUndefined();
      }),
      { numRuns: 200, seed: SEED },
    );
    expect(await snapshotStore(world.forge)).toEqual(before);
    expect(logs.lines.some((l) => l.includes('dropped a queue event'))).toBe(true);
  }, 120_000);

  it('ignores well-formed events of a finished run (a late redelivery) without writing', async () => {
    const docs = (await world.forge.sql.query('SELECT id FROM docs WHERE scored_ms IS NOT NULL ORDER BY id LIMIT 3')) as Array<{ id: string }>;
    expect(docs).toHaveLength(3);
    const before = await snapshotStore(world.forge);
    for (const body of [
      { kind: 'plan', runId: doneRunId },
      { kind: 'fetch', runId: doneRunId, chain: 0, step: 0, jql: 'project = HIDDEN', token: null },
      { kind: 'score', runId: doneRunId },
      // Issues the run handed on, scored since: a late or repeated rescore finds nothing to do.
      { kind: 'rescore', runId: doneRunId, analysis: 'duplicates', ids: docs.map((d) => d.id) },
      { kind: 'rescore', runId: doneRunId, analysis: 'no-such-analysis', ids: docs.map((d) => d.id) },
      // A scope sweep with every stored issue still in scope, late or repeated: nothing to forget.
      { kind: 'sweep', after: '', atMs: 1, reason: 'settings' },
    ]) {
      expect(await analysisWorker({ body, eventId: `late-${body.kind}`, retryContext: { retryCount: 3 } })).toBeUndefined();
    }
    expect(await snapshotStore(world.forge)).toEqual(before);
  });
});

describe('the analysis queue, through the runtime', () => {
  it('arbitrary bodies pushed to the queue are each delivered once and dropped: no retries, no failures, no writes', async () => {
    const before = await snapshotStore(world.forge);
    const statsBefore = world.forge.queue.stats();
    const bodies = fc.sample(fc.oneof(nearMiss, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })), { numRuns: 60, seed: SEED });
    const queue = new Queue({ key: 'analysis' });
    let refused = 0;
    for (let i = 0; i < bodies.length; i += 10) {
      try {
        await queue.push(bodies.slice(i, i + 10).map((body) => ({ body })));
      } catch {
        refused += 1; // over a push limit: refused at the door, which is fine
      }
    }
    await world.forge.queue.settle(60_000);
    const stats = world.forge.queue.stats();
    const delivered = stats.deliveries - statsBefore.deliveries;
    expect(refused).toBeLessThanOrEqual(2);
    expect(delivered).toBeGreaterThanOrEqual(bodies.length - refused * 10);
    expect(delivered).toBeLessThanOrEqual(bodies.length);
    expect(stats.retried - statsBefore.retried).toBe(0);
    expect(stats.failed - statsBefore.failed).toBe(0);
    expect(stats.pending).toBe(0);
    expect(await snapshotStore(world.forge)).toEqual(before);
  }, 120_000);
});
