/**
 * Projects, issue types and users: what the app reads to label things and to
 * list the projects a person may pick.
 */
import { projectView, userView } from '../issue-view';
import { JiraHttpError } from '../jira-http-error';
import type { Project } from '../types';
import { ok, param, route, type RequestContext, type Route, type RouteResult } from '../route';
import { requireSignedIn } from './issues';

function pageParams(ctx: RequestContext, defaultMax: number, cap: number): { startAt: number; maxResults: number } {
  const startAt = Math.max(0, Math.floor(Number(ctx.query.get('startAt') ?? 0)) || 0);
  const requested = Math.floor(Number(ctx.query.get('maxResults') ?? defaultMax)) || defaultMax;
  return { startAt, maxResults: Math.min(Math.max(requested, 1), cap) };
}

function fullProject(ctx: RequestContext, p: Project): unknown {
  const types = [...ctx.core.store.issueTypes.values()].map((t) => ({
    self: ctx.core.api(`issuetype/${t.id}`), id: t.id, name: t.name, description: t.description, subtask: t.name === 'Sub-task',
  }));
  return { ...(projectView(ctx.core, p.id) as object), description: '', isPrivate: false, style: 'classic', issueTypes: types };
}

function searchProjects(ctx: RequestContext): RouteResult {
  const { startAt, maxResults } = pageParams(ctx, 50, 100);
  const query = (ctx.query.get('query') ?? '').toLowerCase();
  const keys = new Set((ctx.query.getAll('keys').flatMap((k) => k.split(','))).map((k) => k.trim().toUpperCase()).filter((k) => k.length > 0));
  const visible = [...ctx.core.store.projects.values()]
    .filter((p) => ctx.core.permissions.canBrowse(ctx.principal, p.id))
    .filter((p) => keys.size === 0 || keys.has(p.key))
    .filter((p) => query.length === 0 || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query))
    .sort((a, b) => a.key.localeCompare(b.key));
  const page = visible.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= visible.length;
  const base = ctx.core.api('project/search');
  return ok({
    self: `${base}?startAt=${startAt}&maxResults=${maxResults}`,
    ...(isLast ? {} : { nextPage: `${base}?startAt=${startAt + maxResults}&maxResults=${maxResults}` }),
    maxResults,
    startAt,
    total: visible.length,
    isLast,
    values: page.map((p) => fullProject(ctx, p)),
  });
}

function getProject(ctx: RequestContext): RouteResult {
  const ref = param(ctx, 'project');
  const p = ctx.core.store.findProject(ref);
  if (!p || !ctx.core.permissions.canBrowse(ctx.principal, p.id)) {
    throw new JiraHttpError(404, [`No project could be found with key '${ref}'.`]);
  }
  return ok(fullProject(ctx, p));
}

function myself(ctx: RequestContext): RouteResult {
  if (ctx.principal.kind === 'none') {
    throw new JiraHttpError(401, ['You are not authenticated. Authentication required to perform this operation.']);
  }
  return ok(userView(ctx.core, ctx.principal.accountId));
}

function issueTypes(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  return ok([...ctx.core.store.issueTypes.values()].map((t) => ({
    self: ctx.core.api(`issuetype/${t.id}`), id: t.id, description: t.description, name: t.name, untranslatedName: t.name,
    subtask: t.name === 'Sub-task', hierarchyLevel: t.name === 'Sub-task' ? -1 : t.name === 'Epic' ? 1 : 0,
  })));
}

function knownAccount(ctx: RequestContext, accountId: string): boolean {
  return accountId === ctx.core.permissions.appAccountId || ctx.core.permissions.user(accountId) !== undefined;
}

function getUser(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const accountId = ctx.query.get('accountId');
  if (!accountId) throw new JiraHttpError(400, ['The accountId query parameter needs to be provided.']);
  if (!knownAccount(ctx, accountId)) throw new JiraHttpError(404, ['Specified user does not exist or you do not have required permissions']);
  return ok(userView(ctx.core, accountId));
}

function bulkUsers(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const ids = ctx.query.getAll('accountId').flatMap((a) => a.split(',')).filter((a) => a.length > 0);
  if (ids.length === 0) throw new JiraHttpError(400, ['The accountId query parameter needs to be provided.']);
  const { startAt, maxResults } = pageParams(ctx, 10, 200);
  const found = ids.filter((id) => knownAccount(ctx, id));
  const page = found.slice(startAt, startAt + maxResults);
  return ok({
    self: ctx.core.api('user/bulk'),
    maxResults,
    startAt,
    total: found.length,
    isLast: startAt + page.length >= found.length,
    values: page.map((id) => userView(ctx.core, id)),
  });
}

export const directoryRoutes: Route[] = [
  route('GET', /^\/rest\/api\/3\/project\/search$/, searchProjects),
  route('GET', /^\/rest\/api\/3\/project\/(?<project>[^/]+)$/, getProject),
  route('GET', /^\/rest\/api\/3\/myself$/, myself),
  route('GET', /^\/rest\/api\/3\/issuetype$/, issueTypes),
  route('GET', /^\/rest\/api\/3\/user$/, getUser),
  route('GET', /^\/rest\/api\/3\/user\/bulk$/, bulkUsers),
];
