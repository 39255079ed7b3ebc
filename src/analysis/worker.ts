/**
 * The `analysis` queue consumer (function key analysis-worker, 900 s). Dispatches plan /
 * fetch / score events (and `rescore`, issues a run's last step handed on) and decides what a
 * failure means:
 * - Jira 429 with a long Retry-After → `InvocationError{retryAfter}`: the platform redelivers
 *   the same event later, and the step's batch claim lets it take over; a 5xx, a timeout or a
 *   network failure likewise, a few times (for at least a 5xx's Retry-After); while the wait
 *   lasts, the run says it is waiting for Jira, and why (`markRunWaiting`);
 * - Jira errors after the client's bounded retries, bad settings → the run fails with a
 *   sentence a person can act on (no point burning retries);
 * - anything else (SQL hiccups, crashes) → thrown, so the platform retries; after a few
 *   retries the run fails instead of hanging (stale detection catches lost events).
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { JiraError } from '../jira/errors';
import { getRunRow, LIVE_STATUSES, markRunWaiting, transitionRun } from '../store/runs';
import { scopeProjects } from '../store/scopes';
import { getSettings } from '../store/settings';
import { AnalysisError } from './analysis-error';
import { ANALYSES } from './analyses';
import { logReason, runFailure, type Phase } from './failure';
import type { IssueAnalysis } from './issue-analysis';
import { analysisEventSchema, type AnalysisEvent, type RescoreEvent, type SweepEvent } from './messages';
import { runFetch } from './fetch-step';
import { pushAnalysisEvents } from './queue';
import { runPlan } from './plan-step';
import { runScore } from './score-step';
import { runSweep } from './scope-sweep';
import { logRunFailure } from './run-log';
import { runSettings, scopeLabel } from './run-settings';
import { jiraWaitReason, TRANSIENT_FIRST_WAIT_S, type StepContext } from './step-context';

/** Platform retries allowed for unexpected errors before the run is failed. */
export const MAX_UNEXPECTED_RETRIES = 3;

/**
 * Redeliveries the platform makes of an event that asks for a retry (Forge: at most 4); an
 * `InvocationError` returned on the last one would be dropped with the step, and the run
 * with it, so a rate limit that outlasts them pushes the step again instead.
 */
export const PLATFORM_REDELIVERIES = 4;
/** Times a step is pushed again for a rate limit before the run fails: about 35 waits in all. */
export const MAX_THROTTLED_REQUEUES = 6;

/**
 * Jira failing for a while (5xx, no answer) after the client's own retries: the step is handed
 * back to the queue this many times, waiting longer each time (20 s, 40 s, 80 s, 160 s: about
 * five minutes in all; longer when a 5xx's Retry-After asks more, up to the platform's 900 s),
 * before the run fails. A burst of errors of a few seconds no longer costs the whole analysis.
 */
export const TRANSIENT_REDELIVERIES = PLATFORM_REDELIVERIES;

const deliverySchema = z.object({
  body: z.unknown(),
  eventId: z.string().optional(),
  jobId: z.string().optional(),
  retryContext: z.object({ retryCount: z.number() }).partial().optional(),
});

/** The consumer, feeding `analyses` (tests add their own beside the app's). */
export function analysisWorkerFor(analyses: readonly IssueAnalysis[]): (event: unknown) => Promise<InvocationError | undefined> {
  return (event) => consume(event, analyses);
}

export const analysisWorker = analysisWorkerFor(ANALYSES);

async function consume(event: unknown, analyses: readonly IssueAnalysis[]): Promise<InvocationError | undefined> {
  const delivery = deliverySchema.safeParse(event);
  const body = delivery.success ? analysisEventSchema.safeParse(delivery.data.body) : null;
  if (!delivery.success || !body || !body.success) {
    console.warn('analysis: dropped a queue event whose body is not an analysis event');
    return undefined;
  }
  const ev = body.data;
  const platformRetries = delivery.data.retryContext?.retryCount ?? 0;
  const ctx: StepContext = {
    owner: delivery.data.eventId ?? `${delivery.data.jobId ?? 'job'}:${ev.kind}`,
    // A step pushed again after a rate limit is a new event: it takes its batch over as a redelivery would.
    retryCount: Math.max(platformRetries, ev.kind !== 'rescore' && ev.kind !== 'sweep' && ev.throttled !== undefined ? 1 : 0),
    analyses,
  };
  if (ev.kind === 'rescore') return runRescore(ev, ctx);
  if (ev.kind === 'sweep') return runSweepPage(ev, ctx);
  try {
    await dispatch(ev, ctx);
    return undefined;
  } catch (err) {
    return handleFailure(ev, ctx, err, platformRetries);
  }
}

/**
 * Issues changed while a run's last step ran, which it handed on rather than score again
 * itself (too many). Not a step of the run: the run may be over, and nothing of it is failed
 * here. A failure is retried by the platform a few times; after that the issues stay
 * unscored, and their next event or run scores them.
 */
