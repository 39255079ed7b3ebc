/**
 * The issue context badge ("3 possible duplicates") after a decision, in the sandbox shell, in
 * headless Chromium: Jira documents reading a jira:issueContext's dynamic properties on its
 * first render, when the box is first expanded, and again each time the box is collapsed, and
 * at no other moment; the shell does the same, so a dismissal made in the box shows in the
 * badge once the box is collapsed.
 */
import type { Frame, Page } from 'playwright-core';
import { plantedDuplicates } from '../../sandbox/seed';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('issue context badge after a decision (browser)', () => {
  const s = useAppSession({ build: ['issue-panel'] });

  beforeAll(() => s.analyse(), 240_000);

  /** The badge's number once it shows one. */
  async function badgeCount(page: Page): Promise<number> {
    const badge = page.locator('[data-testid="issue-context-badge"]:not([hidden])');
    await badge.waitFor();
    return Number(await badge.textContent());
  }

  /** Waits until the badge says `n`. */
  async function badgeSays(page: Page, n: number): Promise<void> {
    await page.locator('[data-testid="issue-context-badge"]:not([hidden])', { hasText: new RegExp(`^${n}$`) }).waitFor();
  }

  const firstDuplicate = (frame: Frame) => frame.locator('[data-testid="duplicates"] [data-testid="suggestion"]').first();

  it('counts a dismissal made in the box once the box is collapsed, as Jira documents', async () => {
    const [original] = plantedDuplicates().find(([a, b]) => a.startsWith('SHOP-') && b.startsWith('SHOP-')) ?? [];
    const from = s.sandbox.jira.store.getIssue(original ?? '');
    if (!from) throw new Error('The sample backlog no longer plants a SHOP pair.');
    // Two more copies of it: the badge counts three or more.
    for (let n = 0; n < 2; n++) s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: from.summary, description: from.description }, { accountId: 'member-1' });
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(60_000);

    const page = await s.open(`/browse/${from.key}`, 'member-1');
    const before = await badgeCount(page);
    expect(before).toBeGreaterThanOrEqual(3);
    const header = page.locator('[data-testid="issue-context"] button');
    await header.click();
    const box = await s.frame(MODULES.issueContext);
    await firstDuplicate(box).waitFor();

    // Dismissed in the box: the badge keeps its count while the box is open.
    const dismissed = (await firstDuplicate(box).getAttribute('data-pair-id')) ?? '';
    await firstDuplicate(box).locator('[data-testid="dismiss"]').click();
    await box.locator('[data-testid="undo-banner"]').waitFor();
    expect(await badgeCount(page)).toBe(before);
    // Collapsed: read again.
    await header.click();
    await badgeSays(page, before - 1);

    // Dismissed in the issue panel: counted when the box is opened and collapsed again.
    const panel = await s.frame(MODULES.issuePanel);
    // Once the panel has heard of the box's dismissal and read its list again.
    await panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-pair-id="${dismissed}"]`).waitFor({ state: 'detached' });
    await firstDuplicate(panel).locator('[data-testid="dismiss"]').click();
    await panel.locator('[data-testid="undo-banner"]').waitFor();
    await header.click();
    await header.click();
    await badgeSays(page, before - 2);
  });
});
