/**
 * plan: check the scope against Jira, count it, split it into fetch chains and start them.
 * Projects and issue types Jira no longer shows the app are left out (src/analysis/scope-check.ts).
 * Every run, incremental ones too, first queues a scope sweep (src/analysis/scope-sweep.ts):
 * stored issues the settings no longer analyse (another project, type, or past the age limit)
 * go without waiting for a full run.
 */
import { approximateCount } from '../jira/search';
import { claimBatch, completeBatch } from '../store/batches';
import { getRunRow, isLive, narrowRunScope, runLeftOut, setRunPlan, transitionRun, type RunRow } from '../store/runs';
import { getRunPlan, saveRunPlan } from '../store/run-plans';
import { scopeKey, scopeProjects } from '../store/scopes';
import { deleteRunMarkers } from '../store/settings';
import type { Settings } from '../shared/contract';
import type { PlanEvent } from './messages';
import { batchNo } from './messages';
import { planChains } from './partition';
import { pushAnalysisEvents } from './queue';
import { runSettings } from './run-settings';
import { checkRunScope, joinLeftOut, leftOutAnything } from './scope-check';
import { scopeJql } from './scope-jql';
import { queueScopeSweep } from './scope-sweep';
import { CONSUMER_JIRA_BUDGET, FETCH_LEASE_MS, type StepContext } from './step-context';

export async function runPlan(ev: PlanEvent, ctx: StepContext): Promise<void> {
  const run = await getRunRow(ev.runId);
  if (!run || !isLive(run.status)) return;
  const claim = await claimBatch(run.id, batchNo.plan, ctx.owner, { takeOver: ctx.retryCount > 0, leaseMs: FETCH_LEASE_MS });
  if (claim !== 'claimed') return;
  // Queued before anything that can fail on Jira: the sweep needs no Jira call.
  await queueScopeSweep('run');

  const settings = await scopeJiraShows(run);
  const projects = scopeProjects(run.scope, settings.projects);
  const jql = scopeJql(settings, projects, { updatedSinceMs: run.sinceMs });
  const expected = await approximateCount(jql, CONSUMER_JIRA_BUDGET);
  const chains = await chainsOf(run.id, jql, expected, { projects, issueTypes: settings.issueTypes });

  await setRunPlan(run.id, { expected, chains: chains.length });
  if (!(await transitionRun(run.id, ['queued', 'fetching'], 'fetching'))) return; // cancelled meanwhile
  const planned = chains;
  await pushAnalysisEvents(planned.map((chainJql, chain) => ({ kind: 'fetch', runId: run.id, chain, step: 0, jql: chainJql, token: null })));
  await completeBatch(run.id, batchNo.plan, {});
  console.info(`analysis: run ${run.id} planned: ~${expected ?? '?'} issues in ${chains.length} chain(s)`);
}

/**
 * The run's fetch chains. A redelivered plan reuses the chains a delivery before it saved, and
 * may already have pushed (src/store/run-plans.ts): new slices computed from changed counts
 * could leave a gap between the two plans'. But when it reads less than that delivery did (Jira
 * stopped showing the app a project or an issue type in between, and `scopeJiraShows` left it
 * out), the saved chains still name it, and Jira would reject each of their searches. Every
 * chain is the scope's JQL (`base`) and a created slice, so the slices are kept and the
 * narrowed scope's JQL is put in front of them, saved before they are pushed: a further
 * delivery finds them as they were pushed. Plans saved before the base was kept are pushed as
 * they are.
 */
async function chainsOf(runId: string, base: string, expected: number | null, scope: { projects: string[]; issueTypes: string[] }): Promise<string[]> {
  const saved = await getRunPlan(runId);
  if (saved === null) {
    const chains = await planChains(base, expected, CONSUMER_JIRA_BUDGET);
    await saveRunPlan(runId, { chains, base, ...scope });
    return chains;
  }
  const savedBase = saved.base;
  if (savedBase === undefined || (sameList(saved.projects, scope.projects) && sameList(saved.issueTypes, scope.issueTypes))) return saved.chains;
  const chains = saved.chains.map((chain) => base + chain.slice(savedBase.length));
  await saveRunPlan(runId, { chains, base, ...scope });
  console.warn(`analysis: run ${runId} planned again without what Jira no longer shows the app: ${chains.length} chain(s) narrowed to ${scope.projects.length} project(s)`);
  return chains;
}

function sameList(a: string[] | undefined, b: string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The run's settings without the projects and issue types Jira no longer shows the app: those
 * are left out with a warning in the log and a note for Jira admins (`runs.left_out`), and the
 * run's snapshot is narrowed, so every later step reads as if it had started so. A project
 * left out loses its run marker, as one taken out of the settings does: its stored issues are
 * no longer kept current (a full run of every project lets go of them), so the next run that
 * reads it reads everything. Throws (the run fails, naming what is missing) when nothing is
 * left to read.
 */
async function scopeJiraShows(run: RunRow): Promise<Settings> {
  const saved = runSettings(run);
  const { settings, leftOut } = await checkRunScope(run.scope, saved, CONSUMER_JIRA_BUDGET);
  if (!leftOutAnything(leftOut)) return settings;
  // The markers go first: a redelivered plan reads the snapshot it narrowed and finds nothing
  // more to leave out, so a delete after the narrowing that failed would never be tried again.
  if (leftOut.projects.length > 0) await deleteRunMarkers(leftOut.projects.map((projectKey) => scopeKey({ kind: 'project', projectKey })));
  // A redelivered plan reads the snapshot it narrowed: what it leaves out now adds to the note.
  await narrowRunScope(run.id, settings, joinLeftOut((await runLeftOut(run.id)) ?? { projects: [], issueTypes: [] }, leftOut));
  console.warn(
    `analysis: run ${run.id} left out what Jira no longer shows the app: ${leftOut.projects.length} project(s) [${leftOut.projects.join(', ')}], ${leftOut.issueTypes.length} issue type(s)`,
  );
  return settings;
}
