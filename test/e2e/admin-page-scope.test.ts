/**
 * The admin page's JQL line and its "Not saved" banner while the admin goes on editing, in
 * headless Chromium: the count under the filter always describes the projects ticked now,
 * also when Jira is slow and the scope changes while it counts, and the banner of a refused
 * save goes (or loses the sentence no longer true) once the fields it was about are edited.
 */
import type { Frame, Request } from 'playwright-core';
import type { Settings } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

const ADMIN_PAGE = '/admin/apps/duplicates';
const FILTER = 'status != Done';

describeIf(missingForBrowserTests())('admin page: the JQL line and the save banner while editing (browser)', () => {
  const s = useAppSession({ build: ['admin-page'] });
  /** Checks of the JQL filter the page has sent and not yet had answered. */
  let pending = 0;
  const isCheck = (r: Request) => r.url().endsWith('/__bridge') && (r.postData() ?? '').includes('settings.validateJql');

  beforeAll(async () => {
    s.page.on('request', (r) => {
      if (isCheck(r)) pending++;
    });
    const done = (r: Request) => {
      if (isCheck(r)) pending--;
    };
    s.page.on('requestfinished', done);
    s.page.on('requestfailed', done);
  }, 240_000);

  async function adminPage(): Promise<Frame> {
    await s.open(ADMIN_PAGE);
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    return frame;
  }

  /** Waits until every check the page sent has been answered (and the page has drawn it). */
  async function answered(frame: Frame): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (pending > 0) throw new Error(`${pending} JQL checks still unanswered.`);
    // The last answer reaches the frame after the request ends: wait until it shows no check running.
    await frame.locator('[data-testid="jql-status"]:not(:has-text("Checking with Jira"))').waitFor();
  }

  const savedSettings = async (): Promise<Settings> => ((await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings }).settings;

  it('counts for the projects ticked now when they change while Jira is still counting, and says what is true with none ticked', async () => {
    const before = await savedSettings();
    expect([...before.projects].sort()).toEqual(['MOB', 'OPS', 'SHOP']);
    // What Jira counts for SHOP alone, asked outside the page.
    const shop = (await s.resolver('admin-page-resolver', 'settings.validateJql', { jql: FILTER, scope: { projects: ['SHOP'], issueTypes: before.issueTypes, maxAgeDays: before.maxAgeDays } })) as {
      counts: { kept: number; of: number };
    };
    const all = (await s.resolver('admin-page-resolver', 'settings.validateJql', { jql: FILTER, scope: { projects: before.projects, issueTypes: before.issueTypes, maxAgeDays: before.maxAgeDays } })) as {
      counts: { kept: number; of: number };
    };
    expect(shop.counts.of).toBeLessThan(all.counts.of);

    const frame = await adminPage();
    const status = frame.locator('[data-testid="jql-status"]');
    const jql = frame.locator('[data-testid="jql-filter"]');
    await jql.fill(FILTER);
    await jql.blur();
    await answered(frame);
    expect(await status.textContent()).toBe(`Jira accepts this JQL; it keeps about ${all.counts.kept} of the ${all.counts.of} issues in scope.`);

    // Jira slow to count: the next project is unticked while the count for the last change runs.
    s.sandbox.jira.faults.latency(2_000, /approximate-count/);
    try {
      await frame.locator('[data-testid="project-MOB"]').uncheck();
      await frame.locator('[data-testid="jql-status"]', { hasText: 'Checking with Jira' }).waitFor();
      await frame.locator('[data-testid="project-OPS"]').uncheck();
      await answered(frame);
      expect(await status.textContent()).toBe(`Jira accepts this JQL; it keeps about ${shop.counts.kept} of the ${shop.counts.of} issues in scope.`);

      // Ticked again and unticked with SHOP while that count runs: no project is left.
      await frame.locator('[data-testid="project-MOB"]').check();
      await frame.locator('[data-testid="jql-status"]', { hasText: 'Checking with Jira' }).waitFor();
      await frame.locator('[data-testid="project-MOB"]').uncheck();
      await frame.locator('[data-testid="project-SHOP"]').uncheck();
      await answered(frame);
      expect(await status.textContent()).toBe('Jira accepts this JQL; no project is in scope, so it has no issues to keep.');

      // A project ticked again is counted again.
      await frame.locator('[data-testid="project-SHOP"]').check();
      await answered(frame);
      expect(await status.textContent()).toBe(`Jira accepts this JQL; it keeps about ${shop.counts.kept} of the ${shop.counts.of} issues in scope.`);
    } finally {
      s.sandbox.jira.faults.clear();
    }
    await frame.locator('[data-testid="settings-reset"]').click();
    expect(await savedSettings()).toEqual(before);
  });

  it("takes the save's banner away once the fields it was about are edited, and keeps it until then", async () => {
    const before = await savedSettings();
    const frame = await adminPage();
    const banner = frame.locator('[data-testid="save-error"]');
    const save = frame.locator('[data-testid="settings-save"]');
    const jql = frame.locator('[data-testid="jql-filter"]');

    // Jira's verdict on the filter: the banner stays through an edit of another field, goes with the filter's.
    await jql.fill('status = ');
    await save.click();
    await banner.waitFor();
    expect(await banner.textContent()).toBe('Not saved. Jira did not accept the JQL filter.');
    expect(await banner.getAttribute('role')).toBe('alert');
    await frame.locator('[data-testid="schedule"]').selectOption(before.schedule === 'weekly' ? 'daily' : 'weekly');
    expect(await banner.textContent()).toBe('Not saved. Jira did not accept the JQL filter.');
    await jql.fill(FILTER);
    await jql.blur();
    await answered(frame);
    expect(await frame.locator('[data-testid="jql-status"]').textContent()).toMatch(/^Jira accepts this JQL/);
    expect(await banner.count()).toBe(0);

    // A threshold the form refuses: corrected, the banner goes with its message.
    await frame.locator('[data-testid="threshold-duplicate"]').fill('150');
    await save.click();
    await frame.locator('[data-testid="threshold-duplicate-error"]').waitFor();
    expect(await banner.textContent()).toBe('Not saved. Some settings need fixing before they can be saved.');
    await frame.locator('[data-testid="threshold-duplicate"]').fill('60');
    expect(await banner.count()).toBe(0);

    // Both: a corrected filter takes Jira's sentence away; the weight still needs fixing, so
    // the banner stays, quietly (a screen reader is not interrupted with it again).
    await jql.fill('status = ');
    await frame.locator('[data-testid="weight-summary"]').fill('9');
    await save.click();
    await frame.locator('[data-testid="weight-summary-error"]').waitFor();
    expect(await banner.textContent()).toBe('Not saved. Some settings need fixing before they can be saved. Jira did not accept the JQL filter.');
    await jql.fill(FILTER);
    expect(await banner.textContent()).toBe('Not saved. Some settings need fixing before they can be saved.');
    expect(await banner.getAttribute('role')).toBeNull();
    await frame.locator('[data-testid="weight-summary"]').fill(String(before.weights.summary));
    expect(await banner.count()).toBe(0);

    await frame.locator('[data-testid="settings-reset"]').click();
    expect(await savedSettings()).toEqual(before);
  });
});
