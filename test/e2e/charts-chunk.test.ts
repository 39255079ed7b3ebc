/**
 * The Charts tab's code (Chart.js) is loaded when the tab opens. When that load fails (the
 * network drops for a moment, or the app was upgraded and the old page asks for a file the new
 * build no longer has), the tab says so and offers Try again; the rest of the page stays. It
 * used to throw to the page's last-resort boundary, which put "Something went wrong while
 * showing this page" in place of everything, the review queue too.
 */
import { openAppSession, type AppSession } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';

jest.setTimeout(180_000);

const CHUNK = /\/insights-view-[^/]*\.js$/;

describeIf(missingForBrowserTests())('the Charts tab when its code cannot be loaded (browser)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ build: ['project-page'] });
    await s.analyse();
  }, 240_000);

  afterAll(async () => {
    await s?.close();
  });

  it('says so in the tab, keeps the page, and draws the charts after Try again', async () => {
    const frame = await s.projectPage('member-1', { colorMode: 'dark' });
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    let refused = 0;
    const refuse = (route: { abort(): Promise<void> }) => {
      refused++;
      return route.abort();
    };
    await s.page.route(CHUNK, refuse);
    // The page says what failed here, and the page's last-resort message never shows.
    const error = frame.locator('[data-testid="charts-load-error"]');
    try {
      await frame.locator('[data-testid="tab-insights"]').click();
      await error.waitFor();
    } finally {
      await s.page.unroute(CHUNK, refuse);
    }
    expect(refused).toBeGreaterThan(0);
    expect(await error.innerText()).toMatch(/charts could not be loaded/i);
    expect(await frame.getByText('Something went wrong while showing this page').count()).toBe(0);
    // The rest of the page is still there: the run panel and the tabs.
    expect(await frame.locator('[data-testid="run-panel"]').count()).toBe(1);
    expect(await frame.locator('[data-testid="tab-review"]').isVisible()).toBe(true);

    // Once the network is back, Try again loads the charts; the focus stays in the page.
    await error.getByRole('button', { name: 'Try again' }).click();
    await frame.locator('[data-testid="chart-scores"]').waitFor();
    expect(await error.count()).toBe(0);
    const focused = await frame.evaluate(() => {
      const doc = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null; body: unknown } }).document;
      return doc.activeElement === null || doc.activeElement === doc.body ? 'body' : doc.activeElement.getAttribute('data-testid');
    });
    expect(focused).toBe('tab-insights');
    // And the queue works as before.
    await frame.locator('[data-testid="tab-review"]').click();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
  });
});
