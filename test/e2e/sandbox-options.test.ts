/**
 * `npm start`'s command line: `--help`, the options' values, PORT, SANDBOX_DATABASE, and a
 * database name that will not do, a --project key Jira would not take, or an --import file that
 * is missing, a folder or not a Jira export, each refused with a sentence before anything is
 * built or started (no browser, no database).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/start';
import { parseStartArgs, projectKeyFor, SandboxStartError, type StartCommand } from '../../sandbox/start-options';

const ROOT = join(__dirname, '..', '..');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-options-'));
  writeFileSync(join(dir, 'hadoop_bugs.csv'), 'Summary,Issue id,Created\nDisk full,1,30/Sep/21 17:20\n');
  writeFileSync(join(dir, 'search.json'), '{"expand":"names","issues":[]}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(command: StartCommand) {
  if (command.help) throw new Error('expected options, got --help');
  return command.options;
}

/** The sentence parseStartArgs refuses `argv` with. */
function refusal(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseStartArgs(argv, env, dir);
  } catch (err) {
    expect(err).toBeInstanceOf(SandboxStartError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseStartArgs', () => {
  it('starts the sample backlog on 8080 by default, and takes PORT', () => {
    expect(options(parseStartArgs([], {}, dir))).toEqual({ database: 'dedupe_sandbox', dropOnStop: false, firstAnalysis: true, port: 8080 });
    expect(options(parseStartArgs(['--fresh', '--no-analysis', '--verbose'], { PORT: '9000' }, dir))).toMatchObject({ fresh: true, firstAnalysis: false, verbose: true, port: 9000 });
  });

  it('reads --import relative to the folder it runs in, with a database of its own', () => {
    expect(options(parseStartArgs(['--import', 'hadoop_bugs.csv'], {}, dir))).toMatchObject({ importCsv: join(dir, 'hadoop_bugs.csv'), database: 'dedupe_sandbox_hadoop' });
    expect(options(parseStartArgs(['--import', 'hadoop_bugs.csv', '--project', 'HDFS'], {}, dir))).toMatchObject({ importProject: 'HDFS', database: 'dedupe_sandbox_hdfs' });
  });

  it('takes the database from --database, else SANDBOX_DATABASE, over the one an import would have', () => {
    expect(options(parseStartArgs(['--database', 'dedupe_sandbox_2'], {}, dir))).toMatchObject({ database: 'dedupe_sandbox_2', dropOnStop: false });
    expect(options(parseStartArgs([], { SANDBOX_DATABASE: 'checkout_b' }, dir))).toMatchObject({ database: 'checkout_b' });
    expect(options(parseStartArgs(['--database', 'mine'], { SANDBOX_DATABASE: 'checkout_b' }, dir))).toMatchObject({ database: 'mine' });
    expect(options(parseStartArgs(['--import', 'hadoop_bugs.csv'], { SANDBOX_DATABASE: 'checkout_b' }, dir))).toMatchObject({ importCsv: join(dir, 'hadoop_bugs.csv'), database: 'checkout_b' });
    expect(options(parseStartArgs([], { SANDBOX_DATABASE: '' }, dir))).toMatchObject({ database: 'dedupe_sandbox' });
  });

  it('refuses a database name MariaDB would need quoted, or too long for its runtime twin', () => {
    expect(refusal(['--database'])).toBe('--database needs a database name, such as dedupe_sandbox_2.');
    expect(refusal(['--database', 'my-db'])).toBe('--database my-db: a database name is 1 to 57 letters, digits or underscores.');
    expect(refusal(['--database', 'x'.repeat(58)])).toBe(`--database ${'x'.repeat(58)}: a database name is 1 to 57 letters, digits or underscores.`);
    expect(refusal([], { SANDBOX_DATABASE: 'a;drop' })).toBe('SANDBOX_DATABASE=a;drop: a database name is 1 to 57 letters, digits or underscores.');
  });

  it('refuses a --project key Jira would not take, naming the rule, and one without --import', () => {
    const rule = 'a Jira project key is 2 to 10 letters, digits or underscores, starting with a letter (such as HADOOP or HDFS_2).';
    for (const key of ['X-Y', 'HDFS 2', '2HDFS', '_HDFS', 'H', 'ABCDEFGHIJK', 'ÄRGER', 'x;drop']) {
      expect(refusal(['--import', 'hadoop_bugs.csv', '--project', key])).toBe(`--project ${key}: ${rule}`);
    }
    expect(refusal(['--project', 'HDFS'])).toBe('--project HDFS names the project of the issues --import loads: give --import FILE too.');
  });

  it('takes any key Jira takes, upper-cased, with a database MariaDB takes unquoted', () => {
    for (const [given, key] of [['hdfs', 'HDFS'], ['HDFS_2', 'HDFS_2'], ['AB', 'AB'], ['ABCDEFGHIJ', 'ABCDEFGHIJ'], ['a1_', 'A1_']] as const) {
      const parsed = options(parseStartArgs(['--import', 'hadoop_bugs.csv', '--project', given], {}, dir));
      expect(parsed).toMatchObject({ importProject: key, database: `dedupe_sandbox_${key.toLowerCase()}` });
      expect(parsed.database).toMatch(/^[a-z0-9_]{1,57}$/);
    }
  });

  it('makes a Jira project key of any file name: its first word, at most 10 characters, else IMPORT', () => {
    expect(projectKeyFor('/data/hadoop_bugs.csv')).toBe('HADOOP');
    expect(projectKeyFor('/data/mapreduceandyarnbugs-2024.csv')).toBe('MAPREDUCEA');
    expect(projectKeyFor('/data/a.csv')).toBe('IMPORT');
    expect(projectKeyFor('/data/2024-export.csv')).toBe('IMPORT');
    expect(projectKeyFor('/data/-x.csv')).toBe('IMPORT');
    writeFileSync(join(dir, `${'w'.repeat(60)}.csv`), 'Summary,Issue id,Created\nDisk full,1,30/Sep/21 17:20\n');
    expect(options(parseStartArgs(['--import', `${'w'.repeat(60)}.csv`], {}, dir)).database).toBe(`dedupe_sandbox_${'w'.repeat(10)}`);
  });

  it('answers --help (or -h) wherever it stands, before checking anything else', () => {
    expect(parseStartArgs(['--help'], {}, dir)).toEqual({ help: true });
    expect(parseStartArgs(['--import', 'missing.csv', '-h'], { PORT: 'x' }, dir)).toEqual({ help: true });
  });

  it('refuses an option without its value', () => {
    expect(refusal(['--import'])).toBe('--import needs the path of a Jira CSV export.');
    expect(refusal(['--import', '--fresh'])).toBe('--import needs the path of a Jira CSV export.');
    expect(refusal(['--import', 'hadoop_bugs.csv', '--project'])).toBe('--project needs a project key, such as HADOOP.');
  });

  it('refuses an --import path that is missing or a folder, naming the path it looked at', () => {
    expect(refusal(['--import', 'nope.csv'])).toBe(`--import nope.csv: ${join(dir, 'nope.csv')} does not exist.`);
    expect(refusal(['--import', '.'])).toBe(`--import .: ${dir} is a folder; give the path of the CSV export itself.`);
  });

  it('refuses an unknown option and a PORT that is not a port, saying what is allowed', () => {
    expect(refusal(['--frsh'])).toBe('Unknown option --frsh. Options: --import FILE [--project KEY], --database NAME, --fresh, --no-analysis, --verbose, --help.');
    for (const port of ['abc', '80.5', '-1', '70000']) expect(refusal([], { PORT: port })).toBe(`PORT=${port} is not a port number (0 to 65535).`);
  });
});

