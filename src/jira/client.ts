/**
 * The Jira REST client every part of the app uses. Nothing else calls `requestJira`.
 *
 *   const { status, data } = await jira({ as: 'app' }, 'POST', route`/rest/api/3/search/jql`, {
 *     body: { jql, fields, maxResults: 50 },
 *     schema: searchPageSchema,   // zod: the parts of the answer we rely on
 *     deadlineMs: 60_000,         // overall budget including waits (default 20 s: fits a 25 s resolver)
 *   });
 *
 * - `actor`: `{ as: 'app' }` → `asApp()` (consumers, triggers, and anything that must see every
 *   issue: filter by the viewer's permissions before showing it); `{ as: 'user' }` → `asUser()`
 *   (only inside a resolver invocation; `accountId` optional).
 * - JSON in (`body` is JSON-encoded, `Content-Type`/`Accept` set) and JSON out (an empty body
 *   gives `data === undefined`, e.g. 201/204). With `schema`, the body is zod-parsed and a
 *   mismatch throws `JiraError{code:'BAD_RESPONSE'}`; without it `data` is `unknown`-ish `T`.
 * - Retries, all bounded by `retries` (default 4 → at most 5 attempts) and `deadlineMs` (and
 *   `deadlineAt`, when several calls share one invocation's time: a call made once it has
 *   passed sends nothing and throws `TIMEOUT`):
 *   429 waits `Retry-After` (or back-off when absent) if the wait fits the remaining budget
 *   and `maxWaitSeconds`, plus up to 20 % of it at random within them (`retryAfterWaitMs`:
 *   calls limited together do not come back together; `backoff.random` pins it in tests), otherwise throws `JiraError{code:'RATE_LIMITED', retryAfterSeconds}` at
 *   once so a queue consumer can hand the wait to the platform (`InvocationError{retryAfter}`);
 *   a 5xx with `Retry-After` (Jira sends a 503 with one when a resource limit is reached) is
 *   waited the same way, and throws `SERVER_ERROR` with `retryAfterSeconds` when the wait does
 *   not fit; other 5xx, network failures and per-request timeouts (`timeoutMs`, default 15 s)
 *   back off exponentially with jitter. Other 4xx throw at once with a code (`BAD_REQUEST`,
 *   `FORBIDDEN`, `NOT_FOUND`, …) and Jira's `errorMessages` in `jiraMessages`.
 * - Errors: always `JiraError` (src/jira/errors.ts) with `status`, `code`, `retryAfterSeconds`,
 *   `attempts` and a message safe for logs and people (method, path, status; never bodies).
 */
import api, { route, type Route } from '@forge/api';
import type { z } from 'zod';
import { JiraError, codeForStatus } from './errors';
import { backoffMs, parseRetryAfter, retryAfterWaitMs, sleep, type BackoffOptions } from './retry';

export { route };
export type { Route };

export type JiraActor = { as: 'app' } | { as: 'user'; accountId?: string };
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JiraRequestOptions<T> {
  body?: unknown;
  schema?: z.ZodType<T>;
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** Overall budget in ms, waits included. Default 20 000. */
  deadlineMs?: number;
  /**
   * An end (epoch ms) that no attempt or wait of this call goes past, for calls that share one
   * time limit (an invocation's): the call's budget is the lesser of this and `deadlineMs`.
   * A call made once it has passed sends nothing and throws `TIMEOUT`.
   */
  deadlineAt?: number;
  /** Longest Retry-After honoured in-process, seconds. Default: whatever fits the deadline. */
  maxWaitSeconds?: number;
  /** One request's own timeout in ms. Default 15 000 (capped by the remaining budget). */
  timeoutMs?: number;
  backoff?: BackoffOptions;
  /** Extra request headers (e.g. X-Atlassian-Token). */
  headers?: Record<string, string>;
}

export interface JiraResponse<T> {
  status: number;
  data: T;
  header: (name: string) => string | null;
}

interface RawResponse {
  status: number;
  text: string;
  header: (name: string) => string | null;
}

function requester(actor: JiraActor): (r: Route, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<RawResponse> {
  const methods = actor.as === 'app' ? api.asApp() : api.asUser(actor.accountId);
  return async (r, init) => {
    const res = await methods.requestJira(r, init);
    const text = await res.text();
    return { status: res.status, text, header: (name) => res.headers.get(name) };
  };
}

/** Path without the query string: enough to say what failed, never more. */
function describe(method: HttpMethod, r: Route): string {
  const path = r.value.split('?')[0] ?? r.value;
  return `${method} ${path}`;
}

function jiraMessagesOf(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object') return [];
    const out: string[] = [];
    const messages = (parsed as { errorMessages?: unknown }).errorMessages;
    if (Array.isArray(messages)) for (const m of messages) if (typeof m === 'string') out.push(m);
    const errors = (parsed as { errors?: unknown }).errors;
    if (errors !== null && typeof errors === 'object') {
      for (const [k, v] of Object.entries(errors as Record<string, unknown>)) if (typeof v === 'string') out.push(`${k}: ${v}`);
    }
    return out.slice(0, 10);
  } catch {
    return [];
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new JiraError({ message: 'timeout', status: null, code: 'TIMEOUT' }));
    }, Math.max(1, ms));
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

