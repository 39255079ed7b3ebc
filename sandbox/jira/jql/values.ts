/**
 * Turning JQL operands into comparable values: dates (absolute, relative
 * periods, date functions) and full-text terms.
 */
import type { Operand } from './parser';
import { JqlError } from './jql-error';

const DAY = 86_400_000;
const PERIOD_UNITS = new Map<string, number>([
  ['y', 365 * DAY],
  ['M', 30 * DAY],
  ['w', 7 * DAY],
  ['d', DAY],
  ['h', 3_600_000],
  ['m', 60_000],
]);
const ABSOLUTE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([-+]?)((?:\s*\d+\s*[yMwdhm])+)\s*$/;

export const DATE_FORMATS_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/** Epoch ms of a date literal, or null when it is not one. Dates are read as UTC. */
export function parseDateLiteral(value: string, now: number): number | null {
  const abs = ABSOLUTE.exec(value.trim());
  if (abs) {
    const [, y, mo, d, h, mi] = abs;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
    return Number.isNaN(ms) ? null : ms;
  }
  const period = PERIOD.exec(value);
  if (period) {
    const sign = period[1] === '-' ? -1 : 1;
    let total = 0;
    for (const m of (period[2] ?? '').matchAll(/(\d+)\s*([yMwdhm])/g)) {
      total += Number(m[1]) * (PERIOD_UNITS.get(m[2] ?? 'd') ?? DAY);
    }
    return now + sign * total;
  }
  return null;
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** Date functions the stand-in supports; an optional argument shifts by a period ("-1d"). */
export function evaluateDateFunction(name: string, args: string[], now: number): number {
  const lower = name.toLowerCase();
  const shift = args[0] === undefined ? 0 : (parseDateLiteral(args[0], 0) ?? 0);
  if (lower === 'now') return now;
  if (lower === 'startofday') return startOfUtcDay(now) + shift;
  if (lower === 'endofday') return startOfUtcDay(now) + DAY - 1 + shift;
  throw new JqlError([`Unable to find JQL function '${name}(${args.join(', ')})'.`]);
}

/** The operand as epoch ms, or a Jira-worded error. */
export function dateOperand(operand: Operand, field: string, now: number): number {
  if (operand.kind === 'function') return evaluateDateFunction(operand.name, operand.args, now);
  if (operand.kind === 'value') {
    const ms = parseDateLiteral(operand.value, now);
    if (ms === null) throw new JqlError([`Date value '${operand.value}' for field '${field}' is invalid. ${DATE_FORMATS_HINT}`]);
    return ms;
  }
  throw new JqlError([`The operator does not support this operand for the field '${field}'.`]);
}

const WORD = /[\p{L}\p{N}_]+\*?/gu;

/** Words of a `~` query, lower-cased; a trailing `*` keeps prefix matching. */
export function textTerms(query: string): string[] {
  return (query.toLowerCase().match(WORD) ?? []).filter((w) => w !== '*');
}

export function textWords(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
}

/** Every term must occur as a word (or word prefix for `term*`). */
export function textMatches(words: Set<string>, terms: string[]): boolean {
  return terms.every((t) => {
    if (!t.endsWith('*')) return words.has(t);
    const prefix = t.slice(0, -1);
    for (const w of words) if (w.startsWith(prefix)) return true;
    return false;
  });
}
