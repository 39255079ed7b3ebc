import type { z } from 'zod';
import { hasTextWeight, MAX_SUGGESTIONS_LIMIT, RELATED_THRESHOLD_MIN, TEXT_WEIGHT_MESSAGE, type ApiMethod, type Payload } from '../shared/contract';
import { bool, byId, id, int, issueKey, list, num, oneOf, projectKey, str, strict } from './schema-parts';

/**
 * The zod schema of every contract method's payload. `satisfies` plus the exactness
 * check at the bottom make the compiler reject a schema that drifts from contract.ts.
 */

import { DISMISS_REASONS } from '../shared/wording';

const REVIEW_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
const TIERS = ['duplicate', 'related'] as const;
const STATUS_CATEGORIES = ['new', 'indeterminate', 'done', 'unknown'] as const;
const DECISIONS = ['confirm', 'dismiss', 'reopen'] as const;

export const MAX_PAGE_SIZE = 100;
export const MAX_EXPORT_PAGE_SIZE = 1000;
export const MAX_BULK = 100;
/** Issues linked to the kept one in one `clusters.link` call. */
export const MAX_CLUSTER_LINKS = 50;
/** Issues of the cluster sent along with them (those that may join the chosen ones to the kept one). */
export const MAX_CLUSTER_MEMBERS = 500;

const filterShape = {
  projectKey: projectKey().optional(),
  status: oneOf(REVIEW_STATUSES),
  tier: oneOf(TIERS).optional(),
  types: list(str(100, 1), 50).optional(),
  statusCategories: list(oneOf(STATUS_CATEGORIES), 4).optional(),
  openOnly: bool().optional(),
  minScore: num(0, 1).optional(),
  maxScore: num(0, 1).optional(),
  search: str(200).optional(),
};

const scoreRangeOk = (p: { minScore?: number | undefined; maxScore?: number | undefined }): boolean =>
  p.minScore === undefined || p.maxScore === undefined || p.minScore <= p.maxScore;
const scoreRangeIssue = { message: 'must not be above maxScore', path: ['minScore'] };

const page = () => int(1, 100_000).optional();
const pageSize = (max: number) => int(1, max).optional();

/** Below RELATED_THRESHOLD_MIN nearly every two issues would be paired (see there). */
const relatedThreshold = num(0, 1).min(RELATED_THRESHOLD_MIN, `must be at least ${RELATED_THRESHOLD_MIN} (${RELATED_THRESHOLD_MIN * 100}%): below it nearly every two issues share a word and would be paired`);

/** Weights a save accepts: the issue's own text must count (see `TEXT_WEIGHT_MESSAGE`). */
const weightsPayload = strict({
  summary: num(0, 5),
  description: num(0, 5),
  labels: num(0, 5),
  components: num(0, 5),
  type: num(0, 5),
});

/** Every setting but the thresholds and weights, as a save and its `base` both give them. */
const otherSettings = {
  projects: list(projectKey(), 200).refine((keys) => new Set(keys.map((k) => k.toUpperCase())).size === keys.length, 'must not repeat a project'),
  crossProject: bool(),
  createDialogCheck: bool(),
  dismissNeedsLink: bool(),
  runsNeedProjectAdmin: bool(),
  jqlFilter: str(2000),
  issueTypes: list(str(64, 1), 100),
  maxAgeDays: int(0, 36500),
  schedule: oneOf(['off', 'daily', 'weekly'] as const),
  retentionDays: int(7, 3650),
};

/** The Settings shape; `settings.save` also checks thresholds order and Jira-side facts. */
export const settingsPayload = strict({
  thresholds: strict({ duplicate: num(0, 1), related: relatedThreshold }).refine((t) => t.duplicate > t.related, {
    message: 'duplicate must be above related',
    path: ['duplicate'],
  }),
  weights: weightsPayload.refine(hasTextWeight, { message: TEXT_WEIGHT_MESSAGE, path: ['summary'] }),
  ...otherSettings,
});

/**
 * `settings.save`'s `base`, the settings the page loaded: only compared with the stored
 * settings to find what this save changes, never stored, so it is checked for its shape
 * alone. Settings stored before a rule came in (a related threshold under 5 %, weights on the
 * issue type alone) must not stop a save that corrects them.
 */
const settingsBasePayload = strict({
  thresholds: strict({ duplicate: num(0, 1), related: num(0, 1) }),
  weights: weightsPayload,
  ...otherSettings,
});

const empty = strict({});

