/**
 * The review queue's rows stay where they are while the list is read again (another sort or
 * filter, after a decision): "Updating…" used to come in as a banner above the rows, pushing
 * every row down by its height and pulling them back up when the answer came, so a row's
 * Confirm moved under the pointer. Measured in the dark theme, wide and narrow.
 */
import type { Frame } from 'playwright-core';
import { openAppSession, type AppSession } from './support/app-session';
import { contrast } from './support/colour';
import { holdCalls } from './support/hold-calls';
import { describeIf, missingForBrowserTests } from './support/requirements';

jest.setTimeout(180_000);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The tops of the rows in view order, in the frame's own coordinates. */
async function rowTops(frame: Frame): Promise<number[]> {
  return frame.locator('[data-testid="pair-row"]').evaluateAll((rows: Array<{ getBoundingClientRect(): { top: number } }>) => rows.slice(0, 5).map((r) => r.getBoundingClientRect().top));
}

/** The boxes of the controls in the list (checkboxes, links, buttons), to tell what the note covers. */
async function controlBoxes(frame: Frame): Promise<Box[]> {
  return frame.locator('[data-testid="pair-list"]').locator('button, input, a, select').evaluateAll((els: Array<{ getBoundingClientRect(): { left: number; top: number; width: number; height: number } }>) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    }).filter((b) => b.width > 0 && b.height > 0),
  );
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describeIf(missingForBrowserTests())('the review queue while it is read again (browser)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ build: ['project-page'] });
    await s.analyse();
  }, 240_000);

  afterAll(async () => {
    await s?.close();
  });

  it.each([1280, 360])('keeps the rows in place while "Updating…" shows, and the note covers no control (dark theme, %i px)', async (width) => {
    await s.page.setViewportSize({ width, height: 900 });
    const frame = await s.projectPage('member-1', { colorMode: 'dark' });
    await frame.locator('[data-testid="pair-row"]').nth(2).waitFor();
    const before = await rowTops(frame);
    const updating = frame.locator('[data-testid="review-queue"] [role="status"]', { hasText: 'Updating…' });
    expect(await updating.count()).toBe(0);

    const held = holdCalls('pairs.list');
    await s.page.route('**/__bridge', held.handler);
    try {
      await frame.locator('[data-testid="sort"]').selectOption('score:asc');
      await updating.waitFor();
      // The rows asked before are still shown (dimmed) while the new ones load: not one has moved.
      expect(await rowTops(frame)).toEqual(before);
      // The note is on screen, readable, and over no checkbox, link or button.
      const note = await updating.evaluate((el: { getBoundingClientRect(): { left: number; top: number; width: number; height: number } }) => {
        const r = el.getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height };
      });
      expect(note.width).toBeGreaterThan(0);
      expect((await controlBoxes(frame)).filter((b) => overlaps(note, b))).toEqual([]);
      type Styled = { parentElement: Styled | null };
      const colours = await updating.evaluate((el: Styled) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } };
        // The first colour that is not see-through, from the note outwards.
        let bg = 'rgba(0, 0, 0, 0)';
        for (let e: Styled | null = el; e && /rgba\(.*, 0\)$/.test(bg); e = e.parentElement) bg = g.getComputedStyle(e).backgroundColor;
        return { color: g.getComputedStyle(el).color, background: bg };
      });
      expect(contrast(colours.color, colours.background)).toBeGreaterThanOrEqual(4.5);
      await updating.scrollIntoViewIfNeeded();
      await s.browser.screenshot(`e2e-queue-updating-${width}`, { fullPage: false });
    } finally {
      held.release();
      await held.done();
      await s.page.unroute('**/__bridge', held.handler);
    }
    await updating.waitFor({ state: 'detached' });
    // The new order's rows start where the old ones did.
    expect((await rowTops(frame))[0]).toBe(before[0]);
    await frame.locator('[data-testid="sort"]').selectOption('likely:desc');
  });
});
