/**
 * CSV writing for exports (the review queue's `export.csv`, `npm run analyze --out`):
 * RFC 4180 quoting plus formula neutralisation.
 *
 * Spreadsheet apps run a cell that starts with `=`, `+`, `-` or `@` (and, in some, tab or
 * carriage return) as a formula; issue summaries are typed by anyone, so such cells get a
 * leading `'`, which the apps show as text (OWASP's CSV injection advice).
 */
/** Written first so that spreadsheet apps (Excel) read the file as UTF-8, not the Windows code page. */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null | undefined): string {
  const text = neutralise(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The cells of one record, without its line end. */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvCell).join(',');
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${csvLine(values)}\r\n`;
}
