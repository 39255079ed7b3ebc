/**
 * Admin page: settings, JQL check, project and issue type lists, and the `me.get` every
 * surface uses (the create-dialog check's registration: create-check-registration.ts).
 * Writes are for Jira admins only (`requireAdmin`).
 */
import { scopeJql } from '../../analysis/scope-jql';
import { queueScopeSweep } from '../../analysis/scope-sweep';
import { validateJql } from '../../jira/jql';
import { approximateCount } from '../../jira/search';
import { issueTypeNames, unknownIssueTypes } from '../../jira/issue-types';
import { browsableProjects, isJiraAdmin } from '../../jira/permissions';
import { listProjects, projectsByKeys, type ProjectRef } from '../../jira/projects';
import { getMyself } from '../../jira/users';
import type { Payload, ResultOf, Settings } from '../../shared/contract';
import { changedSettings, mergeSettings, narrowsStoredScope, sameSetting, SETTING_NAMES } from '../../shared/settings-diff';
import { keyList, plural } from '../../shared/wording';
import { recordAction } from '../../store/actions';
import { DEFAULT_SETTINGS, deleteRunMarkers, getSettings, parseStoredSettings, settingsSchema, SettingsBusyError, settingsReadAdjustments, updateSettings, type ReadAdjustment, type SettingsUpdate } from '../../store/settings';
import { scopeKey } from '../../store/scopes';
import { requireAdmin } from '../admin-only';
import { ApiFailure, badRequest } from '../api-failure';
import type { CallContext } from '../call-context';
import { zodFields } from '../error-mapping';
import { logEvent } from '../log';
import { syncCreateCheck } from './create-check-registration';

/**
 * The settings, whole for a Jira admin. Anyone else may read them (the page shows them
 * read-only) but not the JQL filter's text, which may name anything, nor the projects in
 * scope they may not browse (asked of Jira as the reader).
 */
