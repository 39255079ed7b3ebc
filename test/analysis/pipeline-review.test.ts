/**
 * Robustness review of the run pipeline and the issue events (helper 4's report). Each test
 * reproduces one finding against the real SDKs, MariaDB and the Jira stand-in. Each states what
 * the pipeline should do and fails on the reviewed code, so it is marked `it.failing`: jest
 * reports it passed while it fails. A fix makes it pass, and jest then reports it: drop the
 * `.failing` with the fix.
 */
import type { SeedData } from '../../sandbox/jira';
import { getRun, startRun } from '../../src/analysis/run-control';
import * as handlers from '../../src/index';
import { jira, route } from '../../src/jira/client';
import type { Settings } from '../../src/shared/contract';
import { getDoc } from '../../src/store/docs';
import { getRunMarker, getSettings } from '../../src/store/settings';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;

async function runRow(env: Env, runId: string): Promise<{ status: string; error: string | null }> {
  const rows = (await env.forge.sql.query('SELECT status, error FROM runs WHERE id = ?', [runId])) as Array<{ status: string; error: string | null }>;
  const row = rows[0];
  if (!row) throw new Error(`no run ${runId}`);
  return row;
}

async function batches(env: Env, runId: string): Promise<string[]> {
  const rows = (await env.forge.sql.query('SELECT batch_no, state FROM run_batches WHERE run_id = ? ORDER BY batch_no', [runId])) as Array<{ batch_no: string; state: string }>;
  return rows.map((r) => `${r.batch_no}:${r.state}`);
}

const LOST_CONNECTION = { code: 'SQL_EXECUTION_ERROR', status: 500, message: 'Lost connection to the database' } as const;

maybe('a step that fails after recording its batch as done', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  // Fails on the reviewed code: the run stays 'scoring' until stale detection fails it.
  it.failing('score: the run still finishes when the status update to done fails once', async () => {
    env = await startEnv({ seed: devsetSubset(200) });
    let armed = false;
    env.forge.sql.observe((query, params) => {
      // Observers run before injected failures are taken: arming here fails this statement.
      if (!armed && /^\s*UPDATE runs SET status = \?/.test(query) && params[0] === 'done') {
        armed = true;
        env.forge.sql.faults.failNext(1, { match: /^\s*UPDATE runs SET status = \?/, ...LOST_CONNECTION });
      }
    });
    const { run } = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    expect(armed).toBe(true);
    expect(env.forge.queue.stats().retried).toBeGreaterThan(0);
    // The pairs were all written, and the score batch is done...
    expect(await batches(env, run.runId)).toContain('score:done');
    // ...so the redelivered score event finds its batch done and stops, leaving the run live.
    expect((await runRow(env, run.runId)).status).toBe('done');
    expect([...(await env.forge.kvs.dump()).keys()]).toContain('last-success:project:HADOOP');
  }, 120_000);

  // Fails on the reviewed code: the chain is never ended, no score event is pushed.
  it.failing('fetch: the run still finishes when the step fails between completing its batch and ending its chain', async () => {
    env = await startEnv({ seed: devsetSubset(200) });
    let armed = false;
    env.forge.sql.observe((query, params) => {
      // 200 issues: one chain of one step, f.0.0. Its batch is marked done, then touchRun fails.
      if (!armed && /^\s*UPDATE run_batches SET state = 'done'/.test(query) && params[6] === 'f.0.0') {
        armed = true;
        env.forge.sql.faults.failNext(1, { match: /^\s*UPDATE runs SET heartbeat_ms = \? WHERE id = \?/, ...LOST_CONNECTION });
      }
    });
    const { run } = await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    expect(armed).toBe(true);
    expect(env.forge.queue.stats().retried).toBeGreaterThan(0);
    // Every issue is stored; the step's redelivery found f.0.0 done and returned at once.
    expect((await getRun(run.runId))?.counters.fetched).toBe(200);
    expect(await batches(env, run.runId)).toEqual(expect.arrayContaining(['f.0.0:done', 'end.0:done', 'score:done']));
    expect((await runRow(env, run.runId)).status).toBe('done');
  }, 120_000);
});

