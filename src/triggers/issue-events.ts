/**
 * Product events avi:jira:created|updated|deleted:issue and avi:jira:created|deleted:issuelink
 * (function key issue-events, 25 s). Keeps one issue's document and pairs current; see
 * src/analysis/incremental.ts. A Duplicate link made or removed in Jira reads both of its
 * issues again, so their pair is confirmed as linked in Jira, or reopened, at once
 * (src/analysis/jira-links.ts); links of other types are ignored.
 * Every Jira call of an invocation ends by one deadline, `ISSUE_UPDATE_JIRA_MS` after it
 * starts (both issues of a link event share it), well inside the trigger's 25 s: a slow Jira
 * that would take longer costs a `TIMEOUT` instead, so the event is handed back rather than
 * stopped by Forge, which would not deliver it again.
 * A 429 or a transient Jira failure asks the platform to retry (at most 4 times).
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { JiraError } from '../jira/errors';
import { duplicateLinkedNow, isDuplicateType } from '../jira/links';
import { ANALYSES } from '../analysis/analyses';
import { ISSUE_UPDATE_JIRA_MS, isRetryable, onIssueChanged, onIssueDeleted } from '../analysis/incremental';
import type { IssueAnalysis } from '../analysis/issue-analysis';
import { decodeDupLinks, getDocStates, recordDupLink } from '../store/docs';
import { getPairRow, pairId } from '../store/pairs';

const issueEventSchema = z.object({
  eventType: z.string(),
  issue: z.object({
    id: z.union([z.string(), z.number()]).transform(String),
    key: z.string().optional(),
    fields: z.object({ project: z.object({ key: z.string() }).optional() }).optional(),
  }),
  retryContext: z.object({ retryCount: z.number() }).partial().optional(),
});

const issueId = z.union([z.string(), z.number()]).transform(String);
const linkFields = z.object({
  sourceIssueId: issueId,
  destinationIssueId: issueId,
  issueLinkType: z.object({ name: z.string(), outwardName: z.string().optional() }),
});
/** The link is at the top of the payload; a nested `issueLink` is read too. */
const linkEventSchema = z.object({
  eventType: z.enum(['avi:jira:created:issuelink', 'avi:jira:deleted:issuelink']),
  atlassianId: z.string().min(1).max(128).optional().catch(undefined),
  retryContext: z.object({ retryCount: z.number() }).partial().optional(),
}).and(z.union([linkFields, z.object({ issueLink: linkFields })]));

const MAX_RETRIES = 4;
/** When Jira named no wait (or a shorter one on a 5xx): the delay before the event comes back. */
const RETRY_AFTER_S = 30;

/** The trigger, feeding `analyses` (tests add their own beside the app's). */
export function issueEventsFor(analyses: readonly IssueAnalysis[]): (event: unknown) => Promise<InvocationError | undefined> {
  return (event) => handle(event, analyses);
}

export const issueEvents = issueEventsFor(ANALYSES);

async function handle(event: unknown, analyses: readonly IssueAnalysis[]): Promise<InvocationError | undefined> {
  // The invocation's one deadline for Jira, from its start.
  const jiraDeadlineAt = Date.now() + ISSUE_UPDATE_JIRA_MS;
  const link = linkEventSchema.safeParse(event);
  if (link.success) return handleLink(link.data, analyses, jiraDeadlineAt);
  const parsed = issueEventSchema.safeParse(event);
  if (!parsed.success) {
    console.warn('issue-events: ignored an event without an issue id');
    return undefined;
  }
  const { eventType, issue } = parsed.data;
  const retryCount = parsed.data.retryContext?.retryCount ?? 0;
  try {
    if (eventType === 'avi:jira:deleted:issue') {
      await onIssueDeleted(issue.id, analyses);
      console.info(`issue-events: issue ${issue.key ?? issue.id} deleted: removed from the index`);
    } else if (eventType === 'avi:jira:created:issue' || eventType === 'avi:jira:updated:issue') {
      const projectKey = issue.fields?.project?.key;
      await onIssueChanged(issue.id, { analyses, jiraDeadlineAt, ...(projectKey === undefined ? {} : { eventProjectKey: projectKey }) });
    }
    return undefined;
  } catch (err) {
    return retryOrDrop(err, `${eventType} for ${issue.key ?? issue.id}`, retryCount);
  }
}

