/**
 * `clusters.link`: settles a cluster in one step. Every other issue of the cluster gets a
 * Jira Duplicate link to the issue kept ("X duplicates KEEP", as the user), and the
 * cluster's pending pairs among the linked issues become confirmed. A cluster of n issues
 * costs n - 1 links, where confirming its pairs one by one would add a link per pair.
 */
import { buildClusters } from '../../engine';
import { createDuplicateLink, findDuplicateLinkType } from '../../jira/links';
import { isolate } from '../../shared/bidi';
import type { Payload, ResultOf, Tier } from '../../shared/contract';
import { plural } from '../../shared/wording';
import { recordAction } from '../../store/actions';
import { getDocsByIds, recordDupLink, toIssueRef } from '../../store/docs';
import { pairsAmong, setPairStatus, type PairRow } from '../../store/review';
import { actorNames } from '../actor-names';
import { ApiFailure, badRequest, forbidden, notFound } from '../api-failure';
import type { CallContext } from '../call-context';
import { RESOLVER_BUDGET_MS } from '../define';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';
import { isoOf, reviewStatusOf } from '../views';
import { accessForIssues } from '../visibility';
import { duplicateForestNow } from './live-links';

type LinkResult = ResultOf<'clusters.link'>;

/** Leave time to confirm the pairs and answer: issues not reached are reported, not dropped. */
const LINK_BUDGET_MS = RESOLVER_BUDGET_MS - 6_000;
const UNAVAILABLE = 'These issues are not available to you, or no longer analysed. Reload the clusters.';

