/**
 * The text handed to the CSV importer is not a Jira issue export. The message
 * is meant for the person who picked the file: it says what was found and what
 * a Jira export looks like.
 */
export class NotAJiraExportError extends Error {
  override readonly name = 'NotAJiraExportError';
  /** What was wrong with the file, without the description of an export. */
  readonly problem: string;

  constructor(problem: string) {
    super(
      `${problem} Expected a CSV file exported from Jira (Filters → Export → CSV): a header row with at least "Summary" and "Issue id" columns, then one row per issue.`,
    );
    this.problem = problem;
  }
}
