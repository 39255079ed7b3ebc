/**
 * Why a run cannot start or go on, in a sentence a person can act on. BUSY: a run of every
 * project refused while a project's own run is under way (it names that run).
 */
export type AnalysisErrorCode = 'NO_PROJECTS' | 'OUT_OF_SCOPE' | 'RUN_FAILED' | 'BUSY';

export class AnalysisError extends Error {
  override readonly name = 'AnalysisError' as const;
  readonly code: AnalysisErrorCode;
  /**
   * The same for Jira admins on the admin page, when it names what only they may read (the
   * projects in scope of a run every project page shows); null when the message says it all.
   */
  readonly detail: string | null;

  constructor(code: AnalysisErrorCode, message: string, detail: string | null = null) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}
