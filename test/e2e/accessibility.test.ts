/**
 * Keyboard and narrow-frame use of the project page, in the sandbox shell, in headless
 * Chromium: focus that an action takes away lands somewhere useful, the queue's single-key
 * shortcuts act only inside the queue, a narrow frame needs no sideways scroll, and a
 * chart's numbers can be put in view without a pointer.
 */
import type { Frame } from 'playwright-core';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** What has the focus in the frame: its test id, or its tag when it has none. */
const focused = (frame: Frame): Promise<string> =>
  frame.evaluate(`(() => {
    const el = document.activeElement;
    if (el === null || el === document.body) return 'body';
    return el.getAttribute('data-testid') ?? el.getAttribute('role') ?? el.tagName.toLowerCase();
  })()`);

/** Resolves once focus in the frame is on something other than the page itself (or `notOn`); polled from here, as the app's CSP allows no eval. */
async function focusPlaced(frame: Frame, notOn = ''): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const now = await focused(frame);
    if (now !== 'body' && now !== notOn) return;
    if (Date.now() > until) throw new Error(`focus stayed on ${now}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeIf(missingForBrowserTests())('accessibility of the project page (browser)', () => {
  const s = useAppSession({ build: ['project-page', 'issue-panel'] });

  beforeAll(() => s.analyse(), 240_000);

  it('leaves room in the issue panel for the focus ring of a control at its left edge', async () => {
    const listed = (await s.resolver('project-page-resolver', 'pairs.list', { projectKey: 'SHOP', status: 'pending', tier: 'duplicate', pageSize: 1 }, 'member-1', { type: 'jira:projectPage', project: { key: 'SHOP' } })) as { items: Array<{ a: { key: string } }> };
    const key = listed.items[0]?.a.key ?? '';
    expect(key).not.toBe('');
    await s.open(`/browse/${key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="suggestion-key"]').first().waitFor();
    const controls = panel.locator('main :is(a[href], button, input, select, [tabindex="0"])');
    expect(await controls.count()).toBeGreaterThan(0);
    // The ring is 2 px wide, 2 px off the control: all of it inside the frame.
    const lefts = await controls.evaluateAll((els: Array<{ getBoundingClientRect(): { left: number; width: number } }>) =>
      els.map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => r.left),
    );
    const left = Math.min(...lefts);
    expect(left).toBeGreaterThanOrEqual(4);
  });

  it('keeps the project page\'s headings an outline in every tab: one h1, no level skipped', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    const outline = (): Promise<Array<[number, string]>> =>
      frame.locator('h1, h2, h3, h4, h5, h6').evaluateAll((els: Array<{ tagName: string; textContent: string | null }>) => els.map((e) => [Number(e.tagName.slice(1)), (e.textContent ?? '').trim()] as [number, string]));
    const skips = (hs: Array<[number, string]>): string[] => hs.flatMap(([level, text], i) => (i > 0 && level > hs[i - 1]![0] + 1 ? [`${text} (h${level} after h${hs[i - 1]![0]})`] : []));
    // Compare open on the queue tab: its heading and the two sides' summaries.
    await frame.locator('[data-testid="pair-view"]').first().click();
    await frame.locator('[data-testid="pair-detail"] h4').first().waitFor();
    // Each tab, its title and its section's own element (rendered once the section's code is in).
    const tabs: Array<[string, string, string]> = [
      ['tab-review', 'Review queue', 'review-queue'],
      ['tab-clusters', 'Clusters', 'clusters'],
      ['tab-insights', 'Charts', 'insights'],
      ['tab-history', 'History', 'history'],
    ];
    for (const [tab, title, section] of tabs) {
      if (tab !== 'tab-review') {
        await frame.locator(`[data-testid="${tab}"]`).click();
        await frame.locator('[data-testid="section-heading"]', { hasText: title }).waitFor();
        // The section's own headings (a cluster's, a chart's) come with what it reads: once it
        // is there and nothing in it is loading any more (no placeholder lines left).
        await frame.locator(`[role="tabpanel"] [data-testid="${section}"]`).waitFor();
        await frame.locator('[role="tabpanel"] [data-testid="skeleton"]').first().waitFor({ state: 'detached' });
      }
      const hs = await outline();
      expect(hs.filter(([l]) => l === 1)).toHaveLength(1);
      expect(hs).toContainEqual([2, title]);
      expect(skips(hs)).toEqual([]);
    }
    await frame.locator('[data-testid="tab-review"]').click();
  });

  it('acts on single-key shortcuts only inside the queue, so a stray key on a tab or button does nothing', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    // Focus on the Analysis panel's "Re-read every issue" box: j does not start moving through rows.
    await frame.locator('[data-testid="run-full"]').focus();
    await s.page.keyboard.press('j');
    expect(await frame.locator('[data-testid="pair-row"][data-active="true"]').count()).toBe(0);
    // Focus on the page's own tabs (Review queue, Clusters, …): neither.
    await frame.locator('[data-testid="tab-review"]').focus();
    await s.page.keyboard.press('j');
    expect(await frame.locator('[data-testid="pair-row"][data-active="true"]').count()).toBe(0);
    // Inside the queue (its select-all box), j moves to the first row, and d then dismisses it.
    const total = await frame.locator('[data-testid="tab-count-pending"]').innerText();
    await frame.locator('[data-testid="select-all"]').focus();
    await s.page.keyboard.press('j');
    const first = frame.locator('[data-testid="pair-row"][data-active="true"]');
    await first.waitFor();
    const id = await first.getAttribute('data-pair-id');
    await s.page.keyboard.press('d');
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"]`).waitFor({ state: 'detached' });
    expect(await frame.locator('[data-testid="tab-count-pending"]').innerText()).not.toBe(total);
    // Undo brings it back (u, also inside the queue).
    await s.page.keyboard.press('u');
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"]`).waitFor();
  });

  it('gives the focus to the list after a bulk action, and to the search box after Clear filters', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    // The decision line's live region is there, empty, before any decision: one added with its
    // first sentence is often not read out.
    const region = frame.locator('[data-testid="decision-status-text"]');
    expect([await region.count(), await region.getAttribute('role'), await region.textContent()]).toEqual([1, 'status', '']);
    const boxes = frame.locator('[data-testid="row-select"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await frame.locator('[data-testid="bulk-dismiss"]').focus();
    await s.page.keyboard.press('Enter');
    await frame.locator('[data-testid="tab-count-dismissed"]').filter({ hasText: /^2$/ }).waitFor();
    await focusPlaced(frame);
    expect(await focused(frame)).toBe('pair-list');
    expect(await frame.evaluate(`document.activeElement?.getAttribute('aria-label') ?? ''`)).toMatch(/^Pairs, page 1 of \d+$/);
    // A batch is taken back as a single decision is: Undo above the list.
    const status = frame.locator('[data-testid="decision-status"]');
    expect(await status.locator('[role="status"]').innerText()).toBe('Dismissed 2 pairs.');
    await frame.locator('[data-testid="decision-undo"]').click();
    await frame.locator('[data-testid="decision-status"][data-state="undone"]').waitFor();
    expect(await status.locator('[role="status"]').innerText()).toBe('Undone: 2 pairs are back to review.');
    await frame.locator('[data-testid="tab-count-dismissed"]').filter({ hasText: /^0$/ }).waitFor();

    await frame.locator('[data-testid="search-input"]').fill('cart');
    const clear = frame.locator('[data-testid="clear-filters"]:not([disabled])');
    await clear.waitFor();
    await clear.focus();
    await s.page.keyboard.press('Enter');
    const search = frame.locator('[data-testid="search-input"]');
    for (let i = 0; i < 100 && (await search.inputValue()) !== ''; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await search.inputValue()).toBe('');
    expect(await focused(frame)).toBe('search-input');
  });

  it('gives the focus to Cancel when an analysis starts, instead of dropping it', async () => {
    const frame = await s.projectPage();
    const start = frame.locator('[data-testid="run-start"]');
    await start.waitFor();
    // Slow Jira down so the run is still going when the panel shows it.
    s.sandbox.jira.faults.latency(400, /search/);
    try {
      await start.focus();
      await s.page.keyboard.press('Enter');
      await focusPlaced(frame, 'run-start');
      expect(['run-cancel', 'run-start']).toContain(await focused(frame));
    } finally {
      s.sandbox.jira.faults.clear();
      await s.sandbox.forge.queue.settle(120_000);
    }
    // The run ends by itself and takes Cancel away: the focus goes to Start, in its place.
    await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor({ timeout: 60_000 });
    await focusPlaced(frame);
    expect(await focused(frame)).toBe('run-start');
  });

  it('lays a queue row out as a card in a narrow frame: nothing to scroll sideways to, every action in view', async () => {
    const page = s.browser.page;
    const viewport = page.viewportSize();
    try {
      for (const width of [720, 600]) {
        await page.setViewportSize({ width, height: 900 });
        const frame = await s.projectPage();
        await frame.locator('[data-testid="pair-row"]').first().waitFor();
        const frameWidth = Number(await frame.evaluate('document.documentElement.clientWidth'));
        const sideways = await frame.evaluate(`({
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          table: Math.max(...Array.from(document.querySelectorAll('.dd-table-wrap'), (el) => el.scrollWidth - el.clientWidth)),
        })`);
        expect({ width, frameWidth: frameWidth <= 520 ? 'narrow' : frameWidth, sideways }).toEqual({ width, frameWidth: frameWidth <= 520 ? 'narrow' : frameWidth, sideways: { page: 0, table: 0 } });
        const outside = await frame
          .locator('[data-testid="pair-row"] button')
          .evaluateAll((els: Array<{ getBoundingClientRect(): { right: number }; textContent: string | null }>, w: number) => els.filter((el) => el.getBoundingClientRect().right > w + 0.5).map((el) => el.textContent), frameWidth);
        expect({ width, outside }).toEqual({ width, outside: [] });
        if (width === 600) {
          // The narrower shell leaves the frame under 520 px: the rows are cards there.
          expect(frameWidth).toBeLessThanOrEqual(520);
          expect(await frame.locator('[data-testid="pair-row"]').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(el).display)).toBe('grid');
          // Tabs that run past the frame have a shade at the edge to scroll to (covers that scroll with them hide it at the ends).
          expect(await frame.locator('[role="tablist"]').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundAttachment: string } }).getComputedStyle(el).backgroundAttachment)).toBe('local, local, scroll, scroll');
          await frame.locator('[data-testid="pair-row"]').first().scrollIntoViewIfNeeded();
          await s.browser.screenshot('e2e-queue-400', { fullPage: false });
          // A summary that is one long identifier wraps inside the card instead of running past it.
          const longWord = 'transientFailureOfITestAbfsListStatusRemoteIteratorTestWithAbfsIteratorDisabledWithoutHasNext';
          const right = await frame
            .locator('[data-testid="pair-row"] .dd-issue-line__summary')
            .first()
            .evaluate((el: { textContent: string | null; getBoundingClientRect(): { right: number } }, word: string) => {
              el.textContent = word;
              return el.getBoundingClientRect().right;
            }, longWord);
          expect(right).toBeLessThanOrEqual(frameWidth + 0.5);
          // A cluster's issues keep their summaries readable: on a line of their own, not a letter wide.
          await frame.locator('[data-testid="tab-clusters"]').click();
          await frame.locator('[data-testid="cluster-member"]').first().waitFor();
          const summaries = await frame
            .locator('[data-testid="cluster-member"] .dd-user-text')
            .evaluateAll((els: Array<{ getBoundingClientRect(): { width: number; right: number } }>) => els.map((el) => el.getBoundingClientRect()));
          expect(Math.min(...summaries.map((r) => r.width))).toBeGreaterThan(150);
          expect(Math.max(...summaries.map((r) => r.right))).toBeLessThanOrEqual(frameWidth + 0.5);
        }
        // The history too: each entry on two lines, nothing to scroll sideways to.
        await frame.locator('[data-testid="tab-history"]').click();
        await frame.locator('[data-testid="history-row"], [data-testid="history-group"]').first().waitFor();
        const historySideways = await frame.evaluate(`Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth, ...Array.from(document.querySelectorAll('.dd-table-wrap'), (el) => el.scrollWidth - el.clientWidth))`);
        expect({ width, historySideways }).toEqual({ width, historySideways: 0 });
      }
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
  });

  it('shows what was just decided, with its Undo, in view however far down the list it was decided', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-table"] [data-testid="pair-row"]');
    await rows.nth(14).waitFor();
    const undoFlags = s.page.locator('[data-testid="shell-flag"]').filter({ has: s.page.locator('[data-testid="shell-flag-action"]') });
    const before = await undoFlags.count();
    // Near the top, the line above the list is in view: no flag.
    const first = await rows.nth(0).getAttribute('data-pair-id');
    await rows.nth(0).locator('[data-testid="pair-dismiss"]').click();
    await frame.locator('[data-testid="decision-status"][data-state="done"]').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await undoFlags.count()).toBe(before);
    await frame.locator('[data-testid="decision-undo"]').click();
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${first}"]`).waitFor();
    // Far down (the page scrolled, the line out of sight): a flag says it, with its own Undo.
    const row = rows.nth(14);
    const id = await row.getAttribute('data-pair-id');
    await row.scrollIntoViewIfNeeded();
    await row.locator('[data-testid="pair-dismiss"]').click();
    const shown = undoFlags.filter({ hasText: /^.*Dismissed / });
    await shown.waitFor();
    expect(await shown.locator('[data-testid="shell-flag-action"]').textContent()).toBe('Undo');
    await shown.locator('[data-testid="shell-flag-action"]').click();
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${id}"]`).waitFor();
    await frame.locator('[data-testid="decision-status"][data-state="undone"]').waitFor();
    await shown.waitFor({ state: 'detached' });
    const pair = (await s.sandbox.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [id])) as Array<{ status: string }>;
    expect(pair[0]?.status).toBe('pending');
  });

  it('puts a chart\'s numbers in view on request, and keeps them out of the page\'s width while hidden', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="tab-insights"]').click();
    const chart = frame.locator('[data-testid="chart-runs"]');
    await chart.waitFor();
    const table = frame.locator('[data-testid="chart-runs-table"]');
    expect(await table.evaluate((el: { getBoundingClientRect(): { width: number } }) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    const toggle = frame.locator('[data-testid="chart-runs-numbers"]');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await s.page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await table.evaluate((el: { getBoundingClientRect(): { width: number } }) => el.getBoundingClientRect().width)).toBeGreaterThan(100);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await toggle.innerText()).toMatch(/^Hide numbers/);
  });
});
