/**
 * How long the running invocation has left before Forge ends it, for work that must stop in
 * time on its own (a queue step that reads Jira for as long as Jira is slow).
 */
import { getAppContext } from '@forge/api';

/**
 * Milliseconds left in this invocation, at most `atMostMs` (the function's declared timeout:
 * the platform's figure is used when it is smaller, as when the step started late or a test
 * shortens it). Outside an invocation, or where the platform does not say, `atMostMs`.
 */
export function invocationTimeLeftMs(atMostMs: number): number {
  try {
    const left = getAppContext().invocationRemainingTimeInMillis();
    return Number.isFinite(left) && left > 0 ? Math.min(left, atMostMs) : atMostMs;
  } catch {
    return atMostMs;
  }
}
