/**
 * KVS fault injection at the seam: requests failed before or after they are carried out,
 * and held until the test lets them go, as the app meets them: through the real @forge/kvs
 * SDK, inside resolver invocations.
 */
import { ForgeKvsAPIError, kvs } from '@forge/kvs';
import Resolver from '@forge/resolver';
import { LocalForgeError, type LocalForge } from '../../sandbox/runtime';
import * as handlers from './fixtures/handlers';
import { startForge } from './helpers';

/** What a resolver gets back from one KVS call: its value, or the SDK error it raised. */
type Outcome = { value: unknown } | { error: { apiError: boolean; name: string; code: string | undefined; status: number | undefined; message: string } };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: (await call()) ?? null };
  } catch (err) {
    const e = err as Error;
    return {
      error: {
        apiError: err instanceof ForgeKvsAPIError,
        name: e.name,
        code: err instanceof ForgeKvsAPIError ? err.code : undefined,
        status: err instanceof ForgeKvsAPIError ? err.responseDetails.status : undefined,
        message: e.message,
      },
    };
  }
}

interface Probe {
  key: string;
  value?: unknown;
  keys?: string[];
}

// Stands in for the fixture's panel resolver: each definition makes one KVS call as app code would.
const kvsProbe = new Resolver()
  .define('set', ({ payload }) => outcome(() => kvs.set((payload as Probe).key, (payload as Probe).value)))
  .define('get', ({ payload }) => outcome(() => kvs.get((payload as Probe).key)))
  .define('delete', ({ payload }) => outcome(() => kvs.delete((payload as Probe).key)))
  .define('setSecret', ({ payload }) => outcome(() => kvs.setSecret((payload as Probe).key, (payload as Probe).value)))
  .define('batchSet', ({ payload }) => outcome(() => kvs.batchSet(((payload as Probe).keys ?? []).map((key) => ({ key, value: 1 })))))
  .define('transact', ({ payload }) =>
    outcome(() => ((payload as Probe).keys ?? []).reduce((tx, key) => tx.set(key, 1), kvs.transact()).execute()),
  )
  .getDefinitions();

let forge: LocalForge;

beforeAll(async () => {
  forge = await startForge({ handlers: { ...handlers, panelResolver: kvsProbe } });
});

afterAll(async () => {
  await forge?.stop({ drop: true });
});

beforeEach(async () => {
  forge.kvs.faults.clear();
  await forge.kvs.clear();
});

const call = (op: string, payload: Probe): Promise<Outcome> =>
  forge.callResolver('panel-resolver', op, payload, { accountId: 'user-1' }) as Promise<Outcome>;

const injected = { apiError: true, name: 'ForgeKvsError', code: 'INTERNAL_SERVER_ERROR', status: 500 };

describe('kvs.faults.failNext', () => {
  test('the next matching requests fail as KVS errors the SDK raises; nothing is written; others pass', async () => {
    forge.kvs.faults.failNext(2, { match: { route: 'set', key: /^settings/ } });
    expect(forge.kvs.faults.pendingFailures()).toBe(2);
    expect(await call('set', { key: 'other', value: 1 })).toEqual({ value: null });
    expect(await call('get', { key: 'settings:v1' })).toEqual({ value: null });
    expect(await call('set', { key: 'settings:v1', value: { a: 1 } })).toEqual({ error: expect.objectContaining(injected) as unknown });
    expect(forge.kvs.faults.pendingFailures()).toBe(1);
    expect(await call('set', { key: 'settings:v1', value: { a: 2 } })).toEqual({ error: expect.objectContaining(injected) as unknown });
    expect(forge.kvs.faults.pendingFailures()).toBe(0);
    expect([...(await forge.kvs.dump()).keys()]).toEqual(['other']);
    expect(await call('set', { key: 'settings:v1', value: { a: 3 } })).toEqual({ value: null });
    expect(await call('get', { key: 'settings:v1' })).toEqual({ value: { a: 3 } });
  });

  test('a failed read is an error, not a missing key', async () => {
    await call('set', { key: 'settings:v1', value: 1 });
    forge.kvs.faults.failNext(1, { match: { route: 'get' } });
    expect(await call('get', { key: 'settings:v1' })).toEqual({ error: expect.objectContaining(injected) as unknown });
    expect(await call('get', { key: 'settings:v1' })).toEqual({ value: 1 });
  });

  test('with after, the write lands and then the caller gets the error', async () => {
    forge.kvs.faults.failNext(1, { match: { route: 'set', key: 'settings:v1' }, after: true });
    expect(await call('set', { key: 'settings:v1', value: { landed: true } })).toEqual({ error: expect.objectContaining(injected) as unknown });
    expect(forge.kvs.faults.pendingFailures()).toBe(0);
    expect(await call('get', { key: 'settings:v1' })).toEqual({ value: { landed: true } });
  });

  test('code, status and message as given; RATE_LIMIT_EXCEEDED is a 429 unless told otherwise', async () => {
    forge.kvs.faults.failNext(1, { code: 'RATE_LIMIT_EXCEEDED' });
    forge.kvs.faults.failNext(1, { code: 'SERVICE_UNAVAILABLE', status: 503, message: 'try later' });
    expect(await call('get', { key: 'a' })).toEqual({ error: expect.objectContaining({ code: 'RATE_LIMIT_EXCEEDED', status: 429 }) as unknown });
    expect(await call('get', { key: 'a' })).toEqual({
      error: { apiError: true, name: 'ForgeKvsError', code: 'SERVICE_UNAVAILABLE', status: 503, message: 'try later' },
    });
  });

  test('routes by name or RegExp; keys of batches and transactions match one by one', async () => {
    forge.kvs.faults.failNext(1, { match: { route: 'secret/set' } });
    expect(await call('set', { key: 'token', value: 1 })).toEqual({ value: null });
    expect(await call('setSecret', { key: 'token', value: 's' })).toEqual({ error: expect.objectContaining(injected) as unknown });

    forge.kvs.faults.failNext(1, { match: { route: /^(batch\/set|transaction)$/, key: 'b:2' } });
    expect(await call('transact', { key: '', keys: ['t:1', 't:2'] })).toEqual({ value: null });
    expect(await call('batchSet', { key: '', keys: ['b:1', 'b:2'] })).toEqual({ error: expect.objectContaining(injected) as unknown });
    forge.kvs.faults.failNext(1, { match: { key: /^t:/ } });
    expect(await call('transact', { key: '', keys: ['t:3', 't:4'] })).toEqual({ error: expect.objectContaining(injected) as unknown });
    expect(forge.kvs.faults.pendingFailures()).toBe(0);
    expect([...(await forge.kvs.dump()).keys()].sort()).toEqual(['t:1', 't:2', 'token']);
  });

  test('a request that fails on its own keeps its own error, and an after-failure is used up by it', async () => {
    forge.kvs.faults.failNext(1, { after: true });
    expect(await call('set', { key: 'bad/key', value: 1 })).toEqual({ error: expect.objectContaining({ code: 'INVALID_KEY', status: 400 }) as unknown });
    expect(forge.kvs.faults.pendingFailures()).toBe(0);
  });
});

