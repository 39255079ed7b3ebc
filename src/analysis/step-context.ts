import type { JiraError } from '../jira/errors';
import type { WaitReason } from '../store/batches';
import type { IssueAnalysis } from './issue-analysis';

/** What every step of a run gets from the worker: who it is, whether this is a redelivery, and what it feeds. */
export interface StepContext {
  /** Claim owner: the event id (stable across redeliveries of the same event). */
  owner: string;
  /** > 0 when the platform redelivers after a failure: the step may take its batch over. */
  retryCount: number;
  /** The analyses the run's issues go to (`ANALYSES` in the app). */
  analyses: readonly IssueAnalysis[];
}

/** Budget for Jira calls inside a consumer: waits over 20 s go back to the queue as a delayed retry. */
export const CONSUMER_JIRA_BUDGET = { deadlineMs: 120_000, maxWaitSeconds: 20 } as const;

/** The consumer's timeout (manifest.yml, analysis-worker): what a step has at most. */
export const CONSUMER_TIMEOUT_MS = 900_000;

/** A batch claim older than this belongs to a dead worker (the consumer times out at 900 s). */
export const FETCH_LEASE_MS = 5 * 60_000;
export const SCORE_LEASE_MS = 16 * 60_000;

/** The first wait after Jira failed a step (5xx, no answer) without saying how long to wait. */
export const TRANSIENT_FIRST_WAIT_S = 20;

/**
 * Why the run waits after this failure of Jira's (`markRunWaiting`): Jira asked for the wait
 * (Retry-After on a 429 or a 5xx), it answered with errors, or it did not answer.
 */
export function jiraWaitReason(err: JiraError): WaitReason {
  if (err.retryAfterSeconds !== null) return 'asked';
  return err.code === 'SERVER_ERROR' ? 'errors' : 'no-answer';
}
