/**
 * A pair someone already linked as duplicates in Jira itself, in the sandbox shell, in
 * headless Chromium: the analysis confirms it as "linked in Jira", so it leaves the queue's
 * Pending tab and the issue's badge, and the history says Jira, not a person, did it.
 */
import { openAppSession, type AppSession } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { issueBadge } from '../../src/resolvers/issue-badge';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('Duplicate links made in Jira (browser)', () => {
  let s: AppSession;
  const keys: string[] = [];
  let newerId = '';

  beforeAll(async () => {
    s = await openAppSession({ build: ['project-page'] });
    for (let n = 0; n < 2; n++) {
      const issue = s.sandbox.jira.createIssue({
        projectKey: 'SHOP',
        type: 'Bug',
        summary: 'Wombat invoice renderer skips marmalade line items',
        description: `The wombat invoice renderer leaves out every marmalade line item when the order has a discount (report ${n + 1}).`,
      });
      keys.push(issue.key);
      newerId = issue.id;
    }
    // Linked in Jira by someone, before any analysis saw the pair.
    s.sandbox.jira.link('Duplicate', keys[1]!, keys[0]!);
    await s.analyse();
  }, 240_000);

  afterAll(async () => {
    await s?.close();
  });

  it('lists the pair as confirmed, linked in Jira, not as pending; the history names Jira', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="search-input"]').fill('wombat marmalade');
    // The search has answered when the rows no longer match the first page's.
    await frame.locator('[data-testid="pair-list"][inert]').waitFor({ state: 'detached' });
    const rowOf = (f: typeof frame) => f.locator('[data-testid="pair-row"]', { hasText: keys[0]! }).filter({ hasText: keys[1]! });
    expect(await rowOf(frame).count()).toBe(0);

    await frame.locator('[data-testid="tab-confirmed"]').click();
    await rowOf(frame).waitFor();
    expect(await rowOf(frame).locator('[data-testid="pair-decided"]').textContent()).toMatch(/^Linked as duplicates in Jira; confirmed (just now|\d+ \w+ ago)$/);
    // The issue keys are links to the issues on the site (copy link, Ctrl-click work).
    const key = rowOf(frame).locator(`a[href$="/browse/${keys[0]!}"]`);
    expect(await key.getAttribute('target')).toBe('_blank');
    expect(await key.getAttribute('href')).toBe(`${s.sandbox.host.url.replace(/\/$/, '')}/browse/${keys[0]!}`);
    // A plain click opens the issue through the host, in a new tab, as before.
    const [opened] = await Promise.all([s.browser.page.context().waitForEvent('page'), key.click()]);
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toMatch(new RegExp(`/browse/${keys[0]!}$`));
    await opened.close();

    await frame.locator('[data-testid="tab-history"]').click();
    const entry = frame.locator('[data-testid="history-row"][data-action="confirm"]', { hasText: 'Linked as duplicates in Jira' });
    await entry.first().waitFor();
    const text = (await entry.first().textContent()) ?? '';
    expect(text).toContain('Jira');
    expect(text).toContain(keys[0]!);
    expect(text).not.toContain('The app');
  });

  it('leaves the issue badge without a count', async () => {
    // The pair is in the duplicate tier (it would count if it were pending).
    const tier = (await s.sandbox.forge.sql.query('SELECT tier, status FROM pairs WHERE issue_a = ? OR issue_b = ?', [newerId, newerId])) as Array<{ tier: string; status: string }>;
    expect(tier).toEqual([{ tier: 'duplicate', status: 'confirmed' }]);
    const badge = await issueBadge({ extension: { issue: { id: newerId } } }, { principal: { accountId: 'member-1' } });
    expect(badge).not.toHaveProperty('status');
  });
});
