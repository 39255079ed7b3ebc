/**
 * Hostile payloads against every resolver method of every surface, through LocalForge's
 * `callResolver` (the real @forge/resolver, JSON-serialised like the bridge):
 * - payloads invalid by construction (unknown and prototype-polluting keys, wrong types,
 *   100,000-character strings, 5,000-item lists, numbers out of range, non-objects) answer
 *   `{ success: false, error: { code: 'BAD_REQUEST', message, fields } }`, never throw,
 *   never hang, and write nothing (every SQL table and KVS entry fingerprinted);
 * - arbitrary JSON answers a well-formed Result and never an INTERNAL error;
 * - no prototype is polluted and no log line carries issue text.
 */
import fc from 'fast-check';
import type { ApiMethod, ErrorCode, Result, Settings } from '../../src/shared/contract';
import { captureConsole, type ConsoleCapture } from './support/console-capture';
import {
  ADMIN,
  ADMIN_EXTENSION,
  createExtension,
  issueByKey,
  issueExtension,
  MARKER,
  MEMBER,
  ok,
  projectExtension,
  RESTRICTED,
  startWorld,
  VIEWER,
  type Surface,
  type World,
} from './support/env';
import { invalidPayload, PROTOTYPE_KEYS, SURFACE_METHODS, validPayloads, withKey } from './support/payloads';
import { snapshotStore } from './support/snapshot';

