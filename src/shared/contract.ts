/**
 * The API between the Custom UI front ends and the resolvers.
 *
 * Types only: the static bundles import this file with `import type`, so nothing
 * here may be a runtime value. The zod schemas that check payloads at the edge
 * live in `src/resolvers/schemas.ts` and are compile-time checked against these
 * payload types.
 */

/** Every resolver answers with one of these and never throws to the UI. */
export type Result<T> =
  | { success: true; data: T }
  | { success: false; error: ApiError };

export type ErrorCode =
  | 'BAD_REQUEST' // payload failed validation: message says which field and why
  | 'FORBIDDEN' // the acting user may not do this (not an admin, no Link Issues, ...)
  | 'NOT_FOUND' // the pair / run / issue does not exist or the user cannot browse it
  | 'CONFLICT' // e.g. deciding a pair that changed meanwhile
  | 'RATE_LIMITED' // Jira answered 429 and retries ran out; try again later
  | 'JIRA_ERROR' // Jira answered an error we could not recover from (a 5xx may come with retryAfterMs)
  | 'INTERNAL'; // anything else; the message is safe to show, details are in logs

export interface ApiError {
  code: ErrorCode;
  /** A sentence a person can act on. Never contains issue text or tokens. */
  message: string;
  /** Field-level problems for forms: path (dot-joined) → message. */
  fields?: Record<string, string>;
  /**
   * How long Jira asked the app to wait (its Retry-After), in ms from this answer: on
   * `RATE_LIMITED` (a 429), and on `JIRA_ERROR` from a 5xx that carried one (Jira sends a 503
   * with Retry-After when it is overloaded). The sentence says it in words; a page that asks
   * again by itself waits at least this long (static/shared/retry-wait.ts). Absent otherwise.
   */
  retryAfterMs?: number;
}

export type Tier = 'duplicate' | 'related';
export type ReviewStatus = 'pending' | 'confirmed' | 'dismissed';
export type StatusCategory = 'new' | 'indeterminate' | 'done' | 'unknown';

export interface IssueRef {
  id: string;
  key: string;
  summary: string;
  projectKey: string;
  type: string;
  status: string;
  statusCategory: StatusCategory;
  /** ISO 8601 */
  created: string;
  /** ISO 8601 */
  updated: string;
  /** Jira's resolution ("Fixed", "Duplicate", …); null when unresolved or not read yet. */
  resolution?: string | null;
}

/** A piece of a text, marked when one of its words is shared with the other issue. */
export interface TextSegment {
  text: string;
  match: boolean;
}

export interface SharedTerm {
  /** The word as people wrote it (a surface form of the stemmed term). */
  term: string;
  /** Share of the pair's score this term contributes, 0..1. */
  share: number;
}

/**
 * Why a pair is not a duplicate, as the person dismissing it may say (optional; words in
 * `DISMISS_REASON_TEXT`, src/shared/wording.ts): `different`, not the same problem;
 * `related`, related but separate work; `split`, split on purpose (one per team, component
 * or version).
 */
export type DismissReason = 'different' | 'related' | 'split';

export interface Suggestion {
  pairId: string;
  issue: IssueRef;
  /** Cosine similarity 0..1 (shown as a percentage). */
  score: number;
  tier: Tier;
  status: ReviewStatus;
  sharedTerms: SharedTerm[];
  /** The suggested issue's summary split so shared words can be highlighted. */
  summarySegments: TextSegment[];
  /** True when a Duplicate link between the two issues exists in Jira now (read as the viewer), whatever the pair's status. */
  linked: boolean;
  /**
   * Which way Link as duplicate links: true when the open issue becomes the duplicate of the
   * suggested issue; false when the suggested issue does. The newer one is the duplicate,
   * unless it already duplicates another issue and the older one none (then the older one,
   * so that no issue duplicates two), as a confirmation without a named duplicate links.
   */
  thisIsDuplicate: boolean;
  /**
   * accountId of the person who confirmed or dismissed the suggestion, or who made the link
   * in Jira when `decidedInJira` and Jira's event said so; null when pending or not known
   * (named, as the viewer may see them, in `SuggestionsView.actors`). FORMER_USER
   * (src/shared/wording.ts) in place of the id of an account since closed, here and in every
   * other account id field (`dismissReasonBy`, `startedBy`, `actorAccountId`).
   */
  decidedBy: string | null;
  /** When it was confirmed or dismissed (ISO); null when pending. */
  decidedAt: string | null;
  /**
   * Confirmed by an analysis because a Duplicate link made in Jira already joins the two
   * issues; a person's decision in the app resets it.
   */
  decidedInJira: boolean;
  /** On a dismissed suggestion, why it is not a duplicate, when the person said so; null otherwise. */
  dismissReason: DismissReason | null;
  /**
   * Who gave that reason (accountId, named in `actors`) when it was not the person who
   * dismissed it (`decidedBy`); null otherwise.
   */
  dismissReasonBy: string | null;
  /**
   * Other issues the suggested issue is joined with by a Duplicate link in Jira (the open
   * issue left out, and those the viewer may not browse): where a chain of duplicates leads,
   * so the original can be linked instead of one of its copies. `way`: the suggested issue
   * `duplicates` that one, or is `duplicated-by` it, as Jira says now (read as the viewer);
   * `linked` when only the stored links could say (they keep no direction).
   */
  alsoLinkedWith: Array<{ id: string; key: string; way: 'duplicates' | 'duplicated-by' | 'linked' }>;
  /**
   * The keys of the issues through which Duplicate links in Jira already join the open issue
   * and the suggested one, when no link joins them directly (shortest way; each one the
   * viewer may see, else empty): confirming then adds no link.
   */
  joinedThrough: string[];
  /**
   * On a related suggestion whose score reaches the duplicate threshold: why it is only
   * related (the summaries name different versions, branches or issue keys, or differ only
   * in what each names), as the review queue says it. Null otherwise.
   */
  otherWork: string | null;
}

