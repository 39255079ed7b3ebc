/**
 * At-least-once delivery, crashes and Jira trouble must end with exactly the results of a
 * clean run (or, when Jira stays broken, with a failed run saying what to do).
 */
import { getRunStatus, startRun } from '../../src/analysis/run-control';
import type { LocalForgeOptions } from '../../sandbox/runtime';
import type { RunView } from '../../src/shared/contract';
import { devsetSubset, hasDevset, pairFingerprint, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;

async function analyse(prepare: (env: Env) => void, forge: Partial<LocalForgeOptions> = {}): Promise<{ run: RunView | null; pairs: string[]; env: Env }> {
  const env = await startEnv({ seed: devsetSubset(400), forge });
  try {
    prepare(env);
    await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const { last } = await getRunStatus(SCOPE);
    return { run: last, pairs: await pairFingerprint(env.forge), env };
  } finally {
    await env.stop();
  }
}

maybe('pipeline under faults', () => {
  let clean: string[];

  beforeAll(async () => {
    const result = await analyse(() => undefined);
    expect(result.run?.status).toBe('done');
    clean = result.pairs;
    expect(clean.length).toBeGreaterThan(20);
  }, 120_000);

  it('429 bursts (short and long Retry-After) end with the clean results', async () => {
    const result = await analyse((env) => {
      env.jira.faults.rateLimit({ count: 3, retryAfterSeconds: 1, path: /search\/jql/ });
      // Longer than a consumer waits in-process: handed to the queue as a delayed retry.
      env.jira.faults.rateLimit({ count: 1, retryAfterSeconds: 60, path: /search\/jql/ });
    });
    expect(result.run?.status).toBe('done');
    expect(result.pairs).toEqual(clean);
  }, 120_000);

  it('deliveries lost before or after the handler ran end with the clean results', async () => {
    const result = await analyse((env) => {
      env.forge.queue.faults.failNext(2, { mode: 'before' });
      env.forge.queue.faults.failNext(3, { mode: 'after' });
    });
    expect(result.run?.status).toBe('done');
    expect(result.pairs).toEqual(clean);
  }, 120_000);

  it('a consumer dying mid-batch (SQL failure after Jira was read) ends with the clean results', async () => {
    const result = await analyse((env) => {
      env.forge.sql.faults.failNext(1, { match: /INSERT INTO docs/, code: 'SQL_EXECUTION_ERROR', status: 500 });
      env.forge.sql.faults.failNext(1, { match: /INSERT INTO pairs/, code: 'SQL_EXECUTION_ERROR', status: 500 });
    });
    expect(result.run?.status).toBe('done');
    expect(result.pairs).toEqual(clean);
  }, 120_000);

  it('every event delivered twice ends with the clean results and counters', async () => {
    const result = await analyse(() => undefined, { duplicateDeliveries: true });
    expect(result.run?.status).toBe('done');
    expect(result.run?.counters.fetched).toBe(400);
    expect(result.pairs).toEqual(clean);
  }, 120_000);

  it('SQL timeouts on big reads shrink the page and still finish', async () => {
    const result = await analyse((env) => {
      env.forge.sql.faults.failNext(2, { match: /SELECT id, project_key, summary, terms, words FROM docs/ });
    });
    expect(result.run?.status).toBe('done');
    expect(result.pairs).toEqual(clean);
  }, 120_000);

  it('Jira answering 503 on every try fails the run with a message a person can act on', async () => {
    const result = await analyse((env) => {
      env.jira.faults.serverErrors({ count: 1000, status: 503, path: /search\/jql/ });
    });
    expect(result.run?.status).toBe('failed');
    expect(result.run?.error).toMatch(/Jira kept answering 503 while (fetching|counting) issues for HADOOP; the analysis stopped after \d+ tries\. Start it again later\./);
  }, 120_000);
});
