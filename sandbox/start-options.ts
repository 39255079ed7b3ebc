/**
 * `npm start`'s command line: its options, PORT, SANDBOX_DATABASE, and the text `--help`
 * prints. A mistyped option, a missing value, a bad PORT, a database name MariaDB would not
 * take, a project key Jira would not take or an --import path that is not a file is said in
 * one sentence before anything is built or started.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { SandboxOptions } from './start';

export class SandboxStartError extends Error {
  override readonly name = 'SandboxStartError';
}

export const USAGE = `Usage: npm start -- [options]

Starts the sandbox (the Jira stand-in, the local Forge runtime and the app's pages in a
Jira-like shell) and prints "ready: <url>" once the shell answers. Ctrl-C stops it.

Options:
  --import FILE    load a Jira CSV export instead of the sample backlog (SHOP, MOB, OPS),
                   for example ../shared/datasets/hadoop-jira/hadoop_bugs.csv
  --project KEY    the project key for the imported issues (default: the file name's
                   first word, hadoop_bugs.csv -> HADOOP); a Jira project key: 2 to 10
                   letters, digits or underscores, a letter first (upper-cased)
  --database NAME  the MariaDB database for the app's data (default dedupe_sandbox, or
                   dedupe_sandbox_<key> with --import; NAME_rt beside it holds the
                   runtime's); a second sandbox on a database one already uses refuses
                   to start, so give each checkout's sandbox a database of its own
  --fresh          drop the sandbox's database first and start over
  --no-analysis    do not start the first analysis of a backlog never analysed
  --verbose        print the start-up steps and the app's logs (otherwise the logs go
                   to .sandbox/sandbox.log)
  --help           print this and exit

Environment:
  PORT             the shell's port (default 8080)
  FORGE_SQL_URL    the MariaDB or MySQL server (default mysql://root@127.0.0.1:3306)
  SANDBOX_DATABASE the database, as --database (which wins over it)
`;

const OPTIONS = 'Options: --import FILE [--project KEY], --database NAME, --fresh, --no-analysis, --verbose, --help.';

/** A name MariaDB takes unquoted, with room for the runtime database's `_rt` (60 characters at most). */
const DATABASE_NAME = /^[A-Za-z0-9_]{1,57}$/;

function databaseName(name: string, given: string): string {
  if (!DATABASE_NAME.test(name)) throw new SandboxStartError(`${given}: a database name is 1 to 57 letters, digits or underscores.`);
  return name;
}

/**
 * Jira's rule for a project key, with its default length: an upper-case letter, then upper-case
 * letters, digits or underscores, 2 to 10 characters in all. Such a key also makes a database
 * name MariaDB takes unquoted (`dedupe_sandbox_<key>`, 25 characters at most).
 */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

/** `--project KEY`, upper-cased as Jira's create form does ("hdfs" is HDFS), or refused with Jira's rule. */
function projectKey(given: string): string {
  const key = given.toUpperCase();
  if (!PROJECT_KEY.test(key)) {
    throw new SandboxStartError(`--project ${given}: a Jira project key is 2 to 10 letters, digits or underscores, starting with a letter (such as HADOOP or HDFS_2).`);
  }
  return key;
}

/**
 * `../hadoop_bugs.csv` → `HADOOP`: the file name's first word, as a Jira project key (its
 * first 10 characters; IMPORT when it has fewer than 2 or starts with no letter).
 */
export function projectKeyFor(file: string): string {
  const word = (/^[A-Za-z][A-Za-z0-9]*/.exec(basename(file))?.[0] ?? '').slice(0, 10).toUpperCase();
  return PROJECT_KEY.test(word) ? word : 'IMPORT';
}

/** An option's value: the next argument, unless there is none or it is another option. */
function valueOf(argv: readonly string[], i: number, what: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--') || value === '') throw new SandboxStartError(`${argv[i]} needs ${what}.`);
  return value;
}

function importFile(path: string, cwd: string): string {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw new SandboxStartError(`--import ${path}: ${file} does not exist.`);
  if (statSync(file).isDirectory()) throw new SandboxStartError(`--import ${path}: ${file} is a folder; give the path of the CSV export itself.`);
  return file;
}

function portOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SandboxStartError(`PORT=${raw} is not a port number (0 to 65535).`);
  return port;
}

export type StartCommand = { help: true } | { help: false; options: SandboxOptions };

/** `npm start -- <argv>` with `env` (PORT, SANDBOX_DATABASE) in `cwd` → what to do; throws SandboxStartError with a sentence. */
export function parseStartArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): StartCommand {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const options: SandboxOptions = { database: 'dedupe_sandbox', dropOnStop: false, firstAnalysis: true };
  let database: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fresh') options.fresh = true;
    else if (arg === '--database') {
      const name = valueOf(argv, i++, 'a database name, such as dedupe_sandbox_2');
      database = databaseName(name, `--database ${name}`);
    }
    else if (arg === '--import') options.importCsv = importFile(valueOf(argv, i++, 'the path of a Jira CSV export'), cwd);
    else if (arg === '--project') options.importProject = projectKey(valueOf(argv, i++, 'a project key, such as HADOOP'));
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--no-analysis') options.firstAnalysis = false;
    else throw new SandboxStartError(`Unknown option ${arg}. ${OPTIONS}`);
  }
  if (options.importProject !== undefined && options.importCsv === undefined) {
    throw new SandboxStartError(`--project ${options.importProject} names the project of the issues --import loads: give --import FILE too.`);
  }
  options.port = portOf(env['PORT']);
  const fromEnv = env['SANDBOX_DATABASE'];
  if (database === undefined && fromEnv !== undefined && fromEnv !== '') database = databaseName(fromEnv, `SANDBOX_DATABASE=${fromEnv}`);
  if (database !== undefined) options.database = database;
  // One database per data set, so switching between them never mixes their pairs.
  else if (options.importCsv) {
    options.database = `dedupe_sandbox_${(options.importProject ?? projectKeyFor(options.importCsv)).toLowerCase()}`;
  }
  return { help: false, options };
}
