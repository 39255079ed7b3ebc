/** Text helpers for the create-dialog check, kept apart so they stay pure. */
import { isolate } from '../../src/shared/bidi';
import type { Tier } from '../../src/shared/contract';
import { percent } from '../shared/format';
import { shownSummary } from '../shared/shown-summary';

const MAX_SHOWN = 3;

/**
 * The warning under the summary, or '' when there is nothing to say: the strongest matches,
 * each under its tier, so a related issue is not called a duplicate. For example
 * "Possible duplicate: KEY-1 Summary (87%). Related: KEY-2 Other (41%), and 1 more" (the
 * tiers' names in the issue panel and the review queue), each summary between invisible
 * direction isolates; a match that duplicates another says so: "(85%, a duplicate of KEY-1)".
 */
export function formatMatches(matches: Array<{ key: string; summary: string; score: number; tier: Tier; duplicateOf?: string | null }>): string {
  if (matches.length === 0) return '';
  const sorted = [...matches].sort((a, b) => b.score - a.score);
  const shown = sorted.slice(0, MAX_SHOWN);
  // Each summary is isolated (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE,
  // `isolate`): the field's description is one plain string, and an Arabic or Hebrew summary
  // would otherwise carry the key, the percentage and the comma after it to its own side.
  // A match that is itself a duplicate says of what, so the reporter links to the original.
  const item = (m: { key: string; summary: string; score: number; duplicateOf?: string | null }) =>
    `${m.key} ${isolate(shownSummary(m.summary, shown.map((o) => o.summary)))} (${percent(m.score)}${m.duplicateOf ? `, a duplicate of ${m.duplicateOf}` : ''})`;
  const duplicates = shown.filter((m) => m.tier === 'duplicate');
  const related = shown.filter((m) => m.tier !== 'duplicate');
  const parts = [
    duplicates.length > 0 ? `${duplicates.length === 1 ? 'Possible duplicate' : 'Possible duplicates'}: ${duplicates.map(item).join(', ')}` : '',
    related.length > 0 ? `${duplicates.length > 0 ? 'Related' : 'Related issues'}: ${related.map(item).join(', ')}` : '',
  ].filter((p) => p !== '');
  const more = sorted.length > MAX_SHOWN ? `, and ${sorted.length - MAX_SHOWN} more` : '';
  return `${parts.join('. ')}${more}`;
}

/**
 * Plain text of a description value: a string (wiki/plain editors) or an ADF
 * document (the new editor). Stops collecting at `max` characters.
 */
export function plainTextOf(value: unknown, max: number): string {
  if (typeof value === 'string') return value.slice(0, max);
  const parts: string[] = [];
  let length = 0;
  const walk = (node: unknown, depth: number): void => {
    if (length >= max || depth > 40 || typeof node !== 'object' || node === null) return;
    const n = node as { text?: unknown; content?: unknown };
    if (typeof n.text === 'string') {
      parts.push(n.text);
      length += n.text.length + 1;
    }
    if (Array.isArray(n.content)) for (const child of n.content) walk(child, depth + 1);
  };
  walk(value, 0);
  return parts.join(' ').slice(0, max);
}
