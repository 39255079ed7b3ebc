import { fieldWeight, type EngineConfig } from './config';
import { DOC_FIELDS, forEachEntry, type PackedDoc } from './packed-doc';

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
  const cap = Math.max(config.maxDocFrequency * n, config.docFrequencyCapMin);
  const logN = Math.log(1 + n);
  for (let t = 0; t < vocabulary; t++) {
    const d = df[t] ?? 0;
    idf[t] = d > cap ? 0 : logN - Math.log(1 + d) + 1;
  }
  return idf;
}

/** Reusable per-vocabulary scratch space for building vectors without allocation per term. */
export class VectorBuilder {
  private allTf: Float64Array;
  private summaryTf: Float64Array;
  private touched: Int32Array;
  private readonly fieldWeights: Float64Array;
  private readonly summaryField = DOC_FIELDS.indexOf('summary');

  constructor(
    private readonly config: EngineConfig,
    vocabulary: number,
  ) {
    this.allTf = new Float64Array(vocabulary);
    this.summaryTf = new Float64Array(vocabulary);
    this.touched = new Int32Array(64);
    this.fieldWeights = Float64Array.from(DOC_FIELDS, (f) => fieldWeight(config, f));
  }

  private grow(vocabulary: number): void {
    if (vocabulary <= this.allTf.length) return;
    const size = Math.max(vocabulary, this.allTf.length * 2);
    this.allTf = new Float64Array(size);
    this.summaryTf = new Float64Array(size);
  }

  /**
   * The document's unit vector under `idf`. `termOf` breaks weight ties by term text so
   * the kept features never depend on the order documents were added.
   */
  build(packed: PackedDoc, idf: Float64Array, termOf: (id: number) => string, summaryIdf: Float64Array = idf): SparseVector {
    this.grow(idf.length);
    let touchedCount = 0;
    const allTf = this.allTf;
    const summaryTf = this.summaryTf;
    forEachEntry(packed, (f, t, count) => {
      const w = this.fieldWeights[f] ?? 0;
      if (w === 0 && f !== this.summaryField) return;
      if (allTf[t] === 0 && summaryTf[t] === 0) {
        if (touchedCount === this.touched.length) {
          const bigger = new Int32Array(this.touched.length * 2);
          bigger.set(this.touched);
          this.touched = bigger;
        }
        this.touched[touchedCount++] = t;
      }
      const tf = 1 + Math.log(count);
      allTf[t] = (allTf[t] ?? 0) + w * tf;
      if (f === this.summaryField) summaryTf[t] = tf;
    });

    const feats: number[] = [];
    const weights: number[] = [];
    let normAll = 0;
    let normSum = 0;
    for (let i = 0; i < touchedCount; i++) {
      const t = this.touched[i] ?? 0;
      const g = idf[t] ?? 0;
      const a = (allTf[t] ?? 0) * g;
      const s = (summaryTf[t] ?? 0) * (g > 0 ? (summaryIdf[t] ?? g) : 0);
      allTf[t] = 0;
      summaryTf[t] = 0;
      if (a > 0) {
        feats.push(2 * t);
        weights.push(a);
        normAll += a * a;
      }
      if (s > 0) {
        feats.push(2 * t + 1);
        weights.push(s);
        normSum += s * s;
      }
    }
    let order = feats.map((_, i) => i);
    const cap = this.config.maxTermsPerDoc;
    if (order.length > cap) {
      // Rank by each feature's share of its own space, then keep the heaviest.
      const unit = (i: number): number => {
        const f = feats[i] ?? 0;
        const w = weights[i] ?? 0;
        return f % 2 === 0 ? w / Math.sqrt(normAll) : w / Math.sqrt(normSum);
      };
      order.sort((x, y) => {
        const d = unit(y) - unit(x);
        if (d !== 0) return d;
        const tx = termOf((feats[x] ?? 0) >> 1);
        const ty = termOf((feats[y] ?? 0) >> 1);
        if (tx !== ty) return tx < ty ? -1 : 1;
        return (feats[x] ?? 0) - (feats[y] ?? 0);
      });
      order = order.slice(0, cap);
      normAll = 0;
      normSum = 0;
      for (const i of order) {
        const w = weights[i] ?? 0;
        if ((feats[i] ?? 0) % 2 === 0) normAll += w * w;
        else normSum += w * w;
      }
    }
    order.sort((x, y) => (feats[x] ?? 0) - (feats[y] ?? 0));
    const blend = this.config.summaryBlend;
    // A document without summary terms puts its whole weight in the all-fields space (self-similarity stays 1).
    const scaleAll = normAll > 0 ? (normSum > 0 ? Math.sqrt(1 - blend) : 1) / Math.sqrt(normAll) : 0;
    const scaleSum = normSum > 0 ? (normAll > 0 ? Math.sqrt(blend) : 1) / Math.sqrt(normSum) : 0;
    const out: SparseVector = { features: new Uint32Array(order.length), weights: new Float32Array(order.length) };
    order.forEach((i, j) => {
      const f = feats[i] ?? 0;
      out.features[j] = f;
      out.weights[j] = (weights[i] ?? 0) * (f % 2 === 0 ? scaleAll : scaleSum);
    });
    return out;
  }
}