const SEED = 20_261_122;
const ERROR_CODES: ErrorCode[] = ['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'JIRA_ERROR', 'INTERNAL'];
/** Far above a healthy call here; a hang or a quadratic blow-up trips it. */
const CALL_LIMIT_MS = 15_000;

let world: World;
let logs: ConsoleCapture;
let valid: Record<ApiMethod, Record<string, unknown>>;

const extensionFor = (surface: Surface): Record<string, unknown> => {
  switch (surface) {
    case 'issue-view-resolver':
      return issueExtension('SHOP-1');
    case 'create-check-resolver':
      return createExtension('SHOP');
    case 'project-page-resolver':
      return projectExtension('SHOP');
    case 'admin-page-resolver':
      return ADMIN_EXTENSION;
  }
};

async function timed<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CALL_LIMIT_MS} ms`)), CALL_LIMIT_MS);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function expectWellFormed(result: Result<unknown>): void {
  expect(typeof result).toBe('object');
  expect(typeof result.success).toBe('boolean');
  if (!result.success) {
    expect(ERROR_CODES).toContain(result.error.code);
    expect(typeof result.error.message).toBe('string');
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(result.error.message.length).toBeLessThan(600);
    // No stack traces, SQL or issue text in what a person reads.
    expect(result.error.message).not.toMatch(/\n\s+at |SELECT |INSERT |UPDATE |qwzxmarker/i);
    // Jira's wait, when there is one: on a 429's RATE_LIMITED or a 5xx's JIRA_ERROR only, whole seconds.
    const { retryAfterMs } = result.error;
    if (retryAfterMs !== undefined) {
      expect(['RATE_LIMITED', 'JIRA_ERROR']).toContain(result.error.code);
      expect(Number.isInteger(retryAfterMs / 1000) && retryAfterMs >= 1000).toBe(true);
    }
  }
}

function prototypesClean(): void {
  const probe = {} as Record<string, unknown>;
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(probe['polluted']).toBeUndefined();
  expect(Object.keys(Array.prototype)).toEqual([]);
}

beforeAll(async () => {
  world = await startWorld();
  logs = captureConsole();
  await world.analyse();
  const pairs = ok(await world.call('project-page-resolver', 'pairs.list', { status: 'pending' }, MEMBER, projectExtension('SHOP')));
  const pairId = pairs.items[0]?.id;
  if (pairId === undefined) throw new Error('the analysis found no pair in SHOP');
  const status = ok(await world.call('admin-page-resolver', 'run.status', {}, ADMIN, ADMIN_EXTENSION));
  const settings: Settings = ok(await world.call('admin-page-resolver', 'settings.get', {}, ADMIN, ADMIN_EXTENSION)).settings;
  valid = validPayloads({ issueId: issueByKey('SHOP-1').id, pairId, runId: status.last?.runId ?? 'run-none' }, settings);
}, 300_000);

afterAll(async () => {
  logs?.restore();
  await world?.stop();
});

const CASES = SURFACE_METHODS.flatMap(({ surface, methods }) => methods.map((method) => ({ surface, method })));

describe('payloads invalid by construction', () => {
  it.each(CASES)('$surface $method: BAD_REQUEST with field messages, nothing written', async ({ surface, method }) => {
    const before = await snapshotStore(world.forge);
    const user = surface === 'admin-page-resolver' ? ADMIN : MEMBER;
    await fc.assert(
      fc.asyncProperty(invalidPayload(method, valid[method]), async ({ why, payload }) => {
        const result = await timed(world.call(surface, method, payload, user, extensionFor(surface)), `${method} (${why})`);
        expectWellFormed(result);
        if (result.success) throw new Error(`${method} accepted a payload where ${why}`);
        expect(result.error.code).toBe('BAD_REQUEST');
        expect(Object.keys(result.error.fields ?? {}).length).toBeGreaterThan(0);
        expect(result.error.message).toMatch(/^Invalid request: /);
        prototypesClean();
      }),
      { numRuns: 20, seed: SEED, endOnFailure: true },
    );
    expect(await snapshotStore(world.forge)).toEqual(before);
  }, 120_000);

  it('keys named like Object.prototype members (__proto__, constructor, toString, ...) are reported by name', async () => {
    const before = await snapshotStore(world.forge);
    const problems: string[] = [];
    for (const { surface, method } of CASES) {
      const user = surface === 'admin-page-resolver' ? ADMIN : MEMBER;
      for (const key of PROTOTYPE_KEYS) {
        const payload = withKey(valid[method], key, { polluted: true });
        const result = await timed(world.call(surface, method, payload, user, extensionFor(surface)), `${method} with ${key}`);
        expectWellFormed(result);
        prototypesClean();
        if (result.success) {
          problems.push(`${method}: accepted ${key}`);
          continue;
        }
        const fields = result.error.fields ?? {};
        if (result.error.code !== 'BAD_REQUEST' || !Object.prototype.hasOwnProperty.call(fields, key) || fields[key] !== 'is not a known field') {
          problems.push(`${method} + ${key}: ${result.error.code} ${JSON.stringify(result.error.message)} fields=${JSON.stringify(Object.keys(fields))}`);
        }
      }
    }
    expect(await snapshotStore(world.forge)).toEqual(before);
    // Fails until src/resolvers/error-mapping.ts stops using a plain object as its field map
    // (see docs/notes/hardening.md, "For resolvers").
    expect(problems).toEqual([]);
  }, 120_000);

  it('every valid base payload is accepted as such (so the rejections above are about the mutation)', async () => {
    for (const { surface, method } of CASES) {
      if (method === 'run.start' || method === 'settings.save' || method === 'pairs.decide' || method === 'pairs.bulkDecide' || method === 'uim.register') continue;
      const user = surface === 'admin-page-resolver' ? ADMIN : MEMBER;
      const result = await world.call(surface, method, valid[method], user, extensionFor(surface));
      const code = result.success ? 'ok' : result.error.code;
      expect({ method, code }).toEqual({ method, code: expect.stringMatching(/^(ok|FORBIDDEN|NOT_FOUND|CONFLICT)$/) as unknown });
    }
  }, 120_000);
});

describe('arbitrary JSON', () => {
  const anyPayload = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'issueId', 'pairId', 'status', 'settings', 'jql', 'summary', 'page'), fc.string({ maxLength: 10 })), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
  );

  it.each(CASES)('$surface $method: a well-formed answer, never INTERNAL, never a throw', async ({ surface, method }) => {
    await fc.assert(
      fc.asyncProperty(anyPayload, fc.constantFrom(ADMIN, MEMBER, RESTRICTED, VIEWER), async (payload, user) => {
        const result = await timed(world.call(surface, method, payload, user, extensionFor(surface)), method);
        expectWellFormed(result);
        if (!result.success) expect(result.error.code).not.toBe('INTERNAL');
        prototypesClean();
      }),
      { numRuns: 12, seed: SEED, endOnFailure: true },
    );
  }, 120_000);
});

describe('logs', () => {
  it('never carry issue text (summaries and descriptions hold a marker word)', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    const leaking = logs.lines.filter((l) => l.toLowerCase().includes(MARKER));
    expect(leaking).toEqual([]);
  });
});
