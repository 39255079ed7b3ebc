/**
 * JQL search (`/search/jql` with token paging, no `total`), the approximate
 * count, JQL parsing, and the retired `/search` endpoint that now answers 410.
 */
import { z } from 'zod';
import type { JiraCore } from '../core';
import { renderIssue, selectFields } from '../issue-view';
import { JiraHttpError } from '../jira-http-error';
import { compileJql } from '../jql/compile';
import { JqlError } from '../jql/jql-error';
import { parseJql, type JqlQuery } from '../jql/parser';
import { queryStructure } from '../jql/structure';
import type { Principal } from '../principals';
import { ok, parseBody, route, type RequestContext, type Route } from '../route';

/** Page-size caps: Jira returns up to 5000 when only ids/keys are asked for, far fewer with fields. */
export const MAX_RESULTS_IDS_ONLY = 5000;
export const MAX_RESULTS_WITH_FIELDS = 100;
const DEFAULT_MAX_RESULTS = 50;
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const CACHE_SIZE = 32;

const searchBody = z.object({
  jql: z.string().optional(),
  fields: z.array(z.string()).optional(),
  maxResults: z.number().int().min(1).optional(),
  nextPageToken: z.string().nullable().optional(),
  reconcileIssues: z.array(z.number().int()).max(50).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  failFast: z.boolean().optional(),
});

const countBody = z.object({ jql: z.string() });
const parseQueriesBody = z.object({ queries: z.array(z.string()).min(1, 'At least one query is required.') });

function principalKey(p: Principal): string {
  return p.kind === 'none' ? 'none' : `${p.kind}:${p.accountId}`;
}

function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint(jql) })).toString('base64url');
}

function decodeToken(token: string, jql: string): number {
  const invalid = new JiraHttpError(400, ['The provided next page token is invalid or expired.']);
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const shape = z.object({ o: z.number().int().min(0), q: z.string() }).safeParse(parsed);
    if (!shape.success || shape.data.q !== fingerprint(jql)) throw invalid;
    return shape.data.o;
  } catch {
    throw invalid;
  }
}

function parseOrThrow(jql: string): JqlQuery {
  try {
    return parseJql(jql);
  } catch (e) {
    if (e instanceof JqlError) throw new JiraHttpError(400, e.messages);
    throw e;
  }
}

/** Ordered ids of every issue the principal may browse (project and security level) that match; cached per store version. */
function matchingIds(core: JiraCore, principal: Principal, jql: string): string[] {
  // Relative dates (-30d) move with the clock: a cached answer lives at most a minute.
  const cacheKey = `${principalKey(principal)}\u0000${Math.floor(core.clock() / 60_000)}\u0000${jql}`;
  const cached = core.searchCache.get(cacheKey);
  if (cached && cached.version === core.version) return cached.ids;

  const query = parseOrThrow(jql);
  if (query.where === null) throw new JiraHttpError(400, [UNBOUNDED]);
  let compiled;
  try {
    compiled = compileJql(query, {
      store: core.store,
      canBrowseProject: (id) => core.permissions.canBrowse(principal, id),
      canBrowseIssue: (issue) => core.permissions.canBrowseIssue(principal, issue),
      currentAccountId: principal.accountId,
      now: core.clock(),
    });
  } catch (e) {
    if (e instanceof JqlError) throw new JiraHttpError(400, e.messages);
    throw e;
  }
  const browsable = new Map<string, boolean>();
  const hits = [];
  for (const issue of compiled.candidates()) {
    let may = browsable.get(issue.projectId);
    if (may === undefined) {
      may = core.permissions.canBrowse(principal, issue.projectId);
      browsable.set(issue.projectId, may);
    }
    // The project check is cached per project; the issue check (security level) runs on matches only.
    if (may && compiled.matches(issue) && core.permissions.canBrowseIssue(principal, issue)) hits.push(issue);
  }
  hits.sort((a, b) => compiled.compare(a, b));
  const ids = hits.map((i) => i.id);
  if (core.searchCache.size >= CACHE_SIZE) core.searchCache.clear();
  core.searchCache.set(cacheKey, { version: core.version, ids });
  return ids;
}