/** Suggestions each list of `suggestions.get` holds when its payload names no `limit`; the panel asks for this many more each time. */
export const SUGGESTIONS_PER_LIST = 20;
/** The most suggestions per list `suggestions.get` may be asked for. */
export const MAX_SUGGESTIONS_LIMIT = 500;

/** The lists of `suggestions.get`, each cut at a limit of its own (`limits`). */
export type SuggestionList = 'duplicates' | 'related' | 'dismissed';

export interface SuggestionsView {
  /**
   * The open issue: its summary as Jira says it now (read as the viewer), which the panel
   * compares the suggestions' summaries with, so that a long suggested summary is shown from
   * where it parts from this one (as the review queue shows a pair's two summaries).
   */
  issue: { id: string; key: string; summary: string };
  /** False when the issue has not been indexed yet (no analysis covered it). */
  indexed: boolean;
  /**
   * When the issue itself was last compared with the others (ISO): by an analysis, or by its
   * own created or changed event (the time it was read, while it waits to be compared). Null
   * when it is not indexed.
   */
  computedAt: string | null;
  /**
   * When what is listed was last brought up to date (ISO): the later of `computedAt` and the
   * newest time a listed suggestion was stored or scored again. A newer issue's created or
   * changed event adds its pair to this issue's list without comparing this issue again, so
   * `computedAt` alone would make a list with a suggestion a minute old look minutes old. Only
   * the suggestions listed to the viewer count (a pair with an issue hidden from them must not
   * show through the time). Null when `computedAt` is.
   */
  updatedAt: string | null;
  /**
   * True while the issue's suggestions are being computed: it was created in an analysed
   * project minutes ago and its event is still on its way, or an analysis has read it and
   * not yet scored it. The panel asks again every few seconds until it is false.
   */
  pending: boolean;
  /**
   * True while a live analysis of the issue's project (or of every project) will compare the
   * issue and has not yet: one it read and has not scored, or one not stored and with no
   * created event on its way that the run reads. Its suggestions come when the run has
   * compared it: minutes in a large backlog, not the seconds of a created event. The panel
   * says so and asks again now and then until it is false.
   */
  analysisRunning: boolean;
  /**
   * True when the issue was compared and nothing is suggested because its summary and
   * description hold no word (letters or digits in any script): only punctuation, symbols or
   * emoji. The panel says there was nothing to compare, not "no similar issues".
   */
  noWords: boolean;
  /** The strongest first, at most the list's limit (the payload's `limits`, else `limit`, else `SUGGESTIONS_PER_LIST`), as each list here. */
  duplicates: Suggestion[];
  related: Suggestion[];
  /** Suggestions the user dismissed, kept so they can be restored. */
  dismissed: Suggestion[];
  /**
   * How many suggestions each list holds past those it lists (cut at its limit), by status: a
   * list's true count is what it lists plus these, and the issue's badge counts every pending
   * possible duplicate. Counts, not totals, so that a decision the panel applies itself (a
   * suggestion moved from one list to another) leaves them true. Only suggested issues the
   * viewer may browse are counted.
   */
  notListed: { duplicates: { pending: number; confirmed: number }; related: { pending: number; confirmed: number }; dismissed: number };
  /** Whether the viewer may create issue links in this project. */
  canLink: boolean;
  /** Whether the viewer may dismiss and restore suggestions here (`canLink`, when the admin's settings ask for it; else true). */
  canDismiss: boolean;
  /**
   * False when the issue's project is not among the projects in scope (settings
   * `projects`): no analysis reads it, so what is stored is no longer kept up to date and a
   * new issue there gets no suggestions.
   */
  inScope: boolean;
  /**
   * The issue's type when the settings analyse only some issue types and not this one (its
   * project may be in scope): nothing checks it for duplicates. Null otherwise.
   */
  excludedType: string | null;
  /**
   * True when the issue is not analysed because the admin's JQL filter leaves it out (asked
   * of Jira only for an issue no analysis has stored, in scope and of an analysed type, while
   * a filter is set; false when Jira could not say): nothing will check it for duplicates.
   */
  excludedByFilter: boolean;
  /**
   * The settings' age limit in days when the issue (in scope, of an analysed type, not left
   * out by the filter) was created before it: nothing will check it for duplicates, and
   * suggestions stored from before the limit are no longer kept up to date. Null otherwise.
   */
  excludedByAge: number | null;
  /**
   * Jira changed the issue after the analysis last read it (its update time is later than the
   * stored one), and nothing is on its way to read it again: its change event was lost (Jira
   * failing when it came). Also when the issue is stored but its score was lost on the way
   * (unscored for longer than a score takes, no run reading it: a run's `rescore` handed on
   * and dropped). The panel asks `suggestions.recheck` once, then reads again.
   */
  changedSinceAnalysed: boolean;
  /**
   * A Jira admin changed the similarity thresholds after the last good analysis of the issue's
   * project (its run marker keeps those it gave the stored pairs their tiers by), as
   * `run.status` says it on the project page: the suggestions keep the tiers stored until an
   * analysis applies the new thresholds, while the create dialog's check applies them at once.
   * Only for an issue an analysis has read, in scope and checked.
   */
  tiersOutdated: boolean;
  /**
   * The issues this issue already duplicates: Jira's Duplicate links with this issue at the
   * "duplicates" end, however they were made, as far as the viewer may see them. Once there
   * is one, the panel stops inviting links that would make this issue a duplicate again.
   */
  duplicateOf: Array<{ id: string; key: string }>;
  /**
   * Display names of the people who decided the suggestions listed, as the viewer may see
   * them. Not the viewer (the panel says "you") and nobody Jira did not name; empty when
   * Jira could not be asked.
   */
  actors: ActorName[];
}

