/**
 * What an analysis of the scope's issues plugs into. The run machinery (plan, fetch chains,
 * batch claims, progress, cancel, stale detection, scope locks, schedule, retention) and the
 * issue events are shared; each analysis says only what it keeps of an issue and what it
 * makes of them all at the end of a run. Duplicate detection (`duplicates.ts`) is the first;
 * backlog hygiene or sprint metrics would be others (docs/pipeline.md, "Adding an analysis").
 *
 * Every run reads each issue of the scope once from Jira (the fields in `ISSUE_FIELDS`, one
 * request for all analyses) and hands each page to every analysis. Delivery is at least once:
 * a page can arrive again (a redelivered fetch step) and an issue can be changed, deleted
 * or moved out of scope while a run holds it, so every method must be an idempotent write.
 */
import type { JiraIssue } from '../jira/issues';
import type { Settings } from '../shared/contract';
import type { RunCounters } from '../store/batches';
import type { RunRow } from '../store/runs';

/** What a run's last step tells an analysis. */
export interface RunFinish {
  run: RunRow;
  /** The settings the run started with. */
  settings: Settings;
  /** The projects the run covers. */
  projects: string[];
  /** When the last step started: a stored result not written since is stale. */
  startedMs: number;
  /** Records progress on the run (shown while the step works), and keeps the run alive. */
  progress(counters: Partial<RunCounters>): Promise<void>;
  /** False once the run was cancelled: stop writing. */
  stillLive(): Promise<boolean>;
}

/** What an issue event tells an analysis. */
export interface IssueChange {
  issue: JiraIssue;
  settings: Settings;
  /** Who made or removed a Duplicate link, when a link event caused this read. */
  linkedBy?: string;
  /** When the read of the issue from Jira began: its Duplicate links are as of then. */
  readMs: number;
}

/** What became of an issue event: stored and scored, nothing to redo, or removed. */
export type IncrementalOutcome = 'indexed' | 'unchanged' | 'removed' | 'ignored' | 'deleted';

/** `deleted`: the issues are gone from Jira (a delete event; a 404 alone may be an issue hidden from the app, so it counts as an exit). */
export interface ForgetOptions {
  deleted?: boolean;
}

export interface IssueAnalysis {
  /** Short stable name, for logs. */
  readonly name: string;
  /**
   * Stores what this analysis keeps of a page of in-scope issues read by a run (each once).
   * `readMs`: when the step began to read them from Jira (what was stored since may be newer).
   */
  storeIssues(issues: readonly JiraIssue[], run: RunRow, readMs: number): Promise<void>;
  /**
   * Forgets issues that left the analysed set (deleted in Jira, moved out of scope or no
   * longer returned by a full run), with everything derived from them; what people decided
   * about them is kept unless `deleted` says the issues are gone from Jira. Returns how many
   * of them it held.
   */
  forgetIssues(ids: readonly string[], opts?: ForgetOptions): Promise<number>;
  /**
   * A run's last step, once every issue is stored: whole-scope results. Returns the counters
   * the run finishes with, or null when the run was cancelled meanwhile.
   */
  finishRun(finish: RunFinish): Promise<Partial<RunCounters> | null>;
  /** An issue in scope was created or changed (its event, fetched afresh). */
  issueChanged(change: IssueChange): Promise<IncrementalOutcome>;
  /**
   * Optional: scores again, from what is stored now, those of these issues still waiting for
   * it (a run's last step handed them on in `rescore` queue events: changed while it ran, too
   * many for it to score again itself). Delivered again, it finds them scored and does
   * nothing. Returns how many it scored.
   */
  rescoreIssues?(ids: readonly string[], settings: Settings): Promise<number>;
}
