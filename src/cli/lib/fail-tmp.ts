import { SimilarityIndex, TermExtractor } from '../../engine';
import { buildQueries } from './eval-protocol';
import { loadIssues, loadPairs } from './load';
async function main(): Promise<void> {
  const D = '../shared/datasets/hadoop-jira';
  const issues = await loadIssues(`${D}/issues.jsonl`);
  const pairs = await loadPairs(`${D}/pairs.csv`);
  const queries = buildQueries(issues, pairs);
  const byId = new Map(issues.map((i) => [i.id, i]));
  const ex = new TermExtractor();
  const index = new SimilarityIndex(JSON.parse(process.argv[2] ?? '{}'));
  for (const i of issues) index.upsert(ex.extract(i));
  const created = new Map(issues.map((i) => [i.id, i.createdMs]));
  for (const q of queries) {
    const ranked = index.neighbours(q.query, 1000, { minScore: 0, accept: (o) => (created.get(o) ?? Infinity) < q.createdMs });
    const first = ranked.findIndex((n) => q.relevant.has(n.id));
    if (first >= 0 && first < Number(process.env["MINR"] ?? 3)) continue;
    const rel = [...q.relevant][0] ?? '';
    console.log(`rank ${first + 1}  Q ${q.query}: ${byId.get(q.query)?.summary}\n   REL ${rel}: ${byId.get(rel)?.summary} (${ranked[first]?.score})\n   TOP ${ranked[0]?.id}: ${byId.get(ranked[0]?.id ?? '')?.summary} (${ranked[0]?.score})`);
    console.log('   expl', JSON.stringify(index.explain(q.query, rel, 6).terms.map((t) => t.term)));
  }
}
void main();
