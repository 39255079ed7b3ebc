import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEV_SET_DIR, describeWithDevSet } from '../engine/dataset';
import { DATE_FORMATS, encode, ISSUES, jiraExport } from '../import/jira-export-fixture';

const ROOT = resolve(__dirname, '..', '..');

/** Runs `npm run eval` (its script, without npm). */
function evaluate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/eval.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Scores {
  r1: number;
  r5: number;
  r10: number;
  r20: number;
  map: number;
}

function lastJson(stdout: string): { queries: number; engine: Scores; baseline: Scores } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as { queries: number; engine: Scores; baseline: Scores };
}

describeWithDevSet('npm run eval (dev set)', () => {
  it('ends with one JSON object and meets the quality targets, from JSONL and from the Jira CSV export alike', () => {
    const fromJsonl = evaluate(['--issues', join(DEV_SET_DIR, 'issues.jsonl'), '--pairs', join(DEV_SET_DIR, 'pairs.csv'), '--json']);
    expect(fromJsonl.status).toBe(0);
    const a = lastJson(fromJsonl.stdout);
    expect(a.queries).toBe(66);
    for (const side of [a.engine, a.baseline]) expect(Object.keys(side).sort()).toEqual(['map', 'r1', 'r10', 'r20', 'r5']);
    // The issue's targets, and the engine ahead of the plain TF-IDF baseline on every measure.
    expect(a.engine.r5).toBeGreaterThanOrEqual(0.89);
    expect(a.engine.r10).toBeGreaterThanOrEqual(0.92);
    expect(a.engine.map).toBeGreaterThanOrEqual(0.74);
    for (const k of ['r1', 'r5', 'r10', 'r20', 'map'] as const) expect(a.engine[k]).toBeGreaterThan(a.baseline[k]);

    const fromCsv = evaluate(['--issues', join(DEV_SET_DIR, 'hadoop_bugs.csv'), '--pairs', join(DEV_SET_DIR, 'hadoop_bugs-combined.csv'), '--json']);
    expect(fromCsv.status).toBe(0);
    const b = lastJson(fromCsv.stdout);
    expect(b.queries).toBe(66);
    expect(b.engine).toEqual(a.engine);
  }, 120_000);

  it('--create-check prints what the create dialog would say at each lowest score, fewer warnings as the score rises, and keeps the JSON last', () => {
    const run = evaluate(['--issues', join(DEV_SET_DIR, 'issues.jsonl'), '--pairs', join(DEV_SET_DIR, 'pairs.csv'), '--create-check', '--json']);
    expect(run.status).toBe(0);
    expect(lastJson(run.stdout).queries).toBe(66);
    for (const draft of ['summary', 'summary+description']) {
      const at = run.stdout.indexOf(`create-dialog check, draft = ${draft} (`);
      expect(at).toBeGreaterThan(0);
      const rows = [...run.stdout.slice(at).split('\n').slice(1, 6).join('\n').matchAll(/score >= ([\d.]+): known duplicates named (\d+)\/66; other new issues warned (\d+)\/(\d+)/g)];
      expect(rows.map((r) => Number(r[1]))).toEqual([0.15, 0.23, 0.3, 0.38, 0.45]);
      const named = rows.map((r) => Number(r[2]));
      const warned = rows.map((r) => Number(r[3]));
      expect(named).toEqual([...named].sort((x, y) => y - x));
      expect(warned).toEqual([...warned].sort((x, y) => y - x));
      // At the related threshold most known duplicates are named; at the duplicate threshold far fewer other issues are warned.
      expect(named[0]).toBeGreaterThanOrEqual(40);
      expect(warned[4]!).toBeLessThan(warned[0]! / 2);
    }
  }, 120_000);

  it('refuses missing arguments with the usage line', () => {
    const { status, stderr } = evaluate(['--issues', join(DEV_SET_DIR, 'issues.jsonl')]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/usage: npm run eval/);
  });
});

describe('npm run eval on a Jira export', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eval-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('orders the pairs by Created dates as Excel re-saved them (07.12.2026 10:15), not as unreadable', () => {
    const issues = join(dir, 'excel-dates.csv');
    writeFileSync(issues, jiraExport({ date: DATE_FORMATS.excelGerman }));
    const pairs = join(dir, 'duplicates.csv');
    writeFileSync(pairs, 'Issue id,Duplicate id\n10102,10101\n');
    const run = evaluate(['--issues', issues, '--pairs', pairs, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // SHOP-102 (8 Dec) asks; SHOP-101 (7 Dec), the PayPal report it duplicates, comes first.
    expect(lastJson(run.stdout)).toMatchObject({ queries: 1, engine: { r1: 1 } });
  });

  it('takes the known pairs from the export\u2019s duplicate links (--pairs the export itself), in an Excel re-save', () => {
    const file = join(dir, 'excel-semicolons.csv');
    writeFileSync(file, encode(jiraExport({ delimiter: ';', quoteAll: false, date: DATE_FORMATS.excelGerman }), 'windows-1252'));
    const run = evaluate(['--issues', file, '--pairs', file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // SHOP-101/102 and SHOP-103/107; SHOP-106's link names an issue outside the export.
    expect(run.stdout).toMatch(/^7 issues, 3 known pairs, 2 queries/m);
    expect(lastJson(run.stdout)).toMatchObject({ queries: 2, engine: { r1: 0.5 } });
  });

  it('refuses known pairs whose issues have no readable Created date, naming one', () => {
    const issues = join(dir, 'undated.csv');
    const undated = ISSUES.map((i) => (i.key === 'SHOP-102' ? { ...i, created: new Date(NaN) } : i));
    writeFileSync(issues, jiraExport({ issues: undated, date: (d) => (Number.isNaN(d.getTime()) ? 'soon' : DATE_FORMATS.jira(d)) }));
    const pairs = join(dir, 'undated-pairs.csv');
    writeFileSync(pairs, 'Issue id,Duplicate id\n10102,10101\n');
    const run = evaluate(['--issues', issues, '--pairs', pairs, '--json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^eval: 1 issue of the known pairs has no readable Created date \(e\.g\. SHOP-102: "soon"\)/);
  });
});
