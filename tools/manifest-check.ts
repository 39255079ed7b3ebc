/**
 * Offline check of manifest.yml, in three layers:
 *  1. the JSON schema that ships in @forge/manifest (fast; catches bad enums, bad runtime
 *     names, out-of-range timeouts, unknown properties);
 *  2. checks of our own that Forge does not make: every function key a module uses is
 *     declared, every handler is exported by the file it names, every resource is a
 *     static/<surface>/build folder (or, before `npm run build`, its source folder);
 *  3. @forge/lint's client-side linters, run in a child process (see forge-lint-child.cjs)
 *     because `forge lint` itself needs an Atlassian login.
 *
 * Usage: `tsx tools/manifest-check.ts [manifest.yml]`, or import `checkManifest`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { collectExports } from './module-exports';

export interface ManifestCheckOptions {
  /** The file that `index.<name>` handlers resolve to; defaults to <manifest dir>/src/index.ts. */
  srcIndexPath?: string;
  /** Run @forge/lint too (15 s on an idle machine, a minute or two on a busy one). On by default. */
  forgeLint?: boolean;
  /**
   * Give up on @forge/lint after this long. Network access is refused in the child, so
   * this only guards against the unforeseen; it is generous because a loaded 2-core
   * machine can stretch a 15 s run to minutes.
   */
  forgeLintTimeoutMs?: number;
}

export interface ManifestCheckResult {
  errors: string[];
  warnings: string[];
  /** Facts worth printing that are not problems (for example: front ends not built yet). */
  notes: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const REPO_ROOT = resolve(__dirname, '..');
const SCHEMA_PATH = join(REPO_ROOT, 'node_modules/@forge/manifest/out/schema/manifest-schema.json');
const FORGE_CHILD = join(__dirname, 'forge-lint-child.cjs');
const SWAGGER_VARIABLES = ['JIRA', 'JSM', 'JSW', 'CONF', 'CONF_V2', 'BB'].map((product) => `LOCAL_${product}_SWAGGER`);
const RESOURCE_PATH = /^static\/([a-z0-9-]+)\/build\/?$/;

// Compiling the 2 MB schema takes seconds; one compiled validator serves every call.
let schemaValidator: ValidateFunction | undefined;

export async function checkManifest(manifestPath: string, options: ManifestCheckOptions = {}): Promise<ManifestCheckResult> {
  const result: ManifestCheckResult = { errors: [], warnings: [], notes: [] };
  const appDir = dirname(resolve(manifestPath));
  const srcIndexPath = resolve(options.srcIndexPath ?? join(appDir, 'src/index.ts'));

  let manifest: JsonObject;
  try {
    const parsed = parseYaml(readFileSync(manifestPath, 'utf8')) as Json;
    if (!isObject(parsed)) throw new Error('the document is not a mapping');
    manifest = parsed;
  } catch (error) {
    result.errors.push(`manifest: cannot read ${manifestPath}: ${errorMessage(error)}`);
    return result;
  }

  checkSchema(manifest, result);
  const builtLess = checkOwnRules(manifest, appDir, srcIndexPath, result);
  if (options.forgeLint !== false) {
    await runForgeLint(appDir, options.forgeLintTimeoutMs ?? 600_000, builtLess, result);
  }
  return result;
}

function checkSchema(manifest: JsonObject, result: ManifestCheckResult): void {
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonObject;
    // strict off: the schema uses annotations ajv does not know; logger off: it would
    // print one line per unknown string format.
    schemaValidator = new Ajv({ strict: false, allErrors: true, logger: false }).compile(schema);
  }
  if (schemaValidator(manifest)) return;
  for (const line of describeSchemaErrors(schemaValidator.errors ?? [], manifest)) result.errors.push(`schema: ${line}`);
}

/**
 * ajv reports every failed branch of a oneOf; the leaf errors (deepest instance paths)
 * are the ones that say what to fix, so parents of another error's path are dropped.
 */
function describeSchemaErrors(errors: ErrorObject[], manifest: JsonObject): string[] {
  const paths = errors.map((error) => error.instancePath);
  const lines = new Set<string>();
  for (const error of errors) {
    const hasDeeper = paths.some((path) => path.startsWith(`${error.instancePath}/`));
    if (hasDeeper || error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const where = error.instancePath === '' ? '(root)' : readablePath(manifest, error.instancePath);
    const allowed = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    const extra = error.keyword === 'additionalProperties' ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'` : '';
    lines.add(`${where} ${error.message ?? error.keyword}${extra}${allowed}`);
  }
  if (lines.size === 0 && errors[0]) lines.add(`${errors[0].instancePath || '(root)'} ${errors[0].message ?? 'is invalid'}`);
  return [...lines];
}

/** `/modules/function/5/timeoutSeconds` → `modules.function[analysis-worker].timeoutSeconds`. */
function readablePath(manifest: JsonObject, pointer: string): string {
  let node: Json | undefined = manifest;
  let readable = '';
  for (const part of pointer.slice(1).split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))) {
    if (Array.isArray(node)) {
      const item: Json | undefined = node[Number(part)];
      readable += isObject(item) && typeof item.key === 'string' ? `[${item.key}]` : `[${part}]`;
      node = item;
    } else {
      readable += readable === '' ? part : `.${part}`;
      node = isObject(node) ? node[part] : undefined;
    }
  }
  return readable;
}

