import fc from 'fast-check';
import { DocStore } from '../../src/engine/doc-store';

// A toy layout: the first word is the number of words that follow.
const lengthOf = (words: Uint32Array, offset: number): number => 1 + (words[offset] ?? 0);
const doc = (payload: number[]): Uint32Array => Uint32Array.from([payload.length, ...payload]);

describe('DocStore', () => {
  it('behaves like a Map of copies: set, replace, delete, first-insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('set' as const), id: fc.integer({ min: 0, max: 30 }), payload: fc.array(fc.nat(), { maxLength: 20 }) }),
            fc.record({ op: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 30 }) }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const store = new DocStore(lengthOf);
          const model = new Map<string, number[]>();
          for (const o of ops) {
            const id = `k${o.id}`;
            if (o.op === 'set') {
              const packed = doc(o.payload);
              store.set(id, packed);
              packed.fill(7); // the store keeps a copy
              model.set(id, o.payload);
            } else {
              expect(store.delete(id)).toBe(model.delete(id));
            }
          }
          expect(store.size).toBe(model.size);
          expect(Array.from(store.keys())).toEqual(Array.from(model.keys()));
          expect(Array.from(store.values(), (v) => Array.from(v.subarray(1)))).toEqual(Array.from(model.values()));
          for (const [id, payload] of model) expect(Array.from(store.get(id)?.subarray(1) ?? [])).toEqual(payload);
          expect(store.get('absent')).toBeUndefined();
          expect(store.has('absent')).toBe(false);
        },
      ),
    );
  });

  it('reclaims the holes left by replaced documents', () => {
    const store = new DocStore(lengthOf);
    const payload = Array.from({ length: 999 }, (_, i) => i);
    // 40,000 replacements of 10 documents of 1,000 words: 40 M words written, 10,000 live.
    for (let round = 0; round < 4000; round++) {
      for (let d = 0; d < 10; d++) store.set(`d${d}`, doc(payload.map((x) => x + round)));
    }
    const { live, garbage, chunks } = store.words;
    expect(live).toBe(10 * 1000);
    expect(chunks).toBeLessThanOrEqual(3);
    expect(garbage).toBeLessThan(3 * (1 << 20));
    expect(Array.from(store.get('d3')?.subarray(1, 4) ?? [])).toEqual([3999, 4000, 4001]);
    expect(Array.from(store.keys())).toEqual(Array.from({ length: 10 }, (_, d) => `d${d}`));
  });

  it('stores a document larger than a chunk in a chunk of its own', () => {
    const store = new DocStore(lengthOf);
    store.set('small', doc([1, 2, 3]));
    const big = Array.from({ length: (1 << 20) + 5 }, (_, i) => i % 1000);
    store.set('huge', doc(big));
    store.set('after', doc([4, 5]));
    expect(store.get('huge')?.length).toBe(big.length + 1);
    expect(store.get('huge')?.[big.length]).toBe(big[big.length - 1]);
    expect(Array.from(store.get('small') ?? [])).toEqual([3, 1, 2, 3]);
    expect(Array.from(store.get('after') ?? [])).toEqual([2, 4, 5]);
  });
});
