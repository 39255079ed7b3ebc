/**
 * Personal data reporting, as Atlassian asks of an app that stores account ids: once a week
 * (the daily scheduled trigger calls this; it reports when the last report began a week ago)
 * every account id the app stores is sent, with when it was last stored, to
 * `privacy.reportPersonalData` (POST /app/report-accounts as the app, 90 a request). Accounts
 * reported `closed` are erased: their id becomes FORMER_USER in every column
 * (src/store/personal-data.ts). `updated` asks nothing of the app, which stores no profile data.
 *
 * A report goes in four phases: 'start' empties the list of gathered ids
 * (`personal_data_accounts`); 'gather' walks pairs, runs and actions by primary key, a chunk of
 * rows a step, into that list (each id with its latest time); 'report' sends the list in id
 * order, 90 ids a request; 'end' empties it again. Every SQL statement reads a bounded number of
 * rows, whatever the size of the tables (see the store).
 *
 * Bounded and resumable: at most `maxRequests` requests and `budgetMs` per call; where the
 * report stands is saved after every step, so the next day's call goes on from there,
 * and a call stopped anywhere loses nothing (a chunk gathered again changes nothing; a request
 * whose answer was not saved is sent again). A request that fails (429, 5xx, the network) stops
 * the report: the same ids go again next time, and nothing is erased but what Atlassian called
 * closed. Closed ids are kept in the state until their erasure has finished; the erasure walks
 * the tables again, chunk by chunk, with its place kept in the state too, at the end of the call
 * that learnt of them (or first thing in the next one, when time ran out).
 *
 * One report at a time: the state is one row of `personal_data_report` with a claim on it, and
 * a call claims the row before it reads the state. A second call (the platform may deliver a
 * scheduled trigger twice) finds the claim held and answers 'busy' at once. The holder saves
 * the state with a statement that names it as owner, which also renews the claim, so a call
 * whose claim was taken over (thought stopped) saves nothing and stops.
 */
import { randomUUID } from 'node:crypto';
import { privacy } from '@forge/api';
import {
  ACCOUNT_TABLES,
  accountTable,
  claimReport,
  clearGatheredAccounts,
  deleteLegacyReportState,
  eraseChunk,
  forgetGatheredAccounts,
  gatherChunk,
  gatheredAccountsAfter,
  releaseReportClaim,
  saveReportState,
  WALK_CHUNK,
  type AccountTable,
  type ReportState,
} from '../store/personal-data';

const DAY_MS = 86_400_000;
/** Weekly, as Atlassian asks; the trigger drifts, so a report a little short of 7 days old is due too. */
const REPORT_EVERY_MS = 7 * DAY_MS - 2 * 60 * 60_000;
/** What one request to /app/report-accounts takes at most. */
export const REPORT_CHUNK = 90;
/**
 * Closed ids waiting for their erasure, at most: past this the report stops to erase them
 * before it goes on (they are kept in the saved state, and named in one IN list a statement).
 */
const MAX_PENDING_CLOSED = 500;

export interface ReportOptions {
  now?: number;
  /** Requests this call may send (default 100: 9,000 ids). */
  maxRequests?: number;
  /** Time this call may take before it stops between steps (default 60 s of the trigger's 300 s). */
  budgetMs?: number;
  /** Rows of pairs, runs or actions a statement reads at most (default WALK_CHUNK). */
  chunkRows?: number;
}

export interface ReportOutcome {
  /**
   * 'not-due': the last report is less than a week old (and nothing was left to erase);
   * 'done': a report finished and every closed account is erased; 'partial': it goes on next
   * time; 'failed': a request failed, tried again next time; 'busy': another invocation is
   * reporting.
   */
  status: 'not-due' | 'done' | 'partial' | 'failed' | 'busy';
  reported: number;
  closed: number;
  /** Rows whose account id was replaced. */
  erased: number;
}

/** The claim was taken over (this call was thought stopped): stop without saving. */
class ClaimLost extends Error {
  override readonly name = 'ClaimLost';
}

interface Call {
  owner: string;
  now: number;
  deadline: number;
  requests: number;
  chunk: number;
  state: ReportState;
  out: ReportOutcome;
}

export async function reportPersonalData(opts: ReportOptions = {}): Promise<ReportOutcome> {
  const started = Date.now();
  const out: ReportOutcome = { status: 'partial', reported: 0, closed: 0, erased: 0 };
  const owner = randomUUID();
  let state: ReportState | null;
  try {
    state = await claimReport(owner);
  } catch (err) {
    // Claimed, perhaps, before the state could be read.
    await releaseReportClaim(owner);
    throw err;
  }
  if (state === null) return { ...out, status: 'busy' };
  try {
    const call: Call = {
      owner,
      now: opts.now ?? started,
      deadline: started + (opts.budgetMs ?? 60_000),
      requests: opts.maxRequests ?? 100,
      chunk: opts.chunkRows ?? WALK_CHUNK,
      state,
      out,
    };
    if (state.legacyLeft) {
      // Carried over from KVS (a site that reported before v021): the row holds it first.
      await save(call);
      await deleteLegacyReportState();
      state.legacyLeft = false;
      await save(call);
    }
    return await report(call);
  } catch (err) {
    if (!(err instanceof ClaimLost)) throw err;
    console.warn('personal data: another invocation took the report over; this one stops');
    return { ...out, status: 'busy' };
  } finally {
    await releaseReportClaim(owner);
  }
}

