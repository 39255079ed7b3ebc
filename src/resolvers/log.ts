/**
 * One JSON line per event. Callers pass keys, ids, codes, counts and durations only:
 * never issue text, JQL typed by people, tokens or account details beyond ids the log
 * needs to tie a failure to a run.
 */
export type LogValue = string | number | boolean | null | undefined | string[];

export function logEvent(event: string, fields: Record<string, LogValue>): void {
  console.log(JSON.stringify({ event, ...fields }));
}
