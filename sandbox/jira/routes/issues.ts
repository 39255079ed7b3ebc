/**
 * Issue read/create/edit/delete and comments, in REST v3 shapes (ADF bodies,
 * 404 for hidden issues, whether by project or by security level, Jira-worded
 * `errors` for bad input).
 */
import { z } from 'zod';
import { commentView, renderIssue, selectFields } from '../issue-view';
import { IssueInputError } from '../issue-input-error';
import { createIssue, deleteIssue, updateIssue, type IssueChanges } from '../issue-service';
import { JiraHttpError } from '../jira-http-error';
import { browsableIssue, listParam, ok, param, parseBody, route, type RequestContext, type Route, type RouteResult } from '../route';
import { adfDoc } from '../schemas';

const adfField = z.union([adfDoc, z.null()], { error: 'Operation value must be an Atlassian Document (see the Atlassian Document Format).' });
const named = z.object({ id: z.string().optional(), name: z.string().optional(), key: z.string().optional() });

const issueFields = z.object({
  project: named.optional(),
  summary: z.string().optional(),
  description: adfField.optional(),
  issuetype: named.optional(),
  labels: z.array(z.string().regex(/^\S+$/, 'Labels cannot contain spaces.')).optional(),
  components: z.array(named).optional(),
  versions: z.array(named).optional(),
  priority: named.nullable().optional(),
  reporter: z.object({ accountId: z.string() }).nullable().optional(),
  /** `{ id }` or `{ name }` of an issue security level; null (edit) clears it. */
  security: z.object({ id: z.string().optional(), name: z.string().optional() }).nullable().optional(),
});

const labelOp = z.object({ add: z.string().optional(), remove: z.string().optional(), set: z.array(z.string()).optional() });
const createBody = z.object({ fields: issueFields, update: z.record(z.string(), z.unknown()).optional() });
const editBody = z.object({ fields: issueFields.optional(), update: z.object({ labels: z.array(labelOp).optional() }).optional() });
const commentBody = z.object({ body: adfDoc, visibility: z.unknown().optional() });

export function requireSignedIn(ctx: RequestContext): void {
  if (ctx.principal.kind === 'none') {
    throw new JiraHttpError(401, ['You are not authenticated. Authentication required to perform this operation.']);
  }
}

function inputError(e: unknown): never {
  if (e instanceof IssueInputError) throw new JiraHttpError(400, [], { [e.field]: e.message });
  throw e;
}

function refName(r: z.infer<typeof named> | undefined | null): string | undefined {
  return r ? (r.name ?? r.key ?? r.id) : undefined;
}

/** The level a `fields.security` names (id first, as Jira reads it), or null to clear. */
function securityRef(s: z.infer<typeof issueFields>['security']): string | null | undefined {
  if (s === undefined || s === null) return s;
  const ref = s.id ?? s.name;
  if (ref === undefined) throw new JiraHttpError(400, [], { security: "Could not find valid 'id' or 'name' in security level object." });
  return ref;
}

function getIssue(ctx: RequestContext): RouteResult {
  const issue = browsableIssue(ctx, param(ctx, 'issue'));
  return ok(renderIssue(ctx.core, ctx.principal, issue, selectFields(listParam(ctx.query, 'fields'), '*all')));
}

function postIssue(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const { fields } = parseBody(createBody, ctx.body);
  const project = fields.project ? ctx.core.store.findProject(fields.project.key ?? fields.project.id ?? '') : undefined;
  if (!project || !ctx.core.permissions.hasProjectPermission(ctx.principal, 'CREATE_ISSUES', project.id)) {
    throw new JiraHttpError(400, [], { project: 'valid project is required' });
  }
  if (!fields.issuetype) throw new JiraHttpError(400, [], { issuetype: 'Specify an issue type' });
  try {
    const issue = createIssue(ctx.core, {
      projectKey: project.key,
      summary: fields.summary ?? '',
      description: fields.description ?? null,
      type: refName(fields.issuetype) ?? '',
      labels: fields.labels ?? [],
      components: (fields.components ?? []).map((c) => refName(c) ?? '').filter((c) => c.length > 0),
      versions: (fields.versions ?? []).map((v) => refName(v) ?? '').filter((v) => v.length > 0),
      priority: refName(fields.priority) ?? null,
      securityLevel: securityRef(fields.security) ?? null,
      ...(fields.reporter !== undefined ? { reporter: fields.reporter?.accountId ?? null } : {}),
    }, ctx.principal);
    return ok({ id: issue.id, key: issue.key, self: ctx.core.api(`issue/${issue.id}`) }, 201);
  } catch (e) {
    return inputError(e);
  }
}

