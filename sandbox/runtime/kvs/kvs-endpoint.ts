/**
 * Answers @forge/kvs's requests at the seam (POST /api/v1/get, /set, /delete,
 * /query, /secret/*, /entity/get|set|delete, /batch/*, /transaction) with the
 * bodies and status codes the SDK parses: a missing key is 404 KEY_NOT_FOUND on the
 * wire, which the SDK turns into `undefined`. Every request passes through `faults`
 * (held or failed on a test's demand) once its route and body are known.
 */
import { z } from 'zod';
import { emptyReply, jsonReply, readBodyText, wireErrorReply } from '../http-reply';
import { WireError } from '../wire-error';
import { KvsFaults, type KvsRequest } from './kvs-faults';
import { checkEntityName, checkKey, checkValue, KVS_LIMITS, ttlMs } from './kvs-rules';
import type { KvsStore, StoredEntry } from './kvs-store';

const metadataFields = z.array(z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'])).optional();
const ttl = z.object({ value: z.number(), unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']) }).optional();
const setOptions = z
  .object({
    ttl,
    keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
    returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
    returnMetadataFields: metadataFields,
  })
  .optional();
const getBody = z.object({ key: z.unknown(), entityName: z.unknown().optional(), options: z.object({ metadataFields }).optional() });
const setBody = z.object({ key: z.unknown(), entityName: z.unknown().optional(), value: z.unknown(), options: setOptions });
const deleteBody = z.object({ key: z.unknown(), entityName: z.unknown().optional() });
const queryBody = z.object({
  limit: z.number().int().optional(),
  after: z.string().optional(),
  where: z
    .array(z.object({ property: z.literal('key'), condition: z.literal('BEGINS_WITH'), values: z.array(z.union([z.string(), z.number()])) }))
    .optional(),
  options: z.object({ metadataFields }).optional(),
});
const transactionBody = z.object({
  set: z.array(z.object({ key: z.unknown(), value: z.unknown(), entityName: z.unknown().optional(), conditions: z.unknown().optional(), options: z.object({ ttl }).optional() })).optional(),
  delete: z.array(z.object({ key: z.unknown(), entityName: z.unknown().optional(), conditions: z.unknown().optional() })).optional(),
  check: z.array(z.unknown()).optional(),
});
const batchBody = z.array(z.object({ key: z.unknown(), entityName: z.unknown().optional(), value: z.unknown().optional(), options: z.object({ ttl }).optional() }));

type Handler = (body: unknown) => Promise<Response>;

const ROUTE_PREFIX = /^\/api\/v1\/(.+)$/;

export class KvsEndpoint {
  /** Handlers by route name, the path under `/api/v1/` (the names fault matches use). */
  private readonly routes: Record<string, Handler>;
  readonly faults: KvsFaults;

  constructor(private readonly store: KvsStore) {
    this.routes = {
      get: (b) => this.get(b, 'kv'),
      set: (b) => this.set(b, 'kv'),
      delete: (b) => this.remove(b, 'kv'),
      'secret/get': (b) => this.get(b, 'secret'),
      'secret/set': (b) => this.set(b, 'secret'),
      'secret/delete': (b) => this.remove(b, 'secret'),
      'entity/get': (b) => this.get(b, 'entity'),
      'entity/set': (b) => this.set(b, 'entity'),
      'entity/delete': (b) => this.remove(b, 'entity'),
      query: (b) => this.query(b),
      transaction: (b) => this.transact(b),
      'batch/set': (b) => this.batchSet(b),
      'batch/get': (b) => this.batchGet(b),
      'batch/delete': (b) => this.batchDelete(b),
    };
    this.faults = new KvsFaults(Object.keys(this.routes));
  }

  async handle(path: string, init: RequestInit | undefined): Promise<Response> {
    try {
      const name = ROUTE_PREFIX.exec(path.replace(/\/+$/, ''))?.[1];
      // Own properties only: a path such as /api/v1/constructor is no route.
      const route = name !== undefined && Object.hasOwn(this.routes, name) ? this.routes[name] : undefined;
      if (name === undefined || !route) {
        throw new WireError(501, 'NOT_IMPLEMENTED', `LocalForge does not emulate the KVS endpoint ${path} (custom entity indexes are not modelled).`);
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBodyText(init)) as unknown;
      } catch {
        throw new WireError(400, 'BAD_REQUEST', 'Provided request body is invalid');
      }
      const request: KvsRequest = { route: name, keys: keysOf(body) };
      await this.faults.admit(request);
      const injected = this.faults.takeFailure(request);
      if (injected && !injected.after) throw injected.error;
      const answer = await route(body);
      if (injected) throw injected.error;
      return answer;
    } catch (error) {
      if (error instanceof WireError) return wireErrorReply(error);
      throw error;
    }
  }

  private async get(raw: unknown, scope: 'kv' | 'secret' | 'entity'): Promise<Response> {
    const body = parse(getBody, raw);
    const kind = kindOf(scope, body.entityName);
    const entry = await this.store.get(kind, checkKey(body.key));
    if (!entry) throw new WireError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    return jsonReply(200, withMetadata(entry));
  }

  private async set(raw: unknown, scope: 'kv' | 'secret' | 'entity'): Promise<Response> {
    const body = parse(setBody, raw);
    const kind = kindOf(scope, body.entityName);
    const key = checkKey(body.key);
    if (scope === 'entity' && (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value))) {
      throw new WireError(400, 'INVALID_ENTITY_VALUE', 'Entity values must be objects.');
    }
    const valueText = checkValue(body.value);
    const options = body.options;
    if (options?.keyPolicy === 'FAIL_IF_EXISTS' && (await this.store.get(kind, key))) {
      throw new WireError(409, 'KEY_ALREADY_EXISTS', 'The key already exists and keyPolicy is FAIL_IF_EXISTS.');
    }
    const previous = await this.store.set({ kind, key, valueText, ttlMs: ttlMs(options?.ttl) });
    if (!options?.returnValue) return emptyReply(200);
    const answer = options.returnValue === 'PREVIOUS' ? previous : await this.store.get(kind, key);
    return answer ? jsonReply(200, withMetadata(answer)) : emptyReply(200);
  }

  private async remove(raw: unknown, scope: 'kv' | 'secret' | 'entity'): Promise<Response> {
    const body = parse(deleteBody, raw);
    const removed = await this.store.delete(kindOf(scope, body.entityName), checkKey(body.key));
    if (!removed) throw new WireError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    return emptyReply(204);
  }

  private async query(raw: unknown): Promise<Response> {
    const body = parse(queryBody, raw);
    const limit = body.limit ?? KVS_LIMITS.queryLimitDefault;
    if (limit < 1 || limit > KVS_LIMITS.queryLimitMax) {
      throw new WireError(400, 'QUERY_LIMIT_NOT_IN_RANGE', `The query limit must be between 1 and ${KVS_LIMITS.queryLimitMax}.`);
    }
    const prefixValue = body.where?.[0]?.values[0];
    const prefix = prefixValue === undefined ? '' : String(prefixValue);
    const after = body.after === undefined ? undefined : decodeCursor(body.after);
    // One extra row tells whether another page exists without a second query.
    const rows = await this.store.query('kv', prefix, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return jsonReply(200, {
      data: page.map((entry) => queryItem(entry, body.options?.metadataFields ?? [])),
      ...(rows.length > limit && last ? { cursor: encodeCursor(last.key) } : {}),
    });
  }

  private async transact(raw: unknown): Promise<Response> {
    const body = parse(transactionBody, raw);
    const sets = body.set ?? [];
    const deletes = body.delete ?? [];
    const checks = body.check ?? [];
    if (sets.length + deletes.length + checks.length > KVS_LIMITS.transactionOps) {
      throw new WireError(400, 'TOO_MANY_OPERATIONS', `A transaction can hold at most ${KVS_LIMITS.transactionOps} operations.`);
    }
    if (checks.length > 0 || sets.some((s) => s.conditions) || deletes.some((d) => d.conditions)) {
      throw new WireError(501, 'NOT_IMPLEMENTED', 'LocalForge does not evaluate transaction conditions on custom entities.');
    }
    const writes = sets.map((s) => ({
      kind: kindOf(s.entityName === undefined ? 'kv' : 'entity', s.entityName),
      key: checkKey(s.key),
      valueText: checkValue(s.value),
      ttlMs: ttlMs(s.options?.ttl),
    }));
    const removals = deletes.map((d) => ({ kind: kindOf(d.entityName === undefined ? 'kv' : 'entity', d.entityName), key: checkKey(d.key) }));
    await this.store.atomically(async (db) => {
      for (const write of writes) await this.store.set(write, db);
      for (const removal of removals) await this.store.delete(removal.kind, removal.key, db);
    });
    return emptyReply(204);
  }

  private async batchSet(raw: unknown): Promise<Response> {
    const items = parse(batchBody, raw);
    checkBatchSize(items.length);
    return this.perItem(items, async (item, kind, key) => {
      await this.store.set({ kind, key, valueText: checkValue(item.value), ttlMs: ttlMs(item.options?.ttl) });
      return {};
    });
  }

  private async batchGet(raw: unknown): Promise<Response> {
    const items = parse(batchBody, raw);
    checkBatchSize(items.length);
    return this.perItem(items, async (_item, kind, key) => {
      const entry = await this.store.get(kind, key);
      if (!entry) throw new WireError(404, 'KEY_NOT_FOUND', 'Key does not exist');
      return withMetadata(entry);
    });
  }

  private async batchDelete(raw: unknown): Promise<Response> {
    const items = parse(batchBody, raw);
    checkBatchSize(items.length);
    return this.perItem(items, async (_item, kind, key) => {
      await this.store.delete(kind, key);
      return {};
    });
  }

  /** Batch calls report each item's outcome instead of failing the whole call. */
  private async perItem(
    items: z.infer<typeof batchBody>,
    op: (item: z.infer<typeof batchBody>[number], kind: string, key: string) => Promise<Record<string, unknown>>,
  ): Promise<Response> {
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const id = { key: item.key, ...(item.entityName === undefined ? {} : { entityName: item.entityName }) };
      try {
        const kind = kindOf(item.entityName === undefined ? 'kv' : 'entity', item.entityName);
        successfulKeys.push({ ...id, ...(await op(item, kind, checkKey(item.key))) });
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        failedKeys.push({ ...id, error: { code: error.code, message: error.message } });
      }
    }
    return jsonReply(200, { successfulKeys, failedKeys });
  }
}

/** The keys a request names, for fault matching: its key, or each item's of a batch or transaction. */
function keysOf(body: unknown): string[] {
  const keyOf = (item: unknown): string[] => {
    const key = item !== null && typeof item === 'object' ? (item as { key?: unknown }).key : undefined;
    return typeof key === 'string' ? [key] : [];
  };
  if (Array.isArray(body)) return body.flatMap(keyOf);
  if (body === null || typeof body !== 'object') return [];
  const { set, delete: removals } = body as { set?: unknown; delete?: unknown };
  return [...keyOf(body), ...(Array.isArray(set) ? set.flatMap(keyOf) : []), ...(Array.isArray(removals) ? removals.flatMap(keyOf) : [])];
}

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) throw new WireError(400, 'BAD_REQUEST', 'Provided request body is invalid');
  return result.data;
}

