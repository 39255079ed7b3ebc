/**
 * Duplicate detection as an analysis of the scope's issues (see issue-analysis.ts).
 *
 * - A run's pages: each issue's document (metadata, summary, the engine's terms) is upserted
 *   into `docs`; unchanged text (same hash) is not tokenised again.
 * - A run's last step: every stored document of the scope is indexed, all pairs at or above
 *   the related threshold are found, capped and upserted in pair-id order with their reasons
 *   and clusters (decisions untouched), pairs of the scope not found again are hidden.
 * - An issue event: the issue's document is upserted; when its text changed (or it was never
 *   scored), an index of only the documents that can reach the related threshold against
 *   it gives its neighbours, stored as pairs (other issues' pairs wait for the next run).
 */
import { buildClusters, decodeTerms, SimilarityIndex, TermExtractor, type DocTerms } from '../engine';
import type { JiraIssue } from '../jira/issues';
import { deleteDocs, forgetTextHashes, getDoc, getDocStates, getScopeDocsByIds, markProjectsScored, markScored, missingDocIds, streamScopeDocs, upsertDocs, type ScopeDoc } from '../store/docs';
import { deactivateIssuePairsNotSeen, deactivateUnseen, deletePairsOfIssues, pairId, retirePairsOfIssues, upsertPairs, type PairWrite } from '../store/pairs';
import { buildDoc } from './doc-builder';
import { followLinkChanges, followLinksOfNewPairs } from './jira-links';
import type { ForgetOptions, IncrementalOutcome, IssueAnalysis, IssueChange, RunFinish } from './issue-analysis';
import { capPairs, RELATED_PER_ISSUE } from './pair-cap';
import { engineConfigFromSettings, indexDocs, loadFocusedIndex, loadScopeIndex, pairAcceptor, pairReasons } from './scope-index';
import { tierFor, withWorkTiers } from './other-work';
import { SurfaceWords } from './surface-words';

/** Pairs per upsert in a run's last step. */
const WRITE_CHUNK = 2000;
/** Neighbours kept per updated issue (the issue view shows a handful; lists want a few more). */
export const INCREMENTAL_NEIGHBOURS = 50;

export const duplicatesAnalysis: IssueAnalysis = {
  name: 'duplicates',
  storeIssues,
  forgetIssues,
  finishRun,
  issueChanged,
};

async function storeIssues(issues: readonly JiraIssue[]): Promise<void> {
  const stored = await getDocStates(issues.map((i) => i.id));
  // One extractor for the page: it memoises stems, the slow step.
  const extractor = new TermExtractor();
  const docs = issues.map((i) => buildDoc(i, stored.get(i.id)?.hash, extractor));
  await upsertDocs(docs);
  // Duplicate links made or removed in Jira since these issues were last read.
  await followLinkChanges(docs.map((d) => ({ id: d.id, before: stored.get(d.id)?.dupLinks, now: d.dupLinks ?? [] })));
}

/**
 * The document goes first, then its pairs: a run or another issue's update that loaded the
 * document earlier may still write pairs with it, and each of those checks afterwards that
 * its pairs' documents exist (`dropPairsOfVanishedDocs`). Whichever comes last removes them.
 */
async function forgetIssues(ids: readonly string[], opts: ForgetOptions = {}): Promise<number> {
  const list = [...ids];
  const held = await deleteDocs(list);
  // Decisions outlive a stay out of scope; an issue deleted in Jira takes them with it.
  if (opts.deleted === true) await deletePairsOfIssues(list);
  else await retirePairsOfIssues(list);
  return held;
}

/**
 * After writing pairs computed from documents loaded earlier: pairs of documents deleted
 * meanwhile (`forgetIssues` ran between the load and the write) are deleted again.
 */
export async function dropPairsOfVanishedDocs(ids: Iterable<string>): Promise<string[]> {
  const missing = await missingDocIds([...new Set(ids)]);
  if (missing.length > 0) await deletePairsOfIssues(missing);
  return missing;
}