it('refuses a file that is not a Jira export before building or starting anything', async () => {
  const file = join(dir, 'search.json');
  // build true and a database server nobody listens on: the import is refused before either is
  // reached (the error is the import's, not the connection's, and no build step is logged).
  const saved = process.env['FORGE_SQL_URL'];
  process.env['FORGE_SQL_URL'] = 'mysql://root@127.0.0.1:1';
  const logged: string[] = [];
  const errors = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
  try {
    await expect(startSandbox({ importCsv: file, build: true, verbose: true })).rejects.toThrow(
      new SandboxStartError(
        `Cannot import ${file}: The file is a JSON document (such as a Jira REST API answer), not CSV. ` +
          'Expected a CSV file exported from Jira (Filters → Export → CSV): a header row with at least "Summary" and "Issue id" columns, then one row per issue.',
      ),
    );
  } finally {
    errors.mockRestore();
    if (saved === undefined) delete process.env['FORGE_SQL_URL'];
    else process.env['FORGE_SQL_URL'] = saved;
  }
  expect(logged).toEqual([`[sandbox] importing ${file}`]);
});

it('npm start -- --project with a key Jira would not take says so in one line and exits 1, before building or starting', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/start.ts', '--import', join(dir, 'hadoop_bugs.csv'), '--project', 'X-Y'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    // A database server nobody listens on: the key is refused before any is asked.
    env: { ...process.env, FORGE_SQL_URL: 'mysql://root@127.0.0.1:1' },
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe('--project X-Y: a Jira project key is 2 to 10 letters, digits or underscores, starting with a letter (such as HADOOP or HDFS_2).\n');
});

it('npm start -- --help prints the options and exits 0 without starting', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/start.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PORT: 'not-a-port' } });
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  for (const option of ['--import FILE', '--project KEY', '--database NAME', '--fresh', '--no-analysis', '--verbose', '--help', 'PORT', 'FORGE_SQL_URL', 'SANDBOX_DATABASE']) expect(result.stdout).toContain(option);
  expect(result.stdout).not.toMatch(/^ready: http/m);
});
