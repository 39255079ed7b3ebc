/**
 * Decisions on pairs: confirm (creates the Duplicate link in Jira as the user), dismiss
 * (remembered across re-runs: analysis never writes the review columns), reopen (back to
 * pending). Every decision goes to the action log.
 */
import { randomUUID } from 'node:crypto';
import { createDuplicateLink, createRelatesLink, findDuplicateLinkType, findRelatesLinkType, linkLanded, relatesLinked, removeDuplicateLinks, removeRelatesLinks, type LinkType } from '../../jira/links';
import { JiraError } from '../../jira/errors';
import type { DismissReason, Payload, ResultOf, ReviewStatus } from '../../shared/contract';
import { DISMISS_REASON_TEXT, percent } from '../../shared/wording';
import { recordAction } from '../../store/actions';
import { projectKeyOfIssueKey } from '../../shared/issue-key';
import { recordDupLink, type DocMeta } from '../../store/docs';
import { getPair, getPairs, setDismissReason, setPairStatus, type PairRow } from '../../store/review';
import { getSettings } from '../../store/settings';
import { ApiFailure, badRequest, forbidden, notFound, PAIR_UNAVAILABLE } from '../api-failure';
import type { CallContext } from '../call-context';
import { RESOLVER_BUDGET_MS } from '../define';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';
import { accessForIssues, withVisibleCluster, type Access } from '../visibility';
import { idsOfPairId } from './pairs';
import { defaultEnds, isoOf, pairViewOf, reviewStatusOf } from '../views';
import { IdGroups } from '../../engine';
import type { DuplicateForest } from './duplicate-forest';
import { linkOrder } from './link-plan';
import { duplicateForestNow } from './live-links';

type Decision = Payload<'pairs.decide'>['decision'];
type DecideResult = ResultOf<'pairs.decide'>;

/**
 * A link request Jira answered with a 5xx, and the link not there when asked right after; with
 * the wait Jira asked for when it gave one (Retry-After), in the words and as `retryAfterMs`.
 */
function linkRefusedBy5xx(err: JiraError): ApiFailure {
  const { retryAfterMs } = mapError(err).error;
  const when = retryAfterMs === undefined ? 'in a moment' : `in about ${retryAfterMs / 1000} s`;
  return new ApiFailure(
    'JIRA_ERROR',
    `Jira answered the link request with an error (HTTP ${err.status ?? '5xx'}), and the Duplicate link was not there when the app looked right after. Try again ${when}; confirming again makes no second link.`,
    undefined,
    retryAfterMs,
  );
}

/** A link request Jira did not answer, and the link not there when asked right after. */
export const LINK_OUTCOME_UNKNOWN =
  'Jira did not answer in time, and the Duplicate link was not there when the app looked right after; Jira may still make it. Reload in a moment to see; confirming again makes no second link.';

const TARGET: Record<Decision, ReviewStatus> = { confirm: 'confirmed', dismiss: 'dismissed', reopen: 'pending' };

async function accessFor(pairs: PairRow[], needLink: boolean): Promise<Access> {
  return accessForIssues(pairs.flatMap((p) => [p.a.id, p.b.id]), needLink);
}

/**
 * Throws when the pair is outside the page's project or the user may not act on it.
 * `dismissNeedsLink`: the admin's setting that a dismissal or a reopen needs Link Issues too.
 * `expected`: the status the caller saw; a pair no longer in it is CONFLICT before any
 * permission is weighed, so a stale Dismiss of a pair confirmed since hears that someone
 * decided it, not that confirmed pairs need Link Issues.
 */
