/**
 * Findings of a review of the pages as a Jira admin and a team lead use them, in the sandbox
 * shell, in headless Chromium, each test failing on the code reviewed and passing since its fix:
 * - the admin page's "Analyse everything in scope" and the create-dialog check work from the
 *   saved settings: while the form above holds changes not saved they wait, and say why;
 * - the history's Clear filters (in the filter row, and in the empty state) takes itself away:
 *   the keyboard focus goes to the first filter, not to the page;
 * - the history's issue box reads a number alone as the project's issue with that number, as
 *   the queue's search does;
 * - the review queue offers no bulk actions or export beside the error of a list not read;
 * - after a Jira admin changes the thresholds, the issue panel says that what it lists may
 *   follow the old ones until the next analysis, as the project page does (it used to say nothing).
 */
import type { Frame } from 'playwright-core';
import type { PairView, Settings } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { focusedIn } from './support/focus';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('a review of the pages as an admin and a team lead use them (browser)', () => {
  const s = useAppSession({ build: ['admin-page', 'project-page', 'issue-panel'] });

  beforeAll(() => s.analyse(), 240_000);

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

  it('holds "Analyse everything in scope" and the create check while the settings above have changes not saved, and says why', async () => {
    await s.open('/admin/apps/duplicates', 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    const runAll = frame.locator('[data-testid="run-all"]');
    const register = frame.locator('[data-testid="uim-register"]');
    await runAll.waitFor();
    await frame.locator('[data-testid="create-check"]:not([data-state="loading"])').waitFor();
    expect(await runAll.isEnabled()).toBe(true);
    expect(await register.isEnabled()).toBe(true);
    const actions = frame.locator('[data-testid="admin-actions"]');
    expect(await actions.innerText()).toMatch(/every project in scope, as saved/);
    expect(await frame.locator('[data-testid="admin-actions-unsaved"]').count()).toBe(0);
    // An admin narrows the scope and raises the threshold, and has not saved yet. The run
    // would read OPS too, under the old thresholds, and the registration cover OPS.
    const threshold = frame.locator('[data-testid="threshold-duplicate"]');
    const savedThreshold = await threshold.inputValue();
    await frame.locator('[data-testid="project-OPS"]').uncheck();
    await threshold.fill('60');
    await frame.locator('[data-testid="admin-actions-unsaved"]').waitFor();
    expect(await actions.innerText()).toMatch(/changes that are not saved/);
    expect(await runAll.isDisabled()).toBe(true);
    expect(await register.isDisabled()).toBe(true);
    // The reason is in each button's name (read out) and its tooltip.
    for (const button of [runAll, register]) {
      expect(await button.getAttribute('title')).toBe('Save or discard your changes to the settings first');
      expect(await button.innerText()).toMatch(/\(Save or discard your changes to the settings first\)$/);
    }
    // Putting the settings back by hand is no change: the actions are there again.
    await frame.locator('[data-testid="project-OPS"]').check();
    await threshold.fill(`${savedThreshold}.0`);
    await frame.locator('[data-testid="admin-actions-unsaved"]').waitFor({ state: 'detached' });
    expect(await runAll.isEnabled()).toBe(true);
    // A change discarded is none either.
    await frame.locator('[data-testid="weight-summary"]').fill('4.5');
    await frame.locator('[data-testid="admin-actions-unsaved"]').waitFor();
    expect(await register.isDisabled()).toBe(true);
    await frame.locator('[data-testid="settings-reset"]').click();
    await frame.locator('[data-testid="admin-actions-unsaved"]').waitFor({ state: 'detached' });
    expect(await runAll.isEnabled()).toBe(true);
    expect(await register.isEnabled()).toBe(true);
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

  it("keeps the focus in the page after the history's Clear filters (in the filter row), which takes itself away", async () => {
    const frame = await historyWithoutMatch();
    await frame.locator('[data-testid="history-clear"]').focus();
    await s.page.keyboard.press('Enter');
    await frame.locator('[data-testid="history-no-match"]').waitFor({ state: 'detached' });
    expect(await frame.locator('[data-testid="history-clear"]').count()).toBe(0);
    // As the queue's Clear filters gives the focus to its search box, this one gives it to the
    // first filter, "Show" (the filter row stays while the list is read again).
    expect(await focusAfter(frame)).toBe('history-kind');
    expect(await frame.locator('[data-testid="history-issue-filter"]').inputValue()).toBe('');
  });

  it("keeps the focus in the page after the Clear filters of the history's empty state", async () => {
    const frame = await historyWithoutMatch();
    await frame.locator('[data-testid="history-no-match"] button').focus();
    await s.page.keyboard.press('Enter');
    await frame.locator('[data-testid="history-no-match"]').waitFor({ state: 'detached' });
    expect(await focusAfter(frame)).toBe('history-kind');
  });

  it("reads a number alone in the history's issue box, on a project page, as that project's issue with the number", async () => {
    const extension = { type: 'jira:projectPage', project: { key: 'SHOP' } };
    const pending = ((await s.resolver('project-page-resolver', 'pairs.list', { status: 'pending', tier: 'duplicate', pageSize: 25 }, 'member-1', extension)) as { items: PairView[] }).items;
    const pair = pending.find((p) => p.a.key.startsWith('SHOP-') && p.b.key.startsWith('SHOP-'));
    if (!pair) throw new Error('The sample backlog has no pending SHOP pair.');
    const key = pair.a.key;
    const number = key.slice('SHOP-'.length);
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId: pair.id, decision: 'dismiss', expected: 'pending' }, 'member-1', extension);
    try {
      const frame = await s.projectPage('member-1');
      await frame.locator('[data-testid="tab-history"]').click();
      const box = frame.locator('[data-testid="history-issue-filter"]');
      // As the queue's search reads "27": typed with "#" too.
      await box.fill(`#${number}`);
      await box.press('Enter');
      // The box shows the key it applied; nothing says the number is not a key.
      await until(frame, `document.querySelector('[data-testid="history-issue-filter"]').value === ${JSON.stringify(key)}`);
      await frame.locator('[data-testid="history-table"]:not([aria-busy="true"])').waitFor();
      expect(await frame.locator('[data-testid="history-issue-problem"]').count()).toBe(0);
      expect(await frame.locator('[data-testid="history-no-match"]').count()).toBe(0);
      const rows = frame.locator('[data-testid="history-row"]');
      expect(await rows.count()).toBeGreaterThan(0);
      for (const row of await rows.all()) expect(await row.locator('[data-testid="history-issue"]').allInnerTexts()).toContain(key);
      expect(await frame.locator('[data-testid="history-row"][data-action="dismiss"]').count()).toBeGreaterThan(0);
      // Text that is neither a key nor a number is still answered as such.
      await box.fill('27a');
      await box.press('Enter');
      await frame.locator('[data-testid="history-no-match"]').waitFor();
      expect(await frame.locator('[data-testid="history-issue-problem"]').innerText()).toBe('Type an issue key, such as SHOP-12, or its number.');
    } finally {
      await s.resolver('project-page-resolver', 'pairs.decide', { pairId: pair.id, decision: 'reopen', expected: 'dismissed' }, 'member-1', extension);
    }
  });

  it('offers no bulk actions or CSV export when the review queue could not be read, and offers them again once it is', async () => {
    const frame = await s.projectPage('member-1');
    const actions = frame.locator('[data-testid="queue-actions"]');
    await frame.locator('[data-testid="pair-list"]').waitFor();
    expect(await actions.count()).toBe(1);
    // Every permission check fails, so the list read for a search fails (after the client's retries).
    const print = console.warn.bind(console);
    const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && /^jira: .+ → 50\d; retry /.test(args[0])) return;
      print(...args);
    });
    // A search that lists pairs once it can be read: the key of a pending pair (an issue key
    // matches exactly), not a word some summary may or may not hold.
    const shop = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP');
    const extension = { type: 'jira:projectPage', project: { id: shop?.id, key: 'SHOP' } };
    const listed = ((await s.resolver('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 1 }, 'member-1', extension)) as { items: PairView[] }).items;
    const key = listed[0]?.a.key;
    if (key === undefined) throw new Error('no pending pair to search for');
    s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 503, path: /\/permissions\/check/ });
    try {
      await frame.locator('[data-testid="search-input"]').fill(key);
      await frame.locator('[data-testid="review-queue"] [data-testid="error-banner"]').waitFor({ timeout: 60_000 });
      // The rows of before stay dimmed, out of reach; nothing offers to act on, or export, the pairs the search asked for.
      expect(await actions.count()).toBe(0);
      expect(await frame.locator('[data-testid="export-csv"], [data-testid="bulk-confirm"], [data-testid="bulk-dismiss"]').count()).toBe(0);
      await s.sandbox.forge.queue.settle(60_000);
    } finally {
      s.sandbox.jira.faults.clear();
      warn.mockRestore();
    }
    await frame.locator('[data-testid="review-queue"] [data-testid="error-banner"] button', { hasText: 'Try again' }).click();
    await actions.waitFor();
    expect(await frame.locator('[data-testid="review-queue"] [data-testid="error-banner"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="export-csv"]').isEnabled()).toBe(true);
  });

  it('says in the issue panel that the tiers shown are from before the thresholds a Jira admin changed, as the project page does', async () => {
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
      expect(await panel.locator('[data-testid="tiers-outdated"]').innerText()).toMatch(/changed the similarity thresholds after the last analysis of SHOP/);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: before });
    }
  });
});
