/**
 * Who may start and cancel a project's analysis: anyone who may browse the project, unless
 * the admin's `runsNeedProjectAdmin` leaves it to project administrators (and Jira admins).
 * Real SDKs, LocalForge, MariaDB and the Jira stand-in, whose `lead-1` administers SHOP.
 */
import { kvs } from '@forge/kvs';
import { saveSettings } from '../../src/store/settings';
import { issue, issueExtension, ok, projectExtension, startHarness, TEST_SETTINGS, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
const MOB = projectExtension('MOB');

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

afterEach(async () => {
  await saveSettings(TEST_SETTINGS);
  await h.forge.queue.settle(60_000);
});

const REFUSAL = "A Jira admin lets only this project's administrators start or cancel its analysis.";
const user = (id: string) => id as never;
const control = async (who: string, ext = SHOP) => ok(await h.call('project-page-resolver', 'run.status', { control: true }, user(who), ext)).control;

describe('run control on a project page', () => {
  it('is open to anyone who may browse the project by default, and the status says so only when asked', async () => {
    expect(await control('viewer-1')).toEqual({ allowed: true, reason: null, cancelsEveryProject: false });
    // A run of every project, which the page shows too, is a Jira admin's to cancel.
    expect(await control('admin-1')).toEqual({ allowed: true, reason: null, cancelsEveryProject: true });
    expect(ok(await h.call('admin-page-resolver', 'run.status', { control: true }, 'admin-1', { type: 'jira:adminPage' })).control?.cancelsEveryProject).toBe(true);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'viewer-1', SHOP)).control).toBeNull();
    const started = ok(await h.call('project-page-resolver', 'run.start', {}, 'viewer-1', SHOP));
    expect(started.run.scope).toEqual({ kind: 'project', projectKey: 'SHOP' });
  });

  it('is left to project administrators and Jira admins when the admin asks, on the server and in the status', async () => {
    await saveSettings({ ...TEST_SETTINGS, runsNeedProjectAdmin: true });
    expect(await control('member-1')).toEqual({ allowed: false, reason: REFUSAL.slice(0, -1), cancelsEveryProject: false });
    expect(await control('lead-1')).toEqual({ allowed: true, reason: null, cancelsEveryProject: false });
    expect(await control('admin-1')).toEqual({ allowed: true, reason: null, cancelsEveryProject: true });
    // lead-1 administers SHOP only.
    expect((await control('lead-1', MOB))?.allowed).toBe(false);

    const runsBefore = ((await h.forge.sql.query('SELECT COUNT(*) AS n FROM runs')) as Array<{ n: number }>)[0]?.n;
    const refused = await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', SHOP);
    expect(refused.success ? null : [refused.error.code, refused.error.message]).toEqual(['FORBIDDEN', REFUSAL]);
    expect(((await h.forge.sql.query('SELECT COUNT(*) AS n FROM runs')) as Array<{ n: number }>)[0]?.n).toBe(runsBefore);

    const started = ok(await h.call('project-page-resolver', 'run.start', {}, user('lead-1'), SHOP));
    const cancel = await h.call('project-page-resolver', 'run.cancel', { runId: started.run.runId }, 'member-1', SHOP);
    expect(cancel.success ? null : [cancel.error.code, cancel.error.message]).toEqual(['FORBIDDEN', REFUSAL]);
    // The refused cancel left the run alone; its administrator may cancel it.
    const status = ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP));
    expect(status.current?.runId ?? status.last?.runId).toBe(started.run.runId);
    expect((status.current ?? status.last)?.status).not.toBe('cancelled');
    const cancelled = await h.call('project-page-resolver', 'run.cancel', { runId: started.run.runId }, user('lead-1'), SHOP);
    // It may have finished meanwhile; what matters is that lead-1 was not refused.
    expect(cancelled.success ? 'ok' : cancelled.error.code).not.toBe('FORBIDDEN');

    // Watching is still open to anyone who may browse the project.
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'viewer-1', SHOP)).analysed).toBe(true);
  });

  it('logs the setting in the history from and to', async () => {
    ok(await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, runsNeedProjectAdmin: true } }, 'admin-1', { type: 'jira:adminPage' }));
    const rows = (await h.forge.sql.query("SELECT detail FROM actions WHERE action = 'settings.save' ORDER BY at_ms DESC LIMIT 1")) as Array<{ detail: string }>;
    expect(rows[0]?.detail).toContain('who may run analyses (now only project administrators)');
  });
});

