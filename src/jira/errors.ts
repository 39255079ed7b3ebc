/**
 * The one error every Jira call in this app throws.
 *
 * `message` is safe to log and to show: it names the method, the REST path (issue keys
 * at most) and Jira's status, never a response body, issue text or token.
 */
export type JiraErrorCode =
  | 'RATE_LIMITED' // 429 and the wait did not fit the budget (see retryAfterSeconds)
  | 'SERVER_ERROR' // 5xx after the bounded retries, or at once when its Retry-After did not fit (see retryAfterSeconds)
  | 'NETWORK' // the request never got an answer (socket, proxy, abort)
  | 'TIMEOUT' // a single request or the overall deadline ran out (or had, before the call: nothing sent)
  | 'BAD_REQUEST' // 400 (e.g. invalid JQL)
  | 'UNAUTHORIZED' // 401
  | 'FORBIDDEN' // 403
  | 'NOT_FOUND' // 404
  | 'CONFLICT' // 409
  | 'CLIENT_ERROR' // any other 4xx
  | 'BAD_RESPONSE'; // 2xx whose body did not match the schema we rely on

export class JiraError extends Error {
  override readonly name = 'JiraError' as const;
  readonly status: number | null;
  readonly code: JiraErrorCode;
  /** Seconds Jira asked us to wait (Retry-After on a 429 or a 5xx), when known. */
  readonly retryAfterSeconds: number | null;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** Jira's own error messages (errorMessages / errors), for 400s on user-typed JQL. Safe: no issue text. */
  readonly jiraMessages: string[];

  constructor(init: {
    message: string;
    status: number | null;
    code: JiraErrorCode;
    retryAfterSeconds?: number | null;
    attempts?: number;
    jiraMessages?: string[];
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.attempts = init.attempts ?? 1;
    this.jiraMessages = init.jiraMessages ?? [];
  }

  /** Worth trying again later (the run can be restarted; the event can be redelivered). */
  get transient(): boolean {
    return this.code === 'RATE_LIMITED' || this.code === 'SERVER_ERROR' || this.code === 'NETWORK' || this.code === 'TIMEOUT';
  }
}

export function isJiraError(err: unknown): err is JiraError {
  return err instanceof JiraError;
}

export function codeForStatus(status: number): JiraErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  return 'CLIENT_ERROR';
}
