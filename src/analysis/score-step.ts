/**
 * score: the last step of a run (the queue event keeps its name). In a full run, issues of
 * the scope that Jira no longer returned are forgotten first by every analysis. Then each
 * analysis makes its whole-scope results (`finishRun`: for duplicates, every pair at or
 * above the related threshold), and the run is finished.
 *
 * One event does it all: 20,000 issues take seconds of CPU, far inside the consumer's
 * 900 s. A redelivery redoes it from the start (every write is an idempotent upsert), or,
 * when the batch was done before the delivery failed, only what follows it (`endRun`).
 */
import { claimBatch, completeBatch, recordBatchProgress, sumIndexed, type RunCounters } from '../store/batches';
import { countDocsSeenSince, docIdsOutsideProjects, unseenDocIds } from '../store/docs';
import { getRunRow, isLive, touchRun, transitionRun, type RunRow } from '../store/runs';
import { deleteRunPlan } from '../store/run-plans';
import { scopeKey, scopeProjects } from '../store/scopes';
import { deleteRunMarkers, getSettings, setRunMarker } from '../store/settings';
import type { Settings } from '../shared/contract';
import { fetchScopeOf } from '../shared/fetch-scope';
import { forgetIssues } from './analyses';
import { fetchingDone } from './fetch-step';
import type { RunFinish } from './issue-analysis';
import { batchNo, type ScoreEvent } from './messages';
import { runSettings } from './run-settings';
import { SCORE_LEASE_MS, type StepContext } from './step-context';