export type RunStatus = 'queued' | 'fetching' | 'scoring' | 'done' | 'failed' | 'cancelled';
export type RunTrigger = 'manual' | 'admin' | 'schedule';
export type RunScope = { kind: 'project'; projectKey: string } | { kind: 'all' };

export interface RunView {
  runId: string;
  scope: RunScope;
  trigger: RunTrigger;
  /** 'full' re-reads every issue in scope; 'incremental' only issues updated since the last good run. */
  mode: 'full' | 'incremental';
  status: RunStatus;
  counters: {
    fetched: number;
    indexed: number;
    scored: number;
    pairs: number;
    /** Approximate number of issues in scope, or null when unknown. */
    expected: number | null;
    /**
     * While the run is live: how many stored issues its last step compares (those of the
     * projects it compares), of which `scored` counts those compared so far; null when unknown,
     * and once the run has ended.
     */
    toCompare: number | null;
  };
  /**
   * 0..1; null when the counters it follows are withheld (`countsWithheld` 'all' or
   * 'compared'): the fraction read or compared would tell how many issues there are.
   */
  progress: number | null;
  /** Seconds left, estimated from the progress so far; null when unknown or withheld (as `progress`). */
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** accountId, or null for the schedule. */
  startedBy: string | null;
  /** A sentence a person can act on, when status is failed. */
  error: string | null;
  /**
   * Counters not shown to this viewer, who cannot see every issue they count (answered as 0,
   * and `toCompare`, `progress` and `etaSeconds` as null): 'all' for a run of every project,
   * and for any run when a security level hides some of the page's project's issues from the
   * viewer; 'compared' for a project's run with suggestions across projects on, whose last
   * step compares the issues of every analysed project and whose pairs include pairs with
   * them: `scored`, `toCompare` and `pairs`, and the progress and time left that follow them
   * (what it read and stored of the project, `fetched` of `expected` and `indexed`, stays);
   * else 'none'.
   */
  countsWithheld: 'none' | 'compared' | 'all';
  /**
   * While the run waits for Jira: when it will try again (ISO), else null. The run goes on by
   * itself then; the page says so instead of a progress bar that stands still.
   */
  waitingUntil: string | null;
  /**
   * Why it waits, while `waitingUntil` is set (null otherwise): `asked`, Jira asked the app to
   * wait (the Retry-After of a 429, or of a 5xx such as a 503 when Jira is overloaded);
   * `errors`, Jira answered with errors (5xx) and the step was handed back to try again later;
   * `no-answer`, Jira did not answer in time (or could not be reached), likewise.
   */
  waitReason: 'asked' | 'errors' | 'no-answer' | null;
  /**
   * Jira admins on the admin page only, null for everyone else: what the run left out of the
   * saved scope because Jira no longer showed it to the app (a project deleted, archived or
   * hidden from the app; an issue type deleted or renamed), and what to do about it.
   */
  notice: string | null;
}

export interface PairView {
  id: string;
  a: IssueRef;
  b: IssueRef;
  score: number;
  tier: Tier;
  status: ReviewStatus;
  sharedTerms: SharedTerm[];
  /** accountId of the person who decided; null when pending, or when `decidedInJira`. */
  decidedBy: string | null;
  decidedAt: string | null;
  /**
   * Confirmed by an analysis because a Duplicate link made in Jira already joins the two
   * issues (Jira does not say who made it); a person's decision in the app resets it.
   */
  decidedInJira: boolean;
  /** On a dismissed pair, why it is not a duplicate, when the person said so; null otherwise. */
  dismissReason: DismissReason | null;
  /** As `Suggestion.dismissReasonBy` (named in `pairs.list`'s `actors`). */
  dismissReasonBy: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  /**
   * The duplicate-tier cluster the pair belongs to, named by its representative's issue id;
   * null when there is none, or when the representative is an issue the viewer may not see
   * (lists check it with the rows; a pair's detail and a decision name only the pair's own).
   */
  clusterId: string | null;
  /**
   * On a related pair whose summaries name different versions, branches or issue keys (which
   * keeps it from ever being a possible duplicate, whatever its score): the sentence that
   * says so. Null otherwise.
   */
  otherWork: string | null;
  /**
   * Whether Duplicate links in Jira join the two issues directly, as the last analysis or
   * link event read them (a Confirm reads Jira again before it links). On a pending or
   * dismissed pair it says that Jira already treats them as duplicates.
   */
  linkedInJira: boolean;
  /**
   * The keys of the issues through which Duplicate links in Jira already join the two
   * (A duplicates C, C duplicates B; either direction; at most three in between, each one the
   * viewer may see), as the last analysis or link events read them; empty when they are not
   * joined that way. Set by `pairs.list` on the Pending and Dismissed tabs, and by
   * `pairs.detail` for a pair that is not confirmed; absent elsewhere.
   */
  linkedThrough?: string[];
  /**
   * Whether the viewer may confirm the pair (Link Issues on one of its issues). Set by
   * `pairs.list` and `pairs.detail`; absent elsewhere.
   */
  canLink?: boolean;
}

