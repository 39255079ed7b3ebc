/** The duplicate-detection engine: pure functions and one index class, no I/O, no clock. */
export type {
  Cluster,
  DocField,
  DocFields,
  DocTerms,
  Explanation,
  FieldName,
  IssueText,
  Neighbour,
  NeighbourOptions,
  PairOptions,
  ScoredPair,
  TermCount,
  Tier,
} from './types';
export { FIELD_NAMES } from './types';
export { DEFAULT_CONFIG, EngineConfigError, resolveConfig, type EngineConfig } from './config';
export { extractTerms, TermExtractor, tokenize, descriptionSegments, MAX_TERMS_PER_FIELD } from './extract';
export { encodeTerms, decodeTerms, encodedHasTerm, encodedTermSet, onlyInTypeField, MAX_ENCODED_LENGTH } from './codec';
export { CorpusStats } from './corpus-stats';
export { TermsDecodeError } from './errors';
export { SimilarityIndex } from './similarity-index';
export { ScanResult } from './scan-result';
export { roundScore } from './search';
export { buildClusters, IdGroups } from './clusters';
export { highlight, surfaceForms, type HighlightSegment } from './highlight';
export { SurfaceForms, type SurfaceText, type TermAnalyzer } from './surface-forms';
export { adfToText } from './text/adf';
export { CJK_SCRIPTS, PROLONGED_SOUND_MARKS } from './text/cjk';
export { STOP_WORDS } from './text/stop-words';
export { wikiToText } from './text/wiki';
