/**
 * The hardening tests' world: the Jira stand-in with a small seed (three analysed projects,
 * one project outside the settings, issues with hostile text), a LocalForge running the
 * app's real handlers on its own MariaDB database, and one real analysis run so the pairs
 * the resolvers answer with come from the pipeline, not from fixtures.
 */
import { JiraStandIn, type AdfDoc, type SeedData, type SeedIssue } from '../../../sandbox/jira';
import { LocalForge, type LocalForgeOptions } from '../../../sandbox/runtime';
import * as handlers from '../../../src/index';
import type { ApiMethod, Result, ResultOf, Settings } from '../../../src/shared/contract';

export const ADMIN = 'admin-1';
export const MEMBER = 'member-1';
export const RESTRICTED = 'restricted-1';
export const VIEWER = 'viewer-1';

/** Analysed projects; HIDDEN exists in Jira but is never in scope. */
export const IN_SCOPE = ['MOB', 'OPS', 'SHOP'] as const;
export const PROJECTS = [
  { id: '10000', key: 'SHOP', name: 'Web Shop' },
  { id: '10001', key: 'MOB', name: 'Mobile App' },
  { id: '10002', key: 'OPS', name: 'Platform Ops' },
  { id: '10003', key: 'HIDDEN', name: 'Hidden Project' },
] as const;

/** A word no issue uses except the hostile ones: if it shows up in a log line, issue text leaked. */
export const MARKER = 'qwzxmarker';

export const SCRIPT = `<script>alert("${MARKER}")</script>`;
export const IMG = '<img src=x onerror=alert(1)>';
export const JS_LINK = 'javascript:alert(document.cookie)';
export const RTL = '\u202Egnp.exe';
export const ZERO_WIDTH = 'Log\u200Bin\u200D';

const para = (...content: Array<Record<string, unknown>>): Record<string, unknown> => ({ type: 'paragraph', content });

/** ADF with a link mark whose href is a javascript: URL, plus HTML typed as text. */
export const HOSTILE_ADF: AdfDoc = {
  type: 'doc',
  version: 1,
  content: [
    para({ type: 'text', text: `Payment checkout crash ${MARKER} with ${IMG} in the page.` }),
    para({ type: 'text', text: 'Click to pay', marks: [{ type: 'link', attrs: { href: JS_LINK } }] }),
    para({ type: 'text', text: `Gateway timeout ${SCRIPT}` }),
  ],
} as unknown as AdfDoc;

/** About 1 MB of description text. */
export const HUGE_DESCRIPTION = `Upload crash when the attachment is large ${MARKER}. `.repeat(20_000);

interface IssueSpec {
  key: string;
  summary: string;
  description?: SeedIssue['description'];
  type?: string;
  day: number;
}

const SPECS: Record<string, IssueSpec[]> = {
  SHOP: [
    { key: 'SHOP-1', summary: 'Checkout fails with payment gateway timeout', description: 'Customers see a spinner, then the payment gateway times out at checkout.', day: 1 },
    { key: 'SHOP-2', summary: 'Payment gateway timeout during checkout', description: 'Checkout payment times out after 30 seconds on the gateway.', day: 5 },
    { key: 'SHOP-3', summary: `Checkout payment gateway ${SCRIPT} crash`, description: HOSTILE_ADF, day: 7 },
    { key: 'SHOP-4', summary: `Checkout payment gateway ${IMG} crash`, description: `See ${JS_LINK} and ${SCRIPT} for the payment gateway crash at checkout.`, day: 8 },
    { key: 'SHOP-5', summary: '=HYPERLINK("http://evil.example/x","checkout payment crash")', description: 'A formula in the summary, on purpose: checkout payment crash.', day: 9 },
    { key: 'SHOP-6', summary: '+cmd|" /C calc"!A0 checkout payment crash', description: 'Formula with plus: checkout payment crash.', day: 10 },
    { key: 'SHOP-7', summary: '-2+3 checkout payment crash', description: 'Formula with minus: checkout payment crash.', day: 11 },
    { key: 'SHOP-8', summary: '@SUM(A1:A9) checkout payment crash', description: 'Formula with at: checkout payment crash.', day: 12 },
    { key: 'SHOP-9', summary: 'Cart page slow to load', description: 'The cart page takes ten seconds to render.', day: 2, type: 'Task' },
    { key: 'SHOP-10', summary: 'Slow loading of the cart page', description: 'Cart rendering is slow for big carts.', day: 6 },
    { key: 'SHOP-11', summary: 'Attachment upload crash for large files', description: HUGE_DESCRIPTION, day: 13 },
    { key: 'SHOP-12', summary: 'Upload crash with a large attachment file', description: 'Large attachment upload crashes the page.', day: 14 },
  ],
  MOB: [
    { key: 'MOB-1', summary: 'App crashes on login', description: 'The mobile app crashes right after login.', day: 3 },
    { key: 'MOB-2', summary: 'Login crash in the app', description: 'Crash when logging in on Android.', day: 9 },
    { key: 'MOB-3', summary: `${ZERO_WIDTH} crash in the app ${RTL}`, description: `Login crash, right-to-left override ${RTL} and zero-width ${ZERO_WIDTH}.`, day: 10 },
    { key: 'MOB-4', summary: 'تسجيل الدخول login crash app', description: 'نص عربي login crash in the app.', day: 11 },
  ],
  OPS: [
    { key: 'OPS-1', summary: 'Payment gateway timeout alerts firing', description: 'Alerts for payment gateway timeouts at checkout.', day: 4 },
    { key: 'OPS-2', summary: 'Disk full on build agents', description: 'Build agents run out of disk.', day: 6 },
  ],
  HIDDEN: [
    { key: 'HIDDEN-1', summary: 'Checkout fails with payment gateway timeout (secret)', description: 'Secret project: checkout payment gateway timeout.', day: 2 },
    { key: 'HIDDEN-2', summary: 'App crashes on login (secret)', description: 'Secret project: login crash.', day: 3 },
  ],
};

