import { TermsDecodeError } from './errors';
import type { DocField, DocFields, DocTerms, TermCount } from './types';

/**
 * Text form of DocTerms, one line per field:
 *
 *   d1                      format version
 *   s term*3 other          field code, then terms; "*n" when the count n > 1
 *
 * Terms are percent-escaped for '%', '*', '|' and whitespace, so any term survives.
 * Fields are written summary first and the heaviest terms first, so when the text
 * would pass `MAX_ENCODED_LENGTH` it is the lightest description terms that go.
 */
export const MAX_ENCODED_LENGTH = 32 * 1024;
const VERSION_LINE = 'd1';

const FIELD_CODES: ReadonlyArray<readonly [DocField, string]> = [
  ['summary', 's'],
  ['type', 't'],
  ['labels', 'l'],
  ['components', 'p'],
  ['description', 'd'],
  ['code', 'c'],
];
const FIELD_BY_CODE = new Map<string, DocField>(FIELD_CODES.map(([f, c]) => [c, f]));

const ESCAPE = /[%*|\s]/gu;
/** A term as it is written in an encoding ('%', '*', '|' and whitespace percent-escaped). */
export function escapeTerm(term: string): string {
  return term.replace(ESCAPE, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => '%' + b.toString(16).padStart(2, '0')).join(''),
  );
}

/** The term an escaped term stands for; TermsDecodeError for a broken escape. */
export function unescapeTerm(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new TermsDecodeError('a term has a broken %-escape');
  }
}

/** Where the type line starts (its code), or -1: fields are written in order, summary first, so it is line 2 or 3. */
function typeLineStart(encoded: string): number {
  let at = encoded.indexOf('\n') + 1;
  if (at <= 0) return -1;
  if (encoded.startsWith('s ', at)) {
    at = encoded.indexOf('\n', at) + 1;
    if (at <= 0) return -1;
  }
  return encoded.startsWith('t ', at) ? at : -1;
}

/** Whether `needle` (" term") at `at` is a whole term: then comes a space, a count or a line end. */
function wholeAt(encoded: string, at: number, needle: string): boolean {
  const next = encoded[at + needle.length];
  return next === undefined || next === ' ' || next === '*' || next === '\n';
}

/** Whether an encoding holds `term` in any field, read in place. */
export function encodedHasTerm(encoded: string, term: string): boolean {
  const needle = ' ' + escapeTerm(term);
  for (let at = encoded.indexOf(needle); at >= 0; at = encoded.indexOf(needle, at + 1)) if (wholeAt(encoded, at, needle)) return true;
  return false;
}

/**
 * Whether an encoding holds `term` in its issue-type field and nowhere else: such a term is
 * shared through the field "Bug" or "Task", not through anything written. Reads the encoded
 * text in place, the short type line first (most terms are not in it, and then nothing else
 * is read), then each other place the term is written.
 */
export function onlyInTypeField(encoded: string, term: string): boolean {
  const typeStart = typeLineStart(encoded);
  if (typeStart < 0) return false;
  const lineEnd = encoded.indexOf('\n', typeStart);
  const typeEnd = lineEnd < 0 ? encoded.length : lineEnd;
  const needle = ' ' + escapeTerm(term);
  let inType = false;
  for (let at = encoded.indexOf(needle, typeStart); at >= 0 && at < typeEnd; at = encoded.indexOf(needle, at + 1)) {
    if (wholeAt(encoded, at, needle)) inType = true;
  }
  if (!inType) return false;
  for (let at = encoded.indexOf(needle); at >= 0; at = encoded.indexOf(needle, at + 1)) {
    if ((at < typeStart || at >= typeEnd) && wholeAt(encoded, at, needle)) return false;
  }
  return true;
}