async function runRescore(ev: RescoreEvent, ctx: StepContext): Promise<undefined> {
  const analysis = ctx.analyses.find((a) => a.name === ev.analysis);
  if (analysis?.rescoreIssues === undefined) {
    console.warn(`analysis: dropped a rescore event for "${ev.analysis}", which scores no issues again`);
    return undefined;
  }
  try {
    const scored = await analysis.rescoreIssues(ev.ids, await getSettings());
    if (scored > 0) console.info(`analysis: run ${ev.runId}: ${scored} issue(s) changed while it scored, scored again`);
  } catch (err) {
    console.warn(`analysis: run ${ev.runId} rescore of ${ev.ids.length} issue(s) failed (retry ${ctx.retryCount}): ${logReason(err)}`);
    if (ctx.retryCount < MAX_UNEXPECTED_RETRIES) throw err;
  }
  return undefined;
}

/**
 * A page of the scope sweep (src/analysis/scope-sweep.ts). Not a step of a run: nothing is
 * failed here. A failure is retried by the platform a few times (every delivery is safe to
 * repeat); after that the rest of the sweep is left to the next one, which every run starts.
 */
async function runSweepPage(ev: SweepEvent, ctx: StepContext): Promise<undefined> {
  try {
    await runSweep(ev, ctx.analyses);
  } catch (err) {
    console.warn(`analysis: scope sweep page after "${ev.after}" failed (retry ${ctx.retryCount}): ${logReason(err)}`);
    if (ctx.retryCount < MAX_UNEXPECTED_RETRIES) throw err;
  }
  return undefined;
}

async function dispatch(ev: Exclude<AnalysisEvent, RescoreEvent | SweepEvent>, ctx: StepContext): Promise<void> {
  switch (ev.kind) {
    case 'plan':
      return runPlan(ev, ctx);
    case 'fetch':
      return runFetch(ev, ctx);
    case 'score':
      return runScore(ev, ctx);
  }
}

async function handleFailure(ev: Exclude<AnalysisEvent, RescoreEvent | SweepEvent>, ctx: StepContext, err: unknown, platformRetries: number): Promise<InvocationError | undefined> {
  const phase: Phase = ev.kind;
  console.warn(`analysis: run ${ev.runId} ${phase} failed (retry ${ctx.retryCount}): ${logReason(err)}`);
  if (err instanceof JiraError && err.code === 'RATE_LIMITED') {
    const retryAfter = Math.min(900, Math.max(1, Math.ceil(err.retryAfterSeconds ?? 30)));
    const throttled = (ev.throttled ?? 0) + (platformRetries >= PLATFORM_REDELIVERIES ? 1 : 0);
    if (throttled <= MAX_THROTTLED_REQUEUES) {
      // The page says the run waits for Jira, and stale detection counts from the end of the wait.
      await markRunWaiting(ev.runId, Date.now() + retryAfter * 1000, 'asked');
      // Redelivered by the platform while it still will; after its last redelivery, pushed again.
      if (platformRetries < PLATFORM_REDELIVERIES) return new InvocationError({ retryAfter, retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED });
      await pushAnalysisEvents([{ ...ev, throttled }], retryAfter);
      console.warn(`analysis: run ${ev.runId} ${phase} pushed again after Jira's rate limit outlasted the redeliveries (${throttled})`);
      return undefined;
    }
  }
  // Any other transient failure (5xx, timeout, network; a rate limit was handled above),
  // waited at least as long as Jira asked (a 503 with Retry-After).
  if (err instanceof JiraError && err.transient && err.code !== 'RATE_LIMITED' && platformRetries < TRANSIENT_REDELIVERIES) {
    const retryAfter = Math.min(900, Math.max(TRANSIENT_FIRST_WAIT_S * 2 ** platformRetries, Math.ceil(err.retryAfterSeconds ?? 0)));
    console.warn(`analysis: run ${ev.runId} ${phase} handed back for ${retryAfter} s: Jira failed (${err.code})`);
    // The page says the run waits, and why: Jira asked for the wait (Retry-After on a 5xx), as
    // for a 429, or it answered with errors, or did not answer. Stale detection counts from its end.
    await markRunWaiting(ev.runId, Date.now() + retryAfter * 1000, jiraWaitReason(err));
    return new InvocationError({ retryAfter, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
  const final = err instanceof JiraError || err instanceof AnalysisError || ctx.retryCount >= MAX_UNEXPECTED_RETRIES;
  if (!final) throw err;
  await failRun(ev.runId, err, phase);
  return undefined;
}

async function failRun(runId: string, err: unknown, phase: Phase): Promise<void> {
  const run = await getRunRow(runId);
  if (!run) return;
  // A run of every project is also shown on each project's page, to people who may not browse
  // every project in scope: its message names none of them (Jira admins know the scope).
  let scope = run.scope.kind === 'project' ? run.scope.projectKey : 'the projects in scope';
  let jqlFilter = true;
  try {
    const settings = runSettings(run);
    if (run.scope.kind === 'project') scope = scopeLabel(scopeProjects(run.scope, settings.projects));
    jqlFilter = settings.jqlFilter.trim() !== '';
  } catch {
    // keep the plain label
  }
  const { message, detail } = runFailure(err, phase, scope, { jqlFilter });
  const moved = await transitionRun(runId, LIVE_STATUSES, 'failed', { error: message, errorDetail: detail, finished: true });
  if (!moved) return;
  console.warn(`analysis: run ${runId} failed in ${phase}: ${logReason(err)}`);
  // The history is read on project pages too: the sentence for everyone, never Jira's words.
  await logRunFailure(run, message);
}
