/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by
 * playwright-core (no browser download), a throw-away profile per launch, and
 * screenshots into the git-ignored artifacts/ folder.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Signs in as a sandbox user (the shell's user cookie) for `baseUrl`. */
  useAccount(baseUrl: string, accountId: string, colorMode?: 'light' | 'dark'): Promise<void>;
  /** Saves artifacts/screenshots/<name>.png; the whole page unless `fullPage` is false (modals). */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1360, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Under a busy machine (CI beside other work) a frame's first render has taken over 15 s
  // once; a wait that long is still a failure, well inside jest's 60 s per test.
  page.setDefaultTimeout(30_000);
  // Script errors and failed loads in the shell or its frames explain most timeouts.
  page.on('pageerror', (err) => console.warn(`[browser] page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.warn(`[browser] ${message.text()} (${message.location().url})`);
  });
  return {
    context,
    page,
    async useAccount(baseUrl, accountId, colorMode = 'light') {
      const url = new URL(baseUrl).origin;
      await context.addCookies([
        { name: 'sandbox_user', value: accountId, url },
        { name: 'sandbox_theme', value: colorMode, url },
      ]);
    },
    async screenshot(name, options = {}) {
      const dir = join(ARTIFACTS, 'screenshots');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The app frame of a module on the current page, once its document has loaded. */
export async function appFrame(page: Page, moduleKey: string): Promise<Frame> {
  const handle = await page.waitForSelector(`iframe[data-module-key="${moduleKey}"]`, { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`The ${moduleKey} iframe has no document.`);
  await frame.waitForLoadState('domcontentloaded');
  return frame;
}
