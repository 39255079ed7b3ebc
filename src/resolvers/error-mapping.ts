import { ZodError } from 'zod';
import type { ApiError } from '../shared/contract';
import { JiraError } from '../jira/errors';
import { isQueryTimeout } from '../store/db';
import { isSchemaUpdating } from '../store/migration-claim';
import { ApiFailure } from './api-failure';

/** What the UI gets, plus what the log line may carry (codes and statuses, never text). */
export interface MappedError {
  error: ApiError;
  log: { code: string; jiraStatus?: number | null; jiraCode?: string; errorName?: string };
}

/**
 * Who reads a surface's errors, which decides whom its advice sends them to when a failure
 * persists. The issue view, the project page and the create dialog are for everyone: they
 * are told to turn to their Jira admin. The admin page is for Jira admins, for whom that
 * is themselves: they are sent to the app's support. A surface says which in `defineAll`.
 */
export type Audience = 'users' | 'admins';

/** The end of the generic sentence: what to do when trying again does not help. */
const KEEPS_FAILING: Readonly<Record<Audience, string>> = {
  users: 'Try again; if it keeps failing, tell your Jira admin.',
  admins: "Try again; if it keeps failing, contact the app's support (see its Atlassian Marketplace listing).",
};

/** Jira refused the call: who can give the permission it needs. */
const JIRA_REFUSED: Readonly<Record<Audience, string>> = {
  users: 'Jira refused this for your account. Ask a Jira admin for the permission it needs.',
  // An admin is the one who grants permissions; the refusal may also be of the app's own account.
  admins: 'Jira refused this. Check the permissions your account and the app have in Jira.',
};

/** Field path as the forms know it: `settings.thresholds.related`; the payload root is `payload`. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? 'payload' : path.map((p) => String(p)).join('.');
}

/**
 * One message per field (the first wins: it is usually the most basic problem). A Map,
 * not an object, collects them: a payload key such as `constructor` or `__proto__` must be
 * reported by name, not shadowed by Object.prototype.
 */
export function zodFields(err: ZodError): Record<string, string> {
  const fields = new Map<string, string>();
  const add = (path: string, message: string): void => {
    if (!fields.has(path)) fields.set(path, message);
  };
  for (const issue of err.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(fieldPath([...issue.path, key]), 'is not a known field');
      continue;
    }
    add(fieldPath(issue.path), issue.message);
  }
  // fromEntries defines own properties, so even "__proto__" becomes a plain key.
  return Object.fromEntries(fields);
}

export function describeZodError(err: ZodError): ApiError {
  const fields = zodFields(err);
  const first = Object.entries(fields)[0];
  const message = first ? `Invalid request: ${first[0]} ${first[1]}.` : 'Invalid request.';
  return { code: 'BAD_REQUEST', message, fields };
}

/**
 * Jira's Retry-After in whole seconds as the pages are told it, or null when there is none to
 * tell: "about 0 s" tells nothing (Jira may send Retry-After: 0, or a date already past), so at
 * least a second.
 */
function wholeSeconds(retryAfterSeconds: number | null): number | null {
  if (retryAfterSeconds === null || !Number.isFinite(retryAfterSeconds)) return null;
  return Math.max(1, Math.ceil(retryAfterSeconds));
}

/**
 * Jira's 429 as the pages get it: the wait Jira asked for in the sentence and, as data, in
 * `retryAfterMs`, so a page that asks again by itself does not ask sooner.
 */
export function rateLimitedError(retryAfterSeconds: number | null): ApiError {
  const seconds = wholeSeconds(retryAfterSeconds);
  if (seconds === null) return { code: 'RATE_LIMITED', message: 'Jira is limiting requests right now. Try again in a minute.' };
  return { code: 'RATE_LIMITED', message: `Jira is limiting requests right now. Try again in about ${seconds} s.`, retryAfterMs: seconds * 1000 };
}

/**
 * A 5xx as the pages get it. With Retry-After (Atlassian sends a 503 with one when a resource
 * limit is reached) the wait is said as a 429's is, in the sentence and as `retryAfterMs`, so
 * a page that asks again by itself waits that long too; the code stays `JIRA_ERROR`.
 */
export function serverError(status: number | null, retryAfterSeconds: number | null): ApiError {
  const http = status !== null ? ` (HTTP ${status})` : '';
  const seconds = wholeSeconds(retryAfterSeconds);
  if (seconds === null) return { code: 'JIRA_ERROR', message: `Jira answered with an error${http}. Try again later.` };
  return { code: 'JIRA_ERROR', message: `Jira is busy right now${http}. Try again in about ${seconds} s.`, retryAfterMs: seconds * 1000 };
}

function mapJiraError(err: JiraError, audience: Audience): ApiError {
  switch (err.code) {
    case 'RATE_LIMITED':
      return rateLimitedError(err.retryAfterSeconds);
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return { code: 'FORBIDDEN', message: JIRA_REFUSED[audience] };
    case 'NOT_FOUND':
      return { code: 'NOT_FOUND', message: 'Jira could not find that issue or project, or you cannot see it.' };
    case 'CONFLICT':
      return { code: 'CONFLICT', message: 'Jira reported a conflict. Reload and try again.' };
    case 'TIMEOUT':
      return { code: 'JIRA_ERROR', message: 'Jira did not answer in time. Try again.' };
    case 'SERVER_ERROR':
      return serverError(err.status, err.retryAfterSeconds);
    default:
      return { code: 'JIRA_ERROR', message: `Jira answered with an error${err.status !== null ? ` (HTTP ${err.status})` : ''}. Try again later.` };
  }
}

/**
 * Maps anything a method threw to the contract's error. Unknown errors get a generic,
 * safe sentence: their own message may hold SQL, issue text or stack details. `audience`:
 * who reads it (the surface's), for the advice in the sentences that give some.
 */
export function mapError(err: unknown, audience: Audience = 'users'): MappedError {
  if (err instanceof ApiFailure) return { error: err.toApiError(), log: { code: err.code } };
  if (err instanceof ZodError) return { error: describeZodError(err), log: { code: 'BAD_REQUEST' } };
  if (err instanceof JiraError) {
    const error = mapJiraError(err, audience);
    return { error, log: { code: error.code, jiraStatus: err.status, jiraCode: err.code } };
  }
  if (isSchemaUpdating(err)) {
    // A request met the schema of the previous version while another invocation applies the
    // new one (src/store/migration-claim.ts): it is done within seconds, a minute at most.
    return { error: { code: 'INTERNAL', message: 'The app is being updated; try again in a moment.' }, log: { code: 'INTERNAL', errorName: 'SCHEMA_UPDATING' } };
  }
  if (isQueryTimeout(err)) {
    // Forge SQL gave up on a statement (5 s for reads): waiting usually helps, so say so.
    return { error: { code: 'INTERNAL', message: "The app's database is busy right now. Try again in a minute." }, log: { code: 'INTERNAL', errorName: 'QUERY_TIMED_OUT' } };
  }
  const errorName = err instanceof Error ? err.name : typeof err;
  return {
    error: { code: 'INTERNAL', message: `Something went wrong on our side. ${KEEPS_FAILING[audience]}` },
    log: { code: 'INTERNAL', errorName },
  };
}
