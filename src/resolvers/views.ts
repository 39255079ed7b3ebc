/**
 * Stored rows → the contract's view types. Pure: no I/O, no clock.
 */
import { otherWorkNote } from '../analysis/other-work';
import { highlight, surfaceForms, tokenize } from '../engine';
import type { PairView, ReviewStatus, SharedTerm, TextSegment, Tier } from '../shared/contract';
import { duplicateByDefault } from '../shared/newer-issue';
import { toIssueRef, type DocMeta } from '../store/docs';
import type { PairRow } from '../store/review';

export function tierOf(value: string): Tier {
  return value === 'duplicate' ? 'duplicate' : 'related';
}

export function reviewStatusOf(value: string): ReviewStatus {
  return value === 'confirmed' || value === 'dismissed' ? value : 'pending';
}

export const isoOf = (ms: number | null): string | null => (ms !== null && Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null);
const iso = (ms: number): string => isoOf(ms) ?? new Date(0).toISOString();

/**
 * Index terms behind a pair, for highlighting. The pipeline stores reasons as the words
 * people wrote ("Connection"); the engine's analyser turns them back into index terms.
 */
export function termsOf(pair: PairRow): string[] {
  return [...new Set(pair.reasons.flatMap((r) => tokenize(r.term)))];
}

/**
 * Shared terms, shares clamped to 0..1. The pipeline stores the word as the summaries show
 * it, or the index term (a stem such as "inventori") when only the descriptions share it;
 * given those `texts`, such a term is shown as the first word found there instead.
 */
export function sharedTermsOf(pair: PairRow, texts: string[] = []): SharedTerm[] {
  return pair.reasons.map((r) => {
    let term = r.term;
    // A stored word that the texts do write is already as people wrote it (its case included).
    if (texts.length === 0 || writtenIn(texts, r.term)) return { term, share: Math.max(0, Math.min(1, r.share)) };
    const stems = tokenize(r.term);
    for (const text of texts) {
      const forms = surfaceForms(text, stems);
      const form = stems.map((stem) => forms.get(stem)).find((f) => f !== undefined);
      if (form !== undefined) {
        term = form;
        break;
      }
    }
    return { term, share: Math.max(0, Math.min(1, r.share)) };
  });
}

/** Han, kana or Hangul: written without spaces, so a word of them sits inside a longer run. */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function writtenIn(texts: string[], word: string): boolean {
  // A stored stretch of Chinese or Japanese (使用礼品卡时) has letters on both sides where it is written.
  if (CJK_CHAR.test(word)) return texts.some((t) => t.includes(word));
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
  return texts.some((t) => re.test(t));
}

export function segmentsOf(text: string, terms: string[]): TextSegment[] {
  const segments = highlight(text, terms);
  return segments.length > 0 ? segments : text.length > 0 ? [{ text, match: false }] : [];
}

/**
 * Why a related pair is related whatever its score (`otherWorkNote`), with the pair's own
 * projects' keys (a key of another project is missed, never invented); only where its score
 * reaches `duplicateThreshold` when that is given. Null otherwise.
 */
export function otherWorkOf(pair: PairRow, duplicateThreshold?: number): string | null {
  if (tierOf(pair.tier) !== 'related' || (duplicateThreshold !== undefined && pair.score < duplicateThreshold)) return null;
  return otherWorkNote(pair.a.summary, pair.b.summary, new Set([pair.a.projectKey, pair.b.projectKey]));
}

/**
 * A pair as the pages show it. `duplicateThreshold` (the settings' duplicate tier): given, a
 * related pair's `otherWork` note is written only when its score reaches it, that is when the
 * note is why the pair is related; below it the score alone says so.
 */
/** Who gave a dismissed pair's reason, when not the person who dismissed it (else null). */
export function reasonGiverOf(pair: Pick<PairRow, 'dismissReason' | 'dismissReasonBy' | 'decidedBy'>): string | null {
  return pair.dismissReason !== null && pair.dismissReasonBy !== null && pair.dismissReasonBy !== pair.decidedBy ? pair.dismissReasonBy : null;
}

export function pairViewOf(pair: PairRow, duplicateThreshold?: number): PairView {
  return {
    id: pair.id,
    a: toIssueRef(pair.a),
    b: toIssueRef(pair.b),
    score: pair.score,
    tier: tierOf(pair.tier),
    status: reviewStatusOf(pair.status),
    sharedTerms: sharedTermsOf(pair),
    decidedBy: pair.decidedBy,
    decidedAt: isoOf(pair.decidedMs),
    decidedInJira: pair.decidedInJira,
    dismissReason: pair.dismissReason,
    dismissReasonBy: reasonGiverOf(pair),
    // The pair's own projects' keys: a key of another project is missed (no note), never invented.
    otherWork: otherWorkOf(pair, duplicateThreshold),
    linkedInJira: pair.linkedInJira,
    firstSeenAt: iso(pair.firstSeenMs),
    lastSeenAt: iso(pair.lastSeenMs),
    clusterId: pair.clusterId,
  };
}

/** The pair's other issue, seen from `issueId`. */
export function otherSide(pair: PairRow, issueId: string): DocMeta {
  return pair.a.id === issueId ? pair.b : pair.a;
}

/** A pair's default link (`duplicateByDefault`): one already closed as a duplicate in Jira is the duplicate, else the newer one. */
export function defaultEnds(pair: PairRow): { duplicate: DocMeta; original: DocMeta } {
  const { a, b } = pair;
  return duplicateByDefault(a, b) ? { duplicate: a, original: b } : { duplicate: b, original: a };
}
