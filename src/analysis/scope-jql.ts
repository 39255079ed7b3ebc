/**
 * The bounded JQL of a run, built from the settings snapshot: `project in (…)` is always
 * there, then issue types and the created window, then the admin's filter in parentheses
 * (ANDed, so it can only narrow), then what the run adds (updated since, created slice).
 * Relative dates ("-30d", "-90m") keep the query independent of the app user's time zone.
 */
import type { Settings } from '../shared/contract';
import { AnalysisError } from './analysis-error';

/** JQL string literal: double quotes, with backslash and quote escaped. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface ScopeJqlOptions {
  /** Only issues updated at or after this (ms); rendered relative to `nowMs` in minutes. */
  updatedSinceMs?: number | null;
  nowMs?: number;
}

export function scopeJql(settings: Settings, projects: string[], opts: ScopeJqlOptions = {}): string {
  if (projects.length === 0) throw new Error('scopeJql needs at least one project');
  const clauses = [`project in (${projects.map(jqlString).join(', ')})`];
  if (settings.issueTypes.length > 0) clauses.push(`issuetype in (${settings.issueTypes.map(jqlString).join(', ')})`);
  if (settings.maxAgeDays > 0) clauses.push(`created >= -${settings.maxAgeDays}d`);
  if (opts.updatedSinceMs !== undefined && opts.updatedSinceMs !== null) {
    const minutes = Math.max(1, Math.ceil(((opts.nowMs ?? Date.now()) - opts.updatedSinceMs) / 60_000));
    clauses.push(`updated >= -${minutes}m`);
  }
  const filter = stripOrderBy(settings.jqlFilter);
  if (filter !== '') {
    // A filter that closes our parenthesis could OR its way out of the project clause.
    if (!balancedOutsideStrings(filter)) {
      throw new AnalysisError('RUN_FAILED', 'The JQL filter in the app settings is not valid (its parentheses or quotes do not match). Fix it under Apps → Duplicate detection, then start again.');
    }
    clauses.push(`(${filter})`);
  }
  return clauses.join(' AND ');
}

/**
 * An ORDER BY inside the admin's filter would break the parentheses: drop it, and all after
 * it. Only one outside quoted values counts: `summary ~ "order by mistake"` is kept whole.
 */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** "order by" as words, tried at one place (sticky). */
const ORDER_BY = /order\s+by(?![\p{L}\p{N}_])/iuy;

export function stripOrderBy(jql: string): string {
  let quote: string | null = null;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i] as string;
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if ((c === 'o' || c === 'O') && (i === 0 || !WORD_CHAR.test(jql[i - 1] as string))) {
      ORDER_BY.lastIndex = i;
      if (ORDER_BY.test(jql)) return jql.slice(0, i).trim();
    }
  }
  return jql.trim();
}

/** "yyyy-MM-dd HH:mm" in UTC: Jira reads it in the app user's zone, which shifts every bound alike. */
export function jqlDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A created-date slice: [from, to) with open ends when null. */
export function withCreatedSlice(jql: string, fromMs: number | null, toMs: number | null): string {
  const parts = [jql];
  if (fromMs !== null) parts.push(`created >= ${jqlString(jqlDate(fromMs))}`);
  if (toMs !== null) parts.push(`created < ${jqlString(jqlDate(toMs))}`);
  return parts.join(' AND ');
}

/** Parentheses balance (never below zero) and quotes close, ignoring what is inside strings. */
export function balancedOutsideStrings(jql: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0 && quote === null;
}
