import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import TfIdf from 'natural/lib/natural/tfidf/tfidf';
import { SimilarityIndex, TermExtractor } from '../../engine';
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
  const { pairs } = index.scan(10);
  const t2 = performance.now();
  return { index, indexMs: t1 - t0, neighboursMs: t2 - t1, cpu: cpuMs() - cpu0, pairs: pairs.length };
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
    total_ms: Math.round(ours.indexMs + ours.neighboursMs),
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
