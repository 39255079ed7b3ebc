/**
 * An error answer in Jira's REST shape: `{ errorMessages: [...], errors: {...} }`.
 * Route handlers throw it; the server turns it into the response.
 */
export class JiraHttpError extends Error {
  override readonly name = 'JiraHttpError';

  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status}: ${[...errorMessages, ...Object.values(errors)].join(' ')}`);
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

/** Jira's wording for an issue that is missing or hidden: it never says which. */
export function issueNotFound(): JiraHttpError {
  return new JiraHttpError(404, ['Issue does not exist or you do not have permission to see it.']);
}
