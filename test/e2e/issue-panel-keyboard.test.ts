/**
 * The issue panel and the issue context box for keyboard and screen-reader users, and for
 * right-to-left text, in headless Chromium on the sample backlog: a decision's button keeps
 * the keyboard focus while Jira or the database is slow or failing (it used to be disabled,
 * which dropped the focus to the page); the Undo banner is live only in its sentence, not in
 * its buttons; and a summary runs in its own direction.
 */
import type { Frame, Locator } from 'playwright-core';
import { MODULES } from './support/app-session';
import { expectFocusIn, focusedIn, SUGGESTION, type FocusedIn } from './support/focus';
import { flagOf, plantedPair } from './support/planted';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(180_000);

interface El {
  tagName: string;
  getAttribute(name: string): string | null;
  closest(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  getBoundingClientRect(): { left: number; right: number; top: number; width: number; height: number };
}
interface FrameWindow {
  document: {
    activeElement: El | null;
    body: El;
    createRange(): { selectNodeContents(node: El): void; getClientRects(): ArrayLike<{ left: number; right: number; top: number; width: number; height: number }> };
  };
  getComputedStyle(el: El): { direction: string; display: string; lineHeight: string; paddingLeft: string; paddingRight: string };
}

/** Which control has focus in a frame, in which suggestion. */
const focusIn = (frame: Frame) => focusedIn(frame, { issueKey: SUGGESTION });
const expectFocus = (frame: Frame, expected: FocusedIn<'issueKey'>) => expectFocusIn(frame, { issueKey: SUGGESTION }, expected);

/** A busy button: focusable still (not `disabled`), and said to be unavailable (`aria-disabled`). */
function busyState(button: Locator): Promise<{ disabled: boolean; ariaDisabled: string | null }> {
  return button.evaluate((el: El & { disabled: boolean }) => ({ disabled: el.disabled, ariaDisabled: el.getAttribute('aria-disabled') }));
}

/** How a summary block is laid out: its direction, and each of its lines' left and right edges against the block's content box. */
interface Lines {
  direction: string;
  display: string;
  contentLeft: number;
  contentRight: number;
  lines: Array<{ left: number; right: number }>;
}

function linesOf(summary: Locator): Promise<Lines> {
  return summary.evaluate((el: El): Lines => {
    const w = globalThis as unknown as FrameWindow;
    const style = w.getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const lineHeight = parseFloat(style.lineHeight) || 20;
    const range = w.document.createRange();
    range.selectNodeContents(el);
    const byLine = new Map<number, { left: number; right: number }>();
    for (const r of Array.from(range.getClientRects())) {
      if (r.width === 0) continue;
      const line = Math.floor((r.top + r.height / 2 - box.top) / lineHeight);
      const seen = byLine.get(line);
      byLine.set(line, seen ? { left: Math.min(seen.left, r.left), right: Math.max(seen.right, r.right) } : { left: r.left, right: r.right });
    }
    return {
      direction: style.direction,
      display: style.display,
      contentLeft: box.left + parseFloat(style.paddingLeft),
      contentRight: box.right - parseFloat(style.paddingRight),
      lines: [...byLine.entries()].sort(([a], [b]) => a - b).map(([, l]) => l),
    };
  });
}

describeIf(missingForBrowserTests())('issue panel for keyboard, screen-reader and right-to-left use (browser)', () => {
  const s = useAppSession({ build: ['issue-panel'] });

  beforeAll(() => s.analyse(), 240_000);

  afterEach(() => {
    s.sandbox.jira.faults.clear();
    s.sandbox.forge.sql.faults.clear();
  });

  it('keeps the focus on Link as duplicate while Jira fails the link, and there after the failure', async () => {
    const [original, duplicate] = plantedPair('SHOP', 0);
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const link = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="link-duplicate"]`);
    await link.waitFor();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Jira answers every link request with 500: the app tries again for a while, then gives up.
      s.sandbox.jira.faults.serverErrors({ count: 1_000_000, status: 500, path: /\/issueLink$/ });
      await link.focus();
      await page.keyboard.press('Enter');
      // Busy, and the focus on it still (a disabled button would have dropped it to the page).
      await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="link-duplicate"][aria-busy="true"]`).waitFor();
      expect(await busyState(link)).toEqual({ disabled: false, ariaDisabled: 'true' });
      expect(await focusIn(panel)).toEqual({ testId: 'link-duplicate', issueKey: duplicate });
      await flagOf(page, 'Not confirmed').waitFor({ timeout: 60_000 });
      // After the failure: the same button, no longer busy, with the focus on it.
      expect(await link.getAttribute('aria-busy')).toBeNull();
      expect(await focusIn(panel)).toEqual({ testId: 'link-duplicate', issueKey: duplicate });
    } finally {
      s.sandbox.jira.faults.clear();
      warn.mockRestore();
    }
    // Nothing linked meanwhile.
    const ids = new Set([original, duplicate].map((k) => s.sandbox.jira.store.getIssue(k)?.id));
    expect([...s.sandbox.jira.store.links.values()].some((l) => ids.has(l.inwardIssueId) && ids.has(l.outwardIssueId))).toBe(false);
  });

  it('keeps the focus on Not a duplicate while the database fails the dismissal, and there after the failure', async () => {
    const [original, duplicate] = plantedPair('SHOP', 1);
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const dismiss = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"]`);
    await dismiss.waitFor();
    // The write of the dismissal is held a moment (the button busy meanwhile), then fails.
    const held = s.sandbox.forge.sql.faults.holdNext(/UPDATE pairs SET status/, 1_500);
    s.sandbox.forge.sql.faults.failNext(1, { match: /UPDATE pairs SET status/ });
    await dismiss.focus();
    await page.keyboard.press('Enter');
    await held;
    expect(await dismiss.getAttribute('aria-busy')).toBe('true');
    expect(await busyState(dismiss)).toEqual({ disabled: false, ariaDisabled: 'true' });
    expect(await focusIn(panel)).toEqual({ testId: 'dismiss', issueKey: duplicate });
    await flagOf(page, 'The decision was not saved').waitFor();
    expect(await dismiss.getAttribute('aria-busy')).toBeNull();
    expect(await focusIn(panel)).toEqual({ testId: 'dismiss', issueKey: duplicate });
  });

  it('keeps the focus on a slow Link and a slow Unlink in the context box, then gives it to the button that takes its place', async () => {
    const [original, duplicate] = plantedPair('MOB', 0);
    const page = await s.open(`/browse/${original}`, 'member-1');
    await page.locator('[data-testid="issue-context"] button').click();
    const box = await s.frame(MODULES.issueContext);
    const item = `[data-testid="suggestion"][data-issue-key="${duplicate}"]`;
    const link = box.locator(`${item} [data-testid="link-duplicate"]`);
    await link.waitFor();
    // Jira is slow to make and to remove a link.
    s.sandbox.jira.faults.latency(2_500, /\/issueLink(\/[^/]+)?$/);
    await link.focus();
    await page.keyboard.press('Enter');
    await box.locator(`${item} [data-testid="link-duplicate"][aria-busy="true"]`).waitFor();
    expect(await busyState(link)).toEqual({ disabled: false, ariaDisabled: 'true' });
    expect(await focusIn(box)).toEqual({ testId: 'link-duplicate', issueKey: duplicate });
    // Linked: where the panel's rule sends the focus after a link, the Unlink in its place.
    const unlink = box.locator(`${item} [data-testid="unlink"]`);
    await unlink.waitFor();
    await expectFocus(box, { testId: 'unlink', issueKey: duplicate });
    await page.keyboard.press('Enter');
    await box.locator(`${item} [data-testid="unlink"][aria-busy="true"]`).waitFor();
    expect(await busyState(unlink)).toEqual({ disabled: false, ariaDisabled: 'true' });
    expect(await focusIn(box)).toEqual({ testId: 'unlink', issueKey: duplicate });
    // Unlinked: the focus goes to the Link button back in its place, not to the Not a duplicate
    // that takes the Unlink's place in the row.
    await link.waitFor();
    await expectFocus(box, { testId: 'link-duplicate', issueKey: duplicate });
  });

  it('keeps the focus on Not a duplicate while Jira is slow, then on Undo; the Undo banner is live only in its sentence', async () => {
    const [original, duplicate] = plantedPair('MOB', 1);
    const page = await s.open(`/browse/${original}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const dismiss = panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"]`);
    await dismiss.waitFor();
    // Whether the viewer may browse both issues is asked of Jira first: slow.
    s.sandbox.jira.faults.latency(2_000, /\/permissions\/check/);
    await dismiss.focus();
    await page.keyboard.press('Enter');
    await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"] [data-testid="dismiss"][aria-busy="true"]`).waitFor();
    expect(await busyState(dismiss)).toEqual({ disabled: false, ariaDisabled: 'true' });
    expect(await focusIn(panel)).toEqual({ testId: 'dismiss', issueKey: duplicate });
    const banner = panel.locator('[data-testid="undo-banner"]');
    await banner.waitFor();
    await expectFocus(panel, { testId: 'undo', issueKey: null });
    s.sandbox.jira.faults.clear();

    // The banner is no live region; its sentence is the one, and it holds no button.
    const structure = () =>
      banner.evaluate((el: El) => {
        const live = '[role="status"], [role="alert"], [role="log"], [aria-live]:not([aria-live="off"])';
        return {
          bannerRole: el.getAttribute('role'),
          regions: Array.from(el.querySelectorAll(live)).map((r) => ({ role: r.getAttribute('role'), testId: r.getAttribute('data-testid'), buttons: r.querySelectorAll('button').length })),
          buttonsInLive: Array.from(el.querySelectorAll('button')).filter((b) => b.closest(live) !== null).length,
          buttons: el.querySelectorAll('button').length,
        };
      });
    const before = await structure();
    expect(before).toEqual({ bannerRole: null, regions: [{ role: 'status', testId: 'undo-text', buttons: 0 }], buttonsInLive: 0, buttons: before.buttons });
    expect(before.buttons).toBeGreaterThanOrEqual(4);
    const sentence = panel.locator('[data-testid="undo-banner"] [data-testid="undo-text"]');
    expect(await sentence.innerText()).toBe(`${duplicate} marked as not a duplicate.`);

    // A reason chosen from the keyboard: the sentence says it, and still no button is in a live region.
    await banner.locator('[data-testid="dismiss-reason-split"]').press('Enter');
    await banner.locator('[data-testid="undo-text"]').filter({ hasText: 'Why: Split on purpose' }).waitFor();
    const after = await structure();
    expect(after).toEqual({ bannerRole: null, regions: [{ role: 'status', testId: 'undo-text', buttons: 0 }], buttonsInLive: 0, buttons: after.buttons });
    await banner.locator('[data-testid="undo"]').press('Enter');
    await banner.waitFor({ state: 'detached' });
  });

  it('lays an Arabic summary out right to left, in the panel and in the context box, and a Latin one left to right', async () => {
    const tail = 'عندما يشتري عميلان المنتج الأخير في نفس الثانية من المتجر ومن تطبيق الهاتف معا';
    const [first, second] = ['آخر قطعة في المخزون تباع مرتين في نفس الوقت', 'آخر قطعة في المخزون بيعت مرتين لعميلين في نفس الوقت'].map((start) =>
      s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: `${start} ${tail}`, description: 'طلبان في نفس الثانية لآخر قطعة في المخزون' }, { accountId: 'member-1' }),
    );
    await s.sandbox.jira.flushEvents();
    await s.sandbox.forge.queue.settle(60_000);
    const page = await s.open(`/browse/${second?.key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    // The suggestion's summary: the first text in it that runs in its own direction.
    const summaryIn = (frame: Frame, key: string | undefined) => frame.locator(`[data-testid="suggestion"][data-issue-key="${key}"] .dd-user-text[dir="auto"]`).first();
    await summaryIn(panel, first?.key).waitFor();
    await page.locator('[data-testid="issue-context"] button').click();
    const box = await s.frame(MODULES.issueContext);
    await summaryIn(box, first?.key).waitFor();
    for (const [where, frame] of [['panel', panel], ['context box', box]] as const) {
      const laid = await linesOf(summaryIn(frame, first?.key));
      expect({ where, direction: laid.direction, display: laid.display }).toEqual({ where, direction: 'rtl', display: 'block' });
      // Every line ends at the block's right edge, the wrapped last one too (it used to start at the left).
      expect({ where, lines: laid.lines.length > 1 }).toEqual({ where, lines: true });
      const last = laid.lines[laid.lines.length - 1] ?? { left: 0, right: 0 };
      expect({ where, lastIsShort: last.right - last.left < (laid.contentRight - laid.contentLeft) * 0.8 }).toEqual({ where, lastIsShort: true });
      expect({ where, offRight: laid.lines.map((l) => Math.round(laid.contentRight - l.right)).filter((gap) => gap > 1) }).toEqual({ where, offRight: [] });
    }
    // The shared words are Arabic too: each isolated in its own direction (the list's commas stay between them).
    const words = panel.locator(`[data-testid="suggestion"][data-issue-key="${first?.key}"] .dd-subtlest bdi`);
    expect(await words.count()).toBeGreaterThan(1);
    expect(new Set(await words.evaluateAll((els: El[]) => els.map((el) => (globalThis as unknown as FrameWindow).getComputedStyle(el).direction)))).toEqual(new Set(['rtl']));

    // A Latin summary runs left to right.
    const [original, duplicate] = plantedPair('SHOP', 2);
    await s.open(`/browse/${original}`, 'member-1');
    const latin = await s.frame(MODULES.issuePanel);
    await summaryIn(latin, duplicate).waitFor();
    const laid = await linesOf(summaryIn(latin, duplicate));
    expect([laid.direction, laid.display]).toEqual(['ltr', 'block']);
    expect(laid.lines.map((l) => Math.round(l.left - laid.contentLeft)).filter((gap) => gap > 1)).toEqual([]);
  });
});
