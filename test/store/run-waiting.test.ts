/**
 * A run waiting for Jira's rate limit says until when (`waitingUntil`), and stale detection
 * counts from the end of the wait (real MariaDB through LocalForge).
 */
import { LocalForge } from '../../sandbox/runtime';
import { failIfStale } from '../../src/analysis/run-control';
import { migrate } from '../../src/store/migrations';
import { getRunRow, getRunView, insertRun, markRunWaiting, toRunView, touchRun, type RunRow } from '../../src/store/runs';
import { pipelineHandlers } from '../analysis/helpers';

describe('a run waiting for Jira', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const run = async (id: string, status: 'fetching' | 'done'): Promise<void> =>
    insertRun({
      id,
      scopeKey: 'project:SHOP',
      mode: 'full',
      trigger: 'manual',
      status,
      startedBy: 'm',
      startedMs: Date.now() - 60_000,
      finishedMs: status === 'done' ? Date.now() : null,
      heartbeatMs: Date.now() - 30_000,
      expected: null,
      chains: 1,
      sinceMs: null,
      error: null,
      settingsJson: '{}',
    });

  it('says until when while the wait is ahead, and no longer once a step moves on', async () => {
    await run('waiting-1', 'fetching');
    expect((await getRunView('waiting-1'))?.waitingUntil).toBeNull();
    const until = Date.now() + 90_000;
    await markRunWaiting('waiting-1', until, 'asked');
    expect(Math.abs(Date.parse((await getRunView('waiting-1'))?.waitingUntil ?? '') - until)).toBeLessThan(1000);
    // Stale detection counts from the end of the wait: 20 minutes after it, not after the last step.
    const row = await getRunRow('waiting-1');
    expect(row && (await failIfStale(row, 20 * 60_000, until + 19 * 60_000))).toBe(false);
    expect(row && (await failIfStale(row, 20 * 60_000, until + 21 * 60_000))).toBe(true);
  });

  it('is not said of a finished run, nor of one a later step moved on', async () => {
    await run('waiting-2', 'done');
    await markRunWaiting('waiting-2', Date.now() + 90_000, 'asked');
    expect((await getRunView('waiting-2'))?.waitingUntil).toBeNull();
    await run('waiting-3', 'fetching');
    await markRunWaiting('waiting-3', Date.now() + 90_000, 'errors');
    await touchRun('waiting-3');
    expect((await getRunView('waiting-3'))?.waitingUntil).toBeNull();
  });

  it('says why it waits: of two waits, the one that ends later; none once a step moves on', async () => {
    await run('waiting-4', 'fetching');
    const view = async () => {
      const v = await getRunView('waiting-4');
      return [v?.waitingUntil !== null, v?.waitReason];
    };
    expect(await view()).toEqual([false, null]);
    await markRunWaiting('waiting-4', Date.now() + 40_000, 'errors');
    expect(await view()).toEqual([true, 'errors']);
    // A wait Jira asks for that ends later gives the reason; one that ends sooner does not.
    await markRunWaiting('waiting-4', Date.now() + 90_000, 'asked');
    expect(await view()).toEqual([true, 'asked']);
    await markRunWaiting('waiting-4', Date.now() + 20_000, 'no-answer');
    expect(await view()).toEqual([true, 'asked']);
    // The marker row counts nothing.
    expect((await getRunView('waiting-4'))?.counters).toEqual(expect.objectContaining({ fetched: 0, indexed: 0, scored: 0, pairs: 0 }));
    await touchRun('waiting-4');
    expect(await view()).toEqual([false, null]);
  });

  it('gives no time left while it waits: the rate so far says nothing of when the wait ends', () => {
    const now = Date.now();
    const row: RunRow = {
      id: 'eta-1', scopeKey: 'project:SHOP', scope: { kind: 'project', projectKey: 'SHOP' }, mode: 'full', trigger: 'manual', status: 'fetching', startedBy: 'm',
      startedMs: now - 60_000, finishedMs: null, heartbeatMs: now, expected: 100, chains: 1, sinceMs: null, error: null, settingsJson: '{}',
    };
    const counters = { fetched: 50, indexed: 50, scored: 0, pairs: 0 };
    // Half read in a minute: about a minute and a half left (the reading is 70 % of the bar).
    expect(toRunView(row, counters, now).etaSeconds).toBeGreaterThan(60);
    const waiting = toRunView({ ...row, heartbeatMs: now + 90_000 }, counters, now);
    expect([waiting.etaSeconds, waiting.waitingUntil !== null]).toEqual([null, true]);
  });
});
