/**
 * A run of everything whose saved scope names a project and an issue type Jira no longer
 * shows the app, in headless Chromium: the run analyses the rest, the admin page's Actions
 * say under the run what was left out and what to do, and the settings form marks the saved
 * project Jira did not list. A project page showing the same run says nothing of it: the
 * projects in scope are for Jira admins.
 */
import type { Frame } from 'playwright-core';
import type { Settings } from '../../src/shared/contract';
import { saveSettings } from '../../src/store/settings';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

const ADMIN_PAGE = '/admin/apps/duplicates';

const NOTICE =
  'Project GONE was left out: Jira does not show it to the app (deleted, archived, its key changed, or the app may no longer browse it). Remove it in the settings or give the app access. ' +
  'Issue type "Retired type" was left out: Jira no longer knows it (deleted or renamed). Remove it in the settings, or choose it again under its new name.';

describeIf(missingForBrowserTests())('admin page: a run that left out what Jira no longer shows the app (browser)', () => {
  const s = useAppSession({ build: ['admin-page', 'project-page'] });

  async function adminPage(): Promise<Frame> {
    await s.open(ADMIN_PAGE);
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    return frame;
  }

  it('says under the run what was left out and what to do, to Jira admins on the admin page only', async () => {
    const saved = ((await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings }).settings;
    const types = ((await s.resolver('admin-page-resolver', 'issueTypes.list', {})) as { names: string[] }).names;
    // Saved while Jira still had them, as far as the app can tell: a save checks the names now.
    await saveSettings({ ...saved, projects: [...saved.projects, 'GONE'], issueTypes: [...types, 'Retired type'] });
    await s.resolver('admin-page-resolver', 'run.start', { mode: 'full' });
    await s.sandbox.forge.queue.settle(120_000);

    const frame = await adminPage();
    const status = frame.locator('[data-testid="run-all-status"]');
    await frame.locator('[data-testid="run-all-status"][data-status="done"]').waitFor();
    expect(await status.textContent()).toMatch(/^Last analysis finished .*: [\d,]+ pairs? found\.$/);
    const notice = frame.locator('[data-testid="run-all-notice"]');
    await notice.waitFor();
    expect(await notice.textContent()).toBe(NOTICE);
    expect(await notice.getAttribute('role')).toBe('alert');
    // The form marks what Jira no longer lists, so the admin can untick it there.
    const label = (testId: string) => frame.locator(`label.dd-checkbox:has([data-testid="${testId}"])`).textContent();
    expect(await label('project-GONE')).toBe('GONE (not found or not visible to you)');
    expect(await label('issue-type-Retired type')).toBe('Retired type (not found in Jira)');
    expect(await frame.locator('[data-testid="project-GONE"]').isChecked()).toBe(true);
    await s.browser.screenshot('e2e-admin-run-left-out');

    // A project page shows the same run of every project, without the note.
    const page = await s.projectPage('member-1');
    await page.locator('[data-testid="run-panel"]').waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('This analysis covered every project in scope');
    expect(body).not.toContain('GONE');
    expect(body).not.toContain('left out');
  });
});
