#!/usr/bin/env node
// `npm run lint`: every static check the repository has, one step after another, each
// announced and timed. All steps run even after a failure so one run lists every
// problem; the exit code is 1 if any step failed. Warnings count as failures.
//
//   npm run lint                      all steps
//   npm run lint -- --only eslint     just the named step(s), comma-separated
//   npm run lint -- --skip manifest   everything but the named step(s)
//
// Steps run one at a time: the machines this runs on have two cores, shared.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const steps = [
  {
    name: 'tsc-static',
    title: 'type-check the Custom UI front ends (tsc -b static)',
    // static/ is a composite project (the root tsconfig references it); -b keeps its
    // declaration output in .tsc-cache/static (inside the checkout, so that checkouts sharing one
    // node_modules do not read each other's declarations) and skips it when unchanged.
    command: [bin('tsc'), '-b', 'static'],
  },
  {
    name: 'tsc',
    title: 'type-check src, test, sandbox and tools (tsc --noEmit -p .)',
    command: [bin('tsc'), '--noEmit', '-p', '.'],
  },
  {
    name: 'eslint',
    title: 'ESLint, zero warnings (eslint . --max-warnings 0)',
    command: [bin('eslint'), '.', '--max-warnings', '0'],
  },
  {
    name: 'manifest',
    title: 'manifest.yml offline: schema, own rules, @forge/lint client-side',
    command: [bin('tsx'), join('tools', 'manifest-check.ts'), 'manifest.yml'],
  },
];

function pickSteps(argv) {
  const option = (flag) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? (argv[index + 1] ?? '').split(',').filter(Boolean) : undefined;
  };
  const only = option('--only');
  const skip = option('--skip') ?? [];
  const unknown = [...(only ?? []), ...skip].filter((name) => !steps.some((step) => step.name === name));
  if (unknown.length > 0) {
    console.error(`lint: unknown step(s) ${unknown.join(', ')}; steps are ${steps.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  return steps.filter((step) => (only ? only.includes(step.name) : true) && !skip.includes(step.name));
}

function run([command, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (error) => {
      console.error(`lint: cannot start ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

const selected = pickSteps(process.argv.slice(2));
const outcomes = [];
for (const [index, step] of selected.entries()) {
  console.log(`\n[lint ${index + 1}/${selected.length}] ${step.name}: ${step.title}`);
  const started = Date.now();
  const code = await run(step.command);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  outcomes.push({ step, code, seconds });
  console.log(`[lint ${index + 1}/${selected.length}] ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s`);
}

console.log('\nlint summary:');
for (const { step, code, seconds } of outcomes) {
  console.log(`  ${code === 0 ? 'ok    ' : 'FAILED'} ${step.name} (${seconds} s)`);
}
const failed = outcomes.filter((outcome) => outcome.code !== 0);
if (failed.length > 0) {
  console.log(`lint: ${failed.length} step(s) failed`);
  process.exitCode = 1;
} else {
  console.log('lint: all steps passed');
}
