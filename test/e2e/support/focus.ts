/**
 * Where the focus is in an app's frame, for the keyboard tests: which control, and in which
 * container (a queue's pair row, a cluster, an issue panel's suggestion), each container named
 * by the selector it matches and the attribute that tells it from the others.
 */
import type { Frame } from 'playwright-core';

/** A kind of element the focus may be inside: the closest one matching `selector`, told by `attribute`. */
export interface Container {
  selector: string;
  attribute: string;
}

/** The focused element's test id (its tag name when it has none; "body" when focus is lost), and for each container the one holding it (null: none). */
export type FocusedIn<K extends string> = { testId: string } & Record<K, string | null>;

/** The project page's pair rows. */
export const PAIR_ROW: Container = { selector: '[data-testid="pair-row"]', attribute: 'data-pair-id' };
/** The project page's clusters. */
export const CLUSTER: Container = { selector: '[data-testid="cluster"]', attribute: 'data-cluster-id' };
/** The issue panel's suggestions, told by their issue key. */
export const SUGGESTION: Container = { selector: '[data-testid="suggestion"]', attribute: 'data-issue-key' };

/** The little of the frame's DOM read here (the tests compile without the DOM's types). */
interface El {
  tagName: string;
  getAttribute(name: string): string | null;
  closest(selector: string): El | null;
}

/** What has focus in `frame`: which control, inside which of `containers`. */
export function focusedIn<K extends string>(frame: Frame, containers: Record<K, Container>): Promise<FocusedIn<K>> {
  return frame.evaluate<FocusedIn<K>, Array<[string, Container]>>((list) => {
    const doc = (globalThis as unknown as { document: { activeElement: El | null; body: El } }).document;
    const a = doc.activeElement;
    const out: Record<string, string | null> = { testId: a === null || a === doc.body ? 'body' : (a.getAttribute('data-testid') ?? a.tagName.toLowerCase()) };
    for (const [key, c] of list) out[key] = a === null || a === doc.body ? null : (a.closest(c.selector)?.getAttribute(c.attribute) ?? null);
    return out as FocusedIn<K>;
  }, Object.entries(containers));
}

/** Waits (up to 10 s) for focus to be on `expected`, then compares, so a failure shows where it was. */
export async function expectFocusIn<K extends string>(frame: Frame, containers: Record<K, Container>, expected: FocusedIn<K>): Promise<void> {
  const deadline = Date.now() + 10_000;
  const keys = ['testId', ...Object.keys(containers)] as Array<keyof FocusedIn<K>>;
  const same = (f: FocusedIn<K>) => keys.every((k) => f[k] === expected[k]);
  let now = await focusedIn(frame, containers);
  while (!same(now) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await focusedIn(frame, containers);
  }
  expect(now).toEqual(expected);
}

/** Focus in the project page's (or any page's) frame: which control, in which pair's row. */
export type Focused = FocusedIn<'pairId'>;

/** `expectFocusIn` for the project page's queue: which control, in which pair's row. */
export function expectFocus(frame: Frame, expected: Focused): Promise<void> {
  return expectFocusIn(frame, { pairId: PAIR_ROW }, expected);
}
