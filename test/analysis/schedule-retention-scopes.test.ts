/**
 * Retention keeps the newest good run of every project in the settings, and of all projects,
 * however old; a project taken out of the settings loses its runs by age like any other (their
 * rows name who started them). The personal data report, which the same trigger makes after
 * retention, then no longer reports the starter of a run that went, and still reports and erases
 * the starter of one kept.
 */
import { reportPersonalData } from '../../src/analysis/personal-data';
import { FORMER_USER } from '../../src/shared/wording';
import { getSettings, saveSettings } from '../../src/store/settings';
import { startEnv, type Env } from './helpers';

const DAY = 86_400_000;

describe('retention of the runs of projects in and out of the settings', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ settings: { projects: ['HADOOP', 'GONE'], schedule: 'off', retentionDays: 30 } });
  }, 60_000);
  afterAll(async () => env?.stop());

  const run = (id: string, scope: string, status: string, by: string | null, started: number) =>
    env.forge.sql.query(
      "INSERT INTO runs (id, scope_key, mode, trig, status, started_by, started_ms, finished_ms, heartbeat_ms, expected, chains, since_ms, error, settings) VALUES (?, ?, 'full', 'manual', ?, ?, ?, ?, ?, 0, 1, NULL, NULL, '{}')",
      [id, scope, status, by, started, started, started],
    );
  const runsLeft = async () => ((await env.forge.sql.query("SELECT id, started_by FROM runs WHERE id LIKE 'rs-%' ORDER BY id")) as Array<{ id: string; started_by: string | null }>).map((r) => `${r.id} ${r.started_by ?? '-'}`);

  it("keeps each analysed scope's newest good run, and lets a removed project's runs go by age; the report follows", async () => {
    const old = Date.now() - 400 * DAY;
    await run('rs-all-old', 'all', 'done', 'acct-all', old - DAY);
    await run('rs-all-newest', 'all', 'done', 'acct-all', old);
    await run('rs-hadoop-old', 'project:HADOOP', 'done', 'acct-older', old - DAY);
    await run('rs-hadoop-newest', 'project:HADOOP', 'done', 'acct-kept', old);
    await run('rs-hadoop-failed', 'project:HADOOP', 'failed', 'acct-older', old + DAY);
    await run('rs-gone-newest', 'project:GONE', 'done', 'acct-gone', old);
    await run('rs-gone-recent', 'project:GONE', 'failed', 'acct-recent', Date.now() - 10 * DAY);

    // GONE taken out of the settings (while it was in, its newest good run stayed, as
    // HADOOP's does: schedule-retention.test.ts): the daily trigger's retention deletes its old
    // runs, and the personal data report it makes next no longer names their starter.
    await saveSettings({ ...(await getSettings()), projects: ['HADOOP'] });
    const from = env.jira.accountReports().length;
    await env.forge.runScheduledTrigger('dedupe-schedule');
    expect(await runsLeft()).toEqual(['rs-all-newest acct-all', 'rs-gone-recent acct-recent', 'rs-hadoop-newest acct-kept']);
    const reported = env.jira.accountReports().slice(from).flat().map((a) => a.accountId);
    expect(reported).toEqual(expect.arrayContaining(['acct-all', 'acct-kept', 'acct-recent']));
    expect(reported).not.toContain('acct-gone');
    expect(reported).not.toContain('acct-older');

    // The starter of a run that is kept, closed, is erased from it, and the run stays.
    env.jira.closeAccount('acct-kept');
    expect(await reportPersonalData({ now: Date.now() + 7 * DAY })).toMatchObject({ status: 'done', closed: 1, erased: 1 });
    expect(await runsLeft()).toEqual(['rs-all-newest acct-all', 'rs-gone-recent acct-recent', `rs-hadoop-newest ${FORMER_USER}`]);
  }, 60_000);
});
