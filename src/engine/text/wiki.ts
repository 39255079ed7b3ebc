import { isSpaceCode, type TextSegment } from './segments';

// {code}, {code:java}, {code:title=Foo.java|borderStyle=solid}, {noformat}: a block of machine text.
const CODE_BLOCK = /\{(code|noformat)(?::[^}]*)?\}([\s\S]*?)(?:\{\1\}|$)/gi;

/** Inline Jira wiki markup reduced to its words. Order matters: links before emphasis. */
const INLINE_RULES: Array<[RegExp, string]> = [
  [/\{(?:quote|panel(?::[^}]*)?|color(?::[^}]*)?|anchor(?::[^}]*)?)\}/gi, ' '],
  [/^h[1-6]\.\s*/gim, ''],
  [/^bq\.\s*/gim, ''],
  [/^\s*[*#-]+\s+/gm, ''],
  [/!([^!\s|]+)(?:\|[^!]*)?!/g, ' $1 '], // images and attachments: keep the file name
  [/\[([^|\]\n]*)\|([^\]\n]*)\]/g, ' $1 $2 '], // [text|link]
  [/\[~?([^\]\n]*)\]/g, ' $1 '], // [link], [~user]
  [/\{\{([^}]*)\}\}/g, '$1'], // {{monospace}}
  [/(^|[\s(])[*_+^~]([^\s*_+^~][^*_+^~\n]*?)[*_+^~](?=[\s).,;:!?]|$)/gm, '$1$2'], // *strong* _em_ +ins+
  [/\|\|?/g, ' '], // table cells
  [/\\\\/g, '\n'], // forced line break
  [/:\)|:\(|:P|:D|;\)|\(y\)|\(n\)|\(i\)|\(\/\)|\(x\)|\(!\)|\(\?\)|\(on\)|\(off\)|\(\*[rgby]?\)/g, ' '],
  [/^-{4,}\s*$/gm, ''],
];

// Bits of `inlineTriggers`: which INLINE_RULES can match a text at all (by rule index).
const BRACES = (1 << 0) | (1 << 7); // {quote} ... and {{monospace}}
const HEADING = 1 << 1;
const BLOCKQUOTE = 1 << 2;
const LIST_ITEM = 1 << 3;
const IMAGE = 1 << 4;
const LINKS = (1 << 5) | (1 << 6);
const EMPHASIS = 1 << 8;
const TABLE = 1 << 9;
const LINE_BREAK = 1 << 10;
const EMOTICON = 1 << 11;
const HORIZONTAL_RULE = 1 << 12;

/** Line terminators: where `^` matches in multiline mode (and `.` stops). */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function isEmphasisMarker(c: number): boolean {
  // * _ + ^ ~
  return c === 42 || c === 95 || c === 43 || c === 94 || c === 126;
}

/** Whether an emoticon of the last rule can start with `c` followed by `next`. */
function startsEmoticon(c: number, next: number): boolean {
  if (c === 58) return next === 41 || next === 40 || next === 80 || next === 68; // :) :( :P :D
  if (c === 59) return next === 41; // ;)
  // (y) (n) (i) (/) (x) (!) (?) (on) (off) (*)
  return c === 40 && (next === 121 || next === 110 || next === 105 || next === 47 || next === 120 || next === 33 || next === 63 || next === 111 || next === 42);
}

/** Tests at a line start (multiline `^`) for h1. to h6., bq. and ----. */
function lineStartTriggers(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if ((c === 104 || c === 72) && next >= 49 && next <= 54 && text.charCodeAt(i + 2) === 46) return HEADING;
  if ((c === 98 || c === 66) && (next === 113 || next === 81) && text.charCodeAt(i + 2) === 46) return BLOCKQUOTE;
  if (c === 45 && next === 45 && text.charCodeAt(i + 2) === 45 && text.charCodeAt(i + 3) === 45) return HORIZONTAL_RULE;
  return 0;
}

/**
 * The INLINE_RULES that can match `text`, as bits by rule index: for each rule a
 * character-level condition every match needs (most prose has no markup at all, and
 * thirteen regular-expression passes over it cost more than the tokenizer). Native
 * `indexOf` scans find the few characters that matter.
 */
function inlineTriggers(text: string): number {
  // Rare line separators: the character walk handles every line terminator.
  if (text.includes('\u2028') || text.includes('\u2029')) return walkTriggers(text);
  let mask = lineTriggers(text);
  if (text.includes('{')) mask |= BRACES;
  if (text.includes('!')) mask |= IMAGE;
  if (text.includes('[')) mask |= LINKS;
  if (text.includes('|')) mask |= TABLE;
  if (text.includes('\\')) mask |= LINE_BREAK;
  if (hasEmoticonStart(text)) mask |= EMOTICON;
  if (hasEmphasisOpening(text)) mask |= EMPHASIS;
  return mask;
}

