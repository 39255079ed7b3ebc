/**
 * Memo of raw ASCII token -> its term ids, keyed by the token's bytes in place: a lookup
 * takes a range of the bytes being scanned and its hash, so a token seen before costs a
 * probe and a byte compare, not a substring and a string-keyed map lookup. Tokens
 * follow Zipf's law: nearly every token of a document has been seen before.
 *
 * Open addressing with linear probing over typed arrays; an entry keeps a copy of its
 * token's characters (to tell colliding tokens apart) and a slice of one pool of ids.
 */

/** Longest token memoised; longer ones (blobs, huge URLs) are rare and cheap to redo. */
const MAX_KEY_LENGTH = 256;
/**
 * Probes before a lookup gives up (the token is then analysed afresh and not stored).
 * Bounds the work a flood of colliding tokens can cause; a sane table never gets near it.
 */
const MAX_PROBES = 32;
/** Entries the arrays start with; they double as needed. */
const INITIAL_ENTRIES = 1 << 8;

/** Slots of the cache of recent finds (a power of two; 32 KB). */
const HOT_SLOTS = 1 << 12;
/** Int32 fields per entry in `entries`. */
const ENTRY_FIELDS = 4;
const KEY_INFO = 0; // key length * 2 + kind (0 prose, 1 code)
const KEY_START = 1; // offset of the key's characters in `chars`
const ID_START = 2; // offset of the term ids in `ids`
const ID_COUNT = 3;

export class TokenMemo {
  /**
   * A small direct-mapped cache of recent finds, pairs (hash, entry index + 1): the frequent
   * tokens stay in it (Zipf), so most lookups touch a few cache-resident lines instead of
   * a random slot of the large table. Made once the table outgrows the processor cache
   * (a small memo, as `tokenize` builds for one text, needs none).
   */
  private hot: Int32Array | null = null;
  /** Slot pairs (hash, entry index + 1); an entry index of 0 marks an empty slot. */
  private table = new Int32Array(INITIAL_ENTRIES * 4);
  /** ENTRY_FIELDS per entry, side by side so one lookup touches one cache line. */
  private entries: Int32Array = new Int32Array(INITIAL_ENTRIES * ENTRY_FIELDS);
  private chars: Uint8Array = new Uint8Array(INITIAL_ENTRIES * 8);
  private charsUsed = 0;
  private count = 0;
  /** Term ids of every entry, back to back; see `idStartOf` and `idCountOf`. */
  ids: Int32Array = new Int32Array(INITIAL_ENTRIES * 4);
  private idsUsed = 0;

  /** Distinct tokens stored. */
  get size(): number {
    return this.count;
  }

  /** Key characters plus ids held, in array slots (to bound memory). */
  get footprint(): number {
    return this.charsUsed + this.idsUsed;
  }

  /** Forgets every token, and gives back the memory a large memo held. */
  clear(): void {
    this.hot = null;
    this.table = new Int32Array(INITIAL_ENTRIES * 4);
    this.entries = new Int32Array(INITIAL_ENTRIES * ENTRY_FIELDS);
    this.chars = new Uint8Array(INITIAL_ENTRIES * 8);
    this.ids = new Int32Array(INITIAL_ENTRIES * 4);
    this.count = 0;
    this.charsUsed = 0;
    this.idsUsed = 0;
  }

