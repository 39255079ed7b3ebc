/**
 * Product events avi:jira:created|updated|deleted:issue (function key issue-events, 25 s).
 * Keeps one issue's document and pairs current; see src/analysis/incremental.ts.
 * A 429 or a transient Jira failure asks the platform to retry (at most 4 times).
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { JiraError } from '../jira/errors';
import { ANALYSES } from '../analysis/analyses';
import { isRetryable, onIssueChanged, onIssueDeleted } from '../analysis/incremental';
import type { IssueAnalysis } from '../analysis/issue-analysis';

const issueEventSchema = z.object({
  eventType: z.string(),
  issue: z.object({
    id: z.union([z.string(), z.number()]).transform(String),
    key: z.string().optional(),
    fields: z.object({ project: z.object({ key: z.string() }).optional() }).optional(),
  }),
  retryContext: z.object({ retryCount: z.number() }).partial().optional(),
});

const MAX_RETRIES = 4;

/** The trigger, feeding `analyses` (tests add their own beside the app's). */
export function issueEventsFor(analyses: readonly IssueAnalysis[]): (event: unknown) => Promise<InvocationError | undefined> {
  return (event) => handle(event, analyses);
}

export const issueEvents = issueEventsFor(ANALYSES);

async function handle(event: unknown, analyses: readonly IssueAnalysis[]): Promise<InvocationError | undefined> {
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
      await onIssueChanged(issue.id, projectKey === undefined ? { analyses } : { analyses, eventProjectKey: projectKey });
    }
    return undefined;
  } catch (err) {
    const why = err instanceof JiraError ? `Jira ${err.status ?? err.code}` : err instanceof Error ? err.name : 'unknown';
    console.warn(`issue-events: ${eventType} for ${issue.key ?? issue.id} failed (${why}), retry ${retryCount}`);
    if (retryCount >= MAX_RETRIES || !isRetryable(err)) return undefined;
    const retryAfter = err instanceof JiraError && err.retryAfterSeconds !== null ? Math.min(900, Math.max(1, Math.ceil(err.retryAfterSeconds))) : 30;
    const retryReason = err instanceof JiraError && err.code === 'RATE_LIMITED' ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED : InvocationErrorCode.FUNCTION_RETRY_REQUEST;
    return new InvocationError({ retryAfter, retryReason });
  }
}
