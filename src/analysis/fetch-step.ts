/**
 * fetch: one link of a chain. Reads pages from `token` until ~500 issues (or, with pages
 * read, half its time, a long 429 or Jira failing: see runFetch), pushes the next link (so
 * Jira paging continues while this one stores), hands the issues to every analysis
 * (`ctx.analyses`) to store, records the batch, and pushes `score` once every chain has ended
 * and every step has stored its issues.
 *
 * Because a step hands on its page token before it stores, the step that ends a chain can
 * finish while an earlier step of the same chain is still storing, or waiting for its retry
 * after a failure (which reads its pages from Jira again). Ending the chains is therefore
 * not enough: scoring then would index the scope without those issues, and a full run's
 * sweep would delete them as gone from Jira. Each step checks after its own writes, so the
 * last one to finish sees everything done.
 */
import { JiraError } from '../jira/errors';
import type { JiraIssue } from '../jira/issues';
import { searchPage } from '../jira/search';
import { claimBatch, completeBatch, completeBatches, countDoneBatches, countOpenBatches, type WaitReason } from '../store/batches';
import { getRunRow, isLive, markRunWaiting, touchRun } from '../store/runs';
import { forgetDeletedAmong, forgetLeftScopeAmong } from './analyses';
import { batchNo, type FetchEvent } from './messages';
import { pushAnalysisEvents } from './queue';
import { runSettings } from './run-settings';
import { scopeProjects } from '../store/scopes';
import { invocationTimeLeftMs } from './invocation-time';
import { CONSUMER_JIRA_BUDGET, CONSUMER_TIMEOUT_MS, FETCH_LEASE_MS, jiraWaitReason, TRANSIENT_FIRST_WAIT_S, type StepContext } from './step-context';

export const ISSUES_PER_STEP = 500;
const MAX_PAGES_PER_STEP = 10;
/** Jira's default page; pages with this many fields are often capped near it anyway. */
const PAGE_SIZE = 50;
/** Share of the invocation's time left in which a step begins pages (the rest stores them). */
const READ_SHARE = 0.5;
/** Share of it by which every search of the step has ended, waits for Jira included. */
const JIRA_SHARE = 0.75;

