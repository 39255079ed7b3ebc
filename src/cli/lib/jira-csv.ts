import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { detectEncoding, ExportDecoder, NotUtf8Error, otherDocumentKind, sniffDelimiter, type ExportEncoding } from '../../import/export-text';
import { COLUMN_LANGUAGE_NOTE, dateCells, foundColumns, indexHeaders } from '../../import/jira-columns';
import { numericDateOrder, parseJiraDate } from '../../import/jira-dates';
import { NotAJiraExportError } from '../../import/not-a-jira-export-error';
import { InputFormatError, type IssueRecord } from './issue-record';

export interface ReadProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

/** Bytes read to tell the encoding, the kind of document and the delimiter. */
const HEAD = 65_536;

function headBytes(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD);
    return buf.subarray(0, readSync(fd, buf, 0, HEAD, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The line (1-based, as an editor numbers the file's lines) where the quoted field that
 * is never closed starts: a quote opens a field only at its start, as the reader takes it.
 */
function unclosedQuoteLine(text: string, delimiter: string): number | null {
  let line = 1;
  let inQuote = false;
  let openedAt = 0;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else inQuote = false;
      } else if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      continue;
    }
    if (c === '"' && fieldStart) {
      inQuote = true;
      openedAt = line;
    }
    fieldStart = c === delimiter || c === '\n' || c === '\r';
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
  }
  return inQuote ? openedAt : null;
}

/**
 * Reads a CSV file into rows, streaming (a Jira export can be hundreds of MB). The
 * encoding (UTF-8, UTF-16 or Windows-1252, as Excel may have re-saved it) and the
 * delimiter (comma, semicolon or tab) are read off the file.
 */
