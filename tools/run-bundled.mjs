// Runs a TypeScript command-line entry the way the app ships its code: bundled by esbuild
// into one file under build/cli/, then run by plain node, with no TypeScript loader in the
// process.
//
//   node tools/run-bundled.mjs src/cli/bench.ts [args...]
//
// The speed benchmark runs this way. Forge deploys a bundle, and the same scan measured
// under tsx took 14-25 % longer at 100,000 issues (BENCHMARKS.md, seventh session), even
// when the code tsx ran was the very same bundle: what the loader does to the process is
// not the engine's cost.
import { build, stop } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node tools/run-bundled.mjs <entry.ts> [args...]');
  process.exit(2);
}
// build/cli sits as deep as src/cli, so paths the entry resolves from its own folder
// (the dev set in ../shared) resolve the same.
const outDir = join(root, 'build', 'cli');
const outFile = join(outDir, `${basename(entry, '.ts')}.js`);
const result = await build({
  entryPoints: [resolve(root, entry)],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
// esbuild keeps a service process for later builds; none follow, and a benchmark should not
// run beside it.
await stop();
mkdirSync(outDir, { recursive: true });
// Written whole and renamed into place: a run already under way keeps a complete file.
const temporary = `${outFile}.${process.pid}.tmp`;
writeFileSync(temporary, result.outputFiles[0].contents);
renameSync(temporary, outFile);

const child = spawn(process.execPath, [outFile, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
