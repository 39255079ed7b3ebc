/**
 * Analysis runs from the project page (that project) and the admin page (everything in
 * scope, Jira admins only).
 *
 * Who may do what: on a project page the project comes from the Forge context and the user
 * must be able to browse it; without a project page context the caller must be a Jira
 * admin, whatever the payload names.
 */
import { AnalysisError } from '../../analysis/analysis-error';
import { cancelRun, getRun, getRunStatus, listRuns, startRun } from '../../analysis/run-control';
import { isJiraAdmin } from '../../jira/permissions';
import type { Payload, ResultOf, RunScope, RunView } from '../../shared/contract';
import { appendAction } from '../../store/actions';
import { getSettings } from '../../store/settings';
import { ApiFailure, forbidden, notFound } from '../api-failure';
import type { CallContext } from '../call-context';
import { logEvent } from '../log';
import { visibleProjectsFor } from '../visibility';

const ADMIN_ONLY = 'Only Jira admins can run or watch the analysis of every project. Open a project page to analyse one project.';

/** The scope the caller is acting on, after checking they may. */
async function authorisedScope(payloadProjectKey: string | undefined, ctx: CallContext): Promise<RunScope> {
  if (ctx.project !== null) {
    await visibleProjectsFor(ctx.project.key);
    return { kind: 'project', projectKey: ctx.project.key };
  }
  if (!(await isJiraAdmin())) throw forbidden(ADMIN_ONLY);
  return payloadProjectKey !== undefined ? { kind: 'project', projectKey: payloadProjectKey.toUpperCase() } : { kind: 'all' };
}

function analysisFailure(err: unknown): never {
  if (err instanceof AnalysisError) {
    // The pipeline's messages are written for people (what is wrong, where to fix it).
    throw new ApiFailure(err.code === 'RUN_FAILED' ? 'INTERNAL' : 'BAD_REQUEST', err.message);
  }
  throw err;
}

const projectsOf = (scope: RunScope): string[] => (scope.kind === 'project' ? [scope.projectKey] : []);

export async function runStatusMethod(payload: Payload<'run.status'>, ctx: CallContext): Promise<ResultOf<'run.status'>> {
  const scope = await authorisedScope(payload.projectKey, ctx);
  const status = await getRunStatus(scope);
  // Pages poll this every 1.5 s while a run is live, and a run starts only for analysed
  // projects: the settings are read only when none is live, or when the run shown is one of
  // every project (the page then says whether other projects' issues are in its counts).
  const shown = status.current ?? status.last;
  if (status.current !== null && shown?.scope.kind !== 'all') return { ...status, analysed: true, otherProjects: false };
  const settings = await getSettings();
  const otherProjects = scope.kind === 'project' ? settings.projects.some((k) => k !== scope.projectKey) : settings.projects.length > 1;
  if (status.current !== null) return { ...status, analysed: true, otherProjects };
  return { ...status, analysed: scope.kind === 'project' ? settings.projects.includes(scope.projectKey) : settings.projects.length > 0, otherProjects };
}

export async function runStartMethod(payload: Payload<'run.start'>, ctx: CallContext): Promise<ResultOf<'run.start'>> {
  const scope = await authorisedScope(payload.projectKey, ctx);
  const trigger = ctx.project !== null ? 'manual' : 'admin';
  const started = await startRun({ scope, trigger, mode: payload.mode ?? 'incremental', startedBy: ctx.accountId }).catch(analysisFailure);
  if (!started.joined) {
    await appendAction({
      action: 'run.start',
      actorAccountId: ctx.accountId,
      projectKeys: projectsOf(scope),
      detail: `${started.run.mode === 'full' ? 'every issue' : 'the issues changed since the last run'} of ${scope.kind === 'all' ? 'all projects in scope' : scope.projectKey}`,
    });
  }
  logEvent('run.start', { runId: started.run.runId, scope: scope.kind === 'all' ? 'all' : scope.projectKey, joined: started.joined });
  return started;
}

/** A run the caller may see: project runs need browse on that project, "all" runs need admin. */
async function authorisedRun(runId: string, ctx: CallContext): Promise<RunView> {
  const run = await getRun(runId);
  if (!run) throw notFound('That run does not exist (it may have been cleaned up).');
  if (run.scope.kind === 'project' && ctx.project !== null) {
    if (run.scope.projectKey !== ctx.project.key) throw notFound('That run does not exist (it may have been cleaned up).');
    await visibleProjectsFor(ctx.project.key);
    return run;
  }
  if (!(await isJiraAdmin())) throw forbidden(ADMIN_ONLY);
  return run;
}

export async function runCancelMethod(payload: Payload<'run.cancel'>, ctx: CallContext): Promise<ResultOf<'run.cancel'>> {
  const run = await authorisedRun(payload.runId, ctx);
  const cancelled = await cancelRun(run.runId, ctx.accountId);
  if (!cancelled) throw notFound('That run does not exist (it may have been cleaned up).');
  await appendAction({ action: 'run.cancel', actorAccountId: ctx.accountId, projectKeys: projectsOf(run.scope), detail: `the run of ${run.scope.kind === 'all' ? 'all projects in scope' : run.scope.projectKey} → ${cancelled.status}` });
  return { run: cancelled };
}

export async function runListMethod(payload: Payload<'run.list'>, ctx: CallContext): Promise<ResultOf<'run.list'>> {
  const scope = await authorisedScope(payload.projectKey, ctx);
  // An admin looking at everything sees every run, project runs included.
  return { runs: await listRuns(scope.kind === 'all' ? null : scope, payload.limit ?? 20) };
}
