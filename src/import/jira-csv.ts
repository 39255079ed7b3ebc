/**
 * Jira CSV export → issue records. Pure: text in, records and warnings out.
 *
 * Jira's export quirks handled here: columns are found by header name, not
 * position, in English, German or French (jira-columns.ts); multi-valued fields
 * (Labels, Component/s, Affects Version/s) repeat as several same-named columns;
 * dates follow the exporter's locale, or Excel's when the file was re-saved
 * (see jira-dates.ts); files may start with a BOM, use CRLF line ends, and use
 * semicolons or tabs instead of commas (export-text.ts; decodeExport turns a
 * file's bytes into this text). Rows that cannot become an issue are skipped
 * with a warning, never thrown.
 */
import { parse } from 'csv-parse/sync';
import { otherDocumentKind, refuseBinary, sniffDelimiter } from './export-text';
import { COLUMN_LANGUAGE_NOTE, dateCells, foundColumns, indexHeaders } from './jira-columns';
import { numericDateOrder, parseJiraDate } from './jira-dates';
import { NotAJiraExportError } from './not-a-jira-export-error';

export { NotAJiraExportError } from './not-a-jira-export-error';
export { parseDuplicateLinksCsv } from './duplicate-links-csv';
export { decodeExport } from './export-text';

export type ImportedStatusCategory = 'new' | 'indeterminate' | 'done';

export interface ImportedIssue {
  id: string;
  key: string | null;
  projectKey: string | null;
  /** The export's "Project name", when it has one. */
  projectName: string | null;
  summary: string;
  /** Jira wiki markup or plain text, `\n` line ends; '' when empty. */
  description: string;
  type: string | null;
  status: string | null;
  statusCategory: ImportedStatusCategory | null;
  priority: string | null;
  resolution: string | null;
  /** ISO 8601, UTC. */
  created: string;
  updated: string | null;
  resolved: string | null;
  labels: string[];
  components: string[];
  versions: string[];
}

export interface ParsedJiraCsv {
  issues: ImportedIssue[];
  warnings: string[];
}

