/**
 * Shared setup for the resolver tests: the Jira stand-in with a small three-project seed,
 * a LocalForge running the app's real handlers on a fresh MariaDB database, and fixture
 * docs/pairs written through the store's own functions (as an analysis run would).
 */
import { JiraStandIn, type SeedData } from '../../sandbox/jira';
import { LocalForge } from '../../sandbox/runtime';
import { encodeTerms, extractTerms } from '../../src/engine';
import * as handlers from '../../src/index';
import type { ApiMethod, Payload, Result, ResultOf, Settings } from '../../src/shared/contract';
import { markScored, upsertDocs } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { upsertPairs, type PairWrite } from '../../src/store/pairs';
import { DEFAULT_SETTINGS, saveSettings, setRunMarker } from '../../src/store/settings';

export const USERS = ['admin-1', 'member-1', 'restricted-1', 'viewer-1'] as const;
export type User = (typeof USERS)[number];

export const PROJECTS = {
  SHOP: { id: '10000', key: 'SHOP', name: 'Web Shop' },
  MOB: { id: '10001', key: 'MOB', name: 'Mobile App' },
  OPS: { id: '10002', key: 'OPS', name: 'Platform Ops' },
} as const;

interface FixtureIssue {
  id: string;
  key: string;
  project: keyof typeof PROJECTS;
  summary: string;
  description: string;
  created: string;
  type?: string;
}

/** OPS is the project restricted-1 may not browse. */
export const ISSUES: FixtureIssue[] = [
  { id: '20001', key: 'SHOP-1', project: 'SHOP', summary: 'Checkout fails with payment gateway timeout', description: 'Customers see a spinner, then the payment gateway times out at checkout.', created: '2026-01-01T10:00:00.000Z' },
  { id: '20002', key: 'SHOP-2', project: 'SHOP', summary: 'Payment gateway timeout during checkout', description: 'Checkout payment times out after 30 seconds on the gateway.', created: '2026-01-05T10:00:00.000Z' },
  { id: '20003', key: 'SHOP-3', project: 'SHOP', summary: 'Cart page slow to load', description: 'The cart page takes ten seconds to render.', created: '2026-01-02T10:00:00.000Z', type: 'Task' },
  { id: '20004', key: 'SHOP-4', project: 'SHOP', summary: 'Slow loading of the cart page', description: 'Cart rendering is slow for big carts.', created: '2026-01-06T10:00:00.000Z' },
  { id: '20005', key: 'SHOP-5', project: 'SHOP', summary: '=HYPERLINK("http://x") checkout payment crash', description: 'A formula in the summary, on purpose.', created: '2026-01-07T10:00:00.000Z' },
  { id: '20006', key: 'SHOP-6', project: 'SHOP', summary: 'Newsletter signup button misaligned', description: 'Footer layout.', created: '2026-01-08T10:00:00.000Z' },
  { id: '20101', key: 'MOB-1', project: 'MOB', summary: 'App crashes on login', description: 'The mobile app crashes right after login.', created: '2026-01-03T10:00:00.000Z' },
  { id: '20102', key: 'MOB-2', project: 'MOB', summary: 'Login crash in the app', description: 'Crash when logging in on Android.', created: '2026-01-09T10:00:00.000Z' },
  { id: '20201', key: 'OPS-1', project: 'OPS', summary: 'Payment gateway timeout alerts firing', description: 'Alerts for payment gateway timeouts at checkout.', created: '2026-01-04T10:00:00.000Z' },
];

export const issue = (key: string): FixtureIssue => {
  const found = ISSUES.find((i) => i.key === key);
  if (!found) throw new Error(`no fixture issue ${key}`);
  return found;
};

export const SEED: SeedData = {
  projects: Object.values(PROJECTS).map((p) => ({ ...p })),
  issues: ISSUES.map((i) => ({
    id: i.id,
    key: i.key,
    projectKey: i.project,
    summary: i.summary,
    description: i.description,
    type: i.type ?? 'Bug',
    status: 'To Do',
    statusCategory: 'new',
    created: i.created,
  })),
};

/** [a, b, score, tier, shared words]: b is the newer issue in every duplicate here. */
export const PAIRS: Array<[string, string, number, 'duplicate' | 'related', string[]]> = [
  ['SHOP-1', 'SHOP-2', 0.82, 'duplicate', ['payment', 'gateway', 'timeout']],
  ['SHOP-3', 'SHOP-4', 0.41, 'related', ['cart', 'slow']],
  ['SHOP-1', 'SHOP-5', 0.61, 'duplicate', ['checkout', 'payment']],
  ['SHOP-2', 'OPS-1', 0.71, 'duplicate', ['payment', 'gateway', 'timeout']],
  ['MOB-1', 'MOB-2', 0.9, 'duplicate', ['login', 'crash']],
];

