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
}) {
  const parts: Array<{ text: string; match: boolean }> = [];
  let used = 0;
  let cut = false;
  for (const seg of segments) {
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