describe('run counts on a project page', () => {
  const status = async (who: string) => ok(await h.call('project-page-resolver', 'run.status', {}, user(who), SHOP));

  it('are withheld from a viewer who may not browse every project they count', async () => {
    const all = ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', { type: 'jira:adminPage' })).run;
    await h.forge.queue.settle(60_000);
    const member = (await status('member-1')).last;
    expect([member?.runId, member?.countsWithheld]).toEqual([all.runId, 'none']);
    expect(member?.counters.fetched).toBe(9);
    // restricted-1 may not browse OPS: a run of every project counts its issues and pairs.
    const restricted = (await status('restricted-1')).last;
    expect([restricted?.runId, restricted?.countsWithheld]).toEqual([all.runId, 'all']);
    expect(restricted?.counters).toEqual({ fetched: 0, indexed: 0, scored: 0, pairs: 0, expected: null, toCompare: null });
    const listed = ok(await h.call('project-page-resolver', 'run.list', {}, 'restricted-1', SHOP)).runs.find((r) => r.runId === all.runId);
    expect(listed?.countsWithheld).toBe('all');

    // A run of SHOP alone: the SHOP issues it read and stored are theirs to count; the issues
    // it compared and the pairs it found (across projects, OPS's too) are not, nor the progress.
    const shop = ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', SHOP)).run;
    await h.forge.queue.settle(60_000);
    const mine = (await status('member-1')).last;
    const theirs = (await status('restricted-1')).last;
    expect([theirs?.runId, theirs?.countsWithheld, mine?.countsWithheld]).toEqual([shop.runId, 'compared', 'none']);
    expect(mine?.counters.pairs).toBeGreaterThan(0);
    expect(mine?.counters.scored).toBeGreaterThan(mine?.counters.indexed ?? 0);
    expect(theirs?.counters).toEqual({ ...mine?.counters, scored: 0, pairs: 0, toCompare: null });
    expect([mine?.progress, theirs?.progress, theirs?.etaSeconds]).toEqual([1, null, null]);
  });
});

describe('the run status on a project page', () => {
  it('costs one Jira call a poll, a permission check, so a Jira outage elsewhere does not hide it', async () => {
    await saveSettings({ ...TEST_SETTINGS, crossProject: false });
    ok(await h.call('project-page-resolver', 'run.start', {}, 'member-1', SHOP));
    await h.forge.queue.settle(60_000);
    const before = h.jira.stats().total;
    const status = ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP));
    expect(h.jira.stats().total - before).toBe(1);
    expect(h.jira.stats().count('POST', '/rest/api/3/permissions/check')).toBeGreaterThan(0);
    // Jira's project search failing does not take the status away.
    h.jira.faults.serverErrors({ count: 100, status: 503, path: /project\/search/ });
    try {
      expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP)).last?.runId).toBe(status.last?.runId);
    } finally {
      h.jira.faults.clear();
    }
    // Someone who may not browse the project still gets nothing.
    const hidden = await h.call('project-page-resolver', 'run.status', {}, 'restricted-1', projectExtension('OPS'));
    expect(hidden.success ? 'ok' : hidden.error.code).toBe('FORBIDDEN');
  });
});

describe('a project in scope that no analysis has read', () => {
  it('is said to be never analysed when the last run shown is one of every project from before it was in scope, whatever events stored since', async () => {
    // MOB joins the scope after a run of everything: no marker of the fixture's, none of its issues stored.
    await kvs.delete('last-success:project:MOB');
    await h.forge.sql.query("DELETE FROM docs WHERE project_key = 'MOB'");
    await saveSettings({ ...TEST_SETTINGS, projects: TEST_SETTINGS.projects.filter((p) => p !== 'MOB') });
    ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', { type: 'jira:adminPage' }));
    await h.forge.queue.settle(60_000);
    await saveSettings(TEST_SETTINGS);
    const status = ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', MOB));
    expect([status.last?.scope.kind, status.neverRead]).toEqual(['all', true]);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP)).neverRead).toBe(false);
    // An edit's event stores one MOB issue, compared with next to nothing: still never read,
    // and its panel says it has not been analysed rather than "nothing similar".
    const edited = issue('MOB-2');
    const stop = h.jira.onEvent(async (eventType, payload) => {
      await h.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    try {
      h.jira.updateIssue(edited.id, { summary: 'Login crash in the app on Android 15' }, { accountId: 'member-1' });
      await h.jira.flushEvents();
      await h.forge.queue.settle(60_000);
    } finally {
      stop();
    }
    const stored = (await h.forge.sql.query('SELECT scored_ms FROM docs WHERE id = ?', [edited.id])) as Array<{ scored_ms: number | null }>;
    expect(stored[0]?.scored_ms).not.toBeNull();
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', MOB)).neverRead).toBe(true);
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: edited.id }, 'member-1', issueExtension('MOB-2')));
    expect(view.duplicates.length + view.related.length).toBe(0);
    expect(view).toMatchObject({ indexed: false, noWords: false });
    // Its own run reads it, and then it has been analysed.
    ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', MOB));
    await h.forge.queue.settle(60_000);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', MOB)).neverRead).toBe(false);
  });
});

