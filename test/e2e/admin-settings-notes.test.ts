/**
 * What the admin page says about a save's consequences that are not plain from the form, in
 * headless Chromium (and, under the schedule and retention fields, when runs start and what
 * retention deletes): the suggestions of issues a narrower scope leaves out (kept until the
 * next analysis removes them), an age limit that keeps no issue in scope (asked about before
 * it is saved), and settings stored by an older version that reading them adjusted (said on
 * the page, and in the history by the save that stores them). Each test failed on the code
 * before the change it covers.
 */
import { kvs } from '@forge/kvs';
import type { Frame } from 'playwright-core';
import type { Settings } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

const ADMIN_PAGE = '/admin/apps/duplicates';
const LEFT_OUT =
  'Issues that these changes leave out keep their suggestions in the review queue and the issue panels until the next analysis, which removes them (an issue edited before then goes at once). Decisions about them are kept.';

describeIf(missingForBrowserTests())('admin page: what a save does to issues already analysed (browser)', () => {
  const s = useAppSession({ build: ['admin-page'] });

  async function adminPage(): Promise<Frame> {
    await s.open(ADMIN_PAGE, 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    return frame;
  }

  const savedSettings = async (): Promise<Settings> => ((await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings }).settings;
  const restore = async (settings: Settings) => {
    const now = await savedSettings();
    await s.resolver('admin-page-resolver', 'settings.save', { settings, base: now });
  };

  it('says, before and after saving, that issues a narrower filter leaves out keep their suggestions until the next analysis removes them', async () => {
    const before = await savedSettings();
    expect(before.jqlFilter).toBe('');
    const frame = await adminPage();
    const note = frame.locator('[data-testid="left-out-note"]');
    try {
      // A setting that leaves nothing out says nothing of the kind.
      await frame.locator('[data-testid="schedule"]').selectOption(before.schedule === 'weekly' ? 'daily' : 'weekly');
      expect(await note.count()).toBe(0);
      await frame.locator('[data-testid="settings-reset"]').click();

      // Before the change the form said nothing about them, before or after the save.
      await frame.locator('[data-testid="jql-filter"]').fill('status != Done');
      await note.waitFor();
      expect(await note.textContent()).toBe(LEFT_OUT);
      await frame.locator('[data-testid="settings-save"]').click();
      const banner = frame.locator('[data-testid="save-success"]');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(
        /the next analysis reads every issue in scope again[^.]*\. Issues now left out keep their suggestions in the review queue and the issue panels until then: that analysis removes them\.$/,
      );
      expect(await note.count()).toBe(0);

      // Clearing the filter widens the scope: no issue is left out, and the note stays away.
      await frame.locator('[data-testid="jql-filter"]').fill('');
      expect(await note.count()).toBe(0);
      await frame.locator('[data-testid="settings-save"]').click();
      await banner.waitFor();
      expect(await banner.textContent()).not.toMatch(/left out/);
    } finally {
      await restore(before);
    }
  });

  it('asks before saving an age limit that keeps no issue in scope, and saves one that keeps many without asking', async () => {
    const before = await savedSettings();
    expect(before.maxAgeDays).toBe(0);
    const frame = await adminPage();
    const age = frame.locator('[data-testid="max-age-days"]');
    const confirm = frame.locator('[data-testid="age-limit-confirm"]');
    try {
      await age.fill('7');
      await frame.locator('[data-testid="settings-save"]').click();
      // Before the change this saved at once, with no question.
      await confirm.waitFor();
      // The sandbox's issues are all more than a week old.
      const week = (await s.resolver('admin-page-resolver', 'settings.ageCounts', { jql: '', scope: { projects: before.projects, issueTypes: before.issueTypes, maxAgeDays: 7 } })) as {
        counts: { kept: number; of: number };
      };
      expect(week.counts.kept).toBe(0);
      expect(week.counts.of).toBeGreaterThan(100);
      expect(await confirm.textContent()).toContain(`Jira says none of the ${week.counts.of.toLocaleString('en')} issues in scope was created in the last 7 days.`);
      expect((await savedSettings()).maxAgeDays).toBe(0);

      // Cancel saves nothing and gives Save back.
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await frame.locator('[data-testid="settings-save"]').waitFor();
      expect((await savedSettings()).maxAgeDays).toBe(0);

      // An edit takes the question away; asked again, saving goes on when confirmed.
      await frame.locator('[data-testid="settings-save"]').click();
      await confirm.waitFor();
      await age.fill('6');
      expect(await confirm.count()).toBe(0);
      await frame.locator('[data-testid="settings-save"]').click();
      await confirm.waitFor();
      await confirm.getByRole('button', { name: 'Save the age limit' }).click();
      await frame.locator('[data-testid="save-success"]').waitFor();
      expect((await savedSettings()).maxAgeDays).toBe(6);

      // A limit that keeps most issues is saved without a question.
      await age.fill('3650');
      await frame.locator('[data-testid="settings-save"]').click();
      await frame.locator('[data-testid="save-success"]').waitFor();
      expect(await confirm.count()).toBe(0);
      expect((await savedSettings()).maxAgeDays).toBe(3650);
    } finally {
      await restore(before);
    }
  });

  it('says which stored values reading them adjusted to current rules, until a save stores them and notes it in the history', async () => {
    const before = await savedSettings();
    // As an older version of the app stored them: a related threshold under today's 5 %.
    await kvs.set('settings:v1', { ...before, thresholds: { duplicate: before.thresholds.duplicate, related: 0.02 } });
    await s.sandbox.forge.sql.query('DELETE FROM settings_writes');
    try {
      const frame = await adminPage();
      const note = frame.locator('[data-testid="adjusted-note"]');
      // Before the change the page showed 5 % with nothing to say it was not what was saved.
      await note.waitFor();
      expect(await note.textContent()).toBe(
        'These settings were saved before rules that apply now, so they are shown and used as adjusted to fit them: related threshold 2% → 5%. Saving stores them as shown and notes the adjustment in the history below.',
      );
      expect(await frame.locator('[data-testid="threshold-related"]').inputValue()).toBe('5');

      await frame.locator('[data-testid="settings-save"]').click();
      await frame.locator('[data-testid="save-success"]').waitFor();
      expect(await note.count()).toBe(0);
      const row = frame.locator('[data-testid="admin-history"] [data-testid="history-row"][data-action="settings.save"]').first();
      await row.filter({ hasText: 'related threshold 2% → 5%' }).waitFor();

      // Stored as shown now: a fresh page has nothing to say.
      const again = await adminPage();
      await again.locator('[data-testid="settings-save"]').waitFor();
      expect(await again.locator('[data-testid="adjusted-note"]').count()).toBe(0);
    } finally {
      await restore(before);
    }
  });
  it('says under the schedule when each choice runs (weekly is no set weekday) and under retention what goes', async () => {
    const before = await savedSettings();
    const frame = await adminPage();
    const help = frame.locator('#schedule-help');
    try {
      await frame.locator('[data-testid="schedule"]').selectOption('weekly');
      expect(await help.textContent()).toBe(
        'Not on a set weekday: once the last complete analysis of all projects (yours included) is a week old, at a time Jira Cloud sets. One that fails is tried again the next day.',
      );
      await frame.locator('[data-testid="schedule"]').selectOption('daily');
      expect(await help.textContent()).toMatch(/^Once a day, at a time Jira Cloud sets/);
      await frame.locator('[data-testid="schedule"]').selectOption('off');
      expect(await help.textContent()).toBe('No analysis starts by itself. History is still deleted once a day after the days below.');
      // Described by the help, so a screen reader says it with the field.
      expect(await frame.locator('[data-testid="schedule"]').getAttribute('aria-describedby')).toContain('schedule-help');
      expect(await frame.locator('#retention-help').textContent()).toMatch(/^7 to 3650\. Older analyses \(the last good one kept\), history entries, and suggestions no longer found that nobody decided are deleted once a day\. Decisions are kept\.$/);
    } finally {
      await frame.locator('[data-testid="settings-reset"]').click();
      await restore(before);
    }
  });
});
