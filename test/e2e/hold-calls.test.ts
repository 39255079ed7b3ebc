/**
 * withHeldCalls, the browser tests' way of holding back a resolver method's calls: checked
 * against a page of its own and a small server standing in for the bridge, without a sandbox.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Route } from 'playwright-core';
import { CHROMIUM, openBrowser, type TestBrowser } from './support/browser';
import { withHeldCalls } from './support/hold-calls';
import { describeIf } from './support/requirements';

const BRIDGE = '**/__bridge';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeIf(existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`)('withHeldCalls (browser)', () => {
  let server: Server;
  let browser: TestBrowser;
  let base = '';
  /** The methods the server has answered, in order. */
  const answered: string[] = [];
  /** Bridge calls that no route of the test's took: seen by a route put on before any other. */
  let unrouted = 0;
  const countUnrouted = (route: Route) => {
    unrouted++;
    return route.fallback();
  };

  /** A bridge call of `method` from `page`; resolves to the method the server says it answered. */
  const call = (page: Page, method: string): Promise<string> =>
    page.evaluate(async (m) => {
      const answer = await fetch('/__bridge', { method: 'POST', body: JSON.stringify({ method: m, payload: {} }) });
      return ((await answer.json()) as { method: string }).method;
    }, method);

  const openPage = async (): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.route(BRIDGE, countUnrouted);
    await page.goto(base);
    return page;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/__bridge') {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const method = (JSON.parse(body) as { method: string }).method;
          answered.push(method);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ method }));
        });
        return;
      }
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>held calls</title><p>held calls</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  beforeEach(() => {
    answered.length = 0;
    unrouted = 0;
  });

  it('holds the calls of the method while the body runs, lets every other call pass, and takes its route away after', async () => {
    const page = await openPage();
    const inside = await withHeldCalls(page, 'stats.get', async () => {
      const held = call(page, 'stats.get');
      expect(await call(page, 'pairs.list')).toBe('pairs.list');
      await sleep(500);
      expect(answered).toEqual(['pairs.list']);
      // Both went through the held route, none past it.
      expect(unrouted).toBe(0);
      return { held };
    });
    expect(await inside.held).toBe('stats.get');
    expect(answered).toEqual(['pairs.list', 'stats.get']);
    // The route is gone: the next call is not held, and reaches the route put on before it.
    expect(await call(page, 'stats.get')).toBe('stats.get');
    expect(unrouted).toBe(1);
    await page.close();
  });

  it("lets the held calls go and takes its route away when the body throws, and throws the body's error", async () => {
    const page = await openPage();
    let held: Promise<string> | undefined;
    await expect(
      withHeldCalls(page, 'stats.get', async () => {
        const seen = page.waitForRequest((r) => (r.postData() ?? '').includes('"stats.get"'));
        held = call(page, 'stats.get');
        await seen;
        await sleep(500);
        expect(answered).toEqual([]);
        throw new Error('the body failed');
      }),
    ).rejects.toThrow('the body failed');
    expect(await held).toBe('stats.get');
    expect(unrouted).toBe(0);
    expect(await call(page, 'stats.get')).toBe('stats.get');
    expect(unrouted).toBe(1);
    await page.close();
  });

  it("throws the body's error, not one from letting the calls go or taking the route away, when the page closed under a held call", async () => {
    const page = await openPage();
    let held: Promise<string> | undefined;
    await expect(
      withHeldCalls(page, 'stats.get', async () => {
        const seen = page.waitForRequest((r) => (r.postData() ?? '').includes('"stats.get"'));
        held = call(page, 'stats.get').catch(() => 'page closed');
        await seen;
        await sleep(500);
        await page.close();
        throw new Error('the body failed');
      }),
    ).rejects.toThrow('the body failed');
    expect(await held).toBe('page closed');
  });
});
