/**
 * UI modification registrations (what `jira:uiModifications` needs before it
 * runs on the create dialog). Only apps and Jira admins may manage them here;
 * `contexts` and `data` come back only when `expand` asks, as in Jira.
 */
import { z } from 'zod';
import { JiraHttpError } from '../jira-http-error';
import type { StoredUiModification, UiModificationContext } from '../types';
import { ok, param, parseBody, route, type RequestContext, type Route, type RouteResult } from '../route';

const contextBody = z.object({
  projectId: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
  issueTypeId: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
  viewType: z.enum(['GIC', 'IssueView', 'IssueTransition']).nullable().optional(),
});
const createBody = z.object({
  name: z.string().min(1, 'The name is required.').max(255),
  description: z.string().max(255).optional(),
  data: z.string().optional(),
  contexts: z.array(contextBody).optional(),
});
const updateBody = createBody.partial();

function requireManager(ctx: RequestContext): void {
  if (ctx.principal.kind === 'none') throw new JiraHttpError(401, ['You are not authenticated. Authentication required to perform this operation.']);
  if (!ctx.core.permissions.isAdmin(ctx.principal)) throw new JiraHttpError(403, ['Only Forge and Connect apps (or Jira admins in this stand-in) can manage UI modifications.']);
}

function toContexts(ctx: RequestContext, input: z.infer<typeof contextBody>[]): UiModificationContext[] {
  return input.map((c, i) => {
    if (c.projectId && !ctx.core.store.projects.has(c.projectId)) {
      throw new JiraHttpError(400, [], { [`contexts[${i}].projectId`]: `The project with ID '${c.projectId}' does not exist.` });
    }
    return { id: `${i + 1}`, projectId: c.projectId ?? null, issueTypeId: c.issueTypeId ?? null, viewType: c.viewType ?? null };
  });
}

function view(ctx: RequestContext, m: StoredUiModification, expand: Set<string>): unknown {
  return {
    id: m.id,
    name: m.name,
    ...(m.description !== null ? { description: m.description } : {}),
    self: ctx.core.api(`uiModifications/${m.id}`),
    ...(expand.has('data') && m.data !== null ? { data: m.data } : {}),
    ...(expand.has('contexts') ? { contexts: m.contexts.map((c) => ({ ...c, isAvailable: true })) } : {}),
  };
}

function create(ctx: RequestContext): RouteResult {
  requireManager(ctx);
  const body = parseBody(createBody, ctx.body);
  const id = ctx.core.store.allocateUiModificationId();
  ctx.core.store.uiModifications.set(id, {
    id,
    name: body.name,
    description: body.description ?? null,
    data: body.data ?? null,
    contexts: toContexts(ctx, body.contexts ?? []),
  });
  return ok({ id, self: ctx.core.api(`uiModifications/${id}`) }, 201);
}

function list(ctx: RequestContext): RouteResult {
  requireManager(ctx);
  const expand = new Set((ctx.query.get('expand') ?? '').split(',').map((e) => e.trim()));
  const startAt = Math.max(0, Number(ctx.query.get('startAt') ?? 0) || 0);
  const maxResults = Math.min(100, Math.max(1, Number(ctx.query.get('maxResults') ?? 50) || 50));
  const all = [...ctx.core.store.uiModifications.values()];
  const page = all.slice(startAt, startAt + maxResults);
  return ok({ maxResults, startAt, total: all.length, isLast: startAt + page.length >= all.length, values: page.map((m) => view(ctx, m, expand)) });
}

function existing(ctx: RequestContext): StoredUiModification {
  const id = param(ctx, 'id');
  const m = ctx.core.store.uiModifications.get(id);
  if (!m) throw new JiraHttpError(404, [`UI modification with ID '${id}' was not found.`]);
  return m;
}

function update(ctx: RequestContext): RouteResult {
  requireManager(ctx);
  const m = existing(ctx);
  const body = parseBody(updateBody, ctx.body);
  ctx.core.store.uiModifications.set(m.id, {
    ...m,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.data !== undefined ? { data: body.data } : {}),
    ...(body.contexts !== undefined ? { contexts: toContexts(ctx, body.contexts) } : {}),
  });
  return { status: 204 };
}

function remove(ctx: RequestContext): RouteResult {
  requireManager(ctx);
  ctx.core.store.uiModifications.delete(existing(ctx).id);
  return { status: 204 };
}

export const uiModificationRoutes: Route[] = [
  route('POST', /^\/rest\/api\/3\/uiModifications$/, create),
  route('GET', /^\/rest\/api\/3\/uiModifications$/, list),
  route('PUT', /^\/rest\/api\/3\/uiModifications\/(?<id>[^/]+)$/, update),
  route('DELETE', /^\/rest\/api\/3\/uiModifications\/(?<id>[^/]+)$/, remove),
];
