import { TermExtractor, SimilarityIndex } from './src/engine';
import { loadIssues } from './src/cli/lib/load';
const cpu = (): number => process.cpuUsage().user / 1000;
async function main(): Promise<void> {
  const issues = await loadIssues('../shared/datasets/hadoop-jira/issues.jsonl');
  const ex = new TermExtractor();
  for (let r = 0; r < 3; r++) {
    let t = cpu();
    const docs = issues.map((i) => ex.extract(i));
    const te = cpu() - t; t = cpu();
    const idx = new SimilarityIndex();
    for (const d of docs) idx.upsert(d);
    const tu = cpu() - t; t = cpu();
    const p = idx.postingsCount;
    console.log('extract', te.toFixed(0), 'upsert', tu.toFixed(0), 'snapshot', (cpu() - t).toFixed(0), p);
  }
}
void main();
