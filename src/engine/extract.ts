import { adfToSegments } from './text/adf';
import { normaliseSegments, type TextSegment } from './text/segments';
import { fallbackTerms, TextAnalyzer } from './text/tokenizer';
import { wikiToSegments } from './text/wiki';
import type { DocField, DocFields, DocTerms, IssueText, TermCount } from './types';

/** Distinct terms kept per field; a 1 MB log paste must not make a 1 MB vector. */
export const MAX_TERMS_PER_FIELD = 1024;

/** A description as prose and code segments, whatever form it came in. */
export function descriptionSegments(description: unknown): TextSegment[] {
  if (description === null || description === undefined) return [];
  if (typeof description === 'string') return normaliseSegments(wikiToSegments(description));
  if (typeof description === 'object') return normaliseSegments(adfToSegments(description));
  return [];
}

function sortedCounts(counts: Map<string, number>): TermCount[] {
  const entries: TermCount[] = Array.from(counts, ([term, count]) => [term, count] as const);
  entries.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return entries.length > MAX_TERMS_PER_FIELD ? entries.slice(0, MAX_TERMS_PER_FIELD) : entries;
}

function withFallback(counts: Map<string, number>, texts: string[]): Map<string, number> {
  if (counts.size > 0) return counts;
  for (const text of texts) {
    if (text.trim().length === 0) continue;
    for (const term of fallbackTerms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return counts;
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

  extract(issue: IssueText): DocTerms {
    const fields: DocFields = {};
    const put = (field: DocField, counts: Map<string, number>): void => {
      if (counts.size > 0) fields[field] = sortedCounts(counts);
    };
    const summary = typeof issue.summary === 'string' ? issue.summary : '';
    const summaryCounts = new Map<string, number>();
    this.analyzer.analyse(summary, 'prose', summaryCounts);
    put('summary', withFallback(summaryCounts, [summary]));

    const segments = descriptionSegments(issue.description);
    const prose = new Map<string, number>();
    const code = new Map<string, number>();
    for (const seg of segments) this.analyzer.analyse(seg.text, seg.kind, seg.kind === 'code' ? code : prose);
    if (prose.size === 0 && code.size === 0) withFallback(prose, segments.map((s) => s.text));
    put('description', prose);
    put('code', code);

    for (const field of ['labels', 'components'] as const) {
      const counts = new Map<string, number>();
      const values = stringList(issue[field]);
      for (const value of values) this.analyzer.analyse(value, 'prose', counts);
      put(field, withFallback(counts, values));
    }
    if (typeof issue.type === 'string') {
      const counts = new Map<string, number>();
      this.analyzer.analyse(issue.type, 'prose', counts);
      put('type', withFallback(counts, [issue.type]));
    }
    return { id: String(issue.id), fields };
  }

  /** Terms of free text in order, as the index sees them (for tests and highlighting). */
  tokenize(text: string): string[] {
    return this.analyzer.tokenize(text);
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
