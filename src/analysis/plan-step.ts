/** plan: count the scope, split it into fetch chains and start them. */
import { approximateCount } from '../jira/search';
import { claimBatch, completeBatch } from '../store/batches';
import { getRunRow, isLive, setRunPlan, transitionRun } from '../store/runs';
import { getRunPlan, saveRunPlan } from '../store/run-plans';
import { scopeProjects } from '../store/scopes';
import type { PlanEvent } from './messages';
import { batchNo } from './messages';
import { planChains } from './partition';
import { pushAnalysisEvents } from './queue';
import { runSettings } from './run-settings';
import { scopeJql } from './scope-jql';
import { CONSUMER_JIRA_BUDGET, FETCH_LEASE_MS, type StepContext } from './step-context';

export async function runPlan(ev: PlanEvent, ctx: StepContext): Promise<void> {
  const run = await getRunRow(ev.runId);
  if (!run || !isLive(run.status)) return;
  const claim = await claimBatch(run.id, batchNo.plan, ctx.owner, { takeOver: ctx.retryCount > 0, leaseMs: FETCH_LEASE_MS });
  if (claim !== 'claimed') return;

  const settings = runSettings(run);
  const projects = scopeProjects(run.scope, settings.projects);
  const jql = scopeJql(settings, projects, { updatedSinceMs: run.sinceMs });
  const expected = await approximateCount(jql, CONSUMER_JIRA_BUDGET);
  // A redelivered plan reuses the chains it may already have pushed (src/store/run-plans.ts).
  let chains = await getRunPlan(run.id);
  if (!chains) {
    chains = await planChains(jql, expected, CONSUMER_JIRA_BUDGET);
    await saveRunPlan(run.id, chains);
  }

  await setRunPlan(run.id, { expected, chains: chains.length });
  if (!(await transitionRun(run.id, ['queued', 'fetching'], 'fetching'))) return; // cancelled meanwhile
  const planned = chains;
  await pushAnalysisEvents(planned.map((chainJql, chain) => ({ kind: 'fetch', runId: run.id, chain, step: 0, jql: chainJql, token: null })));
  await completeBatch(run.id, batchNo.plan, {});
  console.info(`analysis: run ${run.id} planned: ~${expected ?? '?'} issues in ${chains.length} chain(s)`);
}
