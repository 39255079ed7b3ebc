/**
 * The duplicate-relations file that travels with a Jira export in the
 * development set: `Issue id, Duplicate id`, where a cell may hold several ids
 * separated by commas (the file itself separated by commas, semicolons or tabs, as
 * Excel may have re-saved it). Relations are undirected: each pair comes back once,
 * smaller id first, in order of first appearance.
 */
import { parse } from 'csv-parse/sync';
import { sniffDelimiter } from './export-text';
import { NotAJiraExportError } from './not-a-jira-export-error';

function ids(cell: string | undefined): string[] {
  return (cell ?? '').split(/[\s,;]+/).map((v) => v.trim()).filter((v) => /^\d+$/.test(v));
}

function ordered(a: string, b: string): [string, string] {
  const na = BigInt(a);
  const nb = BigInt(b);
  return na <= nb ? [a, b] : [b, a];
}

export function parseDuplicateLinksCsv(text: string): Array<[string, string]> {
  const body = text.replace(/^\uFEFF/, '');
  const { delimiter, skipFirstLine } = sniffDelimiter(body);
  let rows: string[][];
  try {
    rows = parse(body, { delimiter, from_line: skipFirstLine ? 2 : 1, relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    throw new NotAJiraExportError(`The duplicates file could not be read as CSV (${e instanceof Error ? e.message : String(e)}).`);
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const left = header.indexOf('issue id');
  const right = header.indexOf('duplicate id');
  if (left < 0 || right < 0) {
    throw new NotAJiraExportError('The duplicates file needs "Issue id" and "Duplicate id" columns.');
  }
  const seen = new Set<string>();
  const pairs: Array<[string, string]> = [];
  for (const row of rows.slice(1)) {
    for (const a of ids(row[left])) {
      for (const b of ids(row[right])) {
        if (a === b) continue;
        const pair = ordered(a, b);
        const k = pair.join(':');
        if (seen.has(k)) continue;
        seen.add(k);
        pairs.push(pair);
      }
    }
  }
  return pairs;
}
