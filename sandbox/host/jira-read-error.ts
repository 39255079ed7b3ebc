/** Jira (the stand-in) answered a shell read with an error status. */
export class JiraReadError extends Error {
  override readonly name = 'JiraReadError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
