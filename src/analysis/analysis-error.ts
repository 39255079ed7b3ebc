/** Why a run cannot start or go on, in a sentence a person can act on. */
export type AnalysisErrorCode = 'NO_PROJECTS' | 'OUT_OF_SCOPE' | 'RUN_FAILED';

export class AnalysisError extends Error {
  override readonly name = 'AnalysisError' as const;
  readonly code: AnalysisErrorCode;

  constructor(code: AnalysisErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
