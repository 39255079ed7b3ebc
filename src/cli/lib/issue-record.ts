import type { IssueText } from '../../engine';

/** An issue as the command-line tools read it (eval's JSONL format, or a Jira CSV row). */
export interface IssueRecord extends IssueText {
  key?: string;
  /** Milliseconds since the epoch (NaN when unknown). */
  createdMs: number;
  created: string;
}

export class InputFormatError extends Error {
  override readonly name = 'InputFormatError';
}

const MONTHS = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i]),
);

/**
 * Parses the dates tools meet: ISO 8601 (taken as UTC when it has no zone) and Jira's
 * export form "30/Sep/21 17:20" or "30/Sep/21 5:20 PM" (UTC: an export carries no zone).
 */
export function parseCreated(text: string): number {
  const s = text.trim();
  const jira = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/.exec(s);
  if (jira) {
    const [, d, mon, y, h, mi, sec, ampm] = jira;
    const month = MONTHS.get((mon ?? '').toLowerCase());
    if (month === undefined) return NaN;
    let year = Number(y);
    if (year < 100) year += 2000;
    let hour = Number(h);
    if (ampm) hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
    return Date.UTC(year, month, Number(d), hour, Number(mi), Number(sec ?? 0));
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s);
    return Date.parse(hasZone || s.length <= 10 ? s : s + 'Z');
  }
  return NaN;
}
