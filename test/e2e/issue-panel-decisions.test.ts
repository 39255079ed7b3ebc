/**
 * Decisions in the issue panel and the issue context box that the server cannot carry out
 * as the panel showed them, in headless Chromium on the sample backlog: a suggestion whose
 * issue was deleted meanwhile, a Relates link made from "Related, separate work" when the
 * reason changes, the place Undo puts a suggestion back among others of the same score,
 * and how old the list the panel shows is.
 */
import type { Frame } from 'playwright-core';
import type { SuggestionsView } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { flagOf, plantedPair } from './support/planted';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('issue panel decisions (browser)', () => {
  const s = useAppSession({ build: ['issue-panel', 'project-page'] });

  beforeAll(() => s.analyse(), 240_000);

  /** Issues a member makes in SHOP with the same text as `like`, once their created events are handled. */
  async function copiesOf(like: string, count: number): Promise<string[]> {
    const original = s.sandbox.jira.store.getIssue(like);
    if (!original) throw new Error(`no ${like}`);
    const made = Array.from({ length: count }, () => s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: original.summary, description: original.description }, { accountId: 'member-1' }));
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(60_000);
    return made.map((i) => i.key);
  }

  const relatesBetween = (keys: [string, string]) => {
    const store = s.sandbox.jira.store;
    return [...store.links.values()].filter(
      (l) => store.linkTypes.get(l.typeId)?.name === 'Relates' && [store.issues.get(l.inwardIssueId)?.key, store.issues.get(l.outwardIssueId)?.key].sort().join() === [...keys].sort().join(),
    );
  };

  it('drops a suggestion whose issue was deleted when its buttons are pressed, and says why without telling deleted from hidden', async () => {
    const [shown] = plantedPair('SHOP', 0);
    const [first, second] = await copiesOf(shown, 2);
    const page = await s.open(`/browse/${shown}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const itemOf = (frame: Frame, key: string) => frame.locator(`[data-testid="suggestion"][data-issue-key="${key}"]`);
    await itemOf(panel, first ?? '').waitFor();
    await itemOf(panel, second ?? '').waitFor();
    await page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    await itemOf(context, first ?? '').waitFor();

    // Someone deletes the first in Jira while the panel still lists it.
    s.sandbox.jira.deleteIssue(first ?? '');
    await itemOf(panel, first ?? '').locator('[data-testid="link-duplicate"]').click();
    const notConfirmed = flagOf(page, 'Not confirmed');
    await notConfirmed.waitFor();
    expect(await notConfirmed.innerText()).toContain(`${first} may have been deleted, or you may no longer be allowed to see it.`);
    // The issue view speaks of issues, never of "pairs".
    expect(await notConfirmed.innerText()).not.toMatch(/\bpair/i);
    // The list is read again: the dead suggestion goes, in the panel and in the context box.
    await itemOf(panel, first ?? '').waitFor({ state: 'detached' });
    await itemOf(context, first ?? '').waitFor({ state: 'detached' });

    // The same for Not a duplicate, on the second, deleted after the list was read again.
    await itemOf(panel, second ?? '').waitFor();
    s.sandbox.jira.deleteIssue(second ?? '');
    await itemOf(panel, second ?? '').locator('[data-testid="dismiss"]').click();
    const notSaved = flagOf(page, 'The decision was not saved').filter({ hasText: `${second} may have been deleted` });
    await notSaved.waitFor();
    await itemOf(panel, second ?? '').waitFor({ state: 'detached' });
    expect(await panel.locator('[data-testid="undo-banner"]').count()).toBe(0);
  });

  it('removes the Relates link its dismissal made when the reason changes from related or is taken back, and only that one', async () => {
    const keys = plantedPair('MOB', 0);
    const [original, duplicate] = keys;
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const banner = panel.locator('[data-testid="undo-banner"]');
    const reason = (r: string) => banner.locator(`[data-testid="dismiss-reason-${r}"]`);
    const linked = new RegExp(`Linked in Jira: ${duplicate} relates to ${original}\\.`);
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"]`).click();
    await reason('related').click();
    await panel.locator('[data-testid="dismiss-link-related"]').click();
    await banner.filter({ hasText: linked }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(1);

    // Another reason: the link this dismissal made goes, and the line says so.
    await reason('different').click();
    await banner.filter({ hasText: 'Why: Not the same problem, and the Relates link is removed from Jira.' }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(0);
    expect(await banner.innerText()).not.toMatch(linked);

    // Related again, linked again, then the reason taken back: the link goes too.
    await reason('related').click();
    await panel.locator('[data-testid="dismiss-link-related"]').click();
    await banner.filter({ hasText: linked }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(1);
    await reason('related').click();
    await banner.filter({ hasText: /not a duplicate\. The Relates link is removed from Jira\./ }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(0);
    expect(await reason('related').getAttribute('aria-pressed')).toBe('false');

    // Jira refuses the removal: the reason stays as it was, the link too, and the flag says why.
    await reason('related').click();
    await panel.locator('[data-testid="dismiss-link-related"]').click();
    await banner.filter({ hasText: linked }).waitFor();
    s.sandbox.jira.faults.serverErrors({ path: /issueLink\/[^/]+$/, count: 5, status: 403 });
    try {
      await reason('split').click();
      const refused = flagOf(page, 'The reason was not changed');
      await refused.waitFor();
      expect(await refused.innerText()).toContain('The Relates link stays in Jira, and so does the reason.');
      // Out of the way of the buttons below it.
      await refused.locator('button[aria-label="Dismiss"]').click();
    } finally {
      s.sandbox.jira.faults.clear();
    }
    expect(await reason('related').getAttribute('aria-pressed')).toBe('true');
    expect(await banner.innerText()).toMatch(linked);
    expect(relatesBetween(keys)).toHaveLength(1);
    const ids = keys.map((k) => s.sandbox.jira.store.getIssue(k)?.id ?? '').sort();
    const stored = (await s.sandbox.forge.sql.query('SELECT dismiss_reason FROM pairs WHERE id = ?', [ids.join('-')])) as Array<{ dismiss_reason: string }>;
    expect(stored[0]?.dismiss_reason).toBe('related');

    // Restored later from the dismissed list, the pair keeps the link: it is a Jira link now.
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    await panel.locator(`[data-testid="dismissed"] [data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="restore"]`).click();
    await panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${duplicate}"], [data-testid="related"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
    expect(relatesBetween(keys)).toHaveLength(1);
    for (const l of relatesBetween(keys)) s.sandbox.jira.store.removeLink(l.id);
  });

  it('leaves a Relates link Jira had before the dismissal when the reason changes', async () => {
    const keys = plantedPair('MOB', 1);
    const [original, duplicate] = keys;
    s.sandbox.jira.link('Relates', duplicate, original);
    try {
      await s.open(`/browse/${original}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      const banner = panel.locator('[data-testid="undo-banner"]');
      await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"]`).click();
      await banner.locator('[data-testid="dismiss-reason-related"]').click();
      await panel.locator('[data-testid="dismiss-link-related"]').click();
      await banner.filter({ hasText: 'Jira already links them as related.' }).waitFor();
      await banner.locator('[data-testid="dismiss-reason-split"]').click();
      // The link is still there, and the line still says so.
      await banner.filter({ hasText: 'Why: Split on purpose (one per team, component or version). Jira already links them as related.' }).waitFor();
      expect(await banner.innerText()).not.toContain('removed');
      expect(relatesBetween(keys)).toHaveLength(1);
    } finally {
      for (const l of relatesBetween(keys)) s.sandbox.jira.store.removeLink(l.id);
    }
  });

  it('on the project page, removes the Relates link its dismissal made when the reason changes, as the issue panel does', async () => {
    const frame = await s.projectPage('member-1', { projectKey: 'MOB' });
    const row = frame.locator('[data-testid="pair-row"]').first();
    await row.waitFor();
    const label = (await row.locator('[data-testid="pair-view"]').getAttribute('aria-label')) ?? '';
    const keys = (label.match(/[A-Z][A-Z0-9_]*-\d+/g) ?? []) as [string, string];
    expect(keys).toHaveLength(2);
    const line = frame.locator('[data-testid="decision-status-text"]');
    await row.locator('[data-testid="pair-dismiss"]').click();
    await frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-related"]').click();
    await frame.locator('[data-testid="dismiss-link-related"]').click();
    await line.filter({ hasText: /Linked in Jira: [A-Z]+-\d+ relates to [A-Z]+-\d+\.$/ }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(1);
    await frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-different"]').click();
    await line.filter({ hasText: /Why: Not the same problem, and the Relates link is removed from Jira\.$/ }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(0);
    // Related again offers the link again; taken back, the new link goes as well.
    await frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-related"]').click();
    await frame.locator('[data-testid="dismiss-link-related"]').click();
    await line.filter({ hasText: /Linked in Jira: / }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(1);
    await frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-related"]').click();
    await line.filter({ hasText: /not duplicates\. The Relates link is removed from Jira\.$/ }).waitFor();
    expect(relatesBetween(keys)).toHaveLength(0);
    // Undo then reopens the pair alone: there is no link of this dismissal left to remove.
    await frame.locator('[data-testid="decision-undo"]').click();
    await line.filter({ hasText: /^Undone: [A-Z]+-\d+ and [A-Z]+-\d+ are back to review\.$/ }).waitFor();
  });

  it('puts a suggestion back after Undo where the server lists it among suggestions of the same score', async () => {
    const [like] = plantedPair('SHOP', 1);
    const made = await copiesOf(like, 4);
    const open = made[made.length - 1] ?? '';
    // The same text scores the same: the copies tie.
    await s.analyse('SHOP');
    const view = (await s.resolver('issue-view-resolver', 'suggestions.get', { issueId: s.sandbox.jira.store.getIssue(open)?.id })) as SuggestionsView;
    const top = view.duplicates[0];
    const ties = view.duplicates.filter((d) => d.score === top?.score);
    expect(ties.length).toBeGreaterThanOrEqual(3);
    const serverOrder = view.duplicates.slice(0, 5).map((d) => d.pairId);

    await s.open(`/browse/${open}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const ids = () => panel.locator('[data-testid="duplicates"] [data-testid="suggestion"]').evaluateAll((els: Array<{ getAttribute(name: string): string | null }>) => els.map((e) => e.getAttribute('data-pair-id') ?? ''));
    await panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-pair-id="${top?.pairId}"]`).waitFor();
    expect(await ids()).toEqual(serverOrder);
    // The first of the ties dismissed, then Undo: it comes back first, not after the others.
    await panel.locator(`[data-testid="suggestion"][data-pair-id="${top?.pairId}"] [data-testid="dismiss"]`).click();
    await panel.locator('[data-testid="undo"]').click();
    await panel.locator('[data-testid="undo-banner"]').waitFor({ state: 'detached' });
    await panel.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-pair-id="${top?.pairId}"]`).waitFor();
    expect(await ids()).toEqual(serverOrder);
  });

  it('says when the list was last brought up to date, counting a newer issue\'s pair with this one', async () => {
    const [like] = plantedPair('SHOP', 2);
    const stored = s.sandbox.jira.store.getIssue(like);
    // This issue was last compared seven minutes ago; a new issue like it, a moment ago.
    await s.sandbox.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [Date.now() - 7 * 60_000, Date.now() - 7 * 60_000, stored?.id]);
    const [copy] = await copiesOf(like, 1);
    await s.open(`/browse/${like}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${copy}"]`).waitFor();
    const footer = panel.locator('[data-testid="computed-at"]');
    expect(await footer.innerText()).toMatch(/^Updated just now/);
  });
});
