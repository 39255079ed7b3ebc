import { CJK_CHAR, CJK_RUN, startsWithProlongedSoundMark } from './text/cjk';
import { fallbackTerms, TextAnalyzer } from './text/tokenizer';

export interface HighlightSegment {
  text: string;
  match: boolean;
}

/** A word of a text: an identifier, a path, a version or a plain word (`SurfaceForms` reads texts by them too). */
export const COMPLEX = /[\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*(?:[.\-/:#@][\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*)*/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

export interface Span {
  start: number;
  end: number;
  term: string;
}

/** The index terms a piece of a text is matched by (`termsIn`). */
export type Terms = (piece: string) => string[];

/**
 * The terms each piece of `text` is matched by: its own. A stop word alone is no index term,
 * and `tokenize` gives it its fallback term, the word itself ("us", "on", "at"), which can be
 * the stem of a shared word ("used", "one", "ate"): every "us" of the text was marked as
 * shared. A piece without terms of its own gets the fallback only when the whole text has
 * none, a summary of stop words only ("It is not on"), which the engine indexes by exactly
 * those fallback terms. Asked of the whole text only when such a piece comes up.
 */
function termsIn(text: string, analyzer: TextAnalyzer): Terms {
  let fallbackOnly: boolean | undefined;
  return (piece) => {
    const own = analyzer.ownTerms(piece);
    if (own.length > 0) return own;
    fallbackOnly ??= analyzer.ownTerms(text).length === 0;
    return fallbackOnly ? fallbackTerms(piece) : [];
  };
}

/** Spans of `text` whose analysed terms meet `wanted`: a whole identifier if it matches, else its words. */
function matchingSpans(text: string, wanted: ReadonlySet<string>, termsOf: Terms): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(COMPLEX)) wordSpans(m[0], m.index ?? 0, wanted, termsOf, spans);
  return spans;
}

/**
 * Spans of one word of a text (a match of COMPLEX) that starts at `start`, pushed onto
 * `spans`. They depend on the word alone, never on the text around it.
 */
export function wordSpans(word: string, start: number, wanted: ReadonlySet<string>, termsOf: Terms, spans: Span[]): void {
  if (CJK_CHAR.test(word)) cjkSpans(word, start, wanted, termsOf, spans);
  else tokenSpans(word, start, wanted, termsOf, spans);
}

/**
 * Spans of a token holding CJK characters. Its CJK runs are split off as the tokenizer
 * splits them, and each bigram found in `wanted` is one span of its two characters (a
 * one-character run is a span of that character), so a shared bigram marks those two
 * characters, not the whole run. Bigrams overlap ("礼品" and "品卡"); `highlight` joins
 * such spans. What lies between the runs ("API" of "使用API时") is matched as other words.
 */
function cjkSpans(token: string, start: number, wanted: ReadonlySet<string>, termsOf: Terms, spans: Span[]): void {
  let offset = start;
  for (const part of token.split(CJK_RUN)) {
    if (part.length === 0) continue;
    if (!CJK_CHAR.test(part)) {
      for (const m of part.matchAll(COMPLEX)) tokenSpans(m[0], offset + (m.index ?? 0), wanted, termsOf, spans);
      offset += part.length;
      continue;
    }
    const chars = Array.from(part);
    if (chars.length === 1) {
      const hit = termsOf(part).find((t) => wanted.has(t));
      if (hit !== undefined) spans.push({ start: offset, end: offset + part.length, term: hit });
    }
    let at = offset;
    for (let i = 0; i + 1 < chars.length; i++) {
      const first = chars[i] ?? '';
      const pair = first + (chars[i + 1] ?? '');
      const hit = pairTerms(pair, termsOf).find((t) => wanted.has(t));
      if (hit !== undefined) spans.push({ start: at, end: at + pair.length, term: hit });
      at += first.length;
    }
    offset += part.length;
  }
}

/**
 * The terms the tokenizer gives the bigram `pair` of a run. A pair that starts with a
 * prolonged sound mark (ーバ of サーバー) is a term only inside its run: alone, the mark
 * lengthens nothing and is dropped. So it is read after a stand-in kana, whose run gives
 * two bigrams, and the second is the pair's.
 */
function pairTerms(pair: string, termsOf: Terms): string[] {
  if (!startsWithProlongedSoundMark(pair)) return termsOf(pair);
  const terms = termsOf(`ア${pair}`);
  return terms.length === 2 ? terms.slice(1) : [];
}

/** Spans of a token without CJK characters, pushed onto `spans`. */
function tokenSpans(token: string, start: number, wanted: ReadonlySet<string>, termsOf: Terms, spans: Span[]): void {
  const whole = termsOf(token).find((t) => wanted.has(t) && t.length >= token.length - 1);
  if (whole !== undefined) {
    spans.push({ start, end: start + token.length, term: whole });
    return;
  }
  for (const w of token.matchAll(WORD)) {
    const ws = start + (w.index ?? 0);
    // camelCase words inside the run: "OutputStream" -> Output, Stream
    const pieces = w[0].split(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u);
    let offset = ws;
    for (const piece of pieces) {
      const hit = termsOf(piece).find((t) => wanted.has(t));
      if (hit !== undefined) spans.push({ start: offset, end: offset + piece.length, term: hit });
      offset += piece.length;
    }
    if (pieces.length > 1) {
      const wholeHit = termsOf(w[0]).find((t) => wanted.has(t) && !pieces.includes(t));
      if (wholeHit !== undefined && !spans.some((s) => s.start >= ws && s.end <= ws + w[0].length)) {
        spans.push({ start: ws, end: ws + w[0].length, term: wholeHit });
      }
    }
  }
}

/**
 * Splits `text` into segments, marking words whose index term (stem, identifier) is in
 * `terms`. The segments concatenate back to `text` exactly.
 */
export function highlight(text: string, terms: Iterable<string>): HighlightSegment[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const wanted = new Set(terms);
  const spans = wanted.size === 0 ? [] : matchingSpans(text, wanted, termsIn(text, new TextAnalyzer()));
  const out: HighlightSegment[] = [];
  const push = (piece: string, match: boolean): void => {
    if (piece.length === 0) return;
    const last = out[out.length - 1];
    if (last && last.match === match) last.text += piece;
    else out.push({ text: piece, match });
  };
  let at = 0;
  for (const span of spans) {
    // A span inside the marked text adds nothing. One that overlaps its end (CJK bigrams
    // overlap by a character) marks the rest of it; Latin spans never overlap so.
    if (span.end <= at) continue;
    push(text.slice(at, span.start), false);
    push(text.slice(Math.max(at, span.start), span.end), true);
    at = span.end;
  }
  push(text.slice(at), false);
  return out;
}

/** For each term found in `text`, the first word as written there (stem "connect" -> "Connection"). */
export function surfaceForms(text: string, terms: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof text !== 'string' || text.length === 0) return out;
  const wanted = new Set(terms);
  if (wanted.size === 0) return out;
  const termsOf = termsIn(text, new TextAnalyzer());
  for (const span of matchingSpans(text, wanted, termsOf)) {
    if (!out.has(span.term)) out.set(span.term, text.slice(span.start, span.end));
  }
  // A whole identifier whose stem is much shorter than it ("OrderTotalsCalculator" is
  // indexed as "ordertotalscalcul") is not highlighted whole when its parts match; here it
  // still gets its written form: the token whose first term it is (an identifier's first
  // term is the whole of it).
  const rest = new Set([...wanted].filter((t) => !out.has(t)));
  if (rest.size > 0) {
    for (const m of text.matchAll(COMPLEX)) {
      // A CJK run's first term is one bigram of it, not the whole run.
      if (CJK_CHAR.test(m[0])) continue;
      const first = termsOf(m[0])[0];
      if (first === undefined || !rest.has(first)) continue;
      out.set(first, m[0]);
      rest.delete(first);
      if (rest.size === 0) break;
    }
  }
  return out;
}
