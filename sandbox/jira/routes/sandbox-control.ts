/**
 * `/__sandbox/*`: the browser sandbox's handle on the stand-in (inject faults,
 * read request counts, list users). Never subject to faults or principals:
 * it is the test bench, not Jira.
 */
import { z } from 'zod';
import { JiraHttpError } from '../jira-http-error';
import { ok, parseBody, route, type RequestContext, type Route, type RouteResult } from '../route';

function regex(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch {
    throw new JiraHttpError(400, [`'${source}' is not a valid regular expression.`]);
  }
}

const rateLimitBody = z
  .object({
    count: z.number().int().min(1).optional(),
    forMs: z.number().int().min(1).optional(),
    retryAfterSeconds: z.number().min(0),
    path: z.string().optional(),
    reason: z.enum(['jira-burst-based', 'jira-per-issue-on-write', 'jira-quota-tenant-based', 'jira-quota-global-based']).optional(),
  })
  .refine((b) => b.count !== undefined || b.forMs !== undefined, { message: 'Give count or forMs.' });
const serverErrorBody = z.object({ count: z.number().int().min(1), status: z.number().int().min(500).max(599).optional(), path: z.string().optional() });
const latencyBody = z.object({ ms: z.number().min(0), path: z.string().optional() });

function rateLimit(ctx: RequestContext): RouteResult {
  const b = parseBody(rateLimitBody, ctx.body);
  const path = regex(b.path);
  ctx.core.faults.rateLimit({
    retryAfterSeconds: b.retryAfterSeconds,
    ...(b.count !== undefined ? { count: b.count } : {}),
    ...(b.forMs !== undefined ? { forMs: b.forMs } : {}),
    ...(path ? { path } : {}),
    ...(b.reason ? { reason: b.reason } : {}),
  });
  return { status: 204 };
}

function serverErrors(ctx: RequestContext): RouteResult {
  const b = parseBody(serverErrorBody, ctx.body);
  const path = regex(b.path);
  ctx.core.faults.serverErrors({ count: b.count, ...(b.status !== undefined ? { status: b.status } : {}), ...(path ? { path } : {}) });
  return { status: 204 };
}

function latency(ctx: RequestContext): RouteResult {
  const b = parseBody(latencyBody, ctx.body);
  ctx.core.faults.latency(b.ms, regex(b.path));
  return { status: 204 };
}

function stats(ctx: RequestContext): RouteResult {
  return ok({ byEndpoint: Object.fromEntries(ctx.core.requestCounts), total: [...ctx.core.requestCounts.values()].reduce((a, b) => a + b, 0) });
}

const accountBody = z.object({ accountId: z.string().min(1).max(128) });

/** Atlassian reports this account closed from now on (POST /app/report-accounts). */
function closeAccount(ctx: RequestContext): RouteResult {
  ctx.core.accounts.closed.add(parseBody(accountBody, ctx.body).accountId);
  return { status: 204 };
}

function users(ctx: RequestContext): RouteResult {
  return ok({ appAccountId: ctx.core.permissions.appAccountId, users: ctx.core.permissions.allUsers() });
}

export const sandboxRoutes: Route[] = [
  route('POST', /^\/__sandbox\/faults\/rate-limit$/, rateLimit),
  route('POST', /^\/__sandbox\/faults\/server-errors$/, serverErrors),
  route('POST', /^\/__sandbox\/faults\/latency$/, latency),
  route('POST', /^\/__sandbox\/faults\/clear$/, (ctx) => {
    ctx.core.faults.clear();
    return { status: 204 };
  }),
  route('GET', /^\/__sandbox\/stats$/, stats),
  route('POST', /^\/__sandbox\/stats\/reset$/, (ctx) => {
    ctx.core.requestCounts.clear();
    return { status: 204 };
  }),
  route('GET', /^\/__sandbox\/users$/, users),
  route('POST', /^\/__sandbox\/accounts\/close$/, closeAccount),
];
