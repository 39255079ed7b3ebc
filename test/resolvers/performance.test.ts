/**
 * Hot-path latency at 20,000 indexed issues: `suggestions.get` (target p95 ≤ 150 ms,
 * permission check included) and the first page of `pairs.list`. Runs through the real
 * SDKs, LocalForge, MariaDB and the Jira stand-in, so the figures include every hop.
 *
 * The bound asserted here is looser than the target (the machine is shared with other
 * test runs); the measured p95 is printed for docs/resolvers.md.
 */
import { JiraStandIn, type SeedIssue } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import * as handlers from '../../src/index';
import type { Result, ResultOf } from '../../src/shared/contract';
import { upsertDocs, type DocWrite } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { upsertPairs, type PairWrite } from '../../src/store/pairs';
import { DEFAULT_SETTINGS, saveSettings } from '../../src/store/settings';

const ISSUES = 20_000;
const NEIGHBOURS = 4;
const PROJECTS = ['SHOP', 'MOB', 'OPS'] as const;
const WORDS = ['checkout', 'payment', 'login', 'crash', 'cart', 'slow', 'timeout', 'search', 'image', 'upload', 'email', 'export'];

let jira: JiraStandIn;
let forge: LocalForge;

const idOf = (n: number): string => String(100_000 + n);
const projectOf = (n: number): (typeof PROJECTS)[number] => PROJECTS[n % PROJECTS.length] as (typeof PROJECTS)[number];
const summaryOf = (n: number): string => `${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]} problem number ${n}`;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}

beforeAll(async () => {
  const seedIssues: SeedIssue[] = [];
  for (let n = 0; n < ISSUES; n++) {
    seedIssues.push({ id: idOf(n), key: `${projectOf(n)}-${Math.floor(n / PROJECTS.length) + 1}`, projectKey: projectOf(n), summary: summaryOf(n), type: 'Bug', status: 'To Do', statusCategory: 'new', created: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString() });
  }
  jira = await JiraStandIn.start({
    seed: { projects: [{ id: '10000', key: 'SHOP', name: 'Web Shop' }, { id: '10001', key: 'MOB', name: 'Mobile App' }, { id: '10002', key: 'OPS', name: 'Platform Ops' }], issues: seedIssues },
  });
  forge = await LocalForge.start({ handlers, jiraUrl: jira.url, persistQueue: false });
  await migrate();
  await saveSettings({ ...DEFAULT_SETTINGS, projects: [...PROJECTS], crossProject: true });

  const docs: DocWrite[] = seedIssues.map((i, n) => ({
    id: i.id ?? '',
    key: i.key ?? '',
    projectKey: i.projectKey,
    type: 'Bug',
    status: 'To Do',
    statusCategory: 'new',
    createdMs: Date.parse(i.created),
    updatedMs: Date.parse(i.created),
    summary: i.summary,
    textHash: `h${n}`,
    terms: 'd1',
  }));
  await upsertDocs(docs);
  const pairs: PairWrite[] = [];
  for (let n = 0; n < ISSUES; n++) {
    for (let k = 1; k <= NEIGHBOURS; k++) {
      const m = (n + k * 3) % ISSUES; // same project (step of 3), so cross-project filtering is not what keeps lists short
      const score = 0.3 + ((n * 31 + k * 17) % 70) / 100;
      pairs.push({ a: idOf(n), b: idOf(m), projectA: projectOf(n), projectB: projectOf(m), score, tier: score >= 0.5 ? 'duplicate' : 'related', reasons: [{ term: WORDS[n % WORDS.length] ?? 'x', share: 0.6 }], clusterId: null });
    }
  }
  await upsertPairs(pairs, 'run-perf', Date.now());
}, 600_000);

afterAll(async () => {
  await forge?.stop({ drop: true });
  await jira?.close();
});

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

it('suggestions.get p95 at 20k issues', async () => {
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const n = (i * 331) % ISSUES;
    const [ms, res] = await timed(() => forge.callResolver('issue-view-resolver', 'suggestions.get', { issueId: idOf(n) }, { accountId: 'member-1' }) as Promise<Result<ResultOf<'suggestions.get'>>>);
    expect(res.success).toBe(true);
    if (res.success) expect(res.data.duplicates.length + res.data.related.length).toBeGreaterThan(0);
    if (i >= 5) samples.push(ms); // the first calls warm the connection pools and JIT
  }
  const result = p95(samples);
  console.warn(`suggestions.get at ${ISSUES} issues: p95 ${result.toFixed(1)} ms, median ${[...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]?.toFixed(1)} ms`);
  expect(result).toBeLessThan(400);
}, 120_000);

it('pairs.list first page at 20k issues', async () => {
  const filters: Array<Record<string, unknown>> = [
    { status: 'pending' },
    { status: 'pending', tier: 'duplicate' },
    { status: 'pending', search: 'checkout' },
    { status: 'pending', sort: 'created' },
  ];
  const byFilter = new Map<string, number[]>();
  for (let i = 0; i < 28; i++) {
    const payload = filters[i % filters.length] ?? {};
    const [ms, res] = await timed(
      () =>
        forge.callResolver('project-page-resolver', 'pairs.list', payload, {
          accountId: 'member-1',
          extension: { type: 'jira:projectPage', project: { id: '10000', key: 'SHOP' } },
        }) as Promise<Result<ResultOf<'pairs.list'>>>,
    );
    expect(res.success).toBe(true);
    if (res.success) expect(res.data.items.length).toBe(25);
    if (i >= filters.length) {
      const key = JSON.stringify(payload);
      byFilter.set(key, [...(byFilter.get(key) ?? []), ms]);
    }
  }
  const report = [...byFilter].map(([key, samples]) => `${key}: p95 ${p95(samples).toFixed(0)} ms`).join('; ');
  console.warn(`pairs.list first page at ${ISSUES} issues (${ISSUES * NEIGHBOURS} pairs): ${report}`);
  // The default view (pending, best first) is the one every visit opens with.
  expect(p95(byFilter.get(JSON.stringify({ status: 'pending' })) ?? [])).toBeLessThan(800);
}, 180_000);
