/**
 * Analysis runs from the project page (that project) and the admin page (everything in
 * scope, Jira admins only).
 *
 * Who may do what: on a project page the project comes from the Forge context and the user
 * must be able to browse it; without a project page context the caller must be a Jira
 * admin, whatever the payload names. Starting and cancelling a project's runs needs more
 * when the admin's `runsNeedProjectAdmin` is on: Administer Projects there, or Jira admin.
 */
import { AnalysisError } from '../../analysis/analysis-error';
import { cancelRun, getRun, getRunStatus, listRuns, startRun } from '../../analysis/run-control';
import { leftOutNotice } from '../../analysis/scope-check';
import { browsableProjects, checkPermissions, isJiraAdmin } from '../../jira/permissions';
import type { Payload, ResultOf, RunControl, RunScope, RunView, Settings } from '../../shared/contract';
import { recordAction } from '../../store/actions';
import { scopeKey } from '../../store/scopes';
import { runAdminNotes } from '../../store/runs';
import { getRunMarker, getSettings, tiersOutdated } from '../../store/settings';
import { ApiFailure, forbidden, notFound } from '../api-failure';
import type { CallContext } from '../call-context';
import { logEvent } from '../log';
import { pageProject } from './pairs';
import { hiddenLevels, seesEverything, visibleProjects } from '../visibility';

const ADMIN_ONLY = 'Only Jira admins can run or watch the analysis of every project. Open a project page to analyse one project.';

/**
 * What a project page's viewer cannot see, asked only when a count needs it: whether a
 * security level hides some of the page's project's issues from them (`hiddenLevels`: one
 * indexed read, and a permission call only if the project has secured issues; pages poll
 * run.status, so the level's sample rather than each issue), and whether they may see every
 * issue of every analysed project (Jira's project check too).
 */
interface Viewer {
  hiddenInProject: () => Promise<boolean>;
  seesEverything: () => Promise<boolean>;
}

/**
 * The project page's project, after checking the caller may browse it: one permission call
 * on the project id the Forge context gives (pages poll `run.status` every 1.5 s; a Jira
 * project search besides would make the status of a run, which lives in the app's own
 * tables, the first thing a Jira outage takes away).
 */
async function browsePageProject(project: { id: string; key: string }): Promise<void> {
  const [seen] = await browsableProjects([project]);
  // The same answer for "no such project" and "not yours": no existence leak.
  if (seen === undefined) throw forbidden('You cannot browse this project.');
}

/**
 * The scope the caller is acting on, after checking they may, and how to ask whether they
 * may browse every analysed project: null for a Jira admin on the admin page, who sees
 * every count.
 */
async function authorisedScope(payloadProjectKey: string | undefined, ctx: CallContext): Promise<{ scope: RunScope; viewer: Viewer | null }> {
  if (ctx.project !== null) {
    // A payload naming another project than the page's is refused (BAD_REQUEST).
    pageProject(payloadProjectKey, ctx);
    await browsePageProject(ctx.project);
    return { scope: { kind: 'project', projectKey: ctx.project.key }, viewer: viewerOnce(ctx.project.key) };
  }
  if (!(await isJiraAdmin())) throw forbidden(ADMIN_ONLY);
  return { scope: payloadProjectKey !== undefined ? { kind: 'project', projectKey: payloadProjectKey.toUpperCase() } : { kind: 'all' }, viewer: null };
}

/** The settings, read at most once per call and only if something needs them. */
type LazySettings = () => Promise<Settings>;

function settingsOnce(): LazySettings {
  let read: Promise<Settings> | null = null;
  return () => (read ??= getSettings());
}

/** A `Viewer` of the page's project whose answers are each asked at most once per call. */
function viewerOnce(projectKey: string): Viewer {
  let hidden: Promise<boolean> | null = null;
  let everything: Promise<boolean> | null = null;
  return {
    hiddenInProject: () => (hidden ??= hiddenLevels([projectKey]).then((levels) => levels.length > 0)),
    seesEverything: () => (everything ??= visibleProjects().then(seesEverything)),
  };
}

