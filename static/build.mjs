// Builds every Custom UI surface with Vite's JS API into static/<surface>/build and
// checks each surface's JavaScript against the size budget.
//
//   node static/build.mjs                 build all four surfaces
//   node static/build.mjs project-page    build the named surfaces only
//   node static/build.mjs --if-needed     skip surfaces whose build is newer than their sources
//
// The budget counts every JS file a surface ships (lazy chunks included), because
// Forge serves them all and a reviewer measuring the bundle will count them too.
import { build } from 'vite';
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const SURFACES = ['issue-panel', 'create-check', 'project-page', 'admin-page'];
const BUDGET_GZIP_BYTES = 300 * 1024;

const args = process.argv.slice(2);
const ifNeeded = args.includes('--if-needed');
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((n) => !SURFACES.includes(n));
if (unknown.length > 0) {
  console.error(`Unknown surface(s): ${unknown.join(', ')}. Known: ${SURFACES.join(', ')}`);
  process.exit(2);
}
const surfaces = named.length > 0 ? named : SURFACES;

/** Newest modification time under a directory, ignoring build output. */
function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'build' || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

function isUpToDate(surface) {
  const marker = join(here, surface, 'build', 'index.html');
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  const sources = Math.max(
    newestMtime(join(here, surface)),
    newestMtime(join(here, 'shared')),
    statSync(join(repoRoot, 'src', 'shared', 'contract.ts')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  return built >= sources;
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function measure(surface) {
  const outDir = join(here, surface, 'build');
  const files = listFiles(outDir).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  // What the page loads before anything lazy: the scripts and preloads index.html names.
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\.\/([^"]+\.js)"/g)].map((m) => m[1]));
  let jsRaw = 0;
  let jsGzip = 0;
  let initialGzip = 0;
  const rows = [];
  for (const file of files) {
    const buf = readFileSync(file);
    const gz = gzipSync(buf, { level: 9 }).length;
    const name = relative(outDir, file);
    rows.push({ file: name, raw: buf.length, gz });
    if (file.endsWith('.js')) {
      jsRaw += buf.length;
      jsGzip += gz;
      if (initial.has(name)) initialGzip += gz;
    }
  }
  return { rows, jsRaw, jsGzip, initialGzip };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

async function buildSurface(surface) {
  const root = join(here, surface);
  await build({
    configFile: false,
    root,
    // Forge serves resources from a CDN path, so every asset URL must be relative.
    base: './',
    logLevel: 'warn',
    publicDir: join(root, 'public'),
    // Production JSX whatever NODE_ENV says: the tests build under jest (NODE_ENV=test), and
    // dev-mode JSX (jsxDEV) against the production React the define below selects breaks every page.
    oxc: { jsx: { runtime: 'automatic', development: false } },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: join(root, 'build'),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      // Chart.js and React are fine to ship in one chunk; the budget check below is the real guard.
      chunkSizeWarningLimit: 1024,
    },
  });
}

let failed = false;
const summary = [];
for (const surface of surfaces) {
  if (ifNeeded && isUpToDate(surface)) {
    console.log(`${surface}: up to date, skipped`);
    continue;
  }
  const started = Date.now();
  try {
    await buildSurface(surface);
  } catch (err) {
    console.error(`${surface}: build failed`);
    console.error(err instanceof Error ? err.message : err);
    failed = true;
    continue;
  }
  const { rows, jsRaw, jsGzip, initialGzip } = measure(surface);
  const over = jsGzip > BUDGET_GZIP_BYTES;
  if (over) failed = true;
  console.log(`\n${surface} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kb(r.raw).padStart(10)} raw ${kb(r.gz).padStart(10)} gzip`);
  console.log(`  JS total: ${kb(jsRaw)} raw, ${kb(jsGzip)} gzip (initial load ${kb(initialGzip)} gzip)${over ? `  OVER BUDGET (${kb(BUDGET_GZIP_BYTES)})` : ''}`);
  summary.push({ surface, jsRaw, jsGzip, initialGzip, over });
}

if (summary.length > 0) {
  console.log('\nsurface          JS raw      JS gzip   initial gzip   (budget: 300 KB gzip for all JS)');
  for (const s of summary) {
    console.log(`${s.surface.padEnd(16)} ${kb(s.jsRaw).padStart(10)} ${kb(s.jsGzip).padStart(10)} ${kb(s.initialGzip).padStart(12)}${s.over ? '  OVER' : ''}`);
  }
}
if (failed) {
  console.error('\nBuild failed (see above).');
  process.exit(1);
}
