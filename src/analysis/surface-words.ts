/**
 * Index terms are stems ("connect"); people want the word they wrote ("Connection").
 * For each document, the words of its stored summary are mapped to their terms once, with
 * one shared TermExtractor (it memoises stems, the slow step), so naming the shared terms
 * of tens of thousands of pairs costs a map lookup each. Terms that do not occur in either
 * summary (description-only words) keep their stem.
 */
import { TermExtractor } from '../engine';

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

  name(term: string, a: { id: string; summary: string }, b: { id: string; summary: string }): string {
    return this.of(a.id, a.summary).get(term) ?? this.of(b.id, b.summary).get(term) ?? term;
  }
}
