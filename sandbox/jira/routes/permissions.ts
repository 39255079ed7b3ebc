/**
 * `POST /permissions/check` (bulk: which of these projects/issues may this
 * account use) and `GET /mypermissions` (does the caller hold a permission,
 * optionally in one project or issue). Answers about an issue respect its
 * security level: a hidden issue holds no permission and is a 404 as context.
 */
import { z } from 'zod';
import { JiraHttpError, issueNotFound } from '../jira-http-error';
import { GLOBAL_PERMISSIONS, PROJECT_PERMISSIONS, type Principal } from '../principals';
import { ok, parseBody, route, type RequestContext, type Route, type RouteResult } from '../route';
import type { StoredIssue } from '../types';

const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
const checkBody = z.object({
  accountId: z.string().optional(),
  projectPermissions: z
    .array(z.object({ permissions: z.array(z.string()).min(1), issues: z.array(numericId).optional(), projects: z.array(numericId).optional() }))
    .optional(),
  globalPermissions: z.array(z.string()).optional(),
});

function unknownKeys(keys: string[], known: ReadonlyMap<string, unknown>): void {
  const bad = keys.filter((k) => !known.has(k));
  if (bad.length > 0) throw new JiraHttpError(400, [`Unrecognized permission key(s): ${bad.join(', ')}.`]);
}

/** Who the check is about: the caller, or `accountId` when the caller may ask about others. */
function subject(ctx: RequestContext, accountId: string | undefined): Principal | null {
  if (accountId === undefined || accountId === ctx.principal.accountId) return ctx.principal;
  if (!ctx.core.permissions.isAdmin(ctx.principal)) {
    throw new JiraHttpError(403, ['You must have the Administer Jira global permission to check the permissions of other users.']);
  }
  // An unknown account holds nothing, as a deleted user would.
  return ctx.core.permissions.principalFor(accountId) ?? null;
}

function check(ctx: RequestContext): RouteResult {
  const body = parseBody(checkBody, ctx.body ?? {});
  const requests = body.projectPermissions ?? [];
  unknownKeys(requests.flatMap((r) => r.permissions), PROJECT_PERMISSIONS);
  unknownKeys(body.globalPermissions ?? [], GLOBAL_PERMISSIONS);
  const who = subject(ctx, body.accountId);
  const perms = ctx.core.permissions;
  const { store } = ctx.core;

  const projectPermissions = requests.flatMap((r) =>
    r.permissions.map((permission) => ({
      permission,
      issues: (r.issues ?? [])
        .filter((id) => {
          const issue = store.issues.get(id);
          // A project permission on an issue needs the issue itself to be browsable (security level included).
          return who !== null && issue !== undefined && perms.hasIssuePermission(who, permission, issue);
        })
        .map(Number),
      projects: (r.projects ?? []).filter((id) => who !== null && perms.hasProjectPermission(who, permission, id)).map(Number),
    })),
  );
  const globalPermissions = (body.globalPermissions ?? []).filter((k) => who !== null && perms.hasGlobalPermission(who, k));
  return ok({ projectPermissions, globalPermissions });
}

function myPermissions(ctx: RequestContext): RouteResult {
  const raw = ctx.query.get('permissions');
  if (!raw) throw new JiraHttpError(400, ['The permissions query parameter is required: list the permission keys to check, for example BROWSE_PROJECTS,LINK_ISSUES.']);
  const keys = raw.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
  const bad = keys.filter((k) => !PROJECT_PERMISSIONS.has(k) && !GLOBAL_PERMISSIONS.has(k));
  if (bad.length > 0) throw new JiraHttpError(400, [`Unrecognized permission key(s): ${bad.join(', ')}.`]);

  const { store, permissions } = ctx.core;
  let projectIds: string[] = [...store.projects.keys()];
  let issue: StoredIssue | undefined;
  const projectRef = ctx.query.get('projectKey') ?? ctx.query.get('projectId');
  const issueRef = ctx.query.get('issueKey') ?? ctx.query.get('issueId');
  if (projectRef) {
    const p = store.findProject(projectRef);
    if (!p || !permissions.canBrowse(ctx.principal, p.id)) throw new JiraHttpError(404, [`No project could be found with key '${projectRef}'.`]);
    projectIds = [p.id];
  } else if (issueRef) {
    issue = store.getIssue(issueRef);
    if (!issue || !permissions.canBrowseIssue(ctx.principal, issue)) throw issueNotFound();
  }

  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const project = PROJECT_PERMISSIONS.get(key);
    const meta = project ?? GLOBAL_PERMISSIONS.get(key);
    if (!meta) continue;
    const inContext = (): boolean =>
      issue ? permissions.hasIssuePermission(ctx.principal, key, issue) : projectIds.some((id) => permissions.hasProjectPermission(ctx.principal, key, id));
    const havePermission = project ? inContext() : permissions.hasGlobalPermission(ctx.principal, key);
    out[key] = { id: meta.id, key, name: meta.name, type: project ? 'PROJECT' : 'GLOBAL', description: meta.description, havePermission };
  }
  return ok({ permissions: out });
}

export const permissionRoutes: Route[] = [
  route('POST', /^\/rest\/api\/3\/permissions\/check$/, check),
  route('GET', /^\/rest\/api\/3\/mypermissions$/, myPermissions),
];
