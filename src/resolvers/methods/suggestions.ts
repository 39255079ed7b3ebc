/**
 * `suggestions.get`: the issue view's list of possible duplicates and related issues.
 *
 * Hot path (p95 target 150 ms at 20k issues): the stored pairs of the issue (one indexed
 * SQL query; the doc row in parallel), the issue's links read as the user (which also
 * proves the user may browse it), then one bulk permission check that answers both
 * "which suggested issues may this user browse" and "may they link from this issue", with,
 * alongside it, the names of whoever else decided the dismissed and confirmed ones.
 *
 * Every Jira call of one `suggestions.get` ends by one deadline (`SUGGESTIONS_JIRA_MS` from
 * its start), as `suggestions.recheck`'s do: a slow Jira costs an error in time, not the call.
 */
import { duplicateLinksOf, readDuplicateLinks, type IssueLinksView } from '../../jira/links';
import { searchPage } from '../../jira/search';
import { jqlString, stripOrderBy } from '../../analysis/scope-jql';
import { checkPermissions } from '../../jira/permissions';
import { SUGGESTIONS_PER_LIST, type Payload, type ResultOf, type Settings, type Suggestion, type SuggestionList } from '../../shared/contract';
import { getDoc, getScopeDocsByIds, toIssueRef, type DocRow } from '../../store/docs';
import { decodeTerms } from '../../engine';
import { getRunMarker, getSettings, tiersOutdated, typeAnalysed } from '../../store/settings';
import { scopeKey } from '../../store/scopes';
import { liveRunRowsCovering, type RunRow } from '../../store/runs';
import { runSettings } from '../../analysis/run-settings';
import { DEFAULT_STALE_AFTER_MS } from '../../analysis/run-control';
import { issueKeysOf, pairsOfIssueWithDocs, type PairRow } from '../../store/review';
import { actorNames } from '../actor-names';
import type { CallContext } from '../call-context';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';
import { DuplicateForest } from './duplicate-forest';
import { chainsTheViewerSees } from './link-chains';
import { storedIssueSeen, visibleProjects } from '../visibility';
import { ISSUE_UPDATE_JIRA_MS, onIssueChanged } from '../../analysis/incremental';
import { ANALYSES, rescoreStored } from '../../analysis/analyses';
import { isoOf, otherSide, otherWorkOf, reasonGiverOf, reviewStatusOf, segmentsOf, sharedTermsOf, termsOf, tierOf } from '../views';

/**
 * How long an issue counts as on its way: its created event is handled in seconds, and an
 * analysis scores what it read within minutes. Past this the panel stops waiting (an event
 * that was lost, a run that failed) and says what is true.
 */
export const PENDING_WINDOW_MS = 10 * 60_000;
/** A day, for the settings' age limit. */
const DAY_MS = 86_400_000;

/**
 * How long after `suggestions.get` starts its Jira calls must all have ended (passed to each as
 * `deadlineAt`): the issue's links, the permission check, the names, the links around the
 * suggestions, the chains' permission check and the JQL filter's search. Past it a call sends
 * nothing and throws `TIMEOUT`, answered as `JIRA_ERROR` "Jira did not answer in time. Try
 * again." (the panel asks again by itself), with time left for the few SQL reads after the
 * last call within the resolver's budget (`RESOLVER_BUDGET_MS`, 23 s; Forge stops it at 25 s).
 * Each call used to have a budget of its own, 20 s for the must-haves, so two slow ones ran
 * past the resolver's time and the panel got "This took too long".
 */
const SUGGESTIONS_JIRA_MS = 20_000;
/**
 * The share of that time the names of who decided the suggestions may take (`/user/bulk`,
 * which answers in well under a second when the user service is well). Names are a nicety: the
 * panel says "someone Jira did not name" without them. With the whole deadline, a user service
 * that did not answer held the answer for 20 s and left nothing for the calls after it, and the
 * panel got "Jira did not answer in time" with the suggestions ready.
 */
const NAMES_JIRA_MS = 4_000;

