/**
 * Duplicate links made in Jira itself, followed by the analysis. Each issue a run or an issue
 * event reads from Jira brings its Duplicate links (`issuelinks`, stored as `docs.dup_links`,
 * which the app also updates when it makes or removes a link itself). What counts is a
 * change, so that a person's later decision is never undone by a link that was already there:
 * - a link that appears since the issue was last read confirms its pair, if pending, as
 *   "linked in Jira": the team decided in Jira, so the review queue, the badge and the create
 *   check stop asking, and a Confirm in the app cannot add a second link;
 * - a link that is gone since then puts a pair confirmed that way back to pending;
 * - a pair stored for the first time is confirmed at once when its issues are linked.
 * A read begun before the stored links were known (`docs.links_ms`: a later read stored them,
 * or the app made or removed a link since) is no change: its callers leave it out, so a page
 * read just before an Unlink does not confirm the pair again.
 * A pair someone dismissed, confirmed or reopened in the app keeps that decision. Each change
 * is one history entry, naming who made or removed the link when an issue-link event said so,
 * and no person otherwise (Jira's issue data does not say).
 */
import { pairId } from '../store/pairs';
import { decodeDupLinks } from '../store/docs';
import { appendActions, type ActionInput } from '../store/actions';
import { confirmAsLinkedInJira, newPairsLinkedInJira, pairsNamed, reopenUnlinkedInJira, type LinkedPair } from '../store/jira-links';

export const LINKED_IN_JIRA_DETAIL = 'Linked as duplicates in Jira';
export const UNLINKED_IN_JIRA_DETAIL = 'The Duplicate link was removed in Jira';

function entry(action: 'confirm' | 'reopen', p: LinkedPair, detail: string, actor: string | null): ActionInput {
  return { action, actorAccountId: actor, pairId: p.id, issueKeys: [p.keyA, p.keyB], projectKeys: [p.projectA, p.projectB], detail };
}

/** One issue as read now: its Duplicate links before (the stored `dup_links`, undefined when it was not stored) and now. */
export interface LinkRead {
  id: string;
  before: string | undefined;
  now: readonly string[];
}

/** The pairs whose link appeared, and whose link went, between what was stored and what was read. */
export function linkChanges(reads: readonly LinkRead[]): { appeared: string[]; gone: string[] } {
  const appeared = new Set<string>();
  const gone = new Set<string>();
  for (const r of reads) {
    const before = r.before === undefined ? { ids: [], cut: false } : decodeDupLinks(r.before);
    for (const other of r.now) if (!before.ids.includes(other)) appeared.add(pairId(r.id, other));
    // A list that was cut short names only some links: what it leaves out is not "gone".
    if (!before.cut) for (const other of before.ids) if (!r.now.includes(other)) gone.add(pairId(r.id, other));
  }
  return { appeared: [...appeared].sort(), gone: [...gone].sort() };
}

/** `actor`: who made or removed the link, when an issue-link event said so; null: Jira's data does not say. */
async function apply(confirm: LinkedPair[], reopen: LinkedPair[], atMs: number, actor: string | null): Promise<{ confirmed: number; reopened: number }> {
  const confirmed = new Set(confirm.length > 0 ? await confirmAsLinkedInJira(confirm.map((p) => p.id), atMs, actor) : []);
  const reopened = new Set(reopen.length > 0 ? await reopenUnlinkedInJira(reopen.map((p) => p.id)) : []);
  await appendActions(
    [
      ...confirm.filter((p) => confirmed.has(p.id)).map((p) => entry('confirm', p, LINKED_IN_JIRA_DETAIL, actor)),
      ...reopen.filter((p) => reopened.has(p.id)).map((p) => entry('reopen', p, UNLINKED_IN_JIRA_DETAIL, actor)),
    ],
    atMs,
  );
  return { confirmed: confirmed.size, reopened: reopened.size };
}

/** After issues were read from Jira and stored: the pairs whose Duplicate link appeared or went. */
export async function followLinkChanges(reads: readonly LinkRead[], atMs: number = Date.now(), actor: string | null = null): Promise<{ confirmed: number; reopened: number }> {
  const { appeared, gone } = linkChanges(reads);
  if (appeared.length === 0 && gone.length === 0) return { confirmed: 0, reopened: 0 };
  const [confirm, reopen] = await Promise.all([pairsNamed(appeared, 'pending'), pairsNamed(gone, 'linked-in-jira')]);
  return apply(confirm, reopen, atMs, actor);
}

/** After pairs were stored under `firstRun`: the new ones whose issues Jira already links. */
export async function followLinksOfNewPairs(firstRun: string, atMs: number = Date.now()): Promise<number> {
  const linked = await newPairsLinkedInJira(firstRun);
  return linked.length === 0 ? 0 : (await apply(linked, [], atMs, null)).confirmed;
}
