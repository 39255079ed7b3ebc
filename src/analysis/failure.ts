/**
 * Turns what went wrong in a step into the run's error: a sentence a person can act on.
 * Logs keep the run id, the scope and Jira's status; never issue text.
 *
 * Jira's own words about a rejected search are not for everyone who watches the run: they
 * quote the admin's JQL filter (which `settings.get` withholds from others) and may name
 * projects or issues the reader cannot browse. The run keeps them apart (`detail`, shown only
 * on the admin page); the message everyone else reads says what failed and where a Jira
 * admin finds why.
 */
import { clipCodePoints } from '../shared/code-points';
import { JiraError } from '../jira/errors';
import { JIRA_REASON_FOR_ADMINS } from '../store/runs';
import { StoreError } from '../store/store-error';
import { AnalysisError } from './analysis-error';

export type Phase = 'plan' | 'fetch' | 'score';

const DOING: Record<Phase, string> = {
  plan: 'counting issues',
  fetch: 'fetching issues',
  score: 'scoring issues',
};

/**
 * The run's error: `message` for everyone who may watch the run (the project page, the
 * history), `detail` the same with Jira's own words, for Jira admins on the admin page;
 * null when there are none (the message then says it all).
 */
export interface RunFailure {
  message: string;
  detail: string | null;
}

/**
 * What the run had to go on: whether its settings have a JQL filter (`jqlFilter`, default
 * true), so a rejected search points at what may be wrong: the filter, or with none, the
 * projects and issue types.
 */
export interface FailureContext {
  jqlFilter?: boolean;
}

export function runFailure(err: unknown, phase: Phase, scope: string, context: FailureContext = {}): RunFailure {
  const message = failureMessage(err, phase, scope, context);
  if (err instanceof AnalysisError) return { message, detail: err.detail };
  const said = err instanceof JiraError && err.code === 'BAD_REQUEST' ? err.jiraMessages[0] : undefined;
  if (!said) return { message, detail: null };
  return {
    message,
    detail: `Jira rejected the search while ${DOING[phase]} for ${scope}. Jira said: ${clipCodePoints(said, 200)} ${settingsToCheck(context)}`,
  };
}

/** What to look at after Jira rejected a run's search. */
function settingsToCheck(context: FailureContext): string {
  return context.jqlFilter === false
    ? 'Check the projects and issue types in the app settings, then start again.'
    : 'Check the JQL filter in the app settings, then start again.';
}

/** The sentence for everyone: never Jira's own words (see `runFailure`). */
export function failureMessage(err: unknown, phase: Phase, scope: string, context: FailureContext = {}): string {
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
      case 'BAD_REQUEST':
        return `Jira rejected the search while ${doing}.${err.jiraMessages[0] ? ` ${JIRA_REASON_FOR_ADMINS}` : ` ${settingsToCheck(context)}`}`;
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
  if (err instanceof Error) return `${err.name}: ${clipCodePoints(err.message, 200)}`;
  return 'unknown error';
}
