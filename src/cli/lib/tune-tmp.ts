import { SimilarityIndex, TermExtractor, type EngineConfig, type DocTerms } from '../../engine';
import { buildQueries, scoreRankings } from './eval-protocol';
import { loadIssues, loadPairs } from './load';

async function main(): Promise<void> {
  const D = '../shared/datasets/hadoop-jira';
  const issues = await loadIssues(`${D}/issues.jsonl`);
  const pairs = await loadPairs(`${D}/pairs.csv`);
  const queries = buildQueries(issues, pairs);
  const ex = new TermExtractor();
  const docs: DocTerms[] = issues.map((i) => ex.extract(i));
  const created = new Map(issues.map((i) => [i.id, i.createdMs]));
  const configs = JSON.parse(process.argv[2] ?? '[{}]') as Array<Partial<EngineConfig>>;
  for (const c of configs) {
    const index = new SimilarityIndex(c);
    for (const d of docs) index.upsert(d);
    const m = scoreRankings(queries, (q) =>
      index.neighbours(q.query, 1000, { minScore: 0, accept: (o) => (created.get(o) ?? Infinity) < q.createdMs }).map((n) => n.id),
    );
    console.log(JSON.stringify(m), JSON.stringify(c));
  }
}
void main();
