/** Text helpers for the create-dialog check, kept apart so they stay pure. */
import type { Tier } from '../../src/shared/contract';
import { displayText, percent } from '../shared/format';

const MAX_SHOWN = 3;

/** "Possible duplicates: KEY-1 Summary (87%), …", or '' when there is nothing to say. */
export function formatMatches(matches: Array<{ key: string; summary: string; score: number; tier: Tier }>): string {
  if (matches.length === 0) return '';
  const sorted = [...matches].sort((a, b) => b.score - a.score);
  const shown = sorted.slice(0, MAX_SHOWN).map((m) => `${m.key} ${displayText(m.summary, 60)} (${percent(m.score)})`);
  const more = sorted.length > MAX_SHOWN ? `, and ${sorted.length - MAX_SHOWN} more` : '';
  const label = sorted.some((m) => m.tier === 'duplicate') ? 'Possible duplicates' : 'Similar issues';
  return `${label}: ${shown.join(', ')}${more}`;
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
