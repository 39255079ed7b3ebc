/**
 * Keeping results current from Jira's issue events (created / updated / deleted), so the
 * issue view answers from SQL at once. What is kept per issue is each analysis's business
 * (`IssueAnalysis.issueChanged`); this module decides whether an issue is in the analysed
 * set at all.
 *
 * created/updated: fetch the issue asApp (events carry no description; an event of a project
 * not analysed is ignored without a fetch unless the issue is stored); out of scope, or not
 * shown to the app (404), it is forgotten; in scope, every analysis takes the change.
 * deleted: remember the delete, then forget the issue everywhere. A created/updated event
 * whose fetch ran before the deletion checks after its own writes and forgets what it stored
 * (see src/store/deleted-issues.ts).
 */
import { JiraError } from '../jira/errors';
import { fetchIssue, parseJiraTime, type JiraIssue } from '../jira/issues';
import { searchPage } from '../jira/search';
import type { Settings } from '../shared/contract';
import { deletedAmong, recordDeletedIssues } from '../store/deleted-issues';
import { getDocHashes, getDocStates, type DocState } from '../store/docs';
import { clearLeftScopeBefore, recordLeftScope } from '../store/left-scope';
import { getSettings, typeAnalysed } from '../store/settings';
import { ANALYSES, forgetDeletedAmong, forgetIssues, forgetLeftScopeAmong } from './analyses';
import type { IncrementalOutcome, IssueAnalysis } from './issue-analysis';
import { jqlString, stripOrderBy } from './scope-jql';

/**
 * How long an issue's update may spend on Jira, from the start of the invocation that makes
 * it: a product-event trigger and the issue panel's recheck resolver have 25 s in all. Every
 * Jira call of the invocation (the issue, the JQL filter asked about it; both issues of a
 * link event) ends by then, and the rest is left for the writes and the comparing after the
 * last one.
 */
export const ISSUE_UPDATE_JIRA_MS = 20_000;

export interface IncrementalOptions {
  /**
   * When every Jira call of the update must be done by (epoch ms): the invocation's one
   * deadline, shared by all it does (default: `ISSUE_UPDATE_JIRA_MS` from the call). Each call
   * gets what is left; when nothing is, it throws `JiraError{code:'TIMEOUT'}`, which is
   * transient, so an event is handed back to be delivered again (`isRetryable`).
   */
  jiraDeadlineAt?: number;
  maxWaitSeconds?: number;
  settings?: Settings;
  /** The analyses the change goes to (`ANALYSES` in the app). */
  analyses?: readonly IssueAnalysis[];
  /** Who made or removed the Duplicate link that caused this read (an issue-link event's `atlassianId`). */
  linkedBy?: string;
}

/** Whether an issue belongs to the analysed set (settings projects, types, age, JQL filter). */
async function inScope(issue: JiraIssue, settings: Settings, opts: IncrementalOptions & { jiraDeadlineAt: number }): Promise<boolean> {
  if (!settings.projects.includes(issue.fields.project.key)) return false;
  const type = issue.fields.issuetype?.name ?? '';
  if (!typeAnalysed(settings.issueTypes, type)) return false;
  if (settings.maxAgeDays > 0) {
    const created = parseJiraTime(issue.fields.created);
    if (created > 0 && created < Date.now() - settings.maxAgeDays * 86_400_000) return false;
  }
  const filter = stripOrderBy(settings.jqlFilter);
  if (filter === '') return true;
  // Only Jira can evaluate the admin's JQL: ask it about this one issue.
  const page = await searchPage(`project = ${jqlString(issue.fields.project.key)} AND id = ${issue.id} AND (${filter})`, null, {
    maxResults: 1,
    deadlineAt: opts.jiraDeadlineAt,
    maxWaitSeconds: opts.maxWaitSeconds ?? 5,
  });
  return page.issues.some((i) => i.id === issue.id);
}

/**
 * A delete event. The delete is remembered first: a writer that read the issue from Jira
 * before it was deleted checks after its own writes (`forgetDeletedAmong`), so whichever of
 * the two comes last removes it.
 */
export async function onIssueDeleted(issueId: string, analyses: readonly IssueAnalysis[] = ANALYSES): Promise<void> {
  await recordDeletedIssues([issueId]);
  await forgetIssues(analyses, [issueId], { deleted: true });
}

