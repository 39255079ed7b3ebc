/** Forge KVS at the seam: the real @forge/kvs SDK, Forge's not-found semantics and limits, persisted in MariaDB. */
import { kvs, MetadataField, WhereConditions } from '@forge/kvs';
import type { LocalForge } from '../../sandbox/runtime';
import { startForge } from './helpers';

let forge: LocalForge;

beforeAll(async () => {
  forge = await startForge();
});

afterAll(async () => {
  await forge?.stop({ drop: true });
});

test('set, get and delete; a missing key reads as undefined', async () => {
  expect(await kvs.get('settings:missing')).toBeUndefined();
  await kvs.set('settings:global', { threshold: 0.8, projects: ['A', 'B'] });
  expect(await kvs.get('settings:global')).toEqual({ threshold: 0.8, projects: ['A', 'B'] });
  await kvs.delete('settings:global');
  expect(await kvs.get('settings:global')).toBeUndefined();
  await expect(kvs.delete('settings:global')).resolves.toBeUndefined();
});

test('get with metadata fields returns timestamps', async () => {
  await kvs.set('meta key', 'v');
  const result = await kvs.get('meta key', { metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT] });
  expect(result).toMatchObject({ key: 'meta key', value: 'v', createdAt: expect.any(Number) as unknown, updatedAt: expect.any(Number) as unknown });
});

test('bad keys are rejected with Forge error codes', async () => {
  await expect(kvs.set('bad/key', 1)).rejects.toMatchObject({ name: 'ForgeKvsError', code: 'INVALID_KEY' });
  await expect(kvs.set('   ', 1)).rejects.toMatchObject({ code: 'INVALID_KEY' });
  await expect(kvs.set('', 1)).rejects.toMatchObject({ code: 'EMPTY_KEY' });
  await expect(kvs.set('k'.repeat(501), 1)).rejects.toMatchObject({ code: 'KEY_TOO_LONG' });
  await expect(kvs.set('ok:key_1.2 #-x', 1)).resolves.toBeUndefined();
  await expect(kvs.get('bad/key')).rejects.toMatchObject({ code: 'INVALID_KEY' });
});

test('values over 240 KiB are rejected', async () => {
  await expect(kvs.set('big', 'x'.repeat(240 * 1024))).rejects.toMatchObject({ code: 'MAX_SIZE', responseDetails: { status: 400 } });
  await expect(kvs.set('fits', 'x'.repeat(200 * 1024))).resolves.toBeUndefined();
});

test('query with beginsWith pages with a cursor in key order', async () => {
  for (const n of [3, 1, 5, 2, 4]) await kvs.set(`page:${n}`, n);
  await kvs.set('other:1', 0);
  const first = await kvs.query().where('key', WhereConditions.beginsWith('page:')).limit(2).getMany<number>();
  expect(first.results.map((r) => r.key)).toEqual(['page:1', 'page:2']);
  expect(first.nextCursor).toEqual(expect.any(String));
  const rest = await kvs.query().where('key', WhereConditions.beginsWith('page:')).limit(10).cursor(first.nextCursor ?? '').getMany<number>();
  expect(rest.results).toEqual([
    { key: 'page:3', value: 3 },
    { key: 'page:4', value: 4 },
    { key: 'page:5', value: 5 },
  ]);
  expect(rest.nextCursor).toBeUndefined();
  expect(await kvs.query().where('key', WhereConditions.beginsWith('page:')).getOne()).toEqual({ key: 'page:1', value: 1 });
});

test('secrets live apart from plain keys', async () => {
  await kvs.setSecret('token', 's3cret');
  expect(await kvs.getSecret('token')).toBe('s3cret');
  expect(await kvs.get('token')).toBeUndefined();
  await kvs.deleteSecret('token');
  expect(await kvs.getSecret('token')).toBeUndefined();
});

test('entities get/set/delete and transactions', async () => {
  await kvs.entity<{ name: string }>('run-history').set('r1', { name: 'first' });
  expect(await kvs.entity('run-history').get('r1')).toEqual({ name: 'first' });
  await kvs.transact().set('tx:a', 1).set('tx:b', 2).delete('tx:missing').execute();
  expect([await kvs.get('tx:a'), await kvs.get('tx:b')]).toEqual([1, 2]);
});

test('set with FAIL_IF_EXISTS and returnValue', async () => {
  await kvs.set('policy', 1);
  await expect(kvs.set('policy', 2, { keyPolicy: 'FAIL_IF_EXISTS' })).rejects.toMatchObject({ code: 'KEY_ALREADY_EXISTS' });
  const previous = await kvs.set('policy', 3, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' });
  expect(previous).toMatchObject({ key: 'policy', value: 1 });
});

test('values persist in MariaDB: dump() and a restarted runtime see them', async () => {
  await kvs.set('persist:me', { kept: true });
  expect((await forge.kvs.dump()).get('persist:me')).toEqual({ kept: true });
  const database = forge.database;
  await forge.stop();
  forge = await startForge({ database });
  expect(await kvs.get('persist:me')).toEqual({ kept: true });
  await forge.kvs.clear();
  expect(await kvs.get('persist:me')).toBeUndefined();
});