const MAX_WARNINGS = 50;
const KEY_SHAPE = /^[A-Z][A-Z0-9_]*-\d+$/;
const PROJECT_KEY_SHAPE = /^[A-Z][A-Z0-9_]*$/;
const CATEGORIES = new Map<string, ImportedStatusCategory>([
  ['to do', 'new'], ['new', 'new'],
  ['in progress', 'indeterminate'], ['indeterminate', 'indeterminate'],
  ['done', 'done'], ['complete', 'done'],
]);

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (const ch of sample) {
    const c = ch.charCodeAt(0);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

function readRows(text: string): string[][] {
  const trimmed = text.replace(/^\uFEFF/, '');
  if (trimmed.trim().length === 0) throw new NotAJiraExportError('The file is empty.');
  refuseBinary(Buffer.from(trimmed.slice(0, 8), 'latin1'));
  if (looksBinary(trimmed)) throw new NotAJiraExportError('The file looks like binary data, not text.');
  const other = otherDocumentKind(trimmed);
  if (other) throw new NotAJiraExportError(other);
  const { delimiter, skipFirstLine } = sniffDelimiter(trimmed);
  try {
    return parse(trimmed, { delimiter, from_line: skipFirstLine ? 2 : 1, relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new NotAJiraExportError(`The file could not be read as CSV (${reason}).`);
  }
}

export function parseJiraCsv(text: string, opts: { projectKey?: string } = {}): ParsedJiraCsv {
  const rows = readRows(text);
  const header = rows[0] ?? [];
  const columns = indexHeaders(header);
  const missing = ['summary', 'issue id'].filter((h) => !columns.has(h));
  if (missing.length > 0) {
    const names = missing.map((m) => (m === 'summary' ? '"Summary"' : '"Issue id"')).join(' or ');
    throw new NotAJiraExportError(`The header row has no ${names} column (found ${foundColumns(header)}). ${COLUMN_LANGUAGE_NOTE}`);
  }

  const warnings: string[] = [];
  let suppressed = 0;
  const warn = (message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(message);
    else suppressed++;
  };

  const fallbackProject = opts.projectKey?.trim().toUpperCase() || null;
  const issues: ImportedIssue[] = [];
  const seen = new Set<string>();
  const order = numericDateOrder(dateCells(rows, columns));

  for (let r = 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const line = r + 1;
    const cell = (name: string): string => {
      const i = columns.get(name)?.[0];
      return i === undefined ? '' : (row[i] ?? '').trim();
    };
    const optional = (name: string): string | null => {
      const v = cell(name);
      return v.length > 0 ? v : null;
    };
    const many = (name: string, splitOn: RegExp | null): string[] => {
      const values = (columns.get(name) ?? []).map((i) => (row[i] ?? '').trim()).filter((v) => v.length > 0);
      const split = splitOn ? values.flatMap((v) => v.split(splitOn)) : values;
      return [...new Set(split.map((v) => v.trim()).filter((v) => v.length > 0))];
    };

    if (row.every((c) => c.trim().length === 0)) continue;
    const id = cell('issue id');
    if (!/^\d+$/.test(id)) {
      warn(`Row ${line}: "Issue id" is ${id ? `"${id.slice(0, 20)}", not a number` : 'empty'}; row skipped.`);
      continue;
    }
    if (seen.has(id)) {
      warn(`Row ${line}: issue id ${id} appears twice; the later row was skipped.`);
      continue;
    }
    const createdCell = cell('created');
    const created = parseJiraDate(createdCell, order);
    if (created === null) {
      warn(`Row ${line}: issue ${id} has ${createdCell ? `an unreadable Created date "${createdCell.slice(0, 30)}"` : 'no Created date'}; row skipped.`);
      continue;
    }
    seen.add(id);

    const keyCell = cell('issue key').toUpperCase();
    let key: string | null = null;
    if (keyCell.length > 0) {
      if (KEY_SHAPE.test(keyCell)) key = keyCell;
      else warn(`Row ${line}: issue key "${keyCell.slice(0, 30)}" is not a Jira key; a key will be assigned.`);
    }
    const projectCell = cell('project key').toUpperCase();
    const projectKey = PROJECT_KEY_SHAPE.test(projectCell) ? projectCell : key ? key.slice(0, key.lastIndexOf('-')) : fallbackProject;
    const summary = cell('summary');
    if (summary.length === 0) warn(`Row ${line}: issue ${id} has an empty Summary.`);
    const rawCategory = optional('status category');
    const dateOrNull = (name: string): string | null => {
      const v = cell(name);
      if (v.length === 0) return null;
      const parsed = parseJiraDate(v, order);
      if (parsed === null) warn(`Row ${line}: issue ${id} has an unreadable ${header[columns.get(name)?.[0] ?? 0]?.trim() ?? name} date "${v.slice(0, 30)}"; left empty.`);
      return parsed;
    };

    issues.push({
      id,
      key,
      projectKey,
      projectName: optional('project name'),
      summary,
      description: (row[columns.get('description')?.[0] ?? -1] ?? '').replace(/\r\n?/g, '\n').trim(),
      type: optional('issue type'),
      status: optional('status'),
      statusCategory: rawCategory ? (CATEGORIES.get(rawCategory.toLowerCase()) ?? null) : null,
      priority: optional('priority'),
      resolution: optional('resolution'),
      created,
      updated: dateOrNull('updated'),
      resolved: dateOrNull('resolved'),
      labels: many('labels', /\s+/),
      components: many('component/s', null),
      versions: many('affects version/s', null),
    });
  }
  if (suppressed > 0) warnings.push(`…and ${suppressed} more warnings like these.`);
  if (issues.length === 0 && rows.length > 1) warnings.push('No row of the file could be read as an issue.');
  return { issues, warnings };
}
