/**
 * The project page as a demanding reviewer uses it, in the sandbox shell, in headless
 * Chromium: a pair just decided, alone or in bulk, cannot be decided again while its row waits
 * for the list read again (a second key press was refused as someone else's decision, about
 * the person's own); Enter on the search already applied keeps the page and the selection; a
 * search typed just before Clear filters is cleared with them, not applied after; the
 * queue's keys leave the bulk confirmation's question alone; the cluster search says how many
 * clusters it leaves to screen readers; the charts fit a narrow frame without scrolling it
 * sideways.
 */
import { withHeldCalls } from './support/hold-calls';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('project page review (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });

  beforeAll(() => s.analyse(), 240_000);

  it('keeps a decided row out of reach until the list read again leaves it out: a second key decides nothing', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-row"]');
    await rows.nth(3).waitFor();
    const pending = Number(await frame.locator('[data-testid="tab-count-pending"]').innerText());
    const confirmed = Number(await frame.locator('[data-testid="tab-count-confirmed"]').innerText());
    const id = (await rows.nth(2).getAttribute('data-pair-id')) ?? '';
    const row = frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"]`);

    // The list read after the decision is held back: the row is still shown, its pair dismissed.
    await withHeldCalls(s.page, 'pairs.list', async () => {
      await row.locator('[data-testid="pair-dismiss"]').click();
      await frame.locator('[data-testid="decision-status-text"]', { hasText: 'Dismissed' }).waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.locator('[data-testid="pair-confirm"]').isDisabled()).toBe(true);
      expect(await row.locator('[data-testid="pair-dismiss"]').isDisabled()).toBe(true);
      // A fast reviewer's next key, meant for the next row, lands on this one: it is passed by.
      await s.page.keyboard.press('c');
      await new Promise((resolve) => setTimeout(resolve, 1500));
    });
    await row.waitFor({ state: 'detached' });
    // Nothing said about someone else's decision, and the pair stays dismissed, not confirmed.
    expect(await s.page.locator('[data-testid="shell-flag"]').allInnerTexts()).toEqual([]);
    const detail = (await s.resolver('project-page-resolver', 'pairs.detail', { pairId: id }, 'member-1')) as { pair: { status: string } };
    expect(detail.pair.status).toBe('dismissed');
    await until(frame, `document.querySelector('[data-testid="tab-count-pending"]')?.textContent === '${pending - 1}'`);
    expect(Number(await frame.locator('[data-testid="tab-count-confirmed"]').innerText())).toBe(confirmed);
    // Undo puts it back, and the next row is free to decide.
    await frame.locator('[data-testid="decision-undo"]').click();
    await frame.locator('[data-testid="decision-status"][data-state="undone"]').waitFor();
    await row.waitFor();
    await until(frame, `document.querySelector('[data-testid="pair-row"][data-pair-id="${id}"] [data-testid="pair-dismiss"]')?.disabled === false`);
  });

  it('keeps the rows of a bulk dismissal out of reach until the list read again leaves them out', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-row"]');
    await rows.nth(3).waitFor();
    const ids = await Promise.all([0, 1].map(async (n) => (await rows.nth(n).getAttribute('data-pair-id')) ?? ''));
    const row = (id: string) => frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"]`);
    // Ticked with the pointer: the second row is the active one, which keys act on.
    for (const id of ids) await row(id).locator('[data-testid="row-select"]').check();
    await withHeldCalls(s.page, 'pairs.list', async () => {
      await frame.locator('[data-testid="bulk-dismiss"]').click();
      await frame.locator('[data-testid="decision-status-text"]', { hasText: 'Dismissed 2 pairs' }).waitFor();
      for (const id of ids) {
        expect(await row(id).count()).toBe(1);
        expect(await row(id).locator('[data-testid="pair-confirm"]').isDisabled()).toBe(true);
      }
      // c, with the focus on the list after the bulk action: the active row's pair is dismissed already.
      await s.page.keyboard.press('c');
      await new Promise((resolve) => setTimeout(resolve, 1500));
    });
    for (const id of ids) await row(id).waitFor({ state: 'detached' });
    expect(await s.page.locator('[data-testid="shell-flag"]').allInnerTexts()).toEqual([]);
    for (const id of ids) {
      const detail = (await s.resolver('project-page-resolver', 'pairs.detail', { pairId: id }, 'member-1')) as { pair: { status: string } };
      expect(detail.pair.status).toBe('dismissed');
    }
  });

  it('leaves the page and the selection as they are when Enter is pressed on the search already applied', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="page-next"]').click();
    await until(frame, `document.querySelector('[data-testid="queue-announcement"]')?.textContent.includes('page 2 of')`);
    const id = (await frame.locator('[data-testid="pair-row"]').first().getAttribute('data-pair-id')) ?? '';
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"] [data-testid="row-select"]`).check();
    await frame.locator('[data-testid="search-input"]').focus();
    await s.page.keyboard.press('Enter');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await frame.locator('[data-testid="queue-announcement"]').innerText()).toContain('page 2 of');
    expect(await frame.locator('[data-testid="selected-count"]').innerText()).toBe('1 pair selected');
    expect(await frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"] [data-testid="row-select"]`).isChecked()).toBe(true);
    // A search typed and not yet applied still applies at once on Enter.
    const key = (await frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"] a`).first().innerText()).trim();
    await frame.locator('[data-testid="search-input"]').fill(key);
    await s.page.keyboard.press('Enter');
    await until(frame, `document.querySelector('[data-testid="queue-announcement"]')?.textContent.includes('page 1 of')`);
  });

  it('clears a search typed a moment before Clear filters, instead of applying it after', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="filter-tier"]').selectOption('duplicate');
    const clear = frame.locator('[data-testid="clear-filters"]:not([disabled])');
    await clear.waitFor();
    const search = frame.locator('[data-testid="search-input"]');
    // Typed, and Clear filters pressed before the search box's pause (300 ms) applies it.
    await search.fill('zzzqqq');
    await clear.click();
    expect(await search.inputValue()).toBe('');
    // Past the pause: nothing typed before the clear came back into the box or the filters.
    await s.page.waitForTimeout(800);
    expect(await search.inputValue()).toBe('');
    expect(await frame.locator('[data-testid="filter-tier"]').inputValue()).toBe('');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
  });

  it('keeps the queue\'s keys out of the bulk confirmation\'s question: u there takes nothing back', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-row"]');
    await rows.nth(3).waitFor();
    const dismissed = (await rows.nth(2).getAttribute('data-pair-id')) ?? '';
    await rows.nth(2).locator('[data-testid="pair-dismiss"]').click();
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${dismissed}"]`).waitFor({ state: 'detached' });
    await rows.first().locator('[data-testid="row-select"]').check();
    await frame.locator('[data-testid="bulk-confirm"]').click();
    await frame.locator('[data-testid="bulk-link-confirm"]').waitFor();
    expect(await frame.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe('bulk-link-cancel');
    await s.page.keyboard.press('u');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await frame.locator('[data-testid="decision-status"]').getAttribute('data-state')).toBe('done');
    const detail = (await s.resolver('project-page-resolver', 'pairs.detail', { pairId: dismissed }, 'member-1')) as { pair: { status: string } };
    expect(detail.pair.status).toBe('dismissed');
    expect(await frame.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe('bulk-link-cancel');
    // Escape still answers the question.
    await s.page.keyboard.press('Escape');
    await frame.locator('[data-testid="bulk-link-confirm"]').waitFor({ state: 'detached' });
  });

  it('tells screen readers how many clusters a search leaves', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="tab-clusters"]').click();
    const first = frame.locator('[data-testid="cluster"]').first();
    await first.waitFor();
    const status = frame.locator('[data-testid="clusters"] [role="status"]');
    const total = (await frame.locator('[data-testid="cluster-total"]').innerText()).trim();
    await until(frame, `document.querySelector('[data-testid="clusters"] [role="status"]')?.textContent.startsWith(${JSON.stringify(total)})`);
    // A member's key lists its cluster alone (clusters share no issue).
    const key = (await first.locator('[data-testid="cluster-member"] a').first().innerText()).trim();
    await frame.locator('[data-testid="cluster-search"]').fill(key);
    await until(frame, `document.querySelector('[data-testid="clusters"] [role="status"]')?.textContent === '1 cluster, page 1 of 1'`);
    await frame.locator('[data-testid="cluster-search"]').fill('nothing-is-called-this');
    await until(frame, `document.querySelector('[data-testid="clusters"] [role="status"]')?.textContent === '0 clusters'`);
    expect(await status.count()).toBe(1);
  });

  it('fits the charts into a narrow frame without scrolling it sideways', async () => {
    const page = s.browser.page;
    const viewport = page.viewportSize();
    try {
      await page.setViewportSize({ width: 320, height: 900 });
      const frame = await s.projectPage();
      await frame.locator('[data-testid="tab-insights"]').click();
      await frame.locator('[data-testid="chart-scores"] canvas').waitFor();
      const width = await frame.evaluate<{ client: number; scroll: number }>('({ client: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth })');
      expect(width.client).toBeLessThan(320);
      expect(width.scroll).toBe(width.client);
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
  });
});