function checkPair(pair: PairRow, decision: Decision, access: Access, ctx: CallContext, unlink = false, dismissNeedsLink = false, expected?: ReviewStatus): void {
  const projectKey = ctx.project?.key;
  const inPage = projectKey === undefined || pair.a.projectKey === projectKey || pair.b.projectKey === projectKey;
  const inIssue = ctx.issue === null || pair.a.id === ctx.issue.id || pair.b.id === ctx.issue.id;
  if (!inPage || !inIssue || !access.browse.has(pair.a.id) || !access.browse.has(pair.b.id)) {
    // Same answer for "does not exist" and "not yours to see": no existence leak.
    throw notFound(PAIR_UNAVAILABLE);
  }
  if (expected !== undefined && reviewStatusOf(pair.status) !== expected) throw conflict();
  // Jira enforces the exact rule when the link is created; this early check gives a clear
  // answer without a half-done decision. Holding Link Issues on one side is enough here.
  if (decision === 'confirm' && !access.link.has(pair.a.id) && !access.link.has(pair.b.id)) {
    throw forbidden('You need the Link Issues permission in this project to confirm a duplicate.');
  }
  if (unlink && !access.link.has(pair.a.id) && !access.link.has(pair.b.id)) {
    throw forbidden('You need the Link Issues permission in this project to remove a Duplicate link.');
  }
  // A confirmed pair stands for a Duplicate link someone with Link Issues made: only someone
  // who could have made it may overturn it (the link itself stays unless Unlink removes it).
  if (reviewStatusOf(pair.status) === 'confirmed' && decision !== 'confirm' && !access.link.has(pair.a.id) && !access.link.has(pair.b.id)) {
    throw forbidden(`You need the Link Issues permission in this project to ${decision === 'dismiss' ? 'dismiss' : 'reopen'} a confirmed duplicate.`);
  }
  if (dismissNeedsLink && decision !== 'confirm' && !access.link.has(pair.a.id) && !access.link.has(pair.b.id)) {
    throw forbidden(`A Jira admin has set this app so that only people with the Link Issues permission may ${decision === 'dismiss' ? 'dismiss suggestions' : 'reopen pairs'}.`);
  }
}

/**
 * The two ends of the Duplicate link: the issue named as the duplicate when one is; else, with
 * the links around the pair known (`forest`), the way that gives no issue a second
 * "duplicates" link (duplicate-forest.ts); else the one already closed as a duplicate in Jira,
 * else the newer one (it was filed second).
 */
function linkEnds(pair: PairRow, duplicateIssueId: string | undefined, forest: DuplicateForest | null): { duplicate: DocMeta; original: DocMeta } {
  if (forest !== null && duplicateIssueId === undefined) {
    const [dup] = forest.linkFor(pair.a.id, pair.b.id);
    return dup === pair.a.id ? { duplicate: pair.a, original: pair.b } : { duplicate: pair.b, original: pair.a };
  }
  if (duplicateIssueId === pair.a.id) return { duplicate: pair.a, original: pair.b };
  if (duplicateIssueId === pair.b.id) return { duplicate: pair.b, original: pair.a };
  return defaultEnds(pair);
}

