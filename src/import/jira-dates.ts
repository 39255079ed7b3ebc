/**
 * Dates as Jira's CSV export writes them. The export format follows the Jira
 * instance's date settings and the exporting user's language; the common ones are
 * `30/Sep/21 17:20`, `30/Sep/21 5:20 PM`, `30/Sep/2021 17:20`, `2021-09-30 17:20` and,
 * with German or French month names, `07/Dez/26 10:15` or `07/déc./26 10:15`. A file
 * re-saved by Excel holds Excel's form of the date instead: `07.12.2026 10:15`
 * (German), `07/12/2026 10:15` (day first) or `12/7/2026 10:15 AM` (US, month first):
 * which of the last two a file uses is read off all its dates (numericDateOrder).
 * Exports carry no time zone, so times are read as UTC.
 */

/** Month names and abbreviations (English, German, French), lower case, no final dot. */
const MONTHS: ReadonlyMap<string, number> = new Map(
  [
    ['jan', 'january', 'januar', 'jän', 'jänner', 'janv', 'janvier'],
    ['feb', 'february', 'februar', 'févr', 'fév', 'fevr', 'février', 'fevrier'],
    ['mar', 'march', 'mär', 'mrz', 'märz', 'mars'],
    ['apr', 'april', 'avr', 'avril'],
    ['may', 'mai'],
    ['jun', 'june', 'juni', 'juin'],
    ['jul', 'july', 'juli', 'juil', 'juillet'],
    ['aug', 'august', 'août', 'aout'],
    ['sep', 'sept', 'september', 'septembre'],
    ['oct', 'october', 'okt', 'oktober', 'octobre'],
    ['nov', 'november', 'novembre'],
    ['dec', 'december', 'dez', 'dezember', 'déc', 'décembre', 'decembre'],
  ].flatMap((names, month) => names.map((n): [string, number] => [n, month])),
);

export type NumericDateOrder = 'dmy' | 'mdy';

const TIME = String.raw`(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?\s?m\.?|vorm\.|nachm\.)?)?`;
/** `30/Sep/21 5:20 PM`, `07/Dez/26 10:15`, `07/déc./26 10:15`, `30-Sep-2021 17:20`. */
const NAMED_MONTH = new RegExp(String.raw`^(\d{1,2})[/\- ](\p{L}+)\.?[/\- ](\d{2}|\d{4})${TIME}$`, 'iu');
/** `07.12.2026 10:15` (German and other European forms). */
const DOTTED = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})${TIME}$`, 'i');
/** `07/12/2026 10:15` or `12/7/2026 10:15 AM`: day or month first, by the file. */
const SLASHED = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})${TIME}$`, 'i');
/** `2021-09-30 17:20`, `2021/09/30 17:20:05`. */
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?\s?m\.?)?)?$`, 'i');

function build(year: number, month: number, day: number, hour: number, minute: number, second: number): string | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const d = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Date.UTC rolls 31/Feb over into March; a real export never says that.
  if (d.getUTCDate() !== day) return null;
  return d.toISOString();
}

function fullYear(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/** 24-hour clock from an hour and an optional AM/PM mark; NaN when they disagree. */
function hour24(hh: string | undefined, mark: string | undefined): number {
  const hour = Number(hh ?? 0);
  if (!mark) return hour;
  if (hour < 1 || hour > 12) return NaN;
  const pm = /^(p|nachm)/i.test(mark);
  return (hour % 12) + (pm ? 12 : 0);
}

function withTime(year: number, month: number, day: number, time: Array<string | undefined>): string | null {
  const [hh, mm, ss, mark] = time;
  const hour = hour24(hh, mark);
  if (Number.isNaN(hour)) return null;
  return build(year, month, day, hour, Number(mm ?? 0), Number(ss ?? 0));
}

/**
 * Whether the file's `dd/mm/yyyy`-shaped dates put the day or the month first: month
 * first when some date's second number is above 12 and none's first is; day first
 * otherwise (as every format Jira itself writes does).
 */
export function numericDateOrder(cells: Iterable<string>): NumericDateOrder {
  let dayFirst = false;
  let monthFirst = false;
  for (const cell of cells) {
    const m = SLASHED.exec(cell.trim());
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[2]) > 12) monthFirst = true;
  }
  return monthFirst && !dayFirst ? 'mdy' : 'dmy';
}

/** ISO 8601 (UTC) for a Jira export date cell, or null when it is not one. */
export function parseJiraDate(cell: string, order: NumericDateOrder = 'dmy'): string | null {
  const text = cell.trim();
  if (text.length === 0) return null;
  const named = NAMED_MONTH.exec(text);
  if (named) {
    const [, day, mon, yr, ...time] = named;
    const month = MONTHS.get((mon ?? '').toLowerCase().normalize('NFC'));
    if (month === undefined) return null;
    return withTime(fullYear(yr ?? ''), month, Number(day), time);
  }
  const dotted = DOTTED.exec(text);
  if (dotted) {
    const [, day, mon, yr, ...time] = dotted;
    return withTime(fullYear(yr ?? ''), Number(mon) - 1, Number(day), time);
  }
  const slashed = SLASHED.exec(text);
  if (slashed) {
    const [, first, second, yr, ...time] = slashed;
    const [day, mon] = order === 'mdy' ? [second, first] : [first, second];
    return withTime(fullYear(yr ?? ''), Number(mon) - 1, Number(day), time);
  }
  const ymd = YEAR_FIRST.exec(text);
  if (ymd) {
    const [, y, , mo, d, ...time] = ymd;
    return withTime(Number(y), Number(mo) - 1, Number(d), time);
  }
  // Full ISO with an offset (some API-driven exports): trust the platform parser.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  return null;
}
