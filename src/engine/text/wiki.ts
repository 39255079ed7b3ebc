import type { TextSegment } from './segments';

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

function stripInline(text: string): string {
  let out = text;
  for (const [pattern, replacement] of INLINE_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Jira wiki markup to prose and code segments. Unclosed code blocks run to the end. */
export function wikiToSegments(markup: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const match of markup.matchAll(CODE_BLOCK)) {
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
