import { forEachEncodedTerm } from './codec';

/**
 * Document frequencies of a corpus: how many documents hold each term.
 *
 * For a question about one document (the issue being typed, the issue just changed) the
 * answer depends on the whole corpus only through its IDF. Counting the corpus here and
 * indexing only the documents that could reach the threshold (`SimilarityIndex.useCorpus`,
 * `termWeights`) gives those documents exactly the scores the whole index would, for a
 * fraction of the work: no vectors, postings or snapshot for the rest.
 *
 * Terms get small integer ids here (`termId`), so counting a document costs one map lookup
 * per term and a document's terms can be kept as numbers.
 */
export class CorpusStats {
  private readonly ids = new Map<string, number>();
  private df = new Int32Array(1024);
  /** The last document (1-based) each term was counted for: repeats within a document count once. */
  private lastDoc = new Int32Array(1024);
  private docs = 0;

  /** Documents counted. */
  get size(): number {
    return this.docs;
  }

  /** Distinct terms counted. */
  get vocabulary(): number {
    return this.ids.size;
  }

  /**
   * Counts one document given as `encodeTerms` text and returns the ids of its distinct
   * terms. Throws TermsDecodeError when the text is not an encoding (nothing is counted then).
   */
  addEncoded(encoded: string): number[] {
    const terms: string[] = [];
    forEachEncodedTerm(encoded, (t) => terms.push(t));
    return this.addTerms(terms);
  }

  /** Counts one document given by its terms (repeats allowed) and returns the ids of the distinct ones. */
  addTerms(terms: Iterable<string>): number[] {
    const doc = ++this.docs;
    const out: number[] = [];
    for (const term of terms) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(term, id);
        if (id >= this.df.length) this.grow();
      }
      if (this.lastDoc[id] === doc) continue;
      this.lastDoc[id] = doc;
      this.df[id] = (this.df[id] as number) + 1;
      out.push(id);
    }
    return out;
  }

  /** The id of a counted term, or undefined. */
  termId(term: string): number | undefined {
    return this.ids.get(term);
  }

  dfOf(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : (this.df[id] as number);
  }

  private grow(): void {
    const df = new Int32Array(this.df.length * 2);
    df.set(this.df);
    const last = new Int32Array(this.lastDoc.length * 2);
    last.set(this.lastDoc);
    this.df = df;
    this.lastDoc = last;
  }
}
