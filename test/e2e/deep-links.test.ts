/**
 * The project page's address, in the sandbox shell, in headless Chromium: the section, the
 * review queue's tab and the pair in Compare are in the shell's URL (through the bridge's
 * `view.createHistory()`), a link opened fresh shows that place, Back and Forward go through
 * the places visited, and a link to a pair the reader cannot see shows the queue and says so.
 */
import type { Frame } from 'playwright-core';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

const BASE = '/projects/SHOP/apps/duplicates';

describeIf(missingForBrowserTests())('project page deep links (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });

  beforeAll(() => s.analyse(), 240_000);

  /** The shell's path, once it is `path` (the frame tells the shell asynchronously). */
  async function pathIs(path: string): Promise<void> {
    await s.page.waitForURL((url) => url.pathname === path, { timeout: 10_000 });
  }

  async function selected(frame: Frame, testId: string): Promise<void> {
    await frame.locator(`[data-testid="${testId}"][aria-selected="true"]`).waitFor({ timeout: 10_000 });
  }

  it('keeps the section and the queue tab in the URL, restores them from it, and Back and Forward go through them', async () => {
    let frame = await s.projectPage();
    // The sidebar's bare address is set to say the place shown.
    await pathIs(`${BASE}/review/pending`);
    await selected(frame, 'tab-pending');

    await frame.locator('[data-testid="tab-dismissed"]').click();
    await pathIs(`${BASE}/review/dismissed`);
    await frame.locator('[data-testid="tab-history"]').click();
    await pathIs(`${BASE}/history`);
    await frame.locator('[data-testid="history"]').waitFor();

    // Back: the Dismissed tab again, in the same page (no reload of the frame).
    await s.page.goBack();
    await pathIs(`${BASE}/review/dismissed`);
    await selected(frame, 'tab-dismissed');
    await selected(frame, 'tab-review');
    await s.page.goBack();
    await pathIs(`${BASE}/review/pending`);
    await selected(frame, 'tab-pending');
    await s.page.goForward();
    await pathIs(`${BASE}/review/dismissed`);
    await selected(frame, 'tab-dismissed');

    // The link opened in a new browser tab (nothing kept for the session): the same place.
    const link = s.page.url();
    await s.open(link, 'member-1');
    frame = await s.frame(MODULES.projectPage);
    await selected(frame, 'tab-dismissed');
    await selected(frame, 'tab-review');
    expect(new URL(s.page.url()).pathname).toBe(`${BASE}/review/dismissed`);
    await s.open(`${BASE}/charts`, 'member-1');
    frame = await s.frame(MODULES.projectPage);
    await selected(frame, 'tab-insights');
  });

  it('links to the pair in Compare: a fresh page opens it, Back closes it', async () => {
    let frame = await s.projectPage();
    const row = frame.locator('[data-testid="pair-row"]').first();
    await row.waitFor();
    const pairId = (await row.getAttribute('data-pair-id')) ?? '';
    expect(pairId).toMatch(/^\d+-\d+$/);
    await row.locator('[data-testid="pair-view"]').click();
    await pathIs(`${BASE}/review/pending/compare/${pairId}`);
    await frame.locator(`[data-testid="pair-detail"][data-pair-id="${pairId}"] [data-testid="pair-side"]`).first().waitFor();

    await s.page.goBack();
    await pathIs(`${BASE}/review/pending`);
    await frame.locator('[data-testid="pair-detail"]').waitFor({ state: 'detached' });

    await s.open(`${BASE}/review/pending/compare/${pairId}`, 'member-1');
    frame = await s.frame(MODULES.projectPage);
    await frame.locator(`[data-testid="pair-detail"][data-pair-id="${pairId}"] [data-testid="pair-side"]`).first().waitFor();
    await selected(frame, 'tab-pending');
    expect(await frame.locator('[data-testid="link-pair-unavailable"]').count()).toBe(0);
    // Closed on the page: a new entry, which Back leaves for the pair again.
    await frame.locator('[data-testid="pair-detail-close"]').click();
    await pathIs(`${BASE}/review/pending`);
    await s.page.goBack();
    await pathIs(`${BASE}/review/pending/compare/${pairId}`);
    await frame.locator(`[data-testid="pair-detail"][data-pair-id="${pairId}"]`).waitFor();
  });

  it('shows the queue with a notice for a link to a pair that does not exist, is malformed, is of another project, or has an issue the reader cannot browse', async () => {
    const listed = async (projectKey: string): Promise<string[]> =>
      ((await s.resolver('project-page-resolver', 'pairs.list', { projectKey, status: 'pending', page: 1, pageSize: 100 })) as { items: Array<{ id: string }> }).items.map((p) => p.id);
    const opsPair = (await listed('OPS'))[0] ?? '';
    expect(opsPair).toMatch(/^\d+-\d+$/);
    // A SHOP pair with an issue of the security level Riley is not in.
    let hidden = '';
    for (const id of await listed('SHOP')) {
      const seen = await s.resolver('project-page-resolver', 'pairs.detail', { pairId: id }, 'restricted-1', { project: { key: 'SHOP' } }).then(
        () => true,
        () => false,
      );
      if (!seen) {
        hidden = id;
        break;
      }
    }
    expect(hidden).toMatch(/^\d+-\d+$/);
    const links: Array<[string, string]> = [
      ['member-1', `${BASE}/review/dismissed/compare/987654321-987654329`],
      ['member-1', `${BASE}/review/dismissed/compare/not-a-pair`],
      ['member-1', `${BASE}/review/dismissed/compare/${opsPair}`],
      ['restricted-1', `${BASE}/review/dismissed/compare/${hidden}`],
    ];
    for (const [account, link] of links) {
      await s.open(link, account);
      const frame = await s.frame(MODULES.projectPage);
      const notice = frame.locator('[data-testid="link-pair-unavailable"]');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.textContent()).toContain('The pair this link opens is not available');
      await selected(frame, 'tab-dismissed');
      expect(await frame.locator('[data-testid="pair-detail"]').count()).toBe(0);
      // The address no longer names the pair: a reload shows the tab alone.
      await pathIs(`${BASE}/review/dismissed`);
    }
    // The same SHOP pair for someone who may see it opens as any other.
    await s.open(`${BASE}/review/dismissed/compare/${hidden}`, 'member-1');
    const frame = await s.frame(MODULES.projectPage);
    await frame.locator(`[data-testid="pair-detail"][data-pair-id="${hidden}"] [data-testid="pair-side"]`).first().waitFor();
    expect(await frame.locator('[data-testid="link-pair-unavailable"]').count()).toBe(0);
  });
});
