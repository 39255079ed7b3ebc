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
import type { Settings, Tier } from '../shared/contract';
import type { RunRow } from '../store/runs';
import { clearScoredIfWrittenSince, deleteDocs, docIdsChangedSince, forgetTextHashes, getDoc, getDocStates, getScopeDocsByIds, markProjectsScored, markScored, missingDocIds, streamScopeDocs, unscoredDocIds, upsertDocs, type DocState, type ScopeDoc } from '../store/docs';
import { deletedAmong } from '../store/deleted-issues';
import { forgetFormerKeys } from '../store/former-keys';
import { comparedProjects } from '../store/scopes';
import { activePairScoresOf, storedScore, deactivateIssuePairsNotSeen, deactivateUnseen, deletePairsOfIssues, pairId, retirePairsOfIssues, upsertPairs, type PairWrite } from '../store/pairs';
import { buildDoc } from './doc-builder';
import { followLinkChanges, followLinksOfNewPairs } from './jira-links';
import type { ForgetOptions, IncrementalOutcome, IssueAnalysis, IssueChange, RunFinish } from './issue-analysis';
import { capPairs, RELATED_PER_ISSUE } from './pair-cap';
import { engineConfigFromSettings, indexDocs, loadFocusedIndex, loadScopeIndex, pairAcceptor, pairReasons } from './scope-index';
import { tierFor, withWorkTiers } from './other-work';
import { RESCORE_IDS_PER_EVENT, type RescoreEvent } from './messages';
import { pushAnalysisEvents } from './queue';
import { SurfaceWords } from './surface-words';

/**
 * Issues changed during a run's last step that it scores again at its end, at most: each
 * reads its scope's stored terms once more, so a longer list is handed on to `rescore` queue
 * events (RESCORE_IDS_PER_EVENT issues each) rather than keep the worker past its time.
 */
const RESCORE_AFTER_RUN_MAX = 50;
/**
 * Changed issues a run's last step hands on, at most (ids only; a bulk edit in Jira changes at
 * most 1,000 issues at once). Past it, the rest keep the pairs the run wrote until their next
 * event or run, and a warning says so.
 */
const RESCORE_HANDED_ON_MAX = 20_000;
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
  rescoreIssues,
};

async function storeIssues(issues: readonly JiraIssue[], _run: RunRow, readMs: number): Promise<void> {
  const stored = await getDocStates(issues.map((i) => i.id));
  // One extractor for the page: it memoises stems, the slow step.
  const extractor = new TermExtractor();
  const docs = issues.map((i) => buildDoc(i, stored.get(i.id)?.hash, extractor));
  // Duplicate links made or removed in Jira since these issues were last read, followed
  // before the documents store the links they now have: a step that fails in between is
  // delivered again and finds the same change to follow. A read older than the stored row
  // (an issue event overtook this page, or the app made or removed a link since the page was
  // read) says nothing new.
  const current = docs.filter((d) => !olderThanStored(d.updatedMs, stored.get(d.id)) && !linksOlderThanStored(readMs, stored.get(d.id)));
  await followLinkChanges(current.map((d) => ({ id: d.id, before: stored.get(d.id)?.dupLinks, now: d.dupLinks ?? [] })));
  await upsertDocs(docs, Date.now(), readMs, stored);
}

/** Whether Jira's `updated` of a read is older than the stored row's (upsertDocs keeps the row then). */
function olderThanStored(readUpdatedMs: number, stored: DocState | undefined): boolean {
  return stored !== undefined && readUpdatedMs > 0 && readUpdatedMs < stored.updatedMs;
}

/**
 * Whether a read begun at `readMs` is older than the stored Duplicate links (`links_ms`: a
 * later read stored them, or the app made or removed a link since): upsertDocs keeps them
 * then, and what the read found is no change. Removing a link need not move Jira's `updated`,
 * so olderThanStored does not tell: a run's page read just before an Unlink used to confirm
 * the pair again as linked in Jira.
 */
function linksOlderThanStored(readMs: number, stored: DocState | undefined): boolean {
  return stored !== undefined && readMs < stored.linksMs;
}

/**
 * The document goes first, then its pairs: a run or another issue's update that loaded the
 * document earlier may still write pairs with it, and each of those checks afterwards that
 * its pairs' documents exist (`dropPairsOfVanishedDocs`). Whichever comes last removes them.
 */
