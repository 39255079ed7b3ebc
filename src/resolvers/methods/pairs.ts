/**
 * The review queue: `pairs.list` and `pairs.detail`.
 */
import { getSettings } from '../../store/settings';
import { adfToText, wikiToText } from '../../engine';
import { duplicateLinkWay } from '../../jira/links';
import { checkPermissions } from '../../jira/permissions';
import { searchPage } from '../../jira/search';
import type { PairFilters, PairSide, Payload, ResultOf } from '../../shared/contract';
import { toIssueRef, type DocMeta } from '../../store/docs';
import { countPairs, getPair, listPairs, type PairQuery, type PairRow } from '../../store/review';
import { actorNames } from '../actor-names';
import { badRequest, notFound, PAIR_UNAVAILABLE } from '../api-failure';
import type { CallContext } from '../call-context';
import { browsablePairsWithLinkRight, seesEverything, storedIssueSeen, visibilityQuery, visibleProjects, visibleProjectsFor, withVisibleCluster, type Visibility } from '../visibility';
import { chainsTheViewerSees } from './link-chains';
import { pairViewOf, reasonGiverOf, segmentsOf, sharedTermsOf, termsOf } from '../views';

export const DEFAULT_PAGE_SIZE = 25;
/** Characters of description shown per side in the detail view. */
const EXCERPT_CHARS = 600;

/**
 * The page's project, from the Forge context: a page cannot peek at another project. A
 * payload naming another one is refused rather than quietly answered for the page's.
 */
export function pageProject(payloadKey: string | undefined, ctx: CallContext): string | undefined {
  if (ctx.project === null) return payloadKey;
  if (payloadKey !== undefined && payloadKey.toUpperCase() !== ctx.project.key.toUpperCase()) {
    throw badRequest(`This page is ${ctx.project.key}'s; projectKey may only name it.`, { projectKey: `must be ${ctx.project.key}, the page's project, or left out` });
  }
  return ctx.project.key;
}

export function pairQuery(filters: PairFilters, visible: Visibility, projectKey: string | undefined): PairQuery {
  return {
    ...visibilityQuery(visible),
    projectKey,
    status: filters.status,
    tier: filters.tier,
    types: filters.types,
    statusCategories: filters.statusCategories,
    openOnly: filters.openOnly,
    minScore: filters.minScore,
    maxScore: filters.maxScore,
    search: filters.search,
  };
}

export async function listPairsMethod(payload: Payload<'pairs.list'>, ctx: CallContext): Promise<ResultOf<'pairs.list'>> {
  const projectKey = pageProject(payload.projectKey, ctx);
  const visible = await visibleProjectsFor(projectKey);
  const page = payload.page ?? 1;
  const pageSize = payload.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = pairQuery(payload, visible, projectKey);
  const [rows, total, settings] = await Promise.all([
    listPairs(query, { sort: payload.sort ?? 'score', order: payload.order ?? 'desc', limit: pageSize, offset: (page - 1) * pageSize }),
    countPairs(query),
    getSettings(),
  ]);
  // Who decided the rows (Confirmed and Dismissed tabs), asked while the rows are checked.
  const [{ pairs: shown, canLink }, named] = await Promise.all([
    browsablePairsWithLinkRight(rows, seesEverything(visible)),
    payload.status === 'pending'
      ? Promise.resolve([])
      : actorNames(
          rows.flatMap((p) => [p.decidedBy, reasonGiverOf(p)]),
          'pairs.actors',
        ),
  ]);
  const through = payload.status === 'confirmed' ? new Map<string, string[]>() : await linkedThrough(shown, visible);
  // The count already leaves out the issues a security level hides (the query's hidden
  // ids or levels); a row the page's own check still drops (a level changed since the
  // issue was last read) is taken off the total too.
  return {
    items: shown.map((p) => ({ ...pairViewOf(p, settings.thresholds.duplicate), canLink: canLink(p), ...(payload.status === 'confirmed' ? {} : { linkedThrough: through.get(p.id) ?? [] }) })),
    total: Math.max(shown.length, total - (rows.length - shown.length)),
    page,
    pageSize,
    // Only the names of rows shown: a hidden row's decider is not the viewer's business.
    actors: named.filter((a) => shown.some((p) => p.decidedBy === a.accountId || reasonGiverOf(p) === a.accountId)),
    dismissNeedsLink: settings.dismissNeedsLink,
  };
}

/**
 * The rows whose issues Jira's Duplicate links join through other issues, with those issues'
 * keys (`link-chains.ts`): walked only through issues of projects the viewer may browse that
 * no security level hides from them, and those named checked again with Jira. No read unless
 * a row's issues have stored links.
 */
function linkedThrough(rows: PairRow[], visible: Visibility): Promise<Map<string, string[]>> {
  return chainsTheViewerSees(rows, storedIssueSeen(visible));
}

