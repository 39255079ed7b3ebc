import { SimilarityIndex, TermExtractor, type DocTerms } from './src/engine';
import { loadIssues } from './src/cli/lib/load';
import { generateBacklog } from './src/cli/lib/synthetic/backlog';
import { loadTermStats } from './src/cli/lib/synthetic/term-stats';
const cpu = (): number => process.cpuUsage().user / 1000;
async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 0);
  const issues = n > 0 ? generateBacklog(loadTermStats('../shared/datasets/hadoop-jira/issues.jsonl'), { n, seed: 7, duplicateRate: 0.05 }).issues : await loadIssues('../shared/datasets/hadoop-jira/issues.jsonl');
  const ex = new TermExtractor();
  const docs: DocTerms[] = issues.map((i) => ex.extract(i));
  const run = (c: object) => {
    const idx = new SimilarityIndex(c);
    for (const d of docs) idx.upsert(d);
    void idx.postingsCount;
    const t = cpu();
    const r = idx.scan(10);
    return { ms: cpu() - t, r, work: idx.work };
  };
  const exact = run({ maxPostingsPerTerm: 2 ** 31, maxCandidates: 2 ** 31 });
  const key = (p: { a: string; b: string }) => p.a + ' ' + p.b;
  const exactPairs = new Set(exact.r.pairs.map(key));
  console.log('exact', exact.ms.toFixed(0), exact.r.pairs.length, exact.work);
  for (const c of JSON.parse(process.argv[3] ?? '[]') as object[]) {
    const a = run(c);
    const got = a.r.pairs.filter((p) => exactPairs.has(key(p))).length;
    let nbHit = 0; let nbTot = 0;
    for (const [id, list] of exact.r.neighbours) {
      const mine = new Set((a.r.neighbours.get(id) ?? []).map((x) => x.id));
      for (const x of list) { nbTot++; if (mine.has(x.id)) nbHit++; }
    }
    console.log(JSON.stringify(c), a.ms.toFixed(0), 'pair recall', (got / exactPairs.size).toFixed(4), 'top10 recall', (nbHit / nbTot).toFixed(4), a.work);
  }
}
void main();