async function applyDecision(
  pair: PairRow,
  decision: Decision,
  linkType: LinkType | null,
  ctx: CallContext,
  opts: {
    duplicateIssueId?: string | undefined;
    unlink?: boolean | undefined;
    joinedVia?: 'batch' | 'jira' | false;
    forest?: DuplicateForest;
    batchId?: string;
    reason?: DismissReason | null | undefined;
    /** With a dismissal as `related`: also link the two as related in Jira (a Relates link, as the user). */
    linkRelated?: boolean | undefined;
    /**
     * With a reopen of a dismissed pair, or a reason other than related given to one: also
     * remove the Relates links between the two, as the user.
     */
    unlinkRelated?: boolean | undefined;
    /** The status the caller saw: CONFLICT, and nothing done, when the pair has left it. */
    expected?: ReviewStatus | undefined;
    /** With `expected`: when the decision the caller saw was made; decided again since is CONFLICT too. */
    expectedDecidedAt?: string | undefined;
  } = {},
): Promise<DecideResult> {
  // `joinedVia`: a bulk confirmation has already joined the two issues through links it made
  // to a third; the pair is confirmed without a link of its own (see link-plan.ts).
  // `forest`: the Duplicate links around the issues, as a batch read them; a single
  // confirmation reads them itself.
  const { duplicateIssueId, unlink = false, joinedVia = false } = opts;
  const target = TARGET[decision];
  const current = reviewStatusOf(pair.status);
  if (opts.expected !== undefined && current !== opts.expected) throw conflict();
  if (opts.expectedDecidedAt !== undefined && isoOf(pair.decidedMs) !== opts.expectedDecidedAt) throw conflict();
  // A reason for a pair already dismissed (or one taken back): only the reason is recorded.
  if (decision === 'dismiss' && current === 'dismissed' && opts.reason !== undefined) {
    return recordDismissReason(pair, opts.reason, ctx, { batchId: opts.batchId ?? null, linkRelated: opts.linkRelated === true, unlinkRelated: opts.unlinkRelated === true });
  }
  const reason = opts.reason ?? null;
  let link: DecideResult['link'] = null;
  let unlinked: number | undefined;
  let unlinkedRelated: number | undefined;
  let alreadyLinked = false;
  let joinedThrough: string[] = [];
  if (unlink) {
    if (current !== 'confirmed') throw badRequest('Only a confirmed pair has a Duplicate link to remove.', { unlink: 'the pair is not confirmed' });
    // The links first: if Jira refuses, the pair stays confirmed, as its links do.
    unlinked = await removeDuplicateLinks(pair.a.id, pair.b.id);
    // Jira has no Duplicate link between them now: the next read must not take that for a removal in Jira.
    await recordDupLink(pair.a.id, pair.b.id, false);
  }
  if (opts.unlinkRelated === true) {
    if (current !== 'dismissed') throw badRequest('Only a dismissed pair can have its Relates link removed.', { unlinkRelated: 'the pair is not dismissed' });
    // The links first: if Jira refuses, the pair stays dismissed, as its link does.
    unlinkedRelated = await removeRelatesLinks(pair.a.id, pair.b.id);
  }
  // Issues Jira already joins as duplicates, directly or through other issues, get no new
  // link; others get the one link that joins them without giving an issue a second
  // "duplicates" link (duplicate-forest.ts). A single decision reads the links around its two
  // issues from Jira now (a link made or removed since the last read, whose event may not
  // have arrived yet, counts); a batch has read them for all its issues once.
  let forest: DuplicateForest | null = null;
  if (decision === 'confirm' && !joinedVia) {
    forest = opts.forest ?? null;
    if (forest === null) {
      const read = await duplicateForestNow([pair.a, pair.b], 'pairs.decide');
      forest = read.forest;
      if (read.source === 'jira') await recordDupLink(pair.a.id, pair.b.id, forest.linkedDirectly(pair.a.id, pair.b.id));
    }
    const between = forest.between(pair.a.id, pair.b.id);
    if (between !== null) {
      alreadyLinked = true;
      joinedThrough = between.map((id) => (forest as DuplicateForest).keyOf(id));
    }
  }
  const willLink = decision === 'confirm' && !joinedVia && !alreadyLinked;
  if (willLink && linkType === null) {
    throw new ApiFailure('JIRA_ERROR', 'This Jira site has no Duplicate link type. Ask a Jira admin to add one, then confirm again.');
  }
  // A confirmation claims the pair before it links: of two people confirming at once, only one
  // makes a link (the other gets CONFLICT and links nothing), and the link's own event finds
  // the pair decided. A confirmation that came from a Jira link becomes this person's.
  const claimed = current !== target || (decision === 'confirm' && pair.decidedInJira);
  if (claimed) {
    if (!(await setPairStatus(pair.id, target, ctx.accountId, Date.now(), current, reason))) throw conflict();
  }
  if (willLink && linkType !== null) {
    const { duplicate, original } = linkEnds(pair, duplicateIssueId, forest);
    try {
      await createDuplicateLink(linkType, duplicate.key, original.key);
    } catch (err) {
      // A request whose answer was lost (timeout, 5xx) may have made the link all the same:
      // Jira is asked before the confirmation is called failed.
      // (A 429 was refused before anything was done.)
      const unknown = err instanceof JiraError && (err.code === 'SERVER_ERROR' || err.code === 'NETWORK' || err.code === 'TIMEOUT');
      if (!unknown || !(await linkLanded(duplicate.id, original.id))) {
        // Jira refused, or the link is not there: the pair goes back to what it was, as if nothing had been decided.
        // A pair that was pending keeps its reopen, or its lack of one.
        if (claimed) await setPairStatus(pair.id, current, pair.decidedBy, pair.decidedMs ?? Date.now(), target, null, pair.reopenedMs);
        // Not there now may still mean on its way: say so rather than that nothing happened.
        // Jira did answer, with an error: said as such (a timeout is the case that may still land).
        if (unknown) throw err instanceof JiraError && err.code === 'SERVER_ERROR' ? linkRefusedBy5xx(err) : new ApiFailure('JIRA_ERROR', LINK_OUTCOME_UNKNOWN);
        throw err;
      }
    }
    await recordDupLink(duplicate.id, original.id, true);
    link = { created: true, inwardKey: duplicate.key, outwardKey: original.key };
    forest?.add(duplicate.id, original.id);
  }
  // A dismissal as related, linked as such in Jira at once (the pages ask for it after). A
  // link Jira refuses does not undo the dismissal: it is recorded, then the refusal is said.
  let related: RelatedLink | null = null;
  let relatedFailure: ApiFailure | null = null;
  if (decision === 'dismiss' && opts.linkRelated === true) {
    try {
      related = await linkAsRelated(pair);
    } catch (err) {
      const mapped = mapError(err);
      relatedFailure = new ApiFailure(mapped.error.code, `The pair is dismissed as related, but the Relates link was not made: ${mapped.error.message}`, undefined, mapped.error.retryAfterMs);
    }
  }
  const entry = await recordAction({
    // The undo of a link is its own entry: "Unlinked and reopened a pair", not a plain reopen.
    action: unlink ? 'unlink' : decision,
    actorAccountId: ctx.accountId,
    pairId: pair.id,
    batchId: opts.batchId ?? null,
    // The issues it was joined through are named in the detail: they count, and their projects,
    // for who may read it (someone a security level hides one of them from may not).
    issueKeys: [pair.a.key, pair.b.key, ...joinedThrough],
    projectKeys: [pair.a.projectKey, pair.b.projectKey, ...joinedThrough.map(projectKeyOfIssueKey)],
    detail:
      `score ${percent(pair.score)}, ${current === target && pair.decidedInJira ? `${target} through a Jira link before` : `${current} → ${target}`}${link ? `; ${link.inwardKey} duplicates ${link.outwardKey}` : ''}` +
      `${joinedVia === 'batch' ? '; already joined through the Duplicate links made with it' : joinedVia === 'jira' ? '; already joined through Duplicate links in Jira, so no link was added' : ''}` +
      `${alreadyLinked ? (joinedThrough.length > 0 ? `; already joined as duplicates in Jira through ${joinedThrough.join(', ')}, so no link was added` : '; already linked as duplicates in Jira, so no link was added') : ''}` +
      `${unlinked === undefined ? '' : unlinked === 0 ? '; there was no Duplicate link between them to remove' : `; Duplicate links removed: ${unlinked}`}` +
      `${unlinkedRelated === undefined ? '' : unlinkedRelated === 0 ? '; there was no Relates link between them to remove' : `; Relates links removed: ${unlinkedRelated}`}` +
      `${decision === 'dismiss' && reason !== null ? `; why: ${DISMISS_REASON_TEXT[reason]}` : ''}` +
      relatedNote(related),
  });
  logEvent('pairs.decided', { pairId: pair.id, decision, from: current, to: target, linked: link !== null, ...(unlinked !== undefined ? { unlinked } : {}) });
  if (relatedFailure !== null) throw relatedFailure;
  const fresh = await getPair(pair.id);
  return {
    // Made, and not in the history: said, so the person knows the history will not show it.
    ...(entry === null ? { notInHistory: true as const } : {}),
    pair: pairViewOf(withVisibleCluster(fresh ?? { ...pair, status: target })),
    link,
    ...(unlinked !== undefined ? { unlinked } : {}),
    ...(unlinkedRelated !== undefined ? { unlinkedRelated } : {}),
    ...(alreadyLinked ? { alreadyLinked: true } : {}),
    ...(joinedThrough.length > 0 ? { joinedThrough } : {}),
    ...(related !== null ? { relatedLink: related } : {}),
  };
}

