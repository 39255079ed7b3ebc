/**
 * Small pieces of text shared by the server (the action history's details) and the pages:
 * counts with the right plural, similarity scores as the percentages every screen shows,
 * lists of project keys.
 */

import type { DismissReason } from './contract';

/** Why a pair is not a duplicate, in the words every surface and the history use. */
export const DISMISS_REASON_TEXT: Record<DismissReason, string> = {
  different: 'Not the same problem',
  related: 'Related, but separate work',
  split: 'Split on purpose (one per team, component or version)',
};
/** The reasons, in the order the pages offer them (keys 1, 2, 3 in the queue). */
export const DISMISS_REASONS = ['different', 'related', 'split'] as const satisfies readonly DismissReason[];

/** A stored or sent reason, or null for none (or one this version does not know). */
export function dismissReasonOf(v: unknown): DismissReason | null {
  return (DISMISS_REASONS as readonly unknown[]).includes(v) ? (v as DismissReason) : null;
}

/**
 * What the app stores in place of an account id once Atlassian reports the account closed
 * (src/analysis/personal-data.ts): in `decided_by`, `dismiss_reason_by`, `runs.started_by` and
 * `actions.actor`. Never an account id (those hold no spaces), so it is never reported, and
 * never looked up in Jira: the resolvers name it themselves, FORMER_USER_NAME.
 */
export const FORMER_USER = '(former user)';

/**
 * The name FORMER_USER gets wherever names are given (src/resolvers/actor-names.ts): in the
 * `actors` of every answer, so the pages, and the CSV export's "Decided by", show it as they
 * show any name ("Dismissed by a former user"). Written for the middle of a sentence;
 * `nameAtStart` gives it a capital.
 */
export const FORMER_USER_NAME = 'a former user';

/** The decisions chart's label for FORMER_USER: one bar counts every account closed since, so it speaks of them together. */
export const FORMER_USERS_LABEL = 'Former users';

/**
 * A name where a sentence, a table cell or a chart label begins with it: FORMER_USER_NAME,
 * the app's own words, with a capital ("A former user"); a name from Jira as its owner wrote
 * it (never changed: "danah boyd" stays so).
 */
export function nameAtStart(name: string): string {
  return name === FORMER_USER_NAME ? `${name.charAt(0).toUpperCase()}${name.slice(1)}` : name;
}

/** "1 project", "3 projects" (`many` for irregular plurals); the number in the reader's locale. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/**
 * A similarity score 0..1 as people read it, in whole percents rounded down: 0.377 → "37%",
 * 0.4454 → "44%" (clamped to 0–100 %). Rounded down, a score shown as 45% is never below a
 * 45% threshold: rounded to the nearest, 0.4454 read "45%" under "Related" while the
 * possible-duplicate threshold said "at or above 45%". Scores are stored in 1e-9 steps,
 * so the small allowance only keeps 0.45 from reading 44% through floating point.
 */
export function percent(score: number): string {
  if (!Number.isFinite(score)) return '–';
  return `${Math.floor(Math.min(1, Math.max(0, score)) * 100 + 1e-6)}%`;
}

/**
 * Project keys as a sentence names them: "SHOP", "SHOP and MOB", "A, B and C", "A, B, C and
 * D", and from five on the first three and a count, "A, B, C and 5 more" (never "and 1
 * more": that one key is named instead).
 */
export function keyList(keys: readonly string[], named = 3): string {
  if (keys.length > named + 1) return `${keys.slice(0, named).join(', ')} and ${keys.length - named} more`;
  if (keys.length <= 1) return keys[0] ?? '';
  return `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''}`;
}
