/**
 * The statements an issue event sends on its paths, and the rows it leaves: an issue read
 * from `docs` no more than its exit needs when the event names a project not analysed, and
 * the rows of `left_scope` left right whether an exit was recorded before the event's read,
 * after it, or never.
 */
import type { SeedData } from '../../sandbox/jira';
import { ANALYSES, forgetLeftScopeAmong } from '../../src/analysis/analyses';
import { onIssueChanged } from '../../src/analysis/incremental';
import { startRun } from '../../src/analysis/run-control';
import { getDoc } from '../../src/store/docs';
import { devsetSubset, hasDevset, knownPairs, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const DOC_STATE_READ = /^\s*SELECT id, issue_key, text_hash, dup_links, updated_ms, links_ms FROM docs WHERE id IN/;
const CLEAR_EXITS = /^\s*DELETE FROM left_scope WHERE id IN/;

/** The dev-set slice as project HADOOP, plus MOB, a project of the site the app does not analyse. */
function withOtherProject(size: number): SeedData {
  const seed = devsetSubset(size);
  seed.projects.push({ id: '10001', key: 'MOB', name: 'Mobile' });
  return seed;
}

maybe('the statements of an issue event', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ seed: withOtherProject(150) });
    await startRun({ scope: { kind: 'project', projectKey: 'HADOOP' }, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await env.forge.queue.settle(60_000);
  }, 120_000);
  afterAll(async () => env?.stop());

  /** Runs `work`, keeping the statements it sends that name `id` among their parameters. */
  async function statementsOf<T>(id: string, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const statements: string[] = [];
    const unobserve = env.forge.sql.observe((query, params) => {
      if (params.includes(id)) statements.push(query);
    });
    try {
      return { result: await work(), statements };
    } finally {
      unobserve();
    }
  }

  async function exitsOf(id: string): Promise<number[]> {
    const rows = (await env.forge.sql.query('SELECT left_ms FROM left_scope WHERE id = ?', [id])) as Array<{ left_ms: number }>;
    return rows.map((r) => Number(r.left_ms));
  }

  it('an event naming a project not analysed reads the stored issue twice, not three times, and forgets it when Jira shows it outside the set', async () => {
    const [x] = knownPairs()[1]!;
    expect(await getDoc(x)).not.toBeNull();
    env.jira.updateIssue(x, { projectKey: 'MOB' }, { accountId: 'member-1' });
    const { result, statements } = await statementsOf(x, () => onIssueChanged(x, { eventProjectKey: 'MOB' }));
    expect(result).toBe('removed');
    // Once to see whether the event concerns an analysed issue, and once after the exit is
    // recorded (a return handled meanwhile may have stored a later state); not a third time to
    // forget it.
    expect(statements.filter((q) => DOC_STATE_READ.test(q))).toHaveLength(2);
    expect(await getDoc(x)).toBeNull();
    expect(await exitsOf(x)).toHaveLength(1);
    // Delivered again: the issue is no longer stored, so nothing more is done.
    await expect(onIssueChanged(x, { eventProjectKey: 'MOB' })).resolves.toBe('ignored');
  }, 30_000);

  it('an edit of an issue that never left the set leaves no exit, and stores the issue', async () => {
    const [y] = knownPairs()[2]!;
    env.jira.updateIssue(y, { summary: 'Kerberos ticket renewal thread leaks file descriptors' }, { accountId: 'member-1' });
    const { result, statements } = await statementsOf(y, () => onIssueChanged(y, { eventProjectKey: 'HADOOP' }));
    expect(result).toBe('indexed');
    // The exits are cleared whatever was seen before the read: an exit is stamped with its
    // own read of Jira, so one read before this event's can still be on its way.
    expect(statements.filter((q) => CLEAR_EXITS.test(q))).toHaveLength(1);
    expect((await getDoc(y))?.summary).toBe('Kerberos ticket renewal thread leaks file descriptors');
    expect(await exitsOf(y)).toEqual([]);
  }, 30_000);

  it('an issue back in the set after an exit: the exit is cleared, so a writer that read it before the exit forgets nothing', async () => {
    const [z] = knownPairs()[3]!;
    env.jira.updateIssue(z, { projectKey: 'MOB' }, { accountId: 'member-1' });
    const beforeExit = Date.now() - 1;
    await expect(onIssueChanged(z, { eventProjectKey: 'MOB' })).resolves.toBe('removed');
    expect(await exitsOf(z)).toHaveLength(1);
    env.jira.updateIssue(z, { projectKey: 'HADOOP' }, { accountId: 'member-1' });
    const { result, statements } = await statementsOf(z, () => onIssueChanged(z, { eventProjectKey: 'HADOOP' }));
    expect(result).toBe('indexed');
    expect(statements.filter((q) => CLEAR_EXITS.test(q))).toHaveLength(1);
    expect(await exitsOf(z)).toEqual([]);
    expect(await getDoc(z)).not.toBeNull();
    // A run's page read before the exit, written after this event, checks for exits since its read.
    await expect(forgetLeftScopeAmong(ANALYSES, [z], beforeExit)).resolves.toEqual([]);
    expect(await getDoc(z)).not.toBeNull();
  }, 30_000);

  it('an exit recorded after the read began stays, and the event forgets what it stored', async () => {
    const [w] = knownPairs()[4]!;
    expect(await getDoc(w)).not.toBeNull();
    // As another event that read the issue later, out of the set, records (its time after this read's).
    const later = Date.now() + 60_000;
    await env.forge.sql.query('INSERT INTO left_scope (id, left_ms) VALUES (?, ?)', [w, later]);
    await expect(onIssueChanged(w, { eventProjectKey: 'HADOOP' })).resolves.toBe('removed');
    expect(await exitsOf(w)).toEqual([later]);
    expect(await getDoc(w)).toBeNull();
  }, 30_000);
});
