/**
 * What the app's frames write to the browser console while they load: the issue panel and
 * the issue context, the project page, the admin page and the create check (the create
 * dialog's hidden frame) write no warning and no error, in headless Chromium in the sandbox
 * shell. Atlaskit's theme code asks platform feature flags; unanswered, each frame warned
 * once, "An error has occurred checking the feature gate … Client must be initialized before
 * using this method" (static/shared/theme.ts now answers them).
 */
import type { ConsoleMessage, Frame } from 'playwright-core';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

interface Logged {
  type: string;
  text: string;
  /** The script that wrote it (one of the app's builds under /static/<surface>/). */
  url: string;
}

/** Waits (up to 20 s) until Atlaskit's theme is set on the frame's page, which is when the flags are asked. */
async function themed(frame: Frame): Promise<void> {
  const deadline = Date.now() + 20_000;
  const theme = () => frame.evaluate(() => (globalThis as unknown as { document: { documentElement: { getAttribute(name: string): string | null } } }).document.documentElement.getAttribute('data-theme'));
  while (!(await theme())) {
    if (Date.now() > deadline) throw new Error(`No theme was set in ${frame.url()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeIf(missingForBrowserTests())("the app's frames write nothing to the console (browser)", () => {
  const s = useAppSession({ build: true });
  const logged: Logged[] = [];
  /** Where the test under way began in `logged`. */
  let mark = 0;
  /** What the app's own scripts wrote as warnings or errors during the test under way. */
  const fromApp = () => logged.slice(mark).filter((m) => (m.type === 'warning' || m.type === 'error') && m.url.includes('/static/'));

  beforeAll(async () => {
    await s.analyse();
    s.page.on('console', (m: ConsoleMessage) => logged.push({ type: m.type(), text: m.text(), url: m.location().url }));
  }, 240_000);

  beforeEach(() => {
    mark = logged.length;
  });

  it('the issue panel and the issue context', async () => {
    const page = await s.open('/browse/SHOP-2', 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="suggestion"]').first().waitFor();
    await themed(panel);
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await context.locator('[data-testid="suggestion"]').first().waitFor();
    await themed(context);
    expect(fromApp()).toEqual([]);
  });

  it('the project page', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await themed(frame);
    expect(fromApp()).toEqual([]);
  });

  it('the admin page', async () => {
    await s.open('/admin/apps/duplicates', 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="settings-form"]').waitFor();
    await themed(frame);
    expect(fromApp()).toEqual([]);
  });

  it('the create check', async () => {
    const page = await s.open('/projects/SHOP/issues', 'member-1');
    await page.click('[data-testid="create-button"]');
    await page.selectOption('[data-testid="create-project"]', 'SHOP');
    await page.locator('[data-testid="create-dialog"][data-uim-ready="true"]').waitFor();
    const existing = s.sandbox.jira.store.getIssue('SHOP-2');
    if (!existing) throw new Error('The sample backlog has no SHOP-2.');
    await page.fill('[data-testid="create-summary"]', existing.summary);
    await page.click('[data-testid="create-description"]');
    await page.locator('[data-testid="summary-description"]').filter({ hasText: /SHOP-2\b/ }).waitFor({ timeout: 20_000 });
    expect(fromApp()).toEqual([]);
  });

  it('said nothing of feature gates in any frame, the shell included', () => {
    expect(logged.filter((m) => /feature gate|Client must be initialized/i.test(m.text))).toEqual([]);
  });
});
