/**
 * The host's bridge, end to end in Chromium, with a probe page bundled from the real
 * @forge/bridge: context, invoke (and its errors), theming, router history, flags,
 * events and navigation. The app and Jira are replaced by tiny fakes here, so this
 * test checks the host alone; the sandbox tests check the app through it.
 */
import { build, stop as stopEsbuild } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameCall, HostForge } from '../../sandbox/host/forge-context';
import { startHost, type Host } from '../../sandbox/host/host-server';
import { openBrowser, appFrame, type TestBrowser } from './support/browser';

const FIXTURE = join(__dirname, 'fixtures', 'probe-app');

/** Issue links of PRB-1 in the fake Jira; the probe's "link" resolver adds one. */
const links: unknown[] = [];
/** Issues the shell's create dialog posted, as their `fields`. */
const created: unknown[] = [];

function fakeIssue(): unknown {
  return {
    id: '10001',
    key: 'PRB-1',
    fields: {
      summary: 'Probe <img src=x onerror=alert(1)> issue',
      description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '<b>not bold</b>' }] }] },
      issuetype: { id: '1', name: 'Bug' },
      status: { name: 'To Do', statusCategory: { key: 'new' } },
      project: { id: '10000', key: 'PRB' },
      labels: [],
      components: [],
      created: '2024-01-01T00:00:00.000+0000',
      updated: '2024-01-01T00:00:00.000+0000',
      issuelinks: links,
    },
  };
}

