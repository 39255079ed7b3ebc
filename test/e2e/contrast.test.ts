/**
 * Text contrast the reviewers measured, in headless Chromium, in both themes: the words two
 * issues share, highlighted in Compare's summaries and description excerpts (which sit in
 * subtle text), must read at 4.5:1 or better against the highlight.
 */
import type { Frame } from 'playwright-core';
import { contrast } from './support/colour';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

describeIf(missingForBrowserTests())('contrast (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });

  beforeAll(() => s.analyse(), 240_000);

  async function compare(colorMode: 'light' | 'dark'): Promise<Frame> {
    const frame = await s.projectPage('member-1', { colorMode });
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="pair-row"]').first().locator('[data-testid="pair-view"]').click();
    await frame.locator('[data-testid="pair-detail"] mark').first().waitFor();
    return frame;
  }

  it.each(['light', 'dark'] as const)('keeps highlighted shared words at 4.5:1 or better in Compare (%s theme)', async (mode) => {
    const frame = await compare(mode);
    type Styles = { getComputedStyle(el: unknown): { color: string; backgroundColor: string } };
    const marks = await frame.locator('[data-testid="pair-detail"] mark').evaluateAll((els) =>
      els.map((el) => {
        const style = (globalThis as unknown as Styles).getComputedStyle(el);
        return { color: style.color, background: style.backgroundColor };
      }),
    );
    expect(marks.length).toBeGreaterThan(1);
    const worst = Math.min(...marks.map((m) => contrast(m.color, m.background)));
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });
});