function hasEmoticonStart(text: string): boolean {
  for (const opener of [':', ';', '(']) {
    for (let i = text.indexOf(opener); i >= 0; i = text.indexOf(opener, i + 1)) {
      if (startsEmoticon(text.charCodeAt(i), text.charCodeAt(i + 1))) return true;
    }
  }
  return false;
}

/** An emphasis marker where emphasis may open: `(^|[\s(])[*_+^~]`. */
function hasEmphasisOpening(text: string): boolean {
  for (const marker of ['*', '_', '+', '^', '~']) {
    for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
      if (i === 0) return true;
      const before = text.charCodeAt(i - 1);
      if (before === 40 || isSpaceCode(before)) return true;
    }
  }
  return false;
}

/** Headings, block quotes, rules and list items, for text whose only line breaks are \r and \n. */
function lineTriggers(text: string): number {
  const n = text.length;
  let mask = 0;
  // First non-space character at or after the last line start examined: `^\s*` of a list item
  // crosses blank lines, and later line starts inside that run reach the same character.
  let spaceRunEnd = -1;
  let nextLf = indexOrEnd(text, '\n', 0);
  let nextCr = indexOrEnd(text, '\r', 0);
  let start = 0;
  for (;;) {
    mask |= lineStartTriggers(text, start);
    if (start > spaceRunEnd) {
      let p = start;
      while (p < n && isSpaceCode(text.charCodeAt(p))) p++;
      spaceRunEnd = p;
      const c = text.charCodeAt(p);
      if (c === 42 || c === 35 || c === 45) mask |= LIST_ITEM;
    }
    const end = Math.min(nextLf, nextCr);
    if (end >= n) return mask;
    start = end + 1;
    if (nextLf < start) nextLf = indexOrEnd(text, '\n', start);
    if (nextCr < start) nextCr = indexOrEnd(text, '\r', start);
  }
}

function indexOrEnd(text: string, c: string, from: number): number {
  const i = text.indexOf(c, from);
  return i < 0 ? text.length : i;
}

/** `inlineTriggers` by walking every character (for text with U+2028 or U+2029). */
function walkTriggers(text: string): number {
  let mask = 0;
  let lineStart = true; // `^` with the m flag matches here
  let onlySpaceSinceLineStart = true; // a list item's `^\s*` can still reach here
  let afterOpening = true; // emphasis may open here: `(^|[\s(])`
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (lineStart) mask |= lineStartTriggers(text, i);
    const c = text.charCodeAt(i);
    if (isLineTerminator(c)) {
      lineStart = true;
      onlySpaceSinceLineStart = true;
      afterOpening = true;
      continue;
    }
    lineStart = false;
    if (isSpaceCode(c)) {
      afterOpening = true;
      continue;
    }
    if (onlySpaceSinceLineStart && (c === 42 || c === 35 || c === 45)) mask |= LIST_ITEM;
    onlySpaceSinceLineStart = false;
    if (afterOpening && isEmphasisMarker(c)) mask |= EMPHASIS;
    afterOpening = c === 40;
    if (c < 33 || c > 126) continue;
    if (c === 123) mask |= BRACES;
    else if (c === 33) mask |= IMAGE;
    else if (c === 91) mask |= LINKS;
    else if (c === 124) mask |= TABLE;
    else if (c === 92) mask |= LINE_BREAK;
    else if ((c === 58 || c === 59 || c === 40) && startsEmoticon(c, text.charCodeAt(i + 1))) mask |= EMOTICON;
  }
  return mask;
}

/** Applies INLINE_RULES in order, skipping the ones that cannot match (same result). */
function stripInline(text: string): string {
  let out = text;
  let triggers = inlineTriggers(out);
  for (let r = 0; r < INLINE_RULES.length; r++) {
    if ((triggers & (1 << r)) === 0) continue;
    const [pattern, replacement] = INLINE_RULES[r] ?? [/$^/, ''];
    const next = out.replace(pattern, replacement);
    if (next !== out) {
      // A replacement can create markup for a later rule ("{quote}* a" becomes " * a").
      out = next;
      triggers = inlineTriggers(out);
    }
  }
  return out;
}

/** Jira wiki markup to prose and code segments. Unclosed code blocks run to the end. */
export function wikiToSegments(markup: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  // Every code block starts with "{"; most descriptions have none.
  const blocks = markup.includes('{') ? markup.matchAll(CODE_BLOCK) : [];
  for (const match of blocks) {
    const start = match.index ?? 0;
    if (start > last) out.push({ kind: 'prose', text: stripInline(markup.slice(last, start)) });
    out.push({ kind: 'code', text: match[2] ?? '' });
    last = start + match[0].length;
  }
  if (last < markup.length) out.push({ kind: 'prose', text: stripInline(markup.slice(last)) });
  return out.filter((s) => s.text.trim().length > 0);
}

/** Jira wiki markup to plain text: markup removed, code and noformat blocks kept as text. */
export function wikiToText(markup: string): string {
  return wikiToSegments(markup)
    .map((s) => s.text)
    .join('\n');
}
