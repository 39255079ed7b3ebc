/**
 * The pages are in English: their times, dates and numbers must not switch to the browser's
 * language. Checked in a process whose default locale is German (LANG), where Intl's defaults
 * would say "vor 7 Minuten" and "1.240".
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

it('writes times, dates and counts the English way under a German default locale', () => {
  const script = `
    const { timeAgo, dateTime } = require('./static/shared/format.ts');
    const { plural } = require('./src/shared/wording.ts');
    const now = Date.parse('2026-12-05T12:00:00Z');
    console.log(JSON.stringify({
      defaults: new Intl.RelativeTimeFormat(undefined).format(-7, 'minute'),
      ago: timeAgo('2026-12-05T11:53:00Z', now),
      date: dateTime('2026-12-05T11:53:00Z'),
      count: plural(1240, 'issue'),
    }));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', TZ: 'UTC' } });
  expect(run.stderr).toBe('');
  const out = JSON.parse(run.stdout) as { defaults: string; ago: string; date: string; count: string };
  // The process really is German by default, so the checks below could fail.
  expect(out.defaults).toBe('vor 7 Minuten');
  expect(out.ago).toBe('7 minutes ago');
  expect(out.date).toBe('5 Dec 2026, 11:53');
  expect(out.count).toBe('1,240 issues');
});