/** A Duplicate link made or removed in Jira: both issues are read again (each, if analysed, follows its links). */
async function handleLink(event: z.infer<typeof linkEventSchema>, analyses: readonly IssueAnalysis[], jiraDeadlineAt: number): Promise<InvocationError | undefined> {
  const link = 'issueLink' in event ? event.issueLink : event;
  // The event names the type's phrases `outwardName`; Jira's issue data calls it `outward`.
  if (!isDuplicateType({ name: link.issueLinkType.name, outward: link.issueLinkType.outwardName })) return undefined;
  const retryCount = event.retryContext?.retryCount ?? 0;
  try {
    // Only a pair the link changes is worth two reads from Jira: a pending one for a new
    // link, one confirmed through a Jira link for a removed one. Any other link is recorded on
    // the two documents as Jira has it now (one read of one issue's links, not the event's
    // word: it may be late or repeated), so that the stored links stay true (a later read then
    // sees no change, and a person's decision on the pair stands; a pair stored later is
    // confirmed from them). Links the app makes itself find their pair decided already.
    const pair = await getPairRow(pairId(link.sourceIssueId, link.destinationIssueId));
    const made = event.eventType === 'avi:jira:created:issuelink';
    if (pair === null || (made ? pair.status !== 'pending' : !pair.decidedInJira)) {
      await recordDupLinkAsInJira(link.sourceIssueId, link.destinationIssueId, made, jiraDeadlineAt);
      return undefined;
    }
    // Who made or removed the link, for the history (the event names them; a read of the issue would not).
    const by = event.atlassianId !== undefined ? { linkedBy: event.atlassianId } : {};
    // One deadline for both reads: the second gets what the first left.
    for (const id of [link.sourceIssueId, link.destinationIssueId]) await onIssueChanged(id, { analyses, jiraDeadlineAt, ...by });
    console.info(`issue-events: Duplicate link between ${link.sourceIssueId} and ${link.destinationIssueId} ${made ? 'made' : 'removed'} in Jira: both issues read again`);
    return undefined;
  } catch (err) {
    return retryOrDrop(err, `${event.eventType} between ${link.sourceIssueId} and ${link.destinationIssueId}`, retryCount);
  }
}

/**
 * A link event not worth reading both issues for: what Jira has between the two now is
 * recorded, from one read of one issue's links as the app (Jira lists a link on both of its
 * issues), within the event's deadline. The event alone is not enough: Forge neither orders
 * nor deduplicates events, so
 * - a late delete event after the two were linked again would drop a link Jira still has, and
 *   the next read would then take it for one just made and confirm the pair over a person's
 *   decision;
 * - a late or redelivered create event after the link was removed would record a link Jira
 *   no longer has: the queue and Compare would call the pair linked, Confirm would skip the
 *   link, and a pair stored later would be confirmed from it.
 * Nothing is read when neither issue is stored, nor for a made link that every stored one
 * lists already (the event adds nothing; a removal since is its own delete event's business).
 * When Jira cannot be asked, a made link is recorded as the event tells it (as before this
 * check existed) and the log says so; a removal is handed back to be delivered again.
 */
async function recordDupLinkAsInJira(a: string, b: string, made: boolean, jiraDeadlineAt: number): Promise<void> {
  const states = await getDocStates([a, b]);
  if (states.size === 0) return;
  if (made && [...states].every(([id, s]) => decodeDupLinks(s.dupLinks).ids.includes(id === a ? b : a))) return;
  const readMs = Date.now();
  const budget = { deadlineAt: jiraDeadlineAt, maxWaitSeconds: 5 };
  let present: boolean | null;
  try {
    // An issue Jira does not show the app (404): its links are read from the other end.
    present = (await duplicateLinkedNow(a, b, budget)) ?? (await duplicateLinkedNow(b, a, budget));
  } catch (err) {
    if (!made) throw err;
    console.warn(`issue-events: Duplicate link between ${a} and ${b} made: Jira could not say whether it still has it (${failureOf(err)}); recorded as the event tells it`);
    await recordDupLink(a, b, true, readMs);
    return;
  }
  // Neither shown: each issue's own event or the next run says what became of it.
  if (present === null) return;
  if (present !== made) console.info(`issue-events: Duplicate link between ${a} and ${b} ${made ? 'made' : 'removed'}: Jira ${present ? 'still has it' : 'no longer has it'} (a late or repeated event), recorded as Jira has it`);
  await recordDupLink(a, b, present, readMs);
}

function failureOf(err: unknown): string {
  return err instanceof JiraError ? `Jira ${err.status ?? err.code}` : err instanceof Error ? err.name : 'unknown';
}

/** A retryable failure asks the platform to deliver the event again, at most MAX_RETRIES times. */
function retryOrDrop(err: unknown, what: string, retryCount: number): InvocationError | undefined {
  console.warn(`issue-events: ${what} failed (${failureOf(err)}), retry ${retryCount}`);
  if (retryCount >= MAX_RETRIES || !isRetryable(err)) return undefined;
  // After Jira's Retry-After on a 429; otherwise 30 s, or longer when Jira asked (a 503's Retry-After).
  const asked = err instanceof JiraError && err.retryAfterSeconds !== null ? Math.ceil(err.retryAfterSeconds) : null;
  const rateLimited = err instanceof JiraError && err.code === 'RATE_LIMITED';
  const retryAfter = Math.min(900, Math.max(1, asked !== null && rateLimited ? asked : Math.max(RETRY_AFTER_S, asked ?? 0)));
  const retryReason = rateLimited ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED : InvocationErrorCode.FUNCTION_RETRY_REQUEST;
  return new InvocationError({ retryAfter, retryReason });
}
