/**
 * Duplicate links made in Jira itself: a run (or an issue event) that reads an issue with
 * such a link confirms the pending pair as "linked in Jira", and puts it back to pending when
 * the link is gone; decisions people made are left alone.
 */
import { startRun } from '../../src/analysis/run-control';
import { onIssueChanged } from '../../src/analysis/incremental';
import { listActions } from '../../src/store/actions';
import { getPair, setPairStatus } from '../../src/store/review';
import { call } from '../jira-standin/helpers';
import { devsetSubset, hasDevset, knownPairs, pipelineHandlers, startEnv, type Env } from './helpers';

const maybe = hasDevset ? describe : describe.skip;
const SCOPE = { kind: 'project', projectKey: 'HADOOP' } as const;

async function fullRun(env: Env): Promise<void> {
  await startRun({ scope: SCOPE, trigger: 'manual', startedBy: 'admin-1' });
  await env.forge.queue.settle(60_000);
}

interface Row {
  status: string;
  decided_by: string | null;
  decided_in_jira: number;
}

async function pairRow(env: Env, id: string): Promise<Row | undefined> {
  const rows = (await env.forge.sql.query('SELECT status, decided_by, decided_in_jira FROM pairs WHERE id = ?', [id])) as Row[];
  return rows[0] ? { ...rows[0], decided_in_jira: Number(rows[0].decided_in_jira) } : undefined;
}

function idOf(a: string, b: string): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

