/**
 * Who is calling, and what they may do.
 *
 * The sandbox runtime tags every forwarded request with `x-sandbox-principal`:
 * `app` (asApp: the app's own account, which sees and may do everything),
 * `user:<accountId>` (asUser) or `none` (no credentials: nothing is browsable).
 * Permissions are per project, as a project's permission scheme grants them;
 * on top of that an issue with a security level is visible only to the level's
 * members (and the app), so anything about one issue goes through
 * `canBrowseIssue` / `hasIssuePermission`, not the project-level checks.
 */
import type { JiraStore } from './store';
import type { StandInUser, StoredIssue } from './types';

export type Principal =
  | { kind: 'app'; accountId: string }
  | { kind: 'user'; accountId: string; user: StandInUser }
  | { kind: 'none'; accountId: null };

export const PROJECT_PERMISSIONS = new Map<string, { id: string; name: string; description: string }>([
  ['BROWSE_PROJECTS', { id: '10', name: 'Browse Projects', description: 'Ability to browse projects and the issues within them.' }],
  ['LINK_ISSUES', { id: '21', name: 'Link Issues', description: 'Ability to link issues together and create linked issues.' }],
  ['CREATE_ISSUES', { id: '11', name: 'Create Issues', description: 'Ability to create issues.' }],
  ['EDIT_ISSUES', { id: '12', name: 'Edit Issues', description: 'Ability to edit issues.' }],
  ['ADD_COMMENTS', { id: '15', name: 'Add Comments', description: 'Ability to comment on issues.' }],
  ['DELETE_ISSUES', { id: '16', name: 'Delete Issues', description: 'Ability to delete issues.' }],
  ['ADMINISTER_PROJECTS', { id: '23', name: 'Administer Projects', description: 'Ability to administer a project in Jira.' }],
]);

