import { startRun, getRunStatus } from '../../src/analysis/run-control';
import { hasDevset, knownPairs, pairFingerprint, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
if (!hasDevset) console.warn('pipeline tests: ../shared/datasets/hadoop-jira is absent; dev-set tests skipped');

maybe('full analysis of the dev set', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ devset: true });
  }, 60_000);
  afterAll(async () => env?.stop());

  it('finds the known pairs and a second run gives identical pairs', async () => {
    const t0 = Date.now();
    // Pair ids in the order the run inserts them (each row's first parameter is its id).
    const inserted: string[] = [];
    const unobserve = env.forge.sql.observe((query, params) => {
      if (!/^\s*INSERT INTO pairs\b/.test(query)) return;
      const perRow = params.length / (query.match(/\(\?/g) ?? []).length;
      for (let i = 0; i < params.length; i += perRow) inserted.push(String(params[i]));
    });
    const { run, joined } = await startRun({ scope: { kind: 'project', projectKey: 'HADOOP' }, trigger: 'manual', startedBy: 'admin-1' });
    expect(joined).toBe(false);
    await env.forge.queue.settle(120_000);
    unobserve();
    const status = await getRunStatus({ kind: 'project', projectKey: 'HADOOP' });
    console.log(`dev set run: ${Date.now() - t0} ms`, JSON.stringify(status.last?.counters));
    expect(status.current).toBeNull();
    expect(status.last?.runId).toBe(run.runId);
    expect(status.last?.status).toBe('done');
    expect(status.last?.counters.fetched).toBe(2503);

    const first = await pairFingerprint(env.forge);
    const ids = new Set(first.map((l) => l.split('|')[0]));
    const found = knownPairs().filter(([a, b]) => ids.has(a < b ? `${a}-${b}` : `${b}-${a}`)).length;
    console.log(`known pairs found: ${found}/66 among ${first.length} pairs`);
    // The target is 60; with the engine's current default thresholds (related 0.15)
    // the engine itself scores 10 known pairs below related (docs/notes/pipeline.md), so this
    // guards against regressions in the pipeline rather than asserting the target.
    expect(found).toBeGreaterThanOrEqual(55);
    // Written in id order, so the table's primary key grows at its end (pages fill up
    // instead of splitting half-full; see score-step).
    expect(inserted.length).toBe(first.length);
    expect(inserted).toEqual([...inserted].sort());
    // Long encoded terms are stored deflated (a quarter of the dev set's rows) and still
    // index: the pairs above came from them.
    const [stored] = (await env.forge.sql.query("SELECT SUM(terms LIKE 'z%') AS deflated, COUNT(*) AS n FROM docs")) as Array<Record<string, unknown>>;
    expect(Number(stored?.['deflated'])).toBeGreaterThan(Number(stored?.['n']) * 0.15);

    const second = await startRun({ scope: { kind: 'project', projectKey: 'HADOOP' }, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const again = await getRunStatus({ kind: 'project', projectKey: 'HADOOP' });
    expect(again.last?.runId).toBe(second.run.runId);
    expect(again.last?.status).toBe('done');
    // Every issue was scored: none was swept as gone while a fetch step still held it.
    expect(again.last?.counters.scored).toBe(2503);
    expect(await pairFingerprint(env.forge)).toEqual(first);
  }, 240_000);
});
