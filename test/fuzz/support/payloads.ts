/**
 * Every resolver method of every surface, a valid payload for each, the JSON type of each
 * payload field (from src/shared/contract.ts), and fast-check generators of payloads that
 * are invalid by construction: an unknown or prototype-polluting key, a field of the wrong
 * type, an absurdly long string, an absurdly long list, a number out of any sane range, or a
 * payload that is not an object at all.
 */
import fc from 'fast-check';
import type {
  AdminPageMethods,
  ApiMethod,
  CreateCheckMethods,
  IssuePanelMethods,
  ProjectPageMethods,
  Settings,
} from '../../../src/shared/contract';
import type { Surface } from './env';

type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object';

interface FieldSpec {
  type: JsonType;
  /** null is a valid value (export cursor). */
  nullable?: boolean;
  /** An integer field (pages, sizes, limits). */
  integer?: boolean;
}

export type FieldMap = Record<string, FieldSpec>;

const S: FieldSpec = { type: 'string' };
const N: FieldSpec = { type: 'number' };
const I: FieldSpec = { type: 'number', integer: true };
const A: FieldSpec = { type: 'array' };
const B: FieldSpec = { type: 'boolean' };

const FILTERS: FieldMap = { projectKey: S, status: S, tier: S, types: A, statusCategories: A, openOnly: B, minScore: N, maxScore: N, search: S };

/** Payload fields of each method, from the contract. */
export const FIELDS: Record<ApiMethod, FieldMap> = {
  'suggestions.get': { issueId: S, limit: I, limits: { type: 'object' } },
  'suggestions.recheck': { issueId: S },
  'create.check': { summary: S, description: S, projectId: S, issueTypeId: S },
  'run.status': { projectKey: S, control: { type: 'boolean' } },
  'run.start': { projectKey: S, mode: S },
  'run.cancel': { runId: S },
  'run.list': { projectKey: S, limit: I },
  'pairs.list': { ...FILTERS, sort: S, order: S, page: I, pageSize: I },
  'pairs.detail': { pairId: S },
  'pairs.decide': { pairId: S, decision: S, duplicateIssueId: S, unlink: { type: 'boolean' } },
  'pairs.bulkDecide': { pairIds: A, decision: S, unlink: { type: 'boolean' }, unlinkPairIds: A },
  'clusters.list': { projectKey: S, search: S, page: I, pageSize: I },
  'clusters.link': { keepIssueId: S, duplicateIssueIds: A, memberIssueIds: A, knownDismissals: { type: 'object' } },
  'export.csv': { ...FILTERS, sort: S, order: S, cursor: { type: 'string', nullable: true }, pageSize: I },
  'stats.get': { projectKey: S, progress: { type: 'boolean' } },
  'history.list': { projectKey: S, page: I, pageSize: I, kind: S, mine: { type: 'boolean' }, issueKey: S, asOf: S },
  'settings.get': {},
  'settings.save': { settings: { type: 'object' } },
  'settings.validateJql': { jql: S },
  'settings.ageCounts': { jql: S, scope: { type: 'object' } },
  'settings.preview': {},
  'projects.list': {},
  'issueTypes.list': {},
  'uim.status': {},
  'uim.register': {},
  'me.get': {},
};

const ISSUE_VIEW: IssuePanelMethods[] = ['suggestions.get', 'suggestions.recheck', 'pairs.decide', 'me.get'];
const CREATE: CreateCheckMethods[] = ['create.check'];
const PROJECT_PAGE: ProjectPageMethods[] = [
  'run.status', 'run.start', 'run.cancel', 'run.list', 'pairs.list', 'pairs.detail', 'pairs.decide',
  'pairs.bulkDecide', 'clusters.list', 'clusters.link', 'export.csv', 'stats.get', 'history.list', 'me.get',
];
const ADMIN_PAGE: AdminPageMethods[] = [
  'settings.get', 'settings.save', 'settings.validateJql', 'settings.ageCounts', 'settings.preview', 'projects.list', 'issueTypes.list', 'uim.status', 'uim.register', 'run.start', 'run.status', 'history.list', 'me.get',
];

// Compile-time: each list names every method its surface exposes.
type Missing<All, Listed> = Exclude<All, Listed>;
const complete: [Missing<IssuePanelMethods, (typeof ISSUE_VIEW)[number]>, Missing<ProjectPageMethods, (typeof PROJECT_PAGE)[number]>, Missing<AdminPageMethods, (typeof ADMIN_PAGE)[number]>] extends [never, never, never] ? true : false = true;
void complete;

export const SURFACE_METHODS: Array<{ surface: Surface; methods: ApiMethod[] }> = [
  { surface: 'issue-view-resolver', methods: ISSUE_VIEW },
  { surface: 'create-check-resolver', methods: CREATE },
  { surface: 'project-page-resolver', methods: PROJECT_PAGE },
  { surface: 'admin-page-resolver', methods: ADMIN_PAGE },
];

