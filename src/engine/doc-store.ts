import type { PackedDoc } from './packed-doc';

/** Words (uint32) per chunk: 4 MB. A document larger than that gets a chunk of its own. */
const CHUNK_WORDS = 1 << 20;

/**
 * Every document's packed term counts, in a few large chunks instead of one typed array per
 * document. At 100,000 documents, one small typed array each costs about 500 bytes of
 * bookkeeping on top of its data (measured: 111 MB for 58 MB of counts); here a document
 * costs its words and one map entry.
 *
 * A document is stored contiguously in one chunk; its length is read from its own header
 * (`lengthOf`). Replaced and removed documents leave holes, reclaimed by a compaction once
 * they make up half of the store. Ids iterate in first-insertion order, as a Map's keys do
 * (replacing a document keeps its place).
 */
export class DocStore {
  private chunks: Uint32Array[] = [];
  /** Words used in the last chunk. */
  private used = 0;
  /** Words held by replaced or removed documents. */
  private garbage = 0;
  private live = 0;
  /** Where each document starts: chunk * CHUNK_WORDS + offset. */
  private readonly at = new Map<string, number>();

  constructor(private readonly lengthOf: (packed: Uint32Array, offset: number) => number) {}

  get size(): number {
    return this.at.size;
  }

  has(id: string): boolean {
    return this.at.has(id);
  }

  keys(): IterableIterator<string> {
    return this.at.keys();
  }

  /** A view of a stored document (valid until the next `set` or `delete`). */
  get(id: string): PackedDoc | undefined {
    const where = this.at.get(id);
    return where === undefined ? undefined : this.view(where);
  }

  /** Each document's view, in id order (see the class comment). */
  *values(): IterableIterator<PackedDoc> {
    for (const where of this.at.values()) yield this.view(where);
  }

  *entries(): IterableIterator<[string, PackedDoc]> {
    for (const [id, where] of this.at) yield [id, this.view(where)];
  }

  /** Stores a copy of `packed` under `id`, replacing any document stored there. */
  set(id: string, packed: PackedDoc): void {
    const length = packed.length;
    const old = this.at.get(id);
    if (old !== undefined) this.release(old);
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.used + length > chunk.length) {
      if (chunk !== undefined) this.garbage += chunk.length - this.used; // the unused tail
      // A document larger than a chunk (a huge description) gets a chunk of its own.
      chunk = new Uint32Array(Math.max(CHUNK_WORDS, length));
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.set(packed, this.used);
    this.at.set(id, (this.chunks.length - 1) * CHUNK_WORDS + this.used);
    this.used += length;
    this.live += length;
    this.maybeCompact();
  }

  delete(id: string): boolean {
    const where = this.at.get(id);
    if (where === undefined) return false;
    this.release(where);
    this.at.delete(id);
    this.maybeCompact();
    return true;
  }

  /** Words held (live documents, holes and unused chunk tails), for tests and benchmarks. */
  get words(): { live: number; garbage: number; chunks: number } {
    return { live: this.live, garbage: this.garbage, chunks: this.chunks.length };
  }

  private view(where: number): PackedDoc {
    const chunk = this.chunks[Math.floor(where / CHUNK_WORDS)] as Uint32Array;
    const offset = where % CHUNK_WORDS;
    return chunk.subarray(offset, offset + this.lengthOf(chunk, offset));
  }

  private release(where: number): void {
    const length = this.view(where).length;
    this.live -= length;
    this.garbage += length;
  }

  /** Rewrites the live documents into fresh chunks once holes are half the store. */
  private maybeCompact(): void {
    if (this.garbage < CHUNK_WORDS || this.garbage < this.live) return;
    const old = this.chunks;
    const entries = Array.from(this.at, ([id, where]) => {
      const chunk = old[Math.floor(where / CHUNK_WORDS)] as Uint32Array;
      const offset = where % CHUNK_WORDS;
      return [id, chunk.subarray(offset, offset + this.lengthOf(chunk, offset))] as const;
    });
    this.chunks = [];
    this.used = 0;
    this.garbage = 0;
    this.live = 0;
    this.at.clear();
    for (const [id, packed] of entries) this.set(id, packed);
  }
}