/** Whether the issue's suggestions are being computed (see `SuggestionsView.pending`). */
function isPending(doc: DocRow | null, issue: IssueLinksView, settings: Settings, inScope: boolean, now: number): boolean {
  // Out of scope, nothing will read or score it, whatever the doc row says.
  if (!inScope) return false;
  if (doc !== null) return doc.scoredMs === null && now - doc.seenMs < PENDING_WINDOW_MS;
  if (issue.projectKey === null || issue.createdMs <= 0 || now - issue.createdMs >= PENDING_WINDOW_MS) return false;
  // A new issue not stored yet: its event will index it if it is in scope (one the admin's
  // JQL filter leaves out is answered before this, `leftOutByFilter`).
  return typeAnalysed(settings.issueTypes, issue.type);
}

/**
 * Whether the stored issue has waited to be scored for longer than a score takes (past the
 * pending window): a `rescore` event a run's last step handed it on to was dropped after its
 * tries, or an event or run failed after storing it. Unless a live run will score it
 * (`runWillScore`), nothing else will before its next event or the next run.
 */
export function scoreLost(doc: DocRow | null, now: number): boolean {
  return doc !== null && doc.scoredMs === null && now - doc.seenMs >= PENDING_WINDOW_MS;
}

/** Whether a live run (not stale) of the issue's project will read it and score it. */
export async function runWillScore(doc: DocRow | null, projectKey: string, updatedMs: number, now: number): Promise<boolean> {
  return (await liveRunRowsCovering(projectKey, now - DEFAULT_STALE_AFTER_MS)).some((run) => runReads(run, doc, projectKey, updatedMs));
}

/**
 * Whether the issue's project is among the projects in scope. The project as Jira says it
 * now (an issue moved to another project keeps its old doc row until a run), else as
 * stored; when neither says, the issue is not called out of scope.
 */
function inScopeOf(doc: DocRow | null, issue: IssueLinksView, settings: Settings): boolean {
  const projectKey = issue.projectKey ?? doc?.projectKey ?? null;
  return projectKey === null || settings.projects.includes(projectKey);
}

/**
 * Whether the admin's JQL filter leaves out an issue that no analysis has stored (in scope,
 * of an analysed type): only Jira can evaluate the filter, so it is asked about this one
 * issue, as the app (the incremental update asks the same). False when there is no filter,
 * or Jira could not answer: then the panel waits or says "not analysed yet", as before.
 */
async function leftOutByFilter(issueId: string, projectKey: string | null, settings: Settings, deadlineAt: number): Promise<boolean> {
  const filter = stripOrderBy(settings.jqlFilter);
  if (filter === '' || projectKey === null || !/^\d{1,32}$/.test(issueId)) return false;
  try {
    const page = await searchPage(`project = ${jqlString(projectKey)} AND id = ${issueId} AND (${filter})`, null, { maxResults: 1, fields: ['project'], deadlineMs: 5_000, deadlineAt, maxWaitSeconds: 2 });
    return !page.issues.some((i) => i.id === issueId);
  } catch (err) {
    logEvent('suggestions.filter', { status: 'failed', ...mapError(err).log });
    return false;
  }
}

/** A letter or a digit in any script: what a word has and punctuation, symbols and emoji lack. */
const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * Whether the stored issue's summary and description gave no word to compare: only
 * punctuation, symbols or emoji (the tokeniser keeps those whole rather than drop a text to
 * nothing, so such an issue matches only one written the same). One read of the issue's
 * stored terms, asked only when nothing is suggested; an unreadable row answers false.
 */
async function hasNoWords(issueId: string): Promise<boolean> {
  const stored = (await getScopeDocsByIds([issueId])).get(issueId);
  if (stored === undefined || stored.unreadable === true) return false;
  try {
    const { fields } = decodeTerms(issueId, stored.terms);
    // Code blocks and stack traces of the description are a field of their own.
    return ![...(fields.summary ?? []), ...(fields.description ?? []), ...(fields.code ?? [])].some(([term]) => WORDLIKE.test(term));
  } catch {
    return false;
  }
}

