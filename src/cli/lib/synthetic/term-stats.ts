import { existsSync, readFileSync } from 'node:fs';

/** Word frequencies the generator draws from: summaries and descriptions apart. */
export interface TermStats {
  source: 'dev-set' | 'built-in';
  summary: { words: string[]; weights: number[] };
  description: { words: string[]; weights: number[] };
}

const WORD = /[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*/g;

function tally(texts: Iterable<string>, minCount: number): { words: string[]; weights: number[] } {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of text.match(WORD) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const entries = Array.from(counts).filter(([, c]) => c >= minCount);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { words: entries.map(([w]) => w), weights: entries.map(([, c]) => c) };
}

/** A small tracker vocabulary with Zipf weights, for machines without the dev set. */
const BUILT_IN = (
  'the to a is in of and for when not with on be fails error test should file this it from after ' +
  'add support use are by can update data configuration client server node cluster job task memory ' +
  'timeout exception null pointer thread lock queue cache disk write read stream buffer block storage ' +
  'network connection request response retry token auth user permission service api endpoint config ' +
  'build release version upgrade dependency library module plugin docs documentation fix improve ' +
  'performance slow leak crash hang startup shutdown restart log logging metric metrics monitor alert ' +
  'index search query table schema column row record batch import export sync async event handler ' +
  'scheduler worker pool executor container image deploy deployment rollback migration database ' +
  'replication snapshot backup restore compression encryption key secret certificate ssl tls proxy ' +
  'gateway route load balancer region zone account bucket object path directory rename delete create ' +
  'list open close flush commit abort transaction checksum validation parse format json xml csv'
).split(' ');

export function loadTermStats(devSetJsonl: string | null): TermStats {
  if (devSetJsonl && existsSync(devSetJsonl)) {
    const summaries: string[] = [];
    const descriptions: string[] = [];
    for (const line of readFileSync(devSetJsonl, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { summary?: unknown; description?: unknown };
      if (typeof row.summary === 'string') summaries.push(row.summary);
      if (typeof row.description === 'string') descriptions.push(row.description);
    }
    return { source: 'dev-set', summary: tally(summaries, 1), description: tally(descriptions, 2) };
  }
  const weights = BUILT_IN.map((_, i) => 1 / (i + 1));
  return {
    source: 'built-in',
    summary: { words: BUILT_IN, weights },
    description: { words: BUILT_IN, weights },
  };
}
