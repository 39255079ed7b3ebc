/**
 * Findings of a review of the issue view (badge, panel, context box) as a team member uses it,
 * in the sandbox shell, in headless Chromium. Each test reproduces a defect of the code
 * reviewed; each was marked `it.failing` until the defect was fixed, and is a plain `it` now.
 * - an issue with more than 20 pending possible duplicates (an incident reported many times):
 *   the badge counts them all, the panel listed and counted 20 at most;
 * - Restore of a dismissed suggestion that goes back past the first five of a list drops the
 *   keyboard focus to the page, and the suggestion restored is nowhere in view;
 * - a summary longer than 160 characters is cut in the panel, with the rest nowhere (no
 *   tooltip, nothing for a screen reader): two long summaries that part near their end read
 *   alike; and one that reads as the open issue's own for 160 characters was not shown from
 *   where the two part, as the review queue shows them;
 * - "Show 20 more" under one list asked for 20 more of every list;
 * - the joiners some scripts and emoji need (U+200C, U+200D) are taken out of summaries:
 *   Persian words and emoji sequences are shown broken;
 * - a new issue's suggestions arrive in the panel by themselves, and nothing tells a screen
 *   reader that they did.
 */
import type { Frame, Request } from 'playwright-core';
import { MODULES } from './support/app-session';
import { expectFocusIn, focusedIn, SUGGESTION } from './support/focus';
import { plantedPair } from './support/planted';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(180_000);

