/**
 * Atlassian's personal data reporting API, as the app meets it through
 * `privacy.reportPersonalData` (@forge/api): POST /app/report-accounts with
 * `{accounts: [{accountId, updatedAt}]}`, at most 90, as the app. The answer names only the
 * accounts the app must act on: 200 `{accounts: [{accountId, status}]}` with `closed` for an
 * account closed (tests: `jira.closeAccount`, or POST /__sandbox/accounts/close) and
 * `updated` for one whose profile changed after the `updatedAt` sent (`jira.updateAccount`);
 * 204 when there is none. Every request's accounts are kept (`jira.accountReports()`).
 */
import { z } from 'zod';
import { JiraHttpError } from '../jira-http-error';
import { ok, parseBody, route, type RequestContext, type Route, type RouteResult } from '../route';

/** What the stand-in knows of accounts beyond its users. */
export interface AccountRecords {
  closed: Set<string>;
  /** accountId → when its profile last changed (ms). */
  updatedMs: Map<string, number>;
  /** Each request's accounts, in the order they came. */
  reports: Array<Array<{ accountId: string; updatedAt: string }>>;
}

export function newAccountRecords(): AccountRecords {
  return { closed: new Set(), updatedMs: new Map(), reports: [] };
}

const reportBody = z.object({
  accounts: z
    .array(z.object({ accountId: z.string().min(1).max(128), updatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time') }))
    .min(1)
    .max(90),
});

function reportAccounts(ctx: RequestContext): RouteResult {
  if (ctx.principal.kind !== 'app') throw new JiraHttpError(403, ['Only an app may report the accounts it stores.']);
  const { accounts } = parseBody(reportBody, ctx.body);
  const records = ctx.core.accounts;
  records.reports.push(accounts.map((a) => ({ accountId: a.accountId, updatedAt: a.updatedAt })));
  const answer = accounts.flatMap((a): Array<{ accountId: string; status: 'closed' | 'updated' }> => {
    if (records.closed.has(a.accountId)) return [{ accountId: a.accountId, status: 'closed' }];
    const changed = records.updatedMs.get(a.accountId);
    return changed !== undefined && changed > Date.parse(a.updatedAt) ? [{ accountId: a.accountId, status: 'updated' }] : [];
  });
  return answer.length === 0 ? { status: 204 } : ok({ accounts: answer });
}

export const privacyRoutes: Route[] = [route('POST', /^\/app\/report-accounts$/, reportAccounts)];
