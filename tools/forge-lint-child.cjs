'use strict';
// Runs @forge/lint's client-side linters on the app in the current directory and prints
// one JSON line with the results. It is a child process because @forge/lint reads
// manifest.yml, tsconfig.json and resource folders relative to process.cwd(), and
// changing the cwd of a test worker or of the lint driver would be a shared-state bug.
//
// Offline by construction: the swagger files come from USE_LOCAL_SWAGGER/LOCAL_*_SWAGGER
// (set by the parent), statsig is a stub, and every outbound socket, DNS lookup and fetch
// is refused below, so a code path we did not foresee fails loudly instead of hanging.

const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const networkAttempts = [];

function refuse(what) {
  networkAttempts.push(what);
  return new Error(`forge-lint-child: network access refused (${what})`);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  // Local IPC (a path string or { path }) is not the network; everything else is.
  const isIpc = typeof first === 'string' || (first && typeof first === 'object' && 'path' in first && first.path);
  if (isIpc) return originalConnect.apply(this, args);
  const error = refuse(`socket ${JSON.stringify(first && typeof first === 'object' ? { host: first.host, port: first.port } : args.slice(0, 2))}`);
  process.nextTick(() => this.destroy(error));
  return this;
};
dns.lookup = (hostname, _options, callback) => {
  const cb = typeof _options === 'function' ? _options : callback;
  process.nextTick(() => cb(refuse(`dns ${hostname}`)));
};
globalThis.fetch = async (input) => {
  throw refuse(`fetch ${String(input)}`);
};

const MANIFEST_PARSE_REFERENCE = 'manifest-parse';

async function main() {
  const files = JSON.parse(process.argv[2] ?? '[]');
  const { lint } = require('@forge/lint');
  const YAML = require('yaml');

  const manifest = YAML.parse(fs.readFileSync('manifest.yml', 'utf8'));
  // Forge's own logger prints progress; the parent wants only the structured results.
  const silent = () => undefined;
  const logger = { info: silent, warn: silent, error: silent, debug: silent, trace: silent };
  // The real StatsigService asks a remote feature-flag service for the list of deprecated
  // runtimes. The schema already rejects unknown runtime names, so an empty list is honest.
  const statsig = { getDeprecatedRuntimes: async () => [] };

  const results = await lint(files, manifest, 'development', logger, statsig, {
    linter: { mode: 'client-side' },
    // The default parser asks typescript-estree for a full type-aware program, which fails
    // on tsconfig layouts with project references and costs seconds. The linters only
    // need the syntax tree; tsc does the type checking in its own step.
    parseFunction: async (filepath, parser) => ({
      ast: await parser(fs.readFileSync(filepath, 'utf8'), filepath, {
        project: undefined,
        tsconfigRootDir: undefined,
      }),
      filepath,
    }),
  });

  const problems = [];
  for (const result of results) {
    const file = path.relative(process.cwd(), path.resolve(result.file)) || result.file;
    for (const [level, list] of [
      ['error', result.errors],
      ['warning', result.warnings],
      ['approval', result.approvals],
    ]) {
      for (const item of list) {
        problems.push({ level, file, line: item.line, message: item.message, reference: item.reference });
      }
    }
  }
  return problems;
}

main().then(
  (problems) => {
    for (const attempt of networkAttempts) {
      problems.push({ level: 'error', file: '', line: 0, message: `network access attempted: ${attempt}`, reference: 'offline' });
    }
    process.stdout.write(`${JSON.stringify({ problems })}\n`);
  },
  (error) => {
    const message = error instanceof Error ? error.message : String(error);
    const reference = /yaml|yml/i.test(message) ? MANIFEST_PARSE_REFERENCE : 'forge-lint-crash';
    process.stdout.write(`${JSON.stringify({ problems: [{ level: 'error', file: '', line: 0, message, reference }] })}\n`);
  },
);