function putIssue(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const issue = browsableIssue(ctx, param(ctx, 'issue'));
  if (!ctx.core.permissions.hasIssuePermission(ctx.principal, 'EDIT_ISSUES', issue)) {
    throw new JiraHttpError(403, ['You do not have permission to edit issues in this project.']);
  }
  const body = parseBody(editBody, ctx.body);
  const f = body.fields ?? {};
  const changes: IssueChanges = {};
  if (f.summary !== undefined) changes.summary = f.summary;
  if (f.description !== undefined) changes.description = f.description;
  if (f.issuetype) changes.type = refName(f.issuetype) ?? '';
  if (f.labels) changes.labels = f.labels;
  if (f.components) changes.components = f.components.map((c) => refName(c) ?? '');
  if (f.versions) changes.versions = f.versions.map((v) => refName(v) ?? '');
  if (f.priority !== undefined) changes.priority = refName(f.priority) ?? null;
  if (f.security !== undefined) changes.securityLevel = securityRef(f.security) ?? null;
  let labels = changes.labels ?? issue.labels;
  for (const op of body.update?.labels ?? []) {
    if (op.set) labels = op.set;
    if (op.add !== undefined && !labels.includes(op.add)) labels = [...labels, op.add];
    if (op.remove !== undefined) labels = labels.filter((l) => l !== op.remove);
  }
  if (body.update?.labels) changes.labels = labels;
  try {
    updateIssue(ctx.core, issue, changes, ctx.principal);
  } catch (e) {
    inputError(e);
  }
  return { status: 204 };
}

function removeIssue(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const issue = browsableIssue(ctx, param(ctx, 'issue'));
  if (!ctx.core.permissions.hasIssuePermission(ctx.principal, 'DELETE_ISSUES', issue)) {
    throw new JiraHttpError(403, ['You do not have permission to delete issues in this project.']);
  }
  deleteIssue(ctx.core, issue, ctx.principal);
  return { status: 204 };
}

function getComments(ctx: RequestContext): RouteResult {
  const issue = browsableIssue(ctx, param(ctx, 'issue'));
  const all = ctx.core.store.commentsOf(issue.id);
  const startAt = Math.max(0, Number(ctx.query.get('startAt') ?? 0) || 0);
  const maxResults = Math.min(5000, Math.max(1, Number(ctx.query.get('maxResults') ?? 5000) || 5000));
  const ordered = ctx.query.get('orderBy') === '-created' ? [...all].reverse() : all;
  const page = ordered.slice(startAt, startAt + maxResults);
  return ok({ startAt, maxResults, total: all.length, comments: page.map((c) => commentView(ctx.core, c)) });
}

function postComment(ctx: RequestContext): RouteResult {
  requireSignedIn(ctx);
  const issue = browsableIssue(ctx, param(ctx, 'issue'));
  if (!ctx.core.permissions.hasIssuePermission(ctx.principal, 'ADD_COMMENTS', issue)) {
    throw new JiraHttpError(403, ['You do not have permission to comment on this issue.']);
  }
  const { body } = parseBody(commentBody, ctx.body);
  const comment = ctx.core.store.addComment(issue.id, ctx.principal.accountId ?? '', body, ctx.core.nowIso());
  ctx.core.touch();
  return ok(commentView(ctx.core, comment), 201);
}

const ISSUE = /^\/rest\/api\/3\/issue\/(?<issue>[^/]+)$/;
const COMMENTS = /^\/rest\/api\/3\/issue\/(?<issue>[^/]+)\/comment$/;

export const issueRoutes: Route[] = [
  route('POST', /^\/rest\/api\/3\/issue$/, postIssue),
  route('GET', ISSUE, getIssue),
  route('PUT', ISSUE, putIssue),
  route('DELETE', ISSUE, removeIssue),
  route('GET', COMMENTS, getComments),
  route('POST', COMMENTS, postComment),
];
