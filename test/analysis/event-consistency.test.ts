/**
 * What issue events store must be what a fresh full run stores for the same state of Jira:
 * when an event fails half-way and comes again, when it lands while a run reads or scores,
 * when an issue moves between projects, and whichever kind of run scored a pair last.
 */
import { startRun } from '../../src/analysis/run-control';
import type { SeedData } from '../../sandbox/jira';
import * as appHandlers from '../../src/index';
import type { Settings } from '../../src/shared/contract';
import { call } from '../jira-standin/helpers';
import { devsetSubset, hasDevset, pipelineHandlers, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
type Scope = { kind: 'all' } | { kind: 'project'; projectKey: string };
const HADOOP: Scope = { kind: 'project', projectKey: 'HADOOP' };
const NEW_TEXT = { summary: 'Kerberos ticket renewal thread leaks file descriptors', description: 'The renewal thread opens a keytab each hour and never closes it.' };
/** The fetch step's read of its page's stored states, after it read the page from Jira. */
const PAGE_STATES = /SELECT id, issue_key, text_hash, dup_links, .*FROM docs WHERE id IN \(\?, \?/;
/** How long a race test holds a run's statement while an event acts (it checks the event was done by then). */
const HOLD_MS = 8000;

async function fullRun(env: Env, scope: Scope = HADOOP): Promise<void> {
  await startRun({ scope, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
  await env.forge.queue.settle(60_000);
}

/**
 * A stand-in Jira seeded with `seed` and the app on it; with `events`, Jira's issue events go
 * to the app as they are sent; with `run`, a full run of that scope has stored its results;
 * with `resolvers`, the pages' resolvers answer too.
 */
async function analysedEnv(seed: SeedData, opts: { settings?: Partial<Settings>; events?: boolean; run?: Scope | null; resolvers?: boolean } = {}): Promise<Env> {
  const env = await startEnv({
    seed,
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.resolvers === true ? { forge: { handlers: { ...pipelineHandlers, ...appHandlers } } } : {}),
  });
  if (opts.events === true) {
    env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
  }
  if (opts.run !== null) await fullRun(env, opts.run ?? HADOOP);
  return env;
}

/** The issue's active pairs as "id|projects|tier|score|status", sorted. */
async function pairsOf(env: Env, issueId: string): Promise<string[]> {
  const rows = (await env.forge.sql.query(
    'SELECT id, project_a, project_b, tier, score, status FROM pairs WHERE (issue_a = ? OR issue_b = ?) AND active = 1 ORDER BY id',
    [issueId, issueId],
  )) as Array<{ id: string; project_a: string; project_b: string; tier: string; score: number; status: string }>;
  return rows.map((r) => `${r.id}|${r.project_a}|${r.project_b}|${r.tier}|${Number(r.score).toFixed(4)}|${r.status}`);
}

/** The issue of the `nth` best active duplicate-tier pair. */
async function issueWithDuplicate(env: Env, nth: number): Promise<string> {
  const rows = (await env.forge.sql.query("SELECT issue_a AS id FROM pairs WHERE active = 1 AND tier = 'duplicate' ORDER BY score DESC, id LIMIT 5")) as Array<{ id: string }>;
  const id = rows[nth]?.id;
  if (id === undefined) throw new Error('the seed has too few duplicate pairs');
  return id;
}

maybe('an issue event that fails half-way and is delivered again', () => {
  let env: Env;
  beforeAll(async () => {
    env = await analysedEnv(devsetSubset(200), { events: true });
  }, 120_000);
  afterAll(async () => env?.stop());

  it('scores the new text again (the first delivery wrote the document, then failed)', async () => {
    const id = await issueWithDuplicate(env, 1);
    const before = await pairsOf(env, id);
    expect(before.length).toBeGreaterThan(0);
    // One timeout as the event hides the pairs of the old text, after the document was written.
    env.forge.sql.faults.failNext(1, { match: /UPDATE pairs SET active = 0 WHERE issue_a = \?/ });
    env.jira.updateIssue(id, NEW_TEXT, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(60_000);
    expect(env.forge.sql.faults.pendingFailures()).toBe(0);
    const afterEvents = await pairsOf(env, id);
    await fullRun(env);
    expect(afterEvents).toEqual(await pairsOf(env, id));
    expect(afterEvents).not.toEqual(before);
  }, 120_000);

  it('confirms a pair Jira links even when the first confirmation write failed', async () => {
    const [row] = (await env.forge.sql.query(
      "SELECT p.id, da.issue_key AS ka, db.issue_key AS kb FROM pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b WHERE p.active = 1 AND p.status = 'pending' AND p.tier = 'duplicate' ORDER BY p.score DESC LIMIT 1",
    )) as Array<{ id: string; ka: string; kb: string }>;
    if (!row) throw new Error('no pending duplicate pair');
    env.jira.link('Duplicate', row.kb, row.ka);
    env.forge.sql.faults.failNext(1, { match: /UPDATE pairs SET status = 'confirmed', decided_by = \?, decided_ms = \?, decided_in_jira = 1/ });
    await fullRun(env); // the fetch step fails once and is delivered again
    expect(env.forge.sql.faults.pendingFailures()).toBe(0);
    const [pair] = (await env.forge.sql.query('SELECT status, decided_in_jira FROM pairs WHERE id = ?', [row.id])) as Array<{ status: string; decided_in_jira: number }>;
    expect({ status: pair?.status, inJira: Number(pair?.decided_in_jira) }).toEqual({ status: 'confirmed', inJira: 1 });
  }, 120_000);
});

maybe('issue events while a full run reads or scores', () => {
  let env: Env;
  beforeAll(async () => {
    env = await analysedEnv(devsetSubset(200), { settings: { issueTypes: ['Bug'] }, events: true });
  }, 120_000);
  afterAll(async () => env?.stop());

  it('an issue that leaves the analysed types while a read page is being stored stays out', async () => {
    const id = await issueWithDuplicate(env, 0);
    // The fetch step reads the stored state of its page after reading Jira: held 3 s.
    const held = env.forge.sql.faults.holdNext(PAGE_STATES, 3000);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    env.jira.updateIssue(id, { type: 'Task' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(60_000);
    expect(await env.forge.sql.query('SELECT id FROM docs WHERE id = ?', [id])).toEqual([]);
    expect(await pairsOf(env, id)).toEqual([]);
  }, 120_000);

  it('an edit whose event lands while the score step runs keeps the new text\'s pairs', async () => {
    const id = await issueWithDuplicate(env, 2);
    const before = await pairsOf(env, id);
    expect(before.length).toBeGreaterThan(0);
    // The score step's first progress write comes after it loaded every document: held 3 s.
    const held = env.forge.sql.faults.holdNext(/UPDATE run_batches SET fetched = \?, indexed = \?, scored = \?/, 3000);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    env.jira.updateIssue(id, NEW_TEXT, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(60_000);
    const afterRun = await pairsOf(env, id);
    await fullRun(env);
    expect(afterRun).toEqual(await pairsOf(env, id));
    expect(afterRun).not.toEqual(before);
  }, 180_000);
});

function twoProjects(size: number): SeedData {
  const seed = devsetSubset(size);
  seed.projects.push({ id: '10001', key: 'MOB', name: 'Mobile' });
  return seed;
}

maybe('issue events against a full run across two projects', () => {
  let env: Env;
  beforeAll(async () => {
    env = await analysedEnv(twoProjects(200), { settings: { projects: ['HADOOP', 'MOB'] }, run: { kind: 'all' } });
  }, 120_000);
  afterAll(async () => env?.stop());

  it('an issue moved to the other project takes new pairs there and leaves its old ones', async () => {
    const id = await issueWithDuplicate(env, 0);
    const moving = env.jira.store.getIssue(id);
    if (!moving) throw new Error('no such issue');
    // A near copy of it lives in MOB (made by the app: its event is ignored; a run stores it).
    const copy = env.jira.createIssue({ projectKey: 'MOB', summary: moving.summary, description: 'Also seen on mobile.', type: 'Bug' }, 'app');
    await fullRun(env, { kind: 'all' });
    expect((await pairsOf(env, id)).some((p) => p.includes('HADOOP|HADOOP'))).toBe(true);
    env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    env.jira.updateIssue(id, { projectKey: 'MOB' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(30_000);
    expect(env.jira.store.getIssue(id)?.key).toMatch(/^MOB-/);
    const afterEvent = await pairsOf(env, id);
    await fullRun(env, { kind: 'all' });
    const afterRun = await pairsOf(env, id);
    expect(afterRun.some((p) => p.includes(copy.id))).toBe(true);
    expect(afterEvent).toEqual(afterRun);
  }, 180_000);
});

maybe('an issue event keeps the related pairs a run keeps', () => {
  let env: Env;
  beforeAll(async () => {
    env = await analysedEnv(devsetSubset(200));
  }, 120_000);
  afterAll(async () => env?.stop());

  it('scoring issues again through their events changes none of their pairs', async () => {
    const ids = (await env.forge.sql.query("SELECT id FROM docs WHERE project_key = 'HADOOP' ORDER BY id")) as Array<{ id: string }>;
    const changed: string[] = [];
    let checked = 0;
    for (const { id } of ids) {
      const before = await pairsOf(env, id);
      if (before.length < RELATED_SEEN) continue;
      checked++;
      // Same text: the event scores it again against the same documents.
      await env.forge.sql.query('UPDATE docs SET scored_ms = NULL WHERE id = ?', [id]);
      await env.forge.deliverProductEvent('avi:jira:updated:issue', { eventType: 'avi:jira:updated:issue', atlassianId: 'member-1', issue: { id, fields: { project: { key: 'HADOOP' } } } });
      const after = await pairsOf(env, id);
      if (after.join('\n') !== before.join('\n')) changed.push(`${id}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      if (checked >= 12) break;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(changed).toEqual([]);
  }, 180_000);
});

/** Issues with at least this many pairs have related pairs past their own best four. */
const RELATED_SEEN = 5;

maybe('suggestions across projects off: a pair scores the same whichever run scored it', () => {
  let env: Env;
  beforeAll(async () => {
    const seed = twoProjects(300);
    for (const issue of seed.issues.slice(180)) issue.projectKey = 'MOB';
    env = await analysedEnv(seed, { settings: { projects: ['HADOOP', 'MOB'], crossProject: false }, run: null });
  }, 120_000);
  afterAll(async () => env?.stop());

  it('a run of everything and a run of the project store the same pairs', async () => {
    await fullRun(env, { kind: 'all' });
    const all = (await env.forge.sql.query("SELECT id, tier, score FROM pairs WHERE active = 1 AND project_a = 'HADOOP' ORDER BY id"));
    expect(all.length).toBeGreaterThan(10);
    await fullRun(env, HADOOP);
    const project = (await env.forge.sql.query("SELECT id, tier, score FROM pairs WHERE active = 1 AND project_a = 'HADOOP' ORDER BY id"));
    expect(project).toEqual(all);
  }, 180_000);
});

maybe('an issue event against the end of a full run', () => {
  let env: Env;
  beforeAll(async () => {
    env = await analysedEnv(devsetSubset(200));
  }, 120_000);
  afterAll(async () => env?.stop());

  it('an edit whose event fails after the run looked for changed issues is not marked scored by the run', async () => {
    const id = await issueWithDuplicate(env, 0);
    // The run's last statement before it marks its issues scored: held while the event runs.
    const held = env.forge.sql.faults.holdNext(/UPDATE pairs SET active = 0 WHERE project_a IN \(\?\) AND active = 1 AND last_seen_ms < \?/, 4000);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    // Every delivery of the edit's event fails after it stored the new text.
    env.forge.sql.faults.failNext(5, { match: /UPDATE pairs SET active = 0 WHERE issue_a = \?/ });
    env.jira.updateIssue(id, NEW_TEXT, { accountId: 'member-1' });
    const payload = { eventType: 'avi:jira:updated:issue', atlassianId: 'member-1', issue: { id, fields: { project: { key: 'HADOOP' } } } };
    await env.forge.deliverProductEvent('avi:jira:updated:issue', payload);
    await env.forge.queue.settle(60_000);
    env.forge.sql.faults.clear();
    const [doc] = (await env.forge.sql.query('SELECT scored_ms FROM docs WHERE id = ?', [id])) as Array<{ scored_ms: number | null }>;
    expect(doc?.scored_ms ?? null).toBeNull();
    // Delivered once more, later: it scores the new text.
    await env.forge.deliverProductEvent('avi:jira:updated:issue', payload);
    const afterEvent = await pairsOf(env, id);
    await fullRun(env);
    expect(afterEvent).toEqual(await pairsOf(env, id));
  }, 180_000);
});

maybe('an issue that leaves scope during the first run', () => {
  let env: Env;
  beforeAll(async () => {
    env = await analysedEnv(devsetSubset(60), { settings: { issueTypes: ['Bug'] }, events: true, run: null });
  }, 120_000);
  afterAll(async () => env?.stop());

  it('is not stored by the run\'s page that read it before, though it was never stored', async () => {
    const held = env.forge.sql.faults.holdNext(PAGE_STATES, 3000);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    expect(await env.forge.sql.query('SELECT id FROM docs')).toEqual([]);
    const bug = env.jira.store.findIssueType('Bug')?.id;
    const id = [...env.jira.store.issues.values()].find((i) => i.typeId === bug)?.id;
    if (id === undefined) throw new Error('no Bug in the seed');
    env.jira.updateIssue(id, { type: 'Task' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(60_000);
    expect(((await env.forge.sql.query('SELECT COUNT(*) AS n FROM docs')) as Array<{ n: number }>)[0]?.n).toBeGreaterThan(10);
    expect(await env.forge.sql.query('SELECT id FROM docs WHERE id = ?', [id])).toEqual([]);
  }, 120_000);
});

const HADOOP_PAGE = { type: 'jira:projectPage', project: { id: '10000', key: 'HADOOP', type: 'software' } };

maybe('a Duplicate link removed while a full run stores the page that read it', () => {
  let env: Env;
  // Pending duplicate-tier pairs of the first run, best first.
  let pending: Array<{ id: string; a: string; b: string; ka: string; kb: string }> = [];
  beforeAll(async () => {
    env = await analysedEnv(devsetSubset(200), { events: true, resolvers: true });
    pending = (await env.forge.sql.query(
      "SELECT p.id, p.issue_a AS a, p.issue_b AS b, da.issue_key AS ka, db.issue_key AS kb FROM pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b WHERE p.active = 1 AND p.status = 'pending' AND p.tier = 'duplicate' ORDER BY p.score DESC, p.id LIMIT 2",
    )) as typeof pending;
    if (pending.length < 2) throw new Error('the seed has too few pending duplicate pairs');
  }, 120_000);
  afterAll(async () => env?.stop());

  const pairRow = async (id: string): Promise<{ status: string; decidedBy: string | null; inJira: number }> => {
    const [row] = (await env.forge.sql.query('SELECT status, decided_by, decided_in_jira FROM pairs WHERE id = ?', [id])) as Array<{ status: string; decided_by: string | null; decided_in_jira: number }>;
    return { status: row?.status ?? 'missing', decidedBy: row?.decided_by ?? null, inJira: Number(row?.decided_in_jira) };
  };
  const history = async (id: string): Promise<string[]> =>
    ((await env.forge.sql.query('SELECT action, actor, detail FROM actions WHERE pair_id = ? ORDER BY at_ms, id', [id])) as Array<{ action: string; actor: string | null; detail: string }>).map(
      (r) => `${r.action}|${r.actor ?? 'Jira'}|${r.detail.startsWith('score') ? 'app' : r.detail}`,
    );
  const storedLinks = async (p: { a: string; b: string }): Promise<string[]> =>
    ((await env.forge.sql.query('SELECT dup_links FROM docs WHERE id IN (?, ?) ORDER BY id', [p.a, p.b])) as Array<{ dup_links: string }>).map((r) => r.dup_links);

  it('in Jira: the pair confirmed through the link stays pending, with no second "linked in Jira" entry', async () => {
    const p = pending[0]!;
    expect((await call(env.jira.url, 'POST', '/rest/api/3/issueLink', 'user:member-1', { type: { name: 'Duplicate' }, inwardIssue: { key: p.kb }, outwardIssue: { key: p.ka } })).status).toBe(201);
    await env.jira.flushEvents();
    expect(await pairRow(p.id)).toEqual({ status: 'confirmed', decidedBy: 'member-1', inJira: 1 });
    // The run reads the page with the link, then its read of the page's stored states is held
    // while the link is removed in Jira and the removal's event reopens the pair.
    const held = env.forge.sql.faults.holdNext(PAGE_STATES, HOLD_MS);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    const heldAt = Date.now();
    const read = await call(env.jira.url, 'GET', `/rest/api/3/issue/${p.a}?fields=issuelinks`, 'user:member-1');
    const link = (read.json.fields as { issuelinks: Array<{ id: string; type: { name: string } }> }).issuelinks.find((l) => l.type.name === 'Duplicate');
    expect((await call(env.jira.url, 'DELETE', `/rest/api/3/issueLink/${link!.id}`, 'user:member-1')).status).toBe(204);
    await env.jira.flushEvents();
    // The removal and its event were done while the run's read was still held: the race ran.
    expect(Date.now() - heldAt).toBeLessThan(HOLD_MS);
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0 });
    await env.forge.queue.settle(60_000);
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0 });
    expect(await history(p.id)).toEqual(['confirm|member-1|Linked as duplicates in Jira', 'reopen|member-1|The Duplicate link was removed in Jira']);
    expect(await storedLinks(p)).toEqual(['', '']);
    // The next run reads the issues without the link: nothing changes.
    await fullRun(env);
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0 });
    expect(await history(p.id)).toHaveLength(2);
  }, 180_000);

  it('in the app (Unlink): the pair stays pending, with no "linked in Jira" entry', async () => {
    const p = pending[1]!;
    const decide = async (payload: Record<string, unknown>): Promise<void> => {
      const result = (await env.forge.callResolver('project-page-resolver', 'pairs.decide', { pairId: p.id, ...payload }, { accountId: 'member-1', extension: HADOOP_PAGE })) as { success: boolean };
      expect(result.success).toBe(true);
    };
    await decide({ decision: 'confirm' });
    await env.jira.flushEvents();
    expect(await pairRow(p.id)).toEqual({ status: 'confirmed', decidedBy: 'member-1', inJira: 0 });
    const held = env.forge.sql.faults.holdNext(PAGE_STATES, HOLD_MS);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    const heldAt = Date.now();
    await decide({ decision: 'reopen', unlink: true });
    await env.jira.flushEvents();
    // The Unlink and its event were done while the run's read was still held: the race ran.
    expect(Date.now() - heldAt).toBeLessThan(HOLD_MS);
    await env.forge.queue.settle(60_000);
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0 });
    expect(await history(p.id)).toEqual(['confirm|member-1|app', 'unlink|member-1|app']);
    expect(await storedLinks(p)).toEqual(['', '']);
  }, 180_000);
});

maybe('a decision on a pair whose issue leaves scope and comes back', () => {
  let env: Env;
  // Two pending duplicate-tier pairs of the first run with four different issues.
  let pairs: Array<{ id: string; a: string; b: string; ka: string; kb: string }> = [];
  beforeAll(async () => {
    // MOB is a project of the site the app does not analyse: an issue moved there leaves scope.
    env = await analysedEnv(twoProjects(200), { events: true, resolvers: true });
    const rows = (await env.forge.sql.query(
      "SELECT p.id, p.issue_a AS a, p.issue_b AS b, da.issue_key AS ka, db.issue_key AS kb FROM pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b WHERE p.active = 1 AND p.status = 'pending' AND p.tier = 'duplicate' ORDER BY p.score DESC, p.id LIMIT 20",
    )) as typeof pairs;
    for (const row of rows) if (!pairs.some((p) => [p.a, p.b].includes(row.a) || [p.a, p.b].includes(row.b))) pairs.push(row);
    pairs = pairs.slice(0, 2);
    if (pairs.length < 2) throw new Error('the seed has too few pending duplicate pairs');
  }, 120_000);
  afterAll(async () => env?.stop());

  const pairRow = async (id: string): Promise<{ status: string; decidedBy: string | null; inJira: number; active: number } | 'missing'> => {
    const [row] = (await env.forge.sql.query('SELECT status, decided_by, decided_in_jira, active FROM pairs WHERE id = ?', [id])) as Array<{ status: string; decided_by: string | null; decided_in_jira: number; active: number }>;
    return row === undefined ? 'missing' : { status: row.status, decidedBy: row.decided_by, inJira: Number(row.decided_in_jira), active: Number(row.active) };
  };
  const history = async (id: string): Promise<string[]> =>
    ((await env.forge.sql.query('SELECT action, actor, detail FROM actions WHERE pair_id = ? ORDER BY at_ms, id', [id])) as Array<{ action: string; actor: string | null; detail: string }>).map(
      (r) => `${r.action}|${r.actor ?? 'Jira'}|${r.detail.startsWith('score') ? 'app' : r.detail}`,
    );
  const decide = async (pairId: string, payload: Record<string, unknown>): Promise<void> => {
    const result = (await env.forge.callResolver('project-page-resolver', 'pairs.decide', { pairId, ...payload }, { accountId: 'member-1', extension: HADOOP_PAGE })) as { success: boolean };
    expect(result.success).toBe(true);
  };
  /** Moves the issue to another project in Jira; its event reaches the app. */
  const move = async (issueId: string, projectKey: string): Promise<void> => {
    env.jira.updateIssue(issueId, { projectKey }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await env.forge.queue.settle(60_000);
  };

  it('a pair reopened while Jira links it stays open, with its history as it was', async () => {
    const p = pairs[0]!;
    expect((await call(env.jira.url, 'POST', '/rest/api/3/issueLink', 'user:member-1', { type: { name: 'Duplicate' }, inwardIssue: { key: p.kb }, outwardIssue: { key: p.ka } })).status).toBe(201);
    await env.jira.flushEvents();
    expect(await pairRow(p.id)).toEqual({ status: 'confirmed', decidedBy: 'member-1', inJira: 1, active: 1 });
    // "Review this again": reopened, the link left in Jira.
    await decide(p.id, { decision: 'reopen' });
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0, active: 1 });
    await move(p.a, 'MOB');
    // Kept, hidden, as a decided pair is (it was deleted).
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0, active: 0 });
    await move(p.a, 'HADOOP');
    // Back in scope with the link still there: still open (it was stored as new and confirmed
    // again from the link, with a second "Linked as duplicates in Jira" entry).
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0, active: 1 });
    const entries = ['confirm|member-1|Linked as duplicates in Jira', 'reopen|member-1|app'];
    expect(await history(p.id)).toEqual(entries);
    await fullRun(env);
    expect(await pairRow(p.id)).toEqual({ status: 'pending', decidedBy: null, inJira: 0, active: 1 });
    expect(await history(p.id)).toEqual(entries);
  }, 180_000);

  it('a dismissed pair stays dismissed when its issue leaves scope while a run writes its pairs', async () => {
    const p = pairs[1]!;
    await decide(p.id, { decision: 'dismiss' });
    // The score step's pair insert, after it loaded every document: held while the issue leaves.
    const held = env.forge.sql.faults.holdNext(/INSERT INTO pairs/, HOLD_MS);
    await startRun({ scope: HADOOP, trigger: 'manual', mode: 'full', startedBy: 'admin-1' });
    await held;
    const heldAt = Date.now();
    env.jira.updateIssue(p.b, { projectKey: 'MOB' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    // The issue left while the run's pair write was still held: the race ran.
    expect(Date.now() - heldAt).toBeLessThan(HOLD_MS);
    await env.forge.queue.settle(60_000);
    // The run wrote the pair again (active), then retired it again (it used to delete it,
    // decision included, as for an issue deleted in Jira).
    expect(await pairRow(p.id)).toEqual({ status: 'dismissed', decidedBy: 'member-1', inJira: 0, active: 0 });
    await move(p.b, 'HADOOP');
    expect(await pairRow(p.id)).toEqual({ status: 'dismissed', decidedBy: 'member-1', inJira: 0, active: 1 });
    expect(await history(p.id)).toEqual(['dismiss|member-1|app']);
  }, 180_000);
});
