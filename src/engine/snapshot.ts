import type { EngineConfig } from './config';
import { entryCount, type PackedDoc, type QueryTerms, type TermDictionary } from './packed-doc';
import { effectiveCount, SearchScratch } from './search';
import { computeIdf, idfOf, VectorBuilder, type SparseVector } from './vectors';

/**
 * Document frequencies of a corpus that holds the index's documents and possibly more
 * (see `SimilarityIndex.useCorpus`): IDF then comes from it, not from the index alone.
 */
export interface CorpusView {
  readonly size: number;
  dfOf(term: string): number;
}

const DOC_BITS = 2 ** 21; // documents per snapshot at most (2M); keeps sort keys inside 53 bits

/**
 * A frozen, query-ready view of the index: every live document's unit vector in CSR
 * form, and per feature a postings list sorted by weight (heaviest first) so a search can
 * stop reading a list as soon as its weights can no longer lift a new document over the
 * threshold. Rebuilt from the raw term counts whenever the index changed, which is what
 * makes incremental updates give exactly the answers of a rebuild.
 */
export class Snapshot {
  readonly n: number;
  readonly ids: string[];
  readonly slotOf: Map<string, number>;
  readonly idf: Float64Array;
  readonly docStart: Uint32Array;
  readonly docFeat: Uint32Array;
  readonly docW: Float32Array;
  readonly postStart: Uint32Array;
  readonly postDoc: Uint32Array;
  readonly postW: Float32Array;
  /** Per feature, the heaviest weight in its postings (0 for an empty list). */
  readonly maxW: Float32Array;
  /** Features of this snapshot (features past it belong to terms no document has). */
  readonly featureCount: number;
  /** Reusable state for searches (queries on one snapshot run one at a time). */
  readonly scratch: SearchScratch;
  /** Each document's effective feature count (see `effectiveCount`). */
  readonly effective: Float64Array;
  /** Slots in insertion order: `insertionOrder[i]` is the slot of the i-th document inserted. */
  readonly insertionOrder: Int32Array;
  /** Work counters (postings read, candidates scored) for benchmarks; never affect results. */
  readonly work = { postingsRead: 0, candidatesScored: 0 };

  /** Documents the IDF counts: the index's, or the corpus's when one is given. */
  readonly idfN: number;

