import { SimilarityIndex, TermExtractor } from '../../engine';
import { loadIssues, loadPairs } from './load';
async function main(): Promise<void> {
  const D = '../shared/datasets/hadoop-jira';
  const issues = await loadIssues(`${D}/issues.jsonl`);
  const pairs = await loadPairs(`${D}/pairs.csv`);
  const ex = new TermExtractor();
  const index = new SimilarityIndex(JSON.parse(process.argv[2] ?? '{}'));
  for (const i of issues) index.upsert(ex.extract(i));
  const scores = pairs.map(([a, b]) => index.explain(a, b).score).sort((x, y) => x - y);
  console.log('known pair scores', scores.map((s) => s.toFixed(2)).join(' '));
  const t0 = performance.now();
  const all = index.allPairs({ minScore: 0.1 });
  console.log('allPairs ms', performance.now() - t0);
  for (const t of [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6]) {
    console.log(t, all.filter((p) => p.score >= t).length, scores.filter((s) => s >= t).length);
  }
}

async function main2(): Promise<void> {
  const D = '../shared/datasets/hadoop-jira';
  const issues = await loadIssues(`${D}/issues.jsonl`);
  const pairs = await loadPairs(`${D}/pairs.csv`);
  const known = new Set(pairs.map(([a, b]) => (a < b ? `${a} ${b}` : `${b} ${a}`)));
  const ex = new TermExtractor();
  const index = new SimilarityIndex(JSON.parse(process.argv[2] ?? '{}'));
  for (const i of issues) index.upsert(ex.extract(i));
  const top = index.topK(10);
  for (const n of [1, 2, 3, 5]) {
    for (const t of [0.12, 0.15, 0.18, 0.2]) {
      const set = new Map<string, number>();
      for (const [id, list] of top) {
        for (const nb of list.slice(0, n)) {
          if (nb.score < t) continue;
          const key = id < nb.id ? `${id} ${nb.id}` : `${nb.id} ${id}`;
          set.set(key, nb.score);
        }
      }
      let k = 0;
      for (const key of set.keys()) if (known.has(key)) k++;
      console.log(`top${n} t${t}: pairs ${set.size} known ${k}`);
    }
  }
}

void main();