export async function jira<T = unknown>(
  actor: JiraActor,
  method: HttpMethod,
  r: Route,
  opts: JiraRequestOptions<T> = {},
): Promise<JiraResponse<T>> {
  const retries = opts.retries ?? 4;
  const deadlineAt = Math.min(Date.now() + (opts.deadlineMs ?? 20_000), opts.deadlineAt ?? Number.POSITIVE_INFINITY);
  const what = describe(method, r);
  if (deadlineAt <= Date.now()) {
    // The caller's time for Jira is spent: a request now would be cut off before its answer.
    throw new JiraError({ message: `No time was left to ask Jira ${what}.`, status: null, code: 'TIMEOUT', attempts: 0 });
  }
  const send = requester(actor);
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);

  let attempt = 0;
  for (;;) {
    attempt += 1;
    const remaining = deadlineAt - Date.now();
    let failure: JiraError;
    let waitMs: number;
    try {
      const res = await withTimeout(
        (signal) => send(r, { method, headers, ...(body === undefined ? {} : { body }), signal }),
        Math.min(opts.timeoutMs ?? 15_000, Math.max(1, remaining)),
      );
      if (res.status >= 200 && res.status < 300) {
        const raw = parseBody(res.text);
        if (!opts.schema) return { status: res.status, data: raw as T, header: res.header };
        const parsed = opts.schema.safeParse(raw);
        if (parsed.success) return { status: res.status, data: parsed.data, header: res.header };
        const where = parsed.error.issues[0]?.path.join('.') ?? '';
        throw new JiraError({
          message: `Jira answered ${what} with ${res.status} but the response was not in the expected shape (at "${where}").`,
          status: res.status,
          code: 'BAD_RESPONSE',
          attempts: attempt,
        });
      }
      const code = codeForStatus(res.status);
      const retryAfter = parseRetryAfter(res.header('Retry-After'));
      failure = new JiraError({
        message: `Jira answered ${what} with ${res.status}.`,
        status: res.status,
        code,
        retryAfterSeconds: retryAfter,
        attempts: attempt,
        jiraMessages: res.status >= 400 && res.status < 500 ? jiraMessagesOf(res.text) : [],
      });
      if (code !== 'RATE_LIMITED' && code !== 'SERVER_ERROR') throw failure;
      // Jira's Retry-After is its wait on a 5xx as on a 429 (Atlassian sends a 503 with one
      // when a resource limit is reached); without one a 5xx backs off as any failure does, and
      // so does a 5xx whose Retry-After is 0 (or a date gone by), which would otherwise send the
      // remaining attempts back to back at a server that is failing.
      const asked = retryAfter !== null && (code === 'RATE_LIMITED' || retryAfter > 0) ? retryAfter : null;
      waitMs = asked !== null ? asked * 1000 : backoffMs(attempt, opts.backoff);
      if ((code === 'RATE_LIMITED' || asked !== null) && opts.maxWaitSeconds !== undefined && waitMs > opts.maxWaitSeconds * 1000) {
        throw code === 'RATE_LIMITED' ? rateLimited(failure, what, retryAfter ?? waitMs / 1000, attempt) : gaveUp(failure, attempt);
      }
      if (asked !== null) {
        // Jira's wait and a little more, at random, within what the budget allows (never less
        // than Jira's). The extra takes at most half of the time the deadline leaves after Jira's
        // wait, so the request sent then keeps the other half (it used to be left a millisecond).
        const slackMs = Math.max(0, deadlineAt - Date.now() - asked * 1000);
        const ceilingMs = Math.min(opts.maxWaitSeconds === undefined ? Number.POSITIVE_INFINITY : opts.maxWaitSeconds * 1000, asked * 1000 + slackMs / 2);
        waitMs = retryAfterWaitMs(asked, { random: opts.backoff?.random, ceilingMs });
      }
    } catch (err) {
      if (err instanceof JiraError && err.code !== 'TIMEOUT') throw err;
      if (err instanceof JiraError) {
        failure = new JiraError({ message: `Jira did not answer ${what} in time.`, status: null, code: 'TIMEOUT', attempts: attempt });
      } else {
        const kind = err instanceof Error ? err.name : 'unknown';
        if (kind === 'NeedsAuthenticationError') {
          throw new JiraError({ message: `Jira refused ${what}: the app or user needs to authorise access.`, status: 401, code: 'UNAUTHORIZED', attempts: attempt });
        }
        failure = new JiraError({ message: `Could not reach Jira for ${what} (${kind}).`, status: null, code: 'NETWORK', attempts: attempt });
      }
      waitMs = backoffMs(attempt, opts.backoff);
    }

    const left = deadlineAt - Date.now();
    if (attempt > retries || waitMs >= left) {
      if (failure.code === 'RATE_LIMITED') throw rateLimited(failure, what, failure.retryAfterSeconds ?? waitMs / 1000, attempt);
      throw gaveUp(failure, attempt);
    }
    console.warn(`jira: ${what} → ${failure.status ?? failure.code}; retry ${attempt}/${retries} in ${Math.round(waitMs)} ms`);
    await sleep(waitMs);
  }
}

/** The last failure, as the call's: Jira's Retry-After kept, so a caller can wait as long before trying again. */
function gaveUp(failure: JiraError, attempt: number): JiraError {
  return new JiraError({
    message: `${failure.message} Gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'}.`,
    status: failure.status,
    code: failure.code,
    retryAfterSeconds: failure.retryAfterSeconds,
    attempts: attempt,
  });
}

function rateLimited(failure: JiraError, what: string, seconds: number, attempt: number): JiraError {
  const wait = Math.max(1, Math.ceil(seconds));
  return new JiraError({
    message: `Jira is rate limiting ${what}; try again in ${wait} s.`,
    status: 429,
    code: 'RATE_LIMITED',
    retryAfterSeconds: wait,
    attempts: attempt,
    jiraMessages: failure.jiraMessages,
  });
}