export async function runScore(ev: ScoreEvent, ctx: StepContext): Promise<void> {
  const run = await getRunRow(ev.runId);
  if (!run || !isLive(run.status)) return;
  // Fetch steps push `score` once fetching is done; should it arrive earlier all the same (a
  // push from an older deployment), the fetch step that finishes last pushes it again.
  if (!(await fetchingDone(run.id))) {
    console.warn(`analysis: run ${run.id}: score deferred, fetching is not done`);
    return;
  }
  const claim = await claimBatch(run.id, batchNo.score, ctx.owner, { takeOver: ctx.retryCount > 0, leaseMs: SCORE_LEASE_MS });
  // Done by a delivery that failed after it (the run is still live): do what that one left.
  if (claim === 'done') {
    if (await endRun(run)) console.info(`analysis: run ${run.id} done (its score batch was done by an earlier delivery)`);
    return;
  }
  if (claim !== 'claimed') return;
  if (!(await transitionRun(run.id, ['queued', 'fetching', 'scoring'], 'scoring'))) return;

  const settings = runSettings(run);
  const projects = scopeProjects(run.scope, settings.projects);
  const startedMs = Date.now();
  if (run.mode === 'full') await sweepUnseen(run, settings, projects, ctx);
  const sweepMs = Date.now() - startedMs;

  const counters: Partial<RunCounters> = { indexed: await indexedCorrection(run, projects) };
  const finish: RunFinish = {
    run,
    settings,
    projects,
    startedMs,
    progress: async (c) => {
      await recordBatchProgress(run.id, batchNo.score, { ...counters, ...c });
      await touchRun(run.id);
    },
    stillLive: async () => {
      const current = await getRunRow(run.id);
      return current !== null && isLive(current.status);
    },
  };
  for (const analysis of ctx.analyses) {
    const result = await analysis.finishRun(finish);
    if (result === null) return; // cancelled: the analysis stopped writing
    Object.assign(counters, result);
  }

  await completeBatch(run.id, batchNo.score, counters);
  if (!(await endRun(run))) return;
  console.info(`analysis: run ${run.id} done in ${Date.now() - startedMs} ms (sweep ${sweepMs} ms): ${Object.entries(counters).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

/** Full runs only: what Jira did not return any more is gone (deleted, moved, filtered out). */
async function sweepUnseen(run: RunRow, settings: Settings, projects: string[], ctx: StepContext): Promise<void> {
  const gone = new Set(await unseenDocIds(projects, run.startedMs));
  if (run.scope.kind === 'all') for (const id of await docIdsOutsideProjects(settings.projects)) gone.add(id);
  if (gone.size === 0) return;
  const ids = [...gone];
  await forgetIssues(ctx.analyses, ids);
  console.info(`analysis: run ${run.id} removed ${ids.length} issue(s) no longer in scope`);
}

/**
 * What the score batch adds to the fetch steps' count of issues read and stored (0 or less), so
 * that the run's sum counts each issue once. A step counts its own issues once, but pages that
 * shift while the run reads (issues created or edited meanwhile) serve the last issues of one
 * step's pages again at the start of the next, and the sum counted them twice ("Issues read and
 * stored" above the issues compared). Every issue a step stored was seen at or after the run
 * began, so the stored issues of its projects seen since then are at least the issues it read;
 * the smaller of the two counts is exact unless an issue event stored an issue the run did not
 * read meanwhile, and never more than the steps counted. One indexed count, after the sweep.
 */
async function indexedCorrection(run: RunRow, projects: string[]): Promise<number> {
  const counted = await sumIndexed(run.id, batchNo.fetchPrefix);
  const seen = await countDocsSeenSince(projects, run.startedMs);
  return Math.min(0, seen - counted);
}

/**
 * What follows the score batch: the markers, the run plan, then status `done`, last, so that
 * a delivery failing anywhere here leaves the run `scoring` with its batch done, and the
 * redelivery, whose claim then says `done`, comes here again. Each write is safe to repeat
 * (a marker is the same but for `finishedMs`), and the move to `done` is a compare-and-set:
 * the run is done once. Returns whether this call moved it.
 *
 * A cancel that lands after the batch is done finds every result written: the markers say
 * so (the thresholds the stored tiers were given by, where the next incremental run starts),
 * and the run stays cancelled.
 */
async function endRun(run: RunRow): Promise<boolean> {
  const settings = runSettings(run);
  await recordSuccess(run, settings, scopeProjects(run.scope, settings.projects));
  await deleteRunPlan(run.id);
  return transitionRun(run.id, ['scoring'], 'done', { finished: true });
}

/**
 * The run's marker, and for a run of every project each project's. Not for a project taken
 * out of the settings since the run started: the save that took it out deleted its marker
 * (src/resolvers/methods/admin.ts), so that when it comes back its first run reads every
 * issue, and the run must not write it back. The settings are read before the writes and
 * again after: a save stores the settings first and deletes the markers second, so either
 * its delete comes after our write, or our second read sees its settings and we delete.
 */
async function recordSuccess(run: RunRow, settings: Settings, projects: string[]): Promise<void> {
  const thresholds = { duplicate: settings.thresholds.duplicate, related: settings.thresholds.related };
  const marker = { runId: run.id, mode: run.mode, startedMs: run.startedMs, finishedMs: Date.now(), thresholds };
  const inScope = (await getSettings()).projects;
  const written: string[] = [];
  if (run.scope.kind === 'all' || inScope.includes(run.scope.projectKey)) {
    await setRunMarker(run.scopeKey, { ...marker, fetchScope: fetchScopeOf(settings, projects) });
    if (run.scope.kind === 'project') written.push(run.scope.projectKey);
  }
  // An all-projects run also brings each project up to date.
  if (run.scope.kind === 'all') {
    for (const p of projects.filter((k) => inScope.includes(k))) {
      await setRunMarker(scopeKey({ kind: 'project', projectKey: p }), { ...marker, fetchScope: fetchScopeOf(settings, [p]) });
      written.push(p);
    }
  }
  if (written.length === 0) return;
  const inScopeNow = (await getSettings()).projects;
  const left = written.filter((k) => !inScopeNow.includes(k));
  if (left.length > 0) await deleteRunMarkers(left.map((k) => scopeKey({ kind: 'project', projectKey: k })));
}
