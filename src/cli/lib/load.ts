import { readFileSync, existsSync, openSync, readSync, closeSync } from 'node:fs';
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

/** JSONL or Jira CSV, told apart by extension and, failing that, by the first character. */
export async function loadIssues(file: string, onProgress?: (p: ReadProgress) => void): Promise<IssueRecord[]> {
  if (!existsSync(file)) throw new InputFormatError(`${file} does not exist`);
  const head = firstBytes(file).replace(/^\uFEFF/, '').trimStart();
  const isJsonl = /\.jsonl?$/i.test(file) || head.startsWith('{');
  if (isJsonl) return parseIssuesJsonl(readFileSync(file, 'utf8'), file);
  if (head.length === 0) throw new InputFormatError(`${file} is empty`);
  return issuesFromJiraRows(await readCsvRows(file, onProgress), file);
}

/**
 * Duplicate pairs from a CSV with two id columns: `id_a,id_b`, or Jira's
 * `Issue id,Duplicate id` whose cells may list several ids separated by commas.
 * Returns undirected pairs, each once, smaller id first.
 */
export async function loadPairs(file: string): Promise<Array<[string, string]>> {
  if (!existsSync(file)) throw new InputFormatError(`${file} does not exist`);
  const rows = await readCsvRows(file);
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  rows.forEach((row, r) => {
    const left = (row[0] ?? '').split(/[\s,;]+/).filter((s) => s.length > 0);
    const right = (row[1] ?? '').split(/[\s,;]+/).filter((s) => s.length > 0);
    if (r === 0 && !/^[\w-]*\d[\w-]*$/.test(left[0] ?? '')) return; // header row
    if (left.length === 0 || right.length === 0) {
      throw new InputFormatError(`${file} row ${r + 1}: expected two id columns`);
    }
    for (const a of left) {
      for (const b of right) {
        if (a === b) continue;
        const [x, y] = a < b ? [a, b] : [b, a];
        const key = x + '\u0000' + y;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([x, y]);
      }
    }
  });
  return out;
}