/** Returns the resource paths whose build output is absent but whose source folder exists. */
function checkOwnRules(manifest: JsonObject, appDir: string, srcIndexPath: string, result: ManifestCheckResult): Set<string> {
  const modules = isObject(manifest.modules) ? manifest.modules : {};
  const functions = asObjects(modules.function);
  const declaredFunctions = new Map(functions.map((fn) => [text(fn.key), fn]));
  const resources = asObjects(manifest.resources);
  const declaredResources = new Set(resources.map((resource) => text(resource.key)));
  const usedFunctions = new Set<string>();
  const usedResources = new Set<string>();

  for (const [moduleType, entries] of Object.entries(modules)) {
    if (moduleType === 'function') continue;
    for (const entry of asObjects(entries)) {
      const where = `modules.${moduleType}[${text(entry.key)}]`;
      for (const functionKey of functionReferences(entry)) {
        usedFunctions.add(functionKey);
        if (!declaredFunctions.has(functionKey)) {
          result.errors.push(`manifest: ${where} uses function '${functionKey}', which modules.function does not declare`);
        }
      }
      for (const resourceKey of resourceReferences(entry)) {
        usedResources.add(resourceKey);
        if (!declaredResources.has(resourceKey)) {
          result.errors.push(`manifest: ${where} uses resource '${resourceKey}', which resources does not declare`);
        }
      }
    }
  }
  for (const key of declaredFunctions.keys()) {
    if (!usedFunctions.has(key)) result.warnings.push(`manifest: function '${key}' is declared but no module uses it`);
  }
  for (const key of declaredResources) {
    if (!usedResources.has(key)) result.warnings.push(`manifest: resource '${key}' is declared but no module uses it`);
  }

  checkHandlers(functions, appDir, srcIndexPath, result);
  return checkResourcePaths(resources, appDir, result);
}

/** Every `function: <key>` anywhere inside a module entry (resolver, dynamicProperties, …). */
function functionReferences(value: Json, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) functionReferences(item, found);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'function' && typeof child === 'string') found.push(child);
      else functionReferences(child, found);
    }
  }
  return found;
}

/** `resource: <key>` and `icon: resource:<key>;<path>` inside a module entry. */
function resourceReferences(value: Json, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) resourceReferences(item, found);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'resource' && typeof child === 'string') found.push(child);
      else if (typeof child === 'string' && child.startsWith('resource:')) found.push(child.slice('resource:'.length).split(';')[0] ?? '');
      else resourceReferences(child, found);
    }
  }
  return found;
}

function checkHandlers(functions: JsonObject[], appDir: string, srcIndexPath: string, result: ManifestCheckResult): void {
  const handlerDir = dirname(srcIndexPath);
  const exportsByFile = new Map<string, Set<string> | Error>();
  // One line per missing file, not one per handler it should hold.
  const missingFiles = new Map<string, string[]>();
  for (const fn of functions) {
    const handler = fn.handler;
    if (typeof handler !== 'string') continue;
    const match = /^([\w-]+)\.(\w+)$/.exec(handler);
    if (!match?.[1] || !match[2]) {
      result.errors.push(`handlers: function '${text(fn.key)}' handler '${handler}' is not of the form <file>.<export>`);
      continue;
    }
    const [, file, exportName] = match;
    const sourcePath = file === 'index' ? srcIndexPath : findSource(join(handlerDir, file));
    if (!sourcePath || !existsSync(sourcePath)) {
      const missing = relativeTo(appDir, sourcePath ?? `${join(handlerDir, file)}.ts`);
      missingFiles.set(missing, [...(missingFiles.get(missing) ?? []), handler]);
      continue;
    }
    let exported = exportsByFile.get(sourcePath);
    if (!exported) {
      try {
        exported = collectExports(sourcePath);
      } catch (error) {
        exported = error instanceof Error ? error : new Error(String(error));
      }
      exportsByFile.set(sourcePath, exported);
    }
    if (exported instanceof Error) {
      result.errors.push(`handlers: cannot read the exports of ${relativeTo(appDir, sourcePath)}: ${exported.message}`);
    } else if (!exported.has(exportName)) {
      result.errors.push(`handlers: function '${text(fn.key)}' names ${handler}, but ${relativeTo(appDir, sourcePath)} does not export '${exportName}'`);
    }
  }
  for (const [file, handlers] of missingFiles) {
    result.errors.push(`handlers: ${file} does not exist, but the manifest names ${handlers.join(', ')}`);
  }
}

function findSource(withoutExtension: string): string | undefined {
  return ['.ts', '.tsx', '.js'].map((ext) => withoutExtension + ext).find((path) => existsSync(path));
}

