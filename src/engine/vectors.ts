import { fieldWeight, type EngineConfig } from './config';
import { countAt, DOC_FIELDS, entryCount, type PackedDoc } from './packed-doc';
import { kthLargest } from './search';

/**
 * Feature ids: every term has two features, 2t in the all-fields space and 2t+1 in the
 * summary-only space. A document's vector is the concatenation
 *   sqrt(1 - blend) * unit(all-fields tf-idf)  ++  sqrt(blend) * unit(summary tf-idf)
 * so one dot product gives (1 - blend) * cos_all + blend * cos_summary.
 */
export interface SparseVector {
  features: Uint32Array; // ascending
  weights: Float32Array;
}

/** Smoothed IDF; 0 marks a term dropped as too common (see `maxDocFrequency`). */
export function computeIdf(df: Int32Array, vocabulary: number, n: number, config: EngineConfig): Float64Array {
  const idf = new Float64Array(vocabulary);
  for (let t = 0; t < vocabulary; t++) idf[t] = idfOf(df[t] ?? 0, n, config);
  return idf;
}

/** The IDF of a term in `d` of `n` documents (0 past the df cap). */
export function idfOf(d: number, n: number, config: EngineConfig): number {
  const cap = Math.max(config.maxDocFrequency * n, config.docFrequencyCapMin);
  return d > cap ? 0 : Math.log(1 + n) - Math.log(1 + d) + 1;
}

/** Reusable per-vocabulary scratch space for building vectors without allocation per term. */
export class VectorBuilder {
  private allTf: Float64Array;
  private summaryTf: Float64Array;
  private touched = new Int32Array(64);
  // One document's features before ranking and sorting, in first-seen order.
  private feats = new Uint32Array(128);
  private weights = new Float64Array(128);
  private keys = new Float64Array(128);
  private positions = new Int32Array(128);
  private selectScratch = new Float64Array(128);
  private readonly fieldWeights: Float64Array;
  private readonly summaryField = DOC_FIELDS.indexOf('summary');
  /** With `summaryBlend` 0 there is no summary-only space: a document's vector is its fields' alone. */
  private readonly summarySpace: boolean;

  constructor(
    private readonly config: EngineConfig,
    vocabulary: number,
  ) {
    this.allTf = new Float64Array(vocabulary);
    this.summaryTf = new Float64Array(vocabulary);
    this.fieldWeights = Float64Array.from(DOC_FIELDS, (f) => fieldWeight(config, f));
    this.summarySpace = config.summaryBlend > 0;
  }

  private grow(vocabulary: number): void {
    if (vocabulary <= this.allTf.length) return;
    const size = Math.max(vocabulary, this.allTf.length * 2);
    this.allTf = new Float64Array(size);
    this.summaryTf = new Float64Array(size);
  }

  private reserve(features: number): void {
    if (features <= this.feats.length) return;
    const size = Math.max(features, this.feats.length * 2);
    this.feats = new Uint32Array(size);
    this.weights = new Float64Array(size);
    this.keys = new Float64Array(size);
  }

  /**
   * The document's unit vector under `idf`. `termOf` breaks weight ties by term text so
   * the kept features never depend on the order documents were added.
   */
  build(packed: PackedDoc, idf: Float64Array, termOf: (id: number) => string, summaryIdf: Float64Array = idf): SparseVector {
    const limit = Math.min(this.config.maxTermsPerDoc, 2 * entryCount(packed));
    const out: SparseVector = { features: new Uint32Array(limit), weights: new Float32Array(limit) };
    const m = this.buildInto(packed, idf, termOf, summaryIdf, out.features, out.weights, 0);
    return m === limit ? out : { features: out.features.slice(0, m), weights: out.weights.slice(0, m) };
  }

  /**
   * The positions of the `cap` heaviest features, heaviest first, by each feature's share of
   * its own space (ties: term text, then feature id). Selects the cap-th largest share first
   * and sorts only what is kept: a document has a few hundred features and keeps 40.
   */
  private heaviest(m: number, cap: number, rootAll: number, rootSum: number, termOf: (id: number) => string): number[] {
    const feats = this.feats;
    const w = this.weights;
    const unit = this.keys; // scratch: each feature's share, by position
    for (let i = 0; i < m; i++) unit[i] = (feats[i] as number) % 2 === 0 ? (w[i] as number) / rootAll : (w[i] as number) / rootSum;
    const rank = (x: number, y: number): number => {
      const d = (unit[y] as number) - (unit[x] as number);
      if (d !== 0) return d;
      const tx = termOf((feats[x] as number) >> 1);
      const ty = termOf((feats[y] as number) >> 1);
      if (tx !== ty) return tx < ty ? -1 : 1;
      return (feats[x] as number) - (feats[y] as number);
    };
    const values = this.selectScratch.length >= m ? this.selectScratch : (this.selectScratch = new Float64Array(Math.max(m, 2 * this.selectScratch.length)));
    values.set(unit.subarray(0, m));
    const edge = kthLargest(values, m, cap);
    const kept: number[] = [];
    const ties: number[] = [];
    for (let i = 0; i < m; i++) {
      const u = unit[i] as number;
      if (u > edge) kept.push(i);
      else if (u === edge) ties.push(i);
    }
    ties.sort(rank);
    for (let j = 0; kept.length < cap && j < ties.length; j++) kept.push(ties[j] as number);
    // Heaviest first, for the norm sums. Equal shares in one space are equal weights, so the
    // order among ties cannot change a sum: a numeric comparator suffices here.
    return kept.sort((x, y) => (unit[y] as number) - (unit[x] as number) || x - y);
  }

