/**
 * Keeping one issue's suggestions current from its Jira events (created / updated /
 * deleted), so the issue view answers from SQL at once.
 *
 * created/updated: fetch the issue asApp (events carry no description), drop it when out of
 * scope, upsert its document, then (only when its text changed or it was never scored)
 * rebuild the scope's index from stored documents and store its neighbours as pairs. Other
 * issues' pairs are left to the next run (IDF moves little with one document).
 * deleted: remember the delete, then remove the document and every pair touching it,
 * decisions included. A created/updated event whose fetch ran before the deletion checks
 * after its own write and removes what it stored (see src/store/deleted-issues.ts).
 */
import { decodeTerms, type DocTerms } from '../engine';
import { JiraError } from '../jira/errors';
import { fetchIssue, parseJiraTime, type JiraIssue } from '../jira/issues';
import { searchPage } from '../jira/search';
import type { Settings } from '../shared/contract';
import { deleteDocs, getDoc, getDocHashes, getScopeDocsByIds, markScored, missingDocIds, upsertDocs } from '../store/docs';
import { deactivateIssuePairsNotSeen, deletePairsOfIssues, upsertPairs, type PairWrite } from '../store/pairs';
import { deletedAmong, recordDeletedIssues } from '../store/deleted-issues';
import { getSettings } from '../store/settings';
import { buildDoc } from './doc-builder';
import { loadFocusedIndex, loadScopeIndex, pairReasons } from './scope-index';
import { jqlString, stripOrderBy } from './scope-jql';
import { RELATED_PER_ISSUE } from './pair-cap';
import { SurfaceWords } from './surface-words';

/** Neighbours kept per updated issue (the issue view shows a handful; lists want a few more). */
export const INCREMENTAL_NEIGHBOURS = 50;

export type IncrementalOutcome = 'indexed' | 'unchanged' | 'removed' | 'ignored' | 'deleted';

export interface IncrementalOptions {
  /** Jira budget: a product-event trigger has 25 s in all. */
  deadlineMs?: number;
  maxWaitSeconds?: number;
  settings?: Settings;
}

/** Whether an issue belongs to the analysed set (settings projects, types, age, JQL filter). */
async function inScope(issue: JiraIssue, settings: Settings, opts: IncrementalOptions): Promise<boolean> {
  if (!settings.projects.includes(issue.fields.project.key)) return false;
  const type = issue.fields.issuetype?.name ?? '';
  if (settings.issueTypes.length > 0 && !settings.issueTypes.includes(type)) return false;
  if (settings.maxAgeDays > 0) {
    const created = parseJiraTime(issue.fields.created);
    if (created > 0 && created < Date.now() - settings.maxAgeDays * 86_400_000) return false;
  }
  const filter = stripOrderBy(settings.jqlFilter);
  if (filter === '') return true;
  // Only Jira can evaluate the admin's JQL: ask it about this one issue.
  const page = await searchPage(`project = ${jqlString(issue.fields.project.key)} AND id = ${issue.id} AND (${filter})`, null, {
    maxResults: 1,
    deadlineMs: opts.deadlineMs ?? 15_000,
    maxWaitSeconds: opts.maxWaitSeconds ?? 5,
  });
  return page.issues.some((i) => i.id === issue.id);
}

/**
 * The document goes first, then its pairs: a run or another issue's update that loaded the
 * document earlier may still write pairs with it, and each of those checks afterwards that
 * its pairs' documents exist (`dropPairsOfVanishedDocs`). Whichever comes last removes them.
 */
export async function removeIssue(issueId: string): Promise<void> {
  await deleteDocs([issueId]);
  await deletePairsOfIssues([issueId]);
}

/**
 * A delete event. The delete is remembered first: a writer that read the issue from Jira
 * before it was deleted checks after its own write (`dropDeletedDocs`), so whichever of the
 * two comes last removes the document.
 */
export async function onIssueDeleted(issueId: string): Promise<void> {
  await recordDeletedIssues([issueId]);
  await removeIssue(issueId);
}

/**
 * After storing documents read from Jira: those whose delete event has been seen meanwhile
 * are removed again, with their pairs. Returns their ids.
 */
export async function dropDeletedDocs(ids: string[]): Promise<string[]> {
  const deleted = await deletedAmong(ids);
  if (deleted.length > 0) {
    await deleteDocs(deleted);
    await deletePairsOfIssues(deleted);
  }
  return deleted;
}

/**
 * After writing pairs computed from documents loaded earlier: pairs of documents deleted
 * meanwhile (`removeIssue` ran between the load and the write) are deleted again.
 */
export async function dropPairsOfVanishedDocs(ids: Iterable<string>): Promise<string[]> {
  const missing = await missingDocIds([...new Set(ids)]);
  if (missing.length > 0) await deletePairsOfIssues(missing);
  return missing;
}

export async function onIssueChanged(issueId: string, opts: IncrementalOptions & { eventProjectKey?: string } = {}): Promise<IncrementalOutcome> {
  const settings = opts.settings ?? (await getSettings());
  // Most sites analyse a few of their projects: skip the Jira fetch for the others (the
  // event names the project), unless the issue was indexed before (moved out of scope).
  if (opts.eventProjectKey !== undefined && !settings.projects.includes(opts.eventProjectKey)) {
    if (!(await getDoc(issueId))) return 'ignored';
    await removeIssue(issueId);
    return 'removed';
  }
  // A late or redelivered event for an issue already deleted: nothing to fetch.
  if ((await deletedAmong([issueId])).length > 0) return 'deleted';
  const issue = await fetchIssue(issueId, { deadlineMs: opts.deadlineMs ?? 15_000, maxWaitSeconds: opts.maxWaitSeconds ?? 5 });
  if (!issue) {
    await removeIssue(issueId);
    return 'removed';
  }
  if (!(await inScope(issue, settings, opts))) {
    const existing = await getDoc(issue.id);
    if (existing) await removeIssue(issue.id);
    return existing ? 'removed' : 'ignored';
  }

  const hashes = await getDocHashes([issue.id]);
  const doc = buildDoc(issue, hashes.get(issue.id));
  await upsertDocs([doc]);
  if ((await dropDeletedDocs([issue.id])).length > 0) return 'deleted';
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
    let related = 0;
    for (const n of neighbours) {
      const other = named.get(n.id);
      if (!self) break;
      if (!other || n.tier === null) continue;
      // Same cap as full runs: all duplicates, the best few related (src/analysis/pair-cap.ts).
      if (n.tier === 'related' && related++ >= RELATED_PER_ISSUE) continue;
      pairs.push({
        a: issue.id,
        b: other.id,
        projectA: project,
        projectB: other.projectKey,
        score: n.score,
        tier: n.tier,
        reasons: pairReasons(index, self, other, words),
        clusterId: null,
      });
    }
  }
  await upsertPairs(pairs, `inc-${now.toString(36)}`, now, { keepClusters: true });
  await dropPairsOfVanishedDocs([issue.id, ...pairs.map((p) => p.b)]);
  await deactivateIssuePairsNotSeen(issue.id, now);
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

/** True when the failure is worth a platform retry of the trigger. */
export function isRetryable(err: unknown): boolean {
  return err instanceof JiraError ? err.transient : true;
}
