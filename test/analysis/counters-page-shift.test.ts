/**
 * Jira's pages shift while a run reads them: an issue created in the meantime with an earlier
 * Created date (an import, say) moves every later issue one place on, and the first issues of
 * the next step's page are ones the step before already read. The run stores each once, and
 * must count each once.
 */
import { getRunStatus, startRun } from '../../src/analysis/run-control';
import { devsetSubset, hasDevset, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;
/** Issues created ahead of the pages already read: as many issues are served twice. */
const SHIFT = 5;

type ForgeFetch = (descriptor: unknown, path: string, init?: RequestInit) => Promise<Response>;
const seam = globalThis as unknown as { __forge_fetch__: ForgeFetch };

maybe('pages that shift between two fetch steps of a run', () => {
  let env: Env | undefined;
  let restore = (): void => undefined;
  afterEach(async () => {
    restore();
    await env?.stop();
    env = undefined;
  });

  // Failed on the code before: "Issues read and stored" counted the issues served twice twice
  // (1,205 of 1,200 issues), while the issues compared were counted exactly.
  it('counts an issue served in two steps once: issues read and stored equal the issues compared', async () => {
    // 1,200 issues: one chain of three steps (500 + 500 + 200).
    const seed = devsetSubset(1200);
    const earliest = seed.issues.map((i) => i.created).sort()[0] ?? '2000-01-01T00:00:00.000+0000';
    env = await startEnv({ seed });
    const jira = env.jira;
    const original = seam.__forge_fetch__;
    restore = () => {
      seam.__forge_fetch__ = original;
    };
    const served = new Map<string, number>();
    let pages = 0;
    seam.__forge_fetch__ = async (descriptor, path, init) => {
      const res = await original(descriptor, path, init);
      const d = descriptor as { type?: string; remote?: string };
      if (d.type !== 'fpp' || d.remote === 'stargate' || !path.startsWith('/rest/api/3/search/jql') || !res.ok) return res;
      const body = (await res.clone().json()) as { issues?: Array<{ id?: string; fields?: unknown }> };
      // Pages of issues (not the plan's counts and probes, which ask for no fields).
      if (!body.issues?.some((i) => i.fields !== undefined) || body.issues.length < 50) return res;
      for (const i of body.issues) served.set(String(i.id), (served.get(String(i.id)) ?? 0) + 1);
      // After the first step's ten pages: issues created with the earliest Created date go
      // ahead of everything read, and the second step's page starts five issues back.
      if (++pages === 10) for (let n = 0; n < SHIFT; n++) jira.createIssue({ projectKey: 'HADOOP', summary: `Imported issue ${n}`, created: earliest });
      return res;
    };
    await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const { last } = await getRunStatus(SCOPE);
    expect(last?.status).toBe('done');
    // The shift happened: issues were served twice.
    expect([...served.values()].filter((n) => n > 1).length).toBe(SHIFT);
    expect(last?.counters.fetched).toBe(1200 + SHIFT);
    expect({ indexed: last?.counters.indexed, scored: last?.counters.scored }).toEqual({ indexed: 1200, scored: 1200 });
  }, 240_000);
});