export const pairIdOf = (x: string, y: string): string => {
  const a = issue(x).id;
  const b = issue(y).id;
  return a < b ? `${a}-${b}` : `${b}-${a}`;
};

export const TEST_SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  thresholds: { duplicate: 0.5, related: 0.3 },
  projects: ['MOB', 'OPS', 'SHOP'],
  crossProject: true,
};

export async function writeFixture(): Promise<void> {
  await migrate();
  await saveSettings(TEST_SETTINGS);
  await upsertDocs(
    ISSUES.map((i) => ({
      id: i.id,
      key: i.key,
      projectKey: i.project,
      type: i.type ?? 'Bug',
      status: 'To Do',
      statusCategory: 'new' as const,
      createdMs: Date.parse(i.created),
      updatedMs: Date.parse(i.created),
      summary: i.summary,
      textHash: `h${i.id}`,
      terms: encodeTerms(extractTerms({ id: i.id, summary: i.summary, description: i.description, type: i.type ?? 'Bug' })),
    })),
  );
  const pairs: PairWrite[] = PAIRS.map(([x, y, score, tier, words]) => ({
    a: issue(x).id,
    b: issue(y).id,
    projectA: issue(x).project,
    projectB: issue(y).project,
    score,
    tier,
    reasons: words.map((term, n) => ({ term, share: Math.round((1 / words.length) * 1000) / 1000 + (n === 0 ? 0.001 : 0) })),
    clusterId: null,
  }));
  await upsertPairs(pairs, 'run-fixture', Date.now());
  // As an analysis leaves them: every stored issue scored, and a run marker for each project
  // (the pages tell a project no run has read by its marker). Its read scope is none a run
  // would have, so the tests' runs still read everything.
  const now = Date.now();
  await markScored(ISSUES.map((i) => i.id), now);
  for (const projectKey of TEST_SETTINGS.projects) {
    await setRunMarker(`project:${projectKey}`, { runId: 'run-fixture', mode: 'full', startedMs: now, finishedMs: now, fetchScope: 'fixture', thresholds: TEST_SETTINGS.thresholds });
  }
}

/**
 * After a test saved a narrower scope: the save queued a scope sweep (src/analysis/scope-sweep.ts),
 * which forgets the fixture's issues the settings left out. Lets it finish, then writes the
 * fixture again (settings, documents, pairs; decisions taken since are kept), for the tests after.
 */
export async function restoreFixture(h: Pick<Harness, 'forge'>): Promise<void> {
  await h.forge.queue.settle(30_000);
  await writeFixture();
}

export type Surface = 'issue-view-resolver' | 'project-page-resolver' | 'admin-page-resolver' | 'create-check-resolver';

export interface Harness {
  forge: LocalForge;
  jira: JiraStandIn;
  call<M extends ApiMethod>(surface: Surface, method: M, payload: Payload<M> | Record<string, unknown>, user: User, extension?: Record<string, unknown>): Promise<Result<ResultOf<M>>>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const jira = await JiraStandIn.start({ seed: SEED });
  const forge = await LocalForge.start({ handlers, jiraUrl: jira.url, persistQueue: false, timeScale: 1000 });
  await writeFixture();
  return {
    forge,
    jira,
    async call(surface, method, payload, user, extension) {
      return (await forge.callResolver(surface, method, payload, { accountId: user, ...(extension ? { extension } : {}) })) as never;
    },
    async stop() {
      await forge.stop({ drop: true });
      await jira.close();
    },
  };
}

/** Extension contexts as the sandbox host sends them. */
export const issueExtension = (key: string): Record<string, unknown> => {
  const i = issue(key);
  const p = PROJECTS[i.project];
  return { type: 'jira:issuePanel', issue: { id: i.id, key: i.key, type: 'Bug', typeId: '1' }, project: { id: p.id, key: p.key, type: 'software' } };
};

export const projectExtension = (key: keyof typeof PROJECTS): Record<string, unknown> => {
  const p = PROJECTS[key];
  return { type: 'jira:projectPage', project: { id: p.id, key: p.key, type: 'software' } };
};

export const ADMIN_EXTENSION = { type: 'jira:adminPage' };

export function ok<T>(result: Result<T>): T {
  if (!result.success) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}