/** The counters, and what is computed from them: how far the run is, and how long it has left. */
const WITHHELD_ALL = { counters: { fetched: 0, indexed: 0, scored: 0, pairs: 0, expected: null, toCompare: null }, progress: null, etaSeconds: null, countsWithheld: 'all' } as const;

/**
 * What a project's run counts of other projects when suggestions across projects are on:
 * its last step compares the stored issues of every analysed project (`scored` of
 * `toCompare`), and its pairs include pairs with their issues. The bar and the time left
 * follow the issues compared, so they go too; what the run read and stored of the project
 * itself (`fetched` of `expected`, `indexed`) stays.
 */
function withheldComparing<R extends RunView>(run: R): R {
  return { ...run, counters: { ...run.counters, scored: 0, pairs: 0, toCompare: null }, progress: null, etaSeconds: null, countsWithheld: 'compared' as const };
}

/**
 * Runs as this viewer may see them. Counters say how much a run read and found; to someone
 * who cannot see all of it they would say how much is hidden, so they are withheld: every
 * counter of any run when a security level hides some of the project's own issues from the
 * viewer, and of a run of every project when the viewer cannot see every issue of every
 * analysed project; a project's issues compared and pairs, and the progress and time left
 * computed from them (`withheldComparing`), when suggestions across projects are on and the
 * viewer cannot see every issue of the other projects.
 */
async function forViewer<R extends RunView | null>(runs: R[], viewer: Viewer | null, settings: LazySettings): Promise<R[]> {
  if (viewer === null) return withJiraReasons(runs);
  if (runs.every((r) => r === null)) return runs;
  if (await viewer.hiddenInProject()) return runs.map((run) => (run === null ? run : { ...run, ...WITHHELD_ALL }));
  const { crossProject } = await settings();
  // Only a run of every project, or a project's pairs across projects, counts other projects.
  if (!crossProject && runs.every((r) => r === null || r.scope.kind !== 'all')) return runs;
  if (await viewer.seesEverything()) return runs;
  return runs.map((run) => {
    if (run === null) return run;
    if (run.scope.kind === 'all') return { ...run, ...WITHHELD_ALL };
    return crossProject ? withheldComparing(run) : run;
  });
}

/**
 * A Jira admin on the admin page (`viewer` null) reads a failed run's error with Jira's own
 * words, which may quote the JQL filter and name any project, and the note on what a run left
 * out of the saved scope (`notice`), which names projects in scope; everyone else, the sentence
 * every run view carries (`error`), which says where a Jira admin finds them, and no note. One
 * SQL read of the runs shown.
 */
async function withJiraReasons<R extends RunView | null>(runs: R[]): Promise<R[]> {
  const shown = runs.filter((r): r is R & RunView => r !== null).map((r) => r.runId);
  if (shown.length === 0) return runs;
  const notes = await runAdminNotes(shown);
  return runs.map((run) => {
    const note = run === null ? undefined : notes.get(run.runId);
    if (run === null || note === undefined) return run;
    return { ...run, error: note.detail ?? run.error, notice: note.leftOut === null ? null : leftOutNotice(note.leftOut) };
  });
}

function analysisFailure(err: unknown): never {
  if (err instanceof AnalysisError) {
    // The pipeline's messages are written for people (what is wrong, where to fix it).
    // BUSY: a run of every project refused while a project's own run is under way.
    throw new ApiFailure(err.code === 'RUN_FAILED' ? 'INTERNAL' : err.code === 'BUSY' ? 'CONFLICT' : 'BAD_REQUEST', err.message);
  }
  throw err;
}

/** Said on the project page's disabled Start and Cancel, and in the refusal. */
export const NO_RUN_CONTROL_REASON = "A Jira admin lets only this project's administrators start or cancel its analysis";