/**
 * Whether a live run will read the issue: one it read already (stored, not yet compared), or
 * an unstored one of a project its settings hold that it reads whole or that changed since
 * the run's starting point (an incremental run reads only those).
 */
function runReads(run: RunRow, doc: DocRow | null, projectKey: string, updatedMs: number): boolean {
  if (doc !== null) return true;
  // The settings it runs under (an unreadable snapshot says nothing: the run is taken to read the project).
  let projects: string[] | null = null;
  try {
    projects = runSettings(run).projects;
  } catch {
    projects = null;
  }
  if (projects !== null && !projects.includes(projectKey)) return false;
  return run.mode === 'full' || run.sinceMs === null || updatedMs >= run.sinceMs;
}

/** The issues this one duplicates, once each (two links to one issue are possible). */
function uniqueById(issues: Array<{ id: string; key: string }>): Array<{ id: string; key: string }> {
  const byId = new Map<string, { id: string; key: string }>();
  for (const issue of issues) if (!byId.has(issue.id)) byId.set(issue.id, issue);
  return [...byId.values()];
}

/** The other issues a pair's suggested issue has stored Duplicate links with. */
function chainIdsOf(pair: PairRow, issueId: string): string[] {
  const ids = pair.a.id === issueId ? pair.dupLinksB : pair.dupLinksA;
  return ids.filter((id) => id !== issueId);
}

/**
 * The Duplicate links around the suggested issues, as far as the panel needs them: the open
 * issue's own (read live with it), and, for suggested issues whose stored links say they
 * have any, theirs read from Jira as the viewer (one search; `live` false when Jira could not
 * be asked, and then only the stored, undirected lists say what is joined).
 */
interface Chains {
  /** The links read, which way; it knows the keys of the issues read and of their links' ends. */
  forest: DuplicateForest;
  live: boolean;
  /** When Jira could not be asked: the keys of the issues the stored lists name. */
  storedKeys: Map<string, string>;
}

async function chainsAround(issueId: string, jiraIssue: IssueLinksView, pairs: PairRow[], chainIds: string[], deadlineAt: number): Promise<Chains> {
  const others = pairs.map((p) => otherSide(p, issueId));
  const self = pairs.map((p) => (p.a.id === issueId ? p.a : p.b.id === issueId ? p.b : null)).find((d) => d !== null);
  const issues = [
    { id: issueId, key: jiraIssue.key, createdMs: jiraIssue.createdMs, resolution: self?.resolution ?? null },
    ...others.map((o) => ({ id: o.id, key: o.key, createdMs: o.createdMs, resolution: o.resolution ?? null })),
  ];
  const own = jiraIssue.duplicateOf.map((d) => [issueId, d.id] as const);
  const withLinks = [...new Set(pairs.filter((p) => chainIdsOf(p, issueId).length > 0).map((p) => otherSide(p, issueId).id))];
  if (withLinks.length === 0) return { forest: new DuplicateForest(issues, own), live: true, storedKeys: new Map() };
  try {
    const read = await readDuplicateLinks(withLinks, { rounds: 1, maxIssues: 40, deadlineMs: 4_000, deadlineAt });
    return { forest: new DuplicateForest([...issues, ...read.issues], [...own, ...read.links]), live: true, storedKeys: new Map() };
  } catch (err) {
    logEvent('suggestions.chains', { status: 'failed', ...mapError(err).log });
    return { forest: new DuplicateForest(issues, own), live: false, storedKeys: await issueKeysOf(chainIds) };
  }
}