/** Answers just what the shell reads for the pages these tests open. */
async function fakeJira(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && req.url === '/rest/api/3/issue') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        created.push((JSON.parse(body) as { fields: unknown }).fields);
        res.statusCode = 201;
        res.end(JSON.stringify({ id: '10002', key: 'PRB-2' }));
      });
      return;
    }
    if (req.url?.startsWith('/rest/api/3/uiModifications')) {
      const values = [{ id: 'uim-1', data: 'probe', contexts: [{ projectId: '10000', issueTypeId: null, viewType: 'GIC' }] }];
      res.end(JSON.stringify({ values, isLast: true }));
      return;
    }
    if (req.url?.startsWith('/rest/api/3/project/PRB')) {
      res.end(JSON.stringify({ id: '10000', key: 'PRB', name: 'Probe project', issueTypes: [{ id: '1', name: 'Bug' }] }));
      return;
    }
    if (req.url?.startsWith('/rest/api/3/issue/PRB-1')) {
      res.end(JSON.stringify(fakeIssue()));
      return;
    }
    if (req.url?.startsWith('/rest/api/3/project/search')) {
      const who = String(req.headers['x-sandbox-principal']);
      const values = who === 'user:restricted-1' ? [] : [{ id: '10000', key: 'PRB', name: 'Probe project' }];
      res.end(JSON.stringify({ values, isLast: true }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ errorMessages: ['Not in the fake.'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('sandbox host bridge', () => {
  let appRoot: string;
  let host: Host;
  let jira: { url: string; server: Server };
  let browser: TestBrowser;
  const calls: Array<{ functionKey: string; method: string; payload: unknown; call: FrameCall }> = [];

  beforeAll(async () => {
    appRoot = mkdtempSync(join(tmpdir(), 'probe-app-'));
    const out = join(appRoot, 'static', 'probe', 'build');
    mkdirSync(out, { recursive: true });
    copyFileSync(join(FIXTURE, 'manifest.yml'), join(appRoot, 'manifest.yml'));
    copyFileSync(join(FIXTURE, 'index.html'), join(out, 'index.html'));
    await build({
      entryPoints: [join(FIXTURE, 'probe.js')],
      bundle: true,
      outfile: join(out, 'probe.js'),
      platform: 'browser',
      format: 'iife',
      logLevel: 'error',
    });
    jira = await fakeJira();
    const forge: HostForge = {
      async callResolver(functionKey, method, payload, call) {
        calls.push({ functionKey, method, payload, call });
        if (method === 'probe.fail') throw new Error('resolver exploded');
        if (method === 'probe.link') {
          links.push({ id: '1', type: { name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' }, outwardIssue: { key: 'PRB-2', fields: { summary: 'Other', status: { name: 'Done' } } } });
        }
        return { success: true, data: { method, payload } };
      },
      async dynamicProperties() {
        return { status: { type: 'badge', value: { label: '3' } }, label: 'Probe' };
      },
    };
    host = await startHost({
      appRoot,
      jiraUrl: jira.url,
      forge,
      site: { cloudId: 'probe-cloud', siteUrl: 'http://probe.local', environmentId: 'env', environmentType: 'DEVELOPMENT' },
    });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    jira?.server.closeAllConnections();
    await new Promise((resolve) => jira?.server.close(resolve));
    // esbuild keeps a service child process for later builds; this file needs no more.
    await stopEsbuild();
    if (appRoot) rmSync(appRoot, { recursive: true, force: true });
  });

  async function probe(frame: Awaited<ReturnType<typeof appFrame>>, name: string): Promise<unknown> {
    const text = await frame.locator(`[data-probe="${name}"]`).first().textContent({ timeout: 10_000 });
    return JSON.parse(text ?? 'null');
  }

  it('answers context, invoke, theme and history for a project page', async () => {
    const { page } = browser;
    await browser.useAccount(host.url, 'member-1', 'dark');
    await page.goto(`${host.url}projects/PRB/apps/duplicates/pairs?status=pending`);
    const frame = await appFrame(page, 'probe-project-page');
    expect(await probe(frame, 'ready')).toBe(true);

    const context = (await probe(frame, 'context')) as Record<string, unknown>;
    expect(context).toMatchObject({
      accountId: 'member-1',
      cloudId: 'probe-cloud',
      moduleKey: 'probe-project-page',
      theme: { colorMode: 'dark' },
      extension: { type: 'jira:projectPage', project: { id: '10000', key: 'PRB' } },
    });
    expect(await probe(frame, 'invoke')).toEqual({ success: true, data: { method: 'probe.echo', payload: { n: 1 } } });
    expect(String(await probe(frame, 'invoke-error'))).toContain('resolver exploded');
    expect(calls[0]).toMatchObject({ functionKey: 'probe-resolver', method: 'probe.echo', call: { accountId: 'member-1' } });
    expect(await probe(frame, 'color-mode')).toBe('dark');
    expect(await probe(frame, 'history-initial')).toBe('/pairs');

    await frame.click('#push');
    expect(await probe(frame, 'history-listen')).toBe('/pairs/42');
    await page.waitForURL(/\/projects\/PRB\/apps\/duplicates\/pairs\/42$/);
  });

  it('shows flags from a frame and follows router navigation', async () => {
    const { page } = browser;
    await browser.useAccount(host.url, 'admin-1');
    await page.goto(`${host.url}admin/apps/duplicates`);
    const frame = await appFrame(page, 'probe-admin-page');
    expect(await probe(frame, 'ready')).toBe(true);
    expect(await probe(frame, 'context')).toMatchObject({ accountId: 'admin-1', extension: { type: 'jira:adminPage' } });

    await frame.click('#flag');
    await expect(page.locator('[data-testid="shell-flag"]').textContent()).resolves.toContain('Probe flag');
    await frame.click('#nav');
    await page.waitForURL(host.url);
    await expect(page.locator('[data-testid="project-list"]').textContent()).resolves.toContain('Probe project');
  });

  it('renders issue text as text, shows the badge and tells frames when the issue changes', async () => {
    const { page } = browser;
    await browser.useAccount(host.url, 'member-1');
    await page.goto(`${host.url}browse/PRB-1`);
    await expect(page.locator('[data-testid="issue-summary"]').textContent()).resolves.toBe('Probe <img src=x onerror=alert(1)> issue');
    await expect(page.locator('[data-testid="issue-description"]').textContent()).resolves.toBe('<b>not bold</b>');
    expect(await page.locator('[data-testid="issue-description"] b').count()).toBe(0);
    await expect(page.locator('[data-testid="issue-context-badge"]').textContent()).resolves.toBe('3');

    const frame = await appFrame(page, 'probe-issue-panel');
    expect(await probe(frame, 'ready')).toBe(true);
    expect(await probe(frame, 'context')).toMatchObject({
      extension: { type: 'jira:issuePanel', issue: { id: '10001', key: 'PRB-1' }, project: { key: 'PRB' } },
    });
    await frame.click('#link');
    expect(await probe(frame, 'event')).toMatchObject({ issueId: '10001', projectId: '10000' });
    await expect(page.locator('#issue-links li[data-link-type="Duplicate"]').textContent()).resolves.toContain('PRB-2');
  });

  it('runs a UI modification in the create dialog and creates the issue', async () => {
    const { page } = browser;
    await browser.useAccount(host.url, 'member-1');
    await page.goto(host.url);
    await page.click('[data-testid="create-button"]');
    await page.locator('[data-testid="create-dialog"][data-uim-ready="true"]').waitFor();
    const help = page.locator('[data-testid="summary-description"]');
    await help.filter({ hasText: /^init in PRB$/ }).waitFor();
    await page.fill('[data-testid="create-summary"]', 'Printer on fire');
    await page.click('[data-testid="create-description"]');
    await help.filter({ hasText: /^summary is now: Printer on fire$/ }).waitFor();

    await page.click('[data-testid="create-submit"]');
    await expect(page.locator('[data-testid="created-issue-link"]').textContent()).resolves.toBe('View PRB-2');
    expect(created).toEqual([{ project: { key: 'PRB' }, issuetype: { id: '1' }, summary: 'Printer on fire' }]);
  });

  it('hides projects the user cannot browse', async () => {
    const { page } = browser;
    await browser.useAccount(host.url, 'restricted-1');
    const response = await page.goto(`${host.url}projects/PRB/apps/duplicates`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('[data-testid="shell-error"]').textContent()).resolves.toContain('PRB');
  });
});
