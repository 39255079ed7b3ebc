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
}: {
  segments: TextSegment[];
  max?: number;
  className?: string;
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
    <span className={`dd-user-text ${className ?? ''}`} dir="auto">
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
