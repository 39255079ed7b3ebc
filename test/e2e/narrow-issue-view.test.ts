/**
 * The issue view in narrow places, in headless Chromium: the sandbox shell in a 420 px
 * window (the issue's side column goes under the main one, which keeps the app's panel a
 * usable width), and the issue context box at 240 px and a little wider, where an issue key
 * stays on one line and nothing scrolls sideways.
 */
import type { Frame } from 'playwright-core';
import { plantedDuplicates } from '../../sandbox/seed';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** What the check below finds in a frame: keys laid out on two lines, and how far it scrolls sideways. */
interface Layout {
  broken: string[];
  sideways: number;
}

/** The little of the DOM the check uses (the tests compile without the DOM's types). */
interface TextNode {
  textContent: string | null;
}
interface FrameWindow {
  document: {
    body: unknown;
    documentElement: { scrollWidth: number; clientWidth: number };
    createTreeWalker(root: unknown, what: number): { nextNode(): TextNode | null };
    createRange(): { setStart(node: TextNode, offset: number): void; setEnd(node: TextNode, offset: number): void; getClientRects(): ArrayLike<{ width: number }> };
  };
}

/** Every issue key in the frame's text that the layout puts on more than one line. */
function layoutOf(frame: Frame): Promise<Layout> {
  return frame.evaluate((): Layout => {
    const doc = (globalThis as unknown as FrameWindow).document;
    const broken: string[] = [];
    // 4: NodeFilter.SHOW_TEXT.
    const walker = doc.createTreeWalker(doc.body, 4);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const m of text.matchAll(/[A-Z][A-Z0-9_]+-\d+/g)) {
        const range = doc.createRange();
        range.setStart(node, m.index ?? 0);
        range.setEnd(node, (m.index ?? 0) + m[0].length);
        if (Array.from(range.getClientRects()).filter((r) => r.width > 0).length > 1) broken.push(m[0]);
      }
    }
    return { broken, sideways: doc.documentElement.scrollWidth - doc.documentElement.clientWidth };
  });
}

describeIf(missingForBrowserTests())('issue view in narrow places (browser)', () => {
  const s = useAppSession({ build: ['issue-panel'] }, { beforeClose: (open) => open.page.setViewportSize({ width: 1360, height: 900 }) });

  beforeAll(() => s.analyse(), 240_000);

  const [original, duplicate] = plantedDuplicates().find(([a, b]) => a.startsWith('MOB-') && b.startsWith('MOB-')) ?? ['', ''];

  it('gives the panel the window\'s width in a 420 px window, with nothing to scroll sideways', async () => {
    await s.page.setViewportSize({ width: 420, height: 800 });
    try {
      await s.open(`/browse/${original}`, 'member-1');
      const panel = await s.frame(MODULES.issuePanel);
      await panel.locator(`[data-testid="suggestion"][data-issue-key="${duplicate}"]`).waitFor();
      const box = await s.page.locator(`iframe[data-module-key="${MODULES.issuePanel}"]`).boundingBox();
      // The window less the page's margins: it used to be 0 px wide, and as tall as its text stacked a letter a line.
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(await s.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
      // The issue context box is under the issue's text, as wide.
      const context = await s.page.locator('[data-testid="issue-context"]').boundingBox();
      expect(context?.width ?? 0).toBeGreaterThan(300);
      await s.browser.screenshot('e2e-issue-420px');
    } finally {
      await s.page.setViewportSize({ width: 1360, height: 900 });
    }
  });

  it('keeps each issue key on one line in the context box from 240 px up, and nothing scrolls sideways', async () => {
    // From the newer issue, each line above a Link button ends with a key: "Links this issue as a duplicate of MOB-3".
    await s.open(`/browse/${duplicate}`, 'member-1');
    await s.page.locator('[data-testid="issue-context"] button').click();
    const context = await s.frame(MODULES.issueContext);
    const direction = context.locator(`[data-testid="suggestion"][data-issue-key="${original}"] [data-testid="link-direction"]`);
    await direction.waitFor();
    expect(await direction.innerText()).toBe(`Links this issue as a duplicate of ${original}`);
    const iframe = s.page.locator(`iframe[data-module-key="${MODULES.issueContext}"]`);
    const seen: Array<Layout & { width: number }> = [];
    for (let width = 240; width <= 340; width += 1) {
      await iframe.evaluate((el: { style: { width: string } }, w: number) => {
        el.style.width = `${w}px`;
      }, width);
      const layout = await layoutOf(context);
      if (layout.broken.length > 0 || layout.sideways > 0) seen.push({ width, ...layout });
    }
    expect(seen).toEqual([]);
  });
});