let nextId = 30_000;
export const ISSUES = Object.entries(SPECS).flatMap(([projectKey, specs]) =>
  specs.map((s) => ({ ...s, projectKey, id: String(nextId++) })),
);

export function issueByKey(key: string): (typeof ISSUES)[number] {
  const found = ISSUES.find((i) => i.key === key);
  if (!found) throw new Error(`no seed issue ${key}`);
  return found;
}

export const SEED: SeedData = {
  projects: PROJECTS.map((p) => ({ ...p })),
  issues: ISSUES.map((i) => ({
    id: i.id,
    key: i.key,
    projectKey: i.projectKey,
    summary: i.summary,
    description: i.description ?? null,
    type: i.type ?? 'Bug',
    status: 'To Do',
    statusCategory: 'new',
    created: new Date(Date.UTC(2026, 0, i.day, 10)).toISOString(),
  })),
};

export const SETTINGS: Partial<Settings> = {
  thresholds: { duplicate: 0.4, related: 0.15 },
  projects: [...IN_SCOPE],
  crossProject: true,
};

export type Surface = 'issue-view-resolver' | 'project-page-resolver' | 'admin-page-resolver' | 'create-check-resolver';

export const projectExtension = (key: string): Record<string, unknown> => {
  const p = PROJECTS.find((x) => x.key === key);
  if (!p) throw new Error(`no project ${key}`);
  return { type: 'jira:projectPage', project: { id: p.id, key: p.key, type: 'software' } };
};

export const issueExtension = (key: string): Record<string, unknown> => {
  const i = issueByKey(key);
  const p = PROJECTS.find((x) => x.key === i.projectKey);
  if (!p) throw new Error(`no project ${i.projectKey}`);
  return { type: 'jira:issuePanel', issue: { id: i.id, key: i.key, type: 'Bug', typeId: '1' }, project: { id: p.id, key: p.key, type: 'software' } };
};

export const ADMIN_EXTENSION: Record<string, unknown> = { type: 'jira:adminPage' };

export const createExtension = (key: string): Record<string, unknown> => {
  const p = PROJECTS.find((x) => x.key === key);
  if (!p) throw new Error(`no project ${key}`);
  return { type: 'jira:uiModifications', project: { id: p.id, key: p.key, type: 'software' }, issueType: { id: '1', name: 'Bug' }, viewType: 'GIC' };
};

export interface World {
  jira: JiraStandIn;
  forge: LocalForge;
  call<M extends ApiMethod>(surface: Surface, method: M, payload: unknown, user: string, extension?: Record<string, unknown>): Promise<Result<ResultOf<M>>>;
  /** Runs a full analysis of every project in scope through the admin page and waits for it. */
  analyse(): Promise<void>;
  stop(): Promise<void>;
}

export function ok<T>(result: Result<T>): T {
  if (!result.success) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

export async function startWorld(opts: { seed?: SeedData; settings?: Partial<Settings>; forge?: Partial<LocalForgeOptions> } = {}): Promise<World> {
  const jira = await JiraStandIn.start({ seed: opts.seed ?? SEED });
  let forge: LocalForge;
  try {
    forge = await LocalForge.start({ handlers, jiraUrl: jira.url, persistQueue: false, timeScale: 1000, appAccountId: jira.appAccountId, ...opts.forge });
  } catch (err) {
    await jira.close();
    throw err;
  }
  const world: World = {
    jira,
    forge,
    async call(surface, method, payload, user, extension) {
      return (await forge.callResolver(surface, method, payload, { accountId: user, ...(extension ? { extension } : {}) })) as never;
    },
    async analyse() {
      const started = ok(await world.call('admin-page-resolver', 'run.start', { mode: 'full' }, ADMIN, ADMIN_EXTENSION));
      await forge.queue.settle(240_000);
      const status = ok(await world.call('admin-page-resolver', 'run.status', {}, ADMIN, ADMIN_EXTENSION));
      const last = status.last;
      if (last?.runId !== started.run.runId || last.status !== 'done') {
        throw new Error(`analysis did not finish: ${JSON.stringify(status)}`);
      }
    },
    async stop() {
      await forge.stop({ drop: true });
      await jira.close();
    },
  };
  try {
    await forge.runLifecycle('installed');
    const got = ok(await world.call('admin-page-resolver', 'settings.get', {}, ADMIN, ADMIN_EXTENSION));
    ok(await world.call('admin-page-resolver', 'settings.save', { settings: { ...got.settings, ...SETTINGS, ...opts.settings } }, ADMIN, ADMIN_EXTENSION));
  } catch (err) {
    await world.stop();
    throw err;
  }
  return world;
}
