/**
 * Builds the engine's SimilarityIndex for a scope from stored documents, and turns engine
 * answers into what the store keeps (pairs with reasons as surface words).
 * Nothing here is cached across invocations: warm containers are shared by installations.
 * Questions about one document index only what can answer them (`loadFocusedIndex`).
 */
import { CorpusStats, decodeTerms, DEFAULT_CONFIG, onlyInTypeField, roundScore, SimilarityIndex, type DocTerms, type EngineConfig } from '../engine';
import type { Settings, SharedTerm } from '../shared/contract';
import { streamScopeDocs, type ScopeDoc } from '../store/docs';
import { joinCharacterPairs } from './character-pairs';
import { SurfaceWords } from './surface-words';

export function engineConfigFromSettings(settings: Settings): Partial<EngineConfig> {
  const { weights } = settings;
  return {
    weights: { ...weights },
    thresholds: { duplicate: settings.thresholds.duplicate, related: settings.thresholds.related },
    // A weight of 0 leaves its field out, as the admin page says: the summary-only share of
    // the score goes with the summary's weight, and the code blocks, stack traces and log
    // lines of the description follow the description's weight (at its default, as tuned).
    summaryBlend: weights.summary > 0 ? DEFAULT_CONFIG.summaryBlend : 0,
    codeWeight: (DEFAULT_CONFIG.codeWeight * weights.description) / DEFAULT_CONFIG.weights.description,
  };
}

export interface ScopeIndex {
  index: SimilarityIndex;
  docs: Map<string, ScopeDoc>;
}

/**
 * Adds documents to an index; a row whose terms cannot be read is skipped (logged by id) and,
 * when `unreadable` is given, its id is added there (see `forgetTextHashes`).
 */
export function indexDocs(index: SimilarityIndex, docs: Iterable<ScopeDoc>, into?: Map<string, ScopeDoc>, unreadable?: string[]): number {
  let n = 0;
  for (const d of docs) {
    into?.set(d.id, d);
    if (d.unreadable) unreadable?.push(d.id);
    if (d.terms === '') continue;
    try {
      index.upsert(decodeTerms(d.id, d.terms));
      n++;
    } catch (err) {
      console.warn(`analysis: stored terms of issue ${d.id} do not decode (${err instanceof Error ? err.name : 'unknown'}); skipped`);
      unreadable?.push(d.id);
    }
  }
  return n;
}

/**
 * Loads every stored document of `projects` and indexes it (create.check, incremental).
 * With `termsOnly`, `docs` entries have empty summary/words (read the few you need with
 * getScopeDocsByIds).
 */
export async function loadScopeIndex(projects: string[], settings: Settings, opts: { termsOnly?: boolean } = {}): Promise<ScopeIndex> {
  const index = new SimilarityIndex(engineConfigFromSettings(settings));
  const docs = new Map<string, ScopeDoc>();
  await streamScopeDocs(projects, (page) => indexDocs(index, page, docs), { termsOnly: opts.termsOnly === true });
  return { index, docs };
}

/** How far under the threshold a document's score bound may be and the document still be indexed. */
const BOUND_SLACK = 1e-6;

/**
 * An index for questions about one document (`about`: the issue being typed, or the issue
 * that just changed). Every stored document of `projects` is counted for IDF (CorpusStats),
 * but only those that could score at least `minScore` against `about` are indexed, plus the
 * ids in `keep`: the scores of those documents are exactly what the whole scope's index
 * gives them (test/engine/corpus-stats.test.ts), for a fraction of its work. `docs` holds
 * the indexed documents, terms only.
 */