/**
 * Someone who did something, by the name Jira shows the viewer; FORMER_USER
 * (src/shared/wording.ts), where a closed account's id was, by the app's own words for it,
 * FORMER_USER_NAME "a former user" (never asked of Jira, so named also when Jira fails). A
 * name as it is to show, in the middle of a sentence: the pages clean, cut and isolate it.
 */
export interface ActorName {
  accountId: string;
  displayName: string;
}

export interface PairSide {
  issue: IssueRef;
  summarySegments: TextSegment[];
  /** The first ~600 characters of the description as plain text, split for highlighting. */
  descriptionSegments: TextSegment[];
}

export interface PairDetail {
  pair: PairView;
  a: PairSide;
  b: PairSide;
  /**
   * The Duplicate link Jira has between the two now, as the viewer reads it: the id of the
   * issue that duplicates the other. Null when none (a confirmation then makes one).
   */
  jiraDuplicateId: string | null;
}

export interface ClusterView {
  id: string;
  representative: IssueRef;
  members: IssueRef[];
  size: number;
  maxScore: number;
  pendingPairs: number;
  /** The duplicate-tier pairs that join the members (issue ids), strongest first. */
  pairs: Array<{ a: string; b: string; score: number }>;
  /**
   * Whether the viewer may link the cluster (Link Issues on one of its members, the check
   * `clusters.link` makes). Set by `clusters.list`; absent elsewhere.
   */
  canLink?: boolean;
  /**
   * The dismissed pairs between two of the members, of either tier (someone said the two are
   * not duplicates): linking both to one kept issue would make them duplicates of one issue.
   * `decidedBy` is named in `clusters.list`'s `actors`. Set by `clusters.list`; absent elsewhere.
   */
  dismissed?: ClusterDismissal[];
}

/** A dismissed pair inside a cluster (`ClusterView.dismissed`). */
export interface ClusterDismissal {
  pairId: string;
  /** The two issues' ids. */
  a: string;
  b: string;
  /** accountId of the person who dismissed the pair. */
  decidedBy: string | null;
  /** When; `clusters.link` takes it back in `knownDismissals`. */
  decidedAt: string | null;
  dismissReason: DismissReason | null;
}

export interface ActionView {
  id: string;
  at: string;
  actorAccountId: string | null;
  action:
    | 'confirm'
    | 'dismiss'
    | 'dismiss.reason'
    | 'link.related'
    | 'reopen'
    | 'unlink'
    | 'cluster.link'
    | 'run.start'
    | 'run.cancel'
    | 'run.fail'
    | 'settings.save'
    | 'uim.register';
  pairId: string | null;
  issueKeys: string[];
  detail: string | null;
  /**
   * Shared by the decisions one bulk action made (the history shows them as one entry, and
   * `history.list` pages them together); null otherwise.
   */
  batchId: string | null;
}

/**
 * What the history can be narrowed to: decisions on pairs and clusters, analysis runs, or
 * changes to the app's settings (and the create check).
 */
export type HistoryKind = 'decisions' | 'analyses' | 'settings';

/** The actions of each `HistoryKind`. */
export const HISTORY_KINDS: Record<HistoryKind, readonly ActionView['action'][]> = {
  decisions: ['confirm', 'dismiss', 'dismiss.reason', 'link.related', 'reopen', 'unlink', 'cluster.link'],
  analyses: ['run.start', 'run.cancel', 'run.fail'],
  settings: ['settings.save', 'uim.register'],
};

/** Whether the create dialog's duplicate check runs on the projects in scope (a Jira UI modification). */
export interface CreateCheckStatus {
  /**
   * on: exactly the projects in scope; outdated: some in scope are missing, or projects
   * outside the scope still have it; off: no project has it; unknown: Jira could not be asked.
   */
  state: 'on' | 'outdated' | 'off' | 'unknown';
  /** Projects in scope whose create dialog runs the check. */
  coveredKeys: string[];
  /** Projects in scope whose create dialog does not. */
  missingKeys: string[];
  /** Projects outside the scope whose create dialog still runs it. */
  extraProjects: number;
  /** Why the state is unknown. */
  error: string | null;
}

/** Whether the caller may start and cancel analyses of a scope (`run.status` with `control: true`). */
export interface RunControl {
  allowed: boolean;
  /** Why not, for the page to show on its disabled buttons; null when allowed. */
  reason: string | null;
  /**
   * Whether the caller may also cancel a run of every project that a project page shows
   * (such runs are the admin page's: Jira admins only). True on the admin page.
   */
  cancelsEveryProject: boolean;
}

