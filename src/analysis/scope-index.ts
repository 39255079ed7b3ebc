/**
 * Builds the engine's SimilarityIndex for a scope from stored documents, and turns engine
 * answers into what the store keeps (pairs with reasons as surface words).
 * Nothing here is cached across invocations: warm containers are shared by installations.
 */
import { decodeTerms, roundScore, SimilarityIndex, type EngineConfig } from '../engine';
import type { Settings, SharedTerm } from '../shared/contract';
import { streamScopeDocs, type ScopeDoc } from '../store/docs';
import { SurfaceWords } from './surface-words';

export function engineConfigFromSettings(settings: Settings): Partial<EngineConfig> {
  return {
    weights: { ...settings.weights },
    thresholds: { duplicate: settings.thresholds.duplicate, related: settings.thresholds.related },
  };
}

export interface ScopeIndex {
  index: SimilarityIndex;
  docs: Map<string, ScopeDoc>;
}

/** Adds documents to an index; a row whose terms do not decode is skipped (logged by id). */
export function indexDocs(index: SimilarityIndex, docs: Iterable<ScopeDoc>, into?: Map<string, ScopeDoc>): number {
  let n = 0;
  for (const d of docs) {
    into?.set(d.id, d);
    if (d.terms === '') continue;
    try {
      index.upsert(decodeTerms(d.id, d.terms));
      n++;
    } catch (err) {
      console.warn(`analysis: stored terms of issue ${d.id} do not decode (${err instanceof Error ? err.name : 'unknown'}); skipped`);
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
 * The top shared terms of a pair, as words people wrote when the summaries show them.
 * Terms that name the same word are one reason: an identifier is indexed whole and by its
 * parts ("PayPal": paypal, pay, pal), and all of them name "PayPal"; their shares add up.
 * Pass one SurfaceWords for a whole batch of pairs (it caches per document).
 */
export function pairReasons(index: SimilarityIndex, a: ScopeDoc, b: ScopeDoc, words: SurfaceWords = new SurfaceWords(), maxTerms = 5): SharedTerm[] {
  // More terms than shown, so that merged names still leave `maxTerms` reasons.
  const explanation = index.explain(a.id, b.id, 3 * maxTerms);
  const byName = new Map<string, SharedTerm>();
  for (const t of explanation.terms) {
    const term = words.name(t.term, a, b);
    const key = term.toLowerCase();
    const seen = byName.get(key);
    if (seen) seen.share += t.share;
    else byName.set(key, { term, share: t.share });
  }
  return Array.from(byName.values(), (r) => ({ term: r.term, share: roundScore(r.share) }))
    .sort((x, y) => y.share - x.share || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0))
    .slice(0, Math.max(0, maxTerms));
}
