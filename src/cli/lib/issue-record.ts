import type { IssueText } from '../../engine';
import { parseJiraDate } from '../../import/jira-dates';

/** An issue as the command-line tools read it (eval's JSONL format, or a Jira CSV row). */
export interface IssueRecord extends IssueText {
  key?: string;
  /** Milliseconds since the epoch (NaN when unknown). */
  createdMs: number;
  created: string;
  /**
   * Issues Jira already links to this one as duplicates, by key (or id) as the export's
   * "Inward/Outward issue link (Duplicate)" columns name them; absent when the export has
   * no such columns.
   */
  duplicateLinks?: string[];
}

export class InputFormatError extends Error {
  override readonly name = 'InputFormatError';
}

/**
 * Parses the dates tools meet: ISO 8601 (taken as UTC when it has no zone) and the forms
 * of a Jira export, "30/Sep/21 17:20", "30/Sep/21 5:20 PM" and the others parseJiraDate
 * reads (UTC: an export carries no zone).
 */
export function parseCreated(text: string): number {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s);
    const ms = Date.parse(hasZone || s.length <= 10 ? s : s + 'Z');
    if (!Number.isNaN(ms)) return ms;
  }
  // The other forms a Jira export or a spreadsheet writes (src/import/jira-dates.ts).
  const iso = parseJiraDate(s);
  return iso === null ? NaN : Date.parse(iso);
}
