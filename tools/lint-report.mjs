#!/usr/bin/env node
// Runs the same checks as `npm run lint` and writes the problems, grouped by the owner of
// each file (docs/notes/TEAM.md), between the lint-report markers of
// docs/notes/lint-ci.md. A working aid for the parallel session: the notes file keeps its
// hand-written parts; only the generated block is replaced.
//
//   node tools/lint-report.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const notesPath = join(root, 'docs', 'notes', 'lint-ci.md');
const START = '<!-- lint-report:start -->';
const END = '<!-- lint-report:end -->';

// First match wins: specific files before the folders that hold them.
const owners = [
  [/^src\/cli\/(eval|bench|analyze)\.ts$|^src\/cli\/lib\/|^src\/engine\/|^test\/engine\/|^test\/cli\/|^docs\/engine\.md$/, 'engine'],
  [/^src\/cli\/bench-pipeline\.ts$/, 'pipeline'],
  [/^sandbox\/runtime\/|^test\/runtime\//, 'runtime'],
  [/^sandbox\/jira\/|^sandbox\/seed\/|^src\/import\/|^test\/jira-standin\/|^test\/import\//, 'standin'],
  [/^tools\/|^eslint\.config\.mjs$|^\.ci\/|^test\/manifest\/|^README\.md$/, 'lint-ci'],
  [/^src\/index\.ts$|^src\/resolvers\/|^src\/jira\/(permissions|links|projects|users|jql|uim)\.ts$|^test\/resolvers\//, 'resolvers'],
  [/^src\/store\/|^src\/analysis\/|^src\/triggers\/|^src\/jira\/|^test\/store\/|^test\/analysis\/|^test\/jira\//, 'pipeline'],
  [/^static\/|^sandbox\/host\/|^sandbox\/start\.ts$|^test\/e2e\//, 'ui'],
  [/^manifest\.yml$|^src\/shared\/contract\.ts$|^jest\.config\.js$|(^|\/)tsconfig[^/]*\.json$|^package\.json$/, 'lead'],
];

function ownerOf(file) {
  return owners.find(([pattern]) => pattern.test(file))?.[1] ?? 'unassigned (lead to route)';
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? 1, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const problems = []; // { owner, file, line, rule, message, step }
const stepResults = [];

function addProblem(step, file, line, rule, message) {
  problems.push({ step, owner: ownerOf(file), file, line, rule, message: message.replace(/\s+/g, ' ').trim() });
}

function tscStep(name, args) {
  const { code, out } = run(bin('tsc'), args);
  let count = 0;
  for (const line of out.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line.trim());
    if (match) {
      count += 1;
      addProblem(name, relative(root, join(root, match[1])), Number(match[2]), match[3], match[4]);
    } else if (/error TS\d+/.test(line)) {
      count += 1;
      addProblem(name, 'tsconfig.json', 0, 'tsc', line);
    }
  }
  stepResults.push({ name, ok: code === 0, count });
}

tscStep('tsc-static', ['-b', 'static']);
tscStep('tsc', ['--noEmit', '-p', '.']);

{
  const { code, out } = run(bin('eslint'), ['.', '--max-warnings', '0', '--format', 'json']);
  let count = 0;
  const jsonStart = out.indexOf('[');
  try {
    for (const result of JSON.parse(out.slice(jsonStart))) {
      for (const message of result.messages) {
        count += 1;
        addProblem('eslint', relative(root, result.filePath), message.line ?? 0, message.ruleId ?? 'parse', message.message);
      }
    }
  } catch {
    count += 1;
    addProblem('eslint', 'eslint.config.mjs', 0, 'eslint', `could not read ESLint's output: ${out.slice(0, 300)}`);
  }
  stepResults.push({ name: 'eslint', ok: code === 0, count });
}

{
  const { code, out } = run(bin('tsx'), [join('tools', 'manifest-check.ts'), 'manifest.yml']);
  let count = 0;
  for (const line of out.split('\n')) {
    const match = /^\s+(error|warning): (.*)$/.exec(line);
    if (!match) continue;
    count += 1;
    const text = match[2];
    // Handler problems belong to whoever writes src/index.ts; the rest is the manifest's.
    const file = /^handlers:|Cannot find exported function|cannot find associated file/.test(text) ? 'src/index.ts' : 'manifest.yml';
    addProblem('manifest', file, 0, text.split(':')[0], text);
  }
  stepResults.push({ name: 'manifest', ok: code === 0, count });
}

const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const lines = [START, '', `### Last run: ${stamp}`, ''];
lines.push('| step | result | problems |', '| --- | --- | --- |');
for (const step of stepResults) lines.push(`| ${step.name} | ${step.ok ? 'ok' : 'FAILED'} | ${step.count} |`);
lines.push('');
const byOwner = new Map();
for (const problem of problems) byOwner.set(problem.owner, [...(byOwner.get(problem.owner) ?? []), problem]);
if (byOwner.size === 0) lines.push('No problems.');
for (const owner of [...byOwner.keys()].sort()) {
  const list = byOwner.get(owner);
  lines.push(`#### ${owner} (${list.length})`, '');
  for (const p of list) {
    const where = p.line ? `${p.file}:${p.line}` : p.file;
    const message = p.message.length > 160 ? `${p.message.slice(0, 157)}...` : p.message;
    lines.push(`- \`${where}\`: ${p.rule} (${p.step}): ${message}`);
  }
  lines.push('');
}
lines.push(END);

const previous = existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : `# Lint and CI notes\n\n${START}\n${END}\n`;
const startAt = previous.indexOf(START);
const endAt = previous.indexOf(END);
const next =
  startAt >= 0 && endAt > startAt
    ? `${previous.slice(0, startAt)}${lines.join('\n')}${previous.slice(endAt + END.length)}`
    : `${previous.trimEnd()}\n\n${lines.join('\n')}\n`;
writeFileSync(notesPath, next);
console.log(`lint-report: ${problems.length} problem(s) written to ${relative(root, notesPath)}`);
for (const step of stepResults) console.log(`  ${step.ok ? 'ok    ' : 'FAILED'} ${step.name} (${step.count})`);
