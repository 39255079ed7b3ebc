/**
 * Admin page: settings, JQL check, project list, UI modification registration, and the
 * `me.get` every surface uses.
 *
 * Writes are for Jira admins only, checked on the server with Jira's global ADMINISTER
 * permission for the acting user (the admin page being visible only to admins is a UI
 * fact, not a security boundary).
 */
import { validateJql } from '../../jira/jql';
import { issueTypeNames, unknownIssueTypes } from '../../jira/issue-types';
import { isJiraAdmin } from '../../jira/permissions';
import { listProjects, projectsByKeys, type ProjectRef } from '../../jira/projects';
import { createDialogContexts, readUiModification, upsertUiModification, type RegisteredUim } from '../../jira/uim';
import { getMyself } from '../../jira/users';
import type { CreateCheckStatus, Payload, ResultOf, Settings } from '../../shared/contract';
import { appendAction } from '../../store/actions';
import { getSettings, saveSettings, settingsSchema } from '../../store/settings';
import { badRequest, forbidden } from '../api-failure';
import type { CallContext } from '../call-context';
import { mapError, zodFields } from '../error-mapping';
import { logEvent } from '../log';

async function requireAdmin(what: string): Promise<void> {
  if (!(await isJiraAdmin())) throw forbidden(`Only Jira admins can ${what}.`);
}

export async function settingsGetMethod(_payload: Payload<'settings.get'>, _ctx: CallContext): Promise<ResultOf<'settings.get'>> {
  const [settings, canEdit] = await Promise.all([getSettings(), isJiraAdmin()]);
  return { settings, canEdit };
}

/**
 * Checks that need Jira: the JQL parses, every project exists, every issue type exists.
 * Field → message, and the projects found (for the create-dialog check).
 */
async function jiraChecks(settings: Settings): Promise<{ fields: Record<string, string>; projects: ProjectRef[] }> {
  const [jql, found, typeNames] = await Promise.all([
    validateJql(settings.jqlFilter),
    projectsByKeys(settings.projects),
    settings.issueTypes.length > 0 ? issueTypeNames({ as: 'app' }) : Promise.resolve([]),
  ]);
  const fields: Record<string, string> = {};
  if (!jql.valid) fields['settings.jqlFilter'] = `is not valid JQL: ${jql.errors.slice(0, 3).join(' ')}`;
  const known = new Set(found.map((p) => p.key));
  const missing = settings.projects.filter((k) => !known.has(k));
  if (missing.length > 0) fields['settings.projects'] = `has projects that do not exist or the app cannot see: ${missing.join(', ')}`;
  const unknownTypes = unknownIssueTypes(settings.issueTypes, typeNames);
  if (unknownTypes.length > 0) fields['settings.issueTypes'] = `has issue types Jira does not know: ${unknownTypes.slice(0, 10).join(', ')}`;
  return { fields, projects: found };
}

/** How the registered entity compares with the projects in scope. */
function statusOf(inScope: ProjectRef[], registered: RegisteredUim | null): CreateCheckStatus {
  const covered = new Set(registered?.projectIds ?? []);
  const scopeIds = new Set(inScope.map((p) => p.id));
  const coveredKeys = inScope.filter((p) => covered.has(p.id)).map((p) => p.key);
  const missingKeys = inScope.filter((p) => !covered.has(p.id)).map((p) => p.key);
  const extraProjects = [...covered].filter((id) => !scopeIds.has(id)).length;
  const state = coveredKeys.length === 0 && extraProjects === 0 ? 'off' : missingKeys.length === 0 && extraProjects === 0 ? 'on' : 'outdated';
  return { state, coveredKeys, missingKeys, extraProjects, error: null };
}

function unknownStatus(err: unknown, context: string): CreateCheckStatus {
  const mapped = mapError(err);
  logEvent(context, { status: 'failed', ...mapped.log });
  return { state: 'unknown', coveredKeys: [], missingKeys: [], extraProjects: 0, error: mapped.error.message };
}

/**
 * Puts the create-dialog check on exactly the projects in scope (none: the entity stays,
 * with no context). Writes only when Jira's contexts differ. Never throws: settings are
 * saved either way, and the answer says what Jira has.
 */