type RelatedLink = { created: boolean; inwardKey: string; outwardKey: string };

/**
 * Links a pair dismissed as related as such in Jira, as the user: "newer relates to older"
 * (a Relates link Jira already has between them, either way round, is kept and none added).
 */
async function linkAsRelated(pair: PairRow): Promise<RelatedLink> {
  const [from, to] = pair.a.createdMs >= pair.b.createdMs ? [pair.a, pair.b] : [pair.b, pair.a];
  if (await relatesLinked(from.id, to.id)) return { created: false, inwardKey: from.key, outwardKey: to.key };
  const type = await findRelatesLinkType();
  if (type === null) throw new ApiFailure('JIRA_ERROR', 'This Jira site has no Relates link type. Ask a Jira admin to add one, then try again.');
  await createRelatesLink(type, from.key, to.key);
  // Reopened or decided otherwise while Jira made the link (an Undo, a colleague): the link
  // would be left behind a pair that is no longer dismissed as related, so it goes again.
  const now = await getPair(pair.id);
  if (now === null || reviewStatusOf(now.status) !== 'dismissed') {
    try {
      await removeRelatesLinks(from.id, to.id);
    } catch {
      throw new ApiFailure('CONFLICT', `Someone decided this pair while the Relates link was made, and the link could not be taken back: remove "${from.key} relates to ${to.key}" in Jira.`);
    }
    throw conflict();
  }
  logEvent('pairs.linkedRelated', { pairId: pair.id });
  return { created: true, inwardKey: from.key, outwardKey: to.key };
}

