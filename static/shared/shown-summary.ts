/**
 * A summary as a page shows it beside others: the create dialog's warning (its matches), the
 * review queue's rows (the pair's two issues) and the issue panel's suggestions (the others listed).
 */
import { displayText } from './format';

/** Characters of a summary the create dialog's warning shows. */
export const WARNING_SUMMARY_CHARS = 60;
/** Summaries alike for all but this many of the characters shown are shown from near where they part. */
const UNALIKE_SHOWN = 20;
/** Characters of the shared opening kept before the part that differs, as context. */
const CONTEXT_CHARS = 16;

/**
 * A summary in at most `max` characters: its first `max`, unless another summary shown beside
 * it opens with the same long run of characters (all but the last 20 of those shown, or more:
 * 40 of the warning's 60) and it is cut. Two copies of one long report ("Checkout spinner
 * never stops while applying a gift card on Safari / … on Chrome") then read the same up to
 * where both are cut. Such a summary is shown from shortly before the two part (from the
 * start of a word there, unless that word is long), after "…", so they can be told apart.
 */
export function shownSummary(summary: string, others: readonly string[], max = WARNING_SUMMARY_CHARS): string {
  const own = summary.trim();
  const from = shownFrom(summary, others, max);
  return from === 0 ? displayText(own, max) : `…${displayText(own.slice(from), max - 1)}`;
}

/**
 * Where `shownSummary` starts showing `summary`: 0 for its start, else the index in the
 * trimmed summary of what follows its "…". For a page that marks words in the part shown
 * (the issue panel's highlighted summaries).
 */
export function shownFrom(summary: string, others: readonly string[], max = WARNING_SUMMARY_CHARS): number {
  const own = summary.trim();
  let alike = 0;
  for (const other of others) {
    const o = other.trim();
    if (o === own) continue;
    let n = 0;
    while (n < own.length && n < o.length && own[n]?.toLowerCase() === o[n]?.toLowerCase()) n++;
    alike = Math.max(alike, n);
  }
  if (alike < max - UNALIKE_SHOWN || own.length <= max) return 0;
  // From the start of a word a little before the parting point, or inside a long word.
  const context = Math.max(0, alike - CONTEXT_CHARS);
  const spaceBefore = (i: number): boolean => i === 0 || /\s/u.test(own[i - 1] ?? '');
  let from = context;
  while (from > context - CONTEXT_CHARS && !spaceBefore(from)) from--;
  if (!spaceBefore(from)) from = context;
  // Never between the two halves of a surrogate pair.
  const unit = own.charCodeAt(from);
  if (from > 0 && unit >= 0xdc00 && unit <= 0xdfff) from--;
  return from;
}