async function syncCreateCheck(inScope: ProjectRef[]): Promise<{ status: CreateCheckStatus; changed: boolean }> {
  try {
    const registered = await readUiModification();
    const before = statusOf(inScope, registered);
    if (before.state === 'on' || (before.state === 'off' && inScope.length === 0)) return { status: before, changed: false };
    await upsertUiModification(createDialogContexts(inScope.map((p) => p.id)), registered);
    return { status: statusOf(inScope, { id: '', projectIds: inScope.map((p) => p.id) }), changed: true };
  } catch (err) {
    return { status: unknownStatus(err, 'uim.sync'), changed: false };
  }
}

function describeChange(before: Settings, after: Settings): string {
  const changed = (Object.keys(after) as Array<keyof Settings>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  // Names of what changed and the numbers, never the JQL text (people may paste anything there).
  return `changed: ${changed.join(', ') || 'nothing'}; thresholds ${after.thresholds.duplicate}/${after.thresholds.related}; ${after.projects.length} project(s)`;
}

export async function settingsSaveMethod(payload: Payload<'settings.save'>, ctx: CallContext): Promise<ResultOf<'settings.save'>> {
  await requireAdmin('change the duplicate detection settings');
  const parsed = settingsSchema.safeParse(payload.settings);
  if (!parsed.success) {
    const fields = Object.fromEntries(Object.entries(zodFields(parsed.error)).map(([k, v]) => [k === 'payload' ? 'settings' : `settings.${k}`, v]));
    throw badRequest('Some settings are not valid. Fix the marked fields and save again.', fields);
  }
  const { fields, projects } = await jiraChecks(parsed.data);
  if (Object.keys(fields).length > 0) throw badRequest('Some settings are not valid. Fix the marked fields and save again.', fields);
  const before = await getSettings();
  const saved = await saveSettings(parsed.data);
  // The create dialog's check follows the projects in scope, so adding a project needs no
  // second step (the admin page's button is left for putting it back by hand).
  const createCheck = await syncCreateCheck(projects);
  const uimNote = createCheck.changed ? `; create-dialog check now on ${createCheck.status.coveredKeys.length} project(s)` : createCheck.status.error !== null ? '; create-dialog check not updated' : '';
  await appendAction({ action: 'settings.save', actorAccountId: ctx.accountId, detail: describeChange(before, saved) + uimNote });
  logEvent('settings.saved', { projects: saved.projects.length, createCheck: createCheck.status.state });
  return { settings: saved, createCheck: createCheck.status };
}

export async function validateJqlMethod(payload: Payload<'settings.validateJql'>, _ctx: CallContext): Promise<ResultOf<'settings.validateJql'>> {
  return validateJql(payload.jql);
}

export async function projectsListMethod(_payload: Payload<'projects.list'>, _ctx: CallContext): Promise<ResultOf<'projects.list'>> {
  // As the user: the list is what this person may see, which for an admin is every project.
  return { projects: await listProjects({ as: 'user' }) };
}

export async function issueTypesListMethod(_payload: Payload<'issueTypes.list'>, _ctx: CallContext): Promise<ResultOf<'issueTypes.list'>> {
  // As the user, like projects.list: the names this admin sees in Jira.
  return { names: await issueTypeNames({ as: 'user' }) };
}

export async function uimStatusMethod(_payload: Payload<'uim.status'>, _ctx: CallContext): Promise<ResultOf<'uim.status'>> {
  await requireAdmin('see whether the create-dialog check is on');
  const settings = await getSettings();
  try {
    const [inScope, registered] = await Promise.all([projectsByKeys(settings.projects), readUiModification()]);
    return statusOf(inScope, registered);
  } catch (err) {
    return unknownStatus(err, 'uim.status');
  }
}

export async function uimRegisterMethod(_payload: Payload<'uim.register'>, ctx: CallContext): Promise<ResultOf<'uim.register'>> {
  await requireAdmin('turn on the duplicate check in the create dialog');
  const settings = await getSettings();
  const projects = await projectsByKeys(settings.projects);
  const contexts = createDialogContexts(projects.map((p) => p.id));
  const uim = await upsertUiModification(contexts);
  await appendAction({
    action: 'uim.register',
    actorAccountId: ctx.accountId,
    detail: `${uim.created ? 'created' : 'updated'} ${uim.id} for ${contexts.length} project(s)`,
  });
  return { registered: contexts.length };
}

export async function meMethod(_payload: Payload<'me.get'>, ctx: CallContext): Promise<ResultOf<'me.get'>> {
  const [me, isAdmin] = await Promise.all([getMyself(), isJiraAdmin()]);
  return { accountId: me.accountId || ctx.accountId, displayName: me.displayName, isAdmin };
}
