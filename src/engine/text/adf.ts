import type { TextSegment } from './segments';

/** Deeper ADF than this is treated as malformed and its excess ignored (no stack overflow). */
const MAX_DEPTH = 64;
/** Nodes visited per document at most; a hostile document cannot make us loop forever. */
const MAX_NODES = 200_000;

const BLOCK_TYPES = new Set([
  'paragraph', 'heading', 'blockquote', 'listItem', 'bulletList', 'orderedList', 'table',
  'tableRow', 'tableHeader', 'tableCell', 'panel', 'rule', 'expand', 'nestedExpand',
  'decisionList', 'decisionItem', 'taskList', 'taskItem', 'layoutSection', 'layoutColumn',
  'mediaSingle', 'mediaGroup', 'codeBlock',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function attrString(node: Record<string, unknown>, ...names: string[]): string {
  const attrs = node['attrs'];
  if (!isRecord(attrs)) return '';
  for (const name of names) {
    const v = attrs[name];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return '';
}

/**
 * Walks an Atlassian Document Format tree and returns its text as prose and code
 * segments. Anything that is not ADF-shaped is skipped rather than rejected: a
 * description is never worth failing an analysis for.
 */
export function adfToSegments(doc: unknown): TextSegment[] {
  const out: TextSegment[] = [];
  let current: TextSegment = { kind: 'prose', text: '' };
  let visited = 0;
  const seen = new Set<object>();

  const flush = (): void => {
    if (current.text.length > 0) out.push(current);
    current = { kind: 'prose', text: '' };
  };
  const append = (text: string): void => {
    current.text += text;
  };

  const walk = (node: unknown, depth: number, inCode: boolean): void => {
    if (depth > MAX_DEPTH || visited >= MAX_NODES) return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child, depth + 1, inCode);
      return;
    }
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    visited++;
    const type = typeof node['type'] === 'string' ? node['type'] : '';
    if (type === 'codeBlock' && !inCode) {
      flush();
      current = { kind: 'code', text: '' };
      walk(node['content'], depth + 1, true);
      flush();
      return;
    }
    switch (type) {
      case 'text':
        if (typeof node['text'] === 'string') append(node['text']);
        return;
      case 'hardBreak':
        append('\n');
        return;
      case 'mention':
      case 'emoji':
      case 'status':
      case 'date':
        append(' ' + attrString(node, 'text', 'shortName', 'timestamp') + ' ');
        return;
      case 'inlineCard':
      case 'blockCard':
      case 'embedCard':
        append(' ' + attrString(node, 'url') + ' ');
        return;
      default:
        break;
    }
    const block = BLOCK_TYPES.has(type);
    if (block && current.text.length > 0 && !current.text.endsWith('\n')) append('\n');
    walk(node['content'], depth + 1, inCode);
    if (block && current.text.length > 0 && !current.text.endsWith('\n')) append('\n');
  };

  walk(doc, 0, false);
  flush();
  return out;
}

/** ADF document to plain text; code blocks are kept as their text. */
export function adfToText(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  return adfToSegments(doc)
    .map((s) => s.text.replace(/\n+$/, ''))
    .join('\n');
}