function checkResourcePaths(resources: JsonObject[], appDir: string, result: ManifestCheckResult): Set<string> {
  const builtLess = new Set<string>();
  for (const resource of resources) {
    const path = text(resource.path);
    const surface = RESOURCE_PATH.exec(path)?.[1];
    if (!surface) {
      result.errors.push(`resources: '${text(resource.key)}' path '${path}' is not the Vite build output of a front end (static/<surface>/build)`);
      continue;
    }
    const buildDir = join(appDir, path);
    const sourceDir = join(appDir, 'static', surface);
    if (isDirectory(buildDir)) {
      if (!existsSync(join(buildDir, 'index.html'))) {
        result.errors.push(`resources: '${text(resource.key)}' build folder ${path} has no index.html`);
      }
    } else if (isDirectory(sourceDir)) {
      builtLess.add(path.replace(/\/$/, ''));
      result.notes.push(`resources: ${path} is not built yet; its source folder static/${surface}/ exists (run \`npm run build\` to check the build itself)`);
    } else {
      result.errors.push(`resources: '${text(resource.key)}' path ${path} does not exist and neither does its source folder static/${surface}/`);
    }
  }
  return builtLess;
}

interface ForgeProblem {
  level: 'error' | 'warning' | 'approval';
  file: string;
  line: number;
  message: string;
  reference?: string;
}

async function runForgeLint(appDir: string, timeoutMs: number, builtLess: Set<string>, result: ManifestCheckResult): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'manifest-check-'));
  try {
    const swagger = join(scratch, 'empty-swagger.json');
    writeFileSync(swagger, '{"paths":{}}');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      USE_LOCAL_SWAGGER: '1',
      // @forge/cli-shared keeps a cache under the user's config folder; keep it in scratch.
      XDG_CONFIG_HOME: scratch,
    };
    for (const name of SWAGGER_VARIABLES) env[name] = swagger;
    const files = sourceFilesForForge(appDir);
    const output = await runChild(process.execPath, [FORGE_CHILD, JSON.stringify(files)], appDir, env, timeoutMs);
    const lastLine = output.stdout.trim().split('\n').pop() ?? '';
    let problems: ForgeProblem[];
    try {
      problems = (JSON.parse(lastLine) as { problems: ForgeProblem[] }).problems;
    } catch {
      const reason = output.timedOut
        ? `stopped after ${timeoutMs / 1000} s without an answer (network access is refused in the child, so suspect an overloaded machine or a bug)`
        : `exited with ${String(output.code)}`;
      result.errors.push(`forge lint: ${reason}: ${output.stderr.trim().split('\n').slice(-5).join(' | ')}`);
      return;
    }
    for (const problem of problems) {
      const missingResource = /^missing resource '([^']+)'/.exec(problem.message)?.[1];
      // Before `npm run build` the build folders cannot exist; checkResourcePaths has
      // already checked the source folder and said so in a note.
      if (missingResource && builtLess.has(missingResource.replace(/\/$/, ''))) continue;
      const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : '';
      const line = `forge lint: ${where}${problem.message}${problem.reference ? ` [${problem.reference}]` : ''}`;
      if (problem.level === 'error') result.errors.push(line);
      else result.warnings.push(line);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The app's source files as paths relative to appDir: in a git checkout, the ones git
 * would commit (scratch files that .gitignore hides are nobody's business here and may be
 * half-written); elsewhere (the tests' scratch apps), every file under src/.
 */
function sourceFilesForForge(appDir: string): string[] {
  const git = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'src'], {
    cwd: appDir,
    encoding: 'utf8',
  });
  if (git.status === 0 && git.stdout.trim() !== '') {
    return git.stdout
      .split('\n')
      .filter((file) => /\.(ts|tsx|js|jsx)$/.test(file) && !file.endsWith('.d.ts') && existsSync(join(appDir, file)))
      .sort();
  }
  return listSourceFiles(join(appDir, 'src')).map((file) => relative(appDir, file));
}

function listSourceFiles(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listSourceFiles(path));
    else if (/\.(ts|tsx|js|jsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

function runChild(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, timedOut });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ code: null, stdout, stderr: `${stderr}\n${error.message}`, timedOut });
    });
  });
}

/** A manifest value as text for messages and keys; non-strings are shown as JSON. */
function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObjects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function relativeTo(appDir: string, path: string): string {
  return relative(appDir, path) || path;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const manifestPath = process.argv[2] ?? 'manifest.yml';
  const started = Date.now();
  const { errors, warnings, notes } = await checkManifest(manifestPath);
  for (const note of notes) console.log(`  note: ${note}`);
  for (const warning of warnings) console.log(`  warning: ${warning}`);
  for (const error of errors) console.log(`  error: ${error}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`  manifest check: ${errors.length} error(s), ${warnings.length} warning(s) in ${seconds} s`);
  // Warnings fail too: the repository keeps a zero-warning policy.
  process.exitCode = errors.length + warnings.length > 0 ? 1 : 0;
}

if (require.main === module) {
  void main();
}