export const payloadSchemas = {
  'suggestions.get': strict({
    issueId: id('Jira issue id'),
    limit: int(1, MAX_SUGGESTIONS_LIMIT).optional(),
    limits: strict({
      duplicates: int(1, MAX_SUGGESTIONS_LIMIT).optional(),
      related: int(1, MAX_SUGGESTIONS_LIMIT).optional(),
      dismissed: int(1, MAX_SUGGESTIONS_LIMIT).optional(),
    }).optional(),
  }),
  'suggestions.recheck': strict({ issueId: id('Jira issue id') }),
  'create.check': strict({
    summary: str(255),
    description: str(32_000).optional(),
    projectId: id('Jira project id').optional(),
    issueTypeId: id('Jira issue type id').optional(),
  }),
  'run.status': strict({ projectKey: projectKey().optional(), control: bool().optional() }),
  'run.start': strict({ projectKey: projectKey().optional(), mode: oneOf(['full', 'incremental'] as const).optional() }),
  'run.cancel': strict({ runId: id('run id') }),
  'run.list': strict({ projectKey: projectKey().optional(), limit: int(1, 100).optional() }),
  'pairs.list': strict({
    ...filterShape,
    sort: oneOf(['likely', 'score', 'created', 'updated'] as const).optional(),
    order: oneOf(['asc', 'desc'] as const).optional(),
    page: page(),
    pageSize: pageSize(MAX_PAGE_SIZE),
  }).refine(scoreRangeOk, scoreRangeIssue),
  'pairs.detail': strict({ pairId: id('pair id') }),
  'pairs.decide': strict({
    pairId: id('pair id'),
    decision: oneOf(DECISIONS),
    duplicateIssueId: id('Jira issue id').optional(),
    unlink: bool().optional(),
    reason: oneOf(DISMISS_REASONS).nullable().optional(),
    linkRelated: bool().optional(),
    unlinkRelated: bool().optional(),
    expected: oneOf(REVIEW_STATUSES).optional(),
    expectedDecidedAt: str(40).optional(),
  }),
  'pairs.bulkDecide': strict({
    pairIds: list(id('pair id'), MAX_BULK, 1),
    decision: oneOf(DECISIONS),
    unlink: bool().optional(),
    unlinkPairIds: list(id('pair id'), MAX_BULK).optional(),
    reason: oneOf(DISMISS_REASONS).nullable().optional(),
    expected: oneOf(REVIEW_STATUSES).optional(),
    expectedDecidedAt: byId(id('pair id'), str(40), MAX_BULK).optional(),
  }),
  'clusters.list': strict({ projectKey: projectKey().optional(), search: str(200).optional(), page: page(), pageSize: pageSize(MAX_PAGE_SIZE) }),
  'clusters.link': strict({
    keepIssueId: id('Jira issue id'),
    duplicateIssueIds: list(id('Jira issue id'), MAX_CLUSTER_LINKS, 1),
    memberIssueIds: list(id('Jira issue id'), MAX_CLUSTER_MEMBERS),
    // Each pair among the chosen issues at most once; a dismissal without a time is sent as ''.
    knownDismissals: byId(id('pair id'), str(40), (MAX_CLUSTER_LINKS * (MAX_CLUSTER_LINKS - 1)) / 2).optional(),
  }),
  'export.csv': strict({
    ...filterShape,
    sort: oneOf(['likely', 'score', 'created', 'updated'] as const).optional(),
    order: oneOf(['asc', 'desc'] as const).optional(),
    cursor: str(200).nullable().optional(),
    pageSize: pageSize(MAX_EXPORT_PAGE_SIZE),
  }).refine(scoreRangeOk, scoreRangeIssue),
  'stats.get': strict({ projectKey: projectKey().optional(), progress: bool().optional() }),
  'history.list': strict({
    projectKey: projectKey().optional(),
    page: page(),
    pageSize: pageSize(MAX_PAGE_SIZE),
    kind: oneOf(['decisions', 'analyses', 'settings'] as const).optional(),
    mine: bool().optional(),
    issueKey: issueKey().optional(),
    asOf: str(40)
      .refine((t) => Number.isFinite(Date.parse(t)), 'must be a time such as 2026-12-07T10:00:00.000Z')
      .optional(),
  }),
  'settings.get': empty,
  'settings.save': strict({ settings: settingsPayload, base: settingsBasePayload.optional() }),
  'settings.validateJql': strict({
    jql: str(2000),
    scope: strict({ projects: list(projectKey(), 200), issueTypes: list(str(64, 1), 100), maxAgeDays: int(0, 36500) }).optional(),
  }),
  'settings.ageCounts': strict({
    jql: str(2000),
    scope: strict({ projects: list(projectKey(), 200), issueTypes: list(str(64, 1), 100), maxAgeDays: int(0, 36500) }),
  }),
  'settings.preview': empty,
  'projects.list': empty,
  'issueTypes.list': empty,
  'uim.status': empty,
  'uim.register': empty,
  'me.get': empty,
} satisfies { [M in ApiMethod]: z.ZodType<Payload<M>> };

// Compile-time: each schema's output is exactly the contract payload (both directions).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllTrue<T extends { [M in ApiMethod]: true }> = T;
export type PayloadSchemasMatchContract = AllTrue<{
  [M in ApiMethod]: Same<z.output<(typeof payloadSchemas)[M]>, Payload<M>>;
}>;