maybe('a 404 from Jira on an issue event', () => {
  let env: Env;
  let pair: { id: string; issue_a: string };
  let updated: Record<string, unknown>;
  beforeEach(async () => {
    env = await startEnv({ seed: devsetSubset(200) });
    await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const rows = (await env.forge.sql.query("SELECT id, issue_a FROM pairs WHERE active = 1 AND status = 'pending' ORDER BY score DESC LIMIT 1")) as Array<{ id: string; issue_a: string }>;
    if (!rows[0]) throw new Error('no pair');
    pair = { id: rows[0].id, issue_a: String(rows[0].issue_a) };
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 1 WHERE id = ?", [pair.id]);
    updated = { eventType: 'avi:jira:updated:issue', atlassianId: 'member-1', issue: { id: pair.issue_a, fields: { project: { key: 'HADOOP' } } } };
    // Jira answers 404 once for this issue, as it does for an issue the app may not see for a
    // while (a security level it is not in, a move through a project it cannot browse).
    env.jira.faults.serverErrors({ count: 1, status: 404, path: new RegExp(`/rest/api/3/issue/${pair.issue_a}(\\?|$)`) });
    await env.forge.deliverProductEvent('avi:jira:updated:issue', updated);
    expect(await getDoc(pair.issue_a)).toBeNull();
  }, 120_000);
  afterEach(async () => {
    await env?.stop();
  });

  const pairState = async (): Promise<Array<{ status: string; active: number }>> =>
    (await env.forge.sql.query('SELECT status, active FROM pairs WHERE id = ?', [pair.id])) as Array<{ status: string; active: number }>;

  // Fails on the reviewed code: the 404 is taken for a delete, which deletes decided pairs.
  it.failing('keeps the decisions on the issue, as a stay out of scope does', async () => {
    expect(await pairState()).toEqual([{ status: 'dismissed', active: 0 }]);
  });

  // Fails on the reviewed code: the issue is recorded in deleted_issues for 30 days, so its
  // next events return without reading Jira and every run's fetch step forgets it again.
  it.failing('does not keep the issue out once Jira shows it again', async () => {
    await env.forge.deliverProductEvent('avi:jira:updated:issue', updated);
    await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    expect(await getDoc(pair.issue_a)).not.toBeNull();
  }, 120_000);
});

/** The dev-set slice as HADOOP, with its last `mob` issues moved to a second project, MOB. */
function twoProjectSeed(size: number, mob: number): SeedData {
  const seed = devsetSubset(size);
  return {
    projects: [...seed.projects, { id: '10001', key: 'MOB', name: 'Mobile' }],
    issues: seed.issues.map((issue, n) => (n >= size - mob ? { ...issue, projectKey: 'MOB' } : issue)),
  };
}

