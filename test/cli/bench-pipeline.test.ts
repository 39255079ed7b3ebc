import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

describe('npm run bench:pipeline', () => {
  it('ends with the JSON object #3 names (small synthetic backlog, no dev set), with the footprint breakdown on stderr', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bench-pipeline.ts', '--synthetic', '1200', '--skip-devset', '--json', '--breakdown'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
    const synthetic = last['synthetic'] as Record<string, unknown>;
    expect(Object.keys(synthetic).sort()).toEqual(['issues', 'pairs', 'total_ms']);
    expect(synthetic['issues']).toBe(1200);
    expect(typeof synthetic['total_ms']).toBe('number');
    for (const key of ['panel_p95_ms', 'created_to_suggestions_ms', 'create_check_ms', 'sql_mib_20k']) expect(typeof last[key]).toBe('number');
    expect((last['synthetic'] as { pairs: number }).pairs).toBeGreaterThan(0);
    expect(last['sql_mib_20k']).toBeGreaterThan(0);
    // --breakdown: every table and index with its size, on stderr (stdout ends with the JSON).
    expect(result.stderr).toMatch(/table pairs: ~\d+ rows, data [\d.]+ MiB, indexes [\d.]+ MiB/);
    expect(result.stderr).toMatch(/index pairs\.PRIMARY: [\d.]+ MiB/);
  }, 240_000);
});