  constructor(
    raw: { readonly size: number; keys(): Iterable<string>; values(): Iterable<PackedDoc> },
    df: Int32Array,
    readonly dict: TermDictionary,
    readonly config: EngineConfig,
    private readonly corpus: CorpusView | null = null,
  ) {
    this.n = raw.size;
    if (this.n >= DOC_BITS) throw new RangeError(`an index holds at most ${DOC_BITS - 1} documents`);
    this.ids = Array.from(raw.keys());
    this.slotOf = new Map(this.ids.map((id, i) => [id, i]));
    const vocabulary = dict.size;
    this.idfN = corpus ? Math.max(corpus.size, this.n) : this.n;
    this.idf = computeIdf(corpus ? corpusDf(df, dict, corpus) : df, vocabulary, this.idfN, config);
    const builder = new VectorBuilder(config, vocabulary);
    const termOf = (t: number): string => dict.terms[t] ?? '';

    // Vectors go straight into the CSR arrays (sized for the most each document can keep,
    // then trimmed): no object per document.
    let capacity = 0;
    for (const packed of raw.values()) capacity += Math.min(config.maxTermsPerDoc, 2 * entryCount(packed));
    let docFeat = new Uint32Array(capacity);
    let docW = new Float32Array(capacity);
    this.docStart = new Uint32Array(this.n + 1);
    this.effective = new Float64Array(this.n);
    const featureCount = 2 * vocabulary;
    const postCount = new Uint32Array(featureCount + 1);
    let at = 0;
    let d = 0;
    for (const packed of raw.values()) {
      const length = builder.buildInto(packed, this.idf, termOf, this.idf, docFeat, docW, at);
      this.docStart[d] = at;
      this.effective[d] = effectiveCount(docW.subarray(at, at + length));
      for (let p = at; p < at + length; p++) {
        const f = (docFeat[p] as number) + 1;
        postCount[f] = (postCount[f] as number) + 1;
      }
      at += length;
      d++;
    }
    this.docStart[this.n] = at;
    // Views, not copies: the slack (documents with fewer features than the bound) is small,
    // and a copy would double the arrays at the peak of the build.
    if (at < capacity) {
      docFeat = docFeat.subarray(0, at);
      docW = docW.subarray(0, at);
    }
    this.docFeat = docFeat;
    this.docW = docW;
    const total = at;
    this.featureCount = featureCount;
    // Each feature's heaviest weight (what a postings list sorted by weight starts with).
    this.maxW = new Float32Array(featureCount);
    for (let p = 0; p < total; p++) {
      const f = docFeat[p] as number;
      const w = docW[p] as number;
      if (w > (this.maxW[f] as number)) this.maxW[f] = w;
    }

    // Slots in locality order: similar documents get neighbouring slots, so a search's
    // accumulators, the vectors it verifies and consecutive queries of a scan share cache
    // lines. Postings ties stay in insertion order, so results do not depend on slots.
    const order = this.localityOrder();
    const slotOfInserted = new Int32Array(this.n);
    order.forEach((inserted, slot) => {
      slotOfInserted[inserted] = slot;
    });
    this.insertionOrder = slotOfInserted;
    ({ start: this.docStart, effective: this.effective } = this.permuteRows(order, total));
    const ids: string[] = new Array<string>(this.n);
    for (let slot = 0; slot < this.n; slot++) ids[slot] = this.ids[order[slot] as number] as string;
    this.ids = ids;
    this.slotOf = new Map(ids.map((id, slot) => [id, slot]));

    for (let f = 0; f < featureCount; f++) postCount[f + 1] = (postCount[f + 1] ?? 0) + (postCount[f] ?? 0);
    this.postStart = postCount;
    this.postDoc = new Uint32Array(total);
    this.postW = new Float32Array(total);
    const fill = this.postStart.slice(0, featureCount);
    for (let d = 0; d < this.n; d++) {
      for (let p = this.docStart[d] ?? 0; p < (this.docStart[d + 1] ?? 0); p++) {
        const f = this.docFeat[p] ?? 0;
        const slot = fill[f] ?? 0;
        fill[f] = slot + 1;
        this.postDoc[slot] = d;
        this.postW[slot] = this.docW[p] ?? 0;
      }
    }
    this.sortPostings(featureCount, order);
    this.scratch = new SearchScratch(this.n);
  }

  /**
   * Rewrites the rows of the CSR feature and weight arrays in place in `order` (order[slot]
   * = the row that goes there), through one scratch copy; returns the new row starts and
   * the effective counts in the new order.
   */
  private permuteRows(order: Int32Array, total: number): { start: Uint32Array; effective: Float64Array } {
    const oldStart = this.docStart;
    const start = new Uint32Array(this.n + 1);
    let put = 0;
    for (let slot = 0; slot < this.n; slot++) {
      start[slot] = put;
      const row = order[slot] as number;
      put += (oldStart[row + 1] as number) - (oldStart[row] as number);
    }
    start[this.n] = put;
    const copy = new Uint32Array(total);
    for (const column of [this.docFeat, new Uint32Array(this.docW.buffer, this.docW.byteOffset, total)]) {
      copy.set(column.subarray(0, total));
      for (let slot = 0; slot < this.n; slot++) {
        const row = order[slot] as number;
        column.set(copy.subarray(oldStart[row], oldStart[row + 1]), start[slot]);
      }
    }
    const effective = new Float64Array(this.n);
    for (let slot = 0; slot < this.n; slot++) effective[slot] = this.effective[order[slot] as number] as number;
    return { start, effective };
  }

