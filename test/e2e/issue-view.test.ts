/**
 * The issue view in the sandbox shell (and what the restricted user sees of the review
 * queue), in headless Chromium, on the sample backlog: the real builds, real resolvers,
 * real SQL, the Jira stand-in.
 */
import type { Locator, Route } from 'playwright-core';
import { plantedDuplicates } from '../../sandbox/seed';
import type { Settings, SuggestionsView } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { deleteRunRow, insertRun } from '../../src/store/runs';
import { luminance } from './support/colour';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

const planted = plantedDuplicates();

/** The `nth` planted pair that `filter` accepts. */
function plantedPair(filter: (a: string, b: string) => boolean, nth = 0): [string, string] {
  const pair = planted.filter(([a, b]) => filter(a, b))[nth];
  if (!pair) throw new Error('The sample backlog no longer plants such a pair.');
  return pair;
}

describeIf(missingForBrowserTests())('issue view (browser)', () => {
  const s = useAppSession({ build: ['issue-panel', 'project-page'] });

  /**
   * The panel's view of each issue of a project, asked one issue at a time: some thirty calls
   * at once, each asking Jira, outlast the app's wait for Jira on a busy machine.
   */
  async function suggestionsOf(projectKey: string): Promise<Array<{ key: string; view: SuggestionsView }>> {
    const views: Array<{ key: string; view: SuggestionsView }> = [];
    for (const i of [...s.sandbox.jira.store.issues.values()].filter((x) => x.key.startsWith(`${projectKey}-`))) {
      views.push({ key: i.key, view: (await s.resolver('issue-view-resolver', 'suggestions.get', { issueId: i.id })) as SuggestionsView });
    }
    return views;
  }

  beforeAll(async () => {
    // Analysis of the three projects, cross-project pairs included, as set-up; the
    // project page test runs an analysis through the UI itself.
    const got = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Record<string, unknown> };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, crossProject: true } });
    await s.resolver('admin-page-resolver', 'run.start', {});
    await s.sandbox.forge.queue.settle(120_000);
  }, 180_000);

  it('shows a planted duplicate in the panel and the badge, and confirming it links the issues in Jira', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'));
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const item = panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`);
    await item.waitFor();
    // The score's colour follows the tier the thresholds gave, not fixed numbers.
    expect(await item.locator('[data-testid="score"]').getAttribute('class')).toContain('dd-score--high');
    for (const related of await panel.locator('[data-testid="related"] [data-testid="score"]').all()) expect(await related.getAttribute('class')).toBe('dd-score ');
    // Each suggestion's buttons name its issue for screen readers, the visible words first.
    expect(await item.locator('[data-testid="dismiss"]').getAttribute('aria-label')).toBe(`Not a duplicate: ${duplicate}`);
    expect(await item.locator('[data-testid="open-issue"]').getAttribute('aria-label')).toBe(`Open ${duplicate}`);
    // The item itself is named by its issue, score and tier, not by its key link's "Open … in a new tab".
    const nameId = await item.getAttribute('aria-labelledby');
    expect(await item.locator(`#${nameId ?? 'none'}`).textContent()).toMatch(new RegExp(`^${duplicate}, \\d{1,3}% alike, possible duplicate$`));
    // The key is a link to the issue (copy link, Ctrl-click), opening in a new tab.
    expect(await item.locator('[data-testid="suggestion-key"]').getAttribute('href')).toMatch(new RegExp(`^https?://[^/]+/browse/${duplicate}$`));
    await page.locator('[data-testid="issue-context-badge"]:not([hidden])').waitFor();
    // Expanding the issue context shows the same resource under the context module.
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await context.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
    // The context box is narrow: its issue keys (links that open the issue) stand for the
    // Open buttons, so each suggestion's actions keep one line; the panel keeps them.
    const contextItem = context.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`);
    expect(await contextItem.locator('[data-testid="open-issue"]').isVisible()).toBe(false);
    expect(await item.locator('[data-testid="open-issue"]').isVisible()).toBe(true);
    // The list's heading names the tier; the items do not repeat it.
    expect(await item.locator('[data-testid="tier"]').count()).toBe(0);
    // The box's own title is "Possible duplicates": its list does not say it again (screen
    // readers still get the heading); the panel, titled "Similar issues", shows it.
    const width = async (title: Locator) => (await title.boundingBox())?.width ?? 0;
    expect(await width(context.locator('[data-testid="duplicates"] [data-testid="section-title"]'))).toBeLessThanOrEqual(1);
    expect(await width(panel.locator('[data-testid="duplicates"] [data-testid="section-title"]'))).toBeGreaterThan(100);
    await s.browser.screenshot('issue-panel');

    // The button says which way it links, and the flag agrees: the newer duplicates the older.
    const [older, newer] = [original, duplicate].sort((x, y) => (s.sandbox.jira.store.getIssue(x)?.created ?? '').localeCompare(s.sandbox.jira.store.getIssue(y)?.created ?? ''));
    expect(await item.locator('[data-testid="link-duplicate"]').innerText()).toBe(newer === original ? `Link as duplicate of ${duplicate}` : `Link ${duplicate} as duplicate`);
    // The narrow context box shows the short label; both say the way in their tooltip.
    const inContext = contextItem.locator('[data-testid="link-duplicate"]');
    expect(await inContext.innerText()).toBe('Link as duplicate');
    expect(await inContext.getAttribute('title')).toBe(await item.locator('[data-testid="link-duplicate"]').getAttribute('title'));
    expect(await inContext.getAttribute('title')).toMatch(new RegExp(`: ${newer === original ? 'this issue' : duplicate} duplicates`));
    // A tooltip is nothing to keyboard and touch users: the box writes the way out, as the
    // button's description, and the actions still keep one line.
    const direction = contextItem.locator('[data-testid="link-direction"]');
    expect(await direction.innerText()).toBe(newer === original ? `Links this issue as a duplicate of ${duplicate}` : `Links ${duplicate} as a duplicate of this issue`);
    expect((await inContext.getAttribute('aria-describedby'))?.split(' ')).toContain(await direction.getAttribute('id'));
    expect((await contextItem.locator('[data-testid="dismiss"]').boundingBox())?.y).toBe((await inContext.boundingBox())?.y);
    expect(await item.locator('[data-testid="link-direction"]').count()).toBe(0);
    const heading = panel.locator('[data-testid="duplicates"] [data-testid="section-title"]');
    const toReview = Number((await heading.locator('[data-testid="section-count"]').innerText()) || '0');
    await item.locator('[data-testid="link-duplicate"]').click();
    await item.locator('[data-testid="linked"]').waitFor();
    // The heading counts what is left to review, as the badge does, and says the confirmed one apart.
    await heading.locator('[data-testid="section-confirmed"]').waitFor();
    expect(await heading.locator('[data-testid="section-confirmed"]').innerText()).toMatch(/1 confirmed$/);
    expect(toReview > 1 ? Number(await heading.locator('[data-testid="section-count"]').innerText()) : await heading.locator('[data-testid="section-count"]').count()).toBe(toReview > 1 ? toReview - 1 : 0);
    // Who linked it and when, where Unlink is.
    expect(await item.locator('[data-testid="decided"]').innerText()).toMatch(/^Confirmed by you (just now|\d+ minutes? ago)$/);
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
    const unlinked = page.locator('[data-testid="shell-flag"]').filter({ hasText: `Duplicate link to ${duplicate} removed` });
    await unlinked.waitFor();
    // The issue view speaks of issues and suggestions, never of "pairs".
    expect(await unlinked.innerText()).toContain(`${duplicate} is back among the suggestions to review`);
    expect(await unlinked.innerText()).not.toMatch(/\bpair/i);
    expect([...s.sandbox.jira.store.links.values()].some((l) => ids.has(l.inwardIssueId) && ids.has(l.outwardIssueId))).toBe(false);
    expect(await item.locator('[data-testid="decided"]').count()).toBe(0);
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

  it('says who dismissed a suggestion and when: "you" to the one who did, the name Jira shows to anyone else', async () => {
    // A pair nobody has decided yet (the first MOB pair was dismissed above).
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('MOB') && b.startsWith('MOB'), 1);
    const recently = (words: string) => new RegExp(`^${words} (just now|\\d+ minutes? ago)$`);
    let page = await s.open(`/browse/${original}`, 'member-1');
    let panel = await s.frame(MODULES.issuePanel);
    const inDismissed = `[data-testid="dismissed"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`;
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"]`).click();
    await panel.locator('[data-testid="undo-banner"]').waitFor();
    // Straight after the dismissal, without a reload: the viewer's own.
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    let decided = panel.locator(`${inDismissed} [data-testid="decided"]`);
    expect(await decided.innerText()).toMatch(recently('Dismissed by you'));
    // Why, from the Undo banner: said there, and beside who dismissed it.
    await panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-split"]').click();
    await panel.locator('[data-testid="undo-banner"]').filter({ hasText: 'Why: Split on purpose (one per team, component or version).' }).waitFor();
    expect(await panel.locator('[data-testid="dismiss-reason-split"]').getAttribute('aria-pressed')).toBe('true');
    const reason = panel.locator(`${inDismissed} [data-testid="dismiss-reason"]`);
    await reason.waitFor();
    expect(await reason.innerText()).toBe('Why: Split on purpose (one per team, component or version)');
    // Another reason replaces it; as related, the two can be linked as such in Jira from the banner.
    expect(await panel.locator('[data-testid="dismiss-link-related"]').count()).toBe(0);
    await panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-related"]').click();
    await panel.locator('[data-testid="dismiss-link-related"]').click();
    await panel.locator('[data-testid="undo-banner"]').filter({ hasText: `Linked in Jira: ${duplicate} relates to ${original}.` }).waitFor();
    await panel.locator(`${inDismissed} [data-testid="dismiss-reason"]`).filter({ hasText: 'Why: Related, but separate work' }).waitFor();
    await panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-split"]').click();
    await reason.filter({ hasText: 'Why: Split on purpose' }).waitFor();
    // Pressed again, it is taken back (a toggle, as it says it is); pressed once more, given again.
    await panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-split"]').click();
    await reason.waitFor({ state: 'detached' });
    expect(await panel.locator('[data-testid="undo-banner"] [aria-pressed="true"]').count()).toBe(0);
    expect(await panel.locator('[data-testid="undo-banner"]').innerText()).not.toContain('Why:');
    await panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-split"]').click();
    await reason.filter({ hasText: 'Why: Split on purpose' }).waitFor();
    // Taken back and given again at once: the second press, made while the first is saved, is
    // kept for after it (it used to be dropped, leaving no reason).
    const split = panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-split"]');
    // The taking back is held on its way until the second press is made, so that press comes
    // while it is being saved.
    let secondPressMade = (): void => undefined;
    const pressed = new Promise<void>((resolve) => (secondPressMade = resolve));
    let takeBackSent = (): void => undefined;
    const sent = new Promise<void>((resolve) => (takeBackSent = resolve));
    let heldDone = (): void => undefined;
    const held = new Promise<void>((resolve) => (heldDone = resolve));
    const slow = async (route: Route) => {
      const takeBack = /reason\\?":null/.test(route.request().postData() ?? '');
      if (!takeBack) return route.continue();
      takeBackSent();
      await pressed;
      // Answered to the page only once the server has saved it.
      await route.fulfill({ response: await route.fetch() });
      heldDone();
    };
    await s.page.route('**/__bridge', slow);
    try {
      await split.click();
      await sent;
      await split.click();
      secondPressMade();
      await held;
    } finally {
      secondPressMade();
      await s.page.unroute('**/__bridge', slow);
    }
    // The taking back is saved; then the press made meanwhile is saved too: the reason stored
    // is the one pressed last.
    const ids = [original, duplicate].map((key) => s.sandbox.jira.store.getIssue(key)?.id ?? '');
    const storedReason = async () =>
      ((await s.sandbox.forge.sql.query('SELECT dismiss_reason FROM pairs WHERE (issue_a = ? AND issue_b = ?) OR (issue_a = ? AND issue_b = ?)', [...ids, ...[...ids].reverse()])) as Array<{
        dismiss_reason: string | null;
      }>)[0]?.dismiss_reason ?? null;
    const deadline = Date.now() + 10_000;
    while ((await storedReason()) !== 'split' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await storedReason()).toBe('split');
    await panel.locator('[data-testid="undo-banner"]').filter({ hasText: 'Why: Split on purpose' }).waitFor();
    await reason.filter({ hasText: 'Why: Split on purpose' }).waitFor();
    // The exact time in the tooltip, and Restore says what it undoes.
    expect(await decided.locator('time[title]').getAttribute('title')).toMatch(/\d/);
    expect(await panel.locator(`${inDismissed} [data-testid="restore"]`).getAttribute('aria-describedby')).toBe(await decided.getAttribute('id'));

    // Someone else sees the name Jira shows them, in the panel and in the narrow context box.
    page = await s.open(`/browse/${original}`, 'admin-1');
    panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    decided = panel.locator(`${inDismissed} [data-testid="decided"]`);
    expect(await decided.innerText()).toMatch(recently('Dismissed by Morgan Member'));
    expect(await panel.locator(`${inDismissed} [data-testid="dismiss-reason"]`).innerText()).toBe('Why: Split on purpose (one per team, component or version)');
    // A reason someone else gives later is said to be theirs, not the dismisser's.
    const pairId = (await panel.locator(inDismissed).getAttribute('data-pair-id')) ?? '';
    const mob = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'MOB');
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId, decision: 'dismiss', reason: 'different', expected: 'dismissed' }, 'admin-1', { type: 'jira:projectPage', project: { id: mob?.id, key: 'MOB' } });
    page = await s.open(`/browse/${original}`, 'member-1');
    panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    expect(await panel.locator(`${inDismissed} [data-testid="dismiss-reason"]`).innerText()).toBe('Why (said by Alex Admin): Not the same problem');
    expect(await panel.locator(`${inDismissed} [data-testid="decided"]`).innerText()).toMatch(recently('Dismissed by you'));
    page = await s.open(`/browse/${original}`, 'admin-1');
    panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    expect(await panel.locator(`${inDismissed} [data-testid="dismiss-reason"]`).innerText()).toBe('Why (said by you): Not the same problem');
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await context.locator('[data-testid="toggle-dismissed"]').click();
    const inContext = context.locator(`${inDismissed} [data-testid="decided"]`);
    expect(await inContext.innerText()).toMatch(recently('Dismissed by Morgan Member'));
    // One line of small text, however narrow the box.
    expect((await inContext.boundingBox())?.height ?? 0).toBeLessThan(24);
    await s.browser.screenshot('e2e-dismissed-by');

    // Jira failing to give names costs the name only.
    s.sandbox.jira.faults.serverErrors({ count: 20, status: 503, path: /user\/bulk/ });
    try {
      await s.open(`/browse/${original}`, 'admin-1');
      panel = await s.frame(MODULES.issuePanel);
      await panel.locator('[data-testid="toggle-dismissed"]').click();
      expect(await panel.locator(`${inDismissed} [data-testid="decided"]`).innerText()).toMatch(recently('Dismissed by someone Jira did not name'));
    } finally {
      s.sandbox.jira.faults.clear();
    }
    // Restored, it is nobody's decision any more.
    await panel.locator(`${inDismissed} [data-testid="restore"]`).click();
    const restored = panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${duplicate}"], [data-testid="related"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`);
    await restored.waitFor();
    expect(await restored.locator('[data-testid="decided"]').count()).toBe(0);
  });

  it('takes a Relates link back with the dismissal it followed: Undo removes it from Jira, as the viewer', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('MOB') && b.startsWith('MOB'), 2);
    const store = s.sandbox.jira.store;
    const relatesBetween = () =>
      [...store.links.values()].filter((l) => store.linkTypes.get(l.typeId)?.name === 'Relates' && [store.issues.get(l.inwardIssueId)?.key, store.issues.get(l.outwardIssueId)?.key].sort().join() === [original, duplicate].sort().join());
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const row = `[data-testid="suggestion"][data-issue-key="${duplicate}"]`;
    await panel.locator(`${row} [data-testid="dismiss"]`).click();
    await panel.locator('[data-testid="undo-banner"] [data-testid="dismiss-reason-related"]').click();
    await panel.locator('[data-testid="dismiss-link-related"]').click();
    await panel.locator('[data-testid="undo-banner"]').filter({ hasText: `Linked in Jira: ${duplicate} relates to ${original}.` }).waitFor();
    expect(relatesBetween()).toHaveLength(1);
    await panel.locator('[data-testid="undo"]').click();
    await page.locator('[data-testid="shell-flag"]').filter({ hasText: 'The Relates link made in Jira is removed.' }).waitFor();
    expect(relatesBetween()).toHaveLength(0);
    // Back among the suggestions, with focus on it.
    await panel.locator(`[data-testid="duplicates"] ${row}, [data-testid="related"] ${row}`).waitFor();
    await panel.locator(`${row} :focus[data-testid="suggestion-key"]`).waitFor();
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
    const shellBg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    const frameText = await panel.evaluate('getComputedStyle(document.body).color');
    expect(luminance(String(shellBg))).toBeLessThan(0.05);
    expect(luminance(String(frameText))).toBeGreaterThan(0.25);
    await s.browser.screenshot('issue-panel-dark');
  });

  it('says when the issue\'s project is not in scope, and keeps showing what is stored as possibly out of date', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('OPS') && b.startsWith('OPS'));
    const views = await suggestionsOf('OPS');
    const lonely = views.find(({ view }) => view.indexed && view.duplicates.length + view.related.length + view.dismissed.length === 0)?.key;
    if (!lonely) throw new Error('Every OPS issue of the sample backlog has suggestions.');
    const got = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, projects: got.settings.projects.filter((p) => p !== 'OPS') } });
    try {
      await s.open(`/browse/${original}`, 'admin-1');
      let panel = await s.frame(MODULES.issuePanel);
      const notice = panel.locator('[data-testid="not-in-scope"]');
      await notice.waitFor();
      expect(await notice.innerText()).toBe(
        'OPS is not among the projects the app analyses, so this issue is not checked for duplicates, and the suggestions below are no longer kept up to date. A Jira admin can add it under Apps → Duplicate detection.',
      );
      await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
      await s.browser.screenshot('e2e-panel-out-of-scope');

      // Nothing stored: the notice alone, not "nothing in scope is similar enough".
      await s.open(`/browse/${lonely}`, 'admin-1');
      panel = await s.frame(MODULES.issuePanel);
      await panel.locator('[data-testid="not-in-scope"]').filter({ hasText: 'so this issue is not checked for duplicates. A Jira admin' }).waitFor();
      expect(await panel.locator('[data-testid="empty-none"], [data-testid="empty-not-indexed"]').count()).toBe(0);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: got.settings });
    }
    await s.open(`/browse/${original}`, 'admin-1');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
    expect(await panel.locator('[data-testid="not-in-scope"]').count()).toBe(0);
  });

  it('shows five suggestions a list until asked for more, and once the issue is a duplicate, stops inviting links that would make it one again', async () => {
    // Eight reports of one problem: the newest has seven older possible duplicates.
    const places = ['in checkout', 'on mobile web', 'for EUR cards', 'twice in a row', 'in the iOS app', 'after signing in', 'with a promo code', 'for guest shoppers'];
    const created = places.map((place) =>
      s.sandbox.jira.createIssue({
        projectKey: 'SHOP',
        type: 'Bug',
        summary: `Gift card balance not shown after redeeming the card ${place}`,
        description: 'The gift card balance keeps the old value after the card is redeemed; reloading the page shows the right one.',
      }),
    );
    await s.analyse('SHOP');
    const newest = created[created.length - 1];
    if (!newest) throw new Error('no issue created');
    const page = await s.open(`/browse/${newest.key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const list = panel.locator('[data-testid="duplicates"]');
    const items = list.locator('[data-testid="suggestion"]');
    const more = list.locator('[data-testid="show-more"]');
    await more.waitFor();
    const total = Number(await list.locator('[data-testid="section-count"]').innerText());
    expect(total).toBeGreaterThanOrEqual(7);
    expect(await items.count()).toBe(5);
    expect(await more.innerText()).toBe(`Show ${total - 5} more`);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    expect(await items.count()).toBe(total);
    // Keyboard users land on the first suggestion they had not seen.
    await panel.locator(':focus[data-testid="suggestion-key"]').waitFor();
    expect(await items.nth(5).locator(':focus[data-testid="suggestion-key"]').count()).toBe(1);
    expect(await more.innerText()).toBe('Show fewer');
    await more.click();
    expect(await items.count()).toBe(5);
    // The context box has the same limit.
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await context.locator('[data-testid="duplicates"] [data-testid="show-more"]').waitFor();
    expect(await context.locator('[data-testid="duplicates"] [data-testid="suggestion"]').count()).toBe(5);

    // Every suggestion is older, so each link would make this issue the duplicate.
    const first = items.first();
    const firstKey = (await first.getAttribute('data-issue-key')) ?? '';
    const second = items.nth(1);
    const buttonOf = (item: Locator) => item.locator('[data-testid="link-duplicate"]');
    for (const item of [first, second]) {
      expect(await buttonOf(item).getAttribute('data-direction')).toBe('this');
      expect(await buttonOf(item).getAttribute('class')).toContain('dd-btn--primary');
    }
    expect(await panel.locator('[data-testid="already-duplicate"]').count()).toBe(0);
    await buttonOf(first).click();
    await first.locator('[data-testid="linked"]').waitFor();
    // This issue now duplicates the first. Linking the second the same way would make it
    // duplicate two issues, so the panel offers the chain instead: the second as a duplicate of
    // this one. Jira would take the other way too, so it stays possible, saying what it adds to.
    const secondKey = (await second.getAttribute('data-issue-key')) ?? '';
    await second.locator('[data-testid="link-duplicate"][data-direction="other"]').waitFor();
    expect(await buttonOf(second).innerText()).toBe(`Link ${secondKey} as duplicate`);
    const note = second.locator('[data-testid="reverse-already-duplicate"]');
    expect(await note.innerText()).toBe(`This issue is already linked as a duplicate of ${firstKey}.`);
    expect(await second.locator('[data-testid="link-reverse"]').getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));
    expect(await panel.locator('[data-testid="already-duplicate"]').count()).toBe(0);
    // The context box hears of the link and says the same.
    await context.locator(`[data-testid="suggestion"][data-issue-key="${secondKey}"] [data-testid="link-duplicate"][data-direction="other"]`).waitFor();
    await s.browser.screenshot('e2e-panel-after-link');

    // A link Jira refuses: the flag says what failed, in the project page's words.
    s.sandbox.jira.faults.serverErrors({ count: 10, status: 500, path: /\/issueLink$/ });
    try {
      await buttonOf(second).click();
      await page.locator('[data-testid="shell-flag"]').filter({ hasText: 'Not confirmed' }).waitFor();
    } finally {
      s.sandbox.jira.faults.clear();
    }
    expect(await second.locator('[data-testid="linked"]').count()).toBe(0);

    // Unlinked again, the others link this issue as the duplicate once more.
    await first.locator('[data-testid="unlink"]').click();
    await buttonOf(first).waitFor();
    await note.waitFor({ state: 'detached' });
    await second.locator('[data-testid="link-duplicate"][data-direction="this"]').waitFor();
    expect(await buttonOf(second).getAttribute('class')).toContain('dd-btn--primary');
  });
  it('invites a link only for possible duplicates, and offers no "Not a duplicate" for a pair someone linked in Jira', async () => {
    // An issue with suggestions of both tiers, for someone who may link.
    const views = await suggestionsOf('SHOP');
    const both = views.find(({ view }) => view.duplicates.some((d) => d.status === 'pending' && !d.linked) && view.related.some((r) => r.status === 'pending' && !r.linked));
    if (!both) throw new Error('No SHOP issue of the sample backlog has pending suggestions of both tiers.');
    await s.open(`/browse/${both.key}`, 'member-1');
    let panel = await s.frame(MODULES.issuePanel);
    const related = panel.locator('[data-testid="related"] [data-testid="link-duplicate"]').first();
    await related.waitFor();
    expect(await related.getAttribute('class')).not.toContain('dd-btn--primary');
    expect(await panel.locator('[data-testid="duplicates"] [data-testid="link-duplicate"]').first().getAttribute('class')).toContain('dd-btn--primary');

    // Someone links a suggestion as a duplicate in Jira itself.
    const target = both.view.duplicates.find((d) => d.status === 'pending' && !d.linked);
    if (!target) throw new Error('unreachable');
    const [inward, outward] = target.thisIsDuplicate ? [both.key, target.issue.key] : [target.issue.key, both.key];
    s.sandbox.jira.link('Duplicate', inward, outward);
    await s.open(`/browse/${both.key}`, 'member-1');
    panel = await s.frame(MODULES.issuePanel);
    const item = panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${target.issue.key}"]`);
    await item.locator('[data-testid="linked"]').waitFor();
    expect(await item.locator('[data-testid="linked-in-jira"]').innerText()).toBe('Already linked as duplicates in Jira.');
    expect(await item.locator('[data-testid="dismiss"]').count()).toBe(0);
    expect(await item.locator('[data-testid="link-duplicate"]').count()).toBe(0);
  });
  it('says when the issue\'s type is not among the types analysed, instead of pointing at an analysis that would not read it', async () => {
    const store = s.sandbox.jira.store;
    const typeOf = (typeId: string): string => store.issueTypes.get(typeId)?.name ?? '';
    const found = [...store.issues.values()].find((i) => i.key.startsWith('SHOP-') && typeOf(i.typeId) !== 'Bug');
    if (!found) throw new Error('The sample backlog has no SHOP issue other than a Bug.');
    const story = { key: found.key, type: typeOf(found.typeId) };
    const got = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, issueTypes: ['Bug'] } });
    try {
      await s.open(`/browse/${story.key}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      const banner = panel.locator('[data-testid="type-not-analysed"]');
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(new RegExp(`^${story.type} is not among the issue types the app analyses, so this issue is not checked for duplicates`));
      expect(await panel.locator('[data-testid="empty-not-indexed"]').count()).toBe(0);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: got.settings });
    }
  });
  it('disables Not a duplicate, with the reason, for someone without Link Issues when the admin asks for it', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 2);
    const got = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, dismissNeedsLink: true } });
    try {
      await s.open(`/browse/${original}`, 'viewer-1');
      const panel = await s.frame(MODULES.issuePanel);
      const dismiss = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"]`);
      await dismiss.waitFor();
      expect(await dismiss.isDisabled()).toBe(true);
      expect(await dismiss.getAttribute('aria-label')).toContain('A Jira admin lets only people with the Link Issues permission dismiss or reopen suggestions');
      expect(await panel.locator('[data-testid="no-link-note"]').innerText()).toMatch(/A Jira admin lets only people who have it dismiss suggestions too\.$/);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: got.settings });
    }
  });
  it('says when the JQL filter leaves a new issue out, instead of waiting for it or pointing at an analysis', async () => {
    const got = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...got.settings, jqlFilter: 'labels = analysed-only' } });
    try {
      const created = s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: 'Gift card balance check allows unlimited attempts' });
      await s.open(`/browse/${created.key}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      const banner = panel.locator('[data-testid="filter-not-analysed"]');
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(/^The app's JQL filter leaves this issue out, so it is not checked for duplicates\./);
      expect(await panel.locator('[data-testid="empty-pending"]').count()).toBe(0);
      expect(await panel.locator('[data-testid="empty-not-indexed"]').count()).toBe(0);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: got.settings });
    }
  });
  it('says there was nothing to compare for a new issue of punctuation and emoji only, once its event has been handled', async () => {
    const created = s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: '!!! 🔥🔥 ???', description: '…' }, { accountId: 'member-1' });
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(60_000);
    await s.open(`/browse/${created.key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    // Waits for the created event's analysis as any new issue does, then says why nothing is listed.
    const empty = panel.locator('[data-testid="empty-no-words"]');
    await empty.waitFor();
    expect(await empty.innerText()).toMatch(/^Nothing to compare\s+This issue's summary and description hold no words/);
    expect(await panel.locator('[data-testid="empty-none"]').count()).toBe(0);
  });
  it('asks again by itself after a Jira outage, and shows the suggestions once Jira answers', async () => {
    const [original] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 2);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 503, path: /\/permissions\/check/ });
    try {
      await s.open(`/browse/${original}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      const banner = panel.locator('[data-testid="error-banner"]');
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(/The panel tries again by itself in about 5 s\./);
      s.sandbox.jira.faults.clear();
      // No Try again pressed: the suggestions come by themselves, and the error goes.
      await panel.locator('[data-testid="suggestion"]').first().waitFor({ timeout: 20_000 });
      expect(await banner.count()).toBe(0);
    } finally {
      s.sandbox.jira.faults.clear();
      warn.mockRestore();
    }
  });
  it('says when a decision is made but its history entry could not be written', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 2);
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const item = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).first();
    await item.waitFor();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    s.sandbox.forge.sql.faults.failNext(2, { match: /INSERT INTO actions/ });
    try {
      await item.locator('[data-testid="dismiss"]').click();
      await panel.locator('[data-testid="undo-banner"]').waitFor();
      await page.locator('[data-testid="shell-flag"]').filter({ hasText: 'Saved, but not in the history' }).waitFor();
    } finally {
      s.sandbox.forge.sql.faults.clear();
      warn.mockRestore();
    }
    // Put back as it was, for the tests after.
    await panel.locator('[data-testid="undo-banner"] button', { hasText: 'Undo' }).click();
    await panel.locator('[data-testid="undo-banner"]').waitFor({ state: 'detached' });
  });
  it('keeps keyboard focus in the panel: to Undo after "Not a duplicate", back to the suggestion once Undo restores it, and between Link and Unlink', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 1);
    await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const item = `[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${duplicate}"], [data-testid="related"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`;
    await panel.locator(item).waitFor();
    const focused = async (): Promise<string> =>
      panel.evaluate('(() => { const a = document.activeElement; if (!a || a === document.body) return "body"; const s = a.closest("[data-testid=suggestion]"); return (a.getAttribute("data-testid") || a.tagName) + (s ? "@" + s.getAttribute("data-issue-key") : ""); })()');
    const expectFocus = async (expected: string): Promise<void> => {
      const deadline = Date.now() + 10_000;
      let now = await focused();
      while (now !== expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        now = await focused();
      }
      expect(now).toBe(expected);
    };
    await panel.locator(item).locator('[data-testid="dismiss"]').focus();
    await s.page.keyboard.press('Enter');
    await expectFocus('undo');
    await s.page.keyboard.press('Enter');
    await expectFocus(`suggestion-key@${duplicate}`);
    // Link and Unlink replace each other: focus moves to the one that took the pressed one's place.
    await panel.locator(item).locator('[data-testid="link-duplicate"]').focus();
    await s.page.keyboard.press('Enter');
    await expectFocus(`unlink@${duplicate}`);
    await s.page.keyboard.press('Enter');
    await expectFocus(`link-duplicate@${duplicate}`);
  });
  it('sends someone on an issue no analysis has read to the project\'s Duplicate review page, where the analysis is run', async () => {
    // An old SHOP issue that no pair names, made unread by removing what the analysis stored of it.
    const rows = (await s.sandbox.forge.sql.query(
      `SELECT d.id, d.issue_key FROM docs d WHERE d.project_key = 'SHOP'
         AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.issue_a = d.id OR p.issue_b = d.id)
       ORDER BY d.created_ms LIMIT 1`,
    )) as Array<{ id: string; issue_key: string }>;
    const unread = rows[0];
    if (!unread) throw new Error('Every SHOP issue is in a pair: pick the issue another way.');
    await s.sandbox.forge.sql.query('DELETE FROM docs WHERE id = ?', [unread.id]);
    // While an analysis of the project runs, the panel says so and waits for it (not "a few
    // seconds", not "run an analysis"); when none runs any more, it points at the page.
    const now = Date.now();
    await insertRun({
      id: 'run-e2e-live', scopeKey: 'project:SHOP', mode: 'full', trigger: 'manual', status: 'fetching', startedBy: 'admin-1', startedMs: now, finishedMs: null,
      heartbeatMs: now, expected: null, chains: 1, sinceMs: null, error: null, settingsJson: '{}',
    });
    await s.open(`/browse/${unread.issue_key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const analysing = panel.locator('[data-testid="empty-analysing"]');
    await analysing.waitFor();
    expect(await analysing.textContent()).toContain('An analysis is running');
    expect(await panel.locator('[data-testid="empty-not-indexed"], [data-testid="empty-pending"]').count()).toBe(0);
    await deleteRunRow('run-e2e-live');
    await panel.locator('[data-testid="empty-not-indexed"]').waitFor();
    expect(await analysing.count()).toBe(0);
    await panel.locator('[data-testid="open-project-page"]').click();
    await s.page.waitForURL(/\/projects\/SHOP\/apps\/duplicates/);
    const page = await s.frame(MODULES.projectPage);
    await page.locator('[data-testid="run-panel"]').waitFor();
  });

  it('links the other way round on request: the older issue as the duplicate, when the newer one is to be kept', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 3);
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const item = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).first();
    await item.waitFor();
    const created = (key: string) => s.sandbox.jira.store.getIssue(key)?.created ?? '';
    const [older, newer] = created(original).localeCompare(created(duplicate)) <= 0 ? [original, duplicate] : [duplicate, original];
    const reverse = item.locator('[data-testid="link-reverse"]');
    // Said as what it does: the older issue becomes the duplicate.
    expect(await reverse.getAttribute('aria-label')).toBe(
      older === original ? `Other way round: link this issue as a duplicate of ${duplicate}` : `Other way round: link ${duplicate} as a duplicate of this issue`,
    );
    await reverse.click();
    await item.locator('[data-testid="linked"]').waitFor();
    await page.locator('[data-testid="shell-flag"]').filter({ hasText: `Linked in Jira: ${older} duplicates ${newer}` }).waitFor();
    const store = s.sandbox.jira.store;
    const link = [...store.links.values()].find((l) => l.inwardIssueId === store.getIssue(older)?.id && l.outwardIssueId === store.getIssue(newer)?.id);
    expect(link).toBeDefined();
    await item.locator('[data-testid="unlink"]').click();
    await item.locator('[data-testid="link-duplicate"]').waitFor();
  });

  it('says where a suggested issue\'s own Duplicate links lead, so the original can be linked instead of a copy', async () => {
    const [original, duplicate] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 2);
    const store = s.sandbox.jira.store;
    // A third SHOP issue the analysis stored (an earlier test removed one issue's row).
    const [third] = (await s.sandbox.forge.sql.query("SELECT id, issue_key AS `key` FROM docs WHERE project_key = 'SHOP' AND issue_key NOT IN (?, ?) ORDER BY created_ms DESC LIMIT 1", [
      original,
      duplicate,
    ])) as Array<{ id: string; key: string }>;
    const suggestedId = store.getIssue(duplicate)?.id;
    if (!third || !suggestedId) throw new Error('The sample backlog has no third SHOP issue.');
    // A Duplicate link in Jira (which the app's stored lists record as well).
    s.sandbox.jira.link('Duplicate', duplicate, third.key);
    await s.sandbox.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [third.id, suggestedId]);
    try {
      await s.open(`/browse/${original}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      const note = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="chain-note"]`).first();
      await note.waitFor();
      expect(await note.innerText()).toBe(`${duplicate} is already a duplicate of ${third.key}.`);
    } finally {
      for (const l of [...store.links.values()].filter((l) => l.inwardIssueId === suggestedId && l.outwardIssueId === third.id)) store.removeLink(l.id);
      await s.sandbox.forge.sql.query("UPDATE docs SET dup_links = '' WHERE id = ?", [suggestedId]);
    }
  });

  it('checks an issue again by itself when Jira changed it after its change event was lost', async () => {
    const [original] = plantedPair((a, b) => a.startsWith('SHOP') && b.startsWith('SHOP'), 1);
    const stored = s.sandbox.jira.store.getIssue(original);
    if (!stored) throw new Error(`no ${original}`);
    const before = { summary: stored.summary, updated: stored.updated };
    // Jira has the edit; the app never heard of it.
    stored.summary = `${before.summary} (seen on mobile too)`;
    stored.updated = new Date(Date.now() + 60_000).toISOString();
    try {
      await s.open(`/browse/${original}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      await panel.locator('[data-testid="computed-at"]').filter({ hasText: /^Updated/ }).waitFor();
      const deadline = Date.now() + 20_000;
      let summary = '';
      while (Date.now() < deadline) {
        summary = ((await s.sandbox.forge.sql.query('SELECT summary FROM docs WHERE id = ?', [stored.id])) as Array<{ summary: string }>)[0]?.summary ?? '';
        if (summary === stored.summary) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(summary).toBe(stored.summary);
      expect(await panel.locator('[data-testid="changed-since"]').count()).toBe(0);
    } finally {
      stored.summary = before.summary;
      stored.updated = before.updated;
    }
  });
});
