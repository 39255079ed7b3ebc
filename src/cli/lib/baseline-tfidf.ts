import type { IssueRecord } from './issue-record';

/**
 * The plain TF-IDF baseline from the dataset README, computed by the same harness:
 * lower-cased word tokens, a small stop list, no stemming, the summary counted twice,
 * sublinear tf (1 + ln tf), smoothed idf ln((1 + n) / (1 + df)) + 1, cosine. Brute force:
 * it exists to be a fair yardstick, not to be fast.
 */
const STOP = new Set(
  'a an and are as at be but by for from has have in is it its of on or that the this to was were will with'.split(' '),
);

function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? []).filter((t) => !STOP.has(t));
}

function descriptionText(d: unknown): string {
  return typeof d === 'string' ? d : '';
}

export class BaselineTfIdf {
  private readonly vectors = new Map<string, Map<string, number>>();

  constructor(issues: IssueRecord[]) {
    const tfs = issues.map((i) => {
      const tf = new Map<string, number>();
      const text = `${i.summary}\n${i.summary}\n${descriptionText(i.description)}`;
      for (const t of tokens(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
      return tf;
    });
    const df = new Map<string, number>();
    for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = issues.length;
    issues.forEach((issue, k) => {
      const v = new Map<string, number>();
      let norm = 0;
      for (const [t, c] of tfs[k] ?? []) {
        const w = (1 + Math.log(c)) * (Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
        v.set(t, w);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of v) v.set(t, w / norm);
      this.vectors.set(issue.id, v);
    });
  }

  /** Ids ranked by cosine to `id` among those `accept` allows, best first (ties by id). */
  rank(id: string, accept: (other: string) => boolean, depth: number): string[] {
    const q = this.vectors.get(id);
    if (!q) return [];
    const scored: Array<[string, number]> = [];
    for (const [other, v] of this.vectors) {
      if (other === id || !accept(other)) continue;
      let s = 0;
      const [small, large] = v.size < q.size ? [v, q] : [q, v];
      for (const [t, w] of small) s += w * (large.get(t) ?? 0);
      if (s > 0) scored.push([other, s]);
    }
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return scored.slice(0, depth).map(([other]) => other);
  }
}
