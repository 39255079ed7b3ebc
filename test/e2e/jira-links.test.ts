/**
 * A pair someone already linked as duplicates in Jira itself, in the sandbox shell, in
 * headless Chromium: the analysis confirms it as "linked in Jira", so it leaves the queue's
 * Pending tab and the issue's badge, and the history says Jira, not a person, did it.
 */
import { MODULES } from './support/app-session';
import { searchQueue } from './support/queue-search';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';
import { issueBadge } from '../../src/resolvers/issue-badge';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('Duplicate links made in Jira (browser)', () => {
  const s = useAppSession({ build: ['project-page', 'issue-panel'] });
  const keys: string[] = [];
  let newerId = '';

  beforeAll(async () => {
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

  it('lists the pair as confirmed, linked in Jira, not as pending; the history names Jira', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    // Once the list shows the answer to the search.
    await searchQueue(s.page, frame, 'wombat marmalade');
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

  it('shows the date beside "3 days ago" once a decision is a day old, in the queue and the history', async () => {
    // Noon three calendar days back: "3 days ago" whatever the hour now (the machine's time zone is the browser's).
    const today = new Date();
    const threeDaysAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 3, 12).getTime();
    const day = new Date(threeDaysAgo).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
    await s.sandbox.forge.sql.query('UPDATE pairs SET decided_ms = ? WHERE issue_a = ? OR issue_b = ?', [threeDaysAgo, newerId, newerId]);
    await s.sandbox.forge.sql.query('UPDATE actions SET at_ms = ? WHERE pair_id IN (SELECT id FROM pairs WHERE issue_a = ? OR issue_b = ?)', [threeDaysAgo, newerId, newerId]);
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-confirmed"]').click();
    const row = frame.locator('[data-testid="pair-row"]', { hasText: keys[0]! }).filter({ hasText: keys[1]! });
    await row.waitFor();
    expect(await row.locator('[data-testid="pair-decided"]').textContent()).toBe(`Linked as duplicates in Jira; confirmed 3 days ago (${day})`);
    expect(Date.parse((await row.locator('[data-testid="pair-decided"] time').getAttribute('datetime')) ?? '')).toBe(threeDaysAgo);
    await frame.locator('[data-testid="tab-history"]').click();
    const entry = frame.locator('[data-testid="history-row"][data-action="confirm"]', { hasText: keys[0]! });
    await entry.first().waitFor();
    expect(await entry.first().locator('td').first().textContent()).toBe(`3 days ago (${day})`);
  });

  it('leaves the issue badge without a count', async () => {
    // The pair is in the duplicate tier (it would count if it were pending).
    const tier = (await s.sandbox.forge.sql.query('SELECT tier, status FROM pairs WHERE issue_a = ? OR issue_b = ?', [newerId, newerId])) as Array<{ tier: string; status: string }>;
    expect(tier).toEqual([{ tier: 'duplicate', status: 'confirmed' }]);
    const badge = await issueBadge({ extension: { issue: { id: newerId } } }, { principal: { accountId: 'member-1' } });
    expect(badge).not.toHaveProperty('status');
  });

  /** Two SHOP bugs that report the same thing, filed now: their keys, older first. */
  const twoReports = (summary: string, description: string): string[] =>
    [1, 2].map((n) => s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary, description: `${description} (report ${n}).` }).key);
  const pairRow = async (a: string, b: string): Promise<{ status: string; decided_in_jira: number } | undefined> => {
    const rows = (await s.sandbox.forge.sql.query('SELECT status, decided_in_jira FROM pairs WHERE id = ?', [a < b ? `${a}-${b}` : `${b}-${a}`])) as Array<{ status: string; decided_in_jira: number }>;
    return rows[0] ? { status: rows[0].status, decided_in_jira: Number(rows[0].decided_in_jira) } : undefined;
  };
  const idOfKey = (key: string): string => s.sandbox.jira.store.getIssue(key)?.id ?? '';
  const duplicateLinksBetween = (x: string, y: string): number => {
    const store = s.sandbox.jira.store;
    const type = [...store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    const ids = [idOfKey(x), idOfKey(y)];
    return [...store.links.values()].filter((l) => l.typeId === type?.id && ids.includes(l.inwardIssueId) && ids.includes(l.outwardIssueId)).length;
  };
  const historyOf = async (a: string, b: string): Promise<string[]> => {
    const rows = (await s.sandbox.forge.sql.query('SELECT detail FROM actions WHERE pair_id = ? ORDER BY at_ms', [a < b ? `${a}-${b}` : `${b}-${a}`])) as Array<{ detail: string | null }>;
    return rows.map((r) => r.detail ?? '');
  };

  it("keeps the app's own Unlink: the next analysis, which does not read the issues again, does not confirm the pair again", async () => {
    // Two issues of the sample backlog, filed long ago: an incremental run does not read them again.
    const [top] = (await s.sandbox.forge.sql.query(
      "SELECT p.issue_a, p.issue_b, da.issue_key AS ka, db.issue_key AS kb FROM pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b WHERE p.status = 'pending' AND p.tier = 'duplicate' AND p.project_a = 'SHOP' AND p.project_b = 'SHOP' AND da.created_ms < ? AND db.created_ms < ? ORDER BY p.score DESC LIMIT 1",
      [Date.now() - 7 * 86_400_000, Date.now() - 7 * 86_400_000],
    )) as Array<{ issue_a: string; issue_b: string; ka: string; kb: string }>;
    expect(top).toBeDefined();
    const { issue_a: a, issue_b: b, ka, kb } = top!;
    s.sandbox.jira.link('Duplicate', ka, kb);
    await s.resolver('project-page-resolver', 'run.start', { projectKey: 'SHOP', mode: 'full' });
    await s.sandbox.forge.queue.settle(120_000);
    expect(await pairRow(a, b)).toEqual({ status: 'confirmed', decided_in_jira: 1 });

    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-confirmed"]').click();
    const row = frame.locator('[data-testid="pair-row"]', { hasText: ka }).filter({ hasText: kb });
    await row.locator('[data-testid="pair-unlink"]').click();
    await row.waitFor({ state: 'detached' });
    expect(duplicateLinksBetween(ka, kb)).toBe(0);
    expect(await pairRow(a, b)).toEqual({ status: 'pending', decided_in_jira: 0 });
    await s.analyse('SHOP');
    expect(await pairRow(a, b)).toEqual({ status: 'pending', decided_in_jira: 0 });
    expect((await historyOf(a, b)).filter((d) => d === 'Linked as duplicates in Jira')).toHaveLength(1);
  });

  it('adds no second link when the issues were linked in Jira since the last read, and a reopen stays open after the next analysis', async () => {
    const more = twoReports('Platypus coupon validator rejects lowercase quince codes', 'Lowercase quince coupon codes are rejected by the platypus coupon validator at checkout');
    await s.analyse('SHOP');
    const [a, b] = [idOfKey(more[0]!), idOfKey(more[1]!)];
    expect((await pairRow(a, b))?.status).toBe('pending');
    // Linked in Jira with no event and no read since: the app's stored links do not know it.
    s.sandbox.jira.link('Duplicate', more[0]!, more[1]!);
    const frame = await s.projectPage('member-1');
    await searchQueue(s.page, frame, 'platypus quince');
    const row = frame.locator('[data-testid="pair-row"]', { hasText: more[0]! }).filter({ hasText: more[1]! });
    await row.locator('[data-testid="pair-confirm"]').click();
    await frame.locator('[data-testid="decision-status"]', { hasText: 'already linked as duplicates in Jira' }).waitFor();
    expect(duplicateLinksBetween(more[0]!, more[1]!)).toBe(1);
    expect(await pairRow(a, b)).toEqual({ status: 'confirmed', decided_in_jira: 0 });

    // Reopened by a person while the link stays: the next analysis leaves the pair to review.
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await row.locator('[data-testid="pair-reopen"]').click();
    await row.waitFor({ state: 'detached' });
    await s.analyse('SHOP');
    expect(await pairRow(a, b)).toEqual({ status: 'pending', decided_in_jira: 0 });
    expect(duplicateLinksBetween(more[0]!, more[1]!)).toBe(1);
    // Back on the Pending tab, the row says Jira links the two already.
    const again = await s.projectPage('member-1');
    await searchQueue(s.page, again, 'platypus quince');
    const pending = again.locator('[data-testid="pair-row"]', { hasText: more[0]! }).filter({ hasText: more[1]! });
    expect(await pending.locator('[data-testid="pair-linked-in-jira"]').textContent()).toBe('Already linked as duplicates in Jira: confirming adds no second link.');
  });

  it('says on a pending pair that Jira already joins its issues through a third one', async () => {
    const made = ['first', 'second', 'third'].map((n) =>
      s.sandbox.jira.createIssue({
        projectKey: 'SHOP',
        type: 'Bug',
        summary: 'Ocelot tax table rounds loquat surcharges twice',
        description: `The ocelot tax table rounds every loquat surcharge twice, so totals are a cent off (${n} report).`,
      }).key,
    );
    // first → second and third → second: first and third are joined only through second.
    s.sandbox.jira.link('Duplicate', made[0]!, made[1]!);
    s.sandbox.jira.link('Duplicate', made[2]!, made[1]!);
    await s.analyse('SHOP');
    const frame = await s.projectPage('member-1');
    await searchQueue(s.page, frame, 'ocelot loquat');
    const row = frame.locator('[data-testid="pair-row"]', { hasText: made[0]! }).filter({ hasText: made[2]! });
    await row.waitFor();
    expect(await row.locator('[data-testid="pair-linked-in-jira"]').count()).toBe(0);
    expect(await row.locator('[data-testid="pair-linked-through"]').textContent()).toBe(`Jira already joins these two as duplicates through ${made[1]!}: confirming adds no link.`);
    // The issue panel says the same, and offers a plain Confirm with no way to choose.
    await s.open(`/browse/${made[0]!}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const item = panel.locator(`[data-testid="suggestion"][data-issue-key="${made[2]!}"]`);
    await item.waitFor();
    expect(await item.locator('[data-testid="joined-through"]').textContent()).toBe(`Jira already joins this issue and ${made[2]!} as duplicates through ${made[1]!}: confirming adds no link.`);
    expect(await item.locator('[data-testid="link-duplicate"]').textContent()).toBe('Confirm duplicate');
    expect(await item.locator('[data-testid="link-reverse"]').count()).toBe(0);
    const frame2 = await s.projectPage('member-1');
    await searchQueue(s.page, frame2, 'ocelot loquat');
    const row2 = frame2.locator('[data-testid="pair-row"]', { hasText: made[0]! }).filter({ hasText: made[2]! });
    await row2.waitFor();
    // Compare says so too, with no way to choose.
    await row2.locator('[data-testid="pair-view"]').click();
    const detail = frame2.locator('[data-testid="pair-detail"]');
    expect(await detail.locator('[data-testid="pair-jira-through"]').textContent()).toBe(`Already joined in Jira through ${made[1]!}. Confirming adds no link.`);
    expect(await detail.locator('[data-testid="pair-direction"]').count()).toBe(0);
    expect(await detail.locator('[data-testid="detail-confirm"]').textContent()).toBe('Confirm duplicate');
    await detail.locator('[data-testid="pair-detail-close"]').click();
    // Confirmed through the chain: no new link.
    await row2.locator('[data-testid="pair-confirm"]').click();
    await frame2.locator('[data-testid="decision-status"]', { hasText: made[1]! }).waitFor();
    expect(duplicateLinksBetween(made[0]!, made[2]!)).toBe(0);
  });

  it('says each decision once above the list, with an Undo (button or u) that takes it back, link included, instead of a flag per decision', async () => {
    const more = twoReports('Narwhal shipping estimate ignores persimmon weight', 'The narwhal shipping estimate ignores the persimmon weight of the parcel');
    await s.analyse('SHOP');
    const [a, b] = [idOfKey(more[0]!), idOfKey(more[1]!)];
    const frame = await s.projectPage('member-1');
    const flags = s.page.locator('[data-testid="shell-flag"]');
    await searchQueue(s.page, frame, 'narwhal persimmon');
    const row = frame.locator('[data-testid="pair-row"]', { hasText: more[0]! }).filter({ hasText: more[1]! });
    const flagsBefore = await flags.count();
    await row.locator('[data-testid="pair-confirm"]').click();
    const status = frame.locator('[data-testid="decision-status"]');
    // The newer report duplicates the older one.
    await status.filter({ hasText: `: ${more[1]!} now duplicates ${more[0]!} in Jira.` }).waitFor();
    expect(await status.textContent()).toMatch(new RegExp(`^Confirmed (${more[0]!} and ${more[1]!}|${more[1]!} and ${more[0]!}): `));
    expect(duplicateLinksBetween(more[0]!, more[1]!)).toBe(1);
    expect(await flags.count()).toBe(flagsBefore);

    await frame.locator('[data-testid="decision-undo"]').click();
    await status.filter({ hasText: /^Undone: .+ are back to review, and the Duplicate link is removed from Jira\.$/ }).waitFor();
    expect(await frame.locator('[data-testid="decision-undo"]').count()).toBe(0);
    expect(duplicateLinksBetween(more[0]!, more[1]!)).toBe(0);
    expect(await pairRow(a, b)).toEqual({ status: 'pending', decided_in_jira: 0 });

    // Dismissed, then taken back with the u key.
    await row.locator('[data-testid="pair-dismiss"]').click();
    await status.filter({ hasText: /^Dismissed .+: not duplicates\./ }).waitFor();
    expect(await pairRow(a, b)).toEqual({ status: 'dismissed', decided_in_jira: 0 });
    // The list is empty now, so focus goes to the search box, where keys are text: leave it first.
    await frame.locator('[data-testid="empty-filtered"]').waitFor();
    const search = frame.locator('[data-testid="search-input"]');
    await frame.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document;
      return doc.activeElement?.getAttribute('data-testid') === 'search-input';
    });
    await search.evaluate((el) => (el as unknown as { blur(): void }).blur());
    await s.page.keyboard.press('u');
    await status.filter({ hasText: /^Undone: .+ are back to review\.$/ }).waitFor();
    expect(await pairRow(a, b)).toEqual({ status: 'pending', decided_in_jira: 0 });
    await row.waitFor();
  });

  it('Compare says which way Jira already links the two, offers no direction, and adds no second link', async () => {
    const more = twoReports('Axolotl gift wrap option vanishes for kumquat bundles', 'The axolotl gift wrap option disappears from the cart for kumquat bundles');
    await s.analyse('SHOP');
    // The older one marked as the duplicate in Jira, the way a person chose there; no event.
    s.sandbox.jira.link('Duplicate', more[0]!, more[1]!);
    const frame = await s.projectPage('member-1');
    await searchQueue(s.page, frame, 'axolotl kumquat');
    const row = frame.locator('[data-testid="pair-row"]', { hasText: more[0]! }).filter({ hasText: more[1]! });
    await row.locator('[data-testid="pair-view"]').click();
    const note = frame.locator('[data-testid="pair-jira-link"]');
    await note.waitFor();
    expect(await note.textContent()).toBe(`Already linked in Jira: ${more[0]!} duplicates ${more[1]!}. Confirming adds no second link.`);
    expect(await frame.locator('[data-testid="pair-direction"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="detail-confirm"]').textContent()).toBe('Confirm duplicate');
    await frame.locator('[data-testid="detail-confirm"]').click();
    await frame.locator('[data-testid="decision-status"]', { hasText: 'already linked as duplicates in Jira' }).waitFor();
    expect(duplicateLinksBetween(more[0]!, more[1]!)).toBe(1);
  });

  it('names a disabled button with the reason it is disabled, and the pages by their visible words', async () => {
    const frame = await s.projectPage('viewer-1');
    const confirm = frame.locator('[data-testid="pair-row"] [data-testid="pair-confirm"]').first();
    await confirm.waitFor();
    expect(await confirm.isDisabled()).toBe(true);
    // Browses everything, links nothing: the name says why Confirm cannot be used.
    expect(await confirm.getAttribute('aria-label')).toMatch(/^Confirm [A-Z]+-\d+ and [A-Z]+-\d+ as duplicates \(.*Link Issues.*\)$/);
    // Confirm is the primary action only for a possible duplicate: each tier listed on its own
    // (the first page's mix of tiers, and the divider, are app-pages.test.ts's).
    for (const [value, tier, cls] of [['duplicate', 'Possible duplicate', 'dd-btn--primary'], ['related', 'Related', 'dd-btn--default']] as const) {
      await frame.locator('[data-testid="filter-tier"]').selectOption(value);
      // The filter has answered when every row listed is of the tier (and none is loading).
      const rows = frame.locator('[data-testid="pair-row"]');
      const other = rows.filter({ hasNot: frame.locator('[data-testid="tier"]', { hasText: tier }) });
      await frame.locator('[data-testid="pair-list"][aria-busy="true"]').waitFor({ state: 'detached' });
      await rows.first().waitFor();
      await other.first().waitFor({ state: 'detached' });
      const confirms = await rows.locator('[data-testid="pair-confirm"]').all();
      expect(confirms.length).toBeGreaterThan(0);
      for (const c of confirms) expect(await c.getAttribute('class')).toContain(cls);
    }
    await frame.locator('[data-testid="filter-tier"]').selectOption('');
    await frame.locator('[data-testid="pagination"]').waitFor();
    expect(await frame.getByRole('button', { name: 'Previous', exact: true }).count()).toBe(1);
    expect(await frame.getByRole('button', { name: 'Next', exact: true }).count()).toBe(1);
  });
});
