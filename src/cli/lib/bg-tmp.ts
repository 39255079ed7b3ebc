import { SimilarityIndex, TermExtractor } from '../../engine';
import { loadIssues } from './load';
async function main(): Promise<void> {
  const D = '../shared/datasets/hadoop-jira';
  const issues = await loadIssues(`${D}/issues.jsonl`);
  const byId = new Map(issues.map((i) => [i.id, i]));
  const ex = new TermExtractor();
  const index = new SimilarityIndex();
  for (const i of issues) index.upsert(ex.extract(i));
  const all = index.allPairs({ minScore: 0.2 }).filter((p) => p.score < 0.3);
  for (let i = 0; i < all.length; i += Math.floor(all.length / 25)) {
    const p = all[i];
    if (!p) continue;
    console.log(p.score.toFixed(2), '|', byId.get(p.a)?.summary, '|', byId.get(p.b)?.summary, '|', index.explain(p.a, p.b, 4).terms.map((t) => `${t.term}:${t.share.toFixed(2)}`).join(' '));
  }
}
void main();