  /** The entry of the token at `start` .. `end` of `text` of `kind` (0 prose, 1 code), or -1. */
  find(text: Uint8Array, start: number, end: number, hash: number, kind: number): number {
    const len = end - start;
    if (len > MAX_KEY_LENGTH) return -1;
    const info = len * 2 + kind;
    const entries = this.entries;
    const mixed = mix(hash, kind);
    const hot = this.hot;
    const hotSlot = (mixed & (HOT_SLOTS - 1)) << 1;
    if (hot !== null && hot[hotSlot] === hash) {
      const e = (hot[hotSlot + 1] ?? 0) - 1;
      const base = e * ENTRY_FIELDS;
      if (e >= 0 && entries[base + KEY_INFO] === info && this.sameKey(entries[base + KEY_START] ?? 0, text, start, len)) return e;
    }
    const table = this.table;
    const mask = table.length - 2;
    let slot = (mixed << 1) & mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const e = (table[slot + 1] ?? 0) - 1;
      if (e < 0) return -1;
      if (table[slot] === hash) {
        const base = e * ENTRY_FIELDS;
        if (entries[base + KEY_INFO] === info && this.sameKey(entries[base + KEY_START] ?? 0, text, start, len)) {
          if (hot !== null) {
            hot[hotSlot] = hash;
            hot[hotSlot + 1] = e + 1;
          }
          return e;
        }
      }
      slot = (slot + 2) & mask;
    }
    return -1;
  }

  /** First id of entry `e` in `ids`. */
  idStartOf(e: number): number {
    return this.entries[e * ENTRY_FIELDS + ID_START] ?? 0;
  }

  idCountOf(e: number): number {
    return this.entries[e * ENTRY_FIELDS + ID_COUNT] ?? 0;
  }

  /**
   * Stores the ids of a token that `find` did not find. Returns false, storing nothing,
   * when the token is too long to memoise or its probe run is full.
   */
  add(text: Uint8Array, start: number, end: number, hash: number, kind: number, ids: readonly number[]): boolean {
    const len = end - start;
    if (len > MAX_KEY_LENGTH) return false;
    if ((this.count + 1) * 4 > this.table.length) this.rehash(this.table.length * 2);
    const table = this.table;
    const mask = table.length - 2;
    let slot = (mix(hash, kind) << 1) & mask;
    let probe = 0;
    while ((table[slot + 1] ?? 0) !== 0) {
      if (++probe >= MAX_PROBES) return false;
      slot = (slot + 2) & mask;
    }
    const e = this.count++;
    if (this.hot === null && e >= HOT_SLOTS) this.hot = new Int32Array(HOT_SLOTS * 2);
    this.ensureEntries(e + 1);
    this.ensureChars(this.charsUsed + len);
    this.ensureIds(this.idsUsed + ids.length);
    const chars = this.chars;
    const at = this.charsUsed;
    chars.set(text.subarray(start, end), at);
    this.charsUsed += len;
    const base = e * ENTRY_FIELDS;
    const entries = this.entries;
    entries[base + KEY_INFO] = len * 2 + kind;
    entries[base + KEY_START] = at;
    entries[base + ID_START] = this.idsUsed;
    entries[base + ID_COUNT] = ids.length;
    this.ids.set(ids, this.idsUsed);
    this.idsUsed += ids.length;
    table[slot] = hash;
    table[slot + 1] = e + 1;
    return true;
  }

  private sameKey(at: number, text: Uint8Array, start: number, len: number): boolean {
    const chars = this.chars;
    for (let k = 0; k < len; k++) {
      if (chars[at + k] !== text[start + k]) return false;
    }
    return true;
  }

  /** Moves every entry into a table of `size` int32s (size / 2 slots). */
  private rehash(size: number): void {
    const old = this.table;
    const table = new Int32Array(size);
    const mask = size - 2;
    for (let s = 0; s < old.length; s += 2) {
      const e1 = old[s + 1] ?? 0;
      if (e1 === 0) continue;
      const hash = old[s] ?? 0;
      const kind = (this.entries[(e1 - 1) * ENTRY_FIELDS + KEY_INFO] ?? 0) & 1;
      let slot = (mix(hash, kind) << 1) & mask;
      // A long run only slows lookups of this key; with a doubled table that is rarer still.
      while ((table[slot + 1] ?? 0) !== 0) slot = (slot + 2) & mask;
      table[slot] = hash;
      table[slot + 1] = e1;
    }
    this.table = table;
  }

  private ensureEntries(count: number): void {
    if (count * ENTRY_FIELDS <= this.entries.length) return;
    this.entries = grown(this.entries, this.entries.length * 2);
  }

  private ensureChars(count: number): void {
    if (count <= this.chars.length) return;
    const chars = new Uint8Array(Math.max(count, this.chars.length * 2));
    chars.set(this.chars.subarray(0, this.charsUsed));
    this.chars = chars;
  }

  private ensureIds(count: number): void {
    if (count <= this.ids.length) return;
    this.ids = grown(this.ids, Math.max(count, this.ids.length * 2));
  }
}

function grown(array: Int32Array, size: number): Int32Array {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}

/** Spreads the scanner's hash (and the token's kind) over the slot bits (murmur3 finaliser). */
function mix(hash: number, kind: number): number {
  let h = hash ^ Math.imul(kind, 0x9e3779b9);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
