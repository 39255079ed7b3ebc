/** A Forge SQL failure the store could not recover from; `code` is Forge's (QUERY_TIMED_OUT, …). */
export class StoreError extends Error {
  override readonly name = 'StoreError' as const;
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}
