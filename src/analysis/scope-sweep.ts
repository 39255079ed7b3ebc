/**
 * The scope sweep: stored issues the settings no longer analyse go without asking Jira. A
 * document whose project is no longer in `settings.projects`, whose issue type is no longer
 * analysed, or that was created before the age limit is forgotten the way an issue event's
 * exit from scope forgets it (src/analysis/incremental.ts): the exit is recorded in
 * `left_scope` first, then every analysis forgets the issue (its document and undecided
 * pairs go, decided pairs are made inactive and come back, decisions and all, when an
 * analysis finds the issue in scope again). The JQL filter needs Jira to be evaluated, so
 * what it leaves out is left to runs (a full run's sweep, an issue's next event), as before.
 *
 * It is started when a save narrows the scope (`narrowsStoredScope` in src/shared/settings-diff.ts,
 * from the admin page's save) and at the start of every run (the plan step), so the daily incremental run lets go
 * of what aged out. It runs on the `analysis` queue as `sweep` events, one page of
 * `SWEEP_DOCS_PER_EVENT` documents each, read by primary-key range (the statement examines no
 * more rows than that, however big the table), each event pushing the next page's.
 *
 * Every delivery is safe to repeat: the page is weighed against the settings as they are
 * when it runs, and a document forgotten is simply not read again. A delivery that dies
 * after forgetting the documents but before their pairs is covered by the record of the exits
 * made first: they are stamped with the sweep's `atMs`, and a redelivery forgets again the
 * exits recorded at that time in its range (the `left_scope_at` index). A page delivered twice
 * may push the next page twice: the two copies weigh the same documents, and the second finds
 * nothing left to forget.
 */
import type { Settings } from '../shared/contract';
import { docScopePage, type DocScopeFacts } from '../store/docs';
import { leftScopeAt, recordLeftScope } from '../store/left-scope';
import { getSettings, typeAnalysed } from '../store/settings';
import { forgetIssues } from './analyses';
import type { IssueAnalysis } from './issue-analysis';
import { SWEEP_DOCS_PER_EVENT, type SweepEvent } from './messages';
import { pushAnalysisEvents } from './queue';

const DAY_MS = 86_400_000;

/** Whether the settings still analyse a stored document, as far as the store can tell (everything but the JQL filter). */
export function storedInScope(doc: Pick<DocScopeFacts, 'projectKey' | 'issueType' | 'createdMs'>, settings: Settings, nowMs: number): boolean {
  if (!settings.projects.includes(doc.projectKey)) return false;
  if (!typeAnalysed(settings.issueTypes, doc.issueType)) return false;
  // As an issue event weighs the age limit: a creation time not known (0) is not weighed.
  if (settings.maxAgeDays > 0 && doc.createdMs > 0 && doc.createdMs < nowMs - settings.maxAgeDays * DAY_MS) return false;
  return true;
}

/**
 * How long after a save that narrowed the scope its sweep starts. The sweep weighs the
 * settings as they are when it runs, so a project or issue type taken out by mistake and put
 * back within this time costs nothing (a forget deletes the undecided pairs, which only an
 * analysis finds again); the admin still sees the change within a minute or so.
 */
export const SETTINGS_SWEEP_DELAY_S = 30;

/**
 * Queues a sweep of every stored document from the first: after `SETTINGS_SWEEP_DELAY_S`
 * for a save, at once for a run. Its exits are stamped with when it was queued.
 */
export async function queueScopeSweep(reason: SweepEvent['reason'], atMs: number = Date.now()): Promise<void> {
  await pushAnalysisEvents([{ kind: 'sweep', after: '', atMs, reason }], reason === 'settings' ? SETTINGS_SWEEP_DELAY_S : undefined);
}

/** What one page of a sweep did. */
export interface SweepPageOutcome {
  /** Documents weighed. */
  read: number;
  /** Issues forgotten (found out of scope, or recorded so by an earlier delivery of the page). */
  forgotten: number;
  /** The next page's start, or null when this was the last page. */
  next: string | null;
}

/**
 * One page: the documents after `ev.after` weighed against the current settings, those out
 * of scope recorded as exits at `ev.atMs` and forgotten by every analysis. Does not push the
 * next page (`runSweep` does).
 */
export async function sweepPage(ev: SweepEvent, analyses: readonly IssueAnalysis[], opts: { settings?: Settings; nowMs?: number; pageSize?: number } = {}): Promise<SweepPageOutcome> {
  const pageSize = opts.pageSize ?? SWEEP_DOCS_PER_EVENT;
  const settings = opts.settings ?? (await getSettings());
  const nowMs = opts.nowMs ?? Date.now();
  const page = await docScopePage(ev.after, pageSize);
  const full = page.length >= pageSize;
  const last = page[page.length - 1]?.id ?? null;
  const out = page.filter((d) => !storedInScope(d, settings, nowMs)).map((d) => d.id);
  // Exits an earlier delivery of this page recorded, whose documents it may have forgotten
  // before it died: their pairs are forgotten again (an idempotent write).
  const recorded = await leftScopeAt(ev.atMs, ev.after, full ? last : null, pageSize);
  const ids = [...new Set([...out, ...recorded])];
  if (out.length > 0) await recordLeftScope(out, ev.atMs);
  if (ids.length > 0) await forgetIssues(analyses, ids);
  return { read: page.length, forgotten: ids.length, next: full && last !== null ? last : null };
}

/** A `sweep` event: one page, then the next page's event. */
export async function runSweep(ev: SweepEvent, analyses: readonly IssueAnalysis[]): Promise<void> {
  const outcome = await sweepPage(ev, analyses);
  if (outcome.forgotten > 0) {
    console.info(`analysis: scope sweep (${ev.reason}) forgot ${outcome.forgotten} stored issue(s) the settings no longer analyse`);
  }
  if (outcome.next !== null) await pushAnalysisEvents([{ ...ev, after: outcome.next }]);
}