/** Valid payloads, given ids from the analysed world. */
export function validPayloads(ids: { issueId: string; pairId: string; runId: string }, settings: Settings): Record<ApiMethod, Record<string, unknown>> {
  return {
    'suggestions.get': { issueId: ids.issueId, limit: 20, limits: { related: 40 } },
    'suggestions.recheck': { issueId: ids.issueId },
    'create.check': { summary: 'Checkout payment gateway timeout', description: 'The payment gateway times out.', projectId: '10000' },
    'run.status': { projectKey: 'SHOP' },
    'run.start': { mode: 'incremental' },
    'run.cancel': { runId: ids.runId },
    'run.list': { limit: 5 },
    'pairs.list': { status: 'pending', tier: 'duplicate', page: 1, pageSize: 10, sort: 'score', order: 'desc', minScore: 0.1, maxScore: 1, search: 'checkout', types: ['Bug'], statusCategories: ['new'] },
    'pairs.detail': { pairId: ids.pairId },
    'pairs.decide': { pairId: ids.pairId, decision: 'dismiss' },
    'pairs.bulkDecide': { pairIds: [ids.pairId], decision: 'dismiss' },
    'clusters.list': { page: 1, pageSize: 10, search: 'checkout' },
    // An id no issue has: valid in shape, answered NOT_FOUND, so it writes nothing.
    'clusters.link': { keepIssueId: ids.issueId, duplicateIssueIds: ['99999999'], memberIssueIds: [] },
    'export.csv': { status: 'pending', cursor: null, pageSize: 50 },
    'stats.get': { projectKey: 'SHOP' },
    'history.list': { page: 1, pageSize: 10 },
    'settings.get': {},
    'settings.save': { settings },
    'settings.validateJql': { jql: 'project = SHOP' },
    'settings.ageCounts': { jql: '', scope: { projects: ['SHOP'], issueTypes: [], maxAgeDays: 30 } },
    'settings.preview': {},
    'projects.list': {},
    'issueTypes.list': {},
    'uim.status': {},
    'uim.register': {},
    'me.get': {},
  };
}

/** Names every plain object inherits: a map built on `{}` mistakes them for present keys. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

/** Keys that look like they might matter: prototypes by another name, or pretended identity. */
const HOSTILE_KEYS = ['prototype', 'accountId', 'isAdmin', 'principal', 'context', 'extension', 'polluted'];

const inherited = (key: string): boolean => key in Object.prototype;

function typeOf(value: unknown): JsonType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** A JSON value of another type than the field's (null counts as another type unless nullable). */
function wrongTypeFor(spec: FieldSpec): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 3 }).filter((v) => {
    const t = typeOf(v);
    if (t === 'null') return !spec.nullable;
    return t !== spec.type;
  });
}

/** A string far beyond any bound the app could accept for a field (≥ 100,000 characters). */
const hugeString: fc.Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 8, unit: 'grapheme' })
  .map((s) => s.repeat(Math.ceil(100_001 / s.length)));

const hugeArray: fc.Arbitrary<unknown[]> = fc.tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 5_000, max: 8_000 })).map(([s, n]) => Array.from({ length: n }, (_, i) => `${s}${i}`));

const badInteger: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 10_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER),
);

const badNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: 1.000001, max: 1e300 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: -0.000001 }),
);

/** JSON text → value, so `__proto__` becomes an own property (as it would arrive over the wire). */
export function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const text = JSON.stringify(base);
  const extra = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
  return JSON.parse(text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`) as Record<string, unknown>;
}

export interface InvalidCase {
  why: string;
  payload: unknown;
}

/** Payloads every method must reject with BAD_REQUEST, built around its valid payload. */
export function invalidPayload(method: ApiMethod, valid: Record<string, unknown>): fc.Arbitrary<InvalidCase> {
  const fields = FIELDS[method];
  const names = Object.keys(fields);
  const known = new Set(names);
  const cases: Array<fc.Arbitrary<InvalidCase>> = [
    fc
      .tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ minLength: 1, maxLength: 12 })), fc.jsonValue({ maxDepth: 3 }))
      .filter(([key]) => !known.has(key) && !inherited(key))
      .map(([key, value]) => ({ why: `unknown key ${JSON.stringify(key)}`, payload: withKey(valid, key, value) })),
    fc
      .oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean())
      // @forge/resolver hands the app `payload || {}`: falsy payloads arrive as {}, which is valid.
      .filter((payload) => Boolean(payload))
      .map((payload) => ({ why: 'payload is not an object', payload })),
  ];
  if (names.length > 0) {
    const name = fc.constantFrom(...names);
    cases.push(
      name.chain((n) => wrongTypeFor(fields[n] as FieldSpec).map((v) => ({ why: `${n} has the wrong type`, payload: { ...valid, [n]: v } }))),
    );
    const strings = names.filter((n) => fields[n]?.type === 'string');
    if (strings.length > 0) {
      cases.push(fc.tuple(fc.constantFrom(...strings), hugeString).map(([n, v]) => ({ why: `${n} is ${v.length} characters`, payload: { ...valid, [n]: v } })));
    }
    const arrays = names.filter((n) => fields[n]?.type === 'array');
    if (arrays.length > 0) {
      cases.push(fc.tuple(fc.constantFrom(...arrays), hugeArray).map(([n, v]) => ({ why: `${n} has ${v.length} items`, payload: { ...valid, [n]: v } })));
    }
    const integers = names.filter((n) => fields[n]?.integer === true);
    if (integers.length > 0) {
      cases.push(fc.tuple(fc.constantFrom(...integers), badInteger).map(([n, v]) => ({ why: `${n} = ${v}`, payload: { ...valid, [n]: v } })));
    }
    const scores = names.filter((n) => n === 'minScore' || n === 'maxScore');
    if (scores.length > 0) {
      cases.push(fc.tuple(fc.constantFrom(...scores), badNumber).map(([n, v]) => ({ why: `${n} = ${v} (scores are 0..1)`, payload: { ...valid, [n]: v } })));
    }
  }
  return fc.oneof(...cases);
}