function suggestionOf(pair: PairRow, issueId: string, linkedIds: Set<string>, chains: Chains, browsable: Set<string>, duplicateThreshold: number): Suggestion {
  const other = otherSide(pair, issueId);
  const status = reviewStatusOf(pair.status);
  const { forest } = chains;
  // The forest answers an unknown id with the id itself.
  const keyOf = (id: string): string | undefined => (chains.live ? (forest.keyOf(id) !== id ? forest.keyOf(id) : undefined) : chains.storedKeys.get(id));
  // Read live: each of the suggested issue's links, which way. Else the stored lists, undirected.
  const ways: Array<{ id: string; way: Suggestion['alsoLinkedWith'][number]['way'] }> = chains.live
    ? [...forest.originalsOf(other.id).map((id) => ({ id, way: 'duplicates' as const })), ...forest.duplicatesOfIssue(other.id).map((id) => ({ id, way: 'duplicated-by' as const }))]
    : chainIdsOf(pair, issueId).map((id) => ({ id, way: 'linked' as const }));
  const alsoLinkedWith = ways.flatMap(({ id, way }) => {
    const key = keyOf(id);
    // Read as the viewer, Jira lists only links to issues they may browse; the stored lists were checked with the suggestions.
    return id !== issueId && key !== undefined && (chains.live || browsable.has(id)) ? [{ id, key, way }] : [];
  });
  // Joined through other issues only (not directly): every issue on the way must be one the viewer may see.
  const way = linkedIds.has(other.id) ? null : forest.between(issueId, other.id);
  const wayKeys = (way ?? []).map((id) => ((chains.live || browsable.has(id)) ? keyOf(id) : undefined));
  const joinedThrough = way !== null && way.length > 0 && wayKeys.every((k) => k !== undefined) ? wayKeys : [];
  return {
    pairId: pair.id,
    issue: toIssueRef(other),
    joinedThrough,
    otherWork: otherWorkOf(pair, duplicateThreshold),
    score: pair.score,
    tier: tierOf(pair.tier),
    status,
    sharedTerms: sharedTermsOf(pair),
    summarySegments: segmentsOf(other.summary, termsOf(pair)),
    // As Jira says now: a confirmed pair whose link someone removed in Jira is not "linked".
    linked: linkedIds.has(other.id),
    // As a confirmation without a named duplicate would link them (decide.ts, linkFor).
    thisIsDuplicate: forest.linkFor(issueId, other.id)[0] === issueId,
    // A pending pair has none of these (every change back to pending clears them), as in pairViewOf.
    decidedBy: pair.decidedBy,
    decidedAt: isoOf(pair.decidedMs),
    decidedInJira: pair.decidedInJira,
    dismissReason: pair.dismissReason,
    dismissReasonBy: reasonGiverOf(pair),
    alsoLinkedWith,
  };
}

/** Jira's update time ahead of the stored one by more than this: changed since the analysis read it. */
const CHANGED_AFTER_MS = 2_000;

/**
 * Whether Jira changed the stored issue after the analysis last read it, with nothing on its
 * way to read it again (`watched`: in scope, of an analysed type, not pending).
 */
function changedSince(doc: DocRow | null, issue: IssueLinksView, watched: boolean): boolean {
  return watched && doc !== null && issue.updatedMs > 0 && issue.updatedMs > doc.updatedMs + CHANGED_AFTER_MS;
}

/**
 * `suggestions.recheck`: the change event the issue's suggestions missed, done now. Only for
 * an issue the viewer may browse (read as them first) that did change since it was read, so
 * asking again once it is current costs one read; the issue is read and scored as the app,
 * as the event would have been, and what is shown stays filtered per viewer. Its Jira calls
 * (the viewer's read, then the event's) share one deadline, `ISSUE_UPDATE_JIRA_MS` from the
 * start, as an event's do, so a slow Jira costs an error answered inside the resolver's 25 s.
 * An issue Jira has not changed whose score was lost (`scoreLost`), with no live run to score
 * it, is scored from what is stored, as its `rescore` event would have done: no Jira call more.
 */