export async function clusterLinkMethod(payload: Payload<'clusters.link'>, ctx: CallContext): Promise<LinkResult> {
  const duplicateIds = [...new Set(payload.duplicateIssueIds)];
  if (duplicateIds.includes(payload.keepIssueId)) {
    throw badRequest('The issue to keep cannot also be linked as a duplicate.', { duplicateIssueIds: 'must not include keepIssueId' });
  }
  const ids = [payload.keepIssueId, ...duplicateIds];
  // The cluster as the user saw it: the issues chosen, and those that join them.
  const members = [...new Set([...ids, ...payload.memberIssueIds])];
  const [docs, pairs, access] = await Promise.all([getDocsByIds(members), pairsAmong(members), accessForIssues(members, true)]);
  // Same answer for "not stored" and "not yours to see": no existence leak.
  if (members.some((id) => !docs.has(id) || !access.browse.has(id))) throw notFound(UNAVAILABLE);
  const pageKey = ctx.project?.key;
  if (pageKey !== undefined && !ids.some((id) => docs.get(id)?.projectKey === pageKey)) throw notFound(UNAVAILABLE);
  // Only issues that still belong with the kept one: joined to it by live, undismissed
  // duplicate-tier pairs, directly or through other members.
  const live = pairs.filter((p) => reviewStatusOf(p.status) !== 'dismissed').map((p) => ({ a: p.a.id, b: p.b.id, score: p.score, tier: p.tier as Tier }));
  const keepCluster = new Set(buildClusters(live, { tier: 'duplicate' }).find((c) => c.members.includes(payload.keepIssueId))?.members ?? []);
  const strays = duplicateIds.filter((id) => !keepCluster.has(id)).map((id) => docs.get(id)?.key ?? id);
  if (strays.length > 0) {
    const keepKey = docs.get(payload.keepIssueId)?.key ?? 'the kept issue';
    throw badRequest(`${strays.join(', ')} ${strays.length === 1 ? 'is' : 'are'} no longer in one cluster with ${keepKey}. Reload the clusters.`, { duplicateIssueIds: 'not one cluster' });
  }
  // A chosen issue whose own pair with the kept one is dismissed (someone said they are not
  // duplicates, maybe after the page listed the cluster, which still joins them through other
  // issues): a link would overturn that decision. Refused, as a stale Confirm is.
  const dismissedWithKeep = duplicateIds.filter((id) => pairs.some((p) => reviewStatusOf(p.status) === 'dismissed' && [p.a.id, p.b.id].sort().join() === [id, payload.keepIssueId].sort().join()));
  if (dismissedWithKeep.length > 0) {
    const keepKey = docs.get(payload.keepIssueId)?.key ?? 'the kept issue';
    const keys = dismissedWithKeep.map((id) => docs.get(id)?.key ?? id);
    throw new ApiFailure(
      'CONFLICT',
      keys.length === 1
        ? `${keys[0]} and ${keepKey} were dismissed as not duplicates, so nothing was linked. Reload the clusters to see where they stand; to link them, reopen that pair in the review queue first.`
        : `${keys.join(', ')} were each dismissed as not duplicates of ${keepKey}, so nothing was linked. Reload the clusters to see where they stand; to link them, reopen those pairs in the review queue first.`,
    );
  }
  // Two chosen issues someone dismissed as not duplicates of each other: linked to one issue,
  // Jira makes them duplicates of it, and so of each other. Done only when the person saw each
  // such dismissal (the page names it and asks) and sent it back with the time it showed; one
  // made or made again after the page read the cluster refuses the link.
  const chosen = new Set(duplicateIds);
  const dismissedAmongChosen = pairs.filter((p) => reviewStatusOf(p.status) === 'dismissed' && chosen.has(p.a.id) && chosen.has(p.b.id));
  const known = payload.knownDismissals ?? {};
  const unseen = dismissedAmongChosen.filter((p) => known[p.id] !== (isoOf(p.decidedMs) ?? ''));
  if (unseen.length > 0) throw await dismissedTogether(unseen, docs.get(payload.keepIssueId)?.key ?? 'the kept issue');
  if (!ids.some((id) => access.link.has(id))) throw forbidden('You need the Link Issues permission in this project to link duplicates.');
  const linkType = await findDuplicateLinkType();
  if (linkType === null) throw new ApiFailure('JIRA_ERROR', 'This Jira site has no Duplicate link type. Ask a Jira admin to add one, then try again.');

  const keep = docs.get(payload.keepIssueId);
  if (!keep) throw notFound(UNAVAILABLE);
  // The Duplicate links Jira has now around the cluster's issues (read once for the cluster):
  // an issue they already join to the kept one, directly or through other issues, gets no
  // link of its own (duplicate-forest.ts).
  const { forest } = await duplicateForestNow(
    ids.flatMap((id) => docs.get(id) ?? []),
    'clusters.link',
  );
  const results: LinkResult['results'] = [];
  const linked = new Set<string>([keep.id]);
  for (const id of duplicateIds) {
    const doc = docs.get(id);
    if (!doc) continue;
    if (Date.now() - ctx.startedAt > LINK_BUDGET_MS) {
      results.push({ issueId: id, key: doc.key, ok: false, error: 'Not linked: time ran out. Run it again for the rest.' });
      continue;
    }
    try {
      // Already linked as duplicates in Jira (either way): no second link, the issue counts as linked.
      const joined = forest.between(id, keep.id) !== null;
      if (!joined) {
        await createDuplicateLink(linkType, doc.key, keep.key);
        await recordDupLink(id, keep.id, true);
        forest.add(id, keep.id);
      }
      linked.add(id);
      results.push({ issueId: id, key: doc.key, ok: true, ...(joined ? { joined: true } : {}) });
    } catch (err) {
      // One refusal (say, no Link Issues in that issue's project) never stops the others.
      const mapped = mapError(err);
      logEvent('clusters.link.item', { status: 'failed', ...mapped.log });
      results.push({ issueId: id, key: doc.key, ok: false, error: mapped.error.message });
    }
  }

  // Pairs between issues now linked to the same one are settled; others stay as they were.
  let pairsConfirmed = 0;
  const now = Date.now();
  for (const pair of pairs) {
    if (reviewStatusOf(pair.status) !== 'pending' || !linked.has(pair.a.id) || !linked.has(pair.b.id)) continue;
    if (await setPairStatus(pair.id, 'confirmed', ctx.accountId, now, 'pending')) pairsConfirmed++;
  }
  const linkedKeys = results.filter((r) => r.ok).map((r) => r.key);
  // The dismissals the person chose to link over, where both issues are now linked: said in the history.
  const overridden = dismissedAmongChosen.filter((p) => linked.has(p.a.id) && linked.has(p.b.id)).map((p) => `${p.a.key} and ${p.b.key}`);
  const failed = results.length - linkedKeys.length;
  const alreadyJoined = results.filter((r) => r.ok && r.joined === true).length;
  await recordAction({
    action: 'cluster.link',
    actorAccountId: ctx.accountId,
    issueKeys: [keep.key, ...linkedKeys],
    projectKeys: [...new Set([keep.projectKey, ...[...linked].map((id) => docs.get(id)?.projectKey ?? keep.projectKey)])],
    // Counts the links made, as the flag does; the issues Jira already joined are said apart.
    detail: `${plural(linkedKeys.length - alreadyJoined, 'issue')} linked as ${linkedKeys.length - alreadyJoined === 1 ? 'a duplicate' : 'duplicates'} of ${keep.key}${alreadyJoined > 0 ? `; ${alreadyJoined} already joined to it in Jira, so no link was added` : ''}; ${plural(pairsConfirmed, 'pair')} confirmed${failed > 0 ? `; ${failed} not linked` : ''}${overridden.length > 0 ? `; linked although ${overridden.join(', ')} ${overridden.length === 1 ? 'were' : 'were each'} dismissed as not duplicates of each other` : ''}`,
  });
  logEvent('clusters.linked', { size: ids.length, linked: linkedKeys.length, failed, pairsConfirmed, dismissedLinked: overridden.length });
  return { keep: toIssueRef(keep), results, pairsConfirmed };
}

/**
 * The refusal for dismissed pairs among the chosen issues that the request did not say it
 * knew of: which two, and who dismissed them (by the names Jira shows the viewer; without a
 * name when Jira cannot be asked).
 */
async function dismissedTogether(pairs: PairRow[], keepKey: string): Promise<ApiFailure> {
  const names = new Map((await actorNames(pairs.map((p) => p.decidedBy), 'clusters.link.actors')).map((a) => [a.accountId, a.displayName]));
  const said = pairs.map((p) => {
    const by = p.decidedBy === null ? undefined : names.get(p.decidedBy);
    // Isolated: a right-to-left name would otherwise carry the bracket and the words after it to its side.
    return `${p.a.key} and ${p.b.key}${by === undefined ? '' : ` (by ${isolate(by)})`}`;
  });
  const one = pairs.length === 1;
  return new ApiFailure(
    'CONFLICT',
    `${said.join('; ')} ${one ? 'were' : 'were each'} dismissed as not duplicates of each other, and linking ${one ? 'both' : 'them'} to ${keepKey} would make them duplicates of one issue, so nothing was linked. Leave one of ${one ? 'the two' : 'each two'} out, or say that you link them knowing it.`,
    { knownDismissals: `must name ${pairs.map((p) => p.id).join(', ')}, each with the time of its dismissal` },
  );
}