export async function loadFocusedIndex(
  projects: string[],
  settings: Settings,
  about: DocTerms,
  minScore: number,
  keep: readonly string[] = [],
  hidden?: HiddenDocs,
): Promise<ScopeIndex> {
  const corpus = new CorpusStats();
  // `about`'s words get their corpus ids before counting starts (a word no stored document
  // holds keeps df 0), so each document is tested against a fixed set of ids.
  const wanted = new Set<number>();
  for (const entries of Object.values(about.fields)) for (const [term] of entries ?? []) wanted.add(corpus.intern(term));
  const keepIds = new Set(keep);
  // Only documents sharing a word with `about` can score above 0; the rest are counted and dropped.
  const held: Array<{ doc: ScopeDoc; terms: number[] }> = [];
  await streamScopeDocs(
    projects,
    (page) => {
      for (const d of page) {
        if (d.terms === '' || (hidden !== undefined && isHidden(hidden, d))) continue;
        let terms: number[];
        try {
          terms = corpus.addEncoded(d.terms);
        } catch (err) {
          console.warn(`analysis: stored terms of issue ${d.id} do not decode (${err instanceof Error ? err.name : 'unknown'}); skipped`);
          continue;
        }
        if (keepIds.has(d.id) || terms.some((t) => wanted.has(t))) held.push({ doc: d, terms });
      }
    },
    { termsOnly: true },
  );
  const index = new SimilarityIndex(engineConfigFromSettings(settings));
  index.useCorpus(corpus);
  const squareById = new Map<number, number>();
  for (const [term, w] of index.termWeights(about)) {
    const id = corpus.termId(term);
    if (id !== undefined) squareById.set(id, w * w);
  }
  const docs = new Map<string, ScopeDoc>();
  for (const { doc, terms } of held) {
    let squares = 0;
    for (const t of terms) squares += squareById.get(t) ?? 0;
    // A hair of slack: scores are rounded to 1e-9 steps and summed in floating point.
    if (!keepIds.has(doc.id) && Math.sqrt(squares) < minScore - BOUND_SLACK) continue;
    docs.set(doc.id, doc);
    index.upsert(decodeTerms(doc.id, doc.terms));
  }
  return { index, docs };
}

/**
 * Documents a viewer may not see (issue security), left out of a focused index altogether:
 * not scored, and not counted in its term statistics either, or the scores of the visible
 * ones would move with the hidden ones' words (a guessed word would show in a score).
 */
export interface HiddenDocs {
  ids: ReadonlySet<string>;
  /** Whole levels of a project, as `${projectKey} ${level}`. */
  levels: ReadonlySet<string>;
}

function isHidden(hidden: HiddenDocs, d: ScopeDoc): boolean {
  return hidden.ids.has(d.id) || (d.securityLevel !== undefined && d.securityLevel !== '' && hidden.levels.has(`${d.projectKey} ${d.securityLevel}`));
}

/** Same project only, unless the admin asked for cross-project suggestions. */
export function pairAcceptor(settings: Settings, docs: Map<string, ScopeDoc>, focusProjects?: ReadonlySet<string>): (a: string, b: string) => boolean {
  return (a, b) => {
    const pa = docs.get(a)?.projectKey;
    const pb = docs.get(b)?.projectKey;
    if (pa === undefined || pb === undefined) return false;
    if (!settings.crossProject && pa !== pb) return false;
    if (focusProjects && !focusProjects.has(pa) && !focusProjects.has(pb)) return false;
    return true;
  };
}

/**
 * The top shared terms of a pair, as words people wrote when the summaries show them (a
 * term that one of the two holds only as its issue type is left out).
 * Terms that name the same word are one reason: an identifier is indexed whole and by its
 * parts ("PayPal": paypal, pay, pal), and all of them name "PayPal"; their shares add up.
 * Pass one SurfaceWords for a whole batch of pairs (it caches per document).
 */
export function pairReasons(index: SimilarityIndex, a: ScopeDoc, b: ScopeDoc, words: SurfaceWords = new SurfaceWords(), maxTerms = 5): SharedTerm[] {
  // More terms than shown, so that merged names still leave `maxTerms` reasons.
  const explanation = index.explain(a.id, b.id, 3 * maxTerms);
  const byName = new Map<string, SharedTerm>();
  for (const t of explanation.terms) {
    // Both issues are Bugs: that counts in the score, but it is no word they share.
    if (onlyInTypeField(a.terms, t.term) || onlyInTypeField(b.terms, t.term)) continue;
    const term = words.name(t.term, a, b);
    const key = term.toLowerCase();
    const seen = byName.get(key);
    if (seen) seen.share += t.share;
    else byName.set(key, { term, share: t.share });
  }
  // Character pairs of Chinese, Japanese or Korean that run on in both summaries read as the text they make up.
  return joinCharacterPairs(Array.from(byName.values()), a.summary, b.summary)
    .map((r) => ({ term: r.term, share: roundScore(r.share) }))
    .sort((x, y) => y.share - x.share || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0))
    .slice(0, Math.max(0, maxTerms));
}