/**
 * Whether the caller may start and cancel runs of `scope`. Runs of every project are the
 * admin page's (its callers are Jira admins: `authorisedScope`); a project's, anyone who
 * may browse it unless the setting asks for Administer Projects, asked of Jira as the
 * user together with the global admin right, in one call. The global admin right also
 * says whether a run of every project, which a project page shows too, may be cancelled
 * from there (`cancelsEveryProject`).
 */
async function runControlFor(scope: RunScope, ctx: CallContext, settings: Settings, askEveryProject = false): Promise<RunControl> {
  if (scope.kind === 'all' || ctx.project === null) return { allowed: true, reason: null, cancelsEveryProject: true };
  // Only the status asks for `cancelsEveryProject`: a start or cancel here need not call Jira for it.
  if (!settings.runsNeedProjectAdmin) return { allowed: true, reason: null, cancelsEveryProject: askEveryProject && (await isJiraAdmin()) };
  const answers = await checkPermissions({ admin: true, questions: [{ permission: 'ADMINISTER_PROJECTS', projectIds: [ctx.project.id] }] });
  const allowed = answers.admin || (answers.granted[0]?.projectIds.has(ctx.project.id) ?? false);
  return { allowed, reason: allowed ? null : NO_RUN_CONTROL_REASON, cancelsEveryProject: answers.admin };
}

/** Refuses a start or a cancel the caller may not make. */
async function checkRunControl(scope: RunScope, ctx: CallContext, settings: Settings): Promise<void> {
  const control = await runControlFor(scope, ctx, settings);
  if (!control.allowed) throw forbidden(`${control.reason ?? NO_RUN_CONTROL_REASON}.`);
}

const projectsOf = (scope: RunScope): string[] => (scope.kind === 'project' ? [scope.projectKey] : []);

export async function runStatusMethod(payload: Payload<'run.status'>, ctx: CallContext): Promise<ResultOf<'run.status'>> {
  const { scope, viewer } = await authorisedScope(payload.projectKey, ctx);
  const found = await getRunStatus(scope);
  const settingsRead = settingsOnce();
  const [current, last, lastDone] = await forViewer([found.current, found.last, found.lastDone], viewer, settingsRead);
  const status = { ...found, current: current ?? null, last: last ?? null, lastDone: lastDone ?? null };
  // Pages poll this every 1.5 s while a run is live, and a run starts only for analysed
  // projects: the settings are read (once) only when none is live, when the run shown is one
  // of every project (the page then says whether other projects' issues are in its counts),
  // or when the viewer's counts may need withholding (forViewer).
  // Whether the caller may start and cancel is asked for once by a page, not on every poll.
  const shown = status.current ?? status.last;
  if (status.current !== null && shown?.scope.kind !== 'all' && payload.control !== true) {
    return { ...status, analysed: true, otherProjects: false, control: null, neverRead: false, tiersOutdated: false };
  }
  const settings = await settingsRead();
  const control = payload.control === true ? await runControlFor(scope, ctx, settings, true) : null;
  const otherProjects = scope.kind === 'project' ? settings.projects.some((k) => k !== scope.projectKey) : settings.projects.length > 1;
  if (status.current !== null) return { ...status, analysed: true, otherProjects, control, neverRead: false, tiersOutdated: false };
  const analysed = scope.kind === 'project' ? settings.projects.includes(scope.projectKey) : settings.projects.length > 0;
  // In scope, and no run of its own to show and no run marker (every good run, of the
  // project or of everything, leaves one per project it read): never read. Issues an event
  // stored since the project was added do not count.
  const marker = analysed ? await getRunMarker(scopeKey(scope)) : null;
  const neverRead = scope.kind === 'project' && analysed && (status.last === null || status.last.scope.kind === 'all') && marker === null;
  // The tiers shown are those the last good analysis stored: said when the thresholds have changed since.
  return { ...status, analysed, otherProjects, control, neverRead, tiersOutdated: tiersOutdated(marker, settings) };
}

