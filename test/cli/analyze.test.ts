import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
});