export async function onIssueChanged(issueId: string, opts: IncrementalOptions & { eventProjectKey?: string } = {}): Promise<IncrementalOutcome> {
  const analyses = opts.analyses ?? ANALYSES;
  const jiraDeadlineAt = opts.jiraDeadlineAt ?? Date.now() + ISSUE_UPDATE_JIRA_MS;
  const settings = opts.settings ?? (await getSettings());
  // Most sites analyse a few of their projects: the event names the project, and an issue of
  // another one that was never stored costs no Jira call. A stored one is read from Jira like
  // any other: Forge keeps no order between events and delivers at least once, so the event of
  // a move out can arrive after the move back (late, or again), and its project key alone
  // would forget an issue that is in an analysed project now.
  // Whether the issue is stored, when that was read here: a 404 below need not read it again.
  let stored: boolean | undefined;
  if (opts.eventProjectKey !== undefined && !settings.projects.includes(opts.eventProjectKey)) {
    stored = (await getDocHashes([issueId])).size > 0;
    if (!stored) return 'ignored';
  }
  // A late or redelivered event for an issue already deleted: nothing to fetch.
  if ((await deletedAmong([issueId])).length > 0) return 'deleted';
  const readMs = Date.now();
  const issue = await fetchIssue(issueId, { deadlineAt: jiraDeadlineAt, maxWaitSeconds: opts.maxWaitSeconds ?? 5 });
  if (!issue) {
    // Jira answers 404 for an issue it deleted and for one the app may not see (a security
    // level it is not in, a permission scheme changed), and may show the second again later.
    // Not knowing which, the issue leaves the analysed set as for any exit: its decisions are
    // kept (made inactive), and its next event asks Jira again. Only a delete event records
    // a delete; a full run's sweep treats an issue it no longer finds the same way.
    await recordLeftScope([issueId], readMs);
    return forgetIfAnalysed(analyses, issueId, stored);
  }
  if (!(await inScope(issue, settings, { ...opts, jiraDeadlineAt }))) {
    // Out of the set as of this read: remembered whether stored or not (first, as a delete
    // is), so a run's page or another event that read it before (a first run, a new issue)
    // does not store it after, and whichever comes last removes it. Stamped with the read, not
    // with now: a read of the issue back in scope begun after this one (its event handled
    // first) stays, whatever the order the two are handled in.
    await recordLeftScope([issue.id], readMs);
    // Read again after the exit is recorded (not the look above, from before Jira's answer):
    // a return handled meanwhile may have stored it.
    const storedNow = (await getDocStates([issue.id])).get(issue.id);
    if (storedNow !== undefined && storedIsLater(storedNow, issue)) {
      // That later read has stored the issue already: its state in Jira is newer than this
      // one (Jira's `updated` moved since), so this exit is over, as that read would have made
      // it had it come after; left behind, it would make an older read forget the issue.
      await clearLeftScopeBefore([issue.id], readMs);
      return 'unchanged';
    }
    return forgetIfAnalysed(analyses, issue.id, storedNow !== undefined);
  }
  // In scope as of this read: an exit recorded before it is over, so a writer that read the
  // issue before that exit (a run's page, another event) no longer forgets what this stores.
  // Done before the write: a writer that checks in between forgets nothing this has stored.
  // Always, not only when an exit was seen before the read: an exit is stamped with its own
  // read of Jira, which may come before this one while its statement lands after a look here.
  await clearLeftScopeBefore([issue.id], readMs);
  let outcome: IncrementalOutcome | null = null;
  for (const analysis of analyses) {
    const result = await analysis.issueChanged({ issue, settings, readMs, ...(opts.linkedBy !== undefined ? { linkedBy: opts.linkedBy } : {}) });
    outcome ??= result;
  }
  if ((await forgetDeletedAmong(analyses, [issue.id])).length > 0) return 'deleted';
  // Another event took it out of scope after this one read it (it read the issue before).
  if ((await forgetLeftScopeAmong(analyses, [issue.id], readMs)).length > 0) return 'removed';
  return outcome ?? 'ignored';
}

/**
 * Whether the stored document of `issue` comes from a later state of it in Jira than this
 * read (`updated` strictly later: the same state read out of scope, as when the settings
 * changed, is an exit).
 */
function storedIsLater(stored: DocState, issue: JiraIssue): boolean {
  const readUpdatedMs = parseJiraTime(issue.fields.updated);
  return readUpdatedMs > 0 && stored.updatedMs > readUpdatedMs;
}

/**
 * An issue outside the analysed set (its exit already recorded in `left_scope`): forgotten if
 * it was analysed. The `docs` table is the register of analysed issues. `stored`: whether the
 * event found it stored, once the exit was recorded, so it is not read again; the forget then
 * says whether it still held the issue.
 */
async function forgetIfAnalysed(analyses: readonly IssueAnalysis[], issueId: string, stored?: boolean): Promise<IncrementalOutcome> {
  if (stored === false) return 'ignored';
  if (stored === true) return (await forgetIssues(analyses, [issueId])) > 0 ? 'removed' : 'ignored';
  if ((await getDocHashes([issueId])).size === 0) return 'ignored';
  await forgetIssues(analyses, [issueId]);
  return 'removed';
}

/** True when the failure is worth a platform retry of the trigger. */
export function isRetryable(err: unknown): boolean {
  return err instanceof JiraError ? err.transient : true;
}
