/** Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180). */
export function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: Array<string | number>): string {
  return cells.map(csvCell).join(',');
}
