import { SimilarityIndex, TermExtractor } from './src/engine';
import { loadIssues } from './src/cli/lib/load';
async function main(): Promise<void> {
  const issues = await loadIssues('../shared/datasets/hadoop-jira/issues.jsonl');
  const ex = new TermExtractor();
  const idx = new SimilarityIndex(JSON.parse(process.argv[2] ?? '{}'));
  let t = (process.cpuUsage().user / 1000);
  for (const i of issues) idx.upsert(ex.extract(i));
  console.log('extract+upsert', (process.cpuUsage().user / 1000) - t); t = (process.cpuUsage().user / 1000);
  console.log('postings', idx.postingsCount, 'snapshot', (process.cpuUsage().user / 1000) - t);
  t = (process.cpuUsage().user / 1000);
  const r = idx.scan(10);
  console.log('scan', (process.cpuUsage().user / 1000) - t, 'pairs', r.pairs.length, idx.work);
}
void main();
