import type { DocField, DocTerms } from './types';
import type { TermVocabulary } from './text/term-counter';

/**
 * What an extractor knows about the terms of a document it produced: each field's term
 * ids in its vocabulary. An index that meets the document can translate those ids to its
 * own once per distinct term instead of looking up every term string of every document.
 * Only a hint: the index checks that the id it finds stands for the same string.
 */
export interface TermIdHint {
  /**
   * The extractor vocabulary's identity token (not the vocabulary: a document kept by a
   * caller would keep the extractor's whole dictionary alive).
   */
  vocabulary: symbol;
  generation: number;
  fields: Partial<Record<DocField, readonly number[]>>;
}

// A non-enumerable symbol property: DocTerms stay plain data for JSON, copies and equality.
const HINT = Symbol('termIdHint');

export function setTermIdHint(doc: DocTerms, hint: TermIdHint): void {
  Object.defineProperty(doc, HINT, { value: hint, enumerable: false });
}

export function termIdHint(doc: DocTerms): TermIdHint | undefined {
  return (doc as DocTerms & { [HINT]?: TermIdHint })[HINT];
}

/**
 * An index's side of the hints: remembers, per extractor vocabulary id, the index's own id
 * for the same term. Starts over when the documents come from another vocabulary or after
 * that vocabulary was cleared.
 */
export class HintTranslator {
  /**
   * The vocabulary's identity token, not the vocabulary: an extractor dropped after indexing
   * takes its vocabulary with it. (A `WeakRef` would not do: a target created or read in
   * the current job stays alive until the job ends, so a synchronous index-then-scan would
   * keep the extractor's whole dictionary through the scan.)
   */
  private source: symbol | null = null;
  private generation = -1;
  /** Extractor id -> index id + 1 (0: not known yet). */
  private map = new Int32Array(1024);

  constructor(private readonly dict: TermVocabulary) {}

  /** Switches to the vocabulary of `hint`. */
  use(hint: TermIdHint): void {
    if (hint.vocabulary === this.source && hint.generation === this.generation) return;
    this.source = hint.vocabulary;
    this.generation = hint.generation;
    this.map.fill(0);
  }

  /** The index's id for `term`, which the extractor called `hinted`. */
  idOf(term: string, hinted: number | undefined): number {
    if (hinted === undefined || hinted < 0) return this.dict.idOf(term);
    if (hinted < this.map.length) {
      const known = (this.map[hinted] ?? 0) - 1;
      if (known >= 0 && this.dict.terms[known] === term) return known;
    } else {
      const bigger = new Int32Array(Math.max(hinted + 1, this.map.length * 2));
      bigger.set(this.map);
      this.map = bigger;
    }
    const id = this.dict.idOf(term);
    this.map[hinted] = id + 1;
    return id;
  }
}
