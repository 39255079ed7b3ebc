/**
 * The pages' Start while a run of every project and a project's own run would overlap: the
 * admin page's Start of every project while SHOP's own run is under way is refused (CONFLICT,
 * the sentence naming SHOP's run), with no history entry and no run; a project page's Start
 * while a run of every project is under way joins it.
 */
import { ADMIN_EXTENSION, ok, projectExtension, startHarness, type Harness } from './helpers';

let h: Harness;
const SHOP = projectExtension('SHOP');
/** Jira's search held until lifted: the run started first stays live. */
const HELD = 10 * 60_000;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

afterEach(async () => {
  h.jira.faults.liftLatency();
  await h.forge.queue.settle(60_000);
});

const runStarts = async () => ok(await h.call('admin-page-resolver', 'history.list', {}, 'admin-1', ADMIN_EXTENSION)).items.filter((a) => a.action === 'run.start').length;

describe('run.start across scopes', () => {
  it("the admin page's Start is refused while a project's own run is under way, naming it", async () => {
    h.jira.faults.latency(HELD, /search\/jql/);
    const shop = ok(await h.call('project-page-resolver', 'run.start', {}, 'viewer-1', SHOP));
    expect(shop.joined).toBe(false);
    const starts = await runStarts();
    const runsBefore = ((await h.forge.sql.query('SELECT COUNT(*) AS n FROM runs')) as Array<{ n: number }>)[0]?.n;

    const refused = await h.call('admin-page-resolver', 'run.start', { mode: 'full' }, 'admin-1', ADMIN_EXTENSION);
    expect(refused.success ? null : refused.error.code).toBe('CONFLICT');
    expect(refused.success ? '' : refused.error.message).toMatch(new RegExp(`^The analysis of SHOP started at .* UTC \\(run ${shop.run.runId}\\) is under way`));
    expect(((await h.forge.sql.query('SELECT COUNT(*) AS n FROM runs')) as Array<{ n: number }>)[0]?.n).toBe(runsBefore);
    expect(await runStarts()).toBe(starts);
  });

  it("a project page's Start while a run of every project is under way joins it", async () => {
    h.jira.faults.latency(HELD, /search\/jql/);
    const all = ok(await h.call('admin-page-resolver', 'run.start', {}, 'admin-1', ADMIN_EXTENSION));
    expect(all.joined).toBe(false);
    const shop = ok(await h.call('project-page-resolver', 'run.start', {}, 'viewer-1', SHOP));
    expect([shop.joined, shop.run.runId, shop.run.scope.kind]).toEqual([true, all.run.runId, 'all']);
  });
});