export async function recheckSuggestions(payload: Payload<'suggestions.recheck'>, _ctx: CallContext): Promise<ResultOf<'suggestions.recheck'>> {
  const jiraDeadlineAt = Date.now() + ISSUE_UPDATE_JIRA_MS;
  const [doc, jiraIssue, settings] = await Promise.all([getDoc(payload.issueId), duplicateLinksOf(payload.issueId, { deadlineAt: jiraDeadlineAt }), getSettings()]);
  const inScope = inScopeOf(doc, jiraIssue, settings);
  const watched = inScope && typeAnalysed(settings.issueTypes, jiraIssue.type);
  if (changedSince(doc, jiraIssue, watched)) {
    const outcome = await onIssueChanged(payload.issueId, { settings, jiraDeadlineAt, maxWaitSeconds: 3 });
    logEvent('suggestions.recheck', { outcome });
    return { rechecked: true };
  }
  const now = Date.now();
  const createdMs = jiraIssue.createdMs > 0 ? jiraIssue.createdMs : (doc?.createdMs ?? 0);
  const tooOld = settings.maxAgeDays > 0 && createdMs > 0 && now - createdMs > settings.maxAgeDays * DAY_MS;
  if (!watched || tooOld || doc === null || !scoreLost(doc, now) || (await runWillScore(doc, jiraIssue.projectKey ?? doc.projectKey, jiraIssue.updatedMs, now))) return { rechecked: false };
  const scored = await rescoreStored(ANALYSES, [payload.issueId], settings);
  logEvent('suggestions.recheck', { outcome: scored > 0 ? 'rescored' : 'unchanged' });
  return { rechecked: scored > 0 };
}

/**
 * Chains the links read around the issue did not reach (they go one issue deep): the stored
 * Duplicate links, walked up to three issues deep for the pending suggestions Jira does not
 * link directly (`link-chains.ts`), only through stored issues the viewer may see, as the
 * review queue walks them (`storedIssueSeen`: the projects they may browse, without what a
 * security level hides; asked of Jira only when an open suggestion has stored links), and
 * the issues named checked as the viewer in one permission call. A chain through an issue
 * the viewer may not see is neither named nor hinted at, and does not hide a longer one
 * they may see.
 */
async function withStoredChains(suggestions: Suggestion[], pairs: PairRow[], deadlineAt: number): Promise<Suggestion[]> {
  const open = pairs.filter(
    (p, i) => suggestions[i]?.status === 'pending' && !suggestions[i]?.linked && suggestions[i]?.joinedThrough.length === 0 && (p.dupLinksA.length > 0 || p.dupLinksB.length > 0),
  );
  if (open.length === 0) return suggestions;
  const visible = await visibleProjects({ deadlineAt });
  const chains = await chainsTheViewerSees(open, storedIssueSeen(visible), { deadlineAt });
  if (chains.size === 0) return suggestions;
  return suggestions.map((s, i) => {
    const pair = pairs[i];
    const keys = pair ? chains.get(pair.id) : undefined;
    if (pair === undefined || keys === undefined) return s;
    // From the open issue's side: the walk names them from the pair's first issue.
    return { ...s, joinedThrough: pair.a.id === s.issue.id ? [...keys].reverse() : keys };
  });
}

/** Who decided these pairs, except the viewer (the panel says "you"): the people to name. */
function decidersOf(pairs: PairRow[], viewer: string): string[] {
  return pairs.flatMap((p) => (reviewStatusOf(p.status) === 'pending' ? [] : [p.decidedBy, reasonGiverOf(p)])).filter((id): id is string => id !== null && id !== viewer);
}

