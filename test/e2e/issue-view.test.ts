/**
 * The issue view in the sandbox shell (and what the restricted user sees of the review
 * queue), in headless Chromium, on the sample backlog: the real builds, real resolvers,
 * real SQL, the Jira stand-in.
 */
import { plantedDuplicates } from '../../sandbox/seed';
import { MODULES, openAppSession, type AppSession } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';

jest.setTimeout(120_000);

const planted = plantedDuplicates();

/** The `nth` planted pair that `filter` accepts. */
function plantedPair(filter: (a: string, b: string) => boolean, nth = 0): [string, string] {
  const pair = planted.filter(([a, b]) => filter(a, b))[nth];
  if (!pair) throw new Error('The sample backlog no longer plants such a pair.');
  return pair;
}

describeIf(missingForBrowserTests())('issue view (browser)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ build: ['issue-panel', 'project-page'] });
    // Analysis of the three projects, cross-project pairs included, as set-up; the
    // project page test runs an analysis through the UI itself.
    const got = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Record<string, unknown> };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, crossProject: true } });
    await s.resolver('admin-page-resolver', 'run.start', {});
    await s.sandbox.forge.queue.settle(120_000);
  }, 180_000);

  afterAll(async () => {
    await s?.close();
  });

  it('shows a planted duplicate in the panel and the badge, and confirming it links the issues in Jira', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'));
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const item = panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`);
    await item.waitFor();
    await page.locator('[data-testid="issue-context-badge"]:not([hidden])').waitFor();
    // Expanding the issue context shows the same resource under the context module.
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await context.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
    // The context box is narrow: its issue keys (links that open the issue) stand for the
    // Open buttons, so each suggestion's actions keep one line; the panel keeps them.
    expect(await context.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="open-issue"]`).isVisible()).toBe(false);
    expect(await item.locator('[data-testid="open-issue"]').isVisible()).toBe(true);
    // The list's heading names the tier; the items do not repeat it.
    expect(await item.locator('[data-testid="tier"]').count()).toBe(0);
    await s.browser.screenshot('issue-panel');

    // The button says which way it links, and the flag agrees: the newer duplicates the older.
    const [older, newer] = [original, duplicate].sort((x, y) => (s.sandbox.jira.store.getIssue(x)?.created ?? '').localeCompare(s.sandbox.jira.store.getIssue(y)?.created ?? ''));
    expect(await item.locator('[data-testid="link-duplicate"]').innerText()).toBe(newer === original ? `Link as duplicate of ${duplicate}` : `Link ${duplicate} as duplicate`);
    // The narrow context box shows the short label; both say the way in their tooltip.
    const inContext = context.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="link-duplicate"]`);
    expect(await inContext.innerText()).toBe('Link as duplicate');
    expect(await inContext.getAttribute('title')).toBe(await item.locator('[data-testid="link-duplicate"]').getAttribute('title'));
    expect(await inContext.getAttribute('title')).toMatch(new RegExp(`${newer === original ? 'this issue' : duplicate}, the newer one, duplicates`));
    await item.locator('[data-testid="link-duplicate"]').click();
    await item.locator('[data-testid="linked"]').waitFor();
    await page.locator('[data-testid="shell-flag"]').filter({ hasText: `Linked in Jira: ${newer} duplicates ${older}` }).waitFor();
    const links = [...s.sandbox.jira.store.links.values()];
    const ids = new Set([s.sandbox.jira.store.getIssue(original)?.id, s.sandbox.jira.store.getIssue(duplicate)?.id]);
    expect(links.some((l) => ids.has(l.inwardIssueId) && ids.has(l.outwardIssueId))).toBe(true);
    // The shell re-reads the issue after the invoke and shows the new link.
    await page.locator(`#issue-links li[data-link-type="Duplicate"] a[href="/browse/${duplicate}"]`).waitFor();
    await s.browser.screenshot('e2e-confirm-link');

    // A link made by mistake is undone in place: Unlink removes it in Jira and the pair is
    // back to review, with its Link button.
    await item.locator('[data-testid="unlink"]').click();
    await item.locator('[data-testid="link-duplicate"]').waitFor();
    expect(await item.locator('[data-testid="linked"]').count()).toBe(0);
    await page.locator('[data-testid="shell-flag"]').filter({ hasText: `Duplicate link to ${duplicate} removed` }).waitFor();
    expect([...s.sandbox.jira.store.links.values()].some((l) => ids.has(l.inwardIssueId) && ids.has(l.outwardIssueId))).toBe(false);
  });

  it('keeps a dismissed suggestion dismissed after a re-run, and the issue context box follows a decision made in the panel', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('MOB') && b.startsWith('MOB'));
    const page = await s.open(`/browse/${original}`, 'member-1');
    let panel = await s.frame(MODULES.issuePanel);
    const active = `[data-testid="suggestion"][data-issue-key="${duplicate}"]`;
    const activeLists = `[data-testid="duplicates"] ${active}, [data-testid="related"] ${active}`;
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await context.locator(activeLists).waitFor();
    await panel.locator(active).locator('[data-testid="dismiss"]').click();
    await panel.locator('[data-testid="undo-banner"]').waitFor();
    // A dismissal changes nothing in Jira: the panel tells the context box itself.
    await context.locator(activeLists).waitFor({ state: 'detached' });

    await s.analyse('MOB');
    await s.open(`/browse/${original}`, 'member-1');
    panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    await panel.locator(`[data-testid="dismissed"] ${active}`).waitFor();
    expect(await panel.locator(activeLists).count()).toBe(0);
    await s.browser.screenshot('e2e-dismiss-stays');
  });

  it('shows the restricted user nothing from a project they cannot browse', async () => {
    const [opsIssue, shopIssue] = plantedPair((a, b) => a.startsWith('OPS') && b.startsWith('SHOP'));
    // The admin sees the cross-project suggestion...
    await s.open(`/browse/${shopIssue}`, 'admin-1');
    let panel = await s.frame(MODULES.issuePanel);
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${opsIssue}"]`).waitFor();

    // ...Riley, who cannot browse OPS, gets the panel without it, and no OPS anywhere.
    const page = await s.open(`/browse/${shopIssue}`, 'restricted-1');
    panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="issue-panel"]').waitFor();
    await panel.locator('[data-testid="computed-at"]').waitFor();
    expect(await panel.locator('[data-issue-key^="OPS-"]').count()).toBe(0);
    expect(await panel.locator('body').textContent()).not.toContain('OPS-');
    await s.browser.screenshot('e2e-restricted-panel');

    // The SHOP review queue lists the cross-project pair for the admin, not for Riley.
    await s.open('/projects/SHOP/apps/duplicates', 'admin-1');
    let queue = await s.frame(MODULES.projectPage);
    await queue.locator('[data-testid="search-input"]').fill(opsIssue);
    await queue.locator(`[data-testid="pair-row"]:has-text("${opsIssue}")`).first().waitFor();
    await s.open('/projects/SHOP/apps/duplicates', 'restricted-1');
    queue = await s.frame(MODULES.projectPage);
    await queue.locator('[data-testid="pair-row"]').first().waitFor();
    await queue.locator('[data-testid="search-input"]').fill(opsIssue);
    await queue.locator('[data-testid="empty-filtered"], [data-testid="empty-queue"]').first().waitFor();
    expect(await queue.locator('[data-testid="review-queue"]').textContent()).not.toContain('OPS-');
    await s.browser.screenshot('e2e-restricted-queue');

    await page.goto(new URL('/', s.sandbox.url).href);
    expect(await page.locator('[data-testid="project-list"]').textContent()).not.toContain('OPS');
    const opsPage = await page.goto(new URL(`/browse/${opsIssue}`, s.sandbox.url).href);
    expect(opsPage?.status()).toBe(404);
  });

  it('shows the viewer (no Link Issues permission) suggestions they cannot link', async () => {
    // A pair nobody has decided yet (the first SHOP pair was confirmed above).
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 1);
    await s.open(`/browse/${original}`, 'viewer-1');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
    const buttons = panel.locator('[data-testid="link-duplicate"]');
    expect(await buttons.count()).toBeGreaterThan(0);
    for (const button of await buttons.all()) expect(await button.isDisabled()).toBe(true);
    await s.browser.screenshot('e2e-viewer-no-link');
  });

  it('renders the issue view and the panel in the dark theme', async () => {
    const [original] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'));
    const page = await s.open(`/browse/${original}`, 'member-1', 'dark');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="issue-panel"]').waitFor();
    expect(await page.locator('html').getAttribute('data-color-mode')).toBe('dark');
    expect(await panel.locator('html').getAttribute('data-color-mode')).toBe('dark');
    // Dark means a dark background behind light text, in the shell and in the frame.
    const luminance = (rgb: string) => {
      const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const shellBg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    const frameText = await panel.evaluate('getComputedStyle(document.body).color');
    expect(luminance(String(shellBg))).toBeLessThan(60);
    expect(luminance(String(frameText))).toBeGreaterThan(140);
    await s.browser.screenshot('issue-panel-dark');
  });
});