export async function runFetch(ev: FetchEvent, ctx: StepContext): Promise<void> {
  const run = await getRunRow(ev.runId);
  if (!run || !isLive(run.status)) return;
  const batch = batchNo.fetch(ev.chain, ev.step);
  const claim = await claimBatch(run.id, batch, ctx.owner, { takeOver: ctx.retryCount > 0, leaseMs: FETCH_LEASE_MS });
  // Done already: by a twin, or by this event's earlier delivery, which may have failed after
  // it. All that follows a step's batch is the count and the push of `score`: done again.
  if (claim === 'done') return pushScoreWhenFetched(run.id);
  if (claim !== 'claimed') return;

  const issues: JiraIssue[] = [];
  const readMs = Date.now();
  // Each search may take CONSUMER_JIRA_BUDGET (waits for Jira's 429s included), so ten pages
  // of a slow or busy Jira outlast the consumer's 900 s: Forge then ended the step with
  // nothing stored, and its redelivery read the same pages as slowly again. A page is begun
  // only in the first half of the time left, and every search ends by three quarters of it,
  // so what was read is stored in the rest and the chain goes on from there.
  const timeLeftMs = invocationTimeLeftMs(CONSUMER_TIMEOUT_MS);
  const readUntil = readMs + timeLeftMs * READ_SHARE;
  const jiraDeadlineAt = readMs + timeLeftMs * JIRA_SHARE;
  let token = ev.token;
  let pages = 0;
  // When Jira ended the reading: how long the next step waits before it reads, and why.
  let wait: { s: number; reason: WaitReason } | undefined;
  do {
    let page;
    try {
      page = await searchPage(ev.jql, token, { maxResults: PAGE_SIZE, ...CONSUMER_JIRA_BUDGET, deadlineAt: jiraDeadlineAt });
    } catch (err) {
      if (pages === 0 || !(err instanceof JiraError) || !err.transient) throw err;
      // Out of time with pages in hand: they are stored and the next step reads this page.
      if (err.code === 'TIMEOUT' && Date.now() >= jiraDeadlineAt - 1_000) break;
      // Rate limited for longer than a consumer waits, or Jira failing (5xx, no answer) after
      // the client's own retries, with pages in hand: they are kept, and the next step reads
      // this page after the wait (Jira's Retry-After, or the first wait of a step handed back).
      // Handing the whole step back cost every page it had read: a Jira that let only a few
      // searches through between its waits or its errors met the step at the same page on
      // each redelivery, until the run failed.
      const waitS = err.code === 'RATE_LIMITED' ? (err.retryAfterSeconds ?? 30) : Math.max(TRANSIENT_FIRST_WAIT_S, err.retryAfterSeconds ?? 0);
      wait = { s: Math.min(900, Math.max(1, Math.ceil(waitS))), reason: jiraWaitReason(err) };
      break;
    }
    for (const issue of page.issues) issues.push(issue);
    token = page.nextPageToken;
    pages++;
  } while (token !== null && issues.length < ISSUES_PER_STEP && pages < MAX_PAGES_PER_STEP && Date.now() < readUntil);

  const fresh = await getRunRow(run.id);
  if (!fresh || !isLive(fresh.status)) return; // cancelled while we read Jira
  if (token !== null) {
    await pushAnalysisEvents([{ kind: 'fetch', runId: run.id, chain: ev.chain, step: ev.step + 1, jql: ev.jql, token }], wait?.s);
  }

  // A search page can repeat an issue that moved between pages; store each once. The run's
  // projects are a hard boundary, whatever the JQL filter or Jira returned.
  const projects = new Set(scopeProjects(fresh.scope, runSettings(fresh).projects));
  const unique = [...new Map(issues.filter((i) => projects.has(i.fields.project.key)).map((i) => [i.id, i])).values()];
  for (const analysis of ctx.analyses) await analysis.storeIssues(unique, fresh, readMs);
  // An issue deleted since its page was read: its delete event may have run before our write.
  await forgetDeletedAmong(ctx.analyses, unique.map((i) => i.id));
  // One an issue event took out of scope after this step began to read (the read was older).
  await forgetLeftScopeAmong(ctx.analyses, unique.map((i) => i.id), readMs);
  await touchRun(run.id);
  // The page says the run waits for Jira, and stale detection counts from the end of the wait.
  if (wait !== undefined) await markRunWaiting(run.id, Date.now() + wait.s * 1000, wait.reason);
  // The chain's last step ends it in the statement that completes its batch: a step found
  // done has ended its chain if it was the last, so its redelivery has only the count left.
  const counters = { fetched: issues.length, indexed: unique.length };
  if (token === null) await completeBatches(run.id, ctx.owner, [{ batchNo: batch, counters }, { batchNo: batchNo.chainEnd(ev.chain), counters: {} }]);
  else await completeBatch(run.id, batch, counters);
  await pushScoreWhenFetched(run.id);
}

async function pushScoreWhenFetched(runId: string): Promise<void> {
  if (await fetchingDone(runId)) await pushAnalysisEvents([{ kind: 'score', runId }]);
}

/**
 * Every chain has ended and no fetch step is open. Write-then-count: every step asks after
 * its own writes, so of steps finishing together at least one sees them all; a second
 * `score` push is harmless (its batch claim stops the twin). A step pushed but not yet
 * delivered cannot be missed: only a chain's last step ends it, after every push.
 */
export async function fetchingDone(runId: string): Promise<boolean> {
  const current = await getRunRow(runId);
  if (!current || !isLive(current.status) || current.chains <= 0) return false;
  if ((await countDoneBatches(runId, batchNo.chainEndPrefix)) < current.chains) return false;
  return (await countOpenBatches(runId, batchNo.fetchPrefix)) === 0;
}
