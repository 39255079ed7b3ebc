import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { InputFormatError, parseCreated, type IssueRecord } from './issue-record';

export interface ReadProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

/** Reads a CSV file into rows, streaming (a Jira export can be hundreds of MB). */
export async function readCsvRows(file: string, onProgress?: (p: ReadProgress) => void): Promise<string[][]> {
  const totalBytes = statSync(file).size;
  const rows: string[][] = [];
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  const input = createReadStream(file);
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    onProgress?.({ bytes, totalBytes, rows: rows.length });
  });
  input.pipe(parser);
  for await (const record of parser) {
    if (Array.isArray(record)) rows.push(record.map((c: unknown) => (typeof c === 'string' ? c : String(c))));
  }
  return rows;
}

function columns(header: string[], ...names: string[]): number[] {
  const wanted = names.map((n) => n.toLowerCase());
  const out: number[] = [];
  header.forEach((h, i) => {
    if (wanted.includes(h.trim().toLowerCase())) out.push(i);
  });
  return out;
}

/**
 * Issues from the rows of a Jira CSV export ("Export Excel CSV (all fields)" or the
 * current fields). Needs a Summary column and an issue id or key; reads Description,
 * Created, Issue Type and the repeated Labels and Component/s columns when present.
 */
export function issuesFromJiraRows(rows: string[][], source = 'input'): IssueRecord[] {
  const header = rows[0];
  if (!header) throw new InputFormatError(`${source} is empty: expected a Jira CSV export with a header row`);
  const summary = columns(header, 'Summary')[0];
  const idCol = columns(header, 'Issue id', 'Issue ID', 'id')[0];
  const keyCol = columns(header, 'Issue key', 'Key')[0];
  if (summary === undefined || (idCol === undefined && keyCol === undefined)) {
    const seen = header.slice(0, 6).map((h) => `"${h}"`).join(', ');
    throw new InputFormatError(
      `${source} does not look like a Jira CSV export: it needs a "Summary" column and an "Issue id" or ` +
        `"Issue key" column (the header starts ${seen}). Export from Jira's issue search with "Export CSV".`,
    );
  }
  const description = columns(header, 'Description')[0];
  const created = columns(header, 'Created')[0];
  const type = columns(header, 'Issue Type')[0];
  const labels = columns(header, 'Labels');
  const components = columns(header, 'Component/s', 'Components');
  const out: IssueRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const cell = (i: number | undefined): string => (i === undefined ? '' : (row[i] ?? ''));
    const id = cell(idCol).trim() || cell(keyCol).trim();
    if (id.length === 0) continue;
    const createdText = cell(created);
    const record: IssueRecord = {
      id,
      summary: cell(summary),
      description: cell(description),
      created: createdText,
      createdMs: createdText ? parseCreated(createdText) : NaN,
    };
    const key = cell(keyCol).trim();
    if (key) record.key = key;
    const t = cell(type).trim();
    if (t) record.type = t;
    const l = labels.map(cell).map((s) => s.trim()).filter((s) => s.length > 0);
    if (l.length > 0) record.labels = l;
    const c = components.map(cell).map((s) => s.trim()).filter((s) => s.length > 0);
    if (c.length > 0) record.components = c;
    out.push(record);
  }
  return out;
}
