/**
 * What manifest.yml gives each function beyond its handler: the lifecycle keeps Forge's fixed
 * 25 s of a product-event trigger (its migration pass ends well inside it), and 1024 MB go only
 * to the functions that can hold the engine's index over a scope (the issue view's re-check among them); the rest keep the default 512 MB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LIFECYCLE_PASS_MS } from '../../src/triggers/lifecycle';

interface Fn {
  key: string;
  timeoutSeconds?: number;
  runtime?: { memoryMB?: number };
}

const manifest = parse(readFileSync(join(__dirname, '..', '..', 'manifest.yml'), 'utf8')) as {
  modules: { function: Fn[] };
  app: { runtime: { memoryMB?: number } };
};

describe('function runtime settings', () => {
  it('the lifecycle sets no timeout (a product-event trigger: 25 s), and its pass ends inside it', () => {
    const lifecycle = manifest.modules.function.find((fn) => fn.key === 'lifecycle');
    expect(lifecycle).toBeDefined();
    expect(lifecycle?.timeoutSeconds).toBeUndefined();
    expect(LIFECYCLE_PASS_MS).toBeLessThanOrEqual(20_000);
  });

  it('1024 MB for the analysis worker, the issue events and the issue view (its re-check runs an issue event\'s analysis) only; no app-wide memory', () => {
    expect(manifest.app.runtime.memoryMB).toBeUndefined();
    const sized = manifest.modules.function.filter((fn) => fn.runtime?.memoryMB !== undefined).map((fn) => [fn.key, fn.runtime?.memoryMB]);
    expect(sized).toEqual([
      ['issue-view-resolver', 1024],
      ['analysis-worker', 1024],
      ['issue-events', 1024],
    ]);
  });
});
