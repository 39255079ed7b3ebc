/**
 * A run that Jira's search rejected: Jira's own words quote the admin's JQL filter (which
 * `settings.get` withholds from everyone but Jira admins) and may name projects or issues.
 * They are shown to Jira admins on the admin page only; a project page, its run list and the
 * history say what failed and where a Jira admin finds why. Real SDKs, LocalForge, MariaDB
 * and the Jira stand-in, whose search rejects a key that does not exist.
 */
import { saveSettings } from '../../src/store/settings';
import { JIRA_REASON_FOR_ADMINS } from '../../src/store/runs';
import type { RunView } from '../../src/shared/contract';
import { ADMIN_EXTENSION, ok, projectExtension, startHarness, TEST_SETTINGS, type Harness, type User } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
const SECRET = 'SECRET-4242';

beforeAll(async () => {
  h = await startHarness();
  // Stored as an older version or a restore might have: Jira parses it, and rejects every search with it.
  await saveSettings({ ...TEST_SETTINGS, jqlFilter: `issuekey != ${SECRET}` });
});

afterAll(async () => {
  await h?.stop();
});

const projectStatus = async (who: User) => ok(await h.call('project-page-resolver', 'run.status', {}, who, SHOP));
const adminStatus = async (payload: Record<string, unknown> = {}) => ok(await h.call('admin-page-resolver', 'run.status', payload, 'admin-1', ADMIN_EXTENSION));
const projectList = async (who: User) => ok(await h.call('project-page-resolver', 'run.list', {}, who, SHOP)).runs;

async function failedRun(start: () => Promise<{ run: RunView }>): Promise<string> {
  const { run } = await start();
  await h.forge.queue.settle(60_000);
  const [row] = (await h.forge.sql.query('SELECT status FROM runs WHERE id = ?', [run.runId])) as Array<{ status: string }>;
  expect(row?.status).toBe('failed');
  return run.runId;
}

function expectNoJiraWords(error: string | null | undefined): void {
  expect(error).toContain('Jira rejected the search while');
  expect(error).toContain(JIRA_REASON_FOR_ADMINS);
  expect(error).not.toContain(SECRET);
  expect(error).not.toContain('issuekey');
  expect(error).not.toContain('Jira said');
}

describe("a run Jira's search rejected", () => {
  it("tells a project page what failed, and Jira's words to Jira admins on the admin page only", async () => {
    const runId = await failedRun(async () => ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', SHOP)));

    for (const who of ['member-1', 'viewer-1', 'admin-1'] as const) {
      const status = await projectStatus(who);
      expect(status.last?.runId).toBe(runId);
      expectNoJiraWords(status.last?.error);
      expectNoJiraWords((await projectList(who)).find((r) => r.runId === runId)?.error);
    }

    // The admin page, asked about the project: Jira's own words, and what to check.
    const admin = await adminStatus({ projectKey: 'SHOP' });
    expect(admin.last?.runId).toBe(runId);
    expect(admin.last?.error).toContain(`Jira said: An issue with key '${SECRET}' does not exist`);
    expect(admin.last?.error).toContain('Check the JQL filter in the app settings');

    // The history entry, read on the project page, is the sentence for everyone.
    const history = ok(await h.call('project-page-resolver', 'history.list', { kind: 'analyses' }, 'member-1', SHOP));
    const entry = history.items.find((i) => i.action === 'run.fail');
    expectNoJiraWords(entry?.detail);
    const stored = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'run.fail'")) as Array<{ detail: string }>;
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) expect(row.detail).not.toContain(SECRET);
  });

  it("keeps a run of every project's reason on the admin page, and off the project pages it shows on", async () => {
    const runId = await failedRun(async () => ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION)));
    expect((await adminStatus()).last?.error).toContain(SECRET);
    const shown = await projectStatus('member-1');
    expect(shown.last?.runId).toBe(runId);
    expectNoJiraWords(shown.last?.error);
    expect(shown.last?.error).toContain('for the projects in scope');
  });

  it("reads a run that failed before v020, with Jira's words in its one error, as one failing now", async () => {
    const old = "Jira rejected the search while counting issues for SHOP. Jira said: An issue with key 'SECRET-4242' does not exist for field 'issuekey'. Check the JQL filter in the app settings, then start again.";
    const startedMs = Date.now() + 60_000;
    await h.forge.sql.query(
      `INSERT INTO runs (id, scope_key, mode, trig, status, started_by, started_ms, finished_ms, heartbeat_ms, expected, chains, since_ms, error, settings)
       VALUES ('r-legacy', 'project:SHOP', 'full', 'manual', 'failed', 'member-1', ?, ?, ?, NULL, 0, NULL, ?, ?)`,
      [startedMs, startedMs, startedMs, old, JSON.stringify(TEST_SETTINGS)],
    );
    await h.forge.sql.query(
      `INSERT INTO actions (id, at_ms, actor, action, pair_id, issue_keys, project_key, project_key_2, more_projects, detail, batch_id)
       VALUES ('a-legacy', ?, NULL, 'run.fail', NULL, '', 'SHOP', NULL, NULL, ?, NULL)`,
      [startedMs, old],
    );
    const status = await projectStatus('member-1');
    expect(status.last?.runId).toBe('r-legacy');
    expect(status.last?.error).toBe(`Jira rejected the search while counting issues for SHOP. ${JIRA_REASON_FOR_ADMINS}`);
    const history = ok(await h.call('project-page-resolver', 'history.list', { kind: 'analyses' }, 'member-1', SHOP));
    expectNoJiraWords(history.items.find((i) => i.id === 'a-legacy')?.detail);
    expect((await adminStatus({ projectKey: 'SHOP' })).last?.error).toBe(old);
  });
});
