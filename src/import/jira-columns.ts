/**
 * The columns of a Jira CSV export, found by header name. Jira names them in the
 * exporting user's language; the English, German and French names of the columns the
 * importers read are known here, each mapped to its English name in lower case. Repeated
 * headers (Labels, Component/s, Sprint, Watchers, issue links) keep every position.
 */

/** Translated header → English header, both lower case. */
const TRANSLATED = new Map<string, string>([
  // German
  ['zusammenfassung', 'summary'],
  ['vorgangsschlüssel', 'issue key'],
  ['schlüssel', 'issue key'],
  ['vorgangs-id', 'issue id'],
  ['vorgangstyp', 'issue type'],
  ['beschreibung', 'description'],
  ['erstellt', 'created'],
  ['aktualisiert', 'updated'],
  ['erledigt', 'resolved'],
  ['priorität', 'priority'],
  ['lösung', 'resolution'],
  ['statuskategorie', 'status category'],
  ['projektschlüssel', 'project key'],
  ['projektname', 'project name'],
  ['stichwörter', 'labels'],
  ['komponenten', 'component/s'],
  ['komponente/n', 'component/s'],
  ['betroffene versionen', 'affects version/s'],
  // French
  ['résumé', 'summary'],
  ['clé de ticket', 'issue key'],
  ['clé', 'issue key'],
  ['id de ticket', 'issue id'],
  ['type de ticket', 'issue type'],
  ['création', 'created'],
  ['mise à jour', 'updated'],
  ['résolu', 'resolved'],
  ['résolue', 'resolved'],
  ['priorité', 'priority'],
  ['résolution', 'resolution'],
  ['statut', 'status'],
  ['catégorie de statut', 'status category'],
  ['clé de projet', 'project key'],
  ['nom du projet', 'project name'],
  ['étiquettes', 'labels'],
  ['composants', 'component/s'],
  ['versions affectées', 'affects version/s'],
  // English names other exports use
  ['key', 'issue key'],
  ['components', 'component/s'],
]);

/** "Inward issue link (Duplicate)", "Outward issue link (Duplicates)": the cells hold issue keys. */
const DUPLICATE_LINK = /^(inward|outward) issue link \(duplicates?\)$/;

/** A header cell as the column lookup compares it: trimmed, lower case, composed accents. */
export function headerName(cell: string): string {
  const name = cell.replace(/^\uFEFF/, '').trim().normalize('NFC').toLowerCase().replace(/\s+/g, ' ');
  return TRANSLATED.get(name) ?? name;
}

/** Column positions by English lower-case header; repeated headers keep every position. */
export function indexHeaders(header: readonly string[]): Map<string, number[]> {
  const columns = new Map<string, number[]>();
  header.forEach((cell, i) => {
    const k = DUPLICATE_LINK.test(headerName(cell)) ? 'duplicate link' : headerName(cell);
    const list = columns.get(k) ?? [];
    list.push(i);
    columns.set(k, list);
  });
  return columns;
}

/** The header's distinct names as written, quoted, for a message (at most `max`). */
export function foundColumns(header: readonly string[], max = 12): string {
  const names = [...new Set(header.map((h) => h.replace(/^\uFEFF/, '').trim()).filter((h) => h.length > 0))];
  if (names.length === 0) return 'no column names';
  const shown = names.slice(0, max).map((h) => `"${h.length > 40 ? `${h.slice(0, 40)}…` : h}"`).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Said when the needed columns are missing: how Jira names columns, and what to do. */
export const COLUMN_LANGUAGE_NOTE =
  'Column names are read in English, German and French (Jira names them in the language of the user who exports); for another language, rename those columns in the header row.';

/**
 * Every date cell of an export (Created, Updated, Resolved), for telling day-first numeric
 * dates from month-first ones (`numericDateOrder`): the CLI, the eval and the sandbox's import
 * read the same file with the same order.
 */
export function* dateCells(rows: readonly (readonly string[])[], columns: ReadonlyMap<string, readonly number[]>): Generator<string> {
  for (const name of ['created', 'updated', 'resolved']) {
    for (const i of columns.get(name) ?? []) for (let r = 1; r < rows.length; r++) yield rows[r]?.[i] ?? '';
  }
}
