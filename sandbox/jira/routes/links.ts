/**
 * Issue links and link types. Creating a link answers 201 with no body and is
 * idempotent (the same type and direction twice makes one link), as in Jira.
 */
import { z } from 'zod';
import { linkTypeView } from '../issue-view';
import { JiraHttpError } from '../jira-http-error';
import { adfDoc } from '../schemas';
import type { LinkType, StoredIssue, StoredLink } from '../types';
import { browsableIssue, ok, param, parseBody, route, type RequestContext, type Route, type RouteResult } from '../route';
import { requireSignedIn } from './issues';

const issueRef = z.object({ id: z.string().optional(), key: z.string().optional() }).refine((r) => r.id !== undefined || r.key !== undefined, {
  message: 'An issue id or key is required.',
});
const linkBody = z.object({
  type: z.object({ id: z.string().optional(), name: z.string().optional() }),
  inwardIssue: issueRef,
  outwardIssue: issueRef,
  comment: z.object({ body: adfDoc, visibility: z.unknown().optional() }).optional(),
});

function brief(ctx: RequestContext, issue: StoredIssue): unknown {
  return { id: issue.id, key: issue.key, self: ctx.core.api(`issue/${issue.id}`), fields: { summary: issue.summary } };
}

function linkEvent(ctx: RequestContext, eventType: string, link: StoredLink, type: LinkType): void {
  ctx.core.events.emit(eventType, {
    eventType,
    atlassianId: ctx.principal.accountId,
    id: link.id,
    sourceIssueId: link.inwardIssueId,
    destinationIssueId: link.outwardIssueId,
    issueLinkType: { id: type.id, name: type.name, outwardName: type.outward, inwardName: type.inward },
  });
}

function requireLinkPermission(ctx: RequestContext, issues: StoredIssue[]): void {
  for (const issue of issues) {
    if (!ctx.core.permissions.hasIssuePermission(ctx.principal, 'LINK_ISSUES', issue)) {
      throw new JiraHttpError(403, [`No Link Issue Permission for issue '${issue.key}'.`]);
    }
  }
}

function createLink(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const body = parseBody(linkBody, ctx.body);
  const type = ctx.core.store.findLinkType({ ...(body.type.id !== undefined ? { id: body.type.id } : {}), ...(body.type.name !== undefined ? { name: body.type.name } : {}) });
  if (!type) {
    const what = body.type.id !== undefined ? `id '${body.type.id}'` : `name '${body.type.name ?? ''}'`;
    throw new JiraHttpError(404, [`No issue link type with ${what} found.`]);
  }
  const inward = browsableIssue(ctx, body.inwardIssue.id ?? body.inwardIssue.key ?? '');
  const outward = browsableIssue(ctx, body.outwardIssue.id ?? body.outwardIssue.key ?? '');
  if (inward.id === outward.id) throw new JiraHttpError(400, ['You cannot link an issue to itself.']);
  requireLinkPermission(ctx, [inward, outward]);

  const existing = ctx.core.store.findLink(type.id, inward.id, outward.id);
  if (existing) return { status: 201 };
  const link = ctx.core.store.addLink(type.id, inward.id, outward.id);
  if (body.comment && ctx.principal.accountId !== null) {
    ctx.core.store.addComment(outward.id, ctx.principal.accountId, body.comment.body, ctx.core.nowIso());
  }
  ctx.core.touch();
  linkEvent(ctx, 'avi:jira:created:issuelink', link, type);
  return { status: 201 };
}

function visibleLink(ctx: RequestContext): { link: StoredLink; inward: StoredIssue; outward: StoredIssue } {
  const id = param(ctx, 'link');
  const link = ctx.core.store.links.get(id);
  const inward = link ? ctx.core.store.issues.get(link.inwardIssueId) : undefined;
  const outward = link ? ctx.core.store.issues.get(link.outwardIssueId) : undefined;
  const canSee = (i: StoredIssue | undefined): i is StoredIssue => i !== undefined && ctx.core.permissions.canBrowseIssue(ctx.principal, i);
  if (!link || !canSee(inward) || !canSee(outward)) throw new JiraHttpError(404, [`No issue link with id '${id}' exists.`]);
  return { link, inward, outward };
}

function getLink(ctx: RequestContext): RouteResult {
  const { link, inward, outward } = visibleLink(ctx);
  return ok({
    id: link.id,
    self: ctx.core.api(`issueLink/${link.id}`),
    type: linkTypeView(ctx.core, link.typeId),
    inwardIssue: brief(ctx, inward),
    outwardIssue: brief(ctx, outward),
  });
}

function deleteLink(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const { link, inward, outward } = visibleLink(ctx);
  requireLinkPermission(ctx, [inward, outward]);
  ctx.core.store.removeLink(link.id);
  ctx.core.touch();
  const type = ctx.core.store.linkTypes.get(link.typeId);
  if (type) linkEvent(ctx, 'avi:jira:deleted:issuelink', link, type);
  return { status: 204 };
}

function listLinkTypes(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  return ok({ issueLinkTypes: [...ctx.core.store.linkTypes.keys()].map((id) => linkTypeView(ctx.core, id)) });
}

function getLinkType(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const id = param(ctx, 'type');
  if (!ctx.core.store.linkTypes.has(id)) throw new JiraHttpError(404, [`No issue link type with id '${id}' found.`]);
  return ok(linkTypeView(ctx.core, id));
}

export const linkRoutes: Route[] = [
  route('POST', /^\/rest\/api\/3\/issueLink$/, createLink),
  route('GET', /^\/rest\/api\/3\/issueLink\/(?<link>[^/]+)$/, getLink),
  route('DELETE', /^\/rest\/api\/3\/issueLink\/(?<link>[^/]+)$/, deleteLink),
  route('GET', /^\/rest\/api\/3\/issueLinkType$/, listLinkTypes),
  route('GET', /^\/rest\/api\/3\/issueLinkType\/(?<type>[^/]+)$/, getLinkType),
];
