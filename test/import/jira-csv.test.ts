import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { decodeExport, NotAJiraExportError, parseDuplicateLinksCsv, parseJiraCsv } from '../../src/import/jira-csv';
import { numericDateOrder, parseJiraDate } from '../../src/import/jira-dates';
import { DATE_FORMATS, encode, ISSUES, jiraExport, type ExportOptions } from './jira-export-fixture';

const DATASET = resolve(__dirname, '../../../shared/datasets/hadoop-jira');
const haveDataset = existsSync(join(DATASET, 'hadoop_bugs.csv'));
if (!haveDataset) console.warn(`Skipping the Hadoop dataset import tests: dataset not found at ${DATASET}`);

describe('parseJiraCsv', () => {
  it('reads columns by header name, repeated columns, BOM and CRLF', () => {
    const csv =
      '\uFEFFIssue key,Summary,Issue id,Issue Type,Status,Status Category,Priority,Created,Updated,Labels,Labels,Component/s,Component/s,Affects Version/s,Project key,Project name,Description\r\n' +
      'SHOP-12,Cart total wrong,10042,Bug,In Review,In Progress,High,30/Sep/21 17:20,2021-10-01 08:05,pricing,cart,Cart,Checkout,3.1,SHOP,Web Shop,"Line one\r\nLine two"\r\n' +
      'SHOP-13,Gift wrap,10043,Story,Done,Done,,01/Oct/21 9:05 AM,,,,,,,SHOP,Web Shop,\r\n';
    const { issues, warnings } = parseJiraCsv(csv);
    expect(warnings).toEqual([]);
    expect(issues).toEqual([
      {
        id: '10042', key: 'SHOP-12', projectKey: 'SHOP', projectName: 'Web Shop', summary: 'Cart total wrong', description: 'Line one\nLine two',
        type: 'Bug', status: 'In Review', statusCategory: 'indeterminate', priority: 'High', resolution: null,
        created: '2021-09-30T17:20:00.000Z', updated: '2021-10-01T08:05:00.000Z', resolved: null,
        labels: ['pricing', 'cart'], components: ['Cart', 'Checkout'], versions: ['3.1'],
      },
      expect.objectContaining({ id: '10043', statusCategory: 'done', created: '2021-10-01T09:05:00.000Z', description: '', labels: [], priority: null }),
    ]);
  });

  it('uses the projectKey option when the export has no project column', () => {
    const { issues } = parseJiraCsv('Summary,Issue id,Created\nA,1,2021-01-01 10:00\n', { projectKey: 'hadoop' });
    expect(issues[0]).toMatchObject({ projectKey: 'HADOOP', key: null });
  });

  it('skips unusable rows with a warning instead of failing', () => {
    const { issues, warnings } = parseJiraCsv('Summary,Issue id,Created\nA,abc,2021-01-01 10:00\nB,2,yesterday\nC,3,2021-01-01 10:00\nD,3,2021-01-01 10:00\n');
    expect(issues.map((i) => i.id)).toEqual(['3']);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/Row 2/);
  });

  it.each([
    ['', /empty/],
    ['   \n  ', /empty/],
    ['\u0000\u0001\u0002PK\u0003\u0004', /binary/],
    ['name,email\nAnna,anna@example.com\n', /"Summary" or "Issue id"/],
    ['Summary,Status\nA,Open\n', /"Issue id"/],
  ])('throws NotAJiraExportError for a file that is not an export (%#)', (text, message) => {
    expect(() => parseJiraCsv(text)).toThrow(NotAJiraExportError);
    expect(() => parseJiraCsv(text)).toThrow(message);
    try {
      parseJiraCsv(text);
    } catch (e) {
      expect((e as Error).name).toBe('NotAJiraExportError');
      expect((e as Error).message).toMatch(/Expected a CSV file exported from Jira/);
    }
  });

  it('never crashes on arbitrary text: it parses or says it is not an export', () => {
    const header = fc.constantFrom('', 'Summary,Issue id,Created\n', 'Summary,Issue id,Created,Labels,Labels\r\n');
    fc.assert(
      fc.property(header, fc.string({ unit: 'binary', maxLength: 300 }), (h, body) => {
        try {
          const out = parseJiraCsv(h + body);
          expect(Array.isArray(out.issues)).toBe(true);
        } catch (e) {
          if (!(e instanceof NotAJiraExportError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });

  (haveDataset ? it : it.skip)('parses the dev set\u2019s hadoop_bugs.csv: 2,503 issues, 143 empty descriptions', () => {
    const { issues, warnings } = parseJiraCsv(readFileSync(join(DATASET, 'hadoop_bugs.csv'), 'utf8'), { projectKey: 'HADOOP' });
    expect(warnings).toEqual([]);
    expect(issues).toHaveLength(2503);
    expect(issues.filter((i) => i.description === '')).toHaveLength(143);
    expect(issues.every((i) => !i.description.includes('\r'))).toBe(true);
    expect(issues[0]).toMatchObject({ id: '13404344', status: 'Resolved', priority: 'Blocker', resolution: 'Duplicate', created: '2021-09-30T17:20:00.000Z', resolved: '2022-07-20T20:51:00.000Z', versions: ['2.9.2'] });
  });
});

describe('parseJiraCsv on exports as Jira and Excel write them', () => {
  const read = (bytes: Buffer) => parseJiraCsv(decodeExport(bytes).text);
  const byKey = (issues: ReturnType<typeof read>['issues']) => new Map(issues.map((i) => [i.key, i]));

  it('reads an "all fields" export: repeated and custom columns, issue links, quoted multi-line cells with quotes and commas, CRLF, BOM, a long cell', () => {
    const { issues, warnings } = read(encode(jiraExport(), 'utf8-bom'));
    expect(warnings).toEqual([]);
    expect(issues.map((i) => [i.id, i.key, i.summary, i.created])).toEqual(ISSUES.map((i) => [i.id, i.key, i.summary, i.created.toISOString()]));
    const got = byKey(issues);
    expect(got.get('SHOP-101')).toMatchObject({ labels: ['paypal', 'checkout'], components: ['Checkout', 'Payments'], versions: ['3.1'], projectKey: 'SHOP', statusCategory: 'new' });
    expect(got.get('SHOP-101')?.description).toBe(ISSUES[0]?.description);
    expect(got.get('SHOP-105')?.description.length).toBeGreaterThan(30_000);
    expect(got.get('SHOP-102')).toMatchObject({ resolution: 'Duplicate', resolved: '2026-12-08T15:30:00.000Z', statusCategory: 'done' });
  });

  it.each<[string, ExportOptions, Parameters<typeof encode>[1]]>([
    ['Excel in Germany: semicolons, Windows-1252, 07.12.2026 10:15', { delimiter: ';', quoteAll: false, date: DATE_FORMATS.excelGerman }, 'windows-1252'],
    ['Excel in the US: Windows-1252, 12/7/2026 10:15 (month first)', { quoteAll: false, date: DATE_FORMATS.excelUs }, 'windows-1252'],
    ['Excel "Unicode Text": UTF-16 with tabs', { delimiter: '\t', quoteAll: false, date: DATE_FORMATS.excelGerman }, 'utf16le'],
    ['Excel "CSV UTF-8" in Germany: BOM and semicolons', { delimiter: ';', quoteAll: false, date: DATE_FORMATS.excelGerman }, 'utf8-bom'],
    ['Jira with ISO dates and LF line ends', { date: DATE_FORMATS.iso, lineEnd: '\n' }, 'utf8'],
    ['Jira in German: translated column names and month names', { language: 'de', date: DATE_FORMATS.jiraGerman }, 'utf8-bom'],
  ])('reads %s', (_, opts, encoding) => {
    const { issues, warnings } = read(encode(jiraExport(opts), encoding));
    expect(warnings).toEqual([]);
    expect(issues.map((i) => [i.id, i.key, i.summary, i.created])).toEqual(ISSUES.map((i) => [i.id, i.key, i.summary, i.created.toISOString()]));
    const got = byKey(issues);
    expect(got.get('SHOP-104')?.description).toBe('Searching for „café“ finds nothing – the index drops the é. Searching for "cafe" finds both.');
    expect(got.get('SHOP-101')?.description).toBe(ISSUES[0]?.description);
    expect(got.get('SHOP-105')?.labels).toEqual(['export', 'reports', 'csv']);
  });

  it('reads "CSV (current fields)" and a first line "sep=;"', () => {
    expect(read(encode(jiraExport({ fields: 'current' }), 'utf8-bom')).issues.map((i) => i.key)).toEqual(ISSUES.map((i) => i.key));
    const { issues } = parseJiraCsv('sep=;\r\nSummary;Issue id;Created\r\n"Crash; again";7;07.12.2026 10:15\r\n');
    expect(issues).toEqual([expect.objectContaining({ id: '7', summary: 'Crash; again', created: '2026-12-07T10:15:00.000Z' })]);
  });

  it.each([
    ['an .xlsx workbook renamed .csv', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml')]), /zip archive, such as an Excel workbook \(\.xlsx\)/],
    ['an .xls workbook renamed .csv', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /Excel 97–2003 workbook/],
  ])('decodeExport says what %s is', (_, bytes, message) => {
    expect(() => decodeExport(bytes)).toThrow(NotAJiraExportError);
    expect(() => decodeExport(bytes)).toThrow(message);
  });

  it.each([
    ['an HTML page (Jira\'s HTML or old "Excel" export)', '<html>\n<head><meta charset="utf-8"></head><body><table id="issuetable"><tr><th>Key</th></tr></table></body></html>\n', /HTML page/],
    ['a Jira REST API answer', '{\n  "expand": "names",\n  "issues": [{ "id": "1", "key": "A-1", "fields": { "summary": "x" } }]\n}\n', /JSON document/],
    ['a JSON array', '[{"id": "1", "summary": "x"}]\n', /JSON document/],
    ['an export in Spanish', 'Resumen,Clave de incidencia,ID de la incidencia,Tipo de Incidencia,Creada\nA,S-1,1,Error,07/dic/26 10:15\n', /found "Resumen", "Clave de incidencia", "ID de la incidencia", "Tipo de Incidencia", "Creada"\)\. Column names are read in English, German and French/],
  ])('refuses %s, saying what it is', (_, text, message) => {
    expect(() => parseJiraCsv(text)).toThrow(NotAJiraExportError);
    expect(() => parseJiraCsv(text)).toThrow(message);
  });
});

describe('parseDuplicateLinksCsv', () => {
  it('splits multi-id cells and dedupes undirected pairs', () => {
    const pairs = parseDuplicateLinksCsv('Issue id,Duplicate id\n5,"7, 3"\n7,5\n3,3\n');
    expect(pairs).toEqual([['5', '7'], ['3', '5']]);
  });

  it('reads the file as Excel re-saves it in Europe: semicolons', () => {
    expect(parseDuplicateLinksCsv('\uFEFFIssue id;Duplicate id\r\n5;"7, 3"\r\n')).toEqual([['5', '7'], ['3', '5']]);
  });

  it('rejects a file without the two columns', () => {
    expect(() => parseDuplicateLinksCsv('a,b\n1,2\n')).toThrow(NotAJiraExportError);
  });

  (haveDataset ? it : it.skip)('reads the dev set\u2019s duplicate file', () => {
    const pairs = parseDuplicateLinksCsv(readFileSync(join(DATASET, 'hadoop_bugs-combined.csv'), 'utf8'));
    expect(pairs.length).toBeGreaterThanOrEqual(66);
    expect(new Set(pairs.map((p) => p.join())).size).toBe(pairs.length);
  });
});

describe('parseJiraDate', () => {
  it.each([
    ['30/Sep/21 17:20', '2021-09-30T17:20:00.000Z'],
    ['30/Sep/2021 17:20', '2021-09-30T17:20:00.000Z'],
    ['01/Oct/21 12:05 AM', '2021-10-01T00:05:00.000Z'],
    ['01/Oct/21 12:05 PM', '2021-10-01T12:05:00.000Z'],
    ['2021-09-30 17:20', '2021-09-30T17:20:00.000Z'],
    ['2021-09-30T17:20:00.000+0200', '2021-09-30T15:20:00.000Z'],
    ['07/Dec/26 10:15 AM', '2026-12-07T10:15:00.000Z'],
    ['07/Dez/26 10:15', '2026-12-07T10:15:00.000Z'],
    ['07/Mär/26 22:15', '2026-03-07T22:15:00.000Z'],
    ['07/déc./26 10:15', '2026-12-07T10:15:00.000Z'],
    ['07.12.2026 10:15', '2026-12-07T10:15:00.000Z'],
    ['07.12.26 10:15:30', '2026-12-07T10:15:30.000Z'],
    ['07/12/2026 10:15', '2026-12-07T10:15:00.000Z'],
    ['2026/12/07 22:15', '2026-12-07T22:15:00.000Z'],
  ])('%s → %s', (cell, iso) => {
    expect(parseJiraDate(cell)).toBe(iso);
  });

  it('reads month-first dates when the file writes them so', () => {
    const cells = ['12/7/2026 10:15', '12/13/2026 5:55 PM', ''];
    expect(numericDateOrder(cells)).toBe('mdy');
    expect(cells.map((c) => parseJiraDate(c, numericDateOrder(cells)))).toEqual(['2026-12-07T10:15:00.000Z', '2026-12-13T17:55:00.000Z', null]);
    expect(numericDateOrder(['07/12/2026 10:15', '13/12/2026 17:55'])).toBe('dmy');
    expect(numericDateOrder(['07/12/2026 10:15'])).toBe('dmy');
  });

  it.each(['', 'yesterday', '31/Feb/21 10:00', '30/Foo/21 10:00', '31.02.2026 10:00', '13/13/2026 10:00', '07/Dec/26 13:15 PM'])('%p is not a date', (cell) => {
    expect(parseJiraDate(cell)).toBeNull();
  });
});
