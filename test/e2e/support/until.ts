import type { Frame } from 'playwright-core';

/**
 * Waits (up to `timeoutMs`) for a condition on the frame's document, polled from here. Not
 * `frame.waitForFunction` with a string: the app's frames forbid the eval it needs there as
 * soon as the condition is not already true at the first look.
 */
export async function until(frame: Frame, condition: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await frame.evaluate(`Boolean(${condition})`))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
