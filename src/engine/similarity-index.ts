import { encodeTerms, decodeTerms } from './codec';
import { resolveConfig, type EngineConfig } from './config';
import { TermsDecodeError } from './errors';
import { explainVectors } from './explain';
import { DocStore } from './doc-store';
import { forEachDistinctTerm, packDoc, packedLength, PackScratch, QueryTerms, TermDictionary, unpackDoc } from './packed-doc';
import { PairCollector, rankByIds, ScanResult, scoreSteps } from './scan-result';
import { BlockVerifier, DEFAULT_BLOCK_LIMITS, type BlockLimits } from './block-verify';
import { search, TopHits, type Hit } from './search';
import { HintTranslator, termIdHint } from './term-hints';
import { Snapshot, type CorpusView } from './snapshot';
import type { DocTerms, Explanation, Neighbour, NeighbourOptions, PairOptions, ScoredPair, Tier } from './types';
import type { SparseVector } from './vectors';

const STATE_VERSION = 1;

interface StoredState {
  v: number;
  config: EngineConfig;
  docs: Array<[string, string]>;
}

/**
 * The issues of one scope (a project, a site) and their similarities.
 *
 * Holds each document's raw per-field term counts; the weighted vectors and postings live
 * in a snapshot rebuilt lazily on the first query after a change (linear in the number of
 * postings). Every answer is computed from the current documents only, so a sequence of
 * upserts and removals answers exactly like a fresh index of the same documents: IDF
 * drift is zero by construction.
 */
export class SimilarityIndex {
  readonly config: EngineConfig;
  private readonly dict = new TermDictionary(true); // outlives the texts: keeps its own term strings
  private readonly raw = new DocStore(packedLength);
  private readonly scratch = new PackScratch();
  private readonly translator = new HintTranslator(this.dict);
  private df = new Int32Array(1024);
  private snap: Snapshot | null = null;
  private corpus: CorpusView | null = null;

  constructor(config?: Partial<EngineConfig>) {
    this.config = resolveConfig(config);
  }

  get size(): number {
    return this.raw.size;
  }

  /** Distinct terms ever seen (the dictionary never shrinks while the index lives). */
  get vocabularySize(): number {
    return this.dict.size;
  }

  /** Postings in the current snapshot (builds it if needed). */
  get postingsCount(): number {
    return this.snapshot().postings;
  }

  /** Search work so far on the current snapshot (for benchmarks). */
  get work(): { postingsRead: number; candidatesScored: number } {
    return { ...this.snapshot().work };
  }

  has(id: string): boolean {
    return this.raw.has(id);
  }

  ids(): string[] {
    return Array.from(this.raw.keys());
  }

  upsert(doc: DocTerms): void {
    const id = String(doc.id);
    this.removeRaw(id);
    const hint = termIdHint(doc);
    if (hint) this.translator.use(hint);
    const packed = packDoc(doc, this.dict, this.scratch, hint ? { ids: hint.fields, translator: this.translator } : undefined);
    if (this.df.length < this.dict.size) {
      const bigger = new Int32Array(Math.max(this.dict.size, this.df.length * 2));
      bigger.set(this.df);
      this.df = bigger;
    }
    forEachDistinctTerm(packed, this.scratch, (t) => {
      this.df[t] = (this.df[t] ?? 0) + 1;
    });
    this.raw.set(id, packed);
    this.snap = null;
  }

  remove(id: string): boolean {
    const removed = this.removeRaw(id);
    if (removed) {
      this.raw.delete(id);
      this.snap = null;
    }
    return removed;
  }

  private removeRaw(id: string): boolean {
    const old = this.raw.get(id);
    if (old === undefined) return false;
    forEachDistinctTerm(old, this.scratch, (t) => {
      this.df[t] = (this.df[t] ?? 0) - 1;
    });
    return true;
  }

  /** The stored terms of a document, as upserted (fields merged per term). */
  doc(id: string): DocTerms | undefined {
    const packed = this.raw.get(id);
    return packed ? unpackDoc(id, packed, this.dict) : undefined;
  }

  private snapshot(): Snapshot {
    if (this.snap === null) this.snap = new Snapshot(this.raw, this.df, this.dict, this.config, this.corpus);
    return this.snap;
  }

