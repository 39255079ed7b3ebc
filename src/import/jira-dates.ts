/**
 * Dates as Jira's CSV export writes them. The export format follows the
 * exporting user's settings; the common ones are `30/Sep/21 17:20`,
 * `30/Sep/21 5:20 PM`, `30/Sep/2021 17:20` and `2021-09-30 17:20`. Exports carry
 * no time zone, so times are read as UTC.
 */

const MONTHS = new Map<string, number>([
  ['jan', 0], ['feb', 1], ['mar', 2], ['apr', 3], ['may', 4], ['jun', 5],
  ['jul', 6], ['aug', 7], ['sep', 8], ['oct', 9], ['nov', 10], ['dec', 11],
]);
const DAY_MONTH_YEAR = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

function build(year: number, month: number, day: number, hour: number, minute: number, second: number): string | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const d = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Date.UTC rolls 31/Feb over into March; a real export never says that.
  if (d.getUTCDate() !== day) return null;
  return d.toISOString();
}

/** ISO 8601 (UTC) for a Jira export date cell, or null when it is not one. */
export function parseJiraDate(cell: string): string | null {
  const text = cell.trim();
  if (text.length === 0) return null;
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) {
    const [, day, mon, yr, hh, mm, ss, ampm] = dmy;
    const month = MONTHS.get((mon ?? '').toLowerCase());
    if (month === undefined) return null;
    const year = (yr ?? '').length === 2 ? 2000 + Number(yr) : Number(yr);
    let hour = Number(hh ?? 0);
    if (ampm) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
    }
    return build(year, month, Number(day), hour, Number(mm ?? 0), Number(ss ?? 0));
  }
  const ymd = YEAR_MONTH_DAY.exec(text);
  if (ymd) {
    const [, y, mo, d, hh, mm, ss] = ymd;
    return build(Number(y), Number(mo) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0), Number(ss ?? 0));
  }
  // Full ISO with an offset (some API-driven exports): trust the platform parser.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  return null;
}