export async function readCsvRows(file: string, onProgress?: (p: ReadProgress) => void): Promise<string[][]> {
  const head = headBytes(file);
  let detected: { encoding: ExportEncoding; bomLength: number };
  try {
    detected = detectEncoding(head);
  } catch (e) {
    if (e instanceof NotAJiraExportError) throw new InputFormatError(`${file}: ${e.problem}`);
    throw e;
  }
  const headText = new ExportDecoder(detected.encoding).decode(head.subarray(detected.bomLength));
  const other = otherDocumentKind(headText);
  if (other) throw new InputFormatError(`${file}: ${other} Export CSV from Jira's issue search (Export → CSV).`);
  const { delimiter, skipFirstLine } = sniffDelimiter(headText);
  const totalBytes = statSync(file).size;

  const read = async (encoding: ExportEncoding, guessed: boolean): Promise<string[][]> => {
    const rows: string[][] = [];
    const decoder = new ExportDecoder(encoding, guessed);
    let bytes = detected.bomLength;
    const chunks = async function* (): AsyncGenerator<string> {
      for await (const chunk of createReadStream(file, { start: detected.bomLength })) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        onProgress?.({ bytes, totalBytes, rows: rows.length });
        yield decoder.decode(buf);
      }
      const rest = decoder.end();
      if (rest) yield rest;
    };
    const collect = new Writable({
      objectMode: true,
      write(record: unknown, _encoding, done): void {
        if (Array.isArray(record)) rows.push(record.map((c: unknown) => (typeof c === 'string' ? c : String(c))));
        done();
      },
    });
    const parser = parse({ delimiter, from_line: skipFirstLine ? 2 : 1, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
    try {
      await pipeline(Readable.from(chunks()), parser, collect);
    } catch (e) {
      if (e instanceof NotUtf8Error) throw e;
      if ((e as { code?: unknown }).code === 'CSV_QUOTE_NOT_CLOSED') {
        const decoder = new ExportDecoder(encoding);
        const line = unclosedQuoteLine(decoder.decode(readFileSync(file).subarray(detected.bomLength)) + decoder.end(), delimiter);
        if (line !== null) {
          throw new InputFormatError(`${file} could not be read as CSV: the quoted field that starts on line ${line} is never closed (a cut-off export, or a stray " at the start of a cell).`);
        }
      }
      throw new InputFormatError(`${file} could not be read as CSV: ${e instanceof Error ? e.message : String(e)}`);
    }
    return rows;
  };
  try {
    return await read(detected.encoding, detected.encoding === 'UTF-8' && detected.bomLength === 0);
  } catch (e) {
    // UTF-8 so far, then a byte UTF-8 does not allow: Excel's plain "CSV" is the Windows code page.
    if (e instanceof NotUtf8Error) return read('Windows-1252', false);
    throw e;
  }
}

/** Issue keys (or ids) in an issue-link cell: Jira writes one per column, some tools several. */
function linkedIssues(cell: string): string[] {
  return cell.split(/[\s,;]+/).map((v) => v.trim().toUpperCase()).filter((v) => /^([A-Z][A-Z0-9_]*-)?\d+$/.test(v));
}

/**
 * Issues from the rows of a Jira CSV export ("CSV (all fields)" or "CSV (current
 * fields)"). Needs a Summary column and an issue id or key; reads Description, Created,
 * Issue Type, the repeated Labels and Component/s columns and the "Inward/Outward issue
 * link (Duplicate)" columns when present. Column names may be English, German or French.
 */
export function issuesFromJiraRows(rows: string[][], source = 'input', stats?: { headerRows: number }): IssueRecord[] {
  const header = rows[0];
  if (!header) throw new InputFormatError(`${source} is empty: expected a Jira CSV export with a header row`);
  const columns = indexHeaders(header);
  const first = (...names: string[]): number | undefined => names.map((n) => columns.get(n)?.[0]).find((i) => i !== undefined);
  const summary = first('summary');
  const idCol = first('issue id', 'id');
  const keyCol = first('issue key');
  if (summary === undefined || (idCol === undefined && keyCol === undefined)) {
    throw new InputFormatError(
      `${source} does not look like a Jira CSV export: it needs a "Summary" column and an "Issue key" or ` +
        `"Issue id" column (found ${foundColumns(header)}). ${COLUMN_LANGUAGE_NOTE} ` +
        `Export from Jira's issue search with "Export → CSV".`,
    );
  }
  const description = first('description');
  const created = first('created');
  const type = first('issue type');
  const labels = columns.get('labels') ?? [];
  const components = columns.get('component/s') ?? [];
  const links = columns.get('duplicate link') ?? [];
  const order = numericDateOrder(dateCells(rows, columns));
  const out: IssueRecord[] = [];
  const headerLine = header.join('\u0000');
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    // The header row again: exports joined together (Jira Server writes at most 1,000 rows a file).
    if (row.join('\u0000') === headerLine) {
      if (stats) stats.headerRows++;
      continue;
    }
    const cell = (i: number | undefined): string => (i === undefined ? '' : (row[i] ?? ''));
    const id = cell(idCol).trim() || cell(keyCol).trim();
    if (id.length === 0) continue;
    const createdText = cell(created).trim();
    const iso = createdText ? parseJiraDate(createdText, order) : null;
    const record: IssueRecord = {
      id,
      summary: cell(summary),
      description: cell(description),
      created: createdText,
      createdMs: iso ? Date.parse(iso) : NaN,
    };
    const key = cell(keyCol).trim();
    if (key) record.key = key;
    const t = cell(type).trim();
    if (t) record.type = t;
    const l = labels.map(cell).map((s) => s.trim()).filter((s) => s.length > 0);
    if (l.length > 0) record.labels = l;
    const c = components.map(cell).map((s) => s.trim()).filter((s) => s.length > 0);
    if (c.length > 0) record.components = c;
    // Present (empty when the row has none) exactly when the export has the link columns.
    if (links.length > 0) record.duplicateLinks = [...new Set(links.flatMap((i) => linkedIssues(cell(i))))];
    out.push(record);
  }
  return out;
}
