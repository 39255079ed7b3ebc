/**
 * Jira changes its theme while an app page is open: the host sets `data-color-mode` and
 * `data-theme` on the frame's <html> (what `view.theme.enable()` asks for; the sandbox's frame
 * bridge sets the same two attributes), and the page follows without a reload. Canvas charts
 * cannot read CSS variables, so they take their colours from the tokens when they draw: they
 * must draw again in the new theme's colours. Measured on the canvas's own pixels.
 */
import type { Frame, Locator } from 'playwright-core';
import { openAppSession, type AppSession } from './support/app-session';
import { contrast, luminance } from './support/colour';
import { describeIf, missingForBrowserTests } from './support/requirements';

jest.setTimeout(180_000);

type Mode = 'light' | 'dark';

/** What the host does to the frame when the user switches Jira's theme. */
async function hostSwitchesTheme(frame: Frame, mode: Mode): Promise<void> {
  await frame.evaluate((m: string) => {
    const root = (globalThis as unknown as { document: { documentElement: { setAttribute(n: string, v: string): void } } }).document.documentElement;
    root.setAttribute('data-color-mode', m);
    root.setAttribute('data-theme', `${m}:${m} spacing:spacing typography:typography`);
  }, mode);
}

async function pageBackground(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const g = globalThis as unknown as { document: { body: unknown }; getComputedStyle(el: unknown): { backgroundColor: string } };
    return g.getComputedStyle(g.document.body).backgroundColor;
  });
}

/**
 * The colour the chart's x-axis labels are drawn in: the strip of canvas under the plot holds
 * only their text. Anti-aliased glyph pixels keep the text's colour with less alpha
 * (getImageData gives colours unpremultiplied), so the most opaque pixels there tell it.
 */
async function axisTextColour(chart: Locator): Promise<string | null> {
  return chart.locator('canvas').evaluate((el) => {
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
    const canvas = el as unknown as Canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return null;
    const ratio = (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio || 1;
    const strip = Math.round(10 * ratio);
    const { data } = ctx.getImageData(0, canvas.height - strip, canvas.width, strip);
    let best = 0;
    for (let i = 3; i < data.length; i += 4) best = Math.max(best, data[i] ?? 0);
    if (best < 200) return null;
    const counts = new Map<string, number>();
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i + 3] ?? 0) < best - 8) continue;
      const key = `rgb(${data[i]}, ${data[i + 1]}, ${data[i + 2]})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  });
}

/** The theme's own value of a colour token, as `rgb(…)`. */
async function tokenColour(frame: Frame, name: string): Promise<string> {
  const value = await frame.evaluate((n: string) => {
    const g = globalThis as unknown as { document: { documentElement: unknown }; getComputedStyle(el: unknown): { getPropertyValue(p: string): string } };
    return g.getComputedStyle(g.document.documentElement).getPropertyValue(n).trim();
  }, name);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(value);
  if (!hex) throw new Error(`${name} is not a colour here: "${value}"`);
  return `rgb(${hex.slice(1, 4).map((h) => parseInt(h, 16)).join(', ')})`;
}

/** Two `rgb(…)` colours alike but for the rounding a canvas's stored alpha brings. */
function near(a: string | null, b: string): boolean {
  const [x, y] = [a ?? '', b].map((c) => (c.match(/\d+/g) ?? []).map(Number));
  return x?.length === 3 && y?.length === 3 && x.every((v, i) => Math.abs(v - (y[i] ?? 0)) <= 3);
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

describeIf(missingForBrowserTests())('a theme change while the page is open (browser)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ build: ['project-page'] });
    await s.analyse();
  }, 240_000);

  afterAll(async () => {
    await s?.close();
  });

  it.each([
    ['light', 'dark'],
    ['dark', 'light'],
  ] as const)('redraws the charts in the new theme’s colours (%s to %s), text at 4.5:1 or better', async (from, to) => {
    const frame = await s.projectPage('member-1', { colorMode: from });
    await frame.locator('[data-testid="tab-insights"]').click();
    const chart = frame.locator('[data-testid="chart-scores"]');
    await chart.waitFor();
    // The first draw, in the theme the page opened in, once its token CSS is there.
    await waitFor('the first theme on the page', () => pageBackground(frame), (bg) => (from === 'dark' ? luminance(bg) < 0.2 : luminance(bg) > 0.8));
    const before = await waitFor('the chart drawn', () => axisTextColour(chart), (c) => c !== null);
    const backgroundBefore = await pageBackground(frame);
    expect(contrast(before ?? '', backgroundBefore)).toBeGreaterThanOrEqual(4.5);

    await hostSwitchesTheme(frame, to);
    const background = await waitFor('the page in the new theme', () => pageBackground(frame), (bg) => (to === 'dark' ? luminance(bg) < 0.2 : luminance(bg) > 0.8));
    // No reload, no click: the same chart is drawn again, its text readable on the new background.
    const after = await waitFor(
      'the chart drawn in the new theme',
      () => axisTextColour(chart),
      (c) => c !== null && c !== before && contrast(c, background) >= 4.5,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; axis text was ${String(before)} on ${backgroundBefore}, background now ${background}`);
    });
    expect(contrast(after ?? '', background)).toBeGreaterThanOrEqual(4.5);
    // The new theme's own subtle text colour, not a fallback that happens to read.
    const subtle = await tokenColour(frame, '--ds-text-subtle');
    expect(near(after, subtle)).toBe(true);
    // Every chart on the tab, not only the first.
    const charts = await frame.locator('figure[data-testid^="chart-"]').all();
    expect(charts.length).toBeGreaterThan(1);
    for (const other of charts) {
      await waitFor(`${String(await other.getAttribute('data-testid'))} in the new theme`, () => axisTextColour(other), (c) => near(c, subtle));
    }
    // Native parts (scroll bars, a select's open list) follow too.
    expect(await frame.evaluate(() => (globalThis as unknown as { getComputedStyle(el: unknown): { colorScheme: string }; document: { documentElement: unknown } }).getComputedStyle((globalThis as unknown as { document: { documentElement: unknown } }).document.documentElement).colorScheme)).toBe(to);
    await s.browser.screenshot(`theme-live-${from}-to-${to}`);
  });

  it('ends in the theme switched to last when Jira switches twice at once', async () => {
    const frame = await s.projectPage('member-1', { colorMode: 'light' });
    await frame.locator('[data-testid="tab-insights"]').click();
    const chart = frame.locator('[data-testid="chart-scores"]');
    await chart.waitFor();
    await waitFor('the chart drawn', () => axisTextColour(chart), (c) => c !== null);
    const light = await tokenColour(frame, '--ds-text-subtle');
    // Dark, and back to light before the dark tokens have arrived.
    await hostSwitchesTheme(frame, 'dark');
    await hostSwitchesTheme(frame, 'light');
    // Once the dark tokens are in (they were asked for), the page is still light, its chart too.
    await waitFor('the dark tokens loaded', () => frame.locator('style[data-theme="dark"]').count(), (n) => n > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const background = await pageBackground(frame);
    expect(luminance(background)).toBeGreaterThan(0.8);
    expect(await tokenColour(frame, '--ds-text-subtle')).toBe(light);
    const colour = await waitFor('the chart in the light theme', () => axisTextColour(chart), (c) => near(c, light));
    expect(contrast(colour ?? '', background)).toBeGreaterThanOrEqual(4.5);
  });
});