export async function getSuggestions(payload: Payload<'suggestions.get'>, ctx: CallContext): Promise<ResultOf<'suggestions.get'>> {
  const { issueId } = payload;
  // One end for every Jira call below, however many of them Jira is slow to answer.
  const deadlineAt = Date.now() + SUGGESTIONS_JIRA_MS;
  const [doc, pairs, jiraIssue, settings] = await Promise.all([getDoc(issueId), pairsOfIssueWithDocs(issueId), duplicateLinksOf(issueId, { deadlineAt }), getSettings()]);
  const linkedIds = jiraIssue.linkedIds;

  const otherIds = [...new Set(pairs.map((p) => otherSide(p, issueId).id))];
  // Where the suggested issues' own Duplicate links lead: asked in the same permission check,
  // and their keys read only when there are any.
  const chainIds = [...new Set(pairs.flatMap((p) => chainIdsOf(p, issueId)))];
  const projectKey = jiraIssue.projectKey ?? doc?.projectKey ?? null;
  const inScope = inScopeOf(doc, jiraIssue, settings);
  // For a stored issue in scope, its project's last good analysis (one KVS read, while Jira is
  // asked below): whether a run has read the project, and the thresholds it gave the stored
  // tiers by. Awaited further down; a failure is caught here only so that it is not left
  // unhandled should Jira's answer fail first.
  const markerRead = doc !== null && inScope && projectKey !== null ? getRunMarker(scopeKey({ kind: 'project', projectKey })) : Promise.resolve(null);
  markerRead.catch(() => undefined);
  // Who decided the dismissed and confirmed ones, asked alongside the permission check (no
  // Jira call when nobody but the viewer decided any) within a bounded share of the deadline
  // (`NAMES_JIRA_MS`); a failure or a slow answer costs the names only.
  const [answers, named, chains] = await Promise.all([
    checkPermissions({
      questions: [
        { permission: 'BROWSE_PROJECTS', issueIds: [...new Set([...otherIds, ...chainIds])] },
        { permission: 'LINK_ISSUES', issueIds: [issueId] },
      ],
      deadlineAt,
    }),
    actorNames(decidersOf(pairs, ctx.accountId), 'suggestions.actors', { deadlineAt: Math.min(deadlineAt, Date.now() + NAMES_JIRA_MS) }),
    chainsAround(issueId, jiraIssue, pairs, chainIds, deadlineAt),
  ]);
  const browsable = answers.granted[0]?.issueIds ?? new Set<string>();
  const canLink = answers.granted[1]?.issueIds.has(issueId) ?? false;

  // Each list cut at its limit (`limits`, else `limit`) before a suggestion is built: a pair's
  // list and place in it are its own (status, tier, score order), so only the pairs sent are
  // made into suggestions (shared words, highlighted summary, links, and the stored chains'
  // Jira calls, which a walk per pair makes the same for any set of pairs it is among). What
  // is left out is counted (`notListed`), only among the issues the viewer may browse, so the
  // panel's counts are the badge's, and it can ask for more. The permission check, the names
  // and the links read around the issue are asked before, alongside each other, for every
  // stored pair: which pairs are listed depends on the first.
  const shown = pairs.filter((p) => browsable.has(otherSide(p, issueId).id));
  const limitOf = (list: SuggestionList): number => payload.limits?.[list] ?? payload.limit ?? SUGGESTIONS_PER_LIST;
  const dismissedPair = (p: PairRow): boolean => reviewStatusOf(p.status) === 'dismissed';
  const lists = {
    duplicates: shown.filter((p) => !dismissedPair(p) && tierOf(p.tier) === 'duplicate'),
    related: shown.filter((p) => !dismissedPair(p) && tierOf(p.tier) === 'related'),
    dismissed: shown.filter(dismissedPair),
  };
  const cut = { duplicates: lists.duplicates.slice(0, limitOf('duplicates')), related: lists.related.slice(0, limitOf('related')), dismissed: lists.dismissed.slice(0, limitOf('dismissed')) };
  const listedPairs = [...cut.duplicates, ...cut.related, ...cut.dismissed];
  const built = await withStoredChains(
    listedPairs.map((p) => suggestionOf(p, issueId, linkedIds, chains, browsable, settings.thresholds.duplicate)),
    listedPairs,
    deadlineAt,
  );
  const byPair = new Map(built.map((s) => [s.pairId, s]));
  const suggestionsOf = (list: PairRow[]): Suggestion[] => list.flatMap((p) => byPair.get(p.id) ?? []);
  const duplicates = suggestionsOf(cut.duplicates);
  const related = suggestionsOf(cut.related);
  const dismissed = suggestionsOf(cut.dismissed);
  const leftOut = (list: PairRow[], limit: number) => {
    const rest = list.slice(limit);
    const confirmed = rest.filter((p) => reviewStatusOf(p.status) === 'confirmed').length;
    return { pending: rest.length - confirmed, confirmed };
  };
  const excludedType = inScope && jiraIssue.type !== '' && !typeAnalysed(settings.issueTypes, jiraIssue.type) ? jiraIssue.type : null;
  const excludedByFilter = doc === null && inScope && excludedType === null && (await leftOutByFilter(issueId, jiraIssue.projectKey, settings, deadlineAt));
  const now = Date.now();
  // Older than the settings' age limit: no analysis will read it (the panel says so, rather
  // than "not analysed yet"), and one stored before the limit was set is no longer kept up to date.
  const createdMs = jiraIssue.createdMs > 0 ? jiraIssue.createdMs : (doc?.createdMs ?? 0);
  const tooOld = inScope && excludedType === null && !excludedByFilter && settings.maxAgeDays > 0 && createdMs > 0 && now - createdMs > settings.maxAgeDays * DAY_MS;
  const pending = !excludedByFilter && !tooOld && isPending(doc, jiraIssue, settings, inScope, now);
  // Asked only where it changes what the panel says: an issue the analyses read (in scope, of
  // an analysed type, not left out) that a run read and has not compared yet, or that no
  // analysis stored and no created event is coming for (those take seconds, runs or not).
  const readable = inScope && excludedType === null && !excludedByFilter && !tooOld;
  const waitsForRun = doc === null ? !pending : doc.scoredMs === null;
  const analysisRunning = readable && waitsForRun && projectKey !== null && (await runWillScore(doc, projectKey, jiraIssue.updatedMs, now));
  // Stored, but no run has read its project yet (added to the settings since): an event
  // compared it with the few issues stored so far, so "nothing similar" would not be true
  // yet. Said only when nothing is shown: the run markers say which projects a run read.
  const marker = await markerRead;
  const beforeFirstRun = readable && doc !== null && shown.length === 0 && projectKey !== null && marker === null;
  // Compared and nothing suggested, not even dismissed: whether there was anything to compare.
  // Asked of what the viewer sees only: whether pairs with issues hidden from them exist must not change the answer.
  const noWords = !beforeFirstRun && doc !== null && doc.scoredMs !== null && !pending && shown.length === 0 && (await hasNoWords(issueId));
  // Only the names of suggestions shown: a hidden suggestion's decider is not the viewer's business.
  const listed = [...duplicates, ...related, ...dismissed];
  const shownDeciders = new Set(listed.flatMap((s) => [s.decidedBy, s.dismissReasonBy]));
  // The newest of the listed suggestions, by when each pair was last stored or scored: a newer
  // issue's event adds its pair here without comparing this issue again.
  const listedIds = new Set(listed.map((s) => s.pairId));
  const newestListedMs = shown.reduce((newest, p) => (listedIds.has(p.id) ? Math.max(newest, p.lastSeenMs) : newest), 0);
  const computedMs = doc ? (doc.scoredMs ?? doc.seenMs) : null;
  return {
    issue: { id: issueId, key: jiraIssue.key, summary: jiraIssue.summary },
    indexed: doc !== null && !beforeFirstRun,
    computedAt: computedMs === null ? null : new Date(computedMs).toISOString(),
    updatedAt: computedMs === null ? null : new Date(Math.max(computedMs, newestListedMs)).toISOString(),
    pending,
    analysisRunning,
    noWords,
    // Or its score was lost on the way (scoreLost), with no run to score it: the recheck scores it.
    changedSinceAnalysed: changedSince(doc, jiraIssue, inScope && excludedType === null && !pending) || (readable && !pending && !analysisRunning && scoreLost(doc, now)),
    // As the project page says it (run.status): the tiers listed are the last analysis's.
    tiersOutdated: readable && doc !== null && !beforeFirstRun && tiersOutdated(marker, settings),
    duplicates,
    related,
    dismissed,
    notListed: {
      duplicates: leftOut(lists.duplicates, limitOf('duplicates')),
      related: leftOut(lists.related, limitOf('related')),
      dismissed: Math.max(0, lists.dismissed.length - limitOf('dismissed')),
    },
    canLink,
    canDismiss: canLink || !settings.dismissNeedsLink,
    inScope,
    excludedType,
    excludedByFilter,
    excludedByAge: tooOld ? settings.maxAgeDays : null,
    duplicateOf: uniqueById(jiraIssue.duplicateOf),
    actors: named.filter((a) => shownDeciders.has(a.accountId)),
  };
}