maybe('Duplicate links made in Jira', () => {
  let env: Env;
  // Known duplicate pairs of the subset that the first run stores as pending pairs.
  let pairs: Array<{ id: string; a: string; b: string; keyA: string; keyB: string }> = [];
  beforeAll(async () => {
    env = await startEnv({ seed: devsetSubset(300) });
    await fullRun(env);
    for (const [a, b] of knownPairs()) {
      const row = await pairRow(env, idOf(a, b));
      const view = row?.status === 'pending' ? await getPair(idOf(a, b)) : null;
      if (view) pairs.push({ id: view.id, a, b, keyA: view.a.key, keyB: view.b.key });
    }
    pairs = pairs.slice(0, 4);
  }, 90_000);
  afterAll(async () => env?.stop());

  it('a run confirms a pending pair that Jira links as duplicates, and says so in the history, once', async () => {
    expect(pairs.length).toBe(4);
    const [p, other] = pairs;
    env.jira.link('Duplicate', p!.keyB, p!.keyA);
    await fullRun(env);
    expect(await pairRow(env, p!.id)).toEqual({ status: 'confirmed', decided_by: null, decided_in_jira: 1 });
    // A pair nobody linked stays as it was.
    expect(await pairRow(env, other!.id)).toEqual({ status: 'pending', decided_by: null, decided_in_jira: 0 });
    const view = await getPair(p!.id);
    expect(view?.decidedInJira).toBe(true);
    expect(view?.decidedMs).toBeGreaterThan(0);

    const history = await listActions({ projectKeys: null });
    const entries = history.items.filter((a) => a.pairId === p!.id);
    expect(entries).toEqual([
      expect.objectContaining({ action: 'confirm', actorAccountId: null, detail: 'Linked as duplicates in Jira', issueKeys: [p!.keyA, p!.keyB] }),
    ]);
    // The next run finds the same link and changes nothing: no second history entry.
    await fullRun(env);
    expect((await listActions({ projectKeys: null })).items.filter((a) => a.pairId === p!.id)).toHaveLength(1);
  }, 120_000);

  it('a decision a person made is kept, even when Jira links the pair', async () => {
    const [, , dismissed] = pairs;
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 5 WHERE id = ?", [dismissed!.id]);
    env.jira.link('Duplicate', dismissed!.keyA, dismissed!.keyB);
    await fullRun(env);
    expect(await pairRow(env, dismissed!.id)).toEqual({ status: 'dismissed', decided_by: 'member-1', decided_in_jira: 0 });
  }, 120_000);

  it('a person who reopens a pair Jira links keeps it open: only a link that appears since the last read confirms', async () => {
    const [p] = pairs;
    expect(await pairRow(env, p!.id)).toMatchObject({ status: 'confirmed', decided_in_jira: 1 });
    expect(await setPairStatus(p!.id, 'pending', 'member-1', Date.now(), 'confirmed')).toBe(true);
    await fullRun(env);
    expect(await pairRow(env, p!.id)).toEqual({ status: 'pending', decided_by: null, decided_in_jira: 0 });
    // Put back as the next test expects it: confirmed through the link.
    await env.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_ms = 1, decided_in_jira = 1 WHERE id = ?", [p!.id]);
  }, 120_000);

  it('a link removed in Jira puts the pair back to pending at the next run', async () => {
    const [p] = pairs;
    const store = (env.jira as unknown as { core: { store: { links: Map<string, { inwardIssueId: string; outwardIssueId: string }>; removeLink(id: string): void } } }).core.store;
    const linkId = [...store.links.entries()].find(([, l]) => [l.inwardIssueId, l.outwardIssueId].sort().join('-') === p!.id)?.[0];
    expect(linkId).toBeDefined();
    store.removeLink(linkId!);
    await fullRun(env);
    expect(await pairRow(env, p!.id)).toEqual({ status: 'pending', decided_by: null, decided_in_jira: 0 });
    const entries = (await listActions({ projectKeys: null })).items.filter((a) => a.pairId === p!.id);
    expect(entries[0]).toEqual(expect.objectContaining({ action: 'reopen', actorAccountId: null, detail: 'The Duplicate link was removed in Jira' }));
  }, 120_000);

  it('an issue event that reads the issue with its new link confirms the pair at once', async () => {
    const p = pairs[3]!;
    env.jira.link('Duplicate', p.keyA, p.keyB);
    await expect(onIssueChanged(p.a)).resolves.toBe('unchanged');
    expect(await pairRow(env, p.id)).toEqual({ status: 'confirmed', decided_by: null, decided_in_jira: 1 });
  }, 60_000);

  it('a Duplicate link made or removed by someone in Jira reaches the pair through its event, before any run', async () => {
    const p = pairs[1]!;
    expect(await pairRow(env, p.id)).toEqual({ status: 'pending', decided_by: null, decided_in_jira: 0 });
    const unsubscribe = env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    try {
      // Another link type between the same issues changes nothing.
      expect((await call(env.jira.url, 'POST', '/rest/api/3/issueLink', 'user:admin-1', { type: { name: 'Relates' }, inwardIssue: { key: p.keyA }, outwardIssue: { key: p.keyB } })).status).toBe(201);
      await env.jira.flushEvents();
      expect((await pairRow(env, p.id))?.status).toBe('pending');

      expect((await call(env.jira.url, 'POST', '/rest/api/3/issueLink', 'user:admin-1', { type: { name: 'Duplicate' }, inwardIssue: { key: p.keyB }, outwardIssue: { key: p.keyA } })).status).toBe(201);
      await env.jira.flushEvents();
      // The event says who made the link: the pair counts as theirs (charts, CSV), and the history names them.
      expect(await pairRow(env, p.id)).toEqual({ status: 'confirmed', decided_by: 'admin-1', decided_in_jira: 1 });
      const made = (await listActions({ projectKeys: null })).items.find((a) => a.pairId === p.id && a.action === 'confirm');
      expect(made).toEqual(expect.objectContaining({ actorAccountId: 'admin-1', detail: 'Linked as duplicates in Jira' }));

      const read = await call(env.jira.url, 'GET', `/rest/api/3/issue/${p.b}?fields=issuelinks`, 'user:admin-1');
      const links = (read.json.fields as { issuelinks: Array<{ id: string; type: { name: string } }> }).issuelinks;
      const duplicate = links.find((l) => l.type.name === 'Duplicate');
      expect((await call(env.jira.url, 'DELETE', `/rest/api/3/issueLink/${duplicate!.id}`, 'user:admin-1')).status).toBe(204);
      await env.jira.flushEvents();
      expect(await pairRow(env, p.id)).toEqual({ status: 'pending', decided_by: null, decided_in_jira: 0 });
      const removed = (await listActions({ projectKeys: null })).items.find((a) => a.pairId === p.id && a.action === 'reopen');
      expect(removed).toEqual(expect.objectContaining({ actorAccountId: 'admin-1', detail: 'The Duplicate link was removed in Jira' }));
    } finally {
      unsubscribe();
    }
  }, 60_000);

  it('ignores link events it cannot read, and Duplicate links of pairs that do not need them, without reading Jira', async () => {
    const p = pairs[2]!;
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 5 WHERE id = ?", [p.id]);
    const before = env.jira.stats().total;
    const events: unknown[] = [
      { eventType: 'avi:jira:created:issuelink' },
      { eventType: 'avi:jira:created:issuelink', sourceIssueId: {}, destinationIssueId: '1', issueLinkType: { name: 'Duplicate' } },
      { eventType: 'avi:jira:deleted:issuelink', issueLink: { sourceIssueId: p.a, destinationIssueId: p.b, issueLinkType: null } },
      { eventType: 'avi:jira:created:issuelink', sourceIssueId: p.a, destinationIssueId: p.b, issueLinkType: { name: 'Duplicate', outwardName: 'duplicates' } },
      { eventType: 'avi:jira:created:issuelink', issueLink: { sourceIssueId: '999999', destinationIssueId: '999998', issueLinkType: { name: 'Dup', outwardName: 'duplicates' } } },
    ];
    for (const event of events) await expect(pipelineHandlers.issueEvents(event)).resolves.toBeUndefined();
    expect(env.jira.stats().total).toBe(before);
    expect((await pairRow(env, p.id))?.status).toBe('dismissed');
  }, 60_000);

  it('a link event on a pair it does not change is recorded on the documents, so a later read respects a person\'s decision, and a link made again is followed', async () => {
    const p = pairs[3]!;
    const unsubscribe = env.jira.onEvent(async (eventType, payload) => {
      await env.forge.deliverProductEvent(eventType, payload as Record<string, unknown>);
    });
    const duplicateLinkId = async (): Promise<string | undefined> => {
      const read = await call(env.jira.url, 'GET', `/rest/api/3/issue/${p.a}?fields=issuelinks`, 'user:admin-1');
      return (read.json.fields as { issuelinks: Array<{ id: string; type: { name: string } }> }).issuelinks.find((l) => l.type.name === 'Duplicate')?.id;
    };
    const storedLinks = async (): Promise<string[]> =>
      ((await env.forge.sql.query('SELECT dup_links FROM docs WHERE id IN (?, ?) ORDER BY id', [p.a, p.b])) as Array<{ dup_links: string }>).map((r) => r.dup_links);
    try {
      // Start clean: no link in Jira, none stored, the pair dismissed by a person.
      const old = await duplicateLinkId();
      if (old !== undefined) await call(env.jira.url, 'DELETE', `/rest/api/3/issueLink/${old}`, 'user:admin-1');
      await env.jira.flushEvents();
      await env.forge.sql.query("UPDATE docs SET dup_links = '' WHERE id IN (?, ?)", [p.a, p.b]);
      await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 5, decided_in_jira = 0 WHERE id = ?", [p.id]);

      // Linked in Jira while dismissed: recorded, not followed (the decision stands).
      expect((await call(env.jira.url, 'POST', '/rest/api/3/issueLink', 'user:admin-1', { type: { name: 'Duplicate' }, inwardIssue: { key: p.keyA }, outwardIssue: { key: p.keyB } })).status).toBe(201);
      await env.jira.flushEvents();
      expect(await storedLinks()).toEqual([p.a < p.b ? p.b : p.a, p.a < p.b ? p.a : p.b].map(String));
      expect((await pairRow(env, p.id))?.status).toBe('dismissed');
      // A person restores it; the next full run reads the link it already knew of: no change, no confirmation.
      expect(await setPairStatus(p.id, 'pending', 'member-1', Date.now(), 'dismissed')).toBe(true);
      await fullRun(env);
      expect(await pairRow(env, p.id)).toEqual({ status: 'pending', decided_by: null, decided_in_jira: 0 });

      // Removed, then made again, in Jira: the removal is recorded, the new link is followed.
      expect((await call(env.jira.url, 'DELETE', `/rest/api/3/issueLink/${(await duplicateLinkId())!}`, 'user:admin-1')).status).toBe(204);
      await env.jira.flushEvents();
      expect(await storedLinks()).toEqual(['', '']);
      expect((await call(env.jira.url, 'POST', '/rest/api/3/issueLink', 'user:admin-1', { type: { name: 'Duplicate' }, inwardIssue: { key: p.keyB }, outwardIssue: { key: p.keyA } })).status).toBe(201);
      await env.jira.flushEvents();
      expect(await pairRow(env, p.id)).toEqual({ status: 'confirmed', decided_by: 'admin-1', decided_in_jira: 1 });
    } finally {
      unsubscribe();
    }
  }, 120_000);

  // Forge neither orders nor deduplicates events: the delete event of a link can come after
  // the same two issues were linked again. Taken at its word it dropped the link from the
  // stored documents while Jira still has one; the next read of the issues then found a link
  // "made in Jira" and confirmed the pair over the person who had put it back to pending.
  it('a late delete event of a link made again in Jira leaves the stored link, from one small read of Jira', async () => {
    const p = pairs[3]!;
    const storedLinks = async (): Promise<string[]> =>
      ((await env.forge.sql.query('SELECT dup_links FROM docs WHERE id IN (?, ?) ORDER BY id', [p.a, p.b])) as Array<{ dup_links: string }>).map((r) => r.dup_links);
    const linkedInJira = async (): Promise<boolean> => {
      const read = await call(env.jira.url, 'GET', `/rest/api/3/issue/${p.a}?fields=issuelinks`, 'user:admin-1');
      return (read.json.fields as { issuelinks: Array<{ type: { name: string } }> }).issuelinks.some((l) => l.type.name === 'Duplicate');
    };
    const lateDelete = { eventType: 'avi:jira:deleted:issuelink', sourceIssueId: p.b, destinationIssueId: p.a, issueLinkType: { name: 'Duplicate', outwardName: 'duplicates' } };
    if (!(await linkedInJira())) env.jira.link('Duplicate', p.keyB, p.keyA);
    await env.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [p.b, p.a]);
    await env.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [p.a, p.b]);
    await env.forge.sql.query("UPDATE pairs SET status = 'dismissed', decided_by = 'member-1', decided_ms = 5, decided_in_jira = 0 WHERE id = ?", [p.id]);

    const before = env.jira.stats().total;
    await expect(pipelineHandlers.issueEvents(lateDelete)).resolves.toBeUndefined();
    // One read of one issue's links: Jira lists a link on both of its issues.
    expect(env.jira.stats().total - before).toBe(1);
    expect(await storedLinks()).toEqual(p.a < p.b ? [p.b, p.a] : [p.a, p.b]);
    expect((await pairRow(env, p.id))?.status).toBe('dismissed');

    // The same event when Jira has no link between them any more: the stored links go.
    const read = await call(env.jira.url, 'GET', `/rest/api/3/issue/${p.a}?fields=issuelinks`, 'user:admin-1');
    for (const l of (read.json.fields as { issuelinks: Array<{ id: string; type: { name: string } }> }).issuelinks.filter((x) => x.type.name === 'Duplicate')) {
      await call(env.jira.url, 'DELETE', `/rest/api/3/issueLink/${l.id}`, 'user:admin-1');
    }
    await expect(pipelineHandlers.issueEvents(lateDelete)).resolves.toBeUndefined();
    expect(await storedLinks()).toEqual(['', '']);
  }, 60_000);
});
