import type { TermCount } from '../types';

/** Term strings interned to small integer ids, for counting without string-keyed maps. */
export class TermVocabulary {
  private readonly ids = new Map<string, number>();
  terms: string[] = [];

  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  find(term: string): number | undefined {
    return this.ids.get(term);
  }

  get size(): number {
    return this.terms.length;
  }

  clear(): void {
    this.ids.clear();
    this.terms = [];
  }
}

/**
 * Counts term ids of one field of one document; reused across documents (`drain` resets
 * it), so counting costs an array increment per term instead of a map update.
 */
export class TermCounter {
  private counts = new Int32Array(1024);
  private touched: number[] = [];

  constructor(private readonly vocabulary: TermVocabulary) {}

  addId(id: number): void {
    if (id >= this.counts.length) {
      const bigger = new Int32Array(Math.max(id + 1, this.counts.length * 2));
      bigger.set(this.counts);
      this.counts = bigger;
    }
    if (this.counts[id] === 0) this.touched.push(id);
    this.counts[id] = (this.counts[id] ?? 0) + 1;
  }

  addTerm(term: string): void {
    this.addId(this.vocabulary.idOf(term));
  }

  get size(): number {
    return this.touched.length;
  }

  /**
   * The counted terms, most frequent first (equal counts keep first-occurrence order),
   * at most `limit`; the counter is empty afterwards.
   */
  drain(limit: number): TermCount[] {
    const entries: TermCount[] = this.touched.map((id) => [this.vocabulary.terms[id] ?? '', this.counts[id] ?? 0] as const);
    for (const id of this.touched) this.counts[id] = 0;
    this.touched = [];
    entries.sort((x, y) => y[1] - x[1]);
    return entries.length > limit ? entries.slice(0, limit) : entries;
  }
}
