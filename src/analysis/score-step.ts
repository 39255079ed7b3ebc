/**
 * score: the last step of a run. In a full run, documents of the scope that Jira no longer
 * returned are removed first (with their pairs). Then every stored document of the scope is
 * indexed, all pairs at or above the related threshold are found and upserted (decisions
 * untouched), pairs of the scope not found again are hidden, and the run is finished.
 *
 * One event does it all: 20,000 documents take seconds of CPU, far inside the consumer's
 * 900 s. A redelivery redoes it from the start; every write is an idempotent upsert.
 */
import { buildClusters, SimilarityIndex } from '../engine';
import { claimBatch, completeBatch, recordBatchProgress } from '../store/batches';
import { deleteDocs, docIdsOutsideProjects, forgetTextHashes, markProjectsScored, streamScopeDocs, unseenDocIds, type ScopeDoc } from '../store/docs';
import { deactivateUnseen, deletePairsOfIssues, pairId, upsertPairs, type PairWrite } from '../store/pairs';
import { getRunRow, isLive, touchRun, transitionRun, type RunRow } from '../store/runs';
import { deleteRunPlan } from '../store/run-plans';
import { scopeProjects } from '../store/scopes';
import { setRunMarker } from '../store/settings';
import type { Settings } from '../shared/contract';
import { fetchingDone } from './fetch-step';
import { dropPairsOfVanishedDocs } from './incremental';
import { batchNo, type ScoreEvent } from './messages';
import { capPairs } from './pair-cap';
import { runSettings } from './run-settings';
import { engineConfigFromSettings, indexDocs, pairAcceptor, pairReasons } from './scope-index';
import { SCORE_LEASE_MS, type StepContext } from './step-context';
import { SurfaceWords } from './surface-words';