async function forgetIssues(ids: readonly string[], opts: ForgetOptions = {}): Promise<number> {
  const list = [...ids];
  const held = await deleteDocs(list);
  // Decisions outlive a stay out of scope; an issue deleted in Jira takes them with it, and
  // the keys it had before a move (an issue that left scope may come back: its former keys
  // stay until retention finds no history entry old enough to name them).
  if (opts.deleted === true) {
    await deletePairsOfIssues(list);
    await forgetFormerKeys(list);
  } else await retirePairsOfIssues(list);
  return held;
}

/**
 * After writing pairs computed from documents loaded earlier: pairs of documents forgotten
 * meanwhile (`forgetIssues` ran between the load and the write) are forgotten again, as that
 * did: deleted with their decisions for an issue deleted in Jira, retired for one that left
 * scope (the write made its decided pairs active again; deleting them lost the decisions).
 */
export async function dropPairsOfVanishedDocs(ids: Iterable<string>): Promise<string[]> {
  const missing = await missingDocIds([...new Set(ids)]);
  if (missing.length === 0) return missing;
  const deleted = new Set(await deletedAmong(missing));
  await deletePairsOfIssues(missing.filter((id) => deleted.has(id)));
  await retirePairsOfIssues(missing.filter((id) => !deleted.has(id)));
  return missing;
}

/**
 * A run's last step for one group of projects scored together: every stored document of
 * `loadProjects` indexed, all pairs at or above the related threshold found (those touching
 * `focus` when given), capped and upserted in pair-id order with their reasons and clusters.
 * `before` is what the groups before this one did, for the progress shown. Null when the run
 * was cancelled meanwhile.
 */
async function scoreGroup(
  f: RunFinish,
  loadProjects: string[],
  focus: Set<string> | undefined,
  lap: (name: string) => void,
  before: { indexed: number; written: number },
): Promise<{ indexed: number; written: number; endpoints: string[] } | null> {
  const { run, settings } = f;
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
  await f.progress({ scored: before.indexed });
  lap('load');

  // Pairs whose summaries name different versions, branches or issue keys are at most related
  // (other-work.ts), before the related cap and the clusters count them.
  const keys = new Set(settings.projects);
  const scored = index.allPairs({ minScore: settings.thresholds.related, accept: pairAcceptor(settings, docs, focus) });
  const found = capPairs(withWorkTiers(scored, (id) => docs.get(id)?.summary, keys));
  const clusterOf = new Map<string, string>();
  for (const c of buildClusters(found)) for (const m of c.members) clusterOf.set(m, c.id);
  await f.progress({ scored: before.indexed + indexed });
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
  for (let i = 0; i < byId.length; i += WRITE_CHUNK) {
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
    lap('reasons');
    if (inFlight) await inFlight;
    lap('sqlWait');
    if (!(await f.stillLive())) return null;
    await f.progress({ scored: before.indexed + indexed, pairs: before.written + written });
    inFlight = upsertPairs(chunk, run.id, f.startedMs);
    written += chunk.length;
  }
  if (inFlight) await inFlight;
  lap('sqlWait');
  const endpoints: string[] = [];
  for (const p of byId) endpoints.push(p.a, p.b);
  return { indexed, written, endpoints };
}