async function report(c: Call): Promise<ReportOutcome> {
  // Closed accounts a call before did not finish erasing come first.
  if (!(await erasePending(c))) return { ...c.out, status: 'partial' };
  const state = c.state;
  if (state.cycle === null) {
    if (state.lastCompletedMs !== null && c.now - state.lastCompletedMs < REPORT_EVERY_MS) return { ...c.out, status: 'not-due' };
    state.cycle = { startedMs: c.now, afterId: '', phase: 'start', walk: { table: '', afterKey: '' } };
  }
  const status = await advance(c);
  // The closed accounts this call learnt of, with the time left (or first thing next time).
  const erased = await erasePending(c);
  return { ...c.out, status: status === 'done' && !erased ? 'partial' : status };
}

const timeUp = (c: Call): boolean => Date.now() >= c.deadline;

/** Saves the state (and renews the claim): a call whose claim was taken over writes nothing and stops. */
async function save(c: Call): Promise<void> {
  if (!(await saveReportState(c.owner, c.state))) throw new ClaimLost();
}

/** The table the walk goes on to after `t`, or undefined after the last. */
function nextTable(t: AccountTable): AccountTable | undefined {
  return ACCOUNT_TABLES[ACCOUNT_TABLES.indexOf(t) + 1];
}

/** The report under way, step by step, until it ends, a bound stops it or a request fails. */
async function advance(c: Call): Promise<'done' | 'partial' | 'failed'> {
  const state = c.state;
  for (;;) {
    const cycle = state.cycle;
    if (cycle === null) return 'done';
    if (timeUp(c)) {
      await save(c);
      return 'partial';
    }
    switch (cycle.phase) {
      case 'start':
      case 'end': {
        // Emptied in batches; a batch deleted again after a stop finds the rows gone.
        if ((await clearGatheredAccounts(c.chunk)) >= c.chunk) continue;
        if (cycle.phase === 'start') {
          cycle.phase = 'gather';
          cycle.walk = { table: ACCOUNT_TABLES[0]!.table, afterKey: '' };
        } else {
          state.lastCompletedMs = cycle.startedMs;
          state.cycle = null;
        }
        await save(c);
        break;
      }
      case 'gather': {
        // A table this version does not know (a state from another): the walk starts again; gathering is idempotent.
        const t = accountTable(cycle.walk.table);
        if (t === undefined) {
          cycle.walk = { table: ACCOUNT_TABLES[0]!.table, afterKey: '' };
          continue;
        }
        const step = await gatherChunk(t, cycle.walk.afterKey, c.chunk);
        if (step.end !== null) {
          cycle.walk.afterKey = step.end;
        } else {
          const next = nextTable(t);
          if (next) cycle.walk = { table: next.table, afterKey: '' };
          else cycle.phase = 'report';
        }
        await save(c);
        break;
      }
      case 'report': {
        if (c.requests <= 0) {
          await save(c);
          return 'partial';
        }
        if (state.closed.length >= MAX_PENDING_CLOSED && !(await erasePending(c))) return 'partial';
        const chunk = await gatheredAccountsAfter(cycle.afterId, REPORT_CHUNK);
        if (chunk.length === 0) {
          cycle.phase = 'end';
          await save(c);
          break;
        }
        c.requests--;
        let answer: Array<{ accountId: string; status: string }>;
        try {
          answer = await privacy.reportPersonalData(chunk.map((a) => ({ accountId: a.accountId, updatedAt: new Date(a.updatedMs).toISOString() })));
        } catch (err) {
          // The SDK rejects with the Response itself on a status other than 200 and 204.
          const code = (err as { status?: unknown } | null)?.status;
          const status = typeof code === 'number' ? `HTTP ${code}` : err instanceof Error ? err.name : 'unknown';
          console.warn(`personal data: reporting ${chunk.length} accounts failed (${status}); they are reported again next time`);
          await save(c);
          return 'failed';
        }
        // Only ids this request sent: an answer naming another erases nothing.
        const sent = new Set(chunk.map((a) => a.accountId));
        const closed = answer.filter((a) => a.status === 'closed' && sent.has(a.accountId)).map((a) => a.accountId);
        c.out.reported += chunk.length;
        c.out.closed += closed.length;
        state.closed = [...new Set([...state.closed, ...closed])];
        cycle.afterId = chunk[chunk.length - 1]!.accountId;
        if (chunk.length < REPORT_CHUNK) cycle.phase = 'end';
        // The place and the closed ids are saved together before any erasure: a call stopped from
        // here on reports nothing twice and loses no closed account.
        await save(c);
        break;
      }
    }
  }
}

/**
 * Erases the closed accounts the state holds: a walk of the tables, a chunk a step, its place
 * saved after each, then out of the gathered list. False when the time ran out first (the
 * place is saved; the next call goes on from it). A chunk erased again after a stop finds
 * nothing left to change, so no row is counted twice.
 */
async function erasePending(c: Call): Promise<boolean> {
  const state = c.state;
  if (state.closed.length === 0) return true;
  for (;;) {
    const place = state.erasing ?? { table: ACCOUNT_TABLES[0]!.table, afterKey: '' };
    const t = accountTable(place.table);
    if (t === undefined) {
      state.erasing = { table: ACCOUNT_TABLES[0]!.table, afterKey: '' };
      continue;
    }
    if (timeUp(c)) {
      state.erasing = place;
      await save(c);
      return false;
    }
    const step = await eraseChunk(t, place.afterKey, state.closed, c.chunk);
    c.out.erased += step.rows;
    if (step.end !== null) {
      state.erasing = { table: t.table, afterKey: step.end };
    } else {
      const next = nextTable(t);
      if (!next) break;
      state.erasing = { table: next.table, afterKey: '' };
    }
    await save(c);
  }
  await forgetGatheredAccounts(state.closed);
  state.closed = [];
  state.erasing = null;
  await save(c);
  return true;
}
