import { adfToSegments } from './text/adf';
import { normaliseSegments, type TextSegment } from './text/segments';
import { fallbackTerms, TextAnalyzer } from './text/tokenizer';
import { wikiToSegments } from './text/wiki';
import { TermCounter } from './text/term-counter';
import { setTermIdHint, type TermIdHint } from './term-hints';
import type { DocField, DocFields, DocTerms, IssueText } from './types';

/** Distinct terms kept per field; a 1 MB log paste must not make a 1 MB vector. */
export const MAX_TERMS_PER_FIELD = 1024;

/** A description as prose and code segments, whatever form it came in. */
export function descriptionSegments(description: unknown): TextSegment[] {
  if (description === null || description === undefined) return [];
  if (typeof description === 'string') return normaliseSegments(wikiToSegments(description));
  if (typeof description === 'object') return normaliseSegments(adfToSegments(description));
  return [];
}

/** Counts for text the analyser reduced to nothing (see `fallbackTerms`). */
function addFallback(counter: TermCounter, texts: string[]): void {
  if (counter.size > 0) return;
  for (const text of texts) {
    if (text.trim().length === 0) continue;
    for (const term of fallbackTerms(text)) counter.addTerm(term);
  }
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

/**
 * Analyses issues into per-field term counts. Reuse one extractor across a batch:
 * it caches stems (the Porter stemmer is the slowest step).
 */
export class TermExtractor {
  private readonly analyzer = new TextAnalyzer();
  private readonly counters = new Map<DocField, TermCounter>();

  private counter(field: DocField): TermCounter {
    let c = this.counters.get(field);
    if (!c) {
      c = new TermCounter(this.analyzer.vocabulary);
      this.counters.set(field, c);
    }
    return c;
  }

  extract(issue: IssueText): DocTerms {
    this.analyzer.trimCaches();
    const fields: DocFields = {};
    const vocabulary = this.analyzer.vocabulary;
    const hint: TermIdHint = { vocabulary: vocabulary.token, generation: vocabulary.generation, fields: {} };
    const put = (field: DocField, counter: TermCounter): void => {
      if (counter.size === 0) return;
      const ids: number[] = [];
      fields[field] = counter.drain(MAX_TERMS_PER_FIELD, ids);
      hint.fields[field] = ids;
    };
    const summary = typeof issue.summary === 'string' ? issue.summary : '';
    const summaryCounter = this.counter('summary');
    this.analyzer.analyse(summary, 'prose', summaryCounter);
    addFallback(summaryCounter, [summary]);
    put('summary', summaryCounter);

    const segments = descriptionSegments(issue.description);
    const prose = this.counter('description');
    const code = this.counter('code');
    for (const seg of segments) this.analyzer.analyse(seg.text, seg.kind, seg.kind === 'code' ? code : prose);
    if (prose.size === 0 && code.size === 0) addFallback(prose, segments.map((s) => s.text));
    put('description', prose);
    put('code', code);

    for (const field of ['labels', 'components'] as const) {
      const counter = this.counter(field);
      const values = stringList(issue[field]);
      for (const value of values) this.analyzer.analyse(value, 'prose', counter);
      addFallback(counter, values);
      put(field, counter);
    }
    if (typeof issue.type === 'string') {
      const counter = this.counter('type');
      this.analyzer.analyse(issue.type, 'prose', counter);
      addFallback(counter, [issue.type]);
      put('type', counter);
    }
    const doc: DocTerms = { id: String(issue.id), fields };
    setTermIdHint(doc, hint);
    return doc;
  }

  /** Terms of free text in order, as the index sees them (for tests and highlighting). */
  tokenize(text: string): string[] {
    return this.analyzer.tokenize(text);
  }

  /** `tokenize` without its fallback: empty for a stop word alone ("us", "on"). */
  ownTerms(text: string): string[] {
    return this.analyzer.ownTerms(text);
  }

  /** Forgets the analyser's cached words when its caches have grown past their limits; call between documents. */
  trimCaches(): void {
    this.analyzer.trimCaches();
  }

  stem(word: string): string {
    return this.analyzer.stem(word);
  }
}

/** Tokenises and stems one issue. Pure; for batches prefer one `TermExtractor`. */
export function extractTerms(issue: IssueText): DocTerms {
  return new TermExtractor().extract(issue);
}

/** Terms of free text in order; never empty when the text has a visible character. */
export function tokenize(text: string): string[] {
  return new TextAnalyzer().tokenize(text);
}