/** The start of a description as text: ADF as Jira Cloud gives it, or Jira wiki markup (an imported or older text) without its markup. */
function excerpt(description: unknown): string {
  const text = (typeof description === 'string' ? wikiToText(description) : adfToText(description)).replace(/\s+/g, ' ').trim();
  if (text.length <= EXCERPT_CHARS) return text;
  const cut = text.slice(0, EXCERPT_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > EXCERPT_CHARS * 0.8 ? cut.slice(0, space) : cut}…`;
}

function side(doc: DocMeta, description: unknown, terms: string[]): PairSide {
  return {
    issue: toIssueRef(doc),
    summarySegments: segmentsOf(doc.summary, terms),
    descriptionSegments: segmentsOf(excerpt(description), terms),
  };
}

/** The two issue ids a pair id ("<a>-<b>") names, or null when it is not one. */
export function idsOfPairId(pairId: string): [string, string] | null {
  const m = /^(\d{1,18})-(\d{1,18})$/.exec(pairId);
  return m ? [m[1] as string, m[2] as string] : null;
}

export async function pairDetailMethod(payload: Payload<'pairs.detail'>, ctx: CallContext): Promise<ResultOf<'pairs.detail'>> {
  // Gone, outside this project, or with an issue the caller may not browse: one answer for all
  // (PAIR_UNAVAILABLE), never one that tells hidden pairs apart from missing ones.
  const stored = await getPair(payload.pairId);
  const projectKey = ctx.project?.key;
  const pair = stored !== null && (projectKey === undefined || stored.a.projectKey === projectKey || stored.b.projectKey === projectKey) ? stored : null;
  // A pair that is missing or outside the page costs the same Jira calls as a hidden one,
  // on the ids its id names, so the time of the answer does not tell them apart either.
  const ids = stored !== null ? [stored.a.id, stored.b.id] : idsOfPairId(payload.pairId);
  if (ids === null || !ids.every((id) => /^\d{1,18}$/.test(id))) throw notFound(PAIR_UNAVAILABLE);
  // Searched as the user: Jira returns only issues they may browse (issue security
  // included), and the descriptions shown are the live ones (the app stores none).
  // What the viewer may see of the stored issues, for the chains of Duplicate links below
  // (asked for every pair id, so a missing pair costs the same calls as a hidden one).
  const [found, linkable, settings, visible] = await Promise.all([
    searchPage(`id in (${ids.join(', ')})`, null, {
      actor: { as: 'user' },
      fields: ['summary', 'description', 'issuetype', 'status', 'project', 'issuelinks'],
      maxResults: 2,
    }),
    checkPermissions({ questions: [{ permission: 'LINK_ISSUES', issueIds: ids }] }).then((r) => r.granted[0]?.issueIds ?? new Set<string>()),
    getSettings(),
    visibleProjects(),
  ]);
  if (pair === null) throw notFound(PAIR_UNAVAILABLE);
  const byId = new Map(found.issues.map((i) => [i.id, i.fields]));
  // A Duplicate link Jira already has between the two, whichever way, as the viewer sees it.
  const aIssue = found.issues.find((i) => i.id === pair.a.id);
  const way = aIssue ? duplicateLinkWay(aIssue, pair.b.id) : null;
  const jiraDuplicateId = way === 'duplicates' ? pair.a.id : way === 'duplicated' ? pair.b.id : null;
  const a = byId.get(pair.a.id);
  const b = byId.get(pair.b.id);
  if (a === undefined || b === undefined) throw notFound(PAIR_UNAVAILABLE);
  const terms = termsOf(pair);
  const sideA = side({ ...pair.a, summary: a.summary ?? pair.a.summary }, a.description, terms);
  const sideB = side({ ...pair.b, summary: b.summary ?? pair.b.summary }, b.description, terms);
  // The detail has the descriptions at hand: terms only they share get their written form.
  const texts = [sideA, sideB].flatMap((s) => [s.issue.summary, s.descriptionSegments.map((d) => d.text).join('')]);
  const canLink = linkable.has(pair.a.id) || linkable.has(pair.b.id);
  // The issues through which Jira already joins the two, as the queue's row says them (not
  // for a confirmed pair, as there): Compare opened from a link, or for a pair the list no
  // longer shows, has no row to take them from.
  const through = pair.status === 'confirmed' ? null : ((await linkedThrough([pair], visible)).get(pair.id) ?? []);
  return {
    pair: { ...pairViewOf(withVisibleCluster(pair), settings.thresholds.duplicate), sharedTerms: sharedTermsOf(pair, texts), canLink, ...(through === null ? {} : { linkedThrough: through }) },
    a: sideA,
    b: sideB,
    jiraDuplicateId,
  };
}
