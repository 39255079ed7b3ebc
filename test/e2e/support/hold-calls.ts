import type { Page, Route } from 'playwright-core';

/** Where the shell's frames send their resolver calls. */
const BRIDGE = '**/__bridge';

export interface HeldCalls {
  handler: (route: Route) => Promise<void>;
  release: () => void;
  /** Waits for every call the handler has taken, those taken while it waits too; rejects with the first that failed to go on. */
  done: () => Promise<void>;
}

/**
 * Holds back the page's calls of one resolver method (by its name in the bridge request)
 * until `release` is called, so a test can look at the page while an answer is on its way;
 * `done` waits for the held calls to go on, after which the route can be taken away. Every
 * other call passes at once. Used as `page.route('**\/__bridge', held.handler)`; most tests
 * want `withHeldCalls`, which also takes the route away.
 */
export function holdCalls(method: string): HeldCalls {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const going: Array<Promise<void>> = [];
  const failures: unknown[] = [];
  const marker = JSON.stringify(method);
  const handler = (route: Route): Promise<void> => {
    // Never rejects towards Playwright (a rejection there is no test's to catch): a call that
    // could not go on is kept for `done` to say.
    const on = (async () => {
      if ((route.request().postData() ?? '').includes(marker)) await released;
      await route.continue();
    })().catch((err: unknown) => {
      failures.push(err);
    });
    going.push(on);
    return on;
  };
  const done = async (): Promise<void> => {
    for (let waited = 0; waited < going.length; ) {
      const batch = going.slice(waited);
      waited = going.length;
      await Promise.all(batch);
    }
    if (failures.length > 0) throw failures[0];
  };
  return { handler, release: () => release(), done };
}

/**
 * Runs `body` while the page's calls of `method` are held back (see `holdCalls`), then lets
 * them go, waits for them, and takes the route away: all of that also when `body` throws, in
 * which case `body`'s error is the one thrown. No route is left on the page after it.
 */
export async function withHeldCalls<T>(page: Page, method: string, body: () => Promise<T>): Promise<T> {
  const held = holdCalls(method);
  await page.route(BRIDGE, held.handler);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await body() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  held.release();
  const letGo = await held.done().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const unrouted = await page.unroute(BRIDGE, held.handler).then(
    () => null,
    (error: unknown) => ({ error }),
  );
  // Calls taken between the wait and the unroute.
  const late = await held.done().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  if (!outcome.ok) throw outcome.error;
  const failed = letGo ?? unrouted ?? late;
  if (failed !== null) throw failed.error;
  return outcome.value;
}
