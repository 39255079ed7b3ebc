/**
 * One sandbox (stand-in, LocalForge on a database of its own, shell) and one
 * Chromium per test file, plus the few steps several browser tests share.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/start';
import { appFrame, openBrowser, type TestBrowser } from './browser';

export const MODULES = {
  issuePanel: 'dedupe-issue-panel',
  issueContext: 'dedupe-issue-context',
  projectPage: 'dedupe-project-page',
  adminPage: 'dedupe-admin-page',
  createCheck: 'dedupe-create-check',
} as const;

export interface AppSession {
  sandbox: Sandbox;
  browser: TestBrowser;
  page: Page;
  /** Opens a shell path as `accountId` and returns the page. */
  open(path: string, accountId?: string, colorMode?: 'light' | 'dark'): Promise<Page>;
  /** The frame of `moduleKey` on the current page. */
  frame(moduleKey: string): Promise<Frame>;
  /** Opens a project's Duplicate review page (SHOP unless told) and returns its frame once the run panel shows. */
  projectPage(accountId?: string, opts?: { projectKey?: string; colorMode?: 'light' | 'dark' }): Promise<Frame>;
  /** Calls a resolver as a user, outside the browser (test setup only). */
  resolver(functionKey: string, method: string, payload: unknown, accountId?: string, extension?: Record<string, unknown>): Promise<unknown>;
  /**
   * Starts an analysis through the resolver and waits (up to `timeoutMs`, 120 s unless told)
   * for the queue to drain. A big backlog needs more: its analysis is minutes of work on a
   * busy machine.
   */
  analyse(projectKey?: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/**
 * The app logs every resolver call and run step (console.log / console.info); in a
 * browser test that is noise around the failure that matters, so those two are muted
 * while a session is open. Warnings and errors still print.
 */
function muteAppLogs(): () => void {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  return () => {
    log.mockRestore();
    info.mockRestore();
  };
}

export async function openAppSession(options: SandboxOptions = {}): Promise<AppSession> {
  const unmute = muteAppLogs();
  const sandbox = await startSandbox(options).catch((err: unknown) => {
    unmute();
    throw err;
  });
  let browser: TestBrowser;
  try {
    browser = await openBrowser();
  } catch (err) {
    await sandbox.stop();
    unmute();
    throw err;
  }
  const page = browser.page;
  const session: AppSession = {
    sandbox,
    browser,
    page,
    async open(path, accountId = 'admin-1', colorMode = 'light') {
      // Each opening is as in a new browser tab: the place a page keeps for the tab's session
      // (static/shared/session-state.ts) does not carry over from one test to the next.
      // The app's frames are pages of their own origin: their storage is cleared too. The
      // pages still open may yet write (a search typed a moment ago lands 300 ms later): from
      // the clearing until they are gone, their writes go nowhere.
      if (page.url().startsWith(sandbox.url)) {
        for (const f of page.frames()) {
          await f
            .evaluate(() => {
              const g = globalThis as unknown as { sessionStorage: { clear(): void }; Storage: { prototype: { setItem: unknown } } };
              g.sessionStorage.clear();
              g.Storage.prototype.setItem = () => undefined;
            })
            .catch(() => undefined);
        }
      }
      await browser.useAccount(sandbox.url, accountId, colorMode);
      await page.goto(new URL(path, sandbox.url).href);
      return page;
    },
    frame: (moduleKey) => appFrame(page, moduleKey),
    async projectPage(accountId = 'member-1', opts = {}) {
      await session.open(`/projects/${opts.projectKey ?? 'SHOP'}/apps/duplicates`, accountId, opts.colorMode);
      const frame = await session.frame(MODULES.projectPage);
      await frame.locator('[data-testid="run-panel"]').waitFor();
      return frame;
    },
    async resolver(functionKey, method, payload, accountId = 'admin-1', extension = {}) {
      const answer = (await sandbox.forge.callResolver(functionKey, method, payload, { accountId, extension })) as Json;
      if (answer['success'] !== true) throw new Error(`${method} failed: ${JSON.stringify(answer['error'])}`);
      return answer['data'];
    },
    async analyse(projectKey, timeoutMs = 120_000) {
      await session.resolver('project-page-resolver', 'run.start', projectKey ? { projectKey } : {});
      await sandbox.forge.queue.settle(timeoutMs);
    },
    async close() {
      await browser.close();
      await sandbox.stop();
      unmute();
    },
  };
  return session;
}

/**
 * On a project page: the Clusters tab, the first cluster with pairs still to review, and its
 * "Link as duplicates…" panel opened. Returns that cluster (it stays put while it is linked)
 * and its id.
 */
export async function openClusterLinker(frame: Frame): Promise<{ mine: Locator; clusterId: string }> {
  await frame.locator('[data-testid="tab-clusters"]').click();
  const cluster = frame.locator('[data-testid="cluster"]').filter({ hasText: 'to review' }).first();
  await cluster.waitFor();
  const clusterId = (await cluster.getAttribute('data-cluster-id')) ?? '';
  const mine = frame.locator(`[data-testid="cluster"][data-cluster-id="${clusterId}"]`);
  await mine.locator('[data-testid="cluster-link-open"]').click();
  return { mine, clusterId };
}