describe('a project taken out of scope and put back', () => {
  it('is never analysed again until a run reads it: its run marker went with it', async () => {
    const save = async (projects: string[]) => ok(await h.call('admin-page-resolver', 'settings.save', { settings: { ...TEST_SETTINGS, projects } }, 'admin-1', { type: 'jira:adminPage' }));
    ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', MOB));
    await h.forge.queue.settle(60_000);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', MOB)).neverRead).toBe(false);
    await save(TEST_SETTINGS.projects.filter((p) => p !== 'MOB'));
    // A run of everything without it lets its issues go.
    ok(await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', { type: 'jira:adminPage' }));
    await h.forge.queue.settle(60_000);
    await save(TEST_SETTINGS.projects);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', MOB)).neverRead).toBe(true);
    // Its first run back reads every issue.
    const started = ok(await h.call('project-page-resolver', 'run.start', {}, 'member-1', MOB));
    expect(started.run.mode).toBe('full');
    await h.forge.queue.settle(60_000);
    expect(ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', MOB)).neverRead).toBe(false);
  });
});

describe('thresholds changed after the last analysis', () => {
  it('says the tiers shown are from before until an analysis applies the new thresholds, on the project page and in the issue panel', async () => {
    const panel = async () => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, 'member-1', issueExtension('SHOP-2')));
    // The project page's status and the issue panel say it alike.
    const outdated = async () => {
      const page = ok(await h.call('project-page-resolver', 'run.status', {}, 'member-1', SHOP)).tiersOutdated;
      expect((await panel()).tiersOutdated).toBe(page);
      return page;
    };
    const tiers = async () => ((await h.forge.sql.query("SELECT tier, COUNT(*) AS n FROM pairs WHERE project_a = 'SHOP' AND active = 1 GROUP BY tier ORDER BY tier")) as Array<{ tier: string; n: number }>).map((r) => [r.tier, Number(r.n)]);
    ok(await h.call('project-page-resolver', 'run.start', { mode: 'full' }, 'member-1', SHOP));
    await h.forge.queue.settle(60_000);
    expect(await outdated()).toBe(false);
    const before = await tiers();
    expect(before.find(([t]) => t === 'duplicate')?.[1]).toBeGreaterThan(0);
    // Every pair below 99 % is related by the new threshold, but stays as stored until a run.
    const listed = async () => {
      const view = await panel();
      return [...view.duplicates, ...view.related].map((s) => [s.issue.key, s.tier]);
    };
    const panelBefore = await listed();
    expect(panelBefore.some(([, tier]) => tier === 'duplicate')).toBe(true);
    await saveSettings({ ...TEST_SETTINGS, thresholds: { ...TEST_SETTINGS.thresholds, duplicate: 0.99 } });
    expect(await outdated()).toBe(true);
    expect(await tiers()).toEqual(before);
    // The panel lists the stored tiers, as the review queue does, and says so.
    expect(await listed()).toEqual(panelBefore);
    ok(await h.call('project-page-resolver', 'run.start', {}, 'member-1', SHOP));
    await h.forge.queue.settle(60_000);
    expect(await outdated()).toBe(false);
    expect(await tiers()).not.toEqual(before);
    // Back as they were (afterEach restores the settings): outdated again until a run.
    await saveSettings(TEST_SETTINGS);
    expect(await outdated()).toBe(true);
    ok(await h.call('project-page-resolver', 'run.start', {}, 'member-1', SHOP));
    await h.forge.queue.settle(60_000);
    expect(await outdated()).toBe(false);
  });
});

describe('suggestions across projects turned off', () => {
  it('are gone from a project once its own run has read it again, not only after a run of everything', async () => {
    const crossActive = async () =>
      Number(((await h.forge.sql.query("SELECT COUNT(*) AS n FROM pairs WHERE active = 1 AND project_a <> project_b AND (project_a = 'SHOP' OR project_b = 'SHOP')")) as Array<{ n: number }>)[0]?.n);
    const listedAcross = async () => ok(await h.call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 100 }, 'admin-1', SHOP)).items.filter((p) => p.a.key.split('-')[0] !== p.b.key.split('-')[0]).length;
    await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, user('admin-1'));
    await h.forge.queue.settle(60_000);
    expect(await crossActive()).toBeGreaterThan(0);
    expect(await listedAcross()).toBeGreaterThan(0);
    await saveSettings({ ...TEST_SETTINGS, crossProject: false });
    ok(await h.call('project-page-resolver', 'run.start', {}, 'member-1', SHOP));
    await h.forge.queue.settle(60_000);
    expect(await crossActive()).toBe(0);
    expect(await listedAcross()).toBe(0);
    // On again: the next run of everything brings them back.
    await saveSettings(TEST_SETTINGS);
    await h.call('admin-page-resolver', 'run.start', {}, user('admin-1'));
    await h.forge.queue.settle(60_000);
    expect(await crossActive()).toBeGreaterThan(0);
  });
});