const WRITE_CHUNK = 2000;

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
  if (claim !== 'claimed') return;
  if (!(await transitionRun(run.id, ['queued', 'fetching', 'scoring'], 'scoring'))) return;

  const settings = runSettings(run);
  const projects = scopeProjects(run.scope, settings.projects);
  const scoringStartMs = Date.now();
  const timings: Record<string, number> = {};
  let mark = scoringStartMs;
  const lap = (name: string): void => {
    const now = Date.now();
    timings[name] = now - mark;
    mark = now;
  };

  if (run.mode === 'full') await sweepUnseen(run, settings, projects);
  lap('sweep');

  // A project run with cross-project suggestions scores its project against every analysed
  // project, keeping only pairs that touch it.
  const cross = run.scope.kind === 'project' && settings.crossProject;
  const loadProjects = cross ? settings.projects : projects;
  const docs = new Map<string, ScopeDoc>();
  const index = new SimilarityIndex(engineConfigFromSettings(settings));
  let indexed = 0;
  const unreadable: string[] = [];
  await streamScopeDocs(loadProjects, (page) => {
    indexed += indexDocs(index, page, docs, unreadable);
  });
  // Terms that cannot be read are never repaired by reading them again: forget their text
  // hashes, so the next run that reads those issues from Jira tokenises them afresh.
  if (unreadable.length > 0) {
    await forgetTextHashes(unreadable);
    console.warn(`analysis: run ${run.id}: ${unreadable.length} issue(s) with unreadable stored terms left out; they are read again on the next full run`);
  }
  await recordBatchProgress(run.id, batchNo.score, { scored: 0 });
  lap('load');

  const focus = cross ? new Set(projects) : undefined;
  const found = capPairs(index.allPairs({ minScore: settings.thresholds.related, accept: pairAcceptor(settings, docs, focus) }));
  const clusterOf = new Map<string, string>();
  for (const c of buildClusters(found)) for (const m of c.members) clusterOf.set(m, c.id);
  await recordBatchProgress(run.id, batchNo.score, { scored: indexed });
  lap('pairs');

  // Written in pair-id order, not score order: the pairs table's primary key then grows at
  // its end, so its pages fill up (score order splits pages half-full all over the key
  // range: at 20,000 issues the table's rows took 16.4 MiB against 12.6 MiB rebuilt).
  const byId = found
    .map((p) => ({ p, id: pairId(p.a, p.b) }))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((e) => e.p);
  const words = new SurfaceWords();
  let written = 0;
  // Naming reasons is CPU, the upsert is SQL: build chunk i+1 while chunk i is written.
  let inFlight: Promise<void> | null = null;
  let reasonsMs = 0;
  let waitMs = 0;
  for (let i = 0; i < byId.length; i += WRITE_CHUNK) {
    const reasonsStart = Date.now();
    const chunk: PairWrite[] = [];
    for (const p of byId.slice(i, i + WRITE_CHUNK)) {
      const a = docs.get(p.a);
      const b = docs.get(p.b);
      if (!a || !b) continue;
      const ca = clusterOf.get(p.a) ?? null;
      chunk.push({
        a: p.a,
        b: p.b,
        projectA: a.projectKey,
        projectB: b.projectKey,
        score: p.score,
        tier: p.tier,
        reasons: pairReasons(index, a, b, words),
        clusterId: ca !== null && ca === clusterOf.get(p.b) ? ca : null,
      });
    }
    reasonsMs += Date.now() - reasonsStart;
    const waitStart = Date.now();
    if (inFlight) await inFlight;
    waitMs += Date.now() - waitStart;
    if (!(await stillLive(run.id))) return; // cancelled: stop writing
    await recordBatchProgress(run.id, batchNo.score, { scored: indexed, pairs: written });
    await touchRun(run.id);
    inFlight = upsertPairs(chunk, run.id, scoringStartMs);
    written += chunk.length;
  }
  if (inFlight) await inFlight;
  timings.reasons = reasonsMs;
  timings.sqlWait = waitMs;
  // An issue deleted while this step ran (its event removed the document, then its pairs)
  // may have been written again above: its pairs go again.
  const endpoints = new Set<string>();
  for (const p of byId) {
    endpoints.add(p.a);
    endpoints.add(p.b);
  }
  const vanished = await dropPairsOfVanishedDocs(endpoints);
  if (vanished.length > 0) console.info(`analysis: run ${run.id}: pairs of ${vanished.length} issue(s) deleted during scoring removed again`);

  if (run.scope.kind === 'all') await deactivateUnseen(null, 'both', scoringStartMs);
  else await deactivateUnseen(projects, cross ? 'either' : 'both', scoringStartMs);
  lap('write');
  await markProjectsScored(projects, scoringStartMs);

  await completeBatch(run.id, batchNo.score, { scored: indexed, pairs: written });
  if (!(await transitionRun(run.id, ['scoring'], 'done', { finished: true }))) return;
  await recordSuccess(run, projects);
  await deleteRunPlan(run.id);
  lap('finish');
  const took = Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(', ');
  console.info(`analysis: run ${run.id} done: ${indexed} issues, ${written} pairs (${took})`);
}

/** Full runs only: what Jira did not return any more is gone (deleted, moved, filtered out). */
async function sweepUnseen(run: RunRow, settings: Settings, projects: string[]): Promise<void> {
  const gone = new Set(await unseenDocIds(projects, run.startedMs));
  if (run.scope.kind === 'all') for (const id of await docIdsOutsideProjects(settings.projects)) gone.add(id);
  if (gone.size === 0) return;
  const ids = [...gone];
  await deletePairsOfIssues(ids);
  await deleteDocs(ids);
  console.info(`analysis: run ${run.id} removed ${ids.length} issue(s) no longer in scope`);
}

async function recordSuccess(run: RunRow, projects: string[]): Promise<void> {
  const marker = { runId: run.id, mode: run.mode, startedMs: run.startedMs, finishedMs: Date.now() };
  await setRunMarker(run.scopeKey, marker);
  // An all-projects run also brings each project up to date.
  if (run.scope.kind === 'all') for (const p of projects) await setRunMarker(`project:${p}`, marker);
}

async function stillLive(runId: string): Promise<boolean> {
  const current = await getRunRow(runId);
  return current !== null && isLive(current.status);
}
