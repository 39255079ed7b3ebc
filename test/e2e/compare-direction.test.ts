/**
 * Compare's default way for a Duplicate link, in the sandbox shell, in headless Chromium: an
 * issue Jira already closed as a duplicate is offered as the duplicate even though it was
 * filed first, its resolution is shown, and the link made goes that way.
 */
import { searchQueue } from './support/queue-search';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('Compare: the default way of a link (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });
  // The sample backlog's planted pair: SHOP-22 (filed first) and SHOP-27, its later report.
  const [older, newer] = ['SHOP-22', 'SHOP-27'];

  beforeAll(async () => {
    const issue = s.sandbox.jira.store.getIssue(older);
    if (!issue) throw new Error(`${older} is not in the sample backlog`);
    // Someone closed the older report in favour of the newer one.
    issue.resolution = 'Duplicate';
    await s.analyse();
  }, 240_000);

  it('offers the issue closed as a duplicate as the duplicate, says why, and links it that way', async () => {
    const frame = await s.projectPage('member-1');
    await searchQueue(s.page, frame, older);
    const row = frame.locator('[data-testid="pair-row"]', { hasText: newer });
    await row.waitFor();
    await row.locator('[data-testid="pair-view"]').click();
    const choice = frame.locator('[data-testid="pair-direction"]');
    await choice.waitFor();
    expect(await frame.locator(`[data-testid="direction-${older}"]`).isChecked()).toBe(true);
    expect(await choice.innerText()).toContain(`${older} duplicates ${newer} (closed as a duplicate in Jira)`);
    expect(await frame.locator('[data-testid="pair-side-resolution"]').allInnerTexts()).toEqual(['Resolution: Duplicate']);
    await frame.locator('[data-testid="detail-confirm"]').click();
    await frame.locator('[data-testid="decision-status"]').waitFor();
    const store = s.sandbox.jira.store;
    const links = [...store.links.values()].map((l) => `${store.issues.get(l.inwardIssueId)?.key}>${store.issues.get(l.outwardIssueId)?.key}`);
    expect(links).toContain(`${older}>${newer}`);
  });
});
