import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Runs `npm run bench` (its script, without npm) and returns stdout. */
function bench(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['tools/run-bundled.mjs', 'src/cli/bench.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run bench', () => {
  it('prints one JSON object last, with every size, the naive baseline and the recall against an exhaustive search', () => {
    const { status, stdout, stderr } = bench(['--sizes', '300,600', '--naive-sizes', '100', '--recall', '300', '--json']);
    expect(stderr).not.toMatch(/bench:/);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1] ?? '') as {
      sizes: Array<Record<string, number>>;
      naive: { n: number; total_ms: number; pretokenised_ms: number };
      ours_at_naive_n_ms: number;
      ours_warm_at_naive_n_ms: number;
      speedup: number;
      speedup_pretokenised: number;
      recall: Record<string, number>;
    };
    expect(last.sizes.map((s) => s.n)).toEqual([300, 600]);
    for (const size of last.sizes) {
      for (const key of ['index_ms', 'neighbours_ms', 'total_ms', 'peak_rss_mb', 'vocabulary', 'postings', 'pairs']) {
        expect(typeof size[key]).toBe('number');
      }
      expect(size.total_ms).toBe((size.index_ms ?? 0) + (size.neighbours_ms ?? 0));
      expect(size.vocabulary).toBeGreaterThan(100);
    }
    // The vocabulary grows with the backlog (Heaps' law), it does not saturate.
    expect(last.sizes[1]?.vocabulary).toBeGreaterThan(last.sizes[0]?.vocabulary ?? Infinity);
    expect(last.naive.n).toBe(100);
    // The warm rerun is reported beside the cold figure the speed-up is computed from.
    expect(last.ours_warm_at_naive_n_ms).toBeGreaterThan(0);
    expect(last.speedup).toBeCloseTo(last.naive.total_ms / last.ours_at_naive_n_ms, 0);
    expect(last.speedup).toBeGreaterThan(0);
    // The faster form of the baseline is measured too, with its own ratio.
    expect(last.naive.pretokenised_ms).toBeGreaterThan(0);
    expect(last.speedup_pretokenised).toBeCloseTo(last.naive.pretokenised_ms / last.ours_at_naive_n_ms, 0);
    expect(last.recall.n).toBe(300);
    expect(last.recall.pair_recall).toBeGreaterThan(0.9);
    expect(last.recall.pair_recall).toBeLessThanOrEqual(1);
    expect(last.recall.top10_recall).toBeGreaterThan(0.9);
    expect(last.recall.top10_recall).toBeLessThanOrEqual(1);
  }, 180_000);

  it('writes the measured backlog as JSONL with its planted pairs when asked (--dump)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-dump-'));
    try {
      const { status } = bench(['--sizes', '200', '--naive-sizes', '50', '--dump', dir]);
      expect(status).toBe(0);
      const lines = readFileSync(join(dir, 'backlog-200.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(200);
      const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
      expect(Object.keys(first)).toEqual(expect.arrayContaining(['id', 'summary', 'description', 'created']));
      const pairs = readFileSync(join(dir, 'backlog-200-pairs.csv'), 'utf8').trim().split('\n');
      expect(pairs[0]).toBe('id_a,id_b');
      expect(pairs.length).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a bad size with a usage message', () => {
    const { status, stderr } = bench(['--recall', '5,6']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/usage: npm run bench/);
  });
});