export const GLOBAL_PERMISSIONS = new Map<string, { id: string; name: string; description: string }>([
  ['ADMINISTER', { id: '0', name: 'Administer Jira', description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.' }],
  ['USER_PICKER', { id: '27', name: 'Browse users and groups', description: 'View and select users or groups from the user picker.' }],
]);

export const DEFAULT_APP_ACCOUNT_ID = 'app-account-id';

/** '10100' is the 'Security team' issue security level (DEFAULT_SECURITY_LEVELS). */
export const DEFAULT_USERS: StandInUser[] = [
  { accountId: 'admin-1', displayName: 'Alex Admin', admin: true, browse: '*', link: '*', securityLevels: ['10100'] },
  { accountId: 'member-1', displayName: 'Morgan Member', admin: false, browse: '*', link: '*', securityLevels: ['10100'] },
  // Every project but the sample backlog's OPS (Platform Ops); in no security level.
  { accountId: 'restricted-1', displayName: 'Riley Restricted', admin: false, browse: '*', link: '*', browseDenied: ['OPS'] },
  // In no security level.
  { accountId: 'viewer-1', displayName: 'Vic Viewer', admin: false, browse: '*', link: [] },
  // Administers the sample backlog's SHOP (Shop) without being a Jira admin.
  { accountId: 'lead-1', displayName: 'Lee Lead', admin: false, browse: '*', link: '*', projectAdmin: ['SHOP'], securityLevels: ['10100'] },
];

export type PrincipalLookup = { ok: true; principal: Principal } | { ok: false; reason: string };

export class Permissions {
  private readonly users = new Map<string, StandInUser>();

  constructor(
    users: StandInUser[],
    readonly appAccountId: string,
    private readonly store: JiraStore,
  ) {
    for (const u of users) this.users.set(u.accountId, u);
  }

  user(accountId: string): StandInUser | undefined {
    return this.users.get(accountId);
  }

  allUsers(): StandInUser[] {
    return [...this.users.values()];
  }

  /** Adds or replaces a user (tests shape their own permission matrix). */
  putUser(u: StandInUser): void {
    this.users.set(u.accountId, u);
  }

  resolve(header: string | undefined): PrincipalLookup {
    const value = (header ?? 'none').trim();
    if (value === 'none' || value === '') return { ok: true, principal: { kind: 'none', accountId: null } };
    if (value === 'app') return { ok: true, principal: { kind: 'app', accountId: this.appAccountId } };
    if (value.startsWith('user:')) {
      const accountId = value.slice('user:'.length);
      if (accountId === this.appAccountId) return { ok: true, principal: { kind: 'app', accountId } };
      const user = this.users.get(accountId);
      if (!user) return { ok: false, reason: `unknown user '${accountId}'` };
      return { ok: true, principal: { kind: 'user', accountId, user } };
    }
    return { ok: false, reason: `unrecognised x-sandbox-principal '${value}'` };
  }

  /** The principal a permission check about `accountId` should use (app or known user). */
  principalFor(accountId: string): Principal | undefined {
    if (accountId === this.appAccountId) return { kind: 'app', accountId };
    const user = this.users.get(accountId);
    return user ? { kind: 'user', accountId, user } : undefined;
  }

  private granted(principal: Principal, grant: '*' | string[] | undefined, projectId: string): boolean {
    const project = this.store.projects.get(projectId);
    if (!project || principal.kind !== 'user') return false;
    if (principal.user.browseDenied?.includes(project.key)) return false;
    return grant === '*' || (grant ?? []).includes(project.key);
  }

  canBrowse(principal: Principal, projectId: string): boolean {
    if (principal.kind === 'app') return this.store.projects.has(projectId);
    return this.granted(principal, principal.kind === 'user' ? principal.user.browse : undefined, projectId);
  }

  /** Whether the principal may hold an issue at this security level (null: no level, anyone). */
  inSecurityLevel(principal: Principal, levelId: string | null): boolean {
    if (levelId === null || principal.kind === 'app') return true;
    return principal.kind === 'user' && (principal.user.securityLevels ?? []).includes(levelId);
  }

  /**
   * Browse one issue: its project, and its security level if it has one. An
   * issue this denies does not exist for the principal (404, left out of search).
   */
  canBrowseIssue(principal: Principal, issue: StoredIssue): boolean {
    return this.canBrowse(principal, issue.projectId) && this.inSecurityLevel(principal, issue.securityLevelId);
  }

  canLink(principal: Principal, projectId: string): boolean {
    if (!this.canBrowse(principal, projectId)) return false;
    if (principal.kind === 'app') return true;
    return this.granted(principal, principal.kind === 'user' ? principal.user.link : undefined, projectId);
  }

  /** Project administrator of this project (ADMINISTER_PROJECTS) by the user's own grant. */
  private administers(principal: Principal, projectId: string): boolean {
    const key = this.store.projects.get(projectId)?.key;
    return principal.kind === 'user' && key !== undefined && (principal.user.projectAdmin ?? []).includes(key);
  }

  isAdmin(principal: Principal): boolean {
    return principal.kind === 'app' || (principal.kind === 'user' && principal.user.admin);
  }

  /** One project permission key on one project; unknown keys are never held. */
  hasProjectPermission(principal: Principal, key: string, projectId: string): boolean {
    switch (key) {
      case 'BROWSE_PROJECTS':
      case 'CREATE_ISSUES':
      case 'EDIT_ISSUES':
      case 'ADD_COMMENTS':
        return this.canBrowse(principal, projectId);
      case 'LINK_ISSUES':
        return this.canLink(principal, projectId);
      case 'DELETE_ISSUES':
      case 'ADMINISTER_PROJECTS':
        return this.canBrowse(principal, projectId) && (this.isAdmin(principal) || this.administers(principal, projectId));
      default:
        return false;
    }
  }

  /** A project permission on one issue: held in its project, and the issue is browsable. */
  hasIssuePermission(principal: Principal, key: string, issue: StoredIssue): boolean {
    return this.canBrowseIssue(principal, issue) && this.hasProjectPermission(principal, key, issue.projectId);
  }

  hasGlobalPermission(principal: Principal, key: string): boolean {
    if (key === 'ADMINISTER') return this.isAdmin(principal);
    if (key === 'USER_PICKER') return principal.kind !== 'none';
    return false;
  }
}
