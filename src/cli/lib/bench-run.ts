import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import TfIdf from 'natural/lib/natural/tfidf/tfidf';
import { SimilarityIndex, TermExtractor, type ScanResult } from '../../engine';
import type { IssueRecord } from './issue-record';
import { generateBacklog } from './synthetic/backlog';
import { loadTermStats } from './synthetic/term-stats';

/** What one child process measures for one backlog size. */
export interface SizeResult {
  n: number;
  vocabulary: number;
  postings: number;
  pairs: number;
  index_ms: number;
  neighbours_ms: number;
  total_ms: number;
  /** CPU time of the measured work (user + system), for a machine shared with others. */
  cpu_ms: number;
  peak_rss_mb: number;
  termStats: string;
}

export interface NaiveResult {
  n: number;
  total_ms: number;
  cpu_ms: number;
  ours_ms: number;
  ours_cpu_ms: number;
}

export interface BacklogSpec {
  n: number;
  seed: number;
  devSet: string | null;
  dumpDir: string | null;
}

const DUPLICATE_RATE = 0.05;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function makeBacklog(spec: BacklogSpec): { issues: IssueRecord[]; source: string } {
  const stats = loadTermStats(spec.devSet);
  const backlog = generateBacklog(stats, { n: spec.n, seed: spec.seed, duplicateRate: DUPLICATE_RATE });
  if (spec.dumpDir) {
    mkdirSync(spec.dumpDir, { recursive: true });
    const lines = backlog.issues.map((i) =>
      JSON.stringify({ id: i.id, key: i.key, summary: i.summary, description: i.description, created: i.created, type: i.type, components: i.components }),
    );
    writeFileSync(join(spec.dumpDir, `backlog-${spec.n}.jsonl`), lines.join('\n') + '\n');
    writeFileSync(join(spec.dumpDir, `backlog-${spec.n}-pairs.csv`), 'id_a,id_b\n' + backlog.pairs.map((p) => p.join(',')).join('\n') + '\n');
  }
  return { issues: backlog.issues, source: stats.source };
}

/** Tokenise + index, then top 10 and all pairs above the related threshold, timed. */
function runOurs(issues: IssueRecord[]): { index: SimilarityIndex; indexMs: number; neighboursMs: number; cpu: number; pairs: number } {
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const extractor = new TermExtractor();
  const index = new SimilarityIndex();
  for (const issue of issues) index.upsert(extractor.extract(issue));
  void index.postingsCount; // builds the weighted snapshot: part of indexing
  const t1 = performance.now();
  // Columns (ScanResult), as a pipeline consumes them: a million pair objects would be
  // the caller's choice, not the engine's work.
  const result = index.scanAll(10);
  const t2 = performance.now();
  return { index, indexMs: t1 - t0, neighboursMs: t2 - t1, cpu: cpuMs() - cpu0, pairs: result.pairCount };
}

export function measureSize(spec: BacklogSpec): SizeResult {
  const { issues, source } = makeBacklog(spec);
  const ours = runOurs(issues);
  return {
    n: spec.n,
    vocabulary: ours.index.vocabularySize,
    postings: ours.index.postingsCount,
    pairs: ours.pairs,
    index_ms: Math.round(ours.indexMs),
    neighbours_ms: Math.round(ours.neighboursMs),
    // The sum of the two printed parts, so the printed figures add up.
    total_ms: Math.round(ours.indexMs) + Math.round(ours.neighboursMs),
    cpu_ms: Math.round(ours.cpu),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    termStats: source,
  };
}

const NATURAL_WORD = /[^A-Za-z\u0400-\u04FF0-9_]+/;

/**
 * The naive baseline: natural's TfIdf, every issue's text added as a document, then
 * `tfidfs` per issue over all issues and the top 10 picked. The query is tokenised once
 * (as natural's own word tokenizer would) so natural is not charged for re-tokenising it
 * per document.
 */
export function measureNaive(spec: BacklogSpec): NaiveResult {
  const { issues } = makeBacklog(spec);
  const texts = issues.map((i) => `${i.summary} ${typeof i.description === 'string' ? i.description : ''}`);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const tfidf = new TfIdf();
  for (const text of texts) tfidf.addDocument(text);
  let checksum = 0;
  texts.forEach((text, q) => {
    const terms = text.toLowerCase().split(NATURAL_WORD).filter((t) => t.length > 0);
    const scores = tfidf.tfidfs(terms);
    const top = scores
      .map((s, d) => [s, d] as const)
      .filter(([, d]) => d !== q)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 10);
    checksum += top.length;
  });
  const total = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  if (checksum < 0) throw new Error('unreachable');
  const ours = runOurs(issues);
  return {
    n: spec.n,
    total_ms: Math.round(total),
    cpu_ms: Math.round(cpu),
    ours_ms: Math.round(ours.indexMs + ours.neighboursMs),
    ours_cpu_ms: Math.round(ours.cpu),
  };
}

export interface RecallResult {
  n: number;
  /** Pairs at or above the related threshold that the exhaustive search finds. */
  exact_pairs: number;
  /** Share of those the default search finds too. */
  pair_recall: number;
  /** Share of the exhaustive top-10 neighbours (by issue) the default search returns. */
  top10_recall: number;
  /** Default and exhaustive scan times (the exhaustive one reads every posting). */
  scan_ms: number;
  exact_scan_ms: number;
}

/** Settings under which the search reads every posting and scores every candidate. */
const EXHAUSTIVE = { maxPostingsPerTerm: 2 ** 31, maxCandidates: 2 ** 31, candidateTerms: 4096, impactFloor: 0 };

/**
 * How much the default pruning gives up: the default scan against an exhaustive one on the
 * same backlog (same IDF, same vectors; only the candidate generation differs).
 */
export function measureRecall(spec: BacklogSpec): RecallResult {
  const { issues } = makeBacklog(spec);
  const extractor = new TermExtractor();
  const docs = issues.map((issue) => extractor.extract(issue));
  const scan = (config: object): { result: ScanResult; ms: number } => {
    const index = new SimilarityIndex(config);
    for (const doc of docs) index.upsert(doc);
    void index.postingsCount;
    const t0 = performance.now();
    const result = index.scanAll(10);
    return { result, ms: performance.now() - t0 };
  };
  const exact = scan(EXHAUSTIVE);
  const ours = scan({});
  const key = (r: ScanResult, i: number): number => (r.pairA[i] ?? 0) * r.ids.length + (r.pairB[i] ?? 0);
  const exactPairs = new Set<number>();
  for (let i = 0; i < exact.result.pairCount; i++) exactPairs.add(key(exact.result, i));
  let pairsFound = 0;
  for (let i = 0; i < ours.result.pairCount; i++) if (exactPairs.has(key(ours.result, i))) pairsFound++;
  let neighbours = 0;
  let neighboursFound = 0;
  for (let slot = 0; slot < docs.length; slot++) {
    const want = new Set(exact.result.neighboursOf(slot).map((n) => n.id));
    neighbours += want.size;
    for (const n of ours.result.neighboursOf(slot)) if (want.has(n.id)) neighboursFound++;
  }
  const ratio = (x: number, total: number): number => (total === 0 ? 1 : Math.round((x / total) * 1e5) / 1e5);
  return {
    n: spec.n,
    exact_pairs: exact.result.pairCount,
    pair_recall: ratio(pairsFound, exact.result.pairCount),
    top10_recall: ratio(neighboursFound, neighbours),
    scan_ms: Math.round(ours.ms),
    exact_scan_ms: Math.round(exact.ms),
  };
}