  /**
   * Takes IDF from `corpus` (which must count every document of this index, and may count
   * many more) instead of from the index's own documents; null goes back to the index's
   * own. An index holding only some documents of a corpus then scores them exactly as an
   * index of the whole corpus would (with the search exhaustive; see `termWeights` for
   * choosing which documents to hold).
   */
  useCorpus(corpus: CorpusView | null): void {
    this.corpus = corpus;
    this.snap = null;
  }

  /**
   * Each term's weight in the unit vector of `doc` under the current IDF (the root of the
   * squares of its per-field features). A document sharing the terms S with `doc` scores at
   * most sqrt(sum over S of weight^2) against it (Cauchy–Schwarz: both vectors have length
   * 1, and the final score never exceeds the dot product), so documents below a threshold
   * can be left out of the index before they are ever built.
   */
  termWeights(doc: DocTerms): Map<string, number> {
    const snap = this.snapshot();
    const terms = new QueryTerms(this.dict);
    const vector = snap.vectorFor(packDoc(doc, terms), terms);
    const squares = new Map<string, number>();
    for (let i = 0; i < vector.features.length; i++) {
      const term = terms.termOf((vector.features[i] as number) >> 1);
      const w = vector.weights[i] as number;
      squares.set(term, (squares.get(term) ?? 0) + w * w);
    }
    const out = new Map<string, number>();
    for (const [term, sq] of squares) out.set(term, Math.sqrt(sq));
    return out;
  }

  tierOf(score: number): Tier | null {
    const { duplicate, related } = this.config.thresholds;
    return score >= duplicate ? 'duplicate' : score >= related ? 'related' : null;
  }

  private toNeighbours(snap: Snapshot, hits: Hit[]): Neighbour[] {
    return hits.map((h) => ({ id: snap.ids[h.slot] ?? '', score: h.score, tier: this.tierOf(h.score) }));
  }

  private vectorOf(snap: Snapshot, doc: string | DocTerms): SparseVector {
    if (typeof doc === 'string') {
      const slot = snap.slotOf.get(doc);
      if (slot === undefined) throw new RangeError(`no document with id "${doc}" in the index`);
      return snap.vectorOf(slot);
    }
    const terms = new QueryTerms(this.dict);
    return snap.vectorFor(packDoc(doc, terms), terms);
  }

  /** The k most similar indexed documents to an indexed one (itself excluded). */
  neighbours(id: string, k = this.config.topK, opts: NeighbourOptions = {}): Neighbour[] {
    const snap = this.snapshot();
    const slot = snap.slotOf.get(id);
    if (slot === undefined) return [];
    return this.run(snap, snap.vectorOf(slot), slot, k, opts);
  }

  /** The k most similar indexed documents to any document (one with the same id is skipped). */
  query(doc: DocTerms, k = this.config.topK, opts: NeighbourOptions = {}): Neighbour[] {
    const snap = this.snapshot();
    const self = snap.slotOf.get(String(doc.id)) ?? -1;
    return this.run(snap, this.vectorOf(snap, doc), self, k, opts);
  }

  private run(snap: Snapshot, vector: SparseVector, self: number, k: number, opts: NeighbourOptions): Neighbour[] {
    const accept = opts.accept;
    const hits = search(snap, vector, {
      k: Math.max(0, Math.floor(k)),
      floor: opts.minScore ?? this.config.neighbourFloor,
      pairMin: Infinity,
      self,
      ...(accept ? { accept: (d: number) => accept(snap.ids[d] ?? '') } : {}),
    });
    return this.toNeighbours(snap, hits);
  }

  /** Every pair scoring at least `minScore` (default: the related threshold), best first. */
  allPairs(opts: PairOptions = {}): ScoredPair[] {
    return this.scanAll(0, opts).pairs();
  }

  /** Each document's k nearest neighbours (at least `neighbourFloor`), keyed in index order. */
  topK(k = this.config.topK): Map<string, Neighbour[]> {
    return this.scanAll(k, { minScore: Infinity }).neighbours();
  }

  /** `scanAll` with its result as objects: each document's top k, and the pairs. */
  scan(k: number, opts: PairOptions = {}): { neighbours: Map<string, Neighbour[]>; pairs: ScoredPair[] } {
    const result = this.scanAll(k, opts);
    return { neighbours: result.neighbours(), pairs: result.pairs() };
  }

