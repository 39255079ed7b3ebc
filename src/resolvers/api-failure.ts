import type { ApiError, ErrorCode } from '../shared/contract';

/**
 * A failure a resolver method reports on purpose (not an admin, pair not found, ...).
 *
 * Methods throw it instead of building `{ success: false }` by hand so that deep helpers
 * can stop the call; `define()` catches it at the edge and answers the typed result, so
 * nothing ever reaches the UI as a thrown error.
 */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure' as const;
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  /** The wait Jira asked for, when the failure is Jira's and it said one (`ApiError.retryAfterMs`). */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, fields?: Record<string, string>, retryAfterMs?: number) {
    super(message);
    this.code = code;
    this.fields = fields;
    this.retryAfterMs = retryAfterMs;
  }

  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/**
 * The one answer for a pair that does not exist, is not part of the page's project or issue,
 * or has an issue the caller may not browse: different words for these would tell someone
 * which hidden issues are alike (pair ids are made of issue ids, so they can be guessed).
 */
export const PAIR_UNAVAILABLE = 'That pair is not available to you.';

export const forbidden = (message: string): ApiFailure => new ApiFailure('FORBIDDEN', message);
export const notFound = (message: string): ApiFailure => new ApiFailure('NOT_FOUND', message);
export const badRequest = (message: string, fields?: Record<string, string>): ApiFailure =>
  new ApiFailure('BAD_REQUEST', message, fields);