const relatedNote = (related: RelatedLink | null): string =>
  related === null ? '' : related.created ? `; linked in Jira: ${related.inwardKey} relates to ${related.outwardKey}` : '; already linked as related in Jira';

/**
 * Why a dismissed pair is not a duplicate, said after the dismissal (or again, otherwise), or
 * taken back (`null`): the pair stays as it was decided, by whom and when; the history says
 * who gave the reason. The same reason again changes nothing and records nothing (a repeated
 * request). A Relates link asked for a pair already dismissed as related is recorded as such.
 * `unlinkRelated` (a reason other than related, or none, after the page linked the two as
 * related for this dismissal): the Relates links between the two are removed first, so that
 * when Jira refuses, the reason stays as it was, as the link does.
 */
async function recordDismissReason(
  pair: PairRow,
  reason: DismissReason | null,
  ctx: CallContext,
  opts: { batchId: string | null; linkRelated: boolean; unlinkRelated: boolean },
): Promise<DecideResult> {
  const changed = pair.dismissReason !== reason;
  const unlinkedRelated = opts.unlinkRelated ? await removeRelatesLinks(pair.a.id, pair.b.id) : undefined;
  if (changed && !(await setDismissReason(pair.id, reason, ctx.accountId))) throw conflict();
  const related = opts.linkRelated ? await linkAsRelated(pair) : null;
  const unlinkNote = unlinkedRelated === undefined || unlinkedRelated === 0 ? '' : `; Relates links removed: ${unlinkedRelated}`;
  let recorded = true;
  if (changed || related?.created === true || unlinkNote !== '') {
    const said = reason !== null ? `why: ${DISMISS_REASON_TEXT[reason]}` : `no reason now (was: ${pair.dismissReason !== null ? DISMISS_REASON_TEXT[pair.dismissReason] : 'none'})`;
    const entry = await recordAction({
      action: changed || related?.created !== true ? 'dismiss.reason' : 'link.related',
      actorAccountId: ctx.accountId,
      pairId: pair.id,
      batchId: opts.batchId,
      issueKeys: [pair.a.key, pair.b.key],
      projectKeys: [pair.a.projectKey, pair.b.projectKey],
      detail: `score ${percent(pair.score)}; ${changed || related?.created !== true ? `${said}${relatedNote(related)}${unlinkNote}` : relatedNote(related).replace(/^; /, '')}`,
    });
    recorded = entry !== null;
    logEvent('pairs.dismissReason', { pairId: pair.id, reason, ...(unlinkedRelated !== undefined ? { unlinkedRelated } : {}) });
  }
  const fresh = await getPair(pair.id);
  return {
    pair: pairViewOf(withVisibleCluster(fresh ?? { ...pair, dismissReason: reason })),
    link: null,
    ...(related !== null ? { relatedLink: related } : {}),
    ...(unlinkedRelated !== undefined ? { unlinkedRelated } : {}),
    ...(recorded ? {} : { notInHistory: true as const }),
  };
}

