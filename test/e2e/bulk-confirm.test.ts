/**
 * Confirming in bulk pairs that share issues, in the sandbox shell, in headless Chromium:
 * four copies of one report make six pairs; selecting them all and pressing "Confirm
 * selected" links each copy once, to the oldest, and the line above the list says how many
 * pairs were confirmed through those links; its Undo takes the batch back as one entry of
 * the history.
 */
import type { Frame, Locator } from 'playwright-core';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { searchQueue } from './support/queue-search';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** Waits (up to 20 s) until the queue lists `n` rows, and says so if it never does. */
async function waitRows(rows: Locator, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await rows.count()) !== n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await rows.count()).toBe(n);
}

describeIf(missingForBrowserTests())('bulk confirm of pairs that share issues (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });
  const keys: string[] = [];

  beforeAll(async () => {
    for (let n = 0; n < 4; n++) {
      const issue = s.sandbox.jira.createIssue({
        projectKey: 'SHOP',
        type: 'Bug',
        summary: 'Quokka telemetry exporter drops zeppelin spans',
        description: `The quokka telemetry exporter drops every zeppelin span after a restart (copy ${n + 1}).`,
      });
      keys.push(issue.key);
    }
    await s.analyse();
  }, 240_000);

  it('links each copy once, to the oldest, and says how many pairs were joined through those links', async () => {
    const frame: Frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await searchQueue(s.page, frame, 'quokka zeppelin');
    const rows = frame.locator('[data-testid="pair-row"]');
    await waitRows(rows, 6);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-confirm"]').click();
    // It asks first: links in Jira are made for every pair; Cancel (focused first) makes none.
    const question = frame.locator('[data-testid="bulk-link-confirm"]');
    await question.waitFor();
    expect(await question.getAttribute('role')).toBe('alertdialog');
    await s.browser.screenshot('e2e-bulk-question');
    const tiers = await rows.locator('[data-testid="tier"]').allTextContents();
    const related = tiers.filter((t) => /related/i.test(t)).length;
    expect(await frame.locator('[data-testid="bulk-link-text"]').textContent()).toContain(
      related === 0 ? 'All 6 are possible duplicates.' : `${related === 1 ? '1 is' : `${related} are`} only related`,
    );
    expect(await frame.locator('[data-testid="bulk-link-save"]').textContent()).toBe('Link 6 pairs');
    await s.page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await until(frame, 'document.activeElement?.getAttribute("data-testid") === "bulk-confirm"');
    expect(s.sandbox.jira.store.links.size).toBe(0);
    await frame.locator('[data-testid="bulk-confirm"]').click();
    await frame.locator('[data-testid="bulk-link-save"]').click();
    // Said once, in the line above the list (no flag besides): the links made, and the pairs
    // that needed none of their own.
    const said = frame.locator('[data-testid="decision-status"][data-state="done"] [role="status"]');
    await said.waitFor();
    expect(await said.innerText()).toBe('Confirmed 6 pairs, with 3 Duplicate links made in Jira. 3 pairs joined through those, so without a link of their own.');
    await waitRows(rows, 0);
    expect(await s.page.locator('[data-testid="shell-flag"]', { hasText: 'confirmed' }).count()).toBe(0);

    const store = s.sandbox.jira.store;
    const ids = keys.map((k) => store.getIssue(k)?.id ?? '');
    const links = [...store.links.values()].filter((l) => ids.includes(l.inwardIssueId) && ids.includes(l.outwardIssueId));
    // The three newer copies each duplicate the first one filed.
    expect(links.map((l) => [store.issues.get(l.inwardIssueId)?.key, store.issues.get(l.outwardIssueId)?.key]).sort()).toEqual(keys.slice(1).map((k) => [k, keys[0]]).sort());
  });

  it('shows the bulk confirmation as one history entry, each pair a click away', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-history"]').click();
    const group = frame.locator('[data-testid="history-group"][data-action="confirm"]').first();
    await group.waitFor();
    expect(await group.locator('td').nth(2).textContent()).toBe('Confirmed 6 duplicates at once Show each of the 6');
    // The issues column names the four copies once each.
    expect((await group.locator('[data-testid="history-issue"]').allTextContents()).sort()).toEqual([...keys].sort());
    const members = frame.locator('[data-testid="history-row"].dd-history-member');
    expect(await members.count()).toBe(0);
    const toggle = group.locator('[data-testid="history-group-toggle"]');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await members.count()).toBe(6);
    expect((await members.locator('td:nth-child(3)').allTextContents()).every((t) => t.startsWith('Confirmed a duplicate — score '))).toBe(true);
    await toggle.click();
    expect(await members.count()).toBe(0);
  });

  it('says who decided by name, and blames no one when Jira cannot give the names', async () => {
    const confirmedRows = async (): Promise<string[]> => {
      const frame: Frame = await s.projectPage('admin-1');
      await frame.locator('[data-testid="tab-confirmed"]').click();
      await searchQueue(s.page, frame, 'quokka zeppelin');
      const decided = frame.locator('[data-testid="pair-decided"]');
      const deadline = Date.now() + 20_000;
      while ((await decided.count()) !== 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return decided.allTextContents();
    };
    expect((await confirmedRows()).every((t) => t.startsWith('Confirmed by Morgan Member '))).toBe(true);
    // Jira's user lookup down: an outage is not a hidden profile, and the row says neither.
    s.sandbox.jira.faults.serverErrors({ count: 10_000, status: 503, path: /user\/bulk/ });
    try {
      const rows = await confirmedRows();
      expect(rows).toHaveLength(6);
      expect(rows.every((t) => t.startsWith('Confirmed by someone Jira did not name '))).toBe(true);
    } finally {
      s.sandbox.jira.faults.clear();
    }
  });

  it('offers Unlink only on the confirmed pairs with a Duplicate link of their own; the others reopen without touching links', async () => {
    const frame: Frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await searchQueue(s.page, frame, 'quokka zeppelin');
    const rows = frame.locator('[data-testid="pair-row"]');
    const deadline = Date.now() + 20_000;
    while ((await rows.count()) !== 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const withUnlink: string[] = [];
    for (let i = 0; i < 6; i++) {
      const row = rows.nth(i);
      const keysOf = (await row.locator('.dd-issue-line__key').allTextContents()).map((k) => k.trim());
      if ((await row.locator('[data-testid="pair-unlink"]').count()) > 0) withUnlink.push(keysOf.sort().join(' '));
      else expect(await row.locator('[data-testid="pair-reopen"]').getAttribute('title')).toMatch(/no Duplicate link of its own/);
    }
    // The three linked to the oldest copy: exactly the pairs with the first copy in them.
    expect(withUnlink.sort()).toEqual(keys.slice(1).map((k) => [keys[0], k].sort().join(' ')).sort());
  });

  it('takes a bulk confirmation back with Undo: the pairs to review again, the links it made gone, a link Jira had before kept', async () => {
    const store = s.sandbox.jira.store;
    const ids = keys.map((k) => store.getIssue(k)?.id ?? '');
    const ours = () => [...store.links.values()].filter((l) => ids.includes(l.inwardIssueId) && ids.includes(l.outwardIssueId));
    // Back to pending, links removed (Unlink and reopen selected on the Confirmed tab).
    const frame: Frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await searchQueue(s.page, frame, 'quokka zeppelin');
    const rows = frame.locator('[data-testid="pair-row"]');
    await waitRows(rows, 6);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-unlink"]').click();
    await waitRows(rows, 0);
    expect(ours()).toHaveLength(0);
    // A link Jira has before the batch: the third copy duplicates the second.
    s.sandbox.jira.link('Duplicate', keys[2] ?? '', keys[1] ?? '');
    const before = ours().map((l) => l.id);
    await frame.locator('[data-testid="tab-pending"]').click();
    await waitRows(rows, 6);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-confirm"]').click();
    await frame.locator('[data-testid="bulk-link-save"]').click();
    await waitRows(rows, 0);
    expect(ours().length).toBeGreaterThan(before.length);
    expect(await frame.locator('[data-testid="decision-status"] [role="status"]').innerText()).toMatch(/^Confirmed 6 pairs, with \d Duplicate links? made in Jira\.( [^.]+, so without a link of (its|their) own\.)*$/);
    await frame.locator('[data-testid="decision-undo"]').click();
    await frame.locator('[data-testid="decision-status"][data-state="undone"]').waitFor();
    await waitRows(rows, 6);
    expect(ours().map((l) => l.id)).toEqual(before);
    // The history has the Undo as one bulk action, above the confirmation it took back: the
    // pairs it linked unlinked, those joined through them reopened, in one entry.
    await frame.locator('[data-testid="tab-history"]').click();
    const groups = frame.locator('[data-testid="history-group"]');
    await groups.first().waitFor();
    const said = (await groups.locator('td:nth-child(3)').allTextContents()).map((t) => t.replace(/\s*Show each.*$/, ''));
    expect(said.slice(0, 2)).toEqual([expect.stringMatching(/^Reopened 6 pairs at once and unlinked [1-5] of them$/), 'Confirmed 6 duplicates at once']);
    expect(await groups.first().getAttribute('data-batch-id')).not.toBe(await groups.nth(1).getAttribute('data-batch-id'));
    await groups.first().locator('[data-testid="history-group-toggle"]').click();
    expect(await frame.locator('[data-testid="history-row"].dd-history-member').count()).toBe(6);
  });

  it('asks to confirm, not to link, pairs whose issues Jira already joins', async () => {
    const store = s.sandbox.jira.store;
    const ids = keys.map((k) => store.getIssue(k)?.id ?? '');
    const ours = () => [...store.links.values()].filter((l) => ids.includes(l.inwardIssueId) && ids.includes(l.outwardIssueId));
    // The link the test before made behind the app's back goes: every link here is one the app made and recorded.
    for (const l of ours()) store.removeLink(l.id);
    const frame: Frame = await s.projectPage('member-1');
    await searchQueue(s.page, frame, 'quokka zeppelin');
    const rows = frame.locator('[data-testid="pair-row"]');
    // Linked by a bulk confirmation, then reopened without unlinking: to review again, yet joined in Jira.
    await waitRows(rows, 6);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-confirm"]').click();
    await frame.locator('[data-testid="bulk-link-save"]').click();
    await waitRows(rows, 0);
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await waitRows(rows, 6);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-reopen"]').click();
    await waitRows(rows, 0);
    const links = ours().map((l) => l.id).sort();
    await frame.locator('[data-testid="tab-pending"]').click();
    await waitRows(rows, 6);
    await frame.locator('[data-testid="select-all"]').check();
    await frame.locator('[data-testid="bulk-confirm"]').click();
    await frame.locator('[data-testid="bulk-link-confirm"]').waitFor();
    expect(await frame.locator('[data-testid="bulk-link-title"]').textContent()).toBe('Confirm 6 pairs as duplicates?');
    expect(await frame.locator('[data-testid="bulk-link-links"]').textContent()).toMatch(/^Jira already joins the issues of all 6 pairs as duplicates, so no link is made\./);
    expect(await frame.locator('[data-testid="bulk-link-save"]').textContent()).toBe('Confirm 6 pairs');
    await frame.locator('[data-testid="bulk-link-save"]').click();
    await waitRows(rows, 0);
    expect(ours().map((l) => l.id).sort()).toEqual(links);
  });
});
