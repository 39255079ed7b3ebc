/**
 * Duplicate links made in Jira itself, followed by the analysis. Each issue a run or an issue
 * event reads from Jira brings its Duplicate links (`issuelinks`, stored as `docs.dup_links`).
 * Then:
 * - a pending pair whose two issues such a link joins is confirmed "linked in Jira": the team
 *   already decided, so the review queue, the badge and the create check stop asking, and a
 *   Confirm in the app cannot add a second link;
 * - a pair confirmed that way goes back to pending once neither issue shows the link (it
 *   was removed in Jira).
 * Decisions people made in the app are never changed. Each change is one history entry,
 * with no person (Jira does not say who made the link).
 */
import { appendActions, type ActionInput } from '../store/actions';
import { confirmAsLinkedInJira, jiraConfirmationsWithoutLink, pendingPairsLinkedInJira, reopenUnlinkedInJira, type LinkedPair } from '../store/jira-links';

export const LINKED_IN_JIRA_DETAIL = 'Linked as duplicates in Jira';
export const UNLINKED_IN_JIRA_DETAIL = 'The Duplicate link was removed in Jira';

function entry(action: 'confirm' | 'reopen', p: LinkedPair, detail: string): ActionInput {
  return { action, actorAccountId: null, pairId: p.id, issueKeys: [p.keyA, p.keyB], projectKeys: [p.projectA, p.projectB], detail };
}

/**
 * Applies the stored Duplicate links to the pairs. `docIds`: only links recorded on these
 * documents (an issue event); absent: every document (a run's last step).
 */
export async function followJiraLinks(docIds?: readonly string[], atMs: number = Date.now()): Promise<{ confirmed: number; reopened: number }> {
  const linked = await pendingPairsLinkedInJira(docIds);
  const confirmed = new Set(linked.length > 0 ? await confirmAsLinkedInJira(linked.map((p) => p.id), atMs) : []);
  const unlinked = await jiraConfirmationsWithoutLink(docIds);
  const reopened = new Set(unlinked.length > 0 ? await reopenUnlinkedInJira(unlinked.map((p) => p.id)) : []);
  await appendActions(
    [
      ...linked.filter((p) => confirmed.has(p.id)).map((p) => entry('confirm', p, LINKED_IN_JIRA_DETAIL)),
      ...unlinked.filter((p) => reopened.has(p.id)).map((p) => entry('reopen', p, UNLINKED_IN_JIRA_DETAIL)),
    ],
    atMs,
  );
  return { confirmed: confirmed.size, reopened: reopened.size };
}
