/**
 * What a step does after it marks its batch done must survive a failure at any point: the
 * platform delivers the event again, whose claim then finds the batch done. Each test first
 * records, in a clean run, every SQL statement and KVS request a step sends after the
 * statement that marks its batch done; then, in turn, fails each of them once, and checks
 * that the run still ends as the clean one did: status `done` (once), the same counters and
 * pairs, its markers written, its run plan deleted.
 */
import type { SeedData } from '../../sandbox/jira';
import { cancelRun, getRun, startRun } from '../../src/analysis/run-control';
import type { RunScope } from '../../src/shared/contract';
import { devsetSubset, hasDevset, pairFingerprint, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;

const LOST_CONNECTION = { code: 'SQL_EXECUTION_ERROR', status: 500, message: 'Lost connection to the database' } as const;

/** One statement or request of a step's tail, as a test names it. */
interface Op {
  kind: 'sql' | 'kvs';
  what: string;
}

/** Whether this statement marks `batch` done (an UPDATE of its row, or an upsert of rows that include it). */
function marksDone(query: string, params: readonly unknown[], batch: string): boolean {
  if (/^\s*UPDATE run_batches SET state = 'done'/.test(query)) return params[6] === batch;
  return /^\s*INSERT INTO run_batches .*ON DUPLICATE KEY UPDATE state = 'done'/s.test(query) && params.includes(batch);
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Which operations after the batch is done belong to its step: given the queue's push count
 * when the batch was marked done, whether the tail goes on.
 */
type Within = (env: Env, pushedAtDone: number) => boolean;

/**
 * Watches the operations that follow the statement marking `batch` done, in order, while
 * `within` holds: records them, and fails the one at `failAt` (0-based) once. KVS requests
 * are seen through holds released at once, one planned at a time.
 */
function watchTail(env: Env, batch: string, within: Within, failAt: number | null): { ops: Op[]; failed: () => Op | null; stop: () => void } {
  const ops: Op[] = [];
  let started = false;
  let pushedAtDone = 0;
  let stopped = false;
  let failed: Op | null = null;
  const next = (op: Op): boolean => {
    if (stopped || !started || failed !== null || !within(env, pushedAtDone)) return false;
    ops.push(op);
    if (ops.length - 1 !== failAt) return false;
    failed = op;
    return true;
  };
  const watchKvs = (): void => {
    const hold = env.forge.kvs.faults.holdNext({});
    void hold.arrived.then((request) => {
      const key = request.keys[0] ?? '';
      if (next({ kind: 'kvs', what: `${request.route} ${key.replace(/^run-plan:.*/, 'run-plan:<run>')}` })) env.forge.kvs.faults.failNext(1, { match: { route: request.route, key } });
      if (!stopped && failed === null) watchKvs();
      hold.release();
    });
  };
  const unobserve = env.forge.sql.observe((query, params) => {
    if (!started) {
      if (marksDone(query, params, batch)) {
        started = true;
        pushedAtDone = env.forge.queue.stats().pushed;
        watchKvs();
      }
      return;
    }
    // Observers run before an injected failure is taken: arming here fails this statement.
    if (next({ kind: 'sql', what: query.trim().replace(/\s+/g, ' ').slice(0, 90) })) env.forge.sql.faults.failNext(1, { match: exactly(query), ...LOST_CONNECTION });
  });
  return {
    ops,
    failed: () => failed,
    stop: () => {
      if (stopped) return;
      stopped = true;
      unobserve();
      env.forge.kvs.faults.clear();
    },
  };
}

interface Outcome {
  status: string | undefined;
  counters: unknown;
  pairs: string[];
  /** Run markers that do not name this run. */
  staleMarkers: string[];
  runPlanKept: boolean;
  openBatches: string[];
  /** Log lines saying this run is done: one per move to `done`. */
  doneLines: number;
}

async function outcomeOf(env: Env, runId: string, markerKeys: string[], doneLines: number): Promise<Outcome> {
  const run = await getRun(runId);
  const kvs = await env.forge.kvs.dump();
  const open = (await env.forge.sql.query("SELECT batch_no FROM run_batches WHERE run_id = ? AND state <> 'done' ORDER BY batch_no", [runId])) as Array<{ batch_no: string }>;
  return {
    status: run?.status,
    counters: run && { fetched: run.counters.fetched, indexed: run.counters.indexed, scored: run.counters.scored, pairs: run.counters.pairs },
    pairs: await pairFingerprint(env.forge),
    staleMarkers: markerKeys.filter((k) => (kvs.get(k) as { runId?: string } | undefined)?.runId !== runId),
    runPlanKept: kvs.has(`run-plan:${runId}`),
    openBatches: open.map((r) => r.batch_no),
    doneLines,
  };
}

/**
 * A clean run of `scope`, then one run per operation of the tail of `batch`, that operation
 * failed once. Returns the clean outcome, the tail, and each failed run's outcome.
 */
async function failEachInTurn(
  env: Env,
  scope: RunScope,
  batch: string,
  markerKeys: string[],
  within: Within,
): Promise<{ clean: Outcome; tail: Op[]; failed: Array<{ op: Op | null; retried: boolean; outcome: Outcome }> }> {
  const info = jest.spyOn(console, 'info');
  const doneLines = (runId: string): number => info.mock.calls.filter((c) => String(c[0]).startsWith(`analysis: run ${runId} done`)).length;
  const analyse = async (failAt: number | null): Promise<{ ops: Op[]; op: Op | null; retried: boolean; outcome: Outcome }> => {
    const retried = env.forge.queue.stats().retried;
    const watch = watchTail(env, batch, within, failAt);
    try {
      const { run } = await startRun({ scope, trigger: 'manual', startedBy: 'admin-1' });
      await env.forge.queue.settle(120_000);
      watch.stop(); // the test's own reads are no part of the tail
      const outcome = await outcomeOf(env, run.runId, markerKeys, doneLines(run.runId));
      // A run left live (the failure stopped it) is cancelled, so the next one is not joined to it.
      if (outcome.status !== 'done') await cancelRun(run.runId, null);
      return { ops: [...watch.ops], op: watch.failed(), retried: env.forge.queue.stats().retried > retried, outcome };
    } finally {
      watch.stop();
    }
  };
  try {
    const clean = await analyse(null);
    const failed = [];
    for (let n = 0; n < clean.ops.length; n++) {
      const { op, retried, outcome } = await analyse(n);
      failed.push({ op, retried, outcome });
    }
    return { clean: clean.outcome, tail: clean.ops, failed };
  } finally {
    info.mockRestore();
  }
}

/** The dev-set slice as HADOOP, with its last `mob` issues moved to a second project, MOB. */
function twoProjectSeed(size: number, mob: number): SeedData {
  const seed = devsetSubset(size);
  return {
    projects: [...seed.projects, { id: '10001', key: 'MOB', name: 'Mobile' }],
    issues: seed.issues.map((issue, n) => (n >= size - mob ? { ...issue, projectKey: 'MOB' } : issue)),
  };
}

maybe('a step failing after its batch is done, at each statement in turn', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  it('score: the run of every project ends done once, with its markers and without its plan', async () => {
    env = await startEnv({ seed: twoProjectSeed(240, 40), settings: { projects: ['HADOOP', 'MOB'] } });
    const markers = ['last-success:all', 'last-success:project:HADOOP', 'last-success:project:MOB'];
    // The score step is the run's last: its tail is all that follows its batch.
    const { clean, tail, failed } = await failEachInTurn(env, { kind: 'all' }, 'score', markers, () => true);
    expect(clean).toMatchObject({ status: 'done', staleMarkers: [], runPlanKept: false, openBatches: [], doneLines: 1 });
    expect(clean.pairs.length).toBeGreaterThan(10);
    // The markers (KVS) and the status (SQL) at least.
    expect(tail.filter((op) => op.kind === 'kvs' && op.what.startsWith('set last-success:'))).toHaveLength(3);
    expect(tail.some((op) => op.kind === 'sql' && op.what.startsWith('UPDATE runs SET status'))).toBe(true);
    expect(failed.map((f) => ({ op: f.op, retried: f.retried, ...f.outcome }))).toEqual(tail.map((op) => ({ op, retried: true, ...clean })));
  }, 300_000);

  it('fetch: the chain ends and score is pushed, whichever statement after the step\'s batch fails', async () => {
    env = await startEnv({ seed: devsetSubset(200) });
    // 200 issues: one chain of one step, f.0.0. Its tail ends where it pushes `score`.
    const { clean, tail, failed } = await failEachInTurn(
      env,
      { kind: 'project', projectKey: 'HADOOP' },
      'f.0.0',
      ['last-success:project:HADOOP'],
      (e, pushedAtDone) => e.forge.queue.stats().pushed === pushedAtDone,
    );
    expect(clean).toMatchObject({ status: 'done', staleMarkers: [], runPlanKept: false, openBatches: [], doneLines: 1 });
    expect(tail.length).toBeGreaterThan(0);
    expect(failed.map((f) => ({ op: f.op, retried: f.retried, ...f.outcome }))).toEqual(tail.map((op) => ({ op, retried: true, ...clean })));
  }, 300_000);
});
