/**
 * The project page and the admin page when things go wrong or change under them, in the
 * sandbox shell with headless Chromium: a Jira outage (503 on every permission check) and
 * its end, a page of the queue or the history emptied by an action, a cluster linked while
 * the review queue's counts wait in another tab, a page change that must not leave the
 * reader at the bottom of the next page, and old rows that must not be acted on while the
 * rows a new filter asked for are still loading.
 */
import type { Frame } from 'playwright-core';
import { MODULES, openClusterLinker } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(180_000);

const ADMIN_PAGE = '/admin/apps/duplicates';
const PAGE_SIZE = 25;
/** Every permission check Jira answers (visibility, admin rights, Link Issues). */
const PERMISSION_CHECKS = /\/permissions\/check/;
const SHOP_PAGE = { type: 'jira:projectPage', project: { key: 'SHOP' } };

type Box = { y: number; height: number };

describeIf(missingForBrowserTests())('project page and admin page: recovery and paging (browser)', () => {
  const s = useAppSession({ build: ['project-page', 'admin-page'] }, { beforeClose: (open) => open.sandbox.jira.faults.clear() });

  // The outages below make the app's Jira client warn at every retry: expected here, and noise.
  let warn: jest.SpyInstance | undefined;

  beforeAll(async () => {
    const print = console.warn.bind(console);
    warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && /^jira: .+ → 50\d; retry /.test(args[0])) return;
      print(...args);
    });
    await s.analyse();
  }, 300_000);

  afterAll(() => {
    warn?.mockRestore();
  });

  afterEach(() => {
    s.sandbox.jira.faults.clear();
  });


  const projectResolver = (method: string, payload: unknown) => s.resolver('project-page-resolver', method, payload, 'member-1', SHOP_PAGE);

  async function stats(): Promise<{ byStatus: Record<'pending' | 'confirmed' | 'dismissed', number> }> {
    return (await projectResolver('stats.get', { projectKey: 'SHOP' })) as { byStatus: Record<'pending' | 'confirmed' | 'dismissed', number> };
  }

  const historyTotal = async () => ((await projectResolver('history.list', { projectKey: 'SHOP', pageSize: PAGE_SIZE })) as { total: number }).total;

  /** Makes SHOP's history at least `n` actions long: a pending pair dismissed and reopened, again and again. */
  async function historyOfAtLeast(n: number): Promise<void> {
    const pair = ((await projectResolver('pairs.list', { projectKey: 'SHOP', status: 'pending', pageSize: 1 })) as { items: Array<{ id: string }> }).items[0];
    if (!pair) throw new Error('no pending pair');
    while ((await historyTotal()) < n) {
      await projectResolver('pairs.decide', { pairId: pair.id, decision: 'dismiss' });
      await projectResolver('pairs.decide', { pairId: pair.id, decision: 'reopen' });
    }
  }

  /** Where an element of the frame is on the shell's screen (the frame grows with its content; the shell scrolls). */
  async function onScreen(frame: Frame, selector: string): Promise<Box> {
    const box = await frame.locator(selector).first().boundingBox();
    if (!box) throw new Error(`${selector} has no box.`);
    return { y: Math.round(box.y), height: Math.round(box.height) };
  }

  /** The element that has the focus in the frame: its test id, or its tag. */
  const focused = (frame: Frame): Promise<string | null> =>
    frame.evaluate("document.activeElement ? (document.activeElement.getAttribute('data-testid') || document.activeElement.tagName.toLowerCase()) : null");

  /**
   * Resolves once no call into the app is running: every resolver call the pages made has
   * answered (in an outage, once its last retry gave up), so none still retrying can succeed
   * when the fault clears. Call it once the page shows that its calls were made (their error
   * states): a call made after it returns is not waited for.
   */
  const everyCallAnswered = (): Promise<void> => s.sandbox.forge.queue.settle(60_000);

  /** The run panel's error, once its status read gave up: its Try again is offered, not busy asking again. */
  const runPanelGaveUp = (frame: Frame) =>
    frame.locator('[data-testid="run-panel"] [data-testid="error-banner"] button:not([aria-busy="true"])', { hasText: 'Try again' }).waitFor({ timeout: 60_000 });

  /**
   * Opens the project page while every permission check fails, and waits until every call
   * the page made has given up (so nothing still retrying succeeds once the fault clears):
   * the run panel's and the review queue's errors show, and no call is left running (the
   * counts', made with them, has no error of its own on the review tab).
   */
  async function projectPageInOutage(): Promise<Frame> {
    s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 503, path: PERMISSION_CHECKS });
    const frame = await s.projectPage();
    await runPanelGaveUp(frame);
    await frame.locator('[data-testid="review-queue"] [data-testid="error-banner"]').waitFor({ timeout: 60_000 });
    await everyCallAnswered();
    return frame;
  }

  it('during a Jira outage, neither calls the project never analysed nor offers Start as a first run', async () => {
    expect((await stats()).byStatus.pending).toBeGreaterThan(PAGE_SIZE);
    const frame = await projectPageInOutage();
    const runPanel = frame.locator('[data-testid="run-panel"]');
    await runPanel.locator('[data-testid="error-banner"]').waitFor();
    expect(await runPanel.locator('[data-testid="error-banner"]').textContent()).toMatch(/^Could not read the analysis status/);
    // Nothing is known about the analyses: neither "never analysed" nor a first run on offer.
    expect(await frame.locator('[data-testid="run-never"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="run-status"]').getAttribute('data-status')).toBe('unknown');
    const start = frame.locator('[data-testid="run-start"]');
    expect(await start.isDisabled()).toBe(true);
    expect(await start.textContent()).not.toMatch(/^Start analysis/);
    expect(await start.getAttribute('title')).toMatch(/could not be read/);
    // Its Try again, in the outage still: busy while the status is asked again (the error stays
    // up meanwhile, and the button takes no second click), offered again once that read gave up too.
    await runPanel.locator('[data-testid="error-banner"] button', { hasText: 'Try again' }).click();
    await runPanel.locator('[data-testid="error-banner"] button[aria-busy="true"][aria-disabled="true"]', { hasText: 'Try again' }).waitFor();
    await runPanelGaveUp(frame);
    expect(await runPanel.locator('[data-testid="error-banner"]').textContent()).toMatch(/^Could not read the analysis status/);
    // The queue failed too, and its counts are unknown.
    await frame.locator('[data-testid="review-queue"] [data-testid="error-banner"]').waitFor();
    expect(await frame.locator('[data-testid="tab-count-pending"]').count()).toBe(0);
    await s.browser.screenshot('e2e-recovery-outage');
  });

  it("reads the counts again when the run panel's Try again works after an outage", async () => {
    const before = await stats();
    const frame = await projectPageInOutage();
    const runPanel = frame.locator('[data-testid="run-panel"]');
    const start = frame.locator('[data-testid="run-start"]');
    await frame.locator('[data-testid="review-queue"] [data-testid="error-banner"]').waitFor();
    expect(await frame.locator('[data-testid="tab-count-pending"]').count()).toBe(0);
    // The fault clears; the run panel's Try again brings back the status and, with it, the counts.
    s.sandbox.jira.faults.clear();
    await runPanel.locator('[data-testid="error-banner"] button', { hasText: 'Try again' }).click();
    await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor();
    expect(await start.isDisabled()).toBe(false);
    expect(await start.textContent()).toBe('Run analysis again');
    await frame.locator('[data-testid="tab-count-pending"]').filter({ hasText: before.byStatus.pending.toLocaleString('en-US') }).waitFor({ timeout: 15_000 });
  });

  it('gives the charts a Try again of their own after an outage', async () => {
    const frame = await projectPageInOutage();
    await frame.locator('[data-testid="tab-insights"]').click();
    const panel = frame.locator('#view-panel-insights');
    const statsError = panel.locator('[data-testid="stats-error"]', { hasText: 'HTTP 503' });
    await statsError.waitFor({ timeout: 30_000 });
    // The click gave the frame the focus, and the run panel reads its status again when it gets
    // it: that read, and the Charts tab's own, end (in the outage) before Jira is back. One
    // still going would succeed then, and the run panel's recovery reads the counts again too.
    await runPanelGaveUp(frame);
    await everyCallAnswered();
    s.sandbox.jira.faults.clear();
    const retry = statsError.getByRole('button', { name: 'Try again' });
    expect(await retry.count()).toBe(1);
    await retry.click();
    await frame.locator('[data-testid="chart-scores"]').waitFor();
    expect(await statsError.count()).toBe(0);
    // The charts came back by their own Try again: the run panel has not read its status since.
    expect(await frame.locator('[data-testid="run-panel"] [data-testid="error-banner"]').count()).toBe(1);
  });

  it('reads the counts again after a cluster is linked, so the review queue does not show stale ones', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="tab-count-confirmed"]').waitFor();
    const confirmedBefore = (await stats()).byStatus.confirmed;
    const { mine } = await openClusterLinker(frame);
    const boxes = mine.locator('[data-testid="cluster-link-choices"] input[type="checkbox"]');
    await boxes.first().waitFor();
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    await mine.locator('[data-testid="cluster-link-submit"]').click();
    await mine.locator('[data-testid="cluster-link-result"]').waitFor();
    const confirmedAfter = (await stats()).byStatus.confirmed;
    expect(confirmedAfter).toBeGreaterThan(confirmedBefore);

    await frame.locator('[data-testid="tab-review"]').click();
    await frame.locator('[data-testid="tab-count-confirmed"]').filter({ hasText: new RegExp(`^${confirmedAfter}$`) }).waitFor({ timeout: 15_000 });
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await frame.locator('[data-testid="pair-total"]').filter({ hasText: new RegExp(`^${confirmedAfter} pairs?$`) }).waitFor();
  });

  it('dims the old rows and takes them out of reach while the rows a new filter asked for load', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-row"]');
    await rows.first().waitFor();
    const oldId = await rows.first().getAttribute('data-pair-id');
    const updating = frame.locator('[data-testid="review-queue"] [role="status"]', { hasText: 'Updating…' });
    expect(await updating.count()).toBe(0);
    // Jira slowed down: the new page takes seconds.
    s.sandbox.jira.faults.latency(4_000, PERMISSION_CHECKS);
    await frame.locator('[data-testid="filter-tier"]').selectOption('related');
    await updating.waitFor();
    const old = frame.locator(`[data-testid="pair-row"][data-pair-id="${oldId}"]`);
    expect(await old.count()).toBe(1);
    // The old rows are still there, dimmed, and nothing in them can be clicked or focused.
    const reach = await old.locator('[data-testid="pair-confirm"]').evaluate((button: { closest(s: string): unknown; focus(): void; ownerDocument: { activeElement: unknown } }) => {
      button.focus();
      return { inert: button.closest('[inert]') !== null, focusable: button.ownerDocument.activeElement === button };
    });
    expect(reach).toEqual({ inert: true, focusable: false });
    const opacity = Number(await frame.evaluate("getComputedStyle(document.querySelector('[data-testid=\"review-queue\"] [inert]')).opacity"));
    expect(opacity).toBeLessThan(1);
    // Screen readers hear that the list is being updated.
    expect(await frame.locator('[data-testid="pair-list"]').getAttribute('aria-busy')).toBe('true');
    await s.browser.screenshot('e2e-queue-stale-rows');
    // Once the related pairs arrive, they are live again.
    await updating.waitFor({ state: 'detached', timeout: 30_000 });
    expect(new Set((await frame.locator('[data-testid="pair-table"] [data-testid="tier"]').allTextContents()).map((t) => t.toLowerCase()))).toEqual(new Set(['related']));
    expect(await frame.locator('[data-testid="review-queue"] [inert]').count()).toBe(0);
    expect(await frame.locator('[data-testid="pair-list"]').getAttribute('aria-busy')).toBe('false');
  });

  it('brings the top of the next page into view and focuses the list after Next at the bottom', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-row"]');
    await rows.nth(PAGE_SIZE - 1).waitFor();
    const firstId = await rows.first().getAttribute('data-pair-id');
    const viewport = s.page.viewportSize()?.height ?? 900;
    // At the bottom of a long page, the first row is far above the screen.
    await frame.locator('[data-testid="page-next"]').scrollIntoViewIfNeeded();
    expect((await onScreen(frame, '[data-testid="pair-row"]')).y).toBeLessThan(0);
    await frame.locator('[data-testid="page-next"]').click();
    await frame.locator(`[data-testid="pair-row"]:not([data-pair-id="${firstId}"])`).first().waitFor();
    await frame.locator('[data-testid="pagination"] [aria-current="page"]').filter({ hasText: /^2$/ }).waitFor();
    const top = await onScreen(frame, '[data-testid="pair-row"]');
    expect(top.y).toBeGreaterThanOrEqual(0);
    expect(top.y + top.height).toBeLessThanOrEqual(viewport);
    expect(await focused(frame)).toBe('pair-list');

    // The history pages the same way: make it long enough for two pages first.
    // A full page of single decisions on top (a bulk action before them shows as one entry).
    await historyOfAtLeast(Math.max(PAGE_SIZE + 5, (await historyTotal()) + PAGE_SIZE));
    const again = await s.projectPage();
    await again.locator('[data-testid="tab-history"]').click();
    await again.locator('[data-testid="history-row"]').nth(PAGE_SIZE - 1).waitFor();
    const firstRow = await again.locator('[data-testid="history-row"]').first().innerHTML();
    await again.locator('[data-testid="history"] [data-testid="page-next"]').scrollIntoViewIfNeeded();
    expect((await onScreen(again, '[data-testid="history-row"]')).y).toBeLessThan(0);
    await again.locator('[data-testid="history"] [data-testid="page-next"]').click();
    await again.locator('[data-testid="history"] [data-testid="pagination"] [aria-current="page"]').filter({ hasText: /^2$/ }).waitFor();
    await until(again, `document.querySelector('[data-testid="history-row"]').innerHTML !== ${JSON.stringify(firstRow)}`);
    const historyTop = await onScreen(again, '[data-testid="history-row"]');
    expect(historyTop.y).toBeGreaterThanOrEqual(0);
    expect(historyTop.y + historyTop.height).toBeLessThanOrEqual(viewport);
    expect(await focused(again)).toBe('table');
  });

  it('goes to the last page there is when acting on the last page of the queue empties it', async () => {
    const frame = await s.projectPage();
    const total = (await stats()).byStatus.pending;
    const last = Math.ceil(total / PAGE_SIZE);
    expect(last).toBeGreaterThan(1);
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator(`[data-testid="pagination"] button[aria-label="Page ${last}"]`).click();
    await frame.locator('[data-testid="pagination"] [aria-current="page"]').filter({ hasText: new RegExp(`^${last}$`) }).waitFor();
    const onLast = total - (last - 1) * PAGE_SIZE;
    await until(frame, `document.querySelectorAll('[data-testid="pair-row"]').length === ${onLast}`);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-dismiss"]').click();
    // Page `last` is gone: the queue shows the one before it, full, with its pagination.
    await frame.locator('[data-testid="pagination"] [aria-current="page"]').filter({ hasText: new RegExp(`^${last - 1}$`) }).waitFor({ timeout: 30_000 });
    await frame.locator('[data-testid="pair-row"]').nth(PAGE_SIZE - 1).waitFor();
    expect(await frame.locator('[data-testid="empty-queue"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="pair-total"]').textContent()).toBe(`${total - onLast} pairs`);
    await frame.locator('[data-testid="tab-count-pending"]').filter({ hasText: new RegExp(`^${total - onLast}$`) }).waitFor();
  });

  it('goes to the last page there is when a page of the history comes back empty', async () => {
    // At least 30 single decisions on top (a bulk action before them shows as one entry).
    await historyOfAtLeast(Math.max(2 * PAGE_SIZE + 5, (await historyTotal()) + 30));
    const frame = await s.projectPage();
    await frame.locator('[data-testid="tab-history"]').click();
    await frame.locator('[data-testid="history-row"]').nth(PAGE_SIZE - 1).waitFor();
    const pages = await frame.locator('[data-testid="history"] [data-testid="pagination"] button[aria-label^="Page "]').allTextContents();
    const last = Math.max(...pages.map(Number));
    expect(last).toBeGreaterThan(2);
    // Meanwhile the history was cut short (as the retention clean-up does): 30 actions stay.
    await s.sandbox.forge.sql.query('DELETE FROM actions WHERE id NOT IN (SELECT id FROM (SELECT id FROM actions ORDER BY at_ms DESC LIMIT 30) AS kept)', []);
    const left = await historyTotal();
    expect(left).toBeGreaterThan(PAGE_SIZE);
    expect(left).toBeLessThanOrEqual(2 * PAGE_SIZE);
    await frame.locator(`[data-testid="history"] [data-testid="pagination"] button[aria-label="Page ${last}"]`).click();
    await frame.locator('[data-testid="history"] [data-testid="pagination"] [aria-current="page"]').filter({ hasText: /^2$/ }).waitFor({ timeout: 15_000 });
    await frame.locator('[data-testid="history-row"]').first().waitFor();
    expect(await frame.locator('[data-testid="history-row"]').count()).toBe(left - PAGE_SIZE);
    expect(await frame.locator('[data-testid="history"] [data-testid="empty-state"]').count()).toBe(0);
  });

  it("lets the admin page's Try again also bring back the issue types that failed with the settings", async () => {
    // Jira down: the settings and the issue types both fail.
    s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 503, path: PERMISSION_CHECKS });
    s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 503, path: /\/rest\/api\/3\/issuetype\b/ });
    await s.open(ADMIN_PAGE, 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    const banner = frame.locator('[data-testid="error-banner"]').filter({ hasText: 'Settings could not be loaded' });
    await banner.waitFor({ timeout: 30_000 });
    await everyCallAnswered();
    expect(await frame.locator('[data-testid="settings-form"]').count()).toBe(0);
    s.sandbox.jira.faults.clear();
    await banner.locator('button', { hasText: 'Try again' }).click();
    await frame.locator('[data-testid="settings-form"]').waitFor();
    await frame.locator('[data-testid="issue-type-Bug"]').waitFor({ timeout: 15_000 });
    expect(await frame.locator('[data-testid="issue-types-load-error"]').count()).toBe(0);
  });

  it('gives the issue types a Try again of their own when only they could not be listed', async () => {
    s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 503, path: /\/rest\/api\/3\/issuetype\b/ });
    await s.open(ADMIN_PAGE, 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    const loadError = frame.locator('[data-testid="issue-types-load-error"]');
    await loadError.waitFor({ timeout: 30_000 });
    expect(await loadError.textContent()).toMatch(/could not be listed/);
    await s.browser.screenshot('e2e-admin-issue-types-retry');
    s.sandbox.jira.faults.clear();
    await frame.locator('[data-testid="issue-types-retry"]').click();
    await frame.locator('[data-testid="issue-type-Bug"]').waitFor({ timeout: 15_000 });
    expect(await loadError.count()).toBe(0);
  });
});
