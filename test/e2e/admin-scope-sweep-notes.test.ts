/**
 * What the admin page says, above Save and once saved, about issues a narrower scope leaves
 * out now that a save's scope sweep (src/analysis/scope-sweep.ts) lets go of those the
 * projects, issue types or age limit leave out within a minute or so, while those only the
 * JQL filter leaves out wait for the next analysis, in headless Chromium. Failed on the code
 * before the sweep: the page said every one of them waited for the next analysis.
 */
import type { Frame } from 'playwright-core';
import type { Settings } from '../../src/shared/contract';
import { LEFT_OUT_AT_ONCE_NOTE, LEFT_OUT_BOTH_NOTE, LEFT_OUT_NOTE } from '../../static/admin-page/draft';
import { MODULES, openAppSession, type AppSession } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';

jest.setTimeout(120_000);

const ADMIN_PAGE = '/admin/apps/duplicates';

describeIf(missingForBrowserTests())('admin page: which left-out issues go at once, and which wait for an analysis (browser)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ build: ['admin-page'] });
  }, 240_000);

  afterAll(async () => {
    await s?.close();
  });

  async function adminPage(): Promise<Frame> {
    await s.open(ADMIN_PAGE, 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    return frame;
  }

  const savedSettings = async (): Promise<Settings> => ((await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings }).settings;

  it('says an age limit lets go of the issues it leaves out within a minute or so, and a filter beside it still waits for the next analysis', async () => {
    const before = await savedSettings();
    expect([before.maxAgeDays, before.jqlFilter]).toEqual([0, '']);
    const frame = await adminPage();
    const note = frame.locator('[data-testid="left-out-note"]');
    try {
      // Ten years: keeps the sandbox's issues, so the form saves it without asking first.
      await frame.locator('[data-testid="max-age-days"]').fill('3650');
      await note.waitFor();
      expect(await note.textContent()).toBe(LEFT_OUT_AT_ONCE_NOTE);
      expect(LEFT_OUT_AT_ONCE_NOTE).toMatch(/within a minute or so of saving\. Decisions about them are kept, and come back if the issues are analysed again\.$/);

      await frame.locator('[data-testid="jql-filter"]').fill('status != Done');
      await frame.locator('[data-testid="left-out-note"]').filter({ hasText: 'only the JQL filter' }).waitFor();
      expect(await note.textContent()).toBe(LEFT_OUT_BOTH_NOTE);
      await frame.locator('[data-testid="max-age-days"]').fill('0');
      await frame.locator('[data-testid="left-out-note"]').filter({ hasText: LEFT_OUT_NOTE }).waitFor();
      await frame.locator('[data-testid="jql-filter"]').fill('');
      expect(await note.count()).toBe(0);

      await frame.locator('[data-testid="max-age-days"]').fill('3650');
      await frame.locator('[data-testid="settings-save"]').click();
      const banner = frame.locator('[data-testid="save-success"]');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(
        /the next analysis reads every issue in scope again[^.]*\. Issues now left out by the projects, issue types or age limit leave the review queue and the issue panels within a minute or so; decisions about them are kept\.$/,
      );
      expect((await savedSettings()).maxAgeDays).toBe(3650);
    } finally {
      const now = await savedSettings();
      await s.resolver('admin-page-resolver', 'settings.save', { settings: before, base: now });
    }
  });
});
