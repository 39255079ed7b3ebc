/** A piece of an issue's text: prose people wrote, or machine text (code, logs, stack traces). */
export interface TextSegment {
  kind: 'prose' | 'code';
  text: string;
}

// A Java/Scala/Python stack frame or the "... 12 more" tail of a trace.
const STACK_FRAME = /^\s*(?:at\s+[\w$.<>/]+\s*\(.*\)|\.\.\.\s*\d+\s+more|File\s+"[^"]*",\s+line\s+\d+)/;
// A log line: starts with a date or time stamp, or a bracketed level.
const LOG_LINE = /^\s*(?:\[?\d{2,4}[-/]\d{2}[-/]\d{2,4}[ T]\d{1,2}:\d{2}|\d{2}:\d{2}:\d{2}[,.]\d{3}|\[(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL)\])/;

/**
 * Splits prose into prose and machine lines, so stack frames and log lines pasted
 * without a code block still count as code. Adjacent lines of a kind are merged.
 */
export function splitMachineLines(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const kind: TextSegment['kind'] = STACK_FRAME.test(line) || LOG_LINE.test(line) ? 'code' : 'prose';
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += '\n' + line;
    else out.push({ kind, text: line });
  }
  return out;
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
