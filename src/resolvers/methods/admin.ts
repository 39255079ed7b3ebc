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
import { listProjects, projectsByKeys } from '../../jira/projects';
import { upsertUiModification } from '../../jira/uim';
import { getMyself } from '../../jira/users';
import type { Payload, ResultOf, Settings } from '../../shared/contract';
import { appendAction } from '../../store/actions';
import { getSettings, saveSettings, settingsSchema } from '../../store/settings';
import { badRequest, forbidden } from '../api-failure';
import type { CallContext } from '../call-context';
import { zodFields } from '../error-mapping';
import { logEvent } from '../log';

async function requireAdmin(what: string): Promise<void> {
  if (!(await isJiraAdmin())) throw forbidden(`Only Jira admins can ${what}.`);
}

export async function settingsGetMethod(_payload: Payload<'settings.get'>, _ctx: CallContext): Promise<ResultOf<'settings.get'>> {
  const [settings, canEdit] = await Promise.all([getSettings(), isJiraAdmin()]);
  return { settings, canEdit };
}

/** Checks that need Jira: the JQL parses, every project exists, every issue type exists. Field → message. */
async function jiraChecks(settings: Settings): Promise<Record<string, string>> {
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
  return fields;
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
  const fields = await jiraChecks(parsed.data);
  if (Object.keys(fields).length > 0) throw badRequest('Some settings are not valid. Fix the marked fields and save again.', fields);
  const before = await getSettings();
  const saved = await saveSettings(parsed.data);
  await appendAction({ action: 'settings.save', actorAccountId: ctx.accountId, detail: describeChange(before, saved) });
  logEvent('settings.saved', { projects: saved.projects.length });
  return { settings: saved };
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

export async function uimRegisterMethod(_payload: Payload<'uim.register'>, ctx: CallContext): Promise<ResultOf<'uim.register'>> {
  await requireAdmin('turn on the duplicate check in the create dialog');
  const settings = await getSettings();
  const projects = await projectsByKeys(settings.projects);
  const contexts = projects.map((p) => ({ projectId: p.id, issueTypeId: null, viewType: 'GIC' as const }));
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
