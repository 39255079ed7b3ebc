import { readFileSync, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { indexHeaders } from '../../import/jira-columns';
import { InputFormatError, type IssueRecord } from './issue-record';
import { issuesFromJiraRows, readCsvRows, type ReadProgress } from './jira-csv';
import { parseIssuesJsonl } from './jsonl-issues';

function firstBytes(file: string, n = 4096): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const read = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function checkFile(file: string): void {
  if (!existsSync(file)) throw new InputFormatError(`${file} does not exist`);
  if (statSync(file).isDirectory()) throw new InputFormatError(`${file} is a folder, not a file: give the path of the export file itself`);
}

/** The whole text is one JSON value (an array, or an object over several lines), not JSON Lines. */
function isOneJsonDocument(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) || text.trim().includes('\n');
  } catch {
    return false;
  }
}

/** JSONL or Jira CSV, told apart by extension and, failing that, by the first character. */
export async function loadIssues(file: string, onProgress?: (p: ReadProgress) => void): Promise<IssueRecord[]> {
  checkFile(file);
  const head = firstBytes(file).replace(/^\uFEFF/, '').trimStart();
  const isJson = /\.jsonl?$/i.test(file) || head.startsWith('{') || head.startsWith('[');
  if (isJson) {
    const text = readFileSync(file, 'utf8');
    try {
      return parseIssuesJsonl(text, file);
    } catch (e) {
      if (e instanceof InputFormatError && isOneJsonDocument(text)) {
        throw new InputFormatError(
          `${file} is one JSON document (such as a Jira REST API answer), not JSON Lines: expected one issue ` +
            'object a line ({"id", "summary", "description", "created"}), or a CSV file exported from Jira.',
        );
      }
      throw e;
    }
  }
  if (head.length === 0) throw new InputFormatError(`${file} is empty`);
  return issuesFromJiraRows(await readCsvRows(file, onProgress), file);
}

function addPair(out: Array<[string, string]>, seen: Set<string>, a: string, b: string): void {
  if (a === b) return;
  const [x, y] = a < b ? [a, b] : [b, a];
  const key = x + '\u0000' + y;
  if (seen.has(key)) return;
  seen.add(key);
  out.push([x, y]);
}

/** Pairs undirected, each once, smaller id first; an issue paired with itself is dropped. */
export function undirectedPairs(pairs: Iterable<readonly [string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [a, b] of pairs) addPair(out, seen, a, b);
  return out;
}

/** An issue's id from its key (any case) or its id, as a Jira export's link columns name issues. */
export function idOfKeyOrId(issues: readonly IssueRecord[]): (keyOrId: string) => string {
  const idOfKey = new Map(issues.flatMap((i) => (i.key ? [[i.key.toUpperCase(), i.id] as const] : [])));
  return (x) => idOfKey.get(x.toUpperCase()) ?? x;
}

/** The pairs an export's Duplicate link columns name (undirected, each once, ids resolved from keys). */
export function duplicateLinkPairs(issues: readonly IssueRecord[]): Array<[string, string]> {
  const idOf = idOfKeyOrId(issues);
  return undirectedPairs(issues.flatMap((issue) => (issue.duplicateLinks ?? []).map((other): [string, string] => [issue.id, idOf(other)])));
}

/**
 * Duplicate pairs from a CSV with two id columns: `id_a,id_b`, or Jira's
 * `Issue id,Duplicate id` whose cells may list several ids separated by commas; or
 * from a Jira CSV export's "Inward/Outward issue link (Duplicate)" columns (each issue
 * by its id, or by its key when the export has no ids). Returns undirected pairs, each
 * once, smaller id first.
 */
export async function loadPairs(file: string): Promise<Array<[string, string]>> {
  checkFile(file);
  const rows = await readCsvRows(file);
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  const columns = indexHeaders(rows[0] ?? []);
  if (columns.has('summary') && (columns.has('issue id') || columns.has('issue key'))) {
    if (!columns.has('duplicate link')) {
      throw new InputFormatError(
        `${file} is a Jira export without "Inward issue link (Duplicate)" or "Outward issue link (Duplicate)" ` +
          'columns: export with "CSV (all fields)", or give a file of id pairs.',
      );
    }
    return duplicateLinkPairs(issuesFromJiraRows(rows, file));
  }
  const left = columns.get('issue id')?.[0] ?? 0;
  const right = columns.get('duplicate id')?.[0] ?? 1;
  rows.forEach((row, r) => {
    const as = (row[left] ?? '').split(/[\s,;]+/).filter((s) => s.length > 0);
    const bs = (row[right] ?? '').split(/[\s,;]+/).filter((s) => s.length > 0);
    if (r === 0 && !/^[\w-]*\d[\w-]*$/.test(as[0] ?? '')) return; // header row
    if (as.length === 0 || bs.length === 0) {
      throw new InputFormatError(`${file} row ${r + 1}: expected two id columns`);
    }
    for (const a of as) for (const b of bs) addPair(out, seen, a, b);
  });
  return out;
}