  /**
   * The kept positions (all of 0..m-1 when `kept` is null) ordered by feature: one native
   * sort of exact float64 keys (feature * 2^21 + position; features < 2^32 keep them below
   * 2^53), or a comparator sort for a hand-built document with millions of terms.
   */
  private sortByFeature(kept: number[] | null, count: number, m: number): Int32Array {
    const feats = this.feats;
    if (this.positions.length < count) this.positions = new Int32Array(Math.max(count, this.positions.length * 2));
    const positions = this.positions;
    if (m >= KEY_SPACE) {
      const order = kept ?? Array.from({ length: m }, (_, i) => i);
      order.sort((x, y) => (feats[x] as number) - (feats[y] as number));
      positions.set(order);
      return positions;
    }
    const keys = this.keys.subarray(0, count);
    for (let j = 0; j < count; j++) {
      const i = kept ? (kept[j] as number) : j;
      keys[j] = (feats[i] as number) * KEY_SPACE + i;
    }
    keys.sort();
    for (let j = 0; j < count; j++) positions[j] = (keys[j] as number) % KEY_SPACE;
    return positions;
  }

  /**
   * Writes the document's unit vector (features ascending) into `features` / `weights`
   * from position `at` and returns its length, at most min(maxTermsPerDoc, 2 * entries).
   */
  buildInto(
    packed: PackedDoc,
    idf: Float64Array,
    termOf: (id: number) => string,
    summaryIdf: Float64Array,
    features: Uint32Array,
    weights: Float32Array,
    at: number,
  ): number {
    this.grow(idf.length);
    const total = entryCount(packed);
    if (this.touched.length < total) this.touched = new Int32Array(Math.max(total, this.touched.length * 2));
    this.reserve(2 * total);
    const { allTf, summaryTf, touched, feats } = this;
    const w = this.weights;
    let touchedCount = 0;
    const header = DOC_FIELDS.length + 1;
    for (let f = 0; f < DOC_FIELDS.length; f++) {
      const fw = this.fieldWeights[f] as number;
      const summary = f === this.summaryField && this.summarySpace;
      if (fw === 0 && !summary) continue;
      const start = packed[f] as number;
      const end = f + 1 < DOC_FIELDS.length ? (packed[f + 1] as number) : total;
      for (let i = start; i < end; i++) {
        const t = packed[header + i] as number;
        const count = countAt(packed, total, i);
        if (allTf[t] === 0 && summaryTf[t] === 0) touched[touchedCount++] = t;
        const tf = 1 + Math.log(count);
        allTf[t] = (allTf[t] as number) + fw * tf;
        if (summary) summaryTf[t] = tf;
      }
    }

    let m = 0;
    let normAll = 0;
    let normSum = 0;
    for (let i = 0; i < touchedCount; i++) {
      const t = touched[i] as number;
      const g = idf[t] ?? 0;
      const a = (allTf[t] as number) * g;
      const s = (summaryTf[t] as number) * (g > 0 ? (summaryIdf[t] ?? g) : 0);
      allTf[t] = 0;
      summaryTf[t] = 0;
      if (a > 0) {
        feats[m] = 2 * t;
        w[m++] = a;
        normAll += a * a;
      }
      if (s > 0) {
        feats[m] = 2 * t + 1;
        w[m++] = s;
        normSum += s * s;
      }
    }
    let kept: number[] | null = null; // positions kept, when the cap applies
    let keptCount = m;
    const cap = this.config.maxTermsPerDoc;
    if (m > cap) {
      // Rank by each feature's share of its own space, then keep the heaviest.
      const order = this.heaviest(m, cap, Math.sqrt(normAll), Math.sqrt(normSum), termOf);
      keptCount = cap;
      normAll = 0;
      normSum = 0;
      for (const i of order) {
        const v = w[i] as number;
        if ((feats[i] as number) % 2 === 0) normAll += v * v;
        else normSum += v * v;
      }
      kept = order;
    }
    // Ascending features: one exact float64 key per feature (feature * 2^21 + position;
    // features < 2^32, so keys stay below 2^53).
    const positions = this.sortByFeature(kept, keptCount, m);
    const blend = this.config.summaryBlend;
    // A document without summary terms puts its whole weight in the all-fields space (self-similarity stays 1).
    const scaleAll = normAll > 0 ? (normSum > 0 ? Math.sqrt(1 - blend) : 1) / Math.sqrt(normAll) : 0;
    const scaleSum = normSum > 0 ? (normAll > 0 ? Math.sqrt(blend) : 1) / Math.sqrt(normSum) : 0;
    for (let j = 0; j < keptCount; j++) {
      const i = positions[j] as number;
      const f = feats[i] as number;
      features[at + j] = f;
      weights[at + j] = (w[i] as number) * (f % 2 === 0 ? scaleAll : scaleSum);
    }
    return keptCount;
  }
}

/** Positions inside one document's feature list (before the cap) stay below this. */
const KEY_SPACE = 2 ** 21;
