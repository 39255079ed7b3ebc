/**
 * The create-dialog check's registration: the app's UI modification, on exactly the
 * projects in scope. `settings.save` keeps it in step (`syncCreateCheck`); the admin page
 * shows how it stands (`uim.status`) and can put it back by hand (`uim.register`).
 * Jira admins only, checked on the server.
 */
import { projectsByKeys, type ProjectRef } from '../../jira/projects';
import { createDialogContexts, readUiModification, upsertUiModification, type RegisteredUim } from '../../jira/uim';
import type { CreateCheckStatus, Payload, ResultOf } from '../../shared/contract';
import { plural } from '../../shared/wording';
import { appendAction } from '../../store/actions';
import { getSettings } from '../../store/settings';
import { requireAdmin } from '../admin-only';
import { badRequest } from '../api-failure';
import type { CallContext } from '../call-context';
import { mapError, type Audience } from '../error-mapping';
import { logEvent } from '../log';

/** How the registered entity compares with the projects whose create dialog should run the check. */
function statusOf(wanted: ProjectRef[], registered: RegisteredUim | null): CreateCheckStatus {
  const covered = new Set(registered?.projectIds ?? []);
  const scopeIds = new Set(wanted.map((p) => p.id));
  const coveredKeys = wanted.filter((p) => covered.has(p.id)).map((p) => p.key);
  const missingKeys = wanted.filter((p) => !covered.has(p.id)).map((p) => p.key);
  const extraProjects = [...covered].filter((id) => !scopeIds.has(id)).length;
  const state = coveredKeys.length === 0 && extraProjects === 0 ? 'off' : missingKeys.length === 0 && extraProjects === 0 ? 'on' : 'outdated';
  return { state, coveredKeys, missingKeys, extraProjects, error: null };
}

/** Why Jira could not be asked, in words for `audience` (the surface's: `CallContext.audience`). */
function unknownStatus(err: unknown, context: string, audience: Audience | undefined): CreateCheckStatus {
  const mapped = mapError(err, audience);
  logEvent(context, { status: 'failed', ...mapped.log });
  return { state: 'unknown', coveredKeys: [], missingKeys: [], extraProjects: 0, error: mapped.error.message };
}

/**
 * Puts the create-dialog check on exactly the `wanted` projects: those in scope, or none when
 * the check is turned off in the settings (the entity then stays, with no context). Writes only when Jira's contexts differ. Never throws: settings are
 * saved either way, and the answer says what Jira has.
 */
export async function syncCreateCheck(wanted: ProjectRef[], audience?: Audience): Promise<{ status: CreateCheckStatus; changed: boolean }> {
  try {
    const registered = await readUiModification();
    const before = statusOf(wanted, registered);
    if (before.state === 'on' || (before.state === 'off' && wanted.length === 0)) return { status: before, changed: false };
    await upsertUiModification(createDialogContexts(wanted.map((p) => p.id)), registered);
    return { status: statusOf(wanted, { id: '', projectIds: wanted.map((p) => p.id) }), changed: true };
  } catch (err) {
    return { status: unknownStatus(err, 'uim.sync', audience), changed: false };
  }
}

export async function uimStatusMethod(_payload: Payload<'uim.status'>, ctx: CallContext): Promise<ResultOf<'uim.status'>> {
  await requireAdmin('see whether the create-dialog check is on');
  const settings = await getSettings();
  try {
    const [inScope, registered] = await Promise.all([settings.createDialogCheck ? projectsByKeys(settings.projects) : Promise.resolve([]), readUiModification()]);
    return statusOf(inScope, registered);
  } catch (err) {
    return unknownStatus(err, 'uim.status', ctx.audience);
  }
}

export async function uimRegisterMethod(_payload: Payload<'uim.register'>, ctx: CallContext): Promise<ResultOf<'uim.register'>> {
  await requireAdmin('turn on the duplicate check in the create dialog');
  const settings = await getSettings();
  if (!settings.createDialogCheck) throw badRequest('The create-dialog check is turned off in the settings. Turn it on there and save.');
  const projects = await projectsByKeys(settings.projects);
  const contexts = createDialogContexts(projects.map((p) => p.id));
  const uim = await upsertUiModification(contexts);
  await appendAction({
    action: 'uim.register',
    actorAccountId: ctx.accountId,
    detail: `${uim.created ? 'registered' : 'updated'} for ${plural(contexts.length, 'project')}`,
  });
  return { registered: contexts.length };
}
