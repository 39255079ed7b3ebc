/** Raised by `decodeTerms` and `SimilarityIndex.fromState` when stored text is not what the engine wrote. */
export class TermsDecodeError extends Error {
  override readonly name = 'TermsDecodeError';
}