async function finishRun(f: RunFinish): Promise<{ scored: number; pairs: number } | null> {
  const { run, settings, projects } = f;
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (name: string): void => {
    const now = Date.now();
    timings[name] = now - mark;
    mark = now;
  };

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
  await f.progress({ scored: 0 });
  lap('load');

  const focus = cross ? new Set(projects) : undefined;
  // Pairs whose summaries name different versions, branches or issue keys are at most related
  // (other-work.ts), before the related cap and the clusters count them.
  const keys = new Set(settings.projects);
  const scored = index.allPairs({ minScore: settings.thresholds.related, accept: pairAcceptor(settings, docs, focus) });
  const found = capPairs(withWorkTiers(scored, (id) => docs.get(id)?.summary, keys));
  const clusterOf = new Map<string, string>();
  for (const c of buildClusters(found)) for (const m of c.members) clusterOf.set(m, c.id);
  await f.progress({ scored: indexed });
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
    if (!(await f.stillLive())) return null; // cancelled: stop writing
    await f.progress({ scored: indexed, pairs: written });
    inFlight = upsertPairs(chunk, run.id, f.startedMs);
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

  // New pairs whose issues Jira already links as duplicates (docs.dup_links, read with every issue).
  const linkedInJira = await followLinksOfNewPairs(run.id);
  if (linkedInJira > 0) console.info(`analysis: run ${run.id}: ${linkedInJira} new pair(s) confirmed as linked in Jira`);
  if (run.scope.kind === 'all') await deactivateUnseen(null, 'both', f.startedMs);
  // Every unseen pair touching the project goes: with suggestions across projects off, one
  // with an issue of another project is no longer wanted (a run with them on made it).
  else await deactivateUnseen(projects, 'either', f.startedMs);
  lap('write');
  await markProjectsScored(projects, f.startedMs);
  const took = Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(', ');
  console.info(`analysis: run ${run.id}: duplicates: ${indexed} issues, ${written} pairs (${took})`);
  return { scored: indexed, pairs: written };
}

async function issueChanged({ issue, settings, linkedBy }: IssueChange): Promise<IncrementalOutcome> {
  const before = (await getDocStates([issue.id])).get(issue.id);
  const doc = buildDoc(issue, before?.hash);
  await upsertDocs([doc]);
  // A Duplicate link made or removed in Jira since the issue was last read.
  await followLinkChanges([{ id: issue.id, before: before?.dupLinks, now: doc.dupLinks ?? [] }], Date.now(), linkedBy ?? null);
  if (doc.terms === null) {
    const stored = await getDoc(issue.id);
    if (stored?.scoredMs !== null && stored?.scoredMs !== undefined) return 'unchanged';
  }

  const project = issue.fields.project.key;
  const projects = settings.crossProject ? settings.projects : [project];
  // The issue's own terms (as written now, or as stored when its text did not change), then
  // an index of only the documents that can reach the related threshold against it, with
  // the scores the whole scope's index would give them.
  const ownTerms = doc.terms ?? (await getScopeDocsByIds([issue.id])).get(issue.id)?.terms ?? '';
  const about = ownTerms === '' ? null : safeDecode(issue.id, ownTerms);
  const { index, docs } = about
    ? await loadFocusedIndex(projects, settings, about, settings.thresholds.related, [issue.id])
    : await loadScopeIndex(projects, settings, { termsOnly: true });
  const now = Date.now();
  const pairs: PairWrite[] = [];
  if (index.has(issue.id)) {
    const neighbours = index.neighbours(issue.id, INCREMENTAL_NEIGHBOURS, {
      minScore: settings.thresholds.related,
      accept: (other) => settings.crossProject || docs.get(other)?.projectKey === project,
    });
    // Summaries and words only for the issue and its neighbours (reasons need them).
    const named = await getScopeDocsByIds([issue.id, ...neighbours.map((n) => n.id)]);
    const self = named.get(issue.id);
    const words = new SurfaceWords();
    const projectKeys = new Set(settings.projects);
    let related = 0;
    for (const n of neighbours) {
      const other = named.get(n.id);
      if (!self) break;
      if (!other || n.tier === null) continue;
      const tier = tierFor(n.tier, self.summary, other.summary, projectKeys);
      // Same cap as full runs: all duplicates, the best few related (src/analysis/pair-cap.ts).
      if (tier === 'related' && related++ >= RELATED_PER_ISSUE) continue;
      pairs.push({
        a: issue.id,
        b: other.id,
        projectA: project,
        projectB: other.projectKey,
        score: n.score,
        tier,
        reasons: pairReasons(index, self, other, words),
        clusterId: null,
      });
    }
  }
  const marker = `inc-${now.toString(36)}`;
  await upsertPairs(pairs, marker, now, { keepClusters: true });
  await dropPairsOfVanishedDocs([issue.id, ...pairs.map((p) => p.b)]);
  await deactivateIssuePairsNotSeen(issue.id, now);
  await followLinksOfNewPairs(marker, now);
  await markScored([issue.id], now);
  console.info(`analysis: issue ${issue.key} re-scored incrementally: ${pairs.length} pair(s)`);
  return 'indexed';
}

/** Stored terms as DocTerms, or null when they do not decode (then the whole scope is indexed, which skips them too). */
function safeDecode(id: string, terms: string): DocTerms | null {
  try {
    return decodeTerms(id, terms);
  } catch {
    return null;
  }
}
