/**
 * Speed benchmark on synthetic backlogs that grow like real ones.
 *
 *   npm run bench -- [--sizes 5000,20000,100000] [--naive-sizes 1000,2000] [--seed 1]
 *                    [--recall N] [--dump DIR] [--json]
 *
 * --recall N also measures, on an N-issue backlog, how much of what an exhaustive search
 * finds the default pruning finds (pairs at or above related, top-10 neighbours).
 *
 * Each size runs in its own child process, so peak RSS is that size's own maximum
 * resident set (process.resourceUsage().maxRSS of the child).
 *
 * `npm run bench` runs this file bundled, under plain node (tools/run-bundled.mjs), as the
 * app ships; under tsx the same scan is slower.
 *
 * The speed-up against the naive baseline divides by our cold run in a fresh process (one
 * analysis run); the warm rerun is printed beside it, to show what is JIT warm-up. The
 * baseline is the recipe as commonly written (each issue's text handed to natural's
 * `tfidfs`); the same search with each query tokenised once first is measured and printed
 * beside it, with its own ratio.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, UsageError, type ParsedArgs } from './lib/args';
import {
  measureNaive,
  measureRecall,
  measureSize,
  prepareBacklog,
  type BacklogSpec,
  type NaiveResult,
  type RecallResult,
  type SizeResult,
} from './lib/bench-run';

const USAGE =
  'usage: npm run bench -- [--sizes 5000,20000,100000] [--naive-sizes 1000,2000] [--recall N] [--seed N] [--dump DIR] [--json]';
const DEV_SET = resolve(__dirname, '..', '..', '..', 'shared', 'datasets', 'hadoop-jira', 'issues.jsonl');

type ChildRequest =
  | { kind: 'prepare'; spec: BacklogSpec; dir: string }
  | { kind: 'size'; spec: BacklogSpec; file: string; source: string }
  | { kind: 'naive' | 'recall'; spec: BacklogSpec };
type Prepared = { file: string; source: string };
type Measured = SizeResult | NaiveResult | RecallResult | Prepared;
type ChildReply = { ok: true; result: Measured } | { ok: false; error: string };

function sizes(args: ParsedArgs, name: string, fallback: number[]): number[] {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 10 || n > 2_000_000)) {
    throw new UsageError(`--${name} takes whole numbers between 10 and 2000000, comma-separated`);
  }
  return list;
}

function inChild(request: ChildRequest): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(__filename, ['--child'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: ChildReply | undefined;
    child.on('message', (m) => {
      reply = m as ChildReply;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (reply?.ok) resolvePromise(reply.result);
      else reject(new Error(reply && !reply.ok ? reply.error : `benchmark child exited with code ${String(code)}`));
    });
    child.send(request);
  });
}

function childMain(): void {
  process.once('message', (m) => {
    const request = m as ChildRequest;
    let reply: ChildReply;
    try {
      let result: Measured;
      if (request.kind === 'prepare') result = prepareBacklog(request.spec, request.dir);
      else if (request.kind === 'size') result = measureSize(request.spec, request.file, request.source);
      else result = request.kind === 'naive' ? measureNaive(request.spec) : measureRecall(request.spec);
      reply = { ok: true, result };
    } catch (err) {
      reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    process.send?.(reply, () => process.disconnect());
  });
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['sizes', 'naive-sizes', 'seed', 'dump', 'recall'], flags: ['json', 'help'] });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const ns = sizes(args, 'sizes', [5000, 20000, 100000]);
  const naiveNs = sizes(args, 'naive-sizes', [1000, 2000]);
  const recallN = sizes(args, 'recall', []);
  if (recallN.length > 1) throw new UsageError('--recall takes one size');
  const seed = Number(args.values.get('seed') ?? 1);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  const dumpDir = args.values.get('dump') ?? null;
  const devSet = existsSync(DEV_SET) ? DEV_SET : null;
  const spec = (n: number): BacklogSpec => ({ n, seed, devSet });

  console.log(`term statistics: ${devSet ? 'dev set (' + DEV_SET + ')' : 'built-in distribution (dev set not found)'}`);
  console.log('     n  vocabulary   postings    pairs  index ms  neighb ms  total ms    cpu ms  peak RSS MB');
  const results: SizeResult[] = [];
  // Each backlog is generated and written by one child and measured by another, so the
  // measuring process holds only the engine and one page of issues at a time.
  const scratch = dumpDir ?? mkdtempSync(join(tmpdir(), 'dedupe-bench-'));
  for (const n of ns) {
    const prepared = (await inChild({ kind: 'prepare', spec: spec(n), dir: scratch })) as Prepared;
    const r = (await inChild({ kind: 'size', spec: spec(n), ...prepared })) as SizeResult;
    results.push(r);
    console.log(
      `${String(r.n).padStart(6)}  ${String(r.vocabulary).padStart(10)}  ${String(r.postings).padStart(9)}  ${String(r.pairs).padStart(7)}` +
        `  ${String(r.index_ms).padStart(8)}  ${String(r.neighbours_ms).padStart(9)}  ${String(r.total_ms).padStart(8)}` +
        `  ${String(r.cpu_ms).padStart(8)}  ${String(r.peak_rss_mb).padStart(11)}`,
    );
  }
  if (!dumpDir) rmSync(scratch, { recursive: true, force: true });
  const naive: NaiveResult[] = [];
  for (const n of naiveNs) {
    const r = (await inChild({ kind: 'naive', spec: spec(n) })) as NaiveResult;
    naive.push(r);
    console.log(
      `naive natural TfIdf n=${r.n}: ${r.total_ms} ms (cpu ${r.cpu_ms}), ${r.pretokenised_ms} ms with each query tokenised once; ` +
        `ours on the same data: ${r.ours_ms} ms (cpu ${r.ours_cpu_ms}), cold, in a fresh process; ${r.ours_warm_ms} ms run again in that process`,
    );
  }
  let recall: RecallResult | null = null;
  for (const n of recallN) {
    recall = (await inChild({ kind: 'recall', spec: spec(n) })) as RecallResult;
    console.log(
      `pruning vs exhaustive search, n=${recall.n}: ${(recall.pair_recall * 100).toFixed(2)}% of ${recall.exact_pairs} pairs, ` +
        `${(recall.top10_recall * 100).toFixed(2)}% of top-10 neighbours (scan ${recall.scan_ms} ms, exhaustive ${recall.exact_scan_ms} ms)`,
    );
  }
  const largest = naive[naive.length - 1];
  const speedup = largest && largest.ours_ms > 0 ? largest.total_ms / largest.ours_ms : null;
  const speedupPretokenised = largest && largest.ours_ms > 0 ? largest.pretokenised_ms / largest.ours_ms : null;
  if (largest && speedup !== null && speedupPretokenised !== null) {
    console.log(`speed-up at n=${largest.n}: ${speedup.toFixed(1)}x (${speedupPretokenised.toFixed(1)}x against the baseline with each query tokenised once)`);
  }
  if (args.flags.has('json')) {
    console.log(
      JSON.stringify({
        sizes: results.map(({ n, index_ms, neighbours_ms, total_ms, peak_rss_mb, vocabulary, postings, pairs, cpu_ms }) => ({
          n, index_ms, neighbours_ms, total_ms, peak_rss_mb, vocabulary, postings, pairs, cpu_ms,
        })),
        naive: largest ? { n: largest.n, total_ms: largest.total_ms, pretokenised_ms: largest.pretokenised_ms } : null,
        ours_at_naive_n_ms: largest ? largest.ours_ms : null,
        ours_warm_at_naive_n_ms: largest ? largest.ours_warm_ms : null,
        speedup: speedup === null ? null : Math.round(speedup * 10) / 10,
        speedup_pretokenised: speedupPretokenised === null ? null : Math.round(speedupPretokenised * 10) / 10,
        ...(recall ? { recall } : {}),
      }),
    );
  }
}

if (process.argv.includes('--child')) {
  childMain();
} else {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  });
}
