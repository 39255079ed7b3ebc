/**
 * What the browser tests need from the machine, checked synchronously at load time
 * so a missing piece turns into `describe.skip` with a message saying what to do,
 * never into a silent pass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from './browser';

const SQL_URL = process.env['FORGE_SQL_URL'] ?? 'mysql://root@127.0.0.1:3306';

function mariaDbAnswers(): boolean {
  // A child process, because jest collects tests synchronously.
  const probe = `
    const mysql = require('mysql2/promise');
    mysql.createConnection(${JSON.stringify(SQL_URL)})
      .then((c) => c.query('SELECT 1').then(() => c.end()))
      .then(() => process.exit(0), () => process.exit(1));`;
  // A minute: the answer comes at once when MariaDB is up, but on a busy machine starting the
  // probe alone took over 10 s, which skipped a whole file of browser tests.
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: __dirname, timeout: 60_000 });
  return result.status === 0;
}

/** Why the sandbox browser tests cannot run here, or null when they can. */
export function missingForBrowserTests(): string | null {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`;
  if (!mariaDbAnswers()) return `MariaDB does not answer at ${SQL_URL} (start it, or set FORGE_SQL_URL)`;
  return null;
}

/** `describe`, or `describe.skip` after saying why on the console. */
export function describeIf(missing: string | null): jest.Describe {
  if (missing === null) return describe;
  console.warn(`Skipping browser tests: ${missing}.`);
  return describe.skip;
}