/** The request's own rules on `duplicateIssueId`, `unlink` and `reason`, checked before anything is read. */
function checkDecisionOptions(
  decision: Decision,
  opts: { duplicateIssueId?: string | undefined; unlink: boolean; reason?: DismissReason | null | undefined; linkRelated?: boolean | undefined; unlinkRelated?: boolean | undefined },
): void {
  if (opts.reason !== undefined && decision !== 'dismiss') {
    throw badRequest('Only a dismissal takes a reason.', { reason: 'only with decision "dismiss"' });
  }
  if (opts.linkRelated === true && (decision !== 'dismiss' || opts.reason !== 'related')) {
    throw badRequest('Only a pair dismissed as related can be linked as related.', { linkRelated: 'only with decision "dismiss" and reason "related"' });
  }
  if (opts.duplicateIssueId !== undefined && decision !== 'confirm') {
    throw badRequest('Only a confirmation links the issues, so only it takes the issue to mark as the duplicate.', { duplicateIssueId: 'only with decision "confirm"' });
  }
  if (opts.unlink && decision !== 'reopen') {
    throw badRequest('Only reopening a confirmed pair can remove its Duplicate link.', { unlink: 'only with decision "reopen"' });
  }
  // Removed with the Undo of the dismissal (a reopen), or with a reason that is no longer `related`.
  if (opts.unlinkRelated === true && decision !== 'reopen' && !(decision === 'dismiss' && opts.reason !== undefined && opts.reason !== 'related')) {
    throw badRequest('Only reopening a dismissed pair, or giving it a reason other than related, can remove its Relates link.', {
      unlinkRelated: 'only with decision "reopen", or "dismiss" with a reason other than "related"',
    });
  }
}

