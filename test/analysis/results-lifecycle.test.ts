/**
 * What happens to results over time: decisions survive re-analysis, deleted issues leave
 * everywhere, and issue events keep one issue's suggestions current.
 */
import { startRun } from '../../src/analysis/run-control';
import { pairsOfIssue } from '../../src/store/pairs';
import { getDoc } from '../../src/store/docs';
import { deletedAmong } from '../../src/store/deleted-issues';
import { leftScopeSince } from '../../src/store/left-scope';
import { getSettings, saveSettings } from '../../src/store/settings';
import { onIssueChanged } from '../../src/analysis/incremental';
import { devsetSubset, hasDevset, knownPairs, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;

async function fullRun(env: Env): Promise<void> {
  await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
  await env.forge.queue.settle(60_000);
}

async function pairRow(env: Env, id: string): Promise<{ status: string; active: number; decided_by: string | null } | undefined> {
  const rows = (await env.forge.sql.query('SELECT status, active, decided_by FROM pairs WHERE id = ?', [id])) as Array<{ status: string; active: number; decided_by: string | null }>;
  return rows[0];
}

maybe('results over time', () => {
  let env: Env;
  const unsubscribe: Array<() => void> = [];
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(300) });
    // Product events from the stand-in go to the app's triggers, as Jira would send them.
    unsubscribe.push(env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    }));
    await fullRun(env);
  }, 90_000);
  afterAll(async () => {
    for (const u of unsubscribe) u();
    await env?.stop();
  });

  it('confirmed and dismissed decisions survive re-analysis', async () => {
    const rows = (await env.forge.sql.query("SELECT id FROM pairs WHERE active = 1 ORDER BY score DESC LIMIT 2")) as Array<{ id: string }>;
    const [confirmed, dismissed] = rows.map((r) => r.id);
    await env.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_by = 'admin-1', decided_ms = 1 WHERE id = ?", [confirmed]);
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 2 WHERE id = ?", [dismissed]);
    await fullRun(env);
    expect(await pairRow(env, confirmed!)).toEqual({ status: 'confirmed', active: 1, decided_by: 'admin-1' });
    expect(await pairRow(env, dismissed!)).toEqual({ status: 'dismissed', active: 1, decided_by: 'member-1' });
  }, 90_000);

  it('stored terms that cannot be read are left out once, then read again from Jira by the next full run', async () => {
    const [a, b] = knownPairs()[2]!;
    const id = a < b ? `${a}-${b}` : `${b}-${a}`;
    expect((await pairRow(env, id))?.active).toBe(1);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // One value that does not inflate, one that is not an encoding at all.
      await env.forge.sql.query("UPDATE docs SET terms = 'zAAAA' WHERE id = ?", [a]);
      await env.forge.sql.query("UPDATE docs SET terms = 'not an encoding' WHERE id = ?", [b]);
      await fullRun(env);
      expect((await pairRow(env, id))?.active).toBe(0);
      const hashes = (await env.forge.sql.query('SELECT text_hash FROM docs WHERE id IN (?, ?)', [a, b])) as Array<{ text_hash: string }>;
      expect(hashes.map((h) => h.text_hash)).toEqual(['', '']);
      expect(warn.mock.calls.some((c) => String(c[0]).includes('2 issue(s) with unreadable stored terms'))).toBe(true);
    } finally {
      warn.mockRestore();
    }
    await fullRun(env);
    expect((await pairRow(env, id))?.active).toBe(1);
    const terms = (await env.forge.sql.query('SELECT terms, text_hash FROM docs WHERE id IN (?, ?)', [a, b])) as Array<{ terms: string; text_hash: string }>;
    for (const t of terms) {
      expect(t.terms).toMatch(/^(d1|z)/);
      expect(t.text_hash).not.toBe('');
    }
  }, 120_000);

  it('a decision outlives a stay out of scope: a filter that leaves the issues out, then one that lets them back in', async () => {
    const rows = (await env.forge.sql.query("SELECT id FROM pairs WHERE active = 1 AND status = 'pending' ORDER BY score DESC LIMIT 2")) as Array<{ id: string }>;
    const [dismissed, pending] = rows.map((r) => r.id);
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 3 WHERE id = ?", [dismissed]);
    const settings = await getSettings();
    await saveSettings({ ...settings, jqlFilter: 'labels = no-such-label' });
    try {
      await fullRun(env);
      // Out of scope: the decided pair is hidden, not deleted; the undecided one is gone.
      expect(await pairRow(env, dismissed!)).toEqual({ status: 'dismissed', active: 0, decided_by: 'member-1' });
      expect(await pairRow(env, pending!)).toBeUndefined();
    } finally {
      await saveSettings(settings);
    }
    await fullRun(env);
    expect(await pairRow(env, dismissed!)).toEqual({ status: 'dismissed', active: 1, decided_by: 'member-1' });
    expect(await pairRow(env, pending!)).toEqual({ status: 'pending', active: 1, decided_by: null });
  }, 120_000);

  it('an issue deleted in Jira leaves docs and suggestions on the next full run; a decision about it is kept hidden, as for an issue out of scope', async () => {
    const [a, b] = knownPairs()[0]!;
    const id = a < b ? `${a}-${b}` : `${b}-${a}`;
    expect(await pairRow(env, id)).toBeDefined();
    await env.forge.sql.query("UPDATE pairs SET status = 'confirmed' WHERE id = ?", [id]);
    // Deleted by the app's own account: ignoreSelf filters the event, so the app never hears
    // of it and the sweep of the next full run must notice.
    env.jira.deleteIssue(a, 'app');
    await env.jira.flushEvents();
    expect(await getDoc(a)).not.toBeNull();
    await fullRun(env);
    expect(await getDoc(a)).toBeNull();
    // A full run cannot tell a deleted issue from one its filter no longer returns.
    expect(await pairRow(env, id)).toMatchObject({ status: 'confirmed', active: 0 });
    expect(await pairsOfIssue(a, { activeOnly: true })).toEqual([]);
    expect((await pairsOfIssue(a)).every((p) => p.status !== 'pending')).toBe(true);
    expect(await getDoc(b)).not.toBeNull();
  }, 90_000);

  it('a delete event removes the issue at once', async () => {
    const [a] = knownPairs()[1]!;
    expect(await getDoc(a)).not.toBeNull();
    env.jira.deleteIssue(a, { accountId: 'admin-1' });
    await env.jira.flushEvents();
    await waitFor(async () => (await getDoc(a)) === null);
    // Deleted in Jira: gone, decisions included.
    expect(await pairsOfIssue(a)).toEqual([]);
  }, 30_000);

  it('an issue Jira answers 404 for when its event is handled is forgotten as one that left scope, not as deleted', async () => {
    // The other issue of the pair whose first issue the test above deleted.
    const [, a] = knownPairs()[1]!;
    expect(await getDoc(a)).not.toBeNull();
    // Deleted without a delete event reaching the app; then an event of it is handled.
    env.jira.deleteIssue(a, 'app');
    expect(await onIssueChanged(a)).toBe('removed');
    expect(await getDoc(a)).toBeNull();
    expect(await pairsOfIssue(a, { activeOnly: true })).toEqual([]);
    // Jira answers 404 for an issue the app may not see too, and may show it again: the exit
    // is remembered (a run writing its pairs meanwhile retires them again), not a delete, and
    // a later event asks Jira again.
    expect(await deletedAmong([a])).toEqual([]);
    expect(await leftScopeSince([a], 0)).toEqual([a]);
    const before = env.jira.stats().total;
    expect(await onIssueChanged(a)).toBe('ignored');
    expect(env.jira.stats().total).toBe(before + 1);
  }, 30_000);

  it('a created issue has stored suggestions soon after its event', async () => {
    const [x] = knownPairs()[2]!;
    const original = env.jira.store.getIssue(x);
    expect(original).toBeDefined();
    const t0 = Date.now();
    const created = env.jira.createIssue({ projectKey: 'HADOOP', summary: original!.summary, description: 'Seen again on trunk.', type: 'Bug' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await waitFor(async () => (await pairsOfIssue(created.id, { activeOnly: true })).length > 0);
    const pairs = await pairsOfIssue(created.id, { activeOnly: true });
    console.log(`created → suggestions stored in ${Date.now() - t0} ms; ${pairs.length} pairs`);
    expect(pairs.some((p) => p.a === x || p.b === x)).toBe(true);
    expect((await getDoc(created.id))?.scoredMs).not.toBeNull();
  }, 30_000);

  it('events for projects outside the settings are ignored without asking Jira', async () => {
    const before = env.jira.stats().total;
    await expect(onIssueChanged('999999', { eventProjectKey: 'OTHER' })).resolves.toBe('ignored');
    expect(env.jira.stats().total).toBe(before);
  });

  it('a confirmed pair stays listed, with its decision, when an edit makes its two issues stop matching; a pending one is hidden', async () => {
    const [row] = (await env.forge.sql.query("SELECT id, issue_a, issue_b FROM pairs WHERE active = 1 AND status = 'pending' ORDER BY score DESC, id LIMIT 1 OFFSET 3")) as Array<{ id: string; issue_a: string; issue_b: string }>;
    expect(row).toBeDefined();
    const { id, issue_a: a } = row!;
    await env.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_by = 'member-1', decided_ms = 4 WHERE id = ?", [id]);
    const others = (await pairsOfIssue(a, { activeOnly: true })).filter((p) => p.id !== id && p.status === 'pending').map((p) => p.id);
    const summary = 'Gift wrapping ribbon colours for the winter catalogue';
    env.jira.updateIssue(a, { summary, description: 'Choose ribbon colours for gift wrapping in the winter catalogue.' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await waitFor(async () => (await getDoc(a))?.summary === summary);
    await env.forge.queue.settle(30_000);
    // The Duplicate link it made is still in Jira: the decision stays where people can see and undo it.
    expect(await pairRow(env, id)).toEqual({ status: 'confirmed', active: 1, decided_by: 'member-1' });
    for (const other of others) expect((await pairRow(env, other))?.active).toBe(0);
    // A full run keeps it too.
    await fullRun(env);
    expect(await pairRow(env, id)).toEqual({ status: 'confirmed', active: 1, decided_by: 'member-1' });
  }, 120_000);

  it('an issue moved out of scope (type filter) leaves the results on its update event', async () => {
    const [x] = knownPairs()[3]!;
    expect(await getDoc(x)).not.toBeNull();
    const settings = await getSettings();
    await saveSettings({ ...settings, issueTypes: ['Bug'] });
    env.jira.updateIssue(x, { type: 'Task' }, { accountId: 'member-1' });
    await env.jira.flushEvents();
    await waitFor(async () => (await getDoc(x)) === null);
    expect(await pairsOfIssue(x)).toEqual([]);
    await saveSettings(settings);
  }, 30_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

maybe('an issue deleted while a full run is storing its pairs', () => {
  it('does not come back through that run', async () => {
    const env = await startEnv({ seed: devsetSubset(300) });
    const unsubscribe = env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    try {
      await fullRun(env);
      const [x] = knownPairs()[4]!;
      expect((await pairsOfIssue(x, { activeOnly: true })).length).toBeGreaterThan(0);
      // The next run loads x, finds its pairs, and then, while its first pair statement waits,
      // x is deleted in Jira and its event removes it from the index.
      env.forge.sql.faults.setLatency(400, /^\s*INSERT INTO pairs/);
      const state: { deleting: Promise<void> | null } = { deleting: null };
      const unobserve = env.forge.sql.observe((query) => {
        if (state.deleting || !/^\s*INSERT INTO pairs/.test(query)) return;
        state.deleting = (async () => {
          env.jira.deleteIssue(x, { accountId: 'admin-1' });
          await env.jira.flushEvents();
        })();
      });
      await fullRun(env);
      unobserve();
      env.forge.sql.faults.setLatency(0);
      expect(state.deleting).not.toBeNull();
      await state.deleting;
      await env.forge.queue.settle(60_000);
      expect(await getDoc(x)).toBeNull();
      expect(await pairsOfIssue(x)).toEqual([]);
      const orphans = (await env.forge.sql.query(
        'SELECT COUNT(*) AS n FROM pairs p LEFT JOIN docs a ON a.id = p.issue_a LEFT JOIN docs b ON b.id = p.issue_b WHERE a.id IS NULL OR b.id IS NULL',
      )) as Array<{ n: number }>;
      expect(Number(orphans[0]?.n)).toBe(0);
    } finally {
      unsubscribe();
      await env.stop();
    }
  }, 120_000);
});

maybe('an issue deleted while a writer that read it from Jira is storing it', () => {
  let env: Env;
  let unsubscribe: () => void = () => undefined;
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(300) });
    unsubscribe = env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    await fullRun(env);
  }, 90_000);
  afterAll(async () => {
    unsubscribe();
    await env?.stop();
  });

  /**
   * Delays the writes of `id`'s document and, when the first is sent, deletes the issue in
   * Jira and delivers its event, which therefore runs between the writer's read and write.
   */
  function deleteDuringDocWrite(id: string): { deleting: () => Promise<void> | null; stop: () => void } {
    const state: { deleting: Promise<void> | null } = { deleting: null };
    env.forge.sql.faults.setLatency(400, /^\s*INSERT INTO docs/);
    const unobserve = env.forge.sql.observe((query, params) => {
      if (state.deleting || !/^\s*INSERT INTO docs/.test(query) || !params.includes(id)) return;
      state.deleting = (async () => {
        env.jira.deleteIssue(id, { accountId: 'admin-1' });
        await env.jira.flushEvents();
      })();
    });
    return {
      deleting: () => state.deleting,
      stop: () => {
        unobserve();
        env.forge.sql.faults.setLatency(0);
      },
    };
  }

  it('an update event read before the deletion does not bring the document back', async () => {
    const [x] = knownPairs()[5]!;
    expect(await getDoc(x)).not.toBeNull();
    const race = deleteDuringDocWrite(x);
    let outcome: string;
    try {
      // As a redelivered update event would: the issue is fetched, then its document stored.
      outcome = await onIssueChanged(x);
    } finally {
      race.stop();
    }
    expect(race.deleting()).not.toBeNull();
    await race.deleting();
    expect(outcome).toBe('deleted');
    expect(await getDoc(x)).toBeNull();
    expect(await pairsOfIssue(x)).toEqual([]);
    // A later event for it costs no Jira call.
    const before = env.jira.stats().total;
    await expect(onIssueChanged(x)).resolves.toBe('deleted');
    expect(env.jira.stats().total).toBe(before);
  }, 30_000);

  it('a full run whose search page held the issue does not bring it back', async () => {
    const [x] = knownPairs()[6]!;
    expect(await getDoc(x)).not.toBeNull();
    const race = deleteDuringDocWrite(x);
    try {
      await fullRun(env);
    } finally {
      race.stop();
    }
    expect(race.deleting()).not.toBeNull();
    await race.deleting();
    await env.forge.queue.settle(60_000);
    expect(await getDoc(x)).toBeNull();
    expect(await pairsOfIssue(x)).toEqual([]);
  }, 120_000);
});