/**
 * The lowest related threshold a save accepts (a fraction). Below it nearly every two issues
 * of a backlog share some word: on the 2,503-issue dev set 1 % finds 435,324 pairs and 0 %
 * 1,037,721 (7,828 at the default 15 %), and their number grows with the square of the
 * backlog, past what a run's last step can hold in memory at 20,000 issues.
 */
export const RELATED_THRESHOLD_MIN = 0.05;

/**
 * Whether these field weights let the issue's own text count. With the summary and the
 * description both at 0, only labels, components and the issue type are compared, and every
 * two issues of one type (or with the same labels) score 1: a possible duplicate each.
 */
export function hasTextWeight(weights: { summary: number; description: number }): boolean {
  return weights.summary > 0 || weights.description > 0;
}

/** Why a save with `hasTextWeight` false is refused (the admin page says it in its own words). */
export const TEXT_WEIGHT_MESSAGE = 'the summary or the description needs a weight above 0: without them every two issues of one type would score 1';

export interface Settings {
  thresholds: {
    /** Pairs scoring at or above this are "possible duplicates". 0..1, above `related`. */
    duplicate: number;
    /** Pairs scoring at or above this (and below `duplicate`) are "related". 0..1. */
    related: number;
  };
  /** Relative weight of each field in the similarity (0 leaves the field out). 0..5 each. */
  weights: {
    summary: number;
    description: number;
    labels: number;
    components: number;
    type: number;
  };
  /** Project keys in scope. Empty means no project is analysed. */
  projects: string[];
  /** Suggest pairs across projects (both projects in scope). */
  crossProject: boolean;
  /** Warn about possible duplicates in the create dialog of the projects in scope. */
  createDialogCheck: boolean;
  /**
   * Only people with the Link Issues permission (on one of a pair's issues) may dismiss a
   * suggestion or reopen a pair; otherwise anyone who may browse both issues may. A
   * dismissal hides the suggestion for everyone.
   */
  dismissNeedsLink: boolean;
  /**
   * Only project administrators (Administer Projects on the project) and Jira admins may
   * start or cancel a project's analysis from its project page; otherwise anyone who may
   * browse the project may.
   */
  runsNeedProjectAdmin: boolean;
  /** Extra JQL that narrows the scope (ANDed; never widens it). Empty for none. */
  jqlFilter: string;
  /** Issue type names in scope; empty means all types. */
  issueTypes: string[];
  /** Only issues created within this many days (0 = no limit). */
  maxAgeDays: number;
  schedule: 'off' | 'daily' | 'weekly';
  /** Runs, history and undecided pairs older than this are deleted. 7..3650 */
  retentionDays: number;
}

export interface PairFilters {
  projectKey?: string;
  status: ReviewStatus;
  tier?: Tier;
  types?: string[];
  statusCategories?: StatusCategory[];
  /**
   * Leaves out pairs whose two issues are both done: history, where no work can be done
   * twice any more (`statusCategories` matches either issue, so it cannot say this).
   */
  openOnly?: boolean;
  minScore?: number;
  maxScore?: number;
  /** Matches issue keys and summary words. */
  search?: string;
}

/**
 * `likely`: possible duplicates first (the duplicate tier by score, then the related tier by
 * score; ascending, the other way round): the queue's default, where a related pair that
 * scores high (analysis/other-work.ts) does not sort above the possible duplicates.
 */
export type PairSort = 'likely' | 'score' | 'created' | 'updated';

