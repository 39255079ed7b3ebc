/**
 * Input Jira may send that the usual data never has, through the whole pipeline (the Jira
 * stand-in, LocalForge and MariaDB): each issue must be analysed like any other, or refused
 * with a sentence, and nothing else of the run may be lost with it.
 */
import fc from 'fast-check';
import { startRun, getRunStatus } from '../../src/analysis/run-control';
import { jsonText } from '../../src/analysis/json-text';
import { devsetSubset, hasDevset, pairFingerprint, pipelineHandlers, startEnv, type Env } from '../analysis/helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;

type ForgeFetch = (descriptor: unknown, path: string, init?: RequestInit) => Promise<Response>;
const seam = globalThis as unknown as { __forge_fetch__: ForgeFetch };

/**
 * Rewrites Jira's answers at the `__forge_fetch__` seam, as Jira itself would send them: the
 * stand-in serialises with `JSON.stringify`, which cannot write what this test needs Jira to
 * send. Returns the function that puts the seam back.
 */
function rewriteJiraAnswers(rewrite: (text: string) => string): () => void {
  const original = seam.__forge_fetch__;
  seam.__forge_fetch__ = async (descriptor, path, init) => {
    const res = await original(descriptor, path, init);
    const d = descriptor as { type?: string; remote?: string };
    if (d.type !== 'fpp' || d.remote === 'stargate') return res;
    const text = await res.text();
    return new Response(rewrite(text), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return () => {
    seam.__forge_fetch__ = original;
  };
}

/** An ADF text node nested `depth` paragraphs deep, as JSON text. */
function deepTextNode(text: string, depth: number): string {
  return `${'{"type":"paragraph","content":['.repeat(depth)}{"type":"text","text":${JSON.stringify(text)}}${']}'.repeat(depth)}`;
}

maybe('a description nested 10,000 levels deep', () => {
  let env: Env | undefined;
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    await env?.stop();
  });

  it('is analysed like any other: the run ends done with the issue and its twin paired, and its edits are taken', async () => {
    const seed = devsetSubset(60, 5);
    const twinText = 'Checkpoint upload to the gribblestore bucket fails with quuxley timeout after the namenode failover';
    seed.issues.push({ id: '990001', projectKey: 'HADOOP', summary: 'gribblestore checkpoint upload quuxley timeout', description: twinText, type: 'Bug', status: 'Open', statusCategory: 'new', created: '2015-01-01T00:00:00.000+0000' });
    seed.issues.push({ id: '990002', projectKey: 'HADOOP', summary: 'gribblestore checkpoint upload quuxley timeout', description: 'DEEPMARKER', type: 'Bug', status: 'Open', statusCategory: 'new', created: '2015-01-02T00:00:00.000+0000' });
    env = await startEnv({ seed });
    const events = env;
    events.jira.onEvent(async (eventType, payload) => {
      await events.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    // Jira serves the second issue's description as one text node under 10,000 paragraphs.
    let served = 0;
    let deepText = twinText;
    restore = rewriteJiraAnswers((text) =>
      text.replace(/\{"type":"text","text":"DEEPMARKER"\}/g, () => {
        served++;
        return deepTextNode(deepText, 10_000);
      }),
    );

    await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
    await env.forge.queue.settle(120_000);
    const { last } = await getRunStatus(SCOPE);
    expect(served).toBeGreaterThan(0);
    expect({ status: last?.status, error: last?.error ?? null }).toEqual({ status: 'done', error: null });
    expect(last?.counters.indexed).toBe(seed.issues.length);
    const docs = (await env.forge.sql.query('SELECT COUNT(*) AS n FROM docs')) as Array<{ n: number }>;
    expect(Number(docs[0]?.n)).toBe(seed.issues.length);
    const pair = (await env.forge.sql.query("SELECT tier FROM pairs WHERE id = '990001-990002' AND active = 1")) as Array<{ tier: string }>;
    expect(pair).toEqual([{ tier: 'duplicate' }]);

    // An edit of the deep issue: its event reads it again and takes the new text.
    deepText = 'zorblax manifest parser rejects unicode component names';
    env.jira.updateIssue('990002', { summary: 'zorblax manifest parser rejects unicode' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(60_000);
    const row = (await env.forge.sql.query("SELECT summary, terms FROM docs WHERE id = '990002'")) as Array<{ summary: string; terms: string }>;
    expect(row[0]?.summary).toBe('zorblax manifest parser rejects unicode');
    expect(row[0]?.terms).toContain('zorblax');
    expect(row[0]?.terms).toContain('manifest');
  }, 180_000);
});

describe('jsonText', () => {
  it('writes what JSON.stringify writes, and 100,000 levels of nesting', () => {
    const samples: unknown[] = [null, true, 0, -1.5e-7, 'a"\\\n\u2028\ud800', [], {}, [1, [2, [3]], { a: null }], { b: 1, a: [{}, 'x'], c: undefined, '': '' }];
    for (const s of samples) expect(jsonText(s)).toBe(JSON.stringify(s));
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { c: deep };
    // Each array level writes `[` and `]`, each object level `{"c":` and `}`.
    expect(jsonText(deep).length).toBe(50_000 * 2 + 50_000 * 6 + '"bottom"'.length);
  });

  it('agrees with JSON.stringify on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => jsonText(value) === JSON.stringify(value)), { numRuns: 2000 });
  });
});

/**
 * The platform delivering one event twice at the same time (at-least-once: the same event
 * id, both copies in flight). Each score event, and each fetch event, is handed to the
 * consumer twice at once; the run must end as a clean one does.
 */
maybe('every fetch and score event delivered twice at the same time', () => {
  it('ends done once, with the clean pairs and counters, no duplicate rows', async () => {
    const outcome = async (twins: boolean) => {
      const seen = new Set<string>();
      const worker = pipelineHandlers.analysisWorker;
      const twin = async (event: unknown) => {
        const e = event as { eventId?: string; body?: { kind?: string } };
        const kind = e.body?.kind;
        if (!twins || (kind !== 'score' && kind !== 'fetch') || e.eventId === undefined || seen.has(e.eventId)) return worker(event);
        seen.add(e.eventId);
        const [first] = await Promise.all([worker(structuredClone(event)), worker(structuredClone(event))]);
        return first;
      };
      const env = await startEnv({ seed: devsetSubset(400), forge: { handlers: { ...pipelineHandlers, analysisWorker: twin } } });
      try {
        await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
        await env.forge.queue.settle(120_000);
        const { last } = await getRunStatus(SCOPE);
        const runs = (await env.forge.sql.query("SELECT status, COUNT(*) AS n FROM runs GROUP BY status")) as Array<{ status: string; n: number }>;
        const dupPairs = await env.forge.sql.query('SELECT id FROM pairs GROUP BY id HAVING COUNT(*) > 1');
        return { status: last?.status, counters: last?.counters, runs: runs.map((r) => `${r.status}:${Number(r.n)}`), dupPairs, pairs: await pairFingerprint(env.forge), twinned: seen.size };
      } finally {
        await env.stop();
      }
    };
    const clean = await outcome(false);
    const twinned = await outcome(true);
    expect(twinned.twinned).toBeGreaterThan(1);
    expect({ ...twinned, twinned: 0 }).toEqual({ ...clean, twinned: 0 });
  }, 240_000);
});

/**
 * A fetch step reads up to ten pages, and each search may take up to two minutes (waits for
 * Jira's 429s included): on a slow or busy Jira ten pages outlast the consumer's 900 s. The
 * consumer's time is shortened here (20 s, enforced as Forge does: the delivery is ended and
 * retried) and every search takes 3 s, so a step of 400 issues (8 pages, 24 s) cannot read
 * them all in its time. (Shorter times made the test hang on the machine's speed: a busy
 * machine's store or score step could itself outlast a 5 s consumer.)
 */
maybe('a Jira so slow that a fetch step\'s pages outlast the consumer\'s time', () => {
  it('each step reads what fits its time and hands the rest on: the run ends done with every issue, no delivery cut off', async () => {
    const seed = devsetSubset(400);
    const env = await startEnv({ seed, forge: { enforceTimeouts: true, functionTimeoutMs: { 'analysis-worker': 20_000 } } });
    try {
      env.jira.faults.latency(3_000, /\/rest\/api\/3\/search\/jql/);
      await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
      await env.forge.queue.settle(180_000);
      const { last, current } = await getRunStatus(SCOPE);
      const cutOff = env.forge.queue.stats().errors.filter((e) => /time ?out|timed out/i.test(e.message));
      expect({ status: last?.status, current: current?.status ?? null, cutOff: cutOff.length }).toEqual({ status: 'done', current: null, cutOff: 0 });
      expect(last?.counters.scored).toBe(seed.issues.length);
    } finally {
      await env.stop();
    }
  }, 240_000);
});

/**
 * Jira's limit lets a few searches through, then asks for a wait longer than a consumer waits
 * in-process (Retry-After 30 s), over and over: every fifth search is answered 429 at the
 * seam. A step needs eight pages; before, it threw away the pages it had read at the first
 * 429, was delivered again after the wait, read the same four pages and met the next 429 at
 * the same place, until the run failed as "rate limited".
 */
maybe('a rate limit that lets only a few searches through between its waits', () => {
  it('every step keeps the pages it read before the 429: the run ends done with every issue and the clean pairs', async () => {
    const seed = devsetSubset(400);
    const clean = await (async () => {
      const env = await startEnv({ seed });
      try {
        await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
        await env.forge.queue.settle(120_000);
        return await pairFingerprint(env.forge);
      } finally {
        await env.stop();
      }
    })();
    const env = await startEnv({ seed });
    const original = seam.__forge_fetch__;
    let searches = 0;
    let limited = 0;
    seam.__forge_fetch__ = async (descriptor, path, init) => {
      const d = descriptor as { type?: string; remote?: string };
      if (d.type === 'fpp' && d.remote !== 'stargate' && path.startsWith('/rest/api/3/search/jql') && JSON.stringify(init?.body ?? '').includes('nextPageToken')) {
        searches++;
        if (searches % 5 === 0) {
          limited++;
          return new Response(JSON.stringify({ errorMessages: ['Rate limit exceeded.'] }), { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '30' } });
        }
      }
      return original(descriptor, path, init);
    };
    try {
      await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
      await env.forge.queue.settle(180_000);
      const { last } = await getRunStatus(SCOPE);
      expect(limited).toBeGreaterThan(0);
      expect({ status: last?.status, error: last?.error ?? null }).toEqual({ status: 'done', error: null });
      expect(last?.counters.scored).toBe(seed.issues.length);
      expect(await pairFingerprint(env.forge)).toEqual(clean);
    } finally {
      seam.__forge_fetch__ = original;
      await env.stop();
    }
  }, 240_000);
});
