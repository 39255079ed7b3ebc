/**
 * Findings of a review of the pages as a Jira admin and a team lead use them, in the sandbox
 * shell, in headless Chromium (marked it.failing where the app does not do it yet):
 * - the admin page's "Analyse everything in scope" runs the saved settings while the form
 *   above it holds changes not saved, and its text speaks of "every project chosen above";
 * - the history's Clear filters (in the filter row, and in the empty state) takes itself away
 *   and the keyboard focus falls to the page;
 * - after a Jira admin changes the thresholds, the issue panel goes on showing the tiers the
 *   last analysis stored without a word, where the project page says they are from before.
 */
import type { Frame } from 'playwright-core';
import type { PairView, Settings } from '../../src/shared/contract';
import { MODULES, openAppSession, type AppSession } from './support/app-session';
import { focusedIn } from './support/focus';
import { describeIf, missingForBrowserTests } from './support/requirements';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('a review of the pages as an admin and a team lead use them (browser)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ build: ['admin-page', 'project-page', 'issue-panel'] });
    await s.analyse();
  }, 240_000);

  afterAll(async () => {
    await s?.close();
  });

  const savedSettings = async (): Promise<Settings> => ((await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings }).settings;

  /** Where the focus is in `frame`, waited for up to 5 s to leave the page's body. */
  async function focusAfter(frame: Frame): Promise<string> {
    const deadline = Date.now() + 5_000;
    let now = (await focusedIn(frame, {})).testId;
    while (now === 'body' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = (await focusedIn(frame, {})).testId;
    }
    return now;
  }

  it.failing('says, beside "Analyse everything in scope", that the changes typed above are not saved and the run would not use them', async () => {
    await s.open('/admin/apps/duplicates', 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    const runAll = frame.locator('[data-testid="run-all"]');
    await runAll.waitFor();
    // An admin narrows the scope and raises the threshold, and has not saved yet.
    await frame.locator('[data-testid="project-OPS"]').uncheck();
    await frame.locator('[data-testid="threshold-duplicate"]').fill('60');
    const actions = frame.locator('[data-testid="admin-actions"]');
    // Today it reads "Reads every project chosen above ... Uses the saved settings", OPS
    // unticked above, and the button starts a run of OPS too, under the old thresholds.
    expect(await runAll.isEnabled()).toBe(true);
    expect(await actions.innerText()).toMatch(/not (yet )?saved|unsaved/i);
  });

  /** The project page's History tab, filtered to an issue no action names. */
  async function historyWithoutMatch(): Promise<Frame> {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-history"]').click();
    await frame.locator('[data-testid="history-issue-filter"]').fill('SHOP-999');
    await frame.locator('[data-testid="history-issue-filter"]').press('Enter');
    await frame.locator('[data-testid="history-no-match"]').waitFor();
    return frame;
  }

  it.failing("keeps the focus in the page after the history's Clear filters (in the filter row), which takes itself away", async () => {
    const frame = await historyWithoutMatch();
    await frame.locator('[data-testid="history-clear"]').focus();
    await s.page.keyboard.press('Enter');
    await frame.locator('[data-testid="history-no-match"]').waitFor({ state: 'detached' });
    expect(await frame.locator('[data-testid="history-clear"]').count()).toBe(0);
    // The queue's Clear filters gives the focus to its search box; this one drops it.
    expect(await focusAfter(frame)).not.toBe('body');
  });

  it.failing("keeps the focus in the page after the Clear filters of the history's empty state", async () => {
    const frame = await historyWithoutMatch();
    await frame.locator('[data-testid="history-no-match"] button').focus();
    await s.page.keyboard.press('Enter');
    await frame.locator('[data-testid="history-no-match"]').waitFor({ state: 'detached' });
    expect(await focusAfter(frame)).not.toBe('body');
  });

  it.failing('says in the issue panel that the tiers shown are from before the thresholds a Jira admin changed, as the project page does', async () => {
    const before = await savedSettings();
    const shop = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP');
    const extension = { type: 'jira:projectPage', project: { id: shop?.id, key: 'SHOP' } };
    const related = ((await s.resolver('project-page-resolver', 'pairs.list', { status: 'pending', tier: 'related', sort: 'score', order: 'desc', pageSize: 25 }, 'member-1', extension)) as { items: PairView[] }).items;
    // The strongest related pair only its score keeps related (no other-work rule).
    const pair = related.find((p) => p.otherWork === null && p.score - 0.02 > before.thresholds.related);
    if (!pair) throw new Error('The sample backlog has no related SHOP pair to raise.');
    const duplicate = Math.floor((pair.score - 0.01) * 100) / 100;
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...before, thresholds: { ...before.thresholds, duplicate } } });
    try {
      // The project page says so ...
      const project = await s.projectPage('member-1');
      await project.locator('[data-testid="run-tiers-outdated"]').waitFor();
      // ... the issue panel lists the pair, scored above the duplicate threshold now, as related, and says nothing.
      await s.open(`/browse/${pair.a.key}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      const suggestion = panel.locator(`[data-testid="suggestion"][data-issue-key="${pair.b.key}"]`);
      await suggestion.waitFor();
      expect(await suggestion.locator('[data-testid="suggestion-name"]').innerText()).toMatch(/related$/);
      expect(await panel.locator('body').innerText()).toMatch(/threshold/i);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: before });
    }
  });
});