/** Resolver method name → payload and result. One map for every surface. */
export interface Api {
  // Issue view (panel and context)
  /**
   * `limit`: each list's most suggestions (`SUGGESTIONS_PER_LIST` when left out, at most
   * `MAX_SUGGESTIONS_LIMIT`). `limits`: the most for a list named there, in place of `limit`
   * (same range), so that "Show 20 more" asks for more of its own list only.
   */
  'suggestions.get': { payload: { issueId: string; limit?: number; limits?: Partial<Record<SuggestionList, number>> }; result: SuggestionsView };
  /**
   * Reads the issue again and brings its suggestions up to date, as its change event would
   * have, when `changedSinceAnalysed` says it changed since (or scores it from what is stored
   * when only its score was lost); `rechecked` false when there was nothing to do.
   */
  'suggestions.recheck': { payload: { issueId: string }; result: { rechecked: boolean } };
  // Create dialog (UI modifications)
  'create.check': {
    payload: { summary: string; description?: string; projectId?: string; issueTypeId?: string };
    /** `duplicateOf`: the key of the issue a match duplicates (a Duplicate link in Jira, by the app's rule), when the user may see it. */
    result: { matches: Array<{ key: string; summary: string; score: number; tier: Tier; duplicateOf: string | null }> };
  };
  // Runs
  /**
   * `analysed`: the project is among the projects in scope (project page), or some project
   * is (everything in scope). When false, a run is refused and nothing keeps results current.
   */
  'run.status': {
    /** `control`: also say whether the caller may start and cancel runs here (pages ask once, not on every poll). */
    payload: { projectKey?: string; control?: boolean };
    /**
     * `otherProjects` (asked for a project): whether projects other than this one are in
     * scope, so a run of every project counted their issues too.
     */
    /**
     * `lastDone`: when the last finished run failed or was cancelled, the last run that
     * finished well (the stored results are its), else null.
     */
    /**
     * `control`: asked for with `control: true`, else null: whether the caller may start and
     * cancel runs of this scope, and if not, why (`runsNeedProjectAdmin`).
     */
    /**
     * `neverRead` (a project page, no run live): the project is in scope but no analysis has
     * stored any of its issues, and the last run shown is not one of its own (a run of every
     * project from before it was in scope, or none), so the page says it was never analysed.
     */
    /**
     * `tiersOutdated` (no run live): the settings' thresholds differ from those the last
     * analysis of this scope stored the pairs' tiers by; the next analysis applies them.
     */
    result: {
      current: RunView | null;
      last: RunView | null;
      lastDone: RunView | null;
      analysed: boolean;
      otherProjects: boolean;
      control: RunControl | null;
      neverRead: boolean;
      tiersOutdated: boolean;
    };
  };
  'run.start': { payload: { projectKey?: string; mode?: 'full' | 'incremental' }; result: { run: RunView; joined: boolean } };
  'run.cancel': { payload: { runId: string }; result: { run: RunView } };
  'run.list': { payload: { projectKey?: string; limit?: number }; result: { runs: RunView[] } };
  // Review queue
  'pairs.list': {
    payload: PairFilters & { sort?: PairSort; order?: 'asc' | 'desc'; page?: number; pageSize?: number };
    /**
     * `actors`: display names of the people who decided the page's pairs, as the viewer may
     * see them (empty on the Pending tab, or when Jira could not be asked).
     */
    /** `dismissNeedsLink`: the admin's setting; a row whose `canLink` is false may then not be dismissed or reopened. */
    result: { items: PairView[]; total: number; page: number; pageSize: number; actors: ActorName[]; dismissNeedsLink: boolean };
  };
  'pairs.detail': { payload: { pairId: string }; result: PairDetail };
  'pairs.decide': {
    /**
     * `duplicateIssueId` (confirm only): which of the two issues the link marks as the
     * duplicate; by default the newer one duplicates the older. `unlink` (reopen of a
     * confirmed pair only): also remove the Duplicate link between the two issues, as the user.
     */
    /**
     * `reason` (dismiss only): why it is not a duplicate. Dismissing a pair already dismissed
     * with a reason only records the reason (history `dismiss.reason`); `null` takes a reason
     * given back (the pair stays dismissed, with none).
     */
    /**
     * `linkRelated` (with `dismiss` and reason `related` only): also link the two as related
     * in Jira, as the user ("newer relates to older"; none added when a Relates link joins them).
     * Asked of a pair already dismissed as related, the link is recorded as `link.related`.
     */
    /**
     * `unlinkRelated` (reopen of a dismissed pair, or `dismiss` of a dismissed pair with a
     * reason other than `related`, or `null`): also remove the Relates links between the two
     * issues, as the user (Link Issues needed), before anything else; when Jira refuses,
     * nothing changes. The pages ask it only for the link they made for this dismissal: its
     * Undo, or its reason changed from related or taken back.
     */
    /**
     * `expected`: the review status the caller saw; when the pair is no longer in it (someone
     * decided it meanwhile), nothing is done and the answer is CONFLICT. The pages send it
     * with a reason given after a dismissal, which must not dismiss a pair someone has since
     * confirmed or reopened.
     */
    payload: {
      pairId: string;
      decision: 'confirm' | 'dismiss' | 'reopen';
      duplicateIssueId?: string;
      unlink?: boolean;
      reason?: DismissReason | null;
      linkRelated?: boolean;
      unlinkRelated?: boolean;
      expected?: ReviewStatus;
      /**
       * With `expected`: the time of the decision the caller saw (`PairView.decidedAt`); a pair
       * decided again since, even to the same status, is CONFLICT (an Undo must not take back a
       * colleague's newer dismissal).
       */
      expectedDecidedAt?: string;
    };
    /** `unlinked`: how many Duplicate links `unlink` removed (absent when not asked). */
    /**
     * `alreadyLinked`: a confirmation of two issues Jira already joins as duplicates (directly,
     * or through other issues), which added no link; `joinedThrough` then names the issues
     * between them along Duplicate links (absent when they are linked directly). `link`: the
     * link made (see duplicate-forest.ts for its direction).
     */
    result: {
      pair: PairView;
      link: { created: boolean; outwardKey: string; inwardKey: string } | null;
      unlinked?: number;
      alreadyLinked?: boolean;
      joinedThrough?: string[];
      /** With `linkRelated`: the Relates link, `created: false` when Jira already had one between them. */
      relatedLink?: { created: boolean; inwardKey: string; outwardKey: string };
      /** With `unlinkRelated`: how many Relates links between the two were removed. */
      unlinkedRelated?: number;
      /**
       * The decision was made (and any link), but its history entry could not be written
       * (tried twice, then logged): the pages say so, since the history will not show it.
       */
      notInHistory?: true;
    };
  };
  'pairs.bulkDecide': {
    /** `unlink` (reopen only): as in `pairs.decide`, for each pair; every pair must be confirmed. */
    /**
     * `unlinkPairIds` (reopen only, not with `unlink`; each one of `pairIds`): `unlink` for
     * these pairs alone, the others reopened without it. The pages' Undo of a bulk confirmation
     * sends it, so the pairs it linked and those it joined through those links are reopened by
     * one call, one bulk action in the history (one batch id), not two.
     */
    /** `reason` (dismiss only): as in `pairs.decide`, for each pair. */
    /** `expected`: as in `pairs.decide`, for each pair (a pair no longer in it fails alone). */
    /**
     * `expectedDecidedAt`: by pair id, as in `pairs.decide` (with `expected`): a pair decided
     * again since the time given fails alone with CONFLICT's message. The pages' bulk Undo sends
     * each pair's `decidedAt` from the answer it takes back.
     */
    payload: {
      pairIds: string[];
      decision: 'confirm' | 'dismiss' | 'reopen';
      unlink?: boolean;
      unlinkPairIds?: string[];
      reason?: DismissReason | null;
      expected?: ReviewStatus;
      expectedDecidedAt?: Record<string, string>;
    };
    /**
     * `unlinked` (with `unlink`, or on a pair of `unlinkPairIds`, on each pair done): the Duplicate links removed for that pair.
     * `linked` (confirm, on each pair done): whether a Duplicate link was made for it; false
     * when links made in the same batch had already joined its two issues (pairs sharing
     * issues are linked to their group's oldest issue first, so six copies of one report get
     * five links, not fifteen). `joined` (with `linked` false): through what the two issues
     * were already joined, the links this batch made (`batch`) or links Jira had before it (`jira`).
     * `decidedAt` (on each pair done and left decided, not on a reopen): the time of its decision now (ISO).
     * `notInHistory` (on a pair done): as in `pairs.decide`.
     * `code` and `error` (on a pair not done): the error code and sentence `pairs.decide` would
     * answer for it alone; `CONFLICT` for a pair someone else decided after the page read it.
     */
    result: {
      results: Array<{ pairId: string; ok: boolean; code?: ErrorCode; error?: string; unlinked?: number; linked?: boolean; joined?: 'batch' | 'jira'; decidedAt?: string; notInHistory?: true }>;
    };
  };
  'clusters.list': {
    payload: { projectKey?: string; search?: string; page?: number; pageSize?: number };
    /** `actors`: display names of the people who dismissed the listed clusters' `dismissed` pairs, as the viewer may see them. */
    result: { items: Array<ClusterView & { canLink: boolean; dismissed: ClusterDismissal[] }>; total: number; page: number; pageSize: number; actors: ActorName[] };
  };
  /**
   * Links every issue of `duplicateIssueIds` as a Duplicate of the kept issue (as the user),
   * then confirms the pending pairs among the issues now linked. One result per issue.
   * `memberIssueIds`: the cluster's issues as listed, through which the chosen ones may be
   * joined to the kept one. `knownDismissals`: the dismissed pairs between two chosen issues
   * that the person saw and chose to link anyway, by pair id, each with the `decidedAt` the
   * page showed; a dismissed pair between two chosen issues that is not there with that time
   * (dismissed after the page read the cluster, or dismissed again since) refuses the link.
   */
  'clusters.link': {
    payload: { keepIssueId: string; duplicateIssueIds: string[]; memberIssueIds: string[]; knownDismissals?: Record<string, string> };
    /** A result's `joined`: Jira already joined the issue to the kept one (directly or through others), so no link was made. */
    result: { keep: IssueRef; results: Array<{ issueId: string; key: string; ok: boolean; joined?: boolean; error?: string }>; pairsConfirmed: number };
  };
  'export.csv': {
    /** `sort` / `order` as in `pairs.list` (default score, highest first): the file lists the rows in the queue's order. */
    payload: PairFilters & { sort?: PairSort; order?: 'asc' | 'desc'; cursor?: string | null; pageSize?: number };
    result: { csv: string; rows: number; nextCursor: string | null };
  };
  'stats.get': {
    /** `progress`: also the review progress (`decisionsByWeek`, `deciders`, `actors`; empty without it). */
    payload: { projectKey?: string; progress?: boolean };
    result: {
      /** Pairs per score bucket; `duplicates` of them are in the duplicate tier (as the queue shows them). */
      scoreHistogram: Array<{ from: number; to: number; count: number; duplicates: number }>;
      byType: Array<{ type: string; count: number }>;
      byStatus: Record<ReviewStatus, number>;
      /** Of `byStatus`, the pairs in the duplicate tier. */
      duplicatesByStatus: Record<ReviewStatus, number>;
      /** Of the dismissed pairs, how many for each reason given (the rest: no reason given). */
      dismissReasons: Record<DismissReason, number>;
      /**
       * Review progress: the decisions standing now (confirmed and dismissed pairs; a pair
       * reopened since is not counted), per week they were made in, over the last 12 weeks
       * (`weekStart`: that Monday, YYYY-MM-DD, UTC; weeks without decisions included as 0).
       */
      decisionsByWeek: Array<{ weekStart: string; confirmed: number; dismissed: number }>;
      /**
       * Who made them, over the same weeks, most first (10 at most), in the app or by a Jira
       * link whose event named them; `actors` names them as Jira shows them to the viewer.
       */
      deciders: Array<{ accountId: string; confirmed: number; dismissed: number }>;
      actors: ActorName[];
    };
  };
  /**
   * The action log, newest first, paged by entry: an entry is one action, or all the actions
   * of one bulk action (one `batchId`), which a page holds whole and together. `pageSize`
   * entries a page, `total` entries in all. `kind` keeps one kind of action, `mine` the
   * viewer's own, `issueKey` the actions that name that issue (any case); `total` counts with
   * them. `asOf` (the `asOf` of a page read before): the history as it stood then, so entries
   * added since move nothing from page to page; without it, as it stands now.
   */
  'history.list': {
    payload: { projectKey?: string; page?: number; pageSize?: number; kind?: HistoryKind; mine?: boolean; issueKey?: string; asOf?: string };
    /**
     * `asOf`: the time the pages are of (the one asked for, else now); `newer`: entries begun
     * since, on no page until the history is read without `asOf`. `actors`: display names of
     * the page's actors as the viewer may see them (none from Jira when it could not be asked).
     */
    result: { items: ActionView[]; total: number; page: number; pageSize: number; asOf: string; newer: number; actors: ActorName[] };
  };
  // Admin
  /**
   * `withheld`: what a reader who is not a Jira admin is not shown (both false for admins):
   * the JQL filter's text (answered as '') and the projects in scope they may not browse
   * (left out of `projects`); either may name what they may not see.
   */
  /**
   * `adjusted` (for a Jira admin; empty for anyone else): the stored values that reading them
   * changed to fit rules that came in since they were saved ("related threshold 2% → 5%"),
   * which the settings shown already have; the next save stores them so and writes them into
   * the history.
   */
  'settings.get': { payload: Record<string, never>; result: { settings: Settings; canEdit: boolean; withheld: { jqlFilter: boolean; projects: boolean }; adjusted: string[] } };
  /** Also puts the create-dialog check on exactly the saved projects; `createCheck` says what Jira has after that. */
  /**
   * `base`: the settings as the page loaded them. When someone else has saved since, only what
   * this save changes from `base` is saved over theirs; `kept` names the settings of theirs
   * left as they saved them, and the same setting changed both ways is `CONFLICT` (nothing saved).
   */
  'settings.save': { payload: { settings: Settings; base?: Settings }; result: { settings: Settings; createCheck: CreateCheckStatus; kept: string[] } };
  /**
   * Jira's verdict on a JQL filter. With `scope` (the form's projects, issue types and age
   * limit) a valid filter also answers `counts`: about how many issues of that scope it keeps
   * (`kept`) out of how many there are without it (`of`), counted by Jira as the viewer sees
   * them; null when Jira could not count.
   */
  'settings.validateJql': {
    payload: { jql: string; scope?: { projects: string[]; issueTypes: string[]; maxAgeDays: number } };
    result: { valid: boolean; errors: string[]; counts?: { kept: number; of: number } | null };
  };
  /**
   * What an age limit keeps of the form's scope (projects, issue types, JQL filter): about how
   * many issues were created in the last `scope.maxAgeDays` days (`kept`) out of how many
   * there are with no age limit (`of`), counted by Jira as the app. `counts` is null when
   * Jira could not count (or the filter cannot be counted), and for no limit (0).
   */
  'settings.ageCounts': {
    payload: { jql: string; scope: { projects: string[]; issueTypes: string[]; maxAgeDays: number } };
    result: { counts: { kept: number; of: number } | null };
  };
  /**
   * The stored pairs' scores (the viewer's projects), for previewing thresholds: `buckets[i]`
   * counts scores in [i/100, (i+1)/100), a score of 1 in the last. Pairs are stored from
   * `storedFrom` (the related threshold) up, at most a few related ones per issue.
   */
  /**
   * Stored pairs by score in hundredths (`buckets`), of them the ones stored in the duplicate
   * tier (`duplicates`, same buckets: a pair above the duplicate threshold whose summaries
   * name other versions, branches or issue keys is stored as related), the threshold pairs
   * were stored from, and their total.
   */
  'settings.preview': { payload: Record<string, never>; result: { buckets: number[]; duplicates: number[]; storedDuplicateFrom: number; storedFrom: number; total: number } };
  'projects.list': { payload: Record<string, never>; result: { projects: Array<{ id: string; key: string; name: string }> } };
  'issueTypes.list': { payload: Record<string, never>; result: { names: string[] } };
  'uim.status': { payload: Record<string, never>; result: CreateCheckStatus };
  'uim.register': { payload: Record<string, never>; result: { registered: number } };
  'me.get': { payload: Record<string, never>; result: { accountId: string; displayName: string; isAdmin: boolean } };
}

export type ApiMethod = keyof Api;
export type Payload<M extends ApiMethod> = Api[M]['payload'];
export type ResultOf<M extends ApiMethod> = Api[M]['result'];

/** Which methods each surface's resolver function exposes. */
export type IssuePanelMethods = 'suggestions.get' | 'suggestions.recheck' | 'pairs.decide' | 'me.get';
export type CreateCheckMethods = 'create.check';
export type ProjectPageMethods =
  | 'run.status'
  | 'run.start'
  | 'run.cancel'
  | 'run.list'
  | 'pairs.list'
  | 'pairs.detail'
  | 'pairs.decide'
  | 'pairs.bulkDecide'
  | 'clusters.list'
  | 'clusters.link'
  | 'export.csv'
  | 'stats.get'
  | 'history.list'
  | 'me.get';
export type AdminPageMethods =
  | 'settings.get'
  | 'settings.save'
  | 'settings.validateJql'
  | 'settings.ageCounts'
  | 'settings.preview'
  | 'projects.list'
  | 'issueTypes.list'
  | 'uim.status'
  | 'uim.register'
  | 'run.start'
  | 'run.status'
  | 'run.cancel'
  | 'history.list'
  | 'me.get';
