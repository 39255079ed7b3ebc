import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DATE_FORMATS, encode, jiraExport, type ExportOptions } from '../import/jira-export-fixture';

const ROOT = resolve(__dirname, '..', '..');

/** Runs `npm run analyze` (its script, without npm). */
function analyze(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A Jira CSV export: two duplicates whose shared words are partly only in their descriptions, and unrelated issues. */
function jiraCsv(): string {
  const rows = [
    ['Checkout fails when paying with PayPal', '10001', 'Open', 'Major', '', '01/Mar/24 10:00', '', '', 'Payment step throws NullPointerException in OrderTotalsCalculator for PayPal orders.'],
    ['PayPal payment error at checkout', '10002', 'Open', 'Major', '', '03/Mar/24 09:30', '', '', 'Stack trace shows NullPointerException in OrderTotalsCalculator when the PayPal order has a voucher.'],
    ['Dark mode colours on the settings page', '10003', 'Open', 'Minor', '', '04/Mar/24 11:00', '', '', 'Contrast of labels is too low in dark mode.'],
    ['Search results ignore accented characters', '10004', 'Open', 'Major', '', '05/Mar/24 12:00', '', '', 'Searching for café finds nothing.'],
    ['Export to CSV drops the last row', '10005', 'Open', 'Major', '', '06/Mar/24 13:00', '', '', 'The exporter stops one row early.'],
  ];
  const header = 'Summary,Issue id,Status,Priority,Resolution,Created,Resolved,Affects Version/s,Description';
  return [header, ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
}

describe('npm run analyze', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyze-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports clusters and pairs with the words the issues share, as written, and writes them as CSV', () => {
    const input = join(dir, 'export.csv');
    writeFileSync(input, jiraCsv());
    const out = join(dir, 'pairs.csv');
    const { status, stdout, stderr } = analyze(['--input', input, '--out', out]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^5 issues; \d+ pairs at or above/m);
    expect(stdout).toMatch(/10001 .*PayPal[\s\S]*10002/);
    // Shared words as the issues wrote them: from the summaries, and from the descriptions
    // for words only those hold (never stems such as "calcul").
    const sharedLine = stdout.split('\n').find((l) => l.includes('shared:')) ?? '';
    expect(sharedLine).toMatch(/PayPal \d+%/);
    expect(sharedLine).toMatch(/(NullPointerException|OrderTotalsCalculator) \d+%/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id_a,key_a,id_b,key_b,score,tier,shared_terms,other_work');
    const pair = csv.find((l) => l.startsWith('10001,'));
    expect(pair).toMatch(/^10001,[^,]*,10002,/);
    expect(pair).toMatch(/PayPal/);
  });

  it('names a phrase two Chinese summaries share as the phrase, not as its character pairs', () => {
    const input = join(dir, 'chinese.jsonl');
    const issue = (id: string, summary: string) => JSON.stringify({ id, key: `SHOP-${id}`, summary, description: '', created: '2024-03-01T10:00:00Z' });
    writeFileSync(input, [issue('1', '支付页面在使用礼品卡时卡住'), issue('2', '使用礼品卡时支付页面卡住'), issue('3', '退货流程无法完成')].join('\n') + '\n');
    const { status, stderr, stdout } = analyze(['--input', input]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const sharedLine = stdout.split('\n').find((l) => l.includes('shared:')) ?? '';
    expect(sharedLine).toMatch(/使用礼品卡时 \d+%/);
    // No fragment of it on its own (用礼 is no word).
    expect(sharedLine).not.toMatch(/(: |, )(用礼|礼品|品卡) \d+%/);
  });

  it('keeps sibling tasks made from one template as related, as the app does, and says why', () => {
    const input = join(dir, 'siblings.jsonl');
    const issue = (id: string, key: string, summary: string) => JSON.stringify({ id, key, summary, description: 'Use the project annotation instead of the library one in every module named.', created: '2024-03-01T10:00:00Z' });
    writeFileSync(input, [
      issue('1', 'HADOOP-1', "Replace Guava VisibleForTesting by Hadoop's own annotation in hadoop-hdfs-project modules"),
      issue('2', 'HADOOP-2', "Replace Guava VisibleForTesting by Hadoop's own annotation in hadoop-yarn-project modules"),
      issue('3', 'HADOOP-3', "Replace Guava VisibleForTesting by Hadoop's own annotation in hadoop-yarn-project modules"),
    ].join('\n') + '\n');
    const out = join(dir, 'siblings.csv');
    const { status, stderr, stdout } = analyze(['--input', input, '--out', out]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^3 issues; 3 pairs at or above 0\.15 \(1 at or above the duplicate threshold 0\.45\)/m);
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const tiers = new Map(rows.map((r) => [`${r[0]}-${r[2]}`, [r[5], r[7]]]));
    expect(tiers.get('2-3')).toEqual(['duplicate', '']);
    expect(tiers.get('1-2')).toEqual(['related', 'The summaries are the same but for what each names: hadoop-hdfs-project and hadoop-yarn-project.']);
    expect(tiers.get('1-3')?.[0]).toBe('related');
  });

  it('writes cells a spreadsheet would run as formulas as text', () => {
    const input = join(dir, 'formulas.jsonl');
    const issue = (id: string, key: string) => JSON.stringify({ id, key, summary: 'Export button crashes the report page', description: 'Clicking export on the report page crashes it.', created: '2024-03-01T10:00:00Z' });
    writeFileSync(input, `${issue('=1+1', '@SUM(A1)')}\n${issue('+cmd', '-2+3')}\n${issue('42', 'REP-42')}\n`);
    const out = join(dir, 'formulas.csv');
    const { status, stderr } = analyze(['--input', input, '--out', out]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const cells = readFileSync(out, 'utf8').trim().split('\n').slice(1).flatMap((line) => line.split(','));
    expect(cells).toEqual(expect.arrayContaining(["'=1+1", "'@SUM(A1)", "'+cmd", "'-2+3"]));
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
  });

  it('refuses a file that is not a Jira export, with a clear message and exit code 2', () => {
    const input = join(dir, 'other.csv');
    writeFileSync(input, 'name,age\nAda,36\n');
    const { status, stderr, stdout } = analyze(['--input', input]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^analyze: /);
    expect(stderr.length).toBeLessThan(600);
  });

  it.each<[string, ExportOptions, Parameters<typeof encode>[1]]>([
    ['from Jira ("CSV (all fields)", UTF-8 with BOM)', {}, 'utf8-bom'],
    ['re-saved by Excel in Germany (semicolons, Windows-1252, 07.12.2026 10:15)', { delimiter: ';', quoteAll: false, date: DATE_FORMATS.excelGerman }, 'windows-1252'],
    ['saved by Excel as "Unicode Text" (UTF-16, tabs)', { delimiter: '\t', quoteAll: false }, 'utf16le'],
    ['from Jira in German (translated column names)', { language: 'de', date: DATE_FORMATS.jiraGerman }, 'utf8-bom'],
  ])('reads an export %s and marks the pairs Jira already links as duplicates', (name, opts, encoding) => {
    const input = join(dir, `${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(input, encode(jiraExport(opts), encoding));
    const out = join(dir, `${name.replace(/\W+/g, '-')}-pairs.csv`);
    const { status, stdout, stderr } = analyze(['--input', input, '--out', out]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^7 issues; \d+ pairs at or above/m);
    // SHOP-101/102 are linked and found; SHOP-103/107 are linked but share no words; SHOP-106's
    // link names an issue outside the export, and "Blocks" links are no duplicates.
    expect(stdout).toMatch(/^Jira links 2 pairs of these issues as duplicates: 1 found here \(marked "linked in Jira"\), 1 not found$/m);
    expect(stdout).toMatch(/^ {2}0\.\d\d duplicate SHOP-101 "Checkout fails when paying with PayPal" \(linked in Jira\)$/m);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id_a,key_a,id_b,key_b,score,tier,shared_terms,other_work,linked_in_jira');
    expect(csv.find((l) => l.startsWith('10101,SHOP-101,10102,SHOP-102,'))).toMatch(/,yes$/);
    expect(csv.filter((l) => l.endsWith(',yes'))).toHaveLength(1);
  });

  it.each<[string, string | Buffer | null, RegExp]>([
    ['an .xlsx workbook renamed .csv', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml\u0000\u0000xl/workbook.xml')]), /zip archive, such as an Excel workbook \(\.xlsx\)/],
    ['Jira\'s old "Excel" export (an HTML table saved as .xls)', '<html>\n<head><meta charset="utf-8"></head>\n<body><table id="issuetable"><tr><th>Key</th></tr></table></body></html>\n', /HTML page/],
    ['a JSON file (a Jira REST API answer)', '{\n  "expand": "names",\n  "issues": [{ "id": "1", "key": "A-1", "fields": { "summary": "x" } }]\n}\n', /one JSON document .*not JSON Lines/],
    ['an export in Spanish', 'Resumen,Clave de incidencia,ID de la incidencia,Creada\nNo abre,S-1,1,07/dic/26 10:15\n', /needs a "Summary" column and an "Issue key" or "Issue id" column \(found "Resumen", "Clave de incidencia", "ID de la incidencia", "Creada"\)\. Column names are read in English, German and French/],
    ['a CSV file without a Summary column', 'Issue key,Issue id,Created\nSHOP-1,1,07/Dec/26 10:15 AM\n', /needs a "Summary" column .*\(found "Issue key", "Issue id", "Created"\)/],
    ['an empty file', '', /is empty/],
    ['an export cut off inside a quoted description', 'Summary,Issue key,Issue id,Description\r\nCrash,SHOP-1,1,"Steps:\r\n# open the page\r\n', /could not be read as CSV: Quote Not Closed/],
    ['a folder', null, /is a folder, not a file/],
  ])('refuses %s with a message saying what it is, and exit code 2', (name, content, message) => {
    const input = join(dir, `not-an-export-${name.replace(/\W+/g, '-')}`);
    if (content === null) mkdirSync(input, { recursive: true });
    else writeFileSync(input, content);
    const { status, stdout, stderr } = analyze(['--input', input]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^analyze: /);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(status).toBe(2);
  });

  it('refuses a wrong path, --threshold out of range and --out in a folder that does not exist before reading anything', () => {
    const input = join(dir, 'small.csv');
    writeFileSync(input, jiraExport());
    const missing = analyze(['--input', join(dir, 'nope.csv')]);
    expect([missing.status, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/nope\.csv does not exist/);
    const threshold = analyze(['--input', input, '--threshold', '1.5']);
    expect([threshold.status, threshold.stdout]).toEqual([2, '']);
    expect(threshold.stderr).toMatch(/--threshold must be a number in \[0, 1\]/);
    const out = analyze(['--input', input, '--out', join(dir, 'no-such-folder', 'pairs.csv')]);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^analyze: --out .*: the folder .*no-such-folder does not exist$/m);
    expect(out.status).toBe(2);
    const folder = analyze(['--input', input, '--out', dir]);
    expect(folder.stdout).toBe('');
    expect(folder.stderr).toMatch(/--out .* is a folder: give a file name/);
    expect(folder.status).toBe(2);
  });

  it('shows its progress on a 50,000-row export', () => {
    const input = join(dir, 'large.csv');
    // Made-up words from syllables, picked by a fixed generator: issues that share a few words at most.
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'den', 'gar', 'pol', 'quin', 'ber', 'fen', 'dro', 'lux'];
    let seed = 42;
    const word = (): string => {
      let w = '';
      for (let k = 0; k < 4; k++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        w += syllables[seed >>> 28] ?? '';
      }
      return w;
    };
    const words = (n: number): string => Array.from({ length: n }, word).join(' ');
    const lines = ['Summary,Issue key,Issue id,Issue Type,Created,Description'];
    for (let i = 1; i <= 50_000; i++) lines.push(`${words(5)},BIG-${i},${100_000 + i},Bug,07/Dec/26 10:15 AM,"${words(12)}, then ${words(3)}"`);
    writeFileSync(input, lines.join('\r\n') + '\r\n');
    const { status, stdout, stderr } = analyze(['--input', input, '--top', '1']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^50000 issues; /);
    expect(stderr).toMatch(/^analysing: 50000 of 50000 issues$/m);
    expect(stderr).toMatch(/^done in [\d.]+ s$/m);
  }, 120_000);
});
