/**
 * Index terms are stems ("connect"); people want the word they wrote ("Connection").
 * For each document, the words of its stored summary are mapped to their terms once, with
 * one shared TermExtractor (it memoises stems, the slow step), so naming the shared terms
 * of tens of thousands of pairs costs a map lookup each. Terms that do not occur in either
 * summary (description-only words) keep their stem.
 */
import { descriptionSegments, TermExtractor, type DocTerms } from '../engine';

const WORD = /[\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*(?:[.\-/:#@][\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*)*/gu;

export class SurfaceWords {
  private readonly extractor = new TermExtractor();
  private readonly byDoc = new Map<string, Map<string, string>>();

  /** term → first word of `summary` producing it; cached per document id. */
  of(docId: string, summary: string): Map<string, string> {
    let map = this.byDoc.get(docId);
    if (map) return map;
    map = new Map();
    for (const m of summary.matchAll(WORD)) {
      const word = m[0];
      for (const term of this.extractor.tokenize(word)) if (!map.has(term)) map.set(term, word);
      // Identifiers also index their parts ("OutputStream" → output, stream): map those too.
      if (/[.\-/:#@_]|[a-z][A-Z]/.test(word)) {
        for (const part of word.split(/[.\-/:#@_]|(?<=[a-z])(?=[A-Z])/)) {
          if (part === '') continue;
          for (const term of this.extractor.tokenize(part)) if (!map.has(term)) map.set(term, part);
        }
      }
    }
    this.byDoc.set(docId, map);
    return map;
  }

  name(term: string, a: Named, b: Named): string {
    return this.of(a.id, a.summary).get(term) ?? this.of(b.id, b.summary).get(term) ?? storedWord(a.words, term) ?? storedWord(b.words, term) ?? term;
  }
}

interface Named {
  id: string;
  summary: string;
  /** "stem=word|…" from the document row (descriptionWords at fetch time). */
  words?: string;
}

/** Written for an entry whose word is the previous entry's (an identifier named by each of its parts). */
const SAME_AS_BEFORE = '^';

/** The word stored for `term` in "stem=word|…" (`^` for a word means the previous entry's word). */
export function storedWord(words: string | undefined, term: string): string | undefined {
  if (!words) return undefined;
  const key = `${term}=`;
  let at = words.startsWith(key) ? 0 : words.indexOf(`|${key}`);
  if (at < 0) return undefined;
  let start = at === 0 ? key.length : at + 1 + key.length;
  for (;;) {
    const end = words.indexOf('|', start);
    const word = words.slice(start, end < 0 ? undefined : end);
    if (word !== SAME_AS_BEFORE) return word;
    // Back to the previous entry: its "stem=" starts after the '|' before `at`.
    if (at === 0) return undefined;
    const previous = words.lastIndexOf('|', at - 1);
    at = previous < 0 ? 0 : previous;
    start = words.indexOf('=', previous + 1) + 1;
    if (start <= 0) return undefined;
  }
}

/** How many of a description's heaviest terms get their surface word stored. */
const DESCRIPTION_WORDS = 16;

/**
 * "stem=word|…" for the heaviest description terms whose word differs from the stem, found
 * in the description text while the text is at hand (fetch time). At most 600 characters.
 * An entry whose word is the previous entry's is written "stem=^": the parts of one long
 * identifier ("com.atlassian.jira…" names com, atlassian, jira, …) then cost a few bytes
 * each instead of the identifier again.
 */
export function descriptionWords(doc: DocTerms, description: unknown, extractor: TermExtractor): string {
  const wanted = new Set(
    (doc.fields.description ?? [])
      .slice(0, DESCRIPTION_WORDS)
      .map(([t]) => t)
      .filter((t) => !/[=|]/.test(t)),
  );
  if (wanted.size === 0) return '';
  const found = new Map<string, string>();
  outer: for (const segment of descriptionSegments(description)) {
    if (segment.kind === 'code') continue;
    for (const m of segment.text.matchAll(WORD)) {
      for (const term of extractor.tokenize(m[0])) {
        if (wanted.has(term) && !found.has(term)) {
          found.set(term, m[0].slice(0, 40));
          if (found.size === wanted.size) break outer;
        }
      }
    }
  }
  let out = '';
  let previous = '';
  for (const [term, raw] of found) {
    if (raw.toLowerCase() === term) continue;
    const word = raw.replace(/[=|]/g, '');
    const entry = `${out === '' ? '' : '|'}${term}=${word === previous ? SAME_AS_BEFORE : word}`;
    if (out.length + entry.length > 600) break;
    out += entry;
    previous = word;
  }
  return out;
}
