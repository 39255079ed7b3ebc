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
function escapeTerm(term: string): string {
  return term.replace(ESCAPE, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => '%' + b.toString(16).padStart(2, '0')).join(''),
  );
}

function unescapeTerm(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new TermsDecodeError('a term has a broken %-escape');
  }
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