async function finishRun(f: RunFinish): Promise<{ scored: number; pairs: number } | null> {
  const { run, settings, projects } = f;
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (name: string): void => {
    const now = Date.now();
    timings[name] = (timings[name] ?? 0) + now - mark;
    mark = now;
  };

  // A project run with cross-project suggestions scores its project against every analysed
  // project, keeping only pairs that touch it. Without them, each project is scored on its
  // own, in a run of everything too: a pair's score then rests on its own project's words,
  // as a project run and an issue event score it (one index of every project would weigh
  // words by how common they are in all of them, and the same pair would score differently
  // after each kind of run).
  const cross = run.scope.kind === 'project' && settings.crossProject;
  // The run panel counts these to show how many issues are compared (store/runs.ts).
  const loadProjects = comparedProjects(run.scope, settings);
  const groups = settings.crossProject ? [loadProjects] : projects.map((p) => [p]);
  const focus = cross ? new Set(projects) : undefined;
  // Documents written after this (issue events) were loaded as they were before: see below.
  const loadedMs = Date.now();
  let indexed = 0;
  let written = 0;
  const endpoints = new Set<string>();
  for (const group of groups) {
    const done = await scoreGroup(f, group, focus, lap, { indexed, written });
    if (done === null) return null; // cancelled: stop writing
    indexed += done.indexed;
    written += done.written;
    for (const id of done.endpoints) endpoints.add(id);
  }
  // An issue deleted or taken out of scope while this step ran (its event removed the
  // document, then its pairs) may have been written again above: its pairs go again.
  const vanished = await dropPairsOfVanishedDocs(endpoints);
  if (vanished.length > 0) console.info(`analysis: run ${run.id}: pairs of ${vanished.length} issue(s) deleted or out of scope during scoring removed again`);
  // An issue changed while this step ran (its event stored the new text and its pairs after
  // the documents were loaded) has just had pairs of its old text written again: it is scored
  // once more, from what is stored now. Whichever comes last, the event or this, is right.
  // Past RESCORE_AFTER_RUN_MAX they are handed on to queue events, below.
  const changed = await docIdsChangedSince(loadProjects, loadedMs, RESCORE_HANDED_ON_MAX + 1);
  const many = changed.length > RESCORE_AFTER_RUN_MAX;
  if (!many && changed.length > 0) {
    const stored = await getScopeDocsByIds(changed);
    for (const d of stored.values()) await rescoreIssue({ id: d.id, projectKey: d.projectKey, terms: d.terms }, settings);
    console.info(`analysis: run ${run.id}: ${stored.size} issue(s) changed while it scored, scored again`);
  }

  // New pairs whose issues Jira already links as duplicates (docs.dup_links, read with every issue).
  const linkedInJira = await followLinksOfNewPairs(run.id);
  if (linkedInJira > 0) console.info(`analysis: run ${run.id}: ${linkedInJira} new pair(s) confirmed as linked in Jira`);
  if (run.scope.kind === 'all') await deactivateUnseen(null, 'both', f.startedMs);
  // Every unseen pair touching the project goes: with suggestions across projects off, one
  // with an issue of another project is no longer wanted (a run with them on made it).
  else await deactivateUnseen(projects, 'either', f.startedMs);
  lap('write');
  // Documents written since the load are left to what wrote them (their events, and scored
  // again above or below): one whose event failed half-way stays unscored, so its next
  // delivery scores it.
  await markProjectsScored(projects, f.startedMs, loadedMs);
  if (many) await handOnChanged(run.id, changed.slice(0, RESCORE_HANDED_ON_MAX), loadedMs);
  if (changed.length > RESCORE_HANDED_ON_MAX) {
    console.warn(`analysis: run ${run.id}: over ${RESCORE_HANDED_ON_MAX} issues changed while it scored; the rest are put right by their next event or run`);
  }
  const took = Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(', ');
  console.info(`analysis: run ${run.id}: duplicates: ${indexed} issues, ${written} pairs (${took})`);
  return { scored: indexed, pairs: written };
}

/**
 * Too many issues changed while a run's last step ran for it to score them again itself: the
 * pairs of their old text it just wrote stay until they are scored again. They lose their
 * `scored_ms` (their panels say their suggestions are being computed, and their next event
 * scores them whatever it changes), and `rescore` events score them from what is stored, a
 * few at a time. A delivery of the step again hands them on again; a `rescore` delivered
 * again finds them scored and does nothing.
 */
async function handOnChanged(runId: string, ids: string[], loadedMs: number): Promise<void> {
  await clearScoredIfWrittenSince(ids, loadedMs);
  const events: RescoreEvent[] = [];
  for (let i = 0; i < ids.length; i += RESCORE_IDS_PER_EVENT) {
    events.push({ kind: 'rescore', runId, analysis: duplicatesAnalysis.name, ids: ids.slice(i, i + RESCORE_IDS_PER_EVENT) });
  }
  await pushAnalysisEvents(events);
  console.info(`analysis: run ${runId}: ${ids.length} issue(s) changed while it scored, handed on to be scored again (${events.length} event(s))`);
}

/** A `rescore` event: those of `ids` still unscored, in an analysed project, scored again from what is stored. */
async function rescoreIssues(ids: readonly string[], settings: Settings): Promise<number> {
  const waiting = await unscoredDocIds([...ids]);
  if (waiting.length === 0) return 0;
  const stored = await getScopeDocsByIds(waiting);
  let scored = 0;
  for (const d of stored.values()) {
    if (!settings.projects.includes(d.projectKey)) continue;
    await rescoreIssue({ id: d.id, projectKey: d.projectKey, terms: d.terms }, settings);
    scored++;
  }
  return scored;
}