describeIf(missingForBrowserTests())('a review of the issue view as a team member uses it (browser)', () => {
  const s = useAppSession({ build: ['issue-panel'] });

  beforeAll(() => s.analyse('SHOP'), 240_000);

  /** Creates issues as a member, and waits until the app has handled their created events. */
  async function create(issues: Array<{ summary: string; description: string }>): Promise<string[]> {
    const keys = issues.map((i) => s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', ...i }, { accountId: 'member-1' }).key);
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(120_000);
    return keys;
  }

  /** `n` copies of an issue, as an incident reported again and again. */
  function copiesOf(key: string, n: number): Array<{ summary: string; description: string }> {
    const from = s.sandbox.jira.store.getIssue(key);
    if (!from) throw new Error(`The sample backlog has no ${key}.`);
    const description = typeof from.description === 'string' ? from.description : '';
    return Array.from({ length: n }, (_, i) => ({ summary: from.summary, description: `${description}\n\nReported again (${i + 1}).` }));
  }

  /** The issue panel of `key` as `accountId` sees it, once it lists something. */
  async function panelOf(key: string, accountId = 'member-1'): Promise<Frame> {
    await s.open(`/browse/${key}`, accountId);
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="suggestion"]').first().waitFor();
    return panel;
  }

  it('counts in the panel the pending possible duplicates the badge counts, past 20 of them, and lists them all on asking', async () => {
    const [original] = plantedPair('SHOP', 0);
    await create(copiesOf(original, 23));
    const panel = await panelOf(original);
    const badge = s.page.locator('[data-testid="issue-context-badge"]:not([hidden])');
    await badge.waitFor();
    const badgeCount = Number(await badge.textContent());
    // 23 copies and the planted duplicate, all pending: the badge counts every one.
    expect(badgeCount).toBeGreaterThanOrEqual(24);
    const duplicates = panel.locator('[data-testid="duplicates"]');
    // The heading used to say 20, the list held 20 ("Show 15 more"), and the others could be
    // reached from this issue only once some of those 20 were decided.
    const headingCount = Number(await duplicates.locator('[data-testid="section-count"]').textContent());
    expect(headingCount).toBe(badgeCount);
    await duplicates.locator('[data-testid="show-more"]').click();
    expect(await duplicates.locator('[data-testid="suggestion"]').count()).toBe(20);
    // The rest, 20 at a time, the focus on the first one it brings.
    const more = duplicates.locator('[data-testid="load-more"]');
    expect(await more.textContent()).toBe(`Show ${Math.min(20, badgeCount - 20)} more of ${badgeCount}`);
    // The panel's reads of its suggestions from here on, as the shell sends them to the app.
    const asks: string[] = [];
    const onRequest = (request: Request) => {
      const body = (request.postData() ?? '').replace(/\\"/g, '"');
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/__bridge' && body.includes('"suggestions.get"') && body.includes(MODULES.issuePanel)) asks.push(body);
    };
    s.page.on('request', onRequest);
    try {
      await more.focus();
      await s.page.keyboard.press('Enter');
      await duplicates.locator('[data-testid="suggestion"]').nth(20).waitFor();
    } finally {
      s.page.off('request', onRequest);
    }
    // More of the possible duplicates only: it used to ask for 40 of every list.
    expect(asks.length).toBeGreaterThan(0);
    expect(asks.every((body) => body.includes('"limits":{"duplicates":40}') && !body.includes('"limit":'))).toBe(true);
    const keys = await Promise.all((await duplicates.locator('[data-testid="suggestion"]').all()).map((el) => el.getAttribute('data-issue-key')));
    expect({ listed: keys.length, distinct: new Set(keys).size }).toEqual({ listed: Math.min(badgeCount, 40), distinct: Math.min(badgeCount, 40) });
    if (badgeCount <= 40) expect(await more.count()).toBe(0);
    await expectFocusIn<'issueKey'>(panel, { issueKey: SUGGESTION }, { testId: 'suggestion-key', issueKey: keys[20] ?? null });
  });

  it('keeps the keyboard focus on a suggestion restored past the first five of its list, and shows it', async () => {
    const [original, duplicate] = plantedPair('SHOP', 1);
    // Six copies score above the planted duplicate, which is listed seventh, past "Show 2 more".
    await create(copiesOf(original, 6));
    let panel = await panelOf(original);
    const duplicates = panel.locator('[data-testid="duplicates"]');
    await duplicates.locator('[data-testid="show-more"]').click();
    const item = (frame: Frame, list: string) => frame.locator(`[data-testid="${list}"] [data-testid="suggestion"][data-issue-key="${duplicate}"]`);
    const order = await Promise.all((await duplicates.locator('[data-testid="suggestion"]').all()).map((el) => el.getAttribute('data-issue-key')));
    expect(order.indexOf(duplicate)).toBeGreaterThanOrEqual(5);
    await item(panel, 'duplicates').locator('[data-testid="dismiss"]').click();
    await panel.locator('[data-testid="undo-banner"]').waitFor();

    // Later (the issue opened again), someone puts it back from the dismissed ones, by keyboard.
    panel = await panelOf(original);
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    await item(panel, 'dismissed').locator('[data-testid="restore"]').focus();
    await s.page.keyboard.press('Enter');
    await item(panel, 'dismissed').waitFor({ state: 'detached' });
    // Back among the possible duplicates, once the list shows it again.
    await panel.locator('[data-testid="duplicates"] [data-testid="show-more"]').waitFor();
    const deadline = Date.now() + 5_000;
    let focus = await focusedIn(panel, { issueKey: SUGGESTION });
    while (focus.testId === 'body' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      focus = await focusedIn(panel, { issueKey: SUGGESTION });
    }
    // It used to fall to the page, with the suggestion behind "Show 2 more".
    expect(focus).toEqual({ testId: 'suggestion-key', issueKey: duplicate });
    expect(await item(panel, 'duplicates').isVisible()).toBe(true);
  });

  it('lets the reader see the end of a long summary, where two long summaries part', async () => {
    const start =
      'Nightly export of the order warehouse stops half way through with a connection reset from the storage gateway, ' +
      'and the retry starts the export again from the first partition instead of the one that failed';
    const [invoice, card] = await create([
      { summary: `${start}, but only for orders paid by invoice`, description: 'Seen since the gateway upgrade.' },
      { summary: `${start}, but only for orders paid by credit card`, description: 'Seen since the gateway upgrade.' },
    ]);
    expect(s.sandbox.jira.store.getIssue(card ?? '')?.summary.length).toBeGreaterThan(200);
    // From the first of the two: the second one's summary, which ends "paid by credit card".
    const panel = await panelOf(invoice ?? '');
    const item = panel.locator(`[data-testid="suggestion"][data-issue-key="${card}"]`);
    await item.waitFor();
    // Anywhere a reader may find it: the summary as shown, its tooltip, or its text for screen readers.
    const said = await item.evaluate((el: unknown) => {
      const e = el as { textContent: string | null; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
      return [e.textContent ?? '', ...Array.from(e.querySelectorAll('[title], [aria-label], [aria-description]')).flatMap((n) => [n.getAttribute('title') ?? '', n.getAttribute('aria-label') ?? '', n.getAttribute('aria-description') ?? ''])].join('\n');
    });
    // Cut at 160 characters with nothing else, it read "…, and the retry starts the…", and not which orders it is about.
    expect(said).toContain('paid by credit card');
  });

  it("shows a long summary from where it parts from the open issue's own, as the review queue shows a pair's two", async () => {
    const start =
      'Warehouse label printer queue stalls after a firmware update on the packing station, and every label sent while it is stalled ' +
      'is printed twice once the queue starts again, which doubles the parcels shipped';
    const [north, south] = await create([
      { summary: `${start} from the north hall`, description: 'Seen since the firmware update of the packing stations.' },
      { summary: `${start} from the south hall`, description: 'Seen since the firmware update of the packing stations.' },
    ]);
    expect(start.length).toBeGreaterThan(160);
    // From the north hall's issue: the south hall's, which reads as this issue's own for over 160 characters.
    const panel = await panelOf(north ?? '');
    const item = panel.locator(`[data-testid="suggestion"][data-issue-key="${south}"]`);
    await item.waitFor();
    const shown = (await item.locator('[data-testid="suggestion-summary"]').textContent()) ?? '';
    // Compared only with the other suggestions' summaries, it showed its first 160 characters,
    // word for word the open issue's own, and not which hall it is about.
    expect(shown.startsWith('…')).toBe(true);
    expect(shown).toContain('from the south hall');
    // Whole in its tooltip, as before.
    expect(await item.locator('[data-testid="suggestion-summary-box"]').getAttribute('title')).toBe(`${start} from the south hall`);
  });

  it('shows summaries with the joiners Persian words and emoji sequences need', async () => {
    // U+200C ZERO WIDTH NON-JOINER in "نمی‌شود" ("does not"), U+200D ZERO WIDTH JOINER in 👩‍💻 (a technologist).
    const persian = 'صفحه ورود باز نمی\u200Cشود';
    const emoji = '\u{1F469}\u200D\u{1F4BB}';
    const summary = `Developer portal ${emoji} sign-in page never opens: ${persian}`;
    const [first, second] = await create([
      { summary, description: 'The developer portal sign-in page spins forever after the redirect from the identity provider.' },
      { summary, description: 'Since this morning the developer portal sign-in page spins forever after the identity provider redirect.' },
    ]);
    const panel = await panelOf(first ?? '');
    const shown = await panel.locator(`[data-testid="suggestion"][data-issue-key="${second}"] [data-testid="suggestion-summary"]`).textContent();
    // Stripped of its joiners it read "نمیشود" (the letters joined as they must not be) and 👩💻 (a woman and a laptop).
    expect(shown).toContain(persian);
    expect(shown).toContain(emoji);
  });

  it("tells a screen reader when a new issue's suggestions arrive in the panel by themselves", async () => {
    const [original] = plantedPair('SHOP', 2);
    const [copy] = copiesOf(original, 1);
    // The new issue's pairs are held up, so the panel is opened while they are on their way.
    s.sandbox.forge.sql.faults.setLatency(6_000, /^\s*INSERT INTO pairs/);
    let panel: Frame;
    try {
      const key = s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', ...(copy ?? { summary: '', description: '' }) }, { accountId: 'member-1' }).key;
      await s.open(`/browse/${key}`, 'member-1');
      panel = await s.frame(MODULES.issuePanel);
      await panel.locator('[data-testid="empty-pending"]').waitFor();
      await panel.locator(`[data-testid="suggestion"][data-issue-key="${original}"]`).waitFor({ timeout: 60_000 });
    } finally {
      s.sandbox.forge.sql.faults.setLatency(0);
    }
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(60_000);
    // A live region (role status or alert, or aria-live) that says what arrived: the spinner's
    // status goes with the "Looking for similar issues" state, and the list that takes its
    // place is in no live region.
    const live = panel.locator('[role="status"], [role="alert"], [aria-live="polite"], [aria-live="assertive"]').filter({ hasText: /possible duplicate|similar issue|related/i });
    expect(await live.count()).toBeGreaterThan(0);
  });
});
