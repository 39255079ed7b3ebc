/**
 * A platform-side rejection that the seam turns into an HTTP answer with Forge's
 * JSON error body, so the real SDK parses it into its own error class.
 */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra body fields; the SDKs fold unknown fields into `error.context`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