function search(ctx: RequestContext): ReturnType<typeof ok> {
  const body = parseBody(searchBody, ctx.body ?? {});
  const jql = body.jql ?? '';
  const fields = selectFields(body.fields, 'none');
  const requested = (body.fields ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f.length > 0);
  // Jira answers bare `{ id }` items unless fields are asked for; `key` alone adds key and self.
  const idsOnly = requested.every((f) => f === 'id');
  const cap = requested.every((f) => f === 'id' || f === 'key') ? MAX_RESULTS_IDS_ONLY : MAX_RESULTS_WITH_FIELDS;
  const pageSize = Math.min(body.maxResults ?? DEFAULT_MAX_RESULTS, cap);
  const offset = body.nextPageToken ? decodeToken(body.nextPageToken, jql) : 0;

  const ids = matchingIds(ctx.core, ctx.principal, jql);
  const pageIds = ids.slice(offset, offset + pageSize);
  const issues = pageIds.map((id) => {
    if (idsOnly) return { id };
    const issue = ctx.core.store.issues.get(id);
    return issue ? renderIssue(ctx.core, ctx.principal, issue, fields) : { id };
  });
  const end = offset + pageIds.length;
  const isLast = end >= ids.length;
  return ok({ issues, ...(isLast ? {} : { nextPageToken: encodeToken(end, jql) }), isLast });
}

function approximateCount(ctx: RequestContext): ReturnType<typeof ok> {
  const { jql } = parseBody(countBody, ctx.body ?? {});
  return ok({ count: matchingIds(ctx.core, ctx.principal, jql).length });
}

function parseQueries(ctx: RequestContext): ReturnType<typeof ok> {
  const validation = ctx.query.get('validation') ?? 'strict';
  if (!['strict', 'warn', 'none'].includes(validation)) {
    throw new JiraHttpError(400, [`The value '${validation}' is not valid for 'validation': use strict, warn or none.`]);
  }
  const { queries } = parseBody(parseQueriesBody, ctx.body ?? {});
  const results = queries.map((q) => {
    let parsed: JqlQuery;
    try {
      parsed = parseJql(q);
    } catch (e) {
      if (e instanceof JqlError) return { query: q, errors: e.messages };
      throw e;
    }
    const structure = queryStructure(parsed);
    if (validation === 'none') return { query: q, structure };
    try {
      compileJql(parsed, {
        store: ctx.core.store,
        canBrowseProject: (id) => ctx.core.permissions.canBrowse(ctx.principal, id),
        canBrowseIssue: (issue) => ctx.core.permissions.canBrowseIssue(ctx.principal, issue),
        currentAccountId: ctx.principal.accountId,
        now: ctx.core.clock(),
      });
      return { query: q, structure };
    } catch (e) {
      if (!(e instanceof JqlError)) throw e;
      return validation === 'strict' ? { query: q, errors: e.messages } : { query: q, structure, warnings: e.messages };
    }
  });
  return ok({ queries: results });
}

function retiredSearch(): never {
  throw new JiraHttpError(410, [
    'The requested API has been removed. Use POST /rest/api/3/search/jql (token paging, no total) or POST /rest/api/3/search/approximate-count instead.',
  ]);
}

export const searchRoutes: Route[] = [
  route('POST', /^\/rest\/api\/3\/search\/jql$/, search),
  route('GET', /^\/rest\/api\/3\/search\/jql$/, (ctx) =>
    search({
      ...ctx,
      body: {
        jql: ctx.query.get('jql') ?? undefined,
        fields: ctx.query.getAll('fields').flatMap((f) => f.split(',')).filter((f) => f.length > 0),
        ...(ctx.query.get('maxResults') ? { maxResults: Number(ctx.query.get('maxResults')) } : {}),
        ...(ctx.query.get('nextPageToken') ? { nextPageToken: ctx.query.get('nextPageToken') } : {}),
      },
    }),
  ),
  route('POST', /^\/rest\/api\/3\/search\/approximate-count$/, approximateCount),
  route(['GET', 'POST'], /^\/rest\/api\/3\/search$/, retiredSearch),
  route('POST', /^\/rest\/api\/3\/jql\/parse$/, parseQueries),
];
