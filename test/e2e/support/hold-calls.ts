import type { Route } from 'playwright-core';

/**
 * Holds back the page's calls of one resolver method (by its name in the bridge request)
 * until `release` is called, so a test can look at the page while an answer is on its way;
 * `done` waits for the held calls to go on, after which the route can be taken away. Every
 * other call passes at once. Used as `page.route('**\/__bridge', held.handler)`.
 */
export function holdCalls(method: string): { handler: (route: Route) => Promise<void>; release: () => void; done: () => Promise<unknown> } {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const going: Array<Promise<void>> = [];
  const marker = JSON.stringify(method);
  const handler = (route: Route): Promise<void> => {
    const on = (async () => {
      if ((route.request().postData() ?? '').includes(marker)) await released;
      await route.continue();
    })();
    going.push(on);
    return on;
  };
  return { handler, release: () => release(), done: () => Promise.all(going) };
}
