/** Invocations: resolvers with their acting user, Jira routing by principal, triggers, lifecycle and the runtime context. */
import type { LocalForge } from '../../sandbox/runtime';
import { startFakeJira, type FakeJira } from './fixtures/fake-jira';
import { journal } from './fixtures/handlers';
import * as handlers from './fixtures/handlers';
import { startForge } from './helpers';

let forge: LocalForge;
let jira: FakeJira;

beforeAll(async () => {
  jira = await startFakeJira();
  forge = await startForge({ jiraUrl: jira.url, appAccountId: 'the-app', timeScale: 10_000 });
});

afterAll(async () => {
  await forge?.stop({ drop: true });
  await jira?.close();
});

beforeEach(() => journal.reset());

test('callResolver passes payload, acting user and module through @forge/resolver and JSON-sanitises the answer', async () => {
  expect(await forge.callResolver('panel-resolver', 'whoami', {}, { accountId: 'user-1' })).toEqual({ accountId: 'user-1', moduleKey: 'test-panel' });
  expect(await forge.callResolver('panel-resolver', 'echo', { a: [1, 2] }, { accountId: 'user-1' })).toEqual({
    payload: { a: [1, 2] },
    when: '1970-01-01T00:00:00.000Z',
  });
});

test('asUser requests reach Jira as the acting user; asApp requests as the app, with method and body', async () => {
  expect(await forge.callResolver('panel-resolver', 'jiraAsUser', {}, { accountId: 'user-42' })).toMatchObject({
    principal: 'user:user-42',
    method: 'GET',
    url: '/rest/api/3/myself',
  });
  expect(await forge.callResolver('panel-resolver', 'jiraAsApp', {}, { accountId: 'user-42' })).toEqual({
    principal: 'app',
    method: 'PUT',
    url: '/rest/api/3/issue/KEY-1',
    contentType: 'application/json',
    body: { fields: { summary: 'x' } },
  });
});

test('concurrent invocations keep their own acting user', async () => {
  const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
  const answers = await Promise.all(users.map((u) => forge.callResolver('panel-resolver', 'jiraAsUser', {}, { accountId: u })));
  expect(answers.map((a) => (a as { principal: string }).principal)).toEqual(users.map((u) => `user:${u}`));
});

test('asUser outside a user invocation fails as Forge does (no user to act as)', async () => {
  await expect(forge.invokeFunction('as-user-probe', {})).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR', status: 401 });
  await expect(handlers.asUserFromTrigger()).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR' });
  expect(forge.jiraStats().byPrincipal.user).toBeGreaterThan(0);
});

test('getAppContext works inside an invocation, with the resolver timeout counting down', async () => {
  const ctx = (await forge.callResolver('panel-resolver', 'appContext', {}, { accountId: 'u' })) as { appAri: string; remaining: number; moduleKey: string };
  expect(ctx.appAri).toBe(`ari:cloud:ecosystem::app/${forge.identity.appId}`);
  expect(ctx.moduleKey).toBe('test-panel');
  expect(ctx.remaining).toBeGreaterThan(20_000);
  expect(ctx.remaining).toBeLessThanOrEqual(25_000);
});

test('an unknown function key or missing export fails clearly', async () => {
  await expect(forge.callResolver('nope', 'x', {}, { accountId: 'u' })).rejects.toThrow("Function key 'nope' is not declared");
  await expect(forge.callResolver('panel-resolver', 'missing', {}, { accountId: 'u' })).rejects.toThrow("Resolver has no definition for 'missing'");
});

test('an invoke payload over 500 KB is refused', async () => {
  await expect(forge.callResolver('panel-resolver', 'echo', { pad: 'x'.repeat(501 * 1024) }, { accountId: 'u' })).rejects.toThrow('Forge allows');
});

test('product events reach subscribed triggers; ignoreSelf filters events the app caused', async () => {
  const delivered = await forge.deliverProductEvent('avi:jira:created:issue', { issue: { id: '1', key: 'A-1' }, atlassianId: 'someone' });
  expect(delivered).toEqual([expect.objectContaining({ moduleKey: 'issue-events', delivered: true, attempts: 1 })]);
  const skipped = await forge.deliverProductEvent('avi:jira:created:issue', { issue: { id: '2', key: 'A-2' }, atlassianId: 'the-app' });
  expect(skipped).toEqual([expect.objectContaining({ delivered: false })]);
  expect(await forge.deliverProductEvent('avi:jira:deleted:issue', {})).toEqual([]);
  expect(journal.triggers).toEqual([{ eventType: 'avi:jira:created:issue', retryCount: undefined }]);
});

test('a trigger returning InvocationError is retried with retryContext', async () => {
  const [outcome] = await forge.deliverProductEvent('avi:jira:created:issue', { atlassianId: 'someone', retries: 2 });
  expect(outcome).toMatchObject({ attempts: 3 });
  expect(journal.triggers.map((t) => t.retryCount)).toEqual([undefined, 1, 2]);
});

test('scheduled triggers and lifecycle events run their handlers', async () => {
  expect(await forge.runScheduledTrigger('nightly')).toEqual({ ran: true });
  await forge.runLifecycle('installed');
  await forge.runLifecycle('upgraded');
  expect(journal.scheduled).toBe(1);
  expect(journal.lifecycle).toEqual(['avi:forge:installed:app', 'avi:forge:upgraded:app']);
});

test('invokeFunction calls a handler with (event, context); a principal in the context is the acting user', async () => {
  expect(await forge.invokeFunction('scheduled', {})).toEqual({ ran: true });
  expect(await forge.invokeFunction('as-user-probe', {}, { principal: { accountId: 'viewer-7' } })).toMatchObject({ principal: 'user:viewer-7' });
});

test('only one LocalForge may be active in a process', async () => {
  await expect(startForge()).rejects.toThrow('already active');
});
