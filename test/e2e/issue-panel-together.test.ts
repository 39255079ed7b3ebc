/**
 * The issue panel when two people have the same issue open, each in a browser of their own
 * (the shell's user is a cookie, so one browser is one user), in headless Chromium on the
 * sample backlog: a Link or a Not a duplicate pressed in a panel that still lists a suggestion
 * a colleague has dismissed since is refused, not carried out over the colleague's decision;
 * the panel reads its list again, says who did what, and keeps the keyboard focus.
 */
import type { Frame } from 'playwright-core';
import { MODULES } from './support/app-session';
import { appFrame, openBrowser, type TestBrowser } from './support/browser';
import { expectFocusIn, SUGGESTION, type FocusedIn } from './support/focus';
import { plantedPair } from './support/planted';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** Which control has focus in a frame, in which suggestion. */
const expectFocus = (frame: Frame, expected: FocusedIn<'issueKey'>) => expectFocusIn(frame, { issueKey: SUGGESTION }, expected);

describeIf(missingForBrowserTests())('issue panel: two people on one issue (browser)', () => {
  const s = useAppSession({ build: ['issue-panel'] }, { beforeClose: () => alex?.close() });
  /** Alex Admin's own browser; Morgan Member's is the session's. */
  let alex: TestBrowser;
  /** An issue of the first planted pair of two SHOP issues. */
  const original = plantedPair('SHOP', 0)[0];

  beforeAll(async () => {
    await s.analyse();
    alex = await openBrowser();
    await alex.useAccount(s.sandbox.url, 'admin-1');
  }, 240_000);

  /** A copy of the original, made by a member, once its created event is handled: a new suggestion on the original. */
  async function copyOfOriginal(): Promise<string> {
    const from = s.sandbox.jira.store.getIssue(original);
    if (!from) throw new Error(`no ${original}`);
    const made = s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: from.summary, description: from.description }, { accountId: 'member-1' });
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(60_000);
    return made.key;
  }

  /** The original's issue panel in Morgan's browser and in Alex's, each listing `key`. */
  async function bothPanels(key: string): Promise<{ morgan: Frame; alexPanel: Frame }> {
    await s.open(`/browse/${original}`, 'member-1');
    const morgan = await s.frame(MODULES.issuePanel);
    await alex.page.goto(new URL(`/browse/${original}`, s.sandbox.url).href);
    const alexPanel = await appFrame(alex.page, MODULES.issuePanel);
    for (const frame of [morgan, alexPanel]) await itemOf(frame, key).waitFor();
    return { morgan, alexPanel };
  }

  const itemOf = (frame: Frame, key: string) => frame.locator(`[data-testid="duplicates"] [data-testid="suggestion"][data-issue-key="${key}"]`);

  /** Alex dismisses `key` in Alex's panel. */
  async function alexDismisses(alexPanel: Frame, key: string): Promise<void> {
    await itemOf(alexPanel, key).locator('[data-testid="dismiss"]').click();
    await alexPanel.locator('[data-testid="undo-banner"]').waitFor();
  }

  /** The text under the title of the flag titled `title` in Morgan's browser, once shown. */
  async function flagBody(title: string): Promise<string> {
    const flag = s.page.locator('[data-testid="shell-flag"]').filter({ has: s.page.locator('strong', { hasText: title }) }).last();
    await flag.waitFor();
    return (await flag.locator('div').first().textContent()) ?? '';
  }

  const stored = async (pairId: string) => ((await s.sandbox.forge.sql.query('SELECT status, decided_by FROM pairs WHERE id = ?', [pairId])) as Array<{ status: string; decided_by: string }>)[0];
  const duplicateLinks = (pairId: string) => {
    const store = s.sandbox.jira.store;
    return [...store.links.values()].filter((l) => store.linkTypes.get(l.typeId)?.name === 'Duplicate' && [l.inwardIssueId, l.outwardIssueId].sort().join('-') === pairId);
  };
  const entriesBy = async (pairId: string, accountId: string) =>
    Number(((await s.sandbox.forge.sql.query('SELECT COUNT(*) AS n FROM actions WHERE pair_id = ? AND actor = ?', [pairId, accountId])) as Array<{ n: number | bigint }>)[0]?.n);

  it("refuses a Link of a suggestion a colleague dismissed after the panel listed it, says who did, and keeps the focus in the panel", async () => {
    const copy = await copyOfOriginal();
    const { morgan, alexPanel } = await bothPanels(copy);
    const pairId = (await itemOf(morgan, copy).getAttribute('data-pair-id')) ?? '';
    await alexDismisses(alexPanel, copy);

    // Morgan's panel still lists it for review: its Link, pressed from the keyboard, is refused.
    await itemOf(morgan, copy).locator('[data-testid="link-duplicate"]').focus();
    await s.page.keyboard.press('Enter');
    const said = await flagBody('Not confirmed: someone else decided first');
    expect(said).toMatch(new RegExp(`^\u2068Alex Admin\u2069 dismissed ${copy} as not a duplicate [^,]+, after this panel showed it for review, so no Duplicate link was made\\.$`));
    // The issue view speaks of issues, never of "pairs".
    expect(said).not.toMatch(/\bpair/i);
    expect(await stored(pairId)).toEqual({ status: 'dismissed', decided_by: 'admin-1' });
    expect(duplicateLinks(pairId)).toHaveLength(0);

    // The list is read again: the suggestion has gone to the dismissed ones, and the focus to
    // "Show dismissed", where it went, rather than to the page.
    await itemOf(morgan, copy).waitFor({ state: 'detached' });
    await expectFocus(morgan, { testId: 'toggle-dismissed', issueKey: null });
    await morgan.locator('[data-testid="toggle-dismissed"]').click();
    const dismissed = morgan.locator(`[data-testid="dismissed"] [data-testid="suggestion"][data-issue-key="${copy}"]`);
    expect(await dismissed.locator('[data-testid="decided"]').innerText()).toMatch(/^Dismissed by Alex Admin /);
  });

  it('refuses a Not a duplicate of a suggestion a colleague dismissed since: no second dismissal, no Undo of the colleague\'s', async () => {
    const copy = await copyOfOriginal();
    const { morgan, alexPanel } = await bothPanels(copy);
    const pairId = (await itemOf(morgan, copy).getAttribute('data-pair-id')) ?? '';
    await alexDismisses(alexPanel, copy);

    await itemOf(morgan, copy).locator('[data-testid="dismiss"]').focus();
    await s.page.keyboard.press('Enter');
    expect(await flagBody('Not dismissed: someone else decided first')).toMatch(
      new RegExp(`^\u2068Alex Admin\u2069 dismissed ${copy} as not a duplicate [^,]+, after this panel showed it for review, so your dismissal was not saved\\.$`),
    );
    await itemOf(morgan, copy).waitFor({ state: 'detached' });
    await expectFocus(morgan, { testId: 'toggle-dismissed', issueKey: null });
    // No Undo banner (its Undo would reopen Alex's dismissal), nothing recorded as Morgan's.
    expect(await morgan.locator('[data-testid="undo-banner"]').count()).toBe(0);
    expect(await stored(pairId)).toEqual({ status: 'dismissed', decided_by: 'admin-1' });
    expect(await entriesBy(pairId, 'member-1')).toBe(0);
  });

  it("says Jira's own conflict in the server's words, not as a colleague's decision, when the suggestion is as the panel showed it", async () => {
    const copy = await copyOfOriginal();
    await s.open(`/browse/${original}`, 'member-1');
    const morgan = await s.frame(MODULES.issuePanel);
    await itemOf(morgan, copy).waitFor();
    const pairId = (await itemOf(morgan, copy).getAttribute('data-pair-id')) ?? '';
    // Nobody decided it: Jira answers the link itself with 409.
    s.sandbox.jira.faults.serverErrors({ count: 3, status: 409, path: /\/issueLink$/ });
    try {
      await itemOf(morgan, copy).locator('[data-testid="link-duplicate"]').click();
      const flag = s.page.locator('[data-testid="shell-flag"]').filter({ has: s.page.locator('strong', { hasText: /^Not confirmed$/ }) });
      await flag.waitFor();
      expect(await flag.locator('div').first().textContent()).toBe('Jira reported a conflict. Reload and try again.');
      expect(await s.page.locator('[data-testid="shell-flag"]', { hasText: 'someone else decided first' }).count()).toBe(0);
    } finally {
      s.sandbox.jira.faults.clear();
    }
    // Still pending, in place, with its Link to press again.
    expect(await stored(pairId)).toEqual({ status: 'pending', decided_by: null });
    expect(duplicateLinks(pairId)).toHaveLength(0);
    await itemOf(morgan, copy).locator('[data-testid="link-duplicate"]').waitFor();
  });
});
