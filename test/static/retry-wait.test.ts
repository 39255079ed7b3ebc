/**
 * How long a page waits before asking again by itself after a failure: its own wait, or the
 * wait Jira asked for (the Retry-After of a 429 or a 5xx, `retryAfterMs`) when that is longer, within limits.
 */
import { LONGEST_HINTED_WAIT_MS, waitBeforeAskingAgain } from '../../static/shared/retry-wait';

const limited = (retryAfterMs?: number) => ({ code: 'RATE_LIMITED' as const, message: 'Jira is limiting requests right now.', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

it('waits as long as Jira asked when that is longer than its own wait', () => {
  expect(waitBeforeAskingAgain(limited(60_000), 5_000)).toBe(60_000);
  expect(waitBeforeAskingAgain(limited(60_000), 45_000)).toBe(60_000);
});

it('waits as long as Jira asked with a 5xx too (JIRA_ERROR), as with a 429', () => {
  expect(waitBeforeAskingAgain({ code: 'JIRA_ERROR', message: 'Jira is busy right now (HTTP 503). Try again in about 60 s.', retryAfterMs: 60_000 }, 5_000)).toBe(60_000);
});

it('keeps its own wait when Jira asked for less, or said nothing', () => {
  expect(waitBeforeAskingAgain(limited(2_000), 5_000)).toBe(5_000);
  expect(waitBeforeAskingAgain(limited(), 15_000)).toBe(15_000);
  expect(waitBeforeAskingAgain({ code: 'JIRA_ERROR', message: 'Jira answered with an error (HTTP 503).' }, 5_000)).toBe(5_000);
});

it('waits a few minutes at most, whatever the answer says', () => {
  expect(LONGEST_HINTED_WAIT_MS).toBe(300_000);
  expect(waitBeforeAskingAgain(limited(3_600_000), 5_000)).toBe(LONGEST_HINTED_WAIT_MS);
  // Never shorter than its own wait, even when that is longer than the cap.
  expect(waitBeforeAskingAgain(limited(3_600_000), 400_000)).toBe(400_000);
  for (const odd of [Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(waitBeforeAskingAgain(limited(odd), 5_000)).toBe(5_000);
});
