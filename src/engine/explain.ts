import { effectiveCount, finalScore, roundScore } from './search';
import type { Explanation } from './types';
import type { SparseVector } from './vectors';

/**
 * Splits the dot product of two vectors by term (both feature spaces of a term add up),
 * so a person sees which words made two issues look alike and by how much.
 */
export function explainVectors(
  a: SparseVector,
  b: SparseVector,
  maxTerms: number,
  termText: (termId: number) => string,
  damping: number,
): Explanation {
  const byTerm = new Map<number, number>();
  let total = 0;
  let squares = 0;
  let i = 0;
  let j = 0;
  while (i < a.features.length && j < b.features.length) {
    const fa = a.features[i] ?? 0;
    const fb = b.features[j] ?? 0;
    if (fa < fb) i++;
    else if (fb < fa) j++;
    else {
      const c = (a.weights[i] ?? 0) * (b.weights[j] ?? 0);
      total += c;
      squares += c * c;
      const t = fa >> 1;
      byTerm.set(t, (byTerm.get(t) ?? 0) + c);
      i++;
      j++;
    }
  }
  const score = finalScore(total, squares, damping, Math.min(effectiveCount(a.weights), effectiveCount(b.weights)));
  const terms = Array.from(byTerm, ([t, c]) => ({ term: termText(t), share: total > 0 ? c / total : 0 }));
  terms.sort((x, y) => y.share - x.share || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  return { score, terms: terms.slice(0, Math.max(0, maxTerms)).map((t) => ({ term: t.term, share: roundScore(t.share) })) };
}
