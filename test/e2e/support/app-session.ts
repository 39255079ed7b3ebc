/**
 * One sandbox (stand-in, LocalForge on a database of its own, shell) and one
 * Chromium per test file, plus the few steps several browser tests share.
 */
import type { Frame, Page } from 'playwright-core';
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
  /** Calls a resolver as a user, outside the browser (test setup only). */
  resolver(functionKey: string, method: string, payload: unknown, accountId?: string, extension?: Record<string, unknown>): Promise<unknown>;
  /** Starts an analysis through the resolver and waits for the queue to drain. */
  analyse(projectKey?: string): Promise<void>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function openAppSession(options: SandboxOptions = {}): Promise<AppSession> {
  const sandbox = await startSandbox(options);
  let browser: TestBrowser;
  try {
    browser = await openBrowser();
  } catch (err) {
    await sandbox.stop();
    throw err;
  }
  const page = browser.page;
  const session: AppSession = {
    sandbox,
    browser,
    page,
    async open(path, accountId = 'admin-1', colorMode = 'light') {
      await browser.useAccount(sandbox.url, accountId, colorMode);
      await page.goto(new URL(path, sandbox.url).href);
      return page;
    },
    frame: (moduleKey) => appFrame(page, moduleKey),
    async resolver(functionKey, method, payload, accountId = 'admin-1', extension = {}) {
      const answer = (await sandbox.forge.callResolver(functionKey, method, payload, { accountId, extension })) as Json;
      if (answer['success'] !== true) throw new Error(`${method} failed: ${JSON.stringify(answer['error'])}`);
      return answer['data'];
    },
    async analyse(projectKey) {
      await session.resolver('project-page-resolver', 'run.start', projectKey ? { projectKey } : {});
      await sandbox.forge.queue.settle(120_000);
    },
    async close() {
      await browser.close();
      await sandbox.stop();
    },
  };
  return session;
}
