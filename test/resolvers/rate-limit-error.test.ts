/**
 * Jira's 429, and a 5xx with Retry-After, as the pages get them: the wait Jira asked for in
 * words and as data (`retryAfterMs`), so a page that asks again by itself waits at least that long.
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

const serverError = (status: number, retryAfterSeconds: number | null) =>
  new JiraError({ message: `Jira answered GET /rest/api/3/myself with ${status}.`, status, code: 'SERVER_ERROR', retryAfterSeconds });

// Failed before: a 503 asking for 30 s answered JIRA_ERROR with no wait, and the issue panel
// asked again after 5 s, then 15 s, inside the time Jira had asked to be left alone.
it('carries the wait of a 5xx\'s Retry-After too, on JIRA_ERROR, saying Jira is busy', () => {
  expect(mapError(serverError(503, 30)).error).toEqual({ code: 'JIRA_ERROR', message: 'Jira is busy right now (HTTP 503). Try again in about 30 s.', retryAfterMs: 30_000 });
  // Rounded up to whole seconds, at least one, as a 429's.
  expect(mapError(serverError(502, 0)).error).toEqual({ code: 'JIRA_ERROR', message: 'Jira is busy right now (HTTP 502). Try again in about 1 s.', retryAfterMs: 1_000 });
  expect(mapError(serverError(503, 1.2)).error.retryAfterMs).toBe(2_000);
});

it('gives no wait to a 5xx without Retry-After, nor to any other Jira failure', () => {
  expect(mapError(serverError(503, null)).error).toEqual({ code: 'JIRA_ERROR', message: 'Jira answered with an error (HTTP 503). Try again later.' });
  const timeout = mapError(new JiraError({ message: 'Jira did not answer GET /rest/api/3/myself in time.', status: null, code: 'TIMEOUT' })).error;
  expect(timeout).toEqual({ code: 'JIRA_ERROR', message: 'Jira did not answer in time. Try again.' });
  const notFound = mapError(new JiraError({ message: 'Jira answered GET /rest/api/3/issue/1 with 404.', status: 404, code: 'NOT_FOUND', retryAfterSeconds: 30 })).error;
  expect(notFound.retryAfterMs).toBeUndefined();
});