maybe('settings saved while a run is in flight', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  const save = async (settings: Settings): Promise<void> => {
    const res = (await env.forge.callResolver('admin-page-resolver', 'settings.save', { settings }, { accountId: 'admin-1', extension: { type: 'jira:adminPage' } })) as { success: boolean };
    expect(res.success).toBe(true);
  };
  const mobDocs = async (): Promise<number> => Number(((await env.forge.sql.query("SELECT COUNT(*) AS n FROM docs WHERE project_key = 'MOB'")) as Array<{ n: number }>)[0]?.n);

  // Fails on the reviewed code: the run finishing after the save writes MOB's marker back.
  it.failing('a project taken out of scope while a run of every project scores is not marked analysed by that run', async () => {
    env = await startEnv({ seed: twoProjectSeed(260, 60), settings: { projects: ['HADOOP', 'MOB'] }, forge: { handlers } });
    const both = await getSettings();
    // The run of every project is held in its score step while the admin removes MOB.
    const held = env.forge.sql.faults.holdNext(/^\s*INSERT INTO pairs/, 3000);
    await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1' });
    await held;
    await save({ ...both, projects: ['HADOOP'] });
    expect(await getRunMarker('project:MOB')).toBeNull(); // the save forgot MOB's last run...
    await env.forge.queue.settle(120_000);
    // ...and the run it did not stop wrote it back.
    expect(await getRunMarker('project:MOB')).toBeNull();
  }, 120_000);

  // Fails on the reviewed code: MOB comes back with the stale marker, so its first run reads
  // only the issues updated since, after a full run removed its documents.
  it.failing('when the project comes back, its first run reads every issue again', async () => {
    env = await startEnv({ seed: twoProjectSeed(260, 60), settings: { projects: ['HADOOP', 'MOB'] }, forge: { handlers } });
    const both = await getSettings();
    const held = env.forge.sql.faults.holdNext(/^\s*INSERT INTO pairs/, 3000);
    await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1' });
    await held;
    await save({ ...both, projects: ['HADOOP'] });
    await env.forge.queue.settle(120_000);
    expect(await mobDocs()).toBe(60);
    // A full run of every project (HADOOP only now) removes MOB's documents, as it should.
    await startRun({ scope: { kind: 'all' }, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    expect(await mobDocs()).toBe(0);
    // MOB is added back; its project page's Start asks for a quick (incremental) run.
    await save({ ...both, projects: ['HADOOP', 'MOB'] });
    const { run } = await startRun({ scope: { kind: 'project', projectKey: 'MOB' }, trigger: 'manual', mode: 'incremental', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    expect(await mobDocs()).toBe(60);
    expect(run.mode).toBe('full');
  }, 120_000);
});

maybe('settings that name what Jira no longer shows the app', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  // Failed on the reviewed code: `project in ("GONE", "HADOOP")` (or `issuetype in (…)` naming a
  // type since deleted) is a JQL error, so every run of every project failed (the scheduled one
  // each day), and the admin's detail said to check the JQL filter. The plan step now leaves
  // them out (src/analysis/scope-check.ts).
  it.each([
    ['a project deleted, archived or hidden from the app since it was chosen', { projects: ['GONE', 'HADOOP'] }],
    ['an issue type deleted or renamed since it was chosen', { projects: ['HADOOP'], issueTypes: ['Bug', 'Gone type'] }],
  ])('%s does not stop the analysis of the rest', async (_what, settings: Partial<Settings>) => {
    env = await startEnv({ seed: devsetSubset(200), settings });
    const { run } = await startRun({ scope: { kind: 'all' }, trigger: 'schedule', startedBy: null });
    await env.forge.queue.settle(120_000);
    const row = await runRow(env, run.runId);
    const detail = (await env.forge.sql.query('SELECT error_detail FROM runs WHERE id = ?', [run.runId])) as Array<{ error_detail: string | null }>;
    expect({ ...row, detail: detail[0]?.error_detail ?? null }).toEqual({ status: 'done', error: null, detail: null });
  }, 120_000);
});

maybe('an issue event within its 25 s', () => {
  let env: Env;
  afterEach(async () => {
    env?.jira.faults.clear();
    // The stand-in's handler is not killed at its timeout: let it end before the database goes.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await env?.stop();
  });

  // Fails on the reviewed code: two Jira calls of 15 s budget each (the issue, then the JQL
  // filter asked about it) in a trigger Forge stops at 25 s; the event is not redelivered.
  it.failing('fits its Jira calls into the trigger\'s time, or hands the event back for a retry', async () => {
    env = await startEnv({ seed: devsetSubset(200), settings: { jqlFilter: 'type = Bug' }, forge: { enforceTimeouts: true } });
    await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const [doc] = (await env.forge.sql.query('SELECT id FROM docs ORDER BY id LIMIT 1')) as Array<{ id: string }>;
    if (!doc) throw new Error('no doc');
    // Jira slow but answering: 13 s a request, within the client's 15 s per request.
    env.jira.faults.latency(13_000, /\/rest\/api\/3\/(issue\/|search\/jql)/);
    const started = Date.now();
    const outcomes = await env.forge.deliverProductEvent('avi:jira:updated:issue', {
      eventType: 'avi:jira:updated:issue',
      atlassianId: 'member-1',
      issue: { id: String(doc.id), fields: { project: { key: 'HADOOP' } } },
    });
    const took = Date.now() - started;
    expect({ error: outcomes[0]?.error ?? null, overran: took > 25_000 }).toEqual({ error: null, overran: false });
  }, 120_000);
});

maybe('a 503 with Retry-After', () => {
  let env: Env;
  afterEach(async () => {
    await env?.stop();
  });

  // Fails on the reviewed code: Retry-After is honoured on 429 only; on a 503 (which Atlassian
  // documents as sent with Retry-After when a resource limit is reached) the client comes back
  // after its own back-off, here 10-20 ms, and a queue step after 20 s however long Jira asked.
  it.failing('is waited as Jira asks before the request is sent again', async () => {
    env = await startEnv({ seed: devsetSubset(10, 0) });
    // The stand-in's 503 carries `Retry-After: 1`.
    env.jira.faults.serverErrors({ count: 1, status: 503, path: /myself/ });
    const t0 = Date.now();
    const res = await jira({ as: 'app' }, 'GET', route`/rest/api/3/myself`, { backoff: { baseMs: 20, capMs: 100 } });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });
});