export async function settingsGetMethod(_payload: Payload<'settings.get'>, _ctx: CallContext): Promise<ResultOf<'settings.get'>> {
  const [settings, canEdit, adjusted] = await Promise.all([getSettings(), isJiraAdmin(), settingsReadAdjustments()]);
  if (canEdit) return { settings, canEdit, withheld: { jqlFilter: false, projects: false }, adjusted: adjustmentTexts(adjusted) };
  const browsable = new Set((await browsableProjects(await projectsByKeys(settings.projects))).map((p) => p.key));
  const projects = settings.projects.filter((k) => browsable.has(k));
  return {
    settings: { ...settings, projects, jqlFilter: '' },
    canEdit,
    withheld: { jqlFilter: settings.jqlFilter.trim() !== '', projects: projects.length < settings.projects.length },
    adjusted: [],
  };
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

/** What each setting is called on the admin page. */

/** "added SHOP and MOB; removed OPS": which projects came into scope and which left it. */
function projectsChange(before: string[], after: string[]): string {
  const added = after.filter((k) => !before.includes(k)).sort();
  const removed = before.filter((k) => !after.includes(k)).sort();
  return [added.length > 0 ? `added ${keyList(added)}` : '', removed.length > 0 ? `removed ${keyList(removed)}` : ''].filter((s) => s !== '').join('; ');
}


/** Exported for the tests. */
export function describeChange(before: Settings, after: Settings): string {
  const changed = changedSettings(before, after);
  // Names of what changed, never the JQL text (people may paste anything there); the
  // thresholds from and to; for the projects in scope, which ones came and went (keys, capped).
  // Exact to a tenth, so a change of less than one percent is not written as none.
  const tiers = (t: Settings['thresholds']): string => `${exactPercent(t.duplicate)} / ${exactPercent(t.related)}`;
  const names = changed.map((k) => {
    const detail = changeDetail(k, before, after, tiers);
    return detail === '' ? SETTING_NAMES[k] : `${SETTING_NAMES[k]} (${detail})`;
  });
  return `changed: ${names.join(', ') || 'nothing'}; ${plural(after.projects.length, 'project')} in scope`;
}

/** A threshold as a percent, to a tenth when it is not whole ("45.5%"). */
const exactPercent = (v: number): string => `${Math.round(v * 1000) / 10}%`;

const days = (n: number, none: string): string => (n === 0 ? none : plural(n, 'day'));
const types = (t: string[]): string => (t.length === 0 ? 'all types' : keyList([...t].sort((x, y) => x.localeCompare(y, 'en'))));

/** From and to, for the settings short enough to say so; the JQL filter only as set, cleared or edited. */
function changeDetail(k: keyof Settings, before: Settings, after: Settings, tiers: (t: Settings['thresholds']) => string): string {
  switch (k) {
    case 'projects':
      return projectsChange(before.projects, after.projects);
    case 'thresholds':
      return `${tiers(before.thresholds)} → ${tiers(after.thresholds)}`;
    case 'weights':
      return (Object.keys(after.weights) as Array<keyof Settings['weights']>)
        .filter((f) => before.weights[f] !== after.weights[f])
        .map((f) => `${f} ${before.weights[f]} → ${after.weights[f]}`)
        .join(', ');
    case 'crossProject':
    case 'createDialogCheck':
      return after[k] ? 'now on' : 'now off';
    case 'dismissNeedsLink':
      return after.dismissNeedsLink ? 'now only people who can link issues' : 'now anyone who can see the issues';
    case 'runsNeedProjectAdmin':
      return after.runsNeedProjectAdmin ? 'now only project administrators' : 'now anyone who can browse the project';
    case 'jqlFilter':
      return before.jqlFilter.trim() === '' ? 'set' : after.jqlFilter.trim() === '' ? 'cleared' : 'edited';
    case 'issueTypes':
      return `${types(before.issueTypes)} → ${types(after.issueTypes)}`;
    case 'maxAgeDays':
      return `${days(before.maxAgeDays, 'no limit')} → ${days(after.maxAgeDays, 'no limit')}`;
    case 'schedule':
      return `${before.schedule} → ${after.schedule}`;
    case 'retentionDays':
      return `${days(before.retentionDays, '0 days')} → ${days(after.retentionDays, '0 days')}`;
  }
}

/** ["related threshold 2% → 5%", "summary weight 0 → 3"]: what reading older stored settings changed. */
function adjustmentTexts(adjusted: readonly ReadAdjustment[]): string[] {
  return adjusted.map(({ field, from, to }) => {
    const [group, name] = field.split('.');
    return group === 'thresholds' ? `${name} threshold ${exactPercent(from)} → ${exactPercent(to)}` : `${name} weight ${from} → ${to}`;
  });
}

export async function settingsSaveMethod(payload: Payload<'settings.save'>, ctx: CallContext): Promise<ResultOf<'settings.save'>> {
  await requireAdmin('change the duplicate detection settings');
  const parsed = settingsSchema.safeParse(payload.settings);
  if (!parsed.success) {
    const fields = Object.fromEntries(Object.entries(zodFields(parsed.error)).map(([k, v]) => [k === 'payload' ? 'settings' : `settings.${k}`, v]));
    throw badRequest('Some settings are not valid. Fix the marked fields and save again.', fields);
  }
  // Worked out again from the other save's settings when one stores first (updateSettings:
  // one save at a time), so `before`, `kept` and the projects found are those of the attempt
  // that was stored, and the history entry names this save's change only.
  let kept: Array<keyof Settings> = [];
  let projects: ProjectRef[] = [];
  const { before, saved, changed, adjusted, atMs } = await storeOneAtATime(async (stored) => {
    const merged = mergeOverOthers(parsed.data, payload.base === undefined ? undefined : asReadNow(payload.base), stored);
    const checked = await jiraChecks(merged.settings);
    if (Object.keys(checked.fields).length > 0) throw badRequest('Some settings are not valid. Fix the marked fields and save again.', checked.fields);
    kept = merged.kept;
    projects = checked.projects;
    return merged.settings;
  });
  // A project out of scope is no longer kept analysed: its run marker goes, so that when it
  // comes back its page says it was never analysed (until a run reads it) and its first run
  // reads every issue, rather than start from a run long past.
  const left = before.projects.filter((k) => !saved.projects.includes(k));
  if (left.length > 0) await deleteRunMarkers(left.map((k) => scopeKey({ kind: 'project', projectKey: k })));
  // Stored issues the saved settings no longer analyse (a project, an issue type, the age
  // limit) go at once, on the analysis queue, not at the next full run (src/analysis/scope-sweep.ts).
  if (narrowsStoredScope(before, saved)) await queueSweepAfterSave();
  // The create dialog's check follows the projects in scope, so adding a project needs no
  // second step (the admin page's button is left for putting it back by hand).
  const createCheck = await syncCreateCheck(saved.createDialogCheck ? projects : [], ctx.audience);
  const covered = createCheck.status.coveredKeys.length;
  const uimNote = createCheck.changed
    ? `; create-dialog check now ${covered === 0 ? 'off' : `on ${plural(covered, 'project')}`}`
    : createCheck.status.error !== null
      ? '; create-dialog check not updated'
      : '';
  // A save that changed nothing (and put the create check nowhere new) is not history. One
  // that stored settings an older version of the app saved, as they are read now, is: the
  // values the admin saw and kept are not those that were saved, and the entry says which.
  const unchanged = changedSettings(before, saved).length === 0;
  const adjustedNote = changed && adjusted.length > 0 ? `; stored values brought within current rules: ${adjustmentTexts(adjusted).join(', ')}` : '';
  // Dated when the save took its version, so two saves at once are listed in the order stored.
  if (!unchanged || uimNote !== '' || adjustedNote !== '') {
    await recordAction({ action: 'settings.save', actorAccountId: ctx.accountId, detail: describeChange(before, saved) + adjustedNote + uimNote }, atMs);
  }
  logEvent('settings.saved', { projects: saved.projects.length, createCheck: createCheck.status.state });
  return { settings: saved, createCheck: createCheck.status, kept: kept.map((k) => SETTING_NAMES[k]) };
}

/**
 * Queues the scope sweep of a save that narrowed the scope. The settings are stored by then:
 * a failure to queue is logged, not the save's, and every run's plan step sweeps again.
 */
async function queueSweepAfterSave(): Promise<void> {
  try {
    await queueScopeSweep('settings');
  } catch (err) {
    console.warn(`settings: queueing the scope sweep failed (${err instanceof Error ? err.name : 'unknown'}); the next analysis sweeps`);
  }
}

/**
 * `updateSettings`, with another save holding the settings said as CONFLICT: nothing was
 * saved, and saving again (the page first puts its changes onto the stored settings) works
 * once that save's write has landed.
 */
async function storeOneAtATime(change: (stored: Settings) => Promise<Settings>): Promise<SettingsUpdate> {
  try {
    return await updateSettings(change);
  } catch (err) {
    if (!(err instanceof SettingsBusyError)) throw err;
    throw new ApiFailure(
      'CONFLICT',
      err.reason === 'pending'
        ? "Another admin's save of the settings has not finished, so nothing was saved. Save again in a minute."
        : 'Other admins were saving the settings at the same time, so nothing was saved. Save again.',
    );
  }
}

/**
 * The settings a page loaded, as they would be read now: a page opened before a rule came in
 * (a related threshold under the minimum) loaded them unchanged, while `stored` has them
 * brought within it (`parseStoredSettings`), and the difference is nobody's change.
 */
function asReadNow(base: Settings): Settings {
  const read = parseStoredSettings(base);
  return read.success ? read.data : base;
}

/**
 * Two admins with the page open: the second save must not put back what the first changed.
 * With `base` (the settings the page loaded) and someone else's save since, only what this
 * save changes from `base` goes over the stored settings; theirs stay (`kept`). One setting
 * changed both ways is refused, naming it.
 */
function mergeOverOthers(mine: Settings, base: Settings | undefined, stored: Settings): { settings: Settings; kept: Array<keyof Settings> } {
  if (base === undefined) return { settings: mine, kept: [] };
  const theirs = changedSettings(base, stored);
  if (theirs.length === 0) return { settings: mine, kept: [] };
  const { merged: settings, clashes } = mergeSettings(base, mine, stored);
  if (clashes.length > 0) {
    // The page then shows their settings with its changes on top (the same merge), so that
    // saving again keeps its own and Discard takes theirs.
    throw new ApiFailure('CONFLICT', `Someone else changed the ${keyList(clashes.map((k) => SETTING_NAMES[k]))} since this page was opened, so nothing was saved.`);
  }
  // Theirs and mine may not go together (one changed the duplicate threshold, the other the
  // related one, past each other): the checks below say so.
  const valid = settingsSchema.safeParse(settings);
  if (!valid.success) throw badRequest('Your changes do not fit the settings someone else saved since this page was opened. Reload the page, then make your changes again.');
  // Theirs kept: what they changed that the merge did not set to mine (a project they added
  // beside one this page added counts).
  return { settings: valid.data, kept: theirs.filter((k) => !sameSetting(k, valid.data, mine)) };
}

export async function validateJqlMethod(payload: Payload<'settings.validateJql'>, _ctx: CallContext): Promise<ResultOf<'settings.validateJql'>> {
  // Asked of Jira as the app (who applies the filter), counts included: for Jira admins only.
  await requireAdmin('check a JQL filter for the analyses');
  const verdict = await validateJql(payload.jql);
  const scope = payload.scope;
  if (!verdict.valid || scope === undefined || scope.projects.length === 0 || payload.jql.trim() === '') return verdict;
  return { ...verdict, counts: await filterCounts(payload.jql, scope) };
}

/**
 * About how many issues of the form's scope a valid filter keeps, and how many there are
 * without it: two approximate counts, as the app, which applies the filter (a filter that
 * depends on who searches would count one thing for the admin and another for the
 * analyses). Only Jira admins ask. Null when Jira cannot count either.
 */
async function filterCounts(jql: string, scope: { projects: string[]; issueTypes: string[]; maxAgeDays: number }): Promise<{ kept: number; of: number } | null> {
  const base = { ...DEFAULT_SETTINGS, issueTypes: scope.issueTypes, maxAgeDays: scope.maxAgeDays };
  let withFilter: string;
  try {
    withFilter = scopeJql({ ...base, jqlFilter: jql }, scope.projects);
  } catch {
    return null; // a filter that would close the scope's parenthesis: the save refuses it too
  }
  const [kept, of] = await Promise.all([
    approximateCount(withFilter, { actor: { as: 'app' }, deadlineMs: 8000 }),
    approximateCount(scopeJql({ ...base, jqlFilter: '' }, scope.projects), { actor: { as: 'app' }, deadlineMs: 8000 }),
  ]);
  return kept === null || of === null ? null : { kept, of };
}

export async function ageCountsMethod(payload: Payload<'settings.ageCounts'>, _ctx: CallContext): Promise<ResultOf<'settings.ageCounts'>> {
  // Counts of the scope as the app reads it (who runs the analyses): for Jira admins only, as
  // the filter's counts are.
  await requireAdmin('count the issues an age limit keeps');
  const { scope } = payload;
  if (scope.maxAgeDays === 0 || scope.projects.length === 0) return { counts: null };
  const base = { ...DEFAULT_SETTINGS, issueTypes: scope.issueTypes, jqlFilter: payload.jql };
  let limited: string;
  let all: string;
  try {
    limited = scopeJql({ ...base, maxAgeDays: scope.maxAgeDays }, scope.projects);
    all = scopeJql({ ...base, maxAgeDays: 0 }, scope.projects);
  } catch {
    return { counts: null }; // a filter that would close the scope's parenthesis: the save refuses it
  }
  const [kept, of] = await Promise.all([
    approximateCount(limited, { actor: { as: 'app' }, deadlineMs: 8000 }),
    approximateCount(all, { actor: { as: 'app' }, deadlineMs: 8000 }),
  ]);
  return { counts: kept === null || of === null ? null : { kept, of } };
}

export async function projectsListMethod(_payload: Payload<'projects.list'>, _ctx: CallContext): Promise<ResultOf<'projects.list'>> {
  // As the user: the list is what this person may see, which for an admin is every project.
  return { projects: await listProjects({ as: 'user' }) };
}

export async function issueTypesListMethod(_payload: Payload<'issueTypes.list'>, _ctx: CallContext): Promise<ResultOf<'issueTypes.list'>> {
  // As the user, like projects.list: the names this admin sees in Jira.
  return { names: await issueTypeNames({ as: 'user' }) };
}

export async function meMethod(_payload: Payload<'me.get'>, ctx: CallContext): Promise<ResultOf<'me.get'>> {
  const [me, isAdmin] = await Promise.all([getMyself(), isJiraAdmin()]);
  return { accountId: me.accountId || ctx.accountId, displayName: me.displayName, isAdmin };
}