export async function decideMethod(payload: Payload<'pairs.decide'>, ctx: CallContext): Promise<DecideResult> {
  const { duplicateIssueId } = payload;
  const unlink = payload.unlink === true;
  const linkRelated = payload.linkRelated === true;
  const unlinkRelated = payload.unlinkRelated === true;
  checkDecisionOptions(payload.decision, { duplicateIssueId, unlink, reason: payload.reason, linkRelated, unlinkRelated });
  const [pair, settings] = await Promise.all([getPair(payload.pairId), getSettings()]);
  const needLink = payload.decision === 'confirm';
  if (!pair) {
    // The same Jira calls as for a pair the user may not see, on the ids its id names, so the
    // time of the answer does not tell a missing pair from a hidden one.
    const ids = idsOfPairId(payload.pairId);
    if (ids !== null) await Promise.all([accessForIssues(ids, needLink || unlink || unlinkRelated || linkRelated || settings.dismissNeedsLink), needLink ? findDuplicateLinkType() : null]);
    throw notFound(PAIR_UNAVAILABLE);
  }
  const overturns = reviewStatusOf(pair.status) === 'confirmed';
  const [access, linkType] = await Promise.all([
    accessFor([pair], needLink || unlink || overturns || settings.dismissNeedsLink || linkRelated || unlinkRelated),
    needLink ? findDuplicateLinkType() : Promise.resolve(null),
  ]);
  checkPair(pair, payload.decision, access, ctx, unlink, settings.dismissNeedsLink, payload.expected);
  // Checked after the access check, so the answer says nothing about a pair the user may not see.
  if (duplicateIssueId !== undefined && duplicateIssueId !== pair.a.id && duplicateIssueId !== pair.b.id) {
    throw badRequest('The issue to mark as the duplicate must be one of the pair.', { duplicateIssueId: 'not one of the pair' });
  }
  if (linkRelated && !access.link.has(pair.a.id) && !access.link.has(pair.b.id)) {
    throw forbidden('You need the Link Issues permission in this project to link issues as related.');
  }
  if (unlinkRelated && !access.link.has(pair.a.id) && !access.link.has(pair.b.id)) {
    throw forbidden('You need the Link Issues permission in this project to remove a Relates link.');
  }
  return applyDecision(pair, payload.decision, linkType, ctx, {
    duplicateIssueId,
    unlink,
    reason: payload.reason,
    linkRelated,
    unlinkRelated,
    expected: payload.expected,
    expectedDecidedAt: payload.expectedDecidedAt,
  });
}

/** A pair someone else decided between the caller's look and this decision. */
function conflict(): ApiFailure {
  return new ApiFailure('CONFLICT', 'Someone else decided this pair meanwhile. Reload to see where it stands.');
}

/** Leave time to answer: items not reached by then are reported, not silently dropped. */
const BULK_BUDGET_MS = RESOLVER_BUDGET_MS - 4_000;

/**
 * The pairs of a bulk call whose Duplicate links go: all with `unlink`, those named in
 * `unlinkPairIds` with it (a reopen only, not with `unlink`, each one of `pairIds`).
 */
function unlinkedOf(payload: Payload<'pairs.bulkDecide'>, ids: readonly string[]): (pairId: string) => boolean {
  if (payload.unlinkPairIds === undefined) return () => payload.unlink === true;
  if (payload.decision !== 'reopen') {
    throw badRequest('Only reopening confirmed pairs can remove their Duplicate links.', { unlinkPairIds: 'only with decision "reopen"' });
  }
  if (payload.unlink === true) {
    throw badRequest('Name the pairs to unlink, or unlink them all, not both.', { unlinkPairIds: 'not with "unlink"' });
  }
  const chosen = new Set(payload.unlinkPairIds);
  const all = new Set(ids);
  if ([...chosen].some((id) => !all.has(id))) {
    throw badRequest('Only a pair the call reopens can have its Duplicate link removed.', { unlinkPairIds: 'only pairs of pairIds' });
  }
  return (pairId) => chosen.has(pairId);
}

