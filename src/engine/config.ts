import type { DocField, FieldName } from './types';

/**
 * Every tuning knob of the engine. Defaults were tuned on the Hadoop development set
 * (docs/engine.md records how); ranges are the values the code accepts.
 */
export interface EngineConfig {
  /**
   * Weight of each field's sublinear term frequency in the combined vector (range 0..10).
   * A term's field-weighted frequency is sum over fields of weight * (1 + ln tf).
   */
  weights: Record<FieldName, number>;
  /** Score cut-offs (0..1, duplicate >= related): pairs at or above `related` are stored. */
  thresholds: { duplicate: number; related: number };
  /** Neighbours kept per issue by `topK()` (1..200). */
  topK: number;
  /** Weight of terms found in code blocks, stack traces and log lines (0..10). */
  codeWeight: number;
  /**
   * Share of the score given to a second, summary-only cosine (0..1). The final score is
   * (1 - summaryBlend) * cos(all fields) + summaryBlend * cos(summaries).
   */
  summaryBlend: number;
  /**
   * Terms found in more than this fraction of the issues are dropped as stop words
   * (0 < x <= 1). Applies only once the df also exceeds `docFrequencyCapMin`, so small
   * indexes keep every term. This keeps the neighbour search sub-quadratic.
   */
  maxDocFrequency: number;
  /** Absolute document frequency below which no term is dropped (>= 1). */
  docFrequencyCapMin: number;
  /** Each issue's vector keeps only its heaviest terms (8..4096). */
  maxTermsPerDoc: number;
  /**
   * Damping of matches that rest on few words (>= 0; 0 turns it off). With e the effective
   * number of shared terms (1 when one word carries the whole match), the cosine is
   * multiplied by e / (e + evidenceDamping).
   */
  evidenceDamping: number;
  /**
   * Candidate generation reads the postings of only this many of a document's features
   * (its heaviest by upper bound) (1..4096). Every candidate is then scored exactly on all
   * features. A pair is missed only if neither side reaches the other through its top
   * features; docs/engine.md gives the measured recall against an exhaustive search.
   */
  candidateTerms: number;
  /**
   * Postings read per feature at most, heaviest first (1..2^31). Long lists belong to
   * common terms whose light tail cannot carry a pair on its own.
   */
  maxPostingsPerTerm: number;
  /**
   * A postings list is read only while a posting's contribution q_f * w reaches this fraction
   * of the search threshold (0..1; 0 reads every posting the bounds allow). Below it, one
   * shared word adds a sliver of what a pair needs and the lists of common words are long:
   * the measured recall is in docs/engine.md.
   */
  impactFloor: number;
  /**
   * Candidates scored exactly per search at most (1..2^31): those with the largest
   * partial scores from candidate generation.
   */
  maxCandidates: number;
  /**
   * Beyond the top `maxCandidates`, a candidate whose partial score reaches this share of
   * the pair threshold is scored exactly too (0..1; 1 only those whose partial alone
   * reaches it). A partial score misses the unread tails of long lists, so a true pair can
   * sit below the threshold there; in a large backlog an issue has more such pairs than
   * `maxCandidates`. docs/engine.md gives the measured recall.
   */
  pairCandidateShare: number;
  /** Scores below this are not neighbours at all (0..1): `neighbours` and `topK` default. */
  neighbourFloor: number;
}

export const DEFAULT_CONFIG: EngineConfig = Object.freeze({
  weights: Object.freeze({ summary: 2, description: 1, labels: 1.5, components: 1.5, type: 0.5 }),
  thresholds: Object.freeze({ duplicate: 0.45, related: 0.15 }),
  topK: 10,
  codeWeight: 0.4,
  summaryBlend: 0.2,
  maxDocFrequency: 0.25,
  docFrequencyCapMin: 200,
  maxTermsPerDoc: 40,
  neighbourFloor: 0.1,
  evidenceDamping: 4,
  candidateTerms: 4096,
  maxPostingsPerTerm: 1024,
  impactFloor: 0.1,
  maxCandidates: 48,
  pairCandidateShare: 0.75,
});

export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new EngineConfigError(`${name} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Merges a partial config over the defaults and checks every value. */
export function resolveConfig(partial: Partial<EngineConfig> = {}): EngineConfig {
  const config: EngineConfig = {
    ...DEFAULT_CONFIG,
    ...partial,
    weights: { ...DEFAULT_CONFIG.weights, ...(partial.weights ?? {}) },
    thresholds: { ...DEFAULT_CONFIG.thresholds, ...(partial.thresholds ?? {}) },
  };
  for (const [field, w] of Object.entries(config.weights)) checkRange(`weights.${field}`, w, 0, 10);
  checkRange('thresholds.related', config.thresholds.related, 0, 1);
  checkRange('thresholds.duplicate', config.thresholds.duplicate, config.thresholds.related, 1);
  checkRange('topK', config.topK, 1, 200);
  checkRange('codeWeight', config.codeWeight, 0, 10);
  checkRange('summaryBlend', config.summaryBlend, 0, 1);
  checkRange('maxDocFrequency', config.maxDocFrequency, Number.MIN_VALUE, 1);
  checkRange('docFrequencyCapMin', config.docFrequencyCapMin, 1, Number.MAX_SAFE_INTEGER);
  checkRange('maxTermsPerDoc', config.maxTermsPerDoc, 8, 4096);
  checkRange('neighbourFloor', config.neighbourFloor, 0, 1);
  checkRange('evidenceDamping', config.evidenceDamping, 0, 100);
  checkRange('candidateTerms', config.candidateTerms, 1, 4096);
  checkRange('maxPostingsPerTerm', config.maxPostingsPerTerm, 1, 2 ** 31);
  checkRange('maxCandidates', config.maxCandidates, 1, 2 ** 31);
  checkRange('impactFloor', config.impactFloor, 0, 1);
  checkRange('pairCandidateShare', config.pairCandidateShare, 0, 1);
  return config;
}

/** The weight of a stored field in the combined vector. */
export function fieldWeight(config: EngineConfig, field: DocField): number {
  return field === 'code' ? config.codeWeight : config.weights[field];
}