/** Compact, deterministic text for storage; at most MAX_ENCODED_LENGTH characters. */
export function encodeTerms(doc: DocTerms): string {
  let out = VERSION_LINE;
  for (const [field, code] of FIELD_CODES) {
    const entries = doc.fields[field];
    if (!entries || entries.length === 0) continue;
    let line = '\n' + code;
    let wrote = 0;
    for (const [term, count] of entries) {
      const n = Math.max(1, Math.round(count));
      const entry = ' ' + escapeTerm(term) + (n > 1 ? '*' + String(n) : '');
      if (out.length + line.length + entry.length > MAX_ENCODED_LENGTH) break;
      line += entry;
      wrote++;
    }
    if (wrote > 0) out += line;
  }
  return out;
}

/** Parses `encodeTerms` output; throws TermsDecodeError on anything else. */
export function decodeTerms(id: string, encoded: string): DocTerms {
  if (typeof encoded !== 'string') throw new TermsDecodeError('encoded terms must be a string');
  const lines = encoded.split('\n');
  if (lines[0] !== VERSION_LINE) throw new TermsDecodeError(`unknown terms format (expected "${VERSION_LINE}" first)`);
  const fields: DocFields = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const field = FIELD_BY_CODE.get(line.slice(0, 1));
    if (field === undefined || line[1] !== ' ') throw new TermsDecodeError(`line ${i + 1}: unknown field code`);
    if (fields[field]) throw new TermsDecodeError(`line ${i + 1}: field "${field}" appears twice`);
    const entries: TermCount[] = [];
    for (const entry of line.slice(2).split(' ')) {
      const star = entry.lastIndexOf('*');
      const rawTerm = star >= 0 ? entry.slice(0, star) : entry;
      const count = star >= 0 ? Number(entry.slice(star + 1)) : 1;
      if (rawTerm.length === 0) throw new TermsDecodeError(`line ${i + 1}: empty term`);
      if (!Number.isSafeInteger(count) || count < 1) throw new TermsDecodeError(`line ${i + 1}: bad count`);
      entries.push([unescapeTerm(rawTerm), count]);
    }
    fields[field] = entries;
  }
  return { id, fields };
}

/**
 * Reports the position of every term of `encodeTerms` output, as written (escaped), field
 * by field, repeats included (a term can be in several fields), without building anything;
 * throws TermsDecodeError on anything `decodeTerms` refuses for its shape. Escapes are not
 * checked here and counts are not read.
 */
export function scanEncodedTerms(encoded: string, onTerm: (start: number, end: number) => void): void {
  if (typeof encoded !== 'string') throw new TermsDecodeError('encoded terms must be a string');
  const n = encoded.length;
  if (!encoded.startsWith(VERSION_LINE) || (n > VERSION_LINE.length && encoded.charCodeAt(VERSION_LINE.length) !== 10)) {
    throw new TermsDecodeError(`unknown terms format (expected "${VERSION_LINE}" first)`);
  }
  let i = VERSION_LINE.length;
  let line = 1;
  while (i < n) {
    // At a line break: the field code, then a space.
    line++;
    if (!FIELD_BY_CODE.has(encoded.charAt(i + 1)) || encoded.charCodeAt(i + 2) !== 32) throw new TermsDecodeError(`line ${line}: unknown field code`);
    i += 3;
    for (;;) {
      let j = i;
      let star = -1;
      let code = 0;
      for (; j < n; j++) {
        code = encoded.charCodeAt(j);
        if (code === 32 || code === 10) break;
        if (code === 42) star = j;
      }
      const end = star >= 0 ? star : j;
      if (end === i) throw new TermsDecodeError(`line ${line}: empty term`);
      onTerm(i, end);
      i = j;
      if (j >= n || code === 10) break;
      i++; // the space
    }
  }
}

/** The distinct terms of `encodeTerms` output, in first-seen order (TermsDecodeError like `decodeTerms`). */
export function encodedTermSet(encoded: string): string[] {
  const seen = new Set<string>();
  scanEncodedTerms(encoded, (start, end) => seen.add(unescapeTerm(encoded.slice(start, end))));
  return [...seen];
}
