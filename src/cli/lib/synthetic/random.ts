/** A seeded PRNG (mulberry32) and sampling helpers, so every generated backlog is reproducible. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Poisson-distributed count (Knuth; fine for the small means used here). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/** Draws words in proportion to weights (cumulative table, binary search). */
export class WeightedSampler {
  private readonly cumulative: Float64Array;

  constructor(
    readonly words: readonly string[],
    weights: readonly number[],
  ) {
    if (words.length === 0) throw new RangeError('a sampler needs at least one word');
    this.cumulative = new Float64Array(words.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += Math.max(0, w);
      this.cumulative[i] = sum;
    });
  }

  draw(rng: Random): string {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const x = rng.next() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.words[lo] ?? this.words[0] ?? '';
  }
}

/**
 * One draw of a Pitman-Yor process over the kinds seen so far (`counts`, `total` uses in
 * all): an existing kind's index, chosen in proportion to its count minus `discount`, or -1
 * for a new kind, which comes with probability
 * (concentration + discount * kinds) / (total + concentration).
 */
export function pitmanYorDraw(rng: Random, counts: readonly number[], total: number, concentration: number, discount: number): number {
  const k = counts.length;
  if (k === 0 || rng.chance((concentration + discount * k) / (total + concentration))) return -1;
  let x = rng.next() * (total - discount * k);
  for (let j = 0; j < k; j++) {
    x -= (counts[j] ?? 0) - discount;
    if (x < 0) return j;
  }
  return k - 1;
}
