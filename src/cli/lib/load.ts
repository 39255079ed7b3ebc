import { readFileSync, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { withoutControlCharacters, withoutControlCharactersIn } from '../../import/control-text';
import { detectEncoding } from '../../import/export-text';
import { indexHeaders } from '../../import/jira-columns';
import { InputFormatError, type IssueRecord } from './issue-record';
import { issuesFromJiraRows, readCsvRows, type ReadProgress } from './jira-csv';
import { parseIssuesJsonl } from './jsonl-issues';

function firstBytes(file: string, n = 4096): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const read = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Compressed files and images, by their first bytes: what each is, and what to do. */
const MAGIC: ReadonlyArray<[number[], string]> = [
  [[0x1f, 0x8b], 'is compressed with gzip, not a CSV or JSONL export: unzip it first (gunzip) and give the file inside'],
  [[0x42, 0x5a, 0x68], 'is compressed with bzip2, not a CSV or JSONL export: unzip it first (bunzip2) and give the file inside'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'is compressed with xz, not a CSV or JSONL export: unzip it first (unxz) and give the file inside'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'is a 7-Zip archive, not a CSV or JSONL export: unpack it first and give the file inside'],
  [[0x89, 0x50, 0x4e, 0x47], 'is a PNG image, not a CSV or JSONL export'],
  [[0xff, 0xd8, 0xff], 'is a JPEG image, not a CSV or JSONL export'],
  [[0x47, 0x49, 0x46, 0x38], 'is a GIF image, not a CSV or JSONL export'],
];

/**
 * Refuses a compressed file, an image or another binary file (NUL bytes in a file that
 * is not UTF-16 text) before it is read as text: its bytes would otherwise be taken for
 * column names.
 */
function refuseBinaryInput(file: string, head: Buffer): void {
  for (const [magic, what] of MAGIC) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) throw new InputFormatError(`${file} ${what}.`);
  }
  if (!head.includes(0)) return;
  let utf16 = false;
  try {
    utf16 = detectEncoding(head).encoding.startsWith('UTF-16');
  } catch {
    return; // a workbook or PDF: the CSV reader says what it is
  }
  if (!utf16) throw new InputFormatError(`${file} is a binary file, not a CSV or JSONL export: export CSV from Jira's issue search (Export → CSV).`);
}

/** Counts of the rows loadIssues left out. */
export interface LoadStats {
  /** Rows equal to the header row (exports joined together). */
  headerRows: number;
  /** Rows or lines whose issue id an earlier one had (the last of each is kept). */
  repeatedIds: number;
}

/**
 * The issue with the text the analyzer reads (summary, description, labels, components,
 * type) free of terminal escape sequences and control characters: a colour code pasted
 * with a log line is no word two issues share. Ids, keys and links are left as they are.
 */
function plainText(issue: IssueRecord): IssueRecord {
  const out: IssueRecord = { ...issue, summary: withoutControlCharacters(issue.summary), description: withoutControlCharactersIn(issue.description) };
  if (issue.type !== undefined) out.type = withoutControlCharacters(issue.type);
  if (issue.labels) out.labels = issue.labels.map(withoutControlCharacters);
  if (issue.components) out.components = issue.components.map(withoutControlCharacters);
  return out;
}

/** The issues with each id once: the last row of each id, where the first of them stood. */
function lastOfEachId(issues: IssueRecord[], stats?: LoadStats): IssueRecord[] {
  const byId = new Map<string, IssueRecord>();
  for (const issue of issues) byId.set(issue.id, issue);
  if (stats) stats.repeatedIds += issues.length - byId.size;
  return byId.size === issues.length ? issues : [...byId.values()];
}

function checkFile(file: string): void {
  if (!existsSync(file)) throw new InputFormatError(`${file} does not exist`);
  if (statSync(file).isDirectory()) throw new InputFormatError(`${file} is a folder, not a file: give the path of the export file itself`);
}

/** The whole text is one JSON value (an array, or an object over several lines), not JSON Lines. */
function isOneJsonDocument(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) || text.trim().includes('\n')) return true;
    // One line: a REST answer (a search's "issues", an issue's "fields") rather than one issue.
    return typeof value === 'object' && value !== null && !('id' in value) && ['issues', 'fields', 'expand', 'total', 'startAt'].some((k) => k in value);
  } catch {
    return false;
  }
}

/**
 * JSONL or Jira CSV, told apart by extension and, failing that, by the first character;
 * the issues' text without escape sequences or control characters (plainText).
 */
export async function loadIssues(file: string, onProgress?: (p: ReadProgress) => void, stats?: LoadStats): Promise<IssueRecord[]> {
  checkFile(file);
  const bytes = firstBytes(file);
  refuseBinaryInput(file, bytes);
  const head = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const isJson = /\.jsonl?$/i.test(file) || head.startsWith('{') || head.startsWith('[');
  if (isJson) {
    const text = readFileSync(file, 'utf8');
    try {
      return lastOfEachId(parseIssuesJsonl(text, file).map(plainText), stats);
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
  return lastOfEachId(issuesFromJiraRows(await readCsvRows(file, onProgress), file, stats).map(plainText), stats);
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
 * The export's Duplicate links to issues the file does not hold (an issue of another
 * project, or one the search's filter left out): how many (undirected, each once) and
 * the issues they name, as the link columns name them, in the file's order.
 */
export function duplicateLinksOutside(issues: readonly IssueRecord[]): { links: number; issues: string[] } {
  const ids = new Set(issues.map((i) => i.id));
  const idOf = idOfKeyOrId(issues);
  const outside = undirectedPairs(issues.flatMap((issue) => (issue.duplicateLinks ?? []).filter((other) => !ids.has(idOf(other))).map((other): [string, string] => [issue.id, other])));
  return { links: outside.length, issues: [...new Set(outside.map(([a, b]) => (ids.has(a) ? b : a)))] };
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