  /**
   * One pass that yields both each document's top k and all pairs at or above a threshold
   * (what a full analysis needs), in columns (see `ScanResult`). A pair is kept when either
   * of its documents finds the other. `blocks` sets how many queries are verified together
   * (see BlockVerifier); the results do not depend on it.
   */
  scanAll(k: number, opts: PairOptions = {}, blocks: BlockLimits = DEFAULT_BLOCK_LIMITS): ScanResult {
    const snap = this.snapshot();
    const pairMin = opts.minScore ?? this.config.thresholds.related;
    const accept = opts.accept;
    const keep = Math.max(0, Math.floor(k));
    const rank = rankByIds(snap.ids);
    const collector = new PairCollector(rank);
    const neighbourSlots = new Int32Array(snap.n * keep).fill(-1);
    const neighbourSteps = new Uint32Array(snap.n * keep);
    // One pair of callbacks for the whole scan (not two closures per query).
    let slot = -1;
    const onPair = (d: number, score: number): void => {
      if (accept) {
        const [x, y] = (rank[slot] ?? 0) < (rank[d] ?? 0) ? [slot, d] : [d, slot];
        if (!accept(snap.ids[x] ?? '', snap.ids[y] ?? '')) return;
      }
      collector.add(slot, d, score);
    };
    const params = { k: keep, floor: this.config.neighbourFloor, pairMin, self: slot };
    // Slots are in locality order (see Snapshot), so consecutive queries are similar. The
    // candidates of a block of consecutive queries are chosen first, then scored together
    // (see BlockVerifier), then each query keeps its top k and reports its pairs, in order.
    const block = new BlockVerifier(snap, blocks);
    const floor = this.config.neighbourFloor;
    for (let start = 0; start < snap.n; ) {
      block.reset(start);
      while (start + block.queries < snap.n && !block.full) block.add(params, collector);
      block.scoreAll();
      collector.rewind(start);
      const { first, score } = block;
      for (let q = 0; q < block.queries; q++) {
        slot = start + q;
        collector.startQuery(slot);
        const top = new TopHits(snap, keep);
        for (let e = first[q] as number, end = first[q + 1] as number; e < end; e++) {
          const s = score[e] as number;
          const d = block.candidateOf(e);
          if (s >= pairMin) onPair(d, s);
          if (keep > 0 && s >= floor) top.offer(d, s);
        }
        const hits = top.sorted();
        for (let j = 0; j < hits.length; j++) {
          const h = hits[j] as Hit;
          neighbourSlots[slot * keep + j] = h.slot;
          neighbourSteps[slot * keep + j] = scoreSteps(h.score);
        }
      }
      start += block.queries;
    }
    block.release();
    const pairs = collector.finish();
    return new ScanResult(snap.ids, keep, neighbourSlots, neighbourSteps, pairs.count, pairs.a, pairs.b, pairs.steps, (s) => this.tierOf(s), snap.insertionOrder);
  }

  /** The score of two documents and the shared terms behind it. */
  explain(a: string | DocTerms, b: string | DocTerms, maxTerms = 10): Explanation {
    const snap = this.snapshot();
    return explainVectors(this.vectorOf(snap, a), this.vectorOf(snap, b), maxTerms, (t) => this.termText(t), this.config.evidenceDamping);
  }

  private termText(id: number): string {
    return this.dict.terms[id] ?? '';
  }

  /** Compact JSON: the config and every document's encoded terms, in insertion order. */
  toState(): string {
    const docs: Array<[string, string]> = [];
    for (const [id, packed] of this.raw.entries()) docs.push([id, encodeTerms(unpackDoc(id, packed, this.dict))]);
    const state: StoredState = { v: STATE_VERSION, config: this.config, docs };
    return JSON.stringify(state);
  }

  static fromState(state: string): SimilarityIndex {
    let parsed: unknown;
    try {
      parsed = JSON.parse(state);
    } catch {
      throw new TermsDecodeError('index state is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null) throw new TermsDecodeError('index state is not an object');
    const s = parsed as Partial<StoredState>;
    if (s.v !== STATE_VERSION) throw new TermsDecodeError(`unknown index state version ${String(s.v)}`);
    if (!Array.isArray(s.docs)) throw new TermsDecodeError('index state has no document list');
    const index = new SimilarityIndex(s.config ?? {});
    for (const entry of s.docs) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
        throw new TermsDecodeError('index state has a malformed document entry');
      }
      index.upsert(decodeTerms(entry[0], entry[1]));
    }
    return index;
  }
}