describe('kvs.faults.holdNext', () => {
  test('holds the matching request before it is carried out until released; other requests pass meanwhile', async () => {
    await call('set', { key: 'settings:v1', value: 'old' });
    const hold = forge.kvs.faults.holdNext({ route: 'set', key: 'settings:v1' });
    const writing = call('set', { key: 'settings:v1', value: 'new' });
    expect(await hold.arrived).toEqual({ route: 'set', keys: ['settings:v1'] });
    expect(await call('get', { key: 'settings:v1' })).toEqual({ value: 'old' });
    expect(await call('set', { key: 'other', value: 1 })).toEqual({ value: null });
    const settled = await Promise.race([writing.then(() => 'answered'), call('get', { key: 'other' }).then(() => 'still held')]);
    expect(settled).toBe('still held');
    hold.release();
    expect(await writing).toEqual({ value: null });
    expect(await call('get', { key: 'settings:v1' })).toEqual({ value: 'new' });
    // A hold takes one request: the next write of the key is not held.
    expect(await call('set', { key: 'settings:v1', value: 'newer' })).toEqual({ value: null });
  });

  test('with ms, the held request goes on by itself', async () => {
    const hold = forge.kvs.faults.holdNext({ route: 'delete' }, { ms: 20 });
    await call('set', { key: 'gone', value: 1 });
    const removing = call('delete', { key: 'gone' });
    expect((await hold.arrived).route).toBe('delete');
    expect(await removing).toEqual({ value: null });
    expect(await call('get', { key: 'gone' })).toEqual({ value: null });
  });

  test('released before it arrives, the request passes without waiting', async () => {
    const hold = forge.kvs.faults.holdNext({ key: 'early' });
    hold.release();
    expect(await call('set', { key: 'early', value: 1 })).toEqual({ value: null });
    expect(await hold.arrived).toEqual({ route: 'set', keys: ['early'] });
  });

  test('a held request that also has a failure planned fails once let go', async () => {
    forge.kvs.faults.failNext(1, { match: { key: 'both' } });
    const hold = forge.kvs.faults.holdNext({ key: 'both' });
    const writing = call('set', { key: 'both', value: 1 });
    await hold.arrived;
    hold.release();
    expect(await writing).toEqual({ error: expect.objectContaining(injected) as unknown });
  });
});

describe('kvs.faults.clear and bad input', () => {
  test('clear() lets held requests go on and drops failures and holds not yet met', async () => {
    const hold = forge.kvs.faults.holdNext({ key: 'held' });
    const writing = call('set', { key: 'held', value: 1 });
    await hold.arrived;
    forge.kvs.faults.failNext(3);
    forge.kvs.faults.holdNext({ key: 'never' });
    forge.kvs.faults.clear();
    expect(forge.kvs.faults.pendingFailures()).toBe(0);
    expect(await writing).toEqual({ value: null });
    expect(await call('set', { key: 'never', value: 2 })).toEqual({ value: null });
    expect([...(await forge.kvs.dump()).keys()].sort()).toEqual(['held', 'never']);
  });

  test('an unknown route, a bad count, status or ms is refused with a clear error and plans nothing', () => {
    expect(() => forge.kvs.faults.failNext(1, { match: { route: 'put' } })).toThrow(LocalForgeError);
    expect(() => forge.kvs.faults.failNext(1, { match: { route: 'put' } })).toThrow(/no KVS route 'put'; the routes are get, set, delete, /);
    expect(() => forge.kvs.faults.holdNext({ route: '/api/v1/set' })).toThrow(/no KVS route '\/api\/v1\/set'/);
    expect(() => forge.kvs.faults.failNext(-1)).toThrow(/count must be a whole number/);
    expect(() => forge.kvs.faults.failNext(1.5)).toThrow(/count must be a whole number/);
    expect(() => forge.kvs.faults.failNext(1, { status: 200 })).toThrow(/status must be an HTTP error status/);
    expect(() => forge.kvs.faults.holdNext({}, { ms: -1 })).toThrow(/ms must be a number/);
    forge.kvs.faults.failNext(0);
    expect(forge.kvs.faults.pendingFailures()).toBe(0);
  });
});
