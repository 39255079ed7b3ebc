/**
 * Where the focus is in the project page's frame, for the queue's keyboard tests: which control,
 * in which pair's row.
 */
import type { Frame } from 'playwright-core';

export interface Focused {
  /** The focused element's test id (its tag name when it has none; "body" when focus is lost). */
  testId: string;
  pairId: string | null;
}

/** What has focus in the app's frame: which control, in which row. */
const FOCUSED = `(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return { testId: 'body', pairId: null };
  const row = a.closest('[data-testid="pair-row"]');
  return { testId: a.getAttribute('data-testid') || a.tagName.toLowerCase(), pairId: row ? row.getAttribute('data-pair-id') : null };
})()`;

/** Waits (up to 10 s) for focus to be on `expected`, then compares, so a failure shows where it was. */
export async function expectFocus(frame: Frame, expected: Focused): Promise<void> {
  const deadline = Date.now() + 10_000;
  let now = await frame.evaluate<Focused>(FOCUSED);
  while ((now.testId !== expected.testId || now.pairId !== expected.pairId) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await frame.evaluate<Focused>(FOCUSED);
  }
  expect(now).toEqual(expected);
}
