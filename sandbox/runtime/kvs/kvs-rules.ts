/**
 * Forge KVS's documented constraints on keys, values and entity names, raised with
 * the same error codes the Forge storage API uses (400 + code), so code that passes
 * here will not be rejected in production for these reasons.
 */
import { WireError } from '../wire-error';

export const KVS_LIMITS = {
  keyLength: 500,
  valueBytes: 240 * 1024,
  depth: 32,
  queryLimitMax: 100,
  queryLimitDefault: 10,
  transactionOps: 25,
  batchItems: 25,
};

// Forge's documented pattern: /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/ (the `\s-#` is literal).
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const ENTITY_PATTERN = /^(?![.-])(?!.*\.{2})[a-z0-9:\-.]*(?<![.])$/;

export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new WireError(400, 'EMPTY_KEY', 'Key cannot be empty.');
  if (key.length > KVS_LIMITS.keyLength) {
    throw new WireError(400, 'KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.keyLength} characters.`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw new WireError(400, 'INVALID_KEY', 'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/');
  }
  return key;
}

export function checkEntityName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 3) {
    throw new WireError(400, 'ENTITY_TYPE_TOO_SHORT', 'The entity name needs to be at least 3 characters.');
  }
  if (name.length > 60) throw new WireError(400, 'ENTITY_TYPE_TOO_LARGE', 'The entity name has exceeded the maximum 60 characters.');
  if (!ENTITY_PATTERN.test(name)) throw new WireError(400, 'INVALID_ENTITY_TYPE', `Invalid entity name '${name}'.`);
  return name;
}

/** Returns the stored JSON text of a value after checking presence, size and depth. */
export function checkValue(value: unknown): string {
  if (value === undefined) throw new WireError(400, 'BAD_REQUEST', 'Provided request body is invalid: value is missing.');
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > KVS_LIMITS.valueBytes) {
    throw new WireError(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${bytes} > ${KVS_LIMITS.valueBytes} bytes).`);
  }
  if (depthOf(value) > KVS_LIMITS.depth) {
    throw new WireError(400, 'MAX_DEPTH', `The provided value has exceeded the maximum object depth (${KVS_LIMITS.depth}) limit.`);
  }
  return text;
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value as Record<string, unknown>)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

const TTL_UNIT_MS = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

export function ttlMs(ttl: { value: number; unit: keyof typeof TTL_UNIT_MS } | undefined): number | undefined {
  if (!ttl) return undefined;
  if (!(ttl.value > 0)) throw new WireError(400, 'BAD_REQUEST', 'Provided request body is invalid: ttl.value must be positive.');
  return ttl.value * TTL_UNIT_MS[ttl.unit];
}