  /**
   * Orders each postings list by weight, heaviest first, ties in insertion order. Positive
   * float32 bit patterns order like their values, so (inverted bits, insertion index) packs into one
   * exact float64 and a native numeric sort does the work.
   */
  private sortPostings(featureCount: number, order: Int32Array): void {
    const bits = new Uint32Array(this.postW.buffer, this.postW.byteOffset, this.postW.length);
    // One list at a time through a scratch as long as the longest list, not one key per
    // posting for the whole index at once (that would add 8 bytes per posting at the peak).
    let longest = 0;
    for (let f = 0; f < featureCount; f++) longest = Math.max(longest, (this.postStart[f + 1] ?? 0) - (this.postStart[f] ?? 0));
    const scratch = new Float64Array(longest);
    for (let f = 0; f < featureCount; f++) {
      const s = this.postStart[f] ?? 0;
      const e = this.postStart[f + 1] ?? 0;
      if (e - s < 2) continue;
      const keys = scratch.subarray(0, e - s);
      for (let i = s; i < e; i++) keys[i - s] = (0xffffffff - (bits[i] ?? 0)) * DOC_BITS + (order[this.postDoc[i] ?? 0] ?? 0);
      keys.sort();
      for (let i = s; i < e; i++) {
        const k = keys[i - s] ?? 0;
        const inserted = k % DOC_BITS;
        this.postDoc[i] = this.insertionOrder[inserted] ?? 0;
        bits[i] = 0xffffffff - (k - inserted) / DOC_BITS;
      }
    }
  }

  maxWeight(feature: number): number {
    return this.maxW[feature] ?? 0;
  }

  /**
   * The documents (by insertion index, during construction) in an order that puts similar
   * ones next to each other: by the feature a search of the document visits first (its
   * largest weight times the feature's heaviest posting), then by insertion.
   */
  private localityOrder(): Int32Array {
    const keys = new Float64Array(this.n);
    for (let d = 0; d < this.n; d++) {
      let best = -1;
      let bestBound = 0;
      for (let p = this.docStart[d] as number; p < (this.docStart[d + 1] as number); p++) {
        const f = this.docFeat[p] as number;
        const u = (this.docW[p] as number) * (this.maxW[f] as number);
        if (u > bestBound) {
          bestBound = u;
          best = f;
        }
      }
      keys[d] = (best + 1) * DOC_BITS + d;
    }
    keys.sort();
    const order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = (keys[i] as number) % DOC_BITS;
    return order;
  }

  vectorOf(slot: number): SparseVector {
    const s = this.docStart[slot] ?? 0;
    const e = this.docStart[slot + 1] ?? 0;
    return { features: this.docFeat.subarray(s, e), weights: this.docW.subarray(s, e) };
  }

  /** Vector of a document that need not be in the index, under this snapshot's IDF. */
  vectorFor(packed: PackedDoc, terms: QueryTerms): SparseVector {
    const vocabulary = terms.vocabulary;
    const builder = new VectorBuilder(this.config, vocabulary);
    let idf = this.idf;
    if (idf.length < vocabulary) {
      idf = extendIdf(this.idf, vocabulary, this.idfN);
      // With a corpus, a word the index has not met may still be in the corpus: its IDF is the corpus's.
      if (this.corpus) for (let t = this.idf.length; t < vocabulary; t++) idf[t] = idfOf(this.corpus.dfOf(terms.termOf(t)), this.idfN, this.config);
    }
    return builder.build(packed, idf, (t) => terms.termOf(t));
  }


  get postings(): number {
    return this.postDoc.length;
  }
}

/** Each dictionary term's df: the corpus's, never below the index's own. */
function corpusDf(df: Int32Array, dict: TermDictionary, corpus: CorpusView): Int32Array {
  const out = new Int32Array(dict.size);
  for (let t = 0; t < dict.size; t++) out[t] = Math.max(df[t] ?? 0, corpus.dfOf(dict.terms[t] ?? ''));
  return out;
}

/** Terms first seen after the snapshot (a query's new words) get the IDF of a df-0 term. */
function extendIdf(idf: Float64Array, vocabulary: number, n: number): Float64Array {
  const out = new Float64Array(vocabulary);
  out.set(idf);
  out.fill(Math.log(1 + n) + 1, idf.length);
  return out;
}
