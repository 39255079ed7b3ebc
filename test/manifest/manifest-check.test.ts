/**
 * The offline manifest check (tools/manifest-check.ts) accepts the real manifest and
 * catches each kind of mistake we care about in a broken copy.
 *
 * Broken copies live in a temporary app folder: manifest.yml, a small src/index.ts that
 * exports every handler the copy names, and empty static/<surface>/ source folders (the
 * front ends are not built there, which the check reports as a note, not a problem).
 *
 * Each break is tested on its own with @forge/lint switched off (fast: schema and our own
 * rules); one run with @forge/lint on a copy holding every break shows that Forge's own
 * linters catch them too. @forge/lint takes 15 s or more a run, so it runs twice in all.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { checkManifest } from '../../tools/manifest-check';
import { collectExports } from '../../tools/module-exports';

const repoRoot = resolve(__dirname, '../..');
// Above the check's own 600 s limit for @forge/lint, so a slow run reports its own error.
const FORGE_LINT_TIMEOUT_MS = 660_000;

interface FunctionEntry {
  key: string;
  handler: string;
  timeoutSeconds?: number;
}

interface ManifestShape {
  modules: {
    function: FunctionEntry[];
    scheduledTrigger: { key: string; interval: string }[];
    [moduleType: string]: unknown;
  };
  resources: { key: string; path: string }[];
  app: { runtime: { name: string } };
}

const scratchDirs: string[] = [];

function realManifest(): ManifestShape {
  return parse(readFileSync(join(repoRoot, 'manifest.yml'), 'utf8')) as ManifestShape;
}

function handlerExport(entry: FunctionEntry): string {
  return entry.handler.split('.')[1] ?? '';
}

/**
 * Writes an app folder for `manifest`. `exported` lists what src/index.ts exports; by
 * default every handler the manifest names.
 */
function writeApp(manifest: ManifestShape, exported?: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-test-'));
  scratchDirs.push(dir);
  mkdirSync(join(dir, 'src'));
  const names = exported ?? manifest.modules.function.map(handlerExport);
  const source = names.map((name) => `export const ${name} = async (): Promise<void> => undefined;`).join('\n');
  writeFileSync(join(dir, 'src', 'index.ts'), `${source}\n`);
  for (const resource of manifest.resources) {
    const surface = /^static\/([^/]+)\/build/.exec(resource.path)?.[1];
    if (surface) mkdirSync(join(dir, 'static', surface), { recursive: true });
  }
  writeFileSync(join(dir, 'manifest.yml'), stringify(manifest));
  return dir;
}

function functionEntry(manifest: ManifestShape, key: string): FunctionEntry {
  const entry = manifest.modules.function.find((fn) => fn.key === key);
  if (!entry) throw new Error(`the real manifest no longer declares function '${key}'; update this test`);
  return entry;
}

function firstScheduledTrigger(manifest: ManifestShape): { interval: string } {
  const trigger = manifest.modules.scheduledTrigger[0];
  if (!trigger) throw new Error('the real manifest no longer has a scheduled trigger; update this test');
  return trigger;
}

/** The function whose timeout can legitimately be raised: one used by a consumer. */
function consumerFunctionKey(manifest: ManifestShape): string {
  const consumers = manifest.modules.consumer as { function: string }[] | undefined;
  const key = consumers?.[0]?.function;
  if (!key) throw new Error('the real manifest no longer has a consumer; update this test');
  return key;
}

// Every break below, applied to a copy of the real manifest.
const breaks: { name: string; apply: (manifest: ManifestShape) => void; fast: RegExp; forge: RegExp }[] = [
  {
    name: 'an unknown scheduled trigger interval',
    apply: (manifest) => {
      firstScheduledTrigger(manifest).interval = 'minute';
    },
    fast: /^schema: modules\.scheduledTrigger\[[^\]]+\]\.interval .*fiveMinute, hour, day, week/,
    forge: /^forge lint: manifest\.yml:\d+: scheduledTrigger property interval 'minute'/,
  },
  {
    name: 'a handler that src/index.ts does not export',
    apply: (manifest) => {
      functionEntry(manifest, consumerFunctionKey(manifest)).handler = 'index.doesNotExist';
    },
    fast: /^handlers: function '[^']+' names index\.doesNotExist, but src\/index\.ts does not export 'doesNotExist'/,
    forge: /^forge lint: src\/index\.ts: Cannot find exported function "doesNotExist"/,
  },
  {
    name: 'a timeout over 900 seconds',
    apply: (manifest) => {
      functionEntry(manifest, consumerFunctionKey(manifest)).timeoutSeconds = 901;
    },
    fast: /^schema: modules\.function\[[^\]]+\]\.timeoutSeconds must be <= 900/,
    forge: /^forge lint: manifest\.yml:\d+: function property timeoutSeconds must be <= 900/,
  },
  {
    name: 'an unknown runtime name',
    apply: (manifest) => {
      manifest.app.runtime.name = 'nodejs18.x';
    },
    fast: /^schema: app\.runtime\.name .*nodejs22\.x/,
    forge: /^forge lint: manifest\.yml:\d+: app runtime property name 'nodejs18\.x'/,
  },
];

afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the real manifest.yml', () => {
  // Fails while src/index.ts lacks a handler or the manifest has a problem @forge/lint
  // reports; the messages say which.
  test(
    'passes the schema, our rules and @forge/lint',
    async () => {
      const result = await checkManifest(join(repoRoot, 'manifest.yml'));
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
    },
    FORGE_LINT_TIMEOUT_MS,
  );
});

describe('a copy of the manifest in a scratch app', () => {
  test('passes the schema and our rules when nothing is broken', async () => {
    const dir = writeApp(realManifest());
    const result = await checkManifest(join(dir, 'manifest.yml'), { forgeLint: false });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    // Unbuilt front ends are a note, not a problem, as long as their source folders exist.
    expect(result.notes.length).toBeGreaterThan(0);
  });

  test.each(breaks)('is caught with $name', async ({ apply, fast }) => {
    const manifest = realManifest();
    apply(manifest);
    const dir = writeApp(manifest, realManifest().modules.function.map(handlerExport));
    const result = await checkManifest(join(dir, 'manifest.yml'), { forgeLint: false });
    expect(result.errors).toEqual(expect.arrayContaining([expect.stringMatching(fast)]));
  });

  test('is caught when a module uses a function key that is not declared', async () => {
    const manifest = realManifest();
    const consumers = manifest.modules.consumer as { function: string }[];
    consumers[0]!.function = 'no-such-function';
    const result = await checkManifest(join(writeApp(manifest), 'manifest.yml'), { forgeLint: false });
    expect(result.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/uses function 'no-such-function', which modules\.function does not declare/)]),
    );
  });

  test('is caught when a resource is not a front end build folder or has no source folder', async () => {
    const manifest = realManifest();
    manifest.resources.push({ key: 'stray', path: 'public' }, { key: 'ghost', path: 'static/ghost/build' });
    const dir = writeApp(manifest);
    rmSync(join(dir, 'static', 'ghost'), { recursive: true, force: true });
    const result = await checkManifest(join(dir, 'manifest.yml'), { forgeLint: false });
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/'stray' path 'public' is not the Vite build output/),
        expect.stringMatching(/'ghost' path static\/ghost\/build does not exist and neither does its source folder/),
      ]),
    );
  });

  test('is caught when src/index.ts is missing', async () => {
    const dir = writeApp(realManifest());
    rmSync(join(dir, 'src', 'index.ts'));
    const result = await checkManifest(join(dir, 'manifest.yml'), { forgeLint: false });
    expect(result.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^handlers: src\/index\.ts does not exist/)]));
  });

  test(
    'is caught by @forge/lint too, for every break at once',
    async () => {
      const manifest = realManifest();
      for (const { apply } of breaks) apply(manifest);
      const dir = writeApp(manifest, realManifest().modules.function.map(handlerExport));
      const result = await checkManifest(join(dir, 'manifest.yml'));
      const forgeLines = [...result.errors, ...result.warnings].filter((line) => line.startsWith('forge lint:'));
      // No line may say @forge/lint crashed, timed out or tried to reach a network.
      expect(forgeLines.filter((line) => /stopped after|network access|exited with|forge-lint-crash/.test(line))).toEqual([]);
      for (const { forge } of breaks) {
        expect(forgeLines).toEqual(expect.arrayContaining([expect.stringMatching(forge)]));
      }
    },
    FORGE_LINT_TIMEOUT_MS,
  );
});

describe('the export reader behind the handler check', () => {
  test('sees declarations, export lists and re-exports, but not types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exports-test-'));
    scratchDirs.push(dir);
    writeFileSync(
      join(dir, 'index.ts'),
      [
        "export * from './more.js';",
        "export { handler as renamed } from './elsewhere';",
        'export const direct = 1, { destructured } = { destructured: 2 };',
        'export async function declared(): Promise<void> {}',
        'export type OnlyAType = string;',
        'export interface AlsoAType { x: number }',
        "export type { Hidden } from './types';",
      ].join('\n'),
    );
    writeFileSync(join(dir, 'more.ts'), 'export const fromStar = 1;\nexport default 2;\n');
    expect([...collectExports(join(dir, 'index.ts'))].sort()).toEqual(
      ['declared', 'destructured', 'direct', 'fromStar', 'renamed'].sort(),
    );
  });
});
