/**
 * A handler ran past its function timeout (only raised with `enforceTimeouts`). Forge
 * would kill the invocation; here the caller stops waiting and the handler's promise
 * is abandoned, which is as close as one process gets.
 */
export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';

  constructor(
    readonly functionKey: string,
    readonly timeoutMs: number,
  ) {
    super(`Function '${functionKey}' ran longer than its ${timeoutMs} ms timeout (FUNCTION_TIME_OUT).`);
  }
}
