/**
 * Wiki markup / plain text → Atlassian Document Format, and back to plain text.
 *
 * Jira Cloud stores descriptions as ADF and REST v3 only ever answers ADF, so
 * seeds written as wiki text (CSV exports, the sample backlog) are converted once
 * at load time. The conversion covers what matters to a text-similarity app:
 * paragraphs, hard line breaks, headings, bullet and numbered lists and `{code}`/`{noformat}`
 * blocks as codeBlock nodes. Inline marks (bold, links) stay as literal text.
 */
import type { AdfDoc, AdfNode } from './types';

const CODE_OPEN = /^\s*\{(code|noformat)(?::([^}]*))?\}(.*)$/;
const HEADING = /^h([1-6])\.\s+(.*)$/;
const BULLET = /^\s*[*-]\s+(.*)$/;
const NUMBERED = /^\s*#\s+(.*)$/;

function textNode(text: string): AdfNode {
  return { type: 'text', text };
}

function paragraph(lines: string[]): AdfNode {
  const content: AdfNode[] = [];
  lines.forEach((line, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    if (line.length > 0) content.push(textNode(line));
  });
  return { type: 'paragraph', content };
}

/** `{code:java}` or `{code:title=Foo.java|language=java}` → "java". */
function codeLanguage(params: string | undefined): string | null {
  if (!params) return null;
  for (const part of params.split('|')) {
    const [name, value] = part.split('=');
    if (value === undefined && name && /^[A-Za-z0-9+#-]+$/.test(name)) return name.toLowerCase();
    if (name === 'language' && value) return value.toLowerCase();
  }
  return null;
}

export function wikiToAdf(text: string | null | undefined): AdfDoc | null {
  if (text === null || text === undefined) return null;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const content: AdfNode[] = [];
  let para: string[] = [];
  let bullets: string[] = [];
  let listType: 'bulletList' | 'orderedList' = 'bulletList';

  const flushPara = (): void => {
    if (para.length > 0 && para.some((l) => l.trim().length > 0)) content.push(paragraph(para));
    para = [];
  };
  const flushBullets = (): void => {
    if (bullets.length === 0) return;
    content.push({
      type: listType,
      content: bullets.map((b) => ({ type: 'listItem', content: [paragraph([b])] })),
    });
    bullets = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const open = CODE_OPEN.exec(line);
    if (open) {
      flushPara();
      flushBullets();
      const tag = open[1] ?? 'code';
      const closing = `{${tag}}`;
      const body: string[] = [];
      let rest = open[3] ?? '';
      // A block may open and close on one line: {code}x = 1{code}
      const sameLine = rest.indexOf(closing);
      if (sameLine >= 0) {
        body.push(rest.slice(0, sameLine));
      } else {
        if (rest.length > 0) body.push(rest);
        for (i = i + 1; i < lines.length; i++) {
          rest = lines[i] ?? '';
          const end = rest.indexOf(closing);
          if (end >= 0) {
            if (end > 0) body.push(rest.slice(0, end));
            break;
          }
          body.push(rest);
        }
      }
      const language = tag === 'code' ? codeLanguage(open[2]) : null;
      const code = body.join('\n');
      content.push({
        type: 'codeBlock',
        ...(language ? { attrs: { language } } : {}),
        content: code.length > 0 ? [textNode(code)] : [],
      });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushPara();
      flushBullets();
      content.push({ type: 'heading', attrs: { level: Number(heading[1]) }, content: [textNode(heading[2] ?? '')] });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      flushPara();
      const type = bullet ? 'bulletList' : 'orderedList';
      if (type !== listType) flushBullets();
      listType = type;
      bullets.push((bullet ?? numbered)?.[1] ?? '');
      continue;
    }
    if (line.trim().length === 0) {
      flushPara();
      flushBullets();
      continue;
    }
    flushBullets();
    para.push(line);
  }
  flushPara();
  flushBullets();
  if (content.length === 0) return null;
  return { type: 'doc', version: 1, content };
}

/** Plain text of an ADF tree: blocks separated by blank lines, hard breaks as newlines. */
export function adfToPlainText(node: AdfNode | AdfDoc | null): string {
  if (!node) return '';
  if (node.type === 'text') return 'text' in node ? (node.text ?? '') : '';
  if (node.type === 'hardBreak') return '\n';
  const children = node.content ?? [];
  const parts = children.map((c) => adfToPlainText(c));
  const isBlockContainer = node.type === 'doc' || node.type === 'bulletList' || node.type === 'orderedList' || node.type === 'listItem';
  return parts.join(isBlockContainer ? (node.type === 'doc' ? '\n\n' : '\n') : '');
}

/** A one-paragraph ADF document, used for comments written by tests. */
export function plainTextToAdf(text: string): AdfDoc {
  return wikiToAdf(text) ?? { type: 'doc', version: 1, content: [] };
}
