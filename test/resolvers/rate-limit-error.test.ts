/**
 * Jira's 429 as the pages get it: the wait Jira asked for in words and as data
 * (`retryAfterMs`), so a page that asks again by itself waits at least that long.
 */
import { JiraError } from '../../src/jira/errors';
import { mapError } from '../../src/resolvers/error-mapping';

const rateLimited = (retryAfterSeconds: number | null) => new JiraError({ message: 'Jira is rate limiting GET /rest/api/3/myself.', status: 429, code: 'RATE_LIMITED', retryAfterSeconds });

it('carries the wait of a Retry-After as retryAfterMs, beside the sentence that says it', () => {
  expect(mapError(rateLimited(60)).error).toEqual({ code: 'RATE_LIMITED', message: 'Jira is limiting requests right now. Try again in about 60 s.', retryAfterMs: 60_000 });
  // Part of a second counts as a whole one, in the words and in the data alike.
  expect(mapError(rateLimited(1.2)).error).toEqual({ code: 'RATE_LIMITED', message: 'Jira is limiting requests right now. Try again in about 2 s.', retryAfterMs: 2_000 });
});

it('asks for at least a second when Jira asks for none or for a time already past', () => {
  for (const seconds of [0, 0.0001, -5]) {
    expect(mapError(rateLimited(seconds)).error).toEqual({ code: 'RATE_LIMITED', message: 'Jira is limiting requests right now. Try again in about 1 s.', retryAfterMs: 1_000 });
  }
});

it('says no wait as data when Jira gave none', () => {
  expect(mapError(rateLimited(null)).error).toEqual({ code: 'RATE_LIMITED', message: 'Jira is limiting requests right now. Try again in a minute.' });
});

it('gives no other Jira failure a wait', () => {
  const error = mapError(new JiraError({ message: 'Jira answered GET /rest/api/3/myself with 503.', status: 503, code: 'SERVER_ERROR', retryAfterSeconds: 30 })).error;
  expect(error.code).toBe('JIRA_ERROR');
  expect(error.retryAfterMs).toBeUndefined();
});
