/**
 * Jira CSV exports as the issue navigator writes them ("Export → CSV (all fields)" and
 * "CSV (current fields)"), and as Excel writes them back after someone opened and saved
 * one: generated here, for the import and `npm run analyze` / `npm run eval` tests.
 */

export interface FixtureIssue {
  key: string;
  id: string;
  type: string;
  status: string;
  resolution: string;
  summary: string;
  description: string;
  created: Date;
  labels: string[];
  components: string[];
  /** Keys in "Inward issue link (Duplicate)" / "Outward issue link (Duplicate)". */
  duplicatedBy: string[];
  duplicates: string[];
  blocks: string[];
}

const at = (day: number, hour: number, minute: number): Date => new Date(Date.UTC(2026, 11, day, hour, minute));

/** A long description: Jira exports cells of any length (a pasted log). */
const LONG_LOG = Array.from({ length: 600 }, (_, i) => `2026-12-11 10:${String(i % 60).padStart(2, '0')}:00 INFO exporter wrote row ${i} of 600 to report.csv`).join('\n');

export const ISSUES: FixtureIssue[] = [
  {
    key: 'SHOP-101', id: '10101', type: 'Bug', status: 'Open', resolution: '', created: at(7, 10, 15),
    summary: 'Checkout fails when paying with PayPal',
    description:
      'h3. Steps to reproduce\n# Add an item to the cart\n# Pay with *PayPal*\n\n{code:java}\njava.lang.NullPointerException\n' +
      '\tat com.shop.checkout.OrderTotalsCalculator.total(OrderTotalsCalculator.java:42)\n{code}\n' +
      'The page says "Error, please try again", then nothing; see [the log|https://example.com/log].',
    labels: ['paypal', 'checkout'], components: ['Checkout', 'Payments'], duplicatedBy: ['SHOP-102'], duplicates: [], blocks: [],
  },
  {
    key: 'SHOP-102', id: '10102', type: 'Bug', status: 'Closed', resolution: 'Duplicate', created: at(8, 14, 30),
    summary: 'PayPal payment error at checkout',
    description: 'Stack trace shows a NullPointerException in OrderTotalsCalculator when the PayPal order has a voucher, e.g. "WINTER10".',
    labels: ['paypal'], components: ['Checkout'], duplicatedBy: [], duplicates: ['SHOP-101'], blocks: [],
  },
  {
    key: 'SHOP-103', id: '10103', type: 'Story', status: 'In Progress', resolution: '', created: at(9, 9, 5),
    summary: 'Dark mode colours on the settings page',
    description: 'Contrast of the labels is too low in dark mode; headings are grey on grey.',
    labels: ['ui'], components: [], duplicatedBy: ['SHOP-107'], duplicates: [], blocks: ['SHOP-104'],
  },
  {
    key: 'SHOP-104', id: '10104', type: 'Bug', status: 'Open', resolution: '', created: at(10, 16, 45),
    summary: 'Search results ignore accented characters',
    description: 'Searching for „café“ finds nothing – the index drops the é. Searching for "cafe" finds both.',
    labels: [], components: ['Search'], duplicatedBy: [], duplicates: [], blocks: [],
  },
  {
    key: 'SHOP-105', id: '10105', type: 'Bug', status: 'Open', resolution: '', created: at(11, 11, 0),
    summary: 'Export to CSV drops the last row of the report',
    description: `The exporter stops one row early.\n{noformat}\n${LONG_LOG}\n{noformat}`,
    labels: ['export', 'reports', 'csv'], components: ['Reports'], duplicatedBy: [], duplicates: [], blocks: [],
  },
  {
    key: 'SHOP-106', id: '10106', type: 'Task', status: 'Open', resolution: '', created: at(12, 8, 20),
    summary: 'Upgrade the payment SDK to version 5',
    description: 'The vendor ends support for version 4 in March.',
    labels: [], components: ['Payments'], duplicatedBy: [], duplicates: ['OPS-12'], blocks: [],
  },
  {
    key: 'SHOP-107', id: '10107', type: 'Bug', status: 'Closed', resolution: 'Duplicate', created: at(13, 17, 55),
    summary: 'Login button unresponsive on Safari',
    description: 'Clicking "Log in" on Safari 17 does nothing.',
    labels: [], components: ['Accounts'], duplicatedBy: [], duplicates: ['SHOP-103'], blocks: [],
  },
];

const MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  de: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
};
const two = (n: number): string => String(n).padStart(2, '0');

/** The forms dates take: Jira's default, Jira in German, ISO, and Excel's in Germany and the US. */
export const DATE_FORMATS = {
  /** `07/Dec/26 10:15 AM` (Jira's default "dd/MMM/yy h:mm a"). */
  jira: (d: Date): string => `${two(d.getUTCDate())}/${MONTHS.en[d.getUTCMonth()]}/${two(d.getUTCFullYear() % 100)} ${d.getUTCHours() % 12 || 12}:${two(d.getUTCMinutes())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`,
  /** `07/Dez/26 10:15` (Jira in German, 24-hour clock). */
  jiraGerman: (d: Date): string => `${two(d.getUTCDate())}/${MONTHS.de[d.getUTCMonth()]}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`,
  /** `2026-12-07 10:15`. */
  iso: (d: Date): string => `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`,
  /** `07.12.2026 10:15` (Excel in a German locale). */
  excelGerman: (d: Date): string => `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`,
  /** `12/7/2026 10:15` (Excel in the US: month first). */
  excelUs: (d: Date): string => `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours()}:${two(d.getUTCMinutes())}`,
};

export interface ExportOptions {
  /** Comma from Jira; semicolon from Excel in locales with a decimal comma; tab from Excel's "Unicode Text". */
  delimiter?: ',' | ';' | '\t';
  lineEnd?: '\r\n' | '\n';
  /** Quote every cell (Jira), or only those that need it (Excel). */
  quoteAll?: boolean;
  date?: (d: Date) => string;
  /** Column names as Jira writes them for an English or a German user. */
  language?: 'en' | 'de';
  /** "all fields" (every column, repeated ones included) or "current fields" (the navigator's columns). */
  fields?: 'all' | 'current';
  issues?: FixtureIssue[];
}

type Column = [en: string, de: string, value: (i: FixtureIssue, date: (d: Date) => string) => string];

const nth = (list: string[], n: number): string => list[n] ?? '';