export async function bulkDecideMethod(payload: Payload<'pairs.bulkDecide'>, ctx: CallContext): Promise<ResultOf<'pairs.bulkDecide'>> {
  const ids = [...new Set(payload.pairIds)];
  const unlink = payload.unlink === true;
  checkDecisionOptions(payload.decision, { unlink, reason: payload.reason });
  const unlinks = unlinkedOf(payload, ids);
  const anyUnlink = ids.some(unlinks);
  const needLink = payload.decision === 'confirm';
  const [rows, settings] = await Promise.all([getPairs(ids), getSettings()]);
  const pairs = new Map(rows.map((p) => [p.id, p]));
  // As decideMethod does for a missing pair: the ids a missing pair's id names are asked about
  // with the others, and the link type is looked up for any confirmation, so the Jira calls,
  // and the time of the answer, do not tell a missing pair from one the caller may not see.
  const missingIds = ids.filter((id) => !pairs.has(id)).flatMap((id) => idsOfPairId(id) ?? []);
  const [access, linkType] = await Promise.all([
    accessForIssues(
      [...[...pairs.values()].flatMap((p) => [p.a.id, p.b.id]), ...missingIds],
      needLink || anyUnlink || settings.dismissNeedsLink || [...pairs.values()].some((p) => reviewStatusOf(p.status) === 'confirmed'),
    ),
    needLink ? findDuplicateLinkType() : Promise.resolve(null),
  ]);

  type Item = ResultOf<'pairs.bulkDecide'>['results'][number];
  const byId = new Map<string, Item>();
  // A confirmation links in the plan's order, so the batch makes one link per issue it joins
  // (link-plan.ts); answers keep the request's order.
  const order = needLink ? [...linkOrder([...pairs.values()]).map((p) => p.id), ...ids.filter((id) => !pairs.has(id))] : ids;
  // The Duplicate links around the batch's issues, read from Jira once for the whole batch
  // (live-links.ts), as a single Confirm reads them for its pair; the links the batch makes
  // are added as it goes. A pair whose issues they already join needs no link of its own.
  let forest: DuplicateForest | null = null;
  const inJira = new IdGroups();
  // One id for the batch's history entries: the history shows them as one bulk action (the
  // reopens and unlinks of an Undo alike, so the Undo sends them in one call).
  const batchId = randomUUID();
  if (needLink) {
    const actionable = [...pairs.values()].filter((p) => access.browse.has(p.a.id) && access.browse.has(p.b.id));
    forest = (await duplicateForestNow([...new Map(actionable.flatMap((p) => [[p.a.id, p.a], [p.b.id, p.b]] as const)).values()], 'pairs.bulk')).forest;
    for (const p of actionable) if (forest.between(p.a.id, p.b.id) !== null) inJira.join(p.a.id, p.b.id);
  }
  for (const pairId of order) {
    if (Date.now() - ctx.startedAt > BULK_BUDGET_MS) {
      byId.set(pairId, { pairId, ok: false, code: 'INTERNAL', error: 'Not processed: time ran out. Run it again for the rest.' });
      continue;
    }
    try {
      const pair = pairs.get(pairId);
      if (!pair) throw notFound(PAIR_UNAVAILABLE);
      checkPair(pair, payload.decision, access, ctx, unlinks(pairId), settings.dismissNeedsLink, payload.expected);
      // Joined by links Jira had before the batch: 'jira'; only through the batch's own links: 'batch'.
      const joinedVia = forest === null || forest.between(pair.a.id, pair.b.id) === null ? false : inJira.joined(pair.a.id, pair.b.id) ? 'jira' : 'batch';
      const done = await applyDecision(pair, payload.decision, linkType, ctx, {
        unlink: unlinks(pairId),
        joinedVia,
        batchId,
        reason: payload.reason,
        expected: payload.expected,
        expectedDecidedAt: payload.expectedDecidedAt?.[pairId],
        ...(forest !== null ? { forest } : {}),
      });
      byId.set(pairId, {
        pairId,
        ok: true,
        ...(needLink ? { linked: done.link !== null } : {}),
        ...(needLink && done.link === null ? { joined: joinedVia === 'batch' ? ('batch' as const) : ('jira' as const) } : {}),
        ...(done.unlinked !== undefined ? { unlinked: done.unlinked } : {}),
        ...(done.pair.decidedAt !== null ? { decidedAt: done.pair.decidedAt } : {}),
        ...(done.notInHistory === true ? { notInHistory: true as const } : {}),
      });
    } catch (err) {
      // One failure never stops the batch; each item says what happened to it.
      const mapped = mapError(err);
      logEvent('pairs.bulk.item', { pairId, status: 'failed', ...mapped.log });
      // The code too: a page tells a pair someone else decided first (CONFLICT) from a failure.
      byId.set(pairId, { pairId, ok: false, code: mapped.error.code, error: mapped.error.message });
    }
  }
  const results = ids.map((pairId) => byId.get(pairId) ?? { pairId, ok: false, code: 'INTERNAL' as const, error: 'Not processed.' });
  return { results };
}
