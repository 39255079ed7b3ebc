/** A piece of an issue's text: prose people wrote, or machine text (code, logs, stack traces). */
export interface TextSegment {
  kind: 'prose' | 'code';
  text: string;
}

// A Java/Scala/Python stack frame or the "... 12 more" tail of a trace.
const STACK_FRAME = /^\s*(?:at\s+[\w$.<>/]+\s*\(.*\)|\.\.\.\s*\d+\s+more|File\s+"[^"]*",\s+line\s+\d+)/;
// A log line: starts with a date or time stamp, or a bracketed level.
const LOG_LINE = /^\s*(?:\[?\d{2,4}[-/]\d{2}[-/]\d{2,4}[ T]\d{1,2}:\d{2}|\d{2}:\d{2}:\d{2}[,.]\d{3}|\[(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL)\])/;

/** Whether `c` is a character of the `\s` class of regular expressions. */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * Whether the line `text.slice(start, end)` is a stack frame or log line. Both patterns
 * start with optional white space and then one of a . F [ or a digit; other lines skip
 * the expressions (nearly every line of prose).
 */
function isMachineLine(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
  if (i === end) return false;
  const c = text.charCodeAt(i);
  if (!(c === 97 || c === 46 || c === 70 || c === 91 || (c >= 48 && c <= 57))) return false;
  const line = text.slice(start, end);
  return STACK_FRAME.test(line) || LOG_LINE.test(line);
}

/**
 * Lines `text` from `start` up to `end` (the end of a line) joined by "\n": the slice with
 * each line break (\r\n, \r or \n) made a "\n".
 */
function joinedLines(text: string, start: number, end: number): string {
  const lines = text.slice(start, end);
  return lines.includes('\r') ? lines.replace(/\r\n?/g, '\n') : lines;
}

/**
 * Splits prose into prose and machine lines, so stack frames and log lines pasted
 * without a code block still count as code. Adjacent lines of a kind are merged.
 */
export function splitMachineLines(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  const n = text.length;
  let runKind: TextSegment['kind'] | null = null;
  let runStart = 0;
  let runEnd = 0;
  let lineStart = 0;
  // Next \n and \r at or after lineStart (n when none): indexOf scans natively, far faster than charCodeAt.
  let nextLf = indexOrEnd(text, '\n', 0);
  let nextCr = indexOrEnd(text, '\r', 0);
  for (;;) {
    const lineEnd = Math.min(nextLf, nextCr);
    const kind: TextSegment['kind'] = isMachineLine(text, lineStart, lineEnd) ? 'code' : 'prose';
    if (runKind !== kind) {
      if (runKind !== null) out.push({ kind: runKind, text: joinedLines(text, runStart, runEnd) });
      runKind = kind;
      runStart = lineStart;
    }
    runEnd = lineEnd;
    if (lineEnd >= n) break;
    // Past the line break: \r\n, \r or \n.
    lineStart = lineEnd + (lineEnd === nextCr && nextLf === lineEnd + 1 ? 2 : 1);
    if (nextLf < lineStart) nextLf = indexOrEnd(text, '\n', lineStart);
    if (nextCr < lineStart) nextCr = indexOrEnd(text, '\r', lineStart);
  }
  out.push({ kind: runKind ?? 'prose', text: joinedLines(text, runStart, runEnd) });
  return out;
}

function indexOrEnd(text: string, c: string, from: number): number {
  const i = text.indexOf(c, from);
  return i < 0 ? text.length : i;
}

/** Re-splits prose segments by line kind and joins neighbours of the same kind. */
export function normaliseSegments(segments: TextSegment[]): TextSegment[] {
  const out: TextSegment[] = [];
  for (const seg of segments) {
    const parts = seg.kind === 'prose' ? splitMachineLines(seg.text) : [seg];
    for (const part of parts) {
      const last = out[out.length - 1];
      if (last && last.kind === part.kind) last.text += '\n' + part.text;
      else out.push({ kind: part.kind, text: part.text });
    }
  }
  return out;
}

export function segmentsToText(segments: TextSegment[]): string {
  return segments.map((s) => s.text).join('\n');
}