async function issueChanged({ issue, settings, linkedBy, readMs }: IssueChange): Promise<IncrementalOutcome> {
  const before = (await getDocStates([issue.id])).get(issue.id);
  const doc = buildDoc(issue, before?.hash);
  // A read older than the stored row (another event overtook this one) changes nothing.
  const stale = olderThanStored(doc.updatedMs, before);
  // A Duplicate link made or removed in Jira since the issue was last read (followed before the
  // document stores the links, as in storeIssues), unless the stored links are newer.
  if (!stale && !linksOlderThanStored(readMs, before)) {
    await followLinkChanges([{ id: issue.id, before: before?.dupLinks, now: doc.dupLinks ?? [] }], Date.now(), linkedBy ?? null);
  }
  await upsertDocs([doc], Date.now(), readMs, before === undefined ? new Map() : new Map([[issue.id, before]]));
  if (doc.terms === null || stale) {
    const stored = await getDoc(issue.id);
    if (stored?.scoredMs !== null && stored?.scoredMs !== undefined) return 'unchanged';
  }

  // The issue as it is now: as just written, or as stored when its text did not change (or
  // this read was the older one).
  const stored = doc.terms === null || stale ? (await getScopeDocsByIds([issue.id])).get(issue.id) : undefined;
  const ownTerms = (stale ? null : doc.terms) ?? stored?.terms ?? '';
  const projectKey = stale ? (stored?.projectKey ?? issue.fields.project.key) : issue.fields.project.key;
  const pairs = await rescoreIssue({ id: issue.id, projectKey, terms: ownTerms }, settings);
  console.info(`analysis: issue ${issue.key} re-scored incrementally: ${pairs} pair(s)`);
  return 'indexed';
}

/**
 * Scores one stored issue against its scope and stores its pairs; its other pairs are hidden
 * (confirmed ones excepted). `terms` are the issue's own (as written now, or as stored). An
 * index of only the documents that can reach the related threshold against it gives the
 * scores the whole scope's index would give them. The pairs kept are those a run would keep
 * (src/analysis/pair-cap.ts): every duplicate, and a related pair when it is among the
 * RELATED_PER_ISSUE best pairs of this issue or of the other one (that one's stored active
 * pairs tell; its best are always stored). Returns how many pairs were written.
 */
async function rescoreIssue(issue: { id: string; projectKey: string; terms: string }, settings: Settings): Promise<number> {
  const project = issue.projectKey;
  const projects = settings.crossProject ? settings.projects : [project];
  const about = issue.terms === '' ? null : safeDecode(issue.id, issue.terms);
  const { index, docs } = about
    ? await loadFocusedIndex(projects, settings, about, settings.thresholds.related, [issue.id])
    : await loadScopeIndex(projects, settings, { termsOnly: true });
  const now = Date.now();
  const pairs: PairWrite[] = [];
  const neighbours = index.has(issue.id)
    ? index.neighbours(issue.id, INCREMENTAL_NEIGHBOURS, {
        minScore: settings.thresholds.related,
        accept: (other) => settings.crossProject || docs.get(other)?.projectKey === project,
      })
    : [];
  // Summaries and words only for the issue and its neighbours (reasons need them).
  const named = neighbours.length > 0 ? await getScopeDocsByIds([issue.id, ...neighbours.map((n) => n.id)]) : new Map<string, ScopeDoc>();
  const self = named.get(issue.id);
  if (self) {
    const projectKeys = new Set(settings.projects);
    const candidates: Array<{ other: ScopeDoc; score: number; tier: Tier; pastOwnBest: boolean }> = [];
    let rank = 0; // this issue's pairs before this one, of either tier (as capPairs counts)
    for (const n of neighbours) {
      const other = named.get(n.id);
      if (!other || n.tier === null) continue;
      const tier = tierFor(n.tier, self.summary, other.summary, projectKeys);
      candidates.push({ other, score: n.score, tier, pastOwnBest: tier === 'related' && rank >= RELATED_PER_ISSUE });
      rank++;
    }
    // A related pair past this issue's best few is still kept when the other issue has fewer
    // than that many better pairs of its own (not counting this one).
    const beyond = candidates.filter((c) => c.pastOwnBest).map((c) => c.other.id);
    const theirs = beyond.length > 0 ? await activePairScoresOf(beyond) : new Map<string, Array<{ other: string; score: number }>>();
    const words = new SurfaceWords();
    for (const c of candidates) {
      if (c.pastOwnBest) {
        const stored = storedScore(c.score);
        const better = (theirs.get(c.other.id) ?? []).filter((p) => p.other !== issue.id && p.score > stored).length;
        if (better >= RELATED_PER_ISSUE) continue;
      }
      pairs.push({
        a: issue.id,
        b: c.other.id,
        projectA: project,
        projectB: c.other.projectKey,
        score: c.score,
        tier: c.tier,
        reasons: pairReasons(index, self, c.other, words),
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
  return pairs.length;
}

/** Stored terms as DocTerms, or null when they do not decode (then the whole scope is indexed, which skips them too). */
function safeDecode(id: string, terms: string): DocTerms | null {
  try {
    return decodeTerms(id, terms);
  } catch {
    return null;
  }
}
