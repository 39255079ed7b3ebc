import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DEV_SET_DIR, describeWithDevSet } from '../engine/dataset';

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
    // The targets, and the engine ahead of the plain TF-IDF baseline on every measure.
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

  it('refuses missing arguments with the usage line', () => {
    const { status, stderr } = evaluate(['--issues', join(DEV_SET_DIR, 'issues.jsonl')]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/usage: npm run eval/);
  });
});
