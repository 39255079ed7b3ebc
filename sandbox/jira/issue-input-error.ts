/**
 * A create/update the stand-in refuses, worded as Jira words it and keyed by
 * the field Jira would name in `errors` (project, summary, issuetype).
 */
export class IssueInputError extends Error {
  override readonly name = 'IssueInputError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
