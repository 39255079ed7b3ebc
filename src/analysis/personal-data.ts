/**
 * Personal data reporting, as Atlassian asks of an app that stores account ids: once a week
 * (the daily scheduled trigger calls this; it reports when the last report began a week ago)
 * every account id the app stores is sent, with when it was last stored, to
 * `privacy.reportPersonalData` (POST /app/report-accounts as the app, 90 a request). Accounts
 * reported `closed` are erased: their id becomes FORMER_USER in every column
 * (src/store/personal-data.ts). `updated` asks nothing of the app, which stores no profile data.
 *
 * Bounded and resumable: a page of ids at a time in id order, at most `maxRequests` requests and
 * `budgetMs` per call; where the report stands is kept in KVS after every request, so the next
 * day's call goes on from there. A request that fails (429, 5xx, the network) stops the call:
 * the same ids go again next time, and nothing is erased but what Atlassian called closed.
 * Closed ids are kept in the state until their erasure has finished.
 */
import { privacy } from '@forge/api';
import { eraseAccounts, getReportState, saveReportState, storedAccountsAfter, type ReportState } from '../store/personal-data';

const DAY_MS = 86_400_000;
/** Weekly, as Atlassian asks; the trigger drifts, so a report a little short of 7 days old is due too. */
const REPORT_EVERY_MS = 7 * DAY_MS - 2 * 60 * 60_000;
/** What one request to /app/report-accounts takes at most. */
export const REPORT_CHUNK = 90;
/** Ids read a page (one SQL read a column), reported REPORT_CHUNK at a time. */
const PAGE = REPORT_CHUNK * 10;

export interface ReportOptions {
  now?: number;
  /** Requests this call may send (default 100: 9,000 ids). */
  maxRequests?: number;
  /** Time this call may take before it stops between requests (default 60 s of the trigger's 300 s). */
  budgetMs?: number;
}

export interface ReportOutcome {
  /** 'not-due': the last report is less than a week old; 'done': a report finished; 'partial': it goes on next time; 'failed': a request failed, tried again next time. */
  status: 'not-due' | 'done' | 'partial' | 'failed';
  reported: number;
  closed: number;
  /** Rows whose account id was replaced. */
  erased: number;
}

export async function reportPersonalData(opts: ReportOptions = {}): Promise<ReportOutcome> {
  const now = opts.now ?? Date.now();
  const deadline = Date.now() + (opts.budgetMs ?? 60_000);
  let requests = opts.maxRequests ?? 100;
  const state = await getReportState();
  const out: ReportOutcome = { status: 'partial', reported: 0, closed: 0, erased: 0 };

  // Closed accounts a call before did not finish erasing come first.
  if (!(await erasePending(state, out))) return out;

  if (state.cycle === null) {
    if (state.lastCompletedMs !== null && now - state.lastCompletedMs < REPORT_EVERY_MS) return { ...out, status: 'not-due' };
    state.cycle = { startedMs: now, afterId: '' };
  }
  const cycle = state.cycle;
  for (;;) {
    const { accounts: page, more } = await storedAccountsAfter(cycle.afterId, PAGE);
    for (let i = 0; i < page.length; i += REPORT_CHUNK) {
      if (requests <= 0 || Date.now() >= deadline) {
        await saveReportState(state);
        return out;
      }
      requests--;
      const chunk = page.slice(i, i + REPORT_CHUNK);
      let answer: Array<{ accountId: string; status: string }>;
      try {
        answer = await privacy.reportPersonalData(chunk.map((a) => ({ accountId: a.accountId, updatedAt: new Date(a.updatedMs).toISOString() })));
      } catch (err) {
        // The SDK rejects with the Response itself on a status other than 200 and 204.
        const code = (err as { status?: unknown } | null)?.status;
        const status = typeof code === 'number' ? `HTTP ${code}` : err instanceof Error ? err.name : 'unknown';
        console.warn(`personal data: reporting ${chunk.length} accounts failed (${status}); they are reported again next time`);
        await saveReportState(state);
        return { ...out, status: 'failed' };
      }
      // Only ids this request sent: an answer naming another erases nothing.
      const sent = new Set(chunk.map((a) => a.accountId));
      const closed = answer.filter((a) => a.status === 'closed' && sent.has(a.accountId)).map((a) => a.accountId);
      out.reported += chunk.length;
      out.closed += closed.length;
      state.closed = [...new Set([...state.closed, ...closed])];
      cycle.afterId = chunk[chunk.length - 1]!.accountId;
      // The place and the closed ids are kept together before any erasure: a call stopped from
      // here on reports nothing twice and loses no closed account.
      await saveReportState(state);
      if (!(await erasePending(state, out))) return out;
    }
    if (!more) break;
  }
  state.lastCompletedMs = cycle.startedMs;
  state.cycle = null;
  await saveReportState(state);
  return { ...out, status: 'done' };
}

/** Erases the closed accounts the state holds; false when a bound stopped it (they stay in the saved state for the next call). */
async function erasePending(state: ReportState, out: ReportOutcome): Promise<boolean> {
  if (state.closed.length === 0) return true;
  const erased = await eraseAccounts(state.closed);
  out.erased += erased.rows;
  if (!erased.finished) return false;
  state.closed = [];
  await saveReportState(state);
  return true;
}