export async function runStartMethod(payload: Payload<'run.start'>, ctx: CallContext): Promise<ResultOf<'run.start'>> {
  const { scope, viewer } = await authorisedScope(payload.projectKey, ctx);
  const settings = await getSettings();
  await checkRunControl(scope, ctx, settings);
  const trigger = ctx.project !== null ? 'manual' : 'admin';
  const started = await startRun({ scope, trigger, mode: payload.mode ?? 'incremental', startedBy: ctx.accountId }, { settings }).catch(analysisFailure);
  if (!started.joined) {
    await recordAction({
      action: 'run.start',
      actorAccountId: ctx.accountId,
      projectKeys: projectsOf(scope),
      detail: `${started.run.mode === 'full' ? 'every issue' : 'the issues changed since the last run'} of ${scope.kind === 'all' ? 'all projects in scope' : scope.projectKey}`,
    });
  }
  logEvent('run.start', { runId: started.run.runId, scope: scope.kind === 'all' ? 'all' : scope.projectKey, joined: started.joined });
  const [run] = await forViewer([started.run], viewer, () => Promise.resolve(settings));
  return { ...started, run: run ?? started.run };
}

/**
 * A run the caller may see: project runs need browse on that project, "all" runs need admin.
 * With the projects the caller may browse (null for an admin acting on any run).
 */
async function authorisedRun(runId: string, ctx: CallContext): Promise<{ run: RunView; viewer: Viewer | null }> {
  // The admin page's calls are Jira admins' alone, whatever the run: asked before the run is looked up.
  const adminPage = ctx.project === null ? await isJiraAdmin() : null;
  if (adminPage === false) throw forbidden(ADMIN_ONLY);
  const run = await getRun(runId);
  if (!run) throw notFound('That run does not exist (it may have been cleaned up).');
  if (run.scope.kind === 'project' && ctx.project !== null) {
    if (run.scope.projectKey !== ctx.project.key) throw notFound('That run does not exist (it may have been cleaned up).');
    await browsePageProject(ctx.project);
    return { run, viewer: viewerOnce(ctx.project.key) };
  }
  if (!(adminPage ?? (await isJiraAdmin()))) throw forbidden(ADMIN_ONLY);
  return { run, viewer: null };
}

export async function runCancelMethod(payload: Payload<'run.cancel'>, ctx: CallContext): Promise<ResultOf<'run.cancel'>> {
  const { run, viewer } = await authorisedRun(payload.runId, ctx);
  const settings = await getSettings();
  await checkRunControl(run.scope, ctx, settings);
  const cancelled = await cancelRun(run.runId, ctx.accountId);
  if (!cancelled) throw notFound('That run does not exist (it may have been cleaned up).');
  await recordAction({ action: 'run.cancel', actorAccountId: ctx.accountId, projectKeys: projectsOf(run.scope), detail: `the run of ${run.scope.kind === 'all' ? 'all projects in scope' : run.scope.projectKey} → ${cancelled.status}` });
  // A Jira admin cancelling a run of every project from a project page sees it whole, but
  // Jira's own words stay on the admin page, as everywhere else.
  const [shown] = viewer === null && ctx.project !== null ? [cancelled] : await forViewer([cancelled], viewer, () => Promise.resolve(settings));
  return { run: shown ?? cancelled };
}

export async function runListMethod(payload: Payload<'run.list'>, ctx: CallContext): Promise<ResultOf<'run.list'>> {
  const { scope, viewer } = await authorisedScope(payload.projectKey, ctx);
  // An admin looking at everything sees every run, project runs included.
  return { runs: await forViewer(await listRuns(scope.kind === 'all' ? null : scope, payload.limit ?? 20), viewer, settingsOnce()) };
}