function kindOf(scope: 'kv' | 'secret' | 'entity', entityName: unknown): string {
  return scope === 'entity' ? `entity:${checkEntityName(entityName)}` : scope;
}

function checkBatchSize(count: number): void {
  if (count > KVS_LIMITS.batchItems) {
    throw new WireError(400, 'BAD_REQUEST', `A batch can hold at most ${KVS_LIMITS.batchItems} items.`);
  }
}

/** Always sends the metadata; the SDK keeps only the fields the caller asked for. */
function withMetadata(entry: StoredEntry): Record<string, unknown> {
  return {
    key: entry.key,
    value: entry.value,
    createdAt: Math.floor(entry.createdAt / 1000),
    updatedAt: Math.floor(entry.updatedAt / 1000),
    ...(entry.expireAt === undefined ? {} : { expireTime: new Date(entry.expireAt).toISOString() }),
  };
}

/** Query results reach the app as-is, so only the metadata it asked for is included. */
function queryItem(entry: StoredEntry, fields: readonly string[]): Record<string, unknown> {
  const full = withMetadata(entry);
  const item: Record<string, unknown> = { key: full['key'], value: full['value'] };
  if (fields.includes('CREATED_AT')) item['createdAt'] = full['createdAt'];
  if (fields.includes('UPDATED_AT')) item['updatedAt'] = full['updatedAt'];
  if (fields.includes('EXPIRE_TIME') && full['expireTime'] !== undefined) item['expireTime'] = full['expireTime'];
  return item;
}

function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
