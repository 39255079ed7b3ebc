import type { TextSegment } from '../../../src/shared/contract';
import { cleanText } from '../format';

/**
 * Text with the words shared with the other issue marked. Rendered as React text
 * only; the total is capped at `max` characters so a huge description stays cheap.
 */
export function HighlightedText({
  segments,
  max = 600,
  className,
  block = false,
  testId,
  from = 0,
}: {
  segments: TextSegment[];
  max?: number;
  className?: string;
  /**
   * A block of its own (a summary on its line, a description), laid out in the text's own
   * direction: a wrapped Arabic or Hebrew summary starts each line at the right. Inline, only
   * the words run in their direction, and the lines follow the text around them.
   */
  block?: boolean;
  testId?: string;
  /**
   * Characters of the text (of the segments joined) left out at its start, shown as "…": the
   * part of a long summary where it parts from another (`shownFrom`, shown-summary.ts).
   */
  from?: number;
}) {
  const parts: Array<{ text: string; match: boolean }> = [];
  const skipped = from > 0;
  let used = skipped ? 1 : 0;
  let cut = false;
  let skip = from;
  for (const whole of segments) {
    // The part of this segment past the characters left out.
    const seg = skip >= whole.text.length ? null : { text: whole.text.slice(skip), match: whole.match };
    skip = Math.max(0, skip - whole.text.length);
    if (seg === null) continue;
    if (used >= max) {
      cut = true;
      break;
    }
    const clean = cleanText(seg.text.slice(0, max - used + 8));
    const room = max - used;
    const text = clean.length > room ? clean.slice(0, room) : clean;
    if (clean.length > room || seg.text.length > max - used + 8) cut = true;
    used += text.length;
    if (text) parts.push({ text, match: seg.match });
  }
  return (
    <span className={`dd-user-text${block ? ' dd-user-text--block' : ''} ${className ?? ''}`} dir="auto" data-testid={testId}>
      {skipped ? '…' : null}
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} className="dd-mark">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
      {cut ? '…' : null}
    </span>
  );
}
