/**
 * Duplicate-retrieval quality on a labelled data set, engine against a plain TF-IDF
 * baseline, with the time-aware protocol of the dataset README.
 *
 *   npm run eval -- --issues FILE --pairs FILE [--json] [--config JSON] [--create-check]
 *
 * --create-check also prints what the create dialog's check would say on the set: each
 * issue as a draft against the issues before it, at the related and duplicate thresholds
 * and between (src/cli/lib/create-check-eval.ts).
 */
import { resolveConfig, type EngineConfig } from '../engine';
import { numberArg, parseArgs, UsageError } from './lib/args';
import { BaselineTfIdf } from './lib/baseline-tfidf';
import { EngineRanker } from './lib/engine-ranker';
import { createCheckTables } from './lib/create-check-eval';
import { buildQueries, MAP_DEPTH, scoreRankings, type Metrics } from './lib/eval-protocol';
import { InputFormatError } from './lib/issue-record';
import { idOfKeyOrId, loadIssues, loadPairs, undirectedPairs } from './lib/load';

const USAGE = 'usage: npm run eval -- --issues FILE --pairs FILE [--json] [--config \'{"summaryBlend":0.3}\'] [--create-check]';

function row(name: string, m: Metrics): string {
  const f = (x: number): string => x.toFixed(3).replace(/^0/, '');
  return `${name.padEnd(10)} ${f(m.r1)}  ${f(m.r5)}  ${f(m.r10)}  ${f(m.r20)}  ${f(m.map)}`;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['issues', 'pairs', 'config', 'depth'], flags: ['json', 'help', 'create-check'] });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const issuesFile = args.values.get('issues');
  const pairsFile = args.values.get('pairs');
  if (!issuesFile || !pairsFile) throw new UsageError('--issues and --pairs are required');
  let override: Partial<EngineConfig> = {};
  const configText = args.values.get('config');
  if (configText) {
    try {
      override = JSON.parse(configText) as Partial<EngineConfig>;
    } catch {
      throw new UsageError('--config must be a JSON object of engine settings');
    }
  }
  const depth = numberArg(args, 'depth', 20, 100000) ?? MAP_DEPTH;
  const config = resolveConfig(override);

  const issues = await loadIssues(issuesFile);
  // A pairs file may name issues by key (a Jira export's link columns do): read them as ids.
  const idOf = idOfKeyOrId(issues);
  const pairs = undirectedPairs((await loadPairs(pairsFile)).map(([a, b]): [string, string] => [idOf(a), idOf(b)]));
  const queries = buildQueries(issues, pairs);
  if (queries.length === 0) throw new InputFormatError('no pair has both issues in the issues file');
  // The protocol orders each pair by creation time: an unreadable date would make every query empty.
  const byId = new Map(issues.map((i) => [i.id, i]));
  const undated = [...new Set(pairs.flat())].map((id) => byId.get(id)).filter((i) => i !== undefined && Number.isNaN(i.createdMs));
  if (undated.length > 0) {
    const example = undated[0];
    throw new InputFormatError(
      `${undated.length} ${undated.length === 1 ? 'issue of the known pairs has' : 'issues of the known pairs have'} no readable Created date (e.g. ${example?.key ?? example?.id}: ` +
        `"${(example?.created ?? '').slice(0, 40)}"); the time-aware protocol needs one for each`,
    );
  }

  const started = performance.now();
  const engine = new EngineRanker(issues, config);
  const engineMetrics = scoreRankings(queries, (q) => engine.rankBefore(q.query, q.createdMs, depth));
  const engineMs = performance.now() - started;

  const created = new Map(issues.map((i) => [i.id, i.createdMs]));
  const baseline = new BaselineTfIdf(issues);
  const baselineMetrics = scoreRankings(queries, (q) =>
    baseline.rank(q.query, (other) => (created.get(other) ?? Infinity) < q.createdMs, depth),
  );

  // How the thresholds behave on this set: stored pairs and how many known pairs they hold.
  const stored = engine.index.allPairs();
  const known = new Set(pairs.map(([a, b]) => (a < b ? `${a} ${b}` : `${b} ${a}`)));
  const knownStored = stored.filter((p) => known.has(`${p.a} ${p.b}`));
  const knownInIndex = pairs.filter(([a, b]) => engine.index.has(a) && engine.index.has(b)).length;
  const tiers = {
    pairs: stored.length,
    duplicatePairs: stored.filter((p) => p.tier === 'duplicate').length,
    knownPairs: knownInIndex,
    knownStored: knownStored.length,
    knownDuplicateTier: knownStored.filter((p) => p.tier === 'duplicate').length,
  };

  console.log(`${issues.length} issues, ${pairs.length} known pairs, ${queries.length} queries (time-aware protocol)`);
  console.log('method      R@1   R@5   R@10  R@20  MAP');
  console.log(row('engine', engineMetrics));
  console.log(row('baseline', baselineMetrics));
  console.log(
    `thresholds duplicate ${config.thresholds.duplicate} / related ${config.thresholds.related}: ` +
      `${tiers.pairs} pairs stored (${(tiers.pairs / Math.max(1, issues.length)).toFixed(2)} per issue, ` +
      `${tiers.duplicatePairs} duplicate tier); known pairs stored ${tiers.knownStored} of ${tiers.knownPairs} ` +
      `(${tiers.knownDuplicateTier} in the duplicate tier)`,
  );
  console.log(`engine: index + ${queries.length} queries + all pairs in ${Math.round(engineMs)} ms`);
  if (args.flags.has('create-check')) {
    const { related, duplicate } = config.thresholds;
    const steps = [related, ...[0.25, 0.5, 0.75].map((f) => Math.round((related + f * (duplicate - related)) * 100) / 100), duplicate];
    for (const t of createCheckTables(engine.index, issues, queries, [...new Set(steps)])) {
      console.log(`create-dialog check, draft = ${t.draft} (top ${5} matches; ${t.others} other new issues, the first fifth of the set left out):`);
      for (const r of t.rows) {
        console.log(
          `  score >= ${r.minScore.toFixed(2)}: known duplicates named ${r.duplicatesWarned}/${t.queries}; ` +
            `other new issues warned ${r.othersWarned}/${t.others} (${Math.round((100 * r.othersWarned) / Math.max(1, t.others))} %)`,
        );
      }
    }
  }
  if (args.flags.has('json')) {
    console.log(
      JSON.stringify({ queries: queries.length, engine: engineMetrics, baseline: baselineMetrics, thresholds: tiers }),
    );
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof InputFormatError) {
    console.error(`eval: ${err.message}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  console.error(err);
  process.exitCode = 1;
});
