import { spawn, spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DATE_FORMATS, encode, jiraExport, type ExportOptions } from '../import/jira-export-fixture';

const ROOT = resolve(__dirname, '..', '..');

/** Runs `npm run analyze` (its script, without npm). */
function analyze(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The lines of a CSV that analyze wrote, after its byte order mark. */
/** Control characters a terminal acts on (C0 but tab and line feed, DEL, C1). */
// eslint-disable-next-line no-control-regex -- what the tests look for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const csvLines = (file: string): string[] => readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');

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
    const csv = csvLines(out);
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
    expect(stdout).toMatch(/^3 issues; 3 pairs at or above 0\.15; 1 in the duplicate tier \(3 scored at or above 0\.45; 2 kept related because their summaries name different work\)$/m);
    const rows = csvLines(out).slice(1).map((l) => l.split(','));
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
    const cells = csvLines(out).slice(1).flatMap((line) => line.split(','));
    expect(cells).toEqual(expect.arrayContaining(["'=1+1", "'@SUM(A1)", "'+cmd", "'-2+3"]));
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
  });

  it('writes ids and keys that start with a tab or a carriage return as text too, as the app\'s export does', () => {
    const input = join(dir, 'controls.jsonl');
    const issue = (id: string, key: string) => JSON.stringify({ id, key, summary: '-Xmx option ignored by the report exporter', description: '@here the -Xmx option of the report exporter is ignored.', created: '2024-03-01T10:00:00Z' });
    writeFileSync(input, `${issue('\t=1+1', '\r=2+2')}\n${issue('\t+cmd', '\r@SUM(A1)')}\n`);
    const out = join(dir, 'controls.csv');
    const { status, stderr } = analyze(['--input', input, '--out', out]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    // Read as a spreadsheet reads it: quoted cells may hold a carriage return.
    const rows = z.array(z.array(z.string())).parse(parse(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')));
    expect(rows).toHaveLength(2);
    const [header, row] = rows as [string[], string[]];
    const cell = (name: string): string => row[header.indexOf(name)] ?? '';
    expect([cell('id_a'), cell('id_b')].sort()).toEqual(["'\t+cmd", "'\t=1+1"]);
    expect([cell('key_a'), cell('key_b')].sort()).toEqual(["'\r=2+2", "'\r@SUM(A1)"]);
    expect(cell('tier')).toBe('duplicate');
    for (const c of row) expect(c).not.toMatch(/^[=+\-@\t\r]/);
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
    expect(stdout).toMatch(/^1 Duplicate link points to an issue not in this file \(OPS-12\), not counted above$/m);
    expect(stdout).toMatch(/^ {2}0\.\d\d duplicate SHOP-101 "Checkout fails when paying with PayPal" \(linked in Jira\)$/m);
    const csv = csvLines(out);
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
    ['an export cut off inside a quoted description', 'Summary,Issue key,Issue id,Description\r\nCrash,SHOP-1,1,"Steps:\r\n# open the page\r\n', /could not be read as CSV: the quoted field that starts on line 2 is never closed/],
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

  it('writes its CSV with a UTF-8 byte order mark, as the app export does, so that Excel reads non-ASCII words', () => {
    const input = join(dir, 'bom.jsonl');
    const issue = (id: string) => JSON.stringify({ id, summary: 'Café menu crashes on résumé upload', description: '', created: '2024-03-01T10:00:00Z' });
    writeFileSync(input, `${issue('1')}\n${issue('2')}\n`);
    const out = join(dir, 'bom.csv');
    const { status, stderr } = analyze(['--input', input, '--out', out]);
    expect([status, stderr]).toEqual([0, '']);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toMatch(/Café|résumé/);
  });

  it.each([
    ['the same path', (input: string) => input],
    ['a symbolic link to it', (input: string) => {
      const link = join(dir, 'same-link.csv');
      symlinkSync(input, link);
      return link;
    }],
    ['a hard link to it', (input: string) => {
      const link = join(dir, 'same-hard.csv');
      linkSync(input, link);
      return link;
    }],
  ])('refuses an --out that is the input file (%s) before any work, and leaves the export as it was', (_name, outOf) => {
    const input = join(dir, `same-${_name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(input, jiraCsv());
    const { status, stdout, stderr } = analyze(['--input', input, '--out', outOf(input)]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^analyze: --out .* is the input file, which writing would overwrite: give another name/);
    expect(status).toBe(2);
    expect(readFileSync(input, 'utf8')).toBe(jiraCsv());
  });

  it('says in one sentence, with exit code 2, that --out cannot be written: before any work where it can tell, else when writing', () => {
    const input = join(dir, 'write-errors.csv');
    writeFileSync(input, jiraCsv());
    const proc = analyze(['--input', input, '--out', '/proc/pairs.csv']);
    expect(proc.stdout).toBe('');
    expect(proc.stderr).toBe('analyze: cannot write /proc/pairs.csv: no such file or folder (ENOENT)\n');
    expect(proc.status).toBe(2);
    const full = analyze(['--input', input, '--out', '/dev/full']);
    expect(full.stderr).toBe('analyze: cannot write /dev/full: no space left on the device (ENOSPC)\n');
    expect(full.status).toBe(2);
  });

  it('leaves an existing --out as it was, and no temporary file, when the run fails', () => {
    const sub = join(dir, 'keep-out');
    mkdirSync(sub);
    const input = join(sub, 'issues.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: '1', summary: 'a' })}\nnot json\n`);
    const out = join(sub, 'pairs.csv');
    writeFileSync(out, 'earlier pairs\n');
    const { status, stderr } = analyze(['--input', input, '--out', out]);
    expect(stderr).toMatch(/line 2: not JSON/);
    expect(status).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('earlier pairs\n');
    expect(readdirSync(sub).sort()).toEqual(['issues.jsonl', 'pairs.csv']);
  });

  it('removes its temporary file and leaves an existing --out as it was when it is stopped (SIGTERM)', async () => {
    const sub = join(dir, 'stopped');
    mkdirSync(sub);
    const input = join(sub, 'issues.jsonl');
    // 400 alike issues: 79,800 pairs, whose shared words take a while to write (the run is still going when stopped).
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: String(i + 1), summary: `Checkout page times out when paying by card ${i % 7}`, description: 'The payment step spins and then fails.' }));
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(sub, 'pairs.csv');
    writeFileSync(out, 'earlier pairs\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', '--input', input, '--out', out], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    let running = true;
    void exited.then(() => (running = false));
    // Stopped once it has opened its temporary file beside --out.
    while (running && readdirSync(sub).length < 3) await new Promise((done) => setTimeout(done, 20));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(readFileSync(out, 'utf8')).toBe('earlier pairs\n');
    expect(readdirSync(sub).sort()).toEqual(['issues.jsonl', 'pairs.csv']);
  }, 120_000);

  it('goes on quietly when the reader of its report stops early (| head), and still writes --out', async () => {
    const sub = join(dir, 'piped');
    mkdirSync(sub);
    const input = join(sub, 'issues.jsonl');
    const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify({ id: String(i + 1), summary: `Checkout page times out when paying by card ${i % 7}`, description: 'The payment step spins and then fails.' }));
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(sub, 'pairs.csv');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', '--input', input, '--out', out, '--top', '500'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The reader takes the first piece of the report and goes away, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
    expect(csvLines(out).length).toBeGreaterThan(100);
  }, 120_000);

  it('reads exports joined together: skips the repeated header rows and keeps one row an issue id, and says so', () => {
    const [header, ...rows] = jiraCsv().trim().split('\n');
    const input = join(dir, 'joined.csv');
    // Two exports joined, the second repeating its header and one issue of the first (edited since).
    writeFileSync(input, [header, ...rows.slice(0, 3), header, rows[2]?.replace('Dark mode colours', 'Dark mode colors'), ...rows.slice(3)].join('\n') + '\n');
    const out = join(dir, 'joined-pairs.csv');
    const { status, stdout, stderr } = analyze(['--input', input, '--out', out]);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^analyze: skipped 1 row that repeats the header row \(exports joined together\)$/m);
    expect(stderr).toMatch(/^analyze: dropped 1 row whose issue id an earlier row has; the last row of each id is kept$/m);
    expect(stdout).toMatch(/^5 issues; /);
    expect(stdout).not.toMatch(/Issue id/);
    expect(csvLines(out).join('\n')).not.toMatch(/Summary/);
    const jsonl = join(dir, 'repeated.jsonl');
    const issue = (summary: string) => JSON.stringify({ id: '7', summary, created: '2024-03-01T10:00:00Z' });
    writeFileSync(jsonl, `${issue('Login page is slow')}\n${issue('Login page is slow today')}\n${JSON.stringify({ id: '8', summary: 'Logout fails' })}\n`);
    const repeated = analyze(['--input', jsonl]);
    expect(repeated.status).toBe(0);
    expect(repeated.stdout).toMatch(/^2 issues; /);
    expect(repeated.stderr).toMatch(/dropped 1 row/);
  });

  it('prints nothing from the file that a terminal would run: escape sequences and control characters are removed', () => {
    const input = join(dir, 'escapes.jsonl');
    const issue = (id: string, key: string, summary: string) => JSON.stringify({ id, key, summary, description: '', created: '2024-03-01T10:00:00Z' });
    writeFileSync(input, `${issue('1', 'X-1\u001b[2J', 'Login fails \u001b]0;owned\u0007on the portal')}\n${issue('2', 'X-2', 'Login fails on the portal\u009b31m\u0008')}\n`);
    const { status, stdout, stderr } = analyze(['--input', input]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/X-1 "Login fails on the portal"/);
    expect(stdout).not.toMatch(CONTROL);
    const header = join(dir, 'escape-header.csv');
    writeFileSync(header, 'Name\u001b[31m,Age\nAda,36\n');
    const refused = analyze(['--input', header]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/found "Name", "Age"/);
    expect(refused.stderr).not.toMatch(CONTROL);
  });

  it('reads no colour code or control character in the text as a word: unrelated issues that share only those are no pair', () => {
    const input = join(dir, 'colours.csv');
    const red = (s: string): string => `\u001b[31m${s}\u001b[0m`;
    const rows = [
      ['Summary', 'Issue key', 'Issue id', 'Created', 'Description'],
      // Two unrelated issues whose only common text is colour codes and control characters.
      [`${red('Login page')} times out`, 'CI-1', '1', '01/Mar/24 10:00', `${red('ERROR')} \u001b[1;33mwarn\u001b[0m session\u0007 expired\u001b(B\u001b[m`],
      [`${red('PDF export')} loses images`, 'CI-2', '2', '02/Mar/24 10:00', `${red('FATAL')} \u001b[1;33mrenderer\u001b[0m\u0007 crash\u001b(B\u001b[m`],
      // A word in colour is still that word: these two share NullPointerException.
      ['Checkout throws on submit', 'CI-3', '3', '03/Mar/24 10:00', `{code}\n\tat Order.total\n${red('NullPointerException')}\n{code}`],
      ['Cart fails when submitting', 'CI-4', '4', '04/Mar/24 10:00', 'NullPointerException in the cart'],
      ['Search ignores accents', 'CI-5', '5', '05/Mar/24 10:00', 'Searching for cafe finds nothing.'],
    ];
    writeFileSync(input, rows.map((r) => r.map(quote).join(',')).join('\n') + '\n');
    const out = join(dir, 'colours-pairs.csv');
    const { status, stdout, stderr } = analyze(['--input', input, '--out', out]);
    expect([status, stderr]).toEqual([0, '']);
    const csv = csvLines(out).slice(1);
    expect(csv.filter((l) => l.startsWith('1,CI-1,2,CI-2,'))).toEqual([]);
    expect(csv.join('\n')).not.toMatch(/\b(0m|31m|33m|1;33m|B)\b/);
    expect(csv.find((l) => l.startsWith('3,CI-3,4,CI-4,'))).toMatch(/NullPointerException/);
    expect(stdout).toMatch(/^ {2}[\d.]+ +\w+ +CI-3 "Checkout throws on submit"$/m);
  });

  it('prints and writes no score that reaches a threshold the pair is below: --threshold X keeps the pairs printed at X or more', () => {
    const input = join(dir, 'near.jsonl');
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(' ');
    const long = Array.from({ length: 200 }, (_, i) => words[(i * 7) % words.length]).join(' ');
    const issue = (id: string, summary: string, description: string) => JSON.stringify({ id, key: `NEAR-${id}`, summary, description, created: '2024-03-01T10:00:00Z' });
    // Three near copies scoring 0.9999x, which rounded to four places would be 1.0000, and others.
    writeFileSync(input, [
      issue('1', 'Scheduler drops queued jobs after restart', `Seen in production. ${long}`),
      issue('2', 'Scheduler drops queued jobs after restart', `Seen in production. ${long} zulu`),
      issue('3', 'Scheduler drops queued jobs after restart', `Seen in production. ${long}`),
      issue('4', 'Scheduler drops queued jobs after a restart', `Seen in staging. ${long.slice(0, 600)}`),
      issue('5', 'Login page rejects valid passwords', 'Users cannot sign in with a correct password.'),
      issue('6', 'Report export misses the footer', 'The PDF has no footer.'),
    ].join('\n') + '\n');
    const scores = (file: string): string[] => csvLines(file).slice(1).map((l) => l.split(',')[4] ?? '');
    const printed = (stdout: string): string[] => stdout.split('\n').flatMap((l) => /^ {2}(\d\.\d+) (duplicate|related) /.exec(l)?.[1] ?? []);
    const all = join(dir, 'near-all.csv');
    const run = analyze(['--input', input, '--out', all, '--top', '100']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const every = scores(all);
    expect(every.length).toBeGreaterThan(3);
    for (const threshold of ['1', '0.9999', '0.99', '0.5']) {
      const out = join(dir, `near-${threshold}.csv`);
      const kept = analyze(['--input', input, '--out', out, '--top', '100', '--threshold', threshold]);
      expect([kept.status, kept.stderr]).toEqual([0, '']);
      // The pairs kept are the pairs a run without --threshold printed at the threshold or above.
      expect(scores(out)).toEqual(every.filter((s) => Number(s) >= Number(threshold)));
      expect(printed(kept.stdout)).toHaveLength(scores(out).length);
      for (const s of printed(kept.stdout)) expect(Number(s)).toBeGreaterThanOrEqual(Number(threshold));
    }
    // With as many places as the threshold has: a pair kept at 0.9999 prints as 0.9999, not 1.00 or 0.99.
    const fine = analyze(['--input', input, '--threshold', '0.9999']);
    expect(printed(fine.stdout)).toContain('0.9999');
    expect(fine.stdout).toMatch(/^ {2}0\.9999 duplicate NEAR-\d "Scheduler drops queued jobs after restart"\n {19}NEAR-\d "/m);
  });

  it.each<[string, Buffer, RegExp]>([
    ['a gzip file', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x03]), /is compressed with gzip, not a CSV or JSONL export: unzip it first/],
    ['a PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), /is a PNG image, not a CSV or JSONL export/],
    ['a file with NUL bytes', Buffer.from('Summary,Issue id\u0000\u0000\u0001\u0002abc\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000defghijk', 'latin1'), /is a binary file, not a CSV or JSONL export/],
  ])('refuses %s as no export, without echoing its bytes', (name, content, message) => {
    const input = join(dir, `binary-${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(input, content);
    const { status, stdout, stderr } = analyze(['--input', input]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(status).toBe(2);
  });

  it.each<[string, string, RegExp]>([
    ['a Jira REST API answer on one line', '{"expand":"names","startAt":0,"total":1,"issues":[{"id":"1","key":"A-1","fields":{"summary":"x"}}]}\n', /one JSON document \(such as a Jira REST API answer\), not JSON Lines/],
    ['an export with column names only', 'Summary,Issue key,Issue id,Created\r\n', /holds no issues, only column names: in Jira's issue search, check that the filter finds the issues, then export again/],
    ['a quote never closed, in a file with CRLF line ends', 'Summary,Issue id\r\nfoo "bar" baz,1\r\n"unterminated,2\r\nok,3\r\n', /the quoted field that starts on line 3 is never closed/],
  ])('says what to do with %s', (name, content, message) => {
    const input = join(dir, `message-${name.replace(/\W+/g, '-')}${content.startsWith('{') ? '.json' : '.csv'}`);
    writeFileSync(input, content);
    const { status, stdout, stderr } = analyze(['--input', input]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(status).toBe(2);
  });

  it('refuses an empty --threshold as it refuses one that is no number', () => {
    const input = join(dir, 'threshold.csv');
    writeFileSync(input, jiraCsv());
    for (const value of ['', ' ']) {
      const { status, stdout, stderr } = analyze(['--input', input, `--threshold=${value}`]);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/--threshold must be a number in \[0, 1\]/);
      expect(status).toBe(2);
    }
  });

  it('ends the reading progress of a file over 20 MB at 100%', () => {
    const input = join(dir, 'blank-lines.csv');
    // Two issues and 21 MB of empty lines, which the reader skips: large, yet quick to read.
    writeFileSync(input, 'Summary,Issue id\nLogin fails,1\nLogin fails again,2\n' + '\n'.repeat(21_000_000));
    const { status, stderr } = analyze(['--input', input]);
    expect(status).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^reading .*blank-lines\.csv: \d+%$/);
    expect(lines[lines.length - 1]).toMatch(/^reading .*blank-lines\.csv: 100%$/);
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
    const out = join(dir, 'large-pairs.csv');
    const { status, stdout, stderr } = analyze(['--input', input, '--top', '1', '--out', out]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^50000 issues; /);
    const pairs = /^wrote (\d+) pairs/m.exec(stdout)?.[1];
    expect(stderr).toMatch(new RegExp(`^writing .*large-pairs\\.csv: ${pairs} of ${pairs} pairs$`, 'm'));
    expect(stderr).toMatch(/^analysing: 50000 of 50000 issues$/m);
    expect(stderr).toMatch(/^done in [\d.]+ s$/m);
  }, 120_000);
});
