/**
 * Turns what went wrong in a step into the run's error: a sentence a person can act on.
 * Logs keep the run id, the scope and Jira's status; never issue text.
 */
import { JiraError } from '../jira/errors';
import { StoreError } from '../store/store-error';
import { AnalysisError } from './analysis-error';

export type Phase = 'plan' | 'fetch' | 'score';

const DOING: Record<Phase, string> = {
  plan: 'counting issues',
  fetch: 'fetching issues',
  score: 'scoring issues',
};

export function failureMessage(err: unknown, phase: Phase, scope: string): string {
  const doing = `${DOING[phase]} for ${scope}`;
  if (err instanceof JiraError) {
    const tries = `${err.attempts} ${err.attempts === 1 ? 'try' : 'tries'}`;
    switch (err.code) {
      case 'SERVER_ERROR':
        return `Jira kept answering ${err.status ?? '5xx'} while ${doing}; the analysis stopped after ${tries}. Start it again later.`;
      case 'TIMEOUT':
      case 'NETWORK':
        return `Jira did not answer in time while ${doing}; the analysis stopped after ${tries}. Start it again later.`;
      case 'RATE_LIMITED':
        return `Jira kept rate limiting the app while ${doing}. Start the analysis again later, outside busy hours.`;
      case 'BAD_REQUEST': {
        const why = err.jiraMessages[0] ? ` Jira said: ${err.jiraMessages[0].slice(0, 200)}` : '';
        return `Jira rejected the search while ${doing}.${why} Check the JQL filter in the app settings, then start again.`;
      }
      case 'UNAUTHORIZED':
      case 'FORBIDDEN':
        return `Jira refused access while ${doing} (${err.status ?? ''}). Check that the app may browse these projects, then start again.`;
      case 'NOT_FOUND':
        return `Jira could not find what the analysis asked for while ${doing}. Check that the projects still exist, then start again.`;
      default:
        return `Jira answered ${err.status ?? 'an error'} while ${doing}. Start the analysis again; if it keeps failing, check the app settings.`;
    }
  }
  if (err instanceof AnalysisError) return err.message;
  if (err instanceof StoreError) {
    if (err.code === 'QUERY_TIMED_OUT') return `The app's database kept timing out while ${doing}. Start the analysis again later.`;
    return `The app's database failed while ${doing} (${err.code}). Start the analysis again; if it keeps failing, contact the app's support.`;
  }
  return `The analysis failed while ${doing}. Start it again; if it keeps failing, contact the app's support.`;
}

/** Short, safe description for logs. */
export function logReason(err: unknown): string {
  if (err instanceof JiraError) return `JiraError ${err.code} status=${err.status ?? '-'} attempts=${err.attempts}`;
  if (err instanceof StoreError) return `StoreError ${err.code}`;
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 200)}`;
  return 'unknown error';
}
