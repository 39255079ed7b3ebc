/**
 * The sample backlog's planted duplicates, and the shell's flags, as the issue view's tests
 * find them.
 */
import type { Page } from 'playwright-core';
import { plantedDuplicates } from '../../../sandbox/seed';

/** The `nth` planted pair of two issues of `project`. */
export function plantedPair(project: string, nth: number): [string, string] {
  const pair = plantedDuplicates().filter(([a, b]) => a.startsWith(`${project}-`) && b.startsWith(`${project}-`))[nth];
  if (!pair) throw new Error(`The sample backlog no longer plants ${nth + 1} ${project} pairs.`);
  return pair;
}

/** The flags the shell shows with `title`. */
export function flagOf(page: Page, title: string) {
  return page.locator('[data-testid="shell-flag"]').filter({ hasText: title });
}
