/** The migration pass's count of its DDL requests (src/store/ddl-budget.ts), on a clock of its own. */
import { DdlBudget, isRateLimited } from '../../src/store/ddl-budget';

function clocked(deadlineMs: number): { budget: DdlBudget; clock: { now: number }; waits: number[] } {
  const clock = { now: 0 };
  const waits: number[] = [];
  const budget = new DdlBudget({
    deadlineMs,
    now: () => clock.now,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  });
  return { budget, clock, waits };
}

describe('DdlBudget', () => {
  it('lets 25 requests through in a minute, then waits for the oldest to leave it', async () => {
    const { budget, clock, waits } = clocked(120_000);
    for (let n = 0; n < 25; n++) {
      expect(await budget.take()).toBe(true);
      clock.now += 100;
    }
    expect(waits).toEqual([]);
    // Now 2,500 ms; the first went at 0, so room comes at 60,000 (and the margin).
    expect(await budget.take()).toBe(true);
    expect(waits).toEqual([60_000 - 2_500 + 1_000]);
    expect(clock.now).toBe(61_000);
    // By then the first ten or so have left the minute: no more waiting for a while.
    for (let n = 0; n < 9; n++) expect(await budget.take()).toBe(true);
    expect(waits).toHaveLength(1);
    expect(budget.sent).toBe(35);
  });

  it('says no, without waiting or counting, when the wait would end after the deadline', async () => {
    const { budget, waits } = clocked(30_000);
    for (let n = 0; n < 25; n++) expect(await budget.take()).toBe(true);
    expect(await budget.take()).toBe(false);
    expect(waits).toEqual([]);
    expect(budget.sent).toBe(25);
  });

  it('after a rate-limit answer, waits a minute from then', async () => {
    const { budget, clock, waits } = clocked(120_000);
    expect(await budget.take()).toBe(true);
    clock.now = 5_000;
    budget.spent();
    expect(await budget.take()).toBe(true);
    expect(waits).toEqual([61_000]);
  });

  it('knows Forge SQL rate-limit errors', () => {
    expect(isRateLimited({ code: 'RATE_LIMIT_EXCEEDED', message: 'x' })).toBe(true);
    expect(isRateLimited({ code: 'UNKNOWN_ERROR', responseDetails: { status: 429 } })).toBe(true);
    expect(isRateLimited({ code: 'SQL_EXECUTION_ERROR', responseDetails: { status: 400 } })).toBe(false);
    expect(isRateLimited(new Error('x'))).toBe(false);
  });
});