const ALL_FIELDS: Column[] = [
  ['Summary', 'Zusammenfassung', (i) => i.summary],
  ['Issue key', 'Vorgangsschlüssel', (i) => i.key],
  ['Issue id', 'Vorgangs-ID', (i) => i.id],
  ['Parent id', 'Übergeordnet', () => ''],
  ['Issue Type', 'Vorgangstyp', (i) => i.type],
  ['Status', 'Status', (i) => i.status],
  ['Project key', 'Projektschlüssel', () => 'SHOP'],
  ['Project name', 'Projektname', () => 'Web Shop'],
  ['Priority', 'Priorität', () => 'Major'],
  ['Resolution', 'Lösung', (i) => i.resolution],
  ['Assignee', 'Zugewiesene Person', () => 'anna.schmidt'],
  ['Reporter', 'Autor', () => 'bob'],
  ['Created', 'Erstellt', (i, date) => date(i.created)],
  ['Updated', 'Aktualisiert', (i, date) => date(new Date(i.created.getTime() + 86_400_000))],
  ['Last Viewed', 'Zuletzt angezeigt', () => ''],
  ['Resolved', 'Erledigt', (i, date) => (i.resolution ? date(new Date(i.created.getTime() + 3_600_000)) : '')],
  ['Affects Version/s', 'Betroffene Versionen', () => '3.1'],
  ['Affects Version/s', 'Betroffene Versionen', () => ''],
  ['Fix Version/s', 'Lösungsversion(en)', () => ''],
  ['Component/s', 'Komponenten', (i) => nth(i.components, 0)],
  ['Component/s', 'Komponenten', (i) => nth(i.components, 1)],
  ['Labels', 'Stichwörter', (i) => nth(i.labels, 0)],
  ['Labels', 'Stichwörter', (i) => nth(i.labels, 1)],
  ['Labels', 'Stichwörter', (i) => nth(i.labels, 2)],
  ['Description', 'Beschreibung', (i) => i.description],
  ['Environment', 'Umgebung', () => 'Production, EU cluster'],
  ['Watchers', 'Beobachter', () => 'anna.schmidt'],
  ['Watchers', 'Beobachter', () => 'bob'],
  ['Σ Time Spent', 'Σ Benötigte Zeit', () => '3600'],
  ['Attachment', 'Anhang', (i) => `07/Dec/26 10:20 AM;bob;screenshot-${i.id}.png;https://jira.example.com/secure/attachment/${i.id}/screenshot.png`],
  ['Custom field (Story Points)', 'Benutzerdefinierte Felder (Story Points)', (i) => (i.type === 'Story' ? '3,5' : '')],
  ['Custom field (Epic Link)', 'Benutzerdefinierte Felder (Epic Link)', () => 'SHOP-1'],
  ['Sprint', 'Sprint', () => 'Shop Sprint 41'],
  ['Sprint', 'Sprint', () => 'Shop Sprint 42'],
  ['Inward issue link (Blocks)', 'Inward issue link (Blocks)', () => ''],
  ['Outward issue link (Blocks)', 'Outward issue link (Blocks)', (i) => nth(i.blocks, 0)],
  ['Inward issue link (Duplicate)', 'Inward issue link (Duplicate)', (i) => nth(i.duplicatedBy, 0)],
  ['Outward issue link (Duplicate)', 'Outward issue link (Duplicate)', (i) => nth(i.duplicates, 0)],
  ['Outward issue link (Duplicate)', 'Outward issue link (Duplicate)', (i) => nth(i.duplicates, 1)],
  ['Status Category', 'Statuskategorie', (i) => (i.status === 'Closed' ? 'Done' : i.status === 'Open' ? 'To Do' : 'In Progress')],
  ['Comment', 'Kommentar', (i) => `08/Dec/26 9:00 AM;anna.schmidt;Seen on ${i.key} too, with "quotes", commas and a\nsecond line.`],
  ['Comment', 'Kommentar', () => ''],
];

/** What the navigator shows by default: type, key, summary, people, status, dates. */
const CURRENT_FIELDS = ['Issue Type', 'Issue key', 'Issue id', 'Summary', 'Assignee', 'Reporter', 'Priority', 'Status', 'Resolution', 'Created', 'Updated'];

/** The text of an export (no BOM: `encode` adds what the file would start with). */
export function jiraExport(opts: ExportOptions = {}): string {
  const { delimiter = ',', lineEnd = '\r\n', quoteAll = true, date = DATE_FORMATS.jira, language = 'en', fields = 'all', issues = ISSUES } = opts;
  const columns = fields === 'all' ? ALL_FIELDS : CURRENT_FIELDS.map((name) => ALL_FIELDS.find((c) => c[0] === name) as Column);
  const cell = (v: string): string => (quoteAll || v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const line = (values: string[]): string => values.map(cell).join(delimiter);
  const header = line(columns.map(([en, de]) => (language === 'de' ? de : en)));
  // Cells keep their own line ends as the export writes them: CRLF inside a description too.
  const rows = issues.map((i) => line(columns.map(([, , value]) => value(i, date).replace(/\n/g, lineEnd))));
  return [header, ...rows].join(lineEnd) + lineEnd;
}

/** The bytes of a file holding `text`: UTF-8 (with or without BOM), UTF-16LE with BOM, or Windows-1252. */
export function encode(text: string, encoding: 'utf8' | 'utf8-bom' | 'utf16le' | 'windows-1252'): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf8-bom') return Buffer.from('\uFEFF' + text, 'utf8');
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const high = new Map([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((c, i) => [c, [0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8e, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9e, 0x9f][i] ?? 0x3f]));
  return Buffer.from([...text].map((c) => high.get(c) ?? (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f)));
}
