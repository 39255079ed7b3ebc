/**
 * Issue view surfaces: suggestions, the badge, decisions from the panel, and the create
 * check, through the real @forge/resolver, LocalForge, MariaDB and the Jira stand-in.
 */
import { encodeTerms, extractTerms } from '../../src/engine';
import { markScored, recordDupLink, upsertDocs } from '../../src/store/docs';
import { confirmAsLinkedInJira } from '../../src/store/jira-links';
import { upsertPairs } from '../../src/store/pairs';
import { deleteRunRow, insertRun } from '../../src/store/runs';
import { getSettings, saveSettings } from '../../src/store/settings';
import { issue, issueExtension, ok, pairIdOf, startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('suggestions.get', () => {
  it('lists both tiers with scores, shared words, highlighted summaries and canLink', async () => {
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1', issueExtension('SHOP-1')));
    expect(view.indexed).toBe(true);
    expect(view.issue).toEqual({ id: issue('SHOP-1').id, key: 'SHOP-1', summary: issue('SHOP-1').summary });
    expect(view.computedAt).not.toBeNull();
    expect(view.canLink).toBe(true);
    expect(view.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-2', 'SHOP-5']);
    const top = view.duplicates[0];
    expect(top?.score).toBeCloseTo(0.82);
    expect(top?.tier).toBe('duplicate');
    expect(top?.status).toBe('pending');
    expect(top?.linked).toBe(false);
    expect(top?.sharedTerms.map((t) => t.term)).toEqual(['payment', 'gateway', 'timeout']);
    expect(top?.summarySegments.map((s) => s.text).join('')).toBe(issue('SHOP-2').summary);
    expect(top?.summarySegments.some((s) => s.match && /payment/i.test(s.text))).toBe(true);
    expect(view.related).toEqual([]);
    expect(view.dismissed).toEqual([]);
    // SHOP-1 is the older: linking marks the suggested issue as the duplicate; seen from SHOP-2, itself.
    expect(view.duplicates.map((s) => s.thisIsDuplicate)).toEqual([false, false]);
    const fromNewer = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, 'member-1', issueExtension('SHOP-2')));
    expect(fromNewer.duplicates.find((s) => s.issue.key === 'SHOP-1')?.thisIsDuplicate).toBe(true);
  });

  it('puts related-tier pairs in their own list', async () => {
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, 'member-1', issueExtension('SHOP-3')));
    expect(view.duplicates).toEqual([]);
    expect(view.related.map((s) => s.issue.key)).toEqual(['SHOP-4']);
  });

  it('says indexed: false for an issue no analysis covered, and pending while a new one is on its way', async () => {
    const created = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Brand new issue', type: 'Bug' });
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: created.id }, 'member-1'));
    expect(view.indexed).toBe(false);
    expect(view.computedAt).toBeNull();
    expect(view.duplicates).toEqual([]);
    // Created just now in an analysed project: its created event will bring suggestions.
    expect(view.pending).toBe(true);
    // Created long ago and never analysed: nothing is on its way.
    const old = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Old issue never analysed', type: 'Bug', created: '2025-01-01T10:00:00.000Z' });
    expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: old.id }, 'member-1')).pending).toBe(false);
    // A new issue of a type the settings leave out is not waited for either.
    const settings = await getSettings();
    await saveSettings({ ...settings, issueTypes: ['Task'] });
    try {
      expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: created.id }, 'member-1')).pending).toBe(false);
    } finally {
      await saveSettings(settings);
    }
  });

  it('says pending while an analysis has read the issue and not scored it, for a while', async () => {
    const [row] = (await h.forge.sql.query('SELECT scored_ms, seen_ms FROM docs WHERE id = ?', [issue('SHOP-6').id])) as Array<{ scored_ms: number | null; seen_ms: number }>;
    expect(row?.scored_ms).not.toBeNull();
    expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-6').id }, 'member-1')).pending).toBe(false);
    try {
      await h.forge.sql.query('UPDATE docs SET scored_ms = NULL, seen_ms = ? WHERE id = ?', [Date.now(), issue('SHOP-6').id]);
      const reading = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-6').id }, 'member-1'));
      expect(reading).toMatchObject({ indexed: true, pending: true });
      // Read 11 minutes ago and still not scored (a run that failed): no longer waited for.
      await h.forge.sql.query('UPDATE docs SET seen_ms = ? WHERE id = ?', [Date.now() - 11 * 60_000, issue('SHOP-6').id]);
      expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-6').id }, 'member-1')).pending).toBe(false);
    } finally {
      await h.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [row?.scored_ms ?? null, row?.seen_ms ?? 0, issue('SHOP-6').id]);
    }
    expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-6').id }, 'member-1')).pending).toBe(false);
  });

  it('hides suggestions in projects the viewer may not browse', async () => {
    const member = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, 'member-1'));
    expect(member.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-1', 'OPS-1']);
    const restricted = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-2').id }, 'restricted-1'));
    expect(restricted.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-1']);
  });

  it('says when the list was last brought up to date: a newer pair counts, though the issue itself was compared earlier, and only pairs the viewer sees', async () => {
    const open = issue('SHOP-2');
    const [before] = (await h.forge.sql.query('SELECT scored_ms, seen_ms FROM docs WHERE id = ?', [open.id])) as Array<{ scored_ms: number; seen_ms: number }>;
    const pairs = (await h.forge.sql.query('SELECT id, last_seen_ms FROM pairs WHERE id IN (?, ?)', [pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-2', 'OPS-1')])) as Array<{ id: string; last_seen_ms: number }>;
    const compared = Date.now() - 7 * 60_000;
    const view = async (user: 'member-1' | 'restricted-1') => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: open.id }, user));
    try {
      // Compared seven minutes ago; its pair with SHOP-1 stored again a minute ago (a newer
      // issue's event does that), its pair with OPS-1 a moment ago.
      await h.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [compared, compared, open.id]);
      await h.forge.sql.query('UPDATE pairs SET last_seen_ms = ? WHERE id = ?', [compared + 6 * 60_000, pairIdOf('SHOP-1', 'SHOP-2')]);
      await h.forge.sql.query('UPDATE pairs SET last_seen_ms = ? WHERE id = ?', [compared + 7 * 60_000, pairIdOf('SHOP-2', 'OPS-1')]);
      const member = await view('member-1');
      expect(member.computedAt).toBe(new Date(compared).toISOString());
      expect(member.updatedAt).toBe(new Date(compared + 7 * 60_000).toISOString());
      // restricted-1 may not see OPS-1: its pair's time must not show through.
      expect((await view('restricted-1')).updatedAt).toBe(new Date(compared + 6 * 60_000).toISOString());
      // Nothing listed newer than the issue's own comparison: that is the time.
      await h.forge.sql.query('UPDATE pairs SET last_seen_ms = ? WHERE id IN (?, ?)', [compared - 60_000, pairIdOf('SHOP-1', 'SHOP-2'), pairIdOf('SHOP-2', 'OPS-1')]);
      expect((await view('member-1')).updatedAt).toBe(new Date(compared).toISOString());
    } finally {
      await h.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [before?.scored_ms ?? null, before?.seen_ms ?? 0, open.id]);
      for (const p of pairs) await h.forge.sql.query('UPDATE pairs SET last_seen_ms = ? WHERE id = ?', [p.last_seen_ms, p.id]);
    }
  });

  it('says where a suggested issue\'s own Duplicate links lead, which way, without the open issue and without what the viewer may not browse', async () => {
    const open = issue('SHOP-1');
    const suggested = issue('SHOP-2');
    // SHOP-2 duplicates SHOP-6, OPS-1 duplicates SHOP-2; the stored lists say SHOP-2 has links (its last read).
    h.jira.link('Duplicate', 'SHOP-2', 'SHOP-6');
    h.jira.link('Duplicate', 'OPS-1', 'SHOP-2');
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [`${issue('SHOP-6').id},${issue('OPS-1').id}`, suggested.id]);
    try {
      const item = async (user: 'member-1' | 'restricted-1') =>
        ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: open.id }, user)).duplicates.find((s) => s.issue.key === 'SHOP-2');
      expect((await item('member-1'))?.alsoLinkedWith.map((l) => [l.key, l.way])).toEqual([
        ['SHOP-6', 'duplicates'],
        ['OPS-1', 'duplicated-by'],
      ]);
      expect((await item('restricted-1'))?.alsoLinkedWith.map((l) => [l.key, l.way])).toEqual([['SHOP-6', 'duplicates']]);
      // SHOP-2 is the newer one, but it already duplicates SHOP-6 and SHOP-1 duplicates nothing:
      // a confirmation would link SHOP-1 as the duplicate, and the panel says so beforehand.
      expect((await item('member-1'))?.thisIsDuplicate).toBe(true);
      // Jira cannot be asked: the stored lists say what is joined, not which way.
      h.jira.faults.serverErrors({ count: 50, status: 503, path: /search\/jql/ });
      expect((await item('restricted-1'))?.alsoLinkedWith.map((l) => [l.key, l.way])).toEqual([['SHOP-6', 'linked']]);
      h.jira.faults.clear();
      // Suggestions whose issues have no stored links name none.
      const others = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: open.id }, 'member-1')).duplicates.filter((s) => s.issue.key !== 'SHOP-2');
      expect(others.every((s) => s.alsoLinkedWith.length === 0)).toBe(true);
    } finally {
      h.jira.faults.clear();
      for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
      await h.forge.sql.query("UPDATE docs SET dup_links = '' WHERE id = ?", [suggested.id]);
    }
  });

  it('says when Jira already joins the open issue and a suggestion through another issue, naming it only to who may see it', async () => {
    const open = issue('SHOP-1');
    const suggested = issue('SHOP-2');
    // SHOP-1 duplicates OPS-1, SHOP-2 duplicates OPS-1: joined through OPS-1, which restricted-1 may not browse.
    h.jira.link('Duplicate', 'SHOP-1', 'OPS-1');
    h.jira.link('Duplicate', 'SHOP-2', 'OPS-1');
    await h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id IN (?, ?)', [issue('OPS-1').id, open.id, suggested.id]);
    try {
      const item = async (user: 'member-1' | 'restricted-1') =>
        ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: open.id }, user)).duplicates.find((s) => s.issue.key === 'SHOP-2');
      expect(await item('member-1')).toMatchObject({ joinedThrough: ['OPS-1'], linked: false });
      expect((await item('restricted-1'))?.joinedThrough).toEqual([]);
      // Linked directly too: not "through".
      h.jira.link('Duplicate', 'SHOP-2', 'SHOP-1');
      expect(await item('member-1')).toMatchObject({ joinedThrough: [], linked: true });
      // Suggestions of issues Jira does not join say nothing.
      const others = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: open.id }, 'member-1')).duplicates.filter((s) => s.issue.key !== 'SHOP-2');
      expect(others.every((s) => s.joinedThrough.length === 0)).toBe(true);
    } finally {
      for (const l of [...h.jira.store.links.values()]) h.jira.store.removeLink(l.id);
      await h.forge.sql.query("UPDATE docs SET dup_links = '' WHERE id IN (?, ?)", [open.id, suggested.id]);
    }
  });

  it('finds longer chains in the stored links, from the open issue\'s side, and only through issues the viewer may see', async () => {
    const open = issue('SHOP-1');
    const suggested = issue('SHOP-2');
    // Stored only (as the last reads recorded them): SHOP-1 – SHOP-6 – OPS-1 – SHOP-2.
    const store = async (key: string, ...to: string[]) => h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [to.map((k) => issue(k).id).join(','), issue(key).id]);
    await store('SHOP-1', 'SHOP-6');
    await store('SHOP-6', 'SHOP-1', 'OPS-1');
    await store('OPS-1', 'SHOP-6', 'SHOP-2');
    await store('SHOP-2', 'OPS-1');
    try {
      const item = async (user: 'member-1' | 'restricted-1', issueId = open.id, key = 'SHOP-2') =>
        ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId }, user)).duplicates.find((s) => s.issue.key === key);
      expect((await item('member-1'))?.joinedThrough).toEqual(['SHOP-6', 'OPS-1']);
      expect((await item('member-1', suggested.id, 'SHOP-1'))?.joinedThrough).toEqual(['OPS-1', 'SHOP-6']);
      expect((await item('restricted-1'))?.joinedThrough).toEqual([]);
    } finally {
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
    }
  });

  it('says why a related suggestion that scores like a duplicate is only related, as the queue and Compare do', async () => {
    const ids = [issue('SHOP-3').id, issue('SHOP-4').id];
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    await h.forge.sql.query("UPDATE docs SET summary = CASE WHEN id = ? THEN 'Upgrade jackson-databind to 2.9.10.3' ELSE 'Upgrade jackson-databind to 2.9.10.4' END WHERE id IN (?, ?)", [ids[0], ...ids]);
    try {
      const related = async () => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: ids[0]! }, 'member-1')).related.find((s) => s.pairId === pairId);
      // At 0.41, under the duplicate threshold, the score says it: no note.
      expect((await related())?.otherWork).toBeNull();
      await h.forge.sql.query('UPDATE pairs SET score = 0.62 WHERE id = ?', [pairId]);
      expect((await related())?.otherWork).toBe('The summaries name different versions: 2.9.10.3 and 2.9.10.4.');
      const detail = ok(await h.call('project-page-resolver', 'pairs.detail', { pairId }, 'member-1', { type: 'jira:projectPage', project: { id: '10000', key: 'SHOP' } }));
      expect(detail.pair.otherWork).toBe('The summaries name different versions: 2.9.10.3 and 2.9.10.4.');
    } finally {
      await h.forge.sql.query("UPDATE docs SET summary = CASE WHEN id = ? THEN 'Cart page slow to load' ELSE 'Slow loading of the cart page' END WHERE id IN (?, ?)", [ids[0], ...ids]);
      await h.forge.sql.query('UPDATE pairs SET score = 0.41 WHERE id = ?', [pairId]);
    }
  });

  it('answers NOT_FOUND for an issue the viewer may not browse', async () => {
    const res = await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('OPS-1').id }, 'restricted-1');
    expect(res.success).toBe(false);
    if (!res.success) expect(res.error.code).toBe('NOT_FOUND');
  });

  it('reports canLink false for a user without Link Issues', async () => {
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'viewer-1'));
    expect(view.canLink).toBe(false);
    expect(view.duplicates.length).toBe(2);
  });

  it('says inScope: false for an issue whose project is not in scope, and still lists what is stored', async () => {
    expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1', issueExtension('SHOP-1'))).inScope).toBe(true);
    const settings = await getSettings();
    await saveSettings({ ...settings, projects: ['MOB', 'OPS'] });
    try {
      const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1', issueExtension('SHOP-1')));
      expect(view.inScope).toBe(false);
      expect(view.indexed).toBe(true);
      expect(view.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-2', 'SHOP-5']);
      // A new issue there is not waited for: nothing will analyse it.
      const created = h.jira.createIssue({ projectKey: 'SHOP', summary: 'New issue out of scope', type: 'Bug' });
      expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: created.id }, 'member-1'))).toMatchObject({ inScope: false, indexed: false, pending: false });
      // The issue's project, not the suggestions': a SHOP suggestion on an OPS issue is fine.
      expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('OPS-1').id }, 'member-1')).inScope).toBe(true);
    } finally {
      await saveSettings(settings);
    }
  });

  it('names the issue type when the settings analyse only other types', async () => {
    const view = async (key: string) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue(key).id }, 'member-1', issueExtension(key)));
    expect((await view('SHOP-3')).excludedType).toBeNull();
    const settings = await getSettings();
    await saveSettings({ ...settings, issueTypes: ['Bug'] });
    try {
      // SHOP-3 is a Task, SHOP-1 a Bug.
      expect((await view('SHOP-3')).excludedType).toBe('Task');
      expect((await view('SHOP-1')).excludedType).toBeNull();
      // Named in another case, as JQL (and the runs) would still match it.
      await saveSettings({ ...settings, issueTypes: ['bug'] });
      expect((await view('SHOP-1')).excludedType).toBeNull();
      expect((await view('SHOP-3')).excludedType).toBe('Task');
    } finally {
      await saveSettings(settings);
    }
  });

  it('says when the admin\'s JQL filter leaves a new issue out, instead of waiting for it', async () => {
    const view = async (id: string) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: id }, 'member-1'));
    const out = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Left out by the filter', type: 'Bug' });
    const kept = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Kept by the filter', type: 'Bug', labels: ['analysed'] });
    expect(await view(out.id)).toMatchObject({ indexed: false, excludedByFilter: false, pending: true });
    const settings = await getSettings();
    await saveSettings({ ...settings, jqlFilter: 'labels = analysed ORDER BY created' });
    try {
      expect(await view(out.id)).toMatchObject({ indexed: false, excludedByFilter: true, pending: false });
      expect(await view(kept.id)).toMatchObject({ indexed: false, excludedByFilter: false, pending: true });
      // A stored issue is not asked about.
      expect((await view(issue('SHOP-1').id)).excludedByFilter).toBe(false);
      // Jira cannot answer: the panel waits, as before.
      h.jira.faults.serverErrors({ path: /search\/jql$/, count: 20 });
      expect(await view(out.id)).toMatchObject({ excludedByFilter: false, pending: true });
    } finally {
      h.jira.faults.clear();
      await saveSettings(settings);
    }
  });

  it('says when an issue is older than the settings\' age limit, instead of "not analysed yet"', async () => {
    const view = async (id: string) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: id }, 'member-1'));
    const settings = await getSettings();
    await saveSettings({ ...settings, maxAgeDays: 60 });
    let old: { id: string } | undefined;
    try {
      old = h.jira.createIssue({ projectKey: 'SHOP', summary: 'An old report of a slow cart', type: 'Bug', created: new Date(Date.now() - 90 * 86_400_000).toISOString() });
      const fresh = h.jira.createIssue({ projectKey: 'SHOP', summary: 'A fresh report of a slow cart', type: 'Bug' });
      expect(await view(old.id)).toMatchObject({ indexed: false, excludedByAge: 60, pending: false });
      expect((await view(fresh.id)).excludedByAge).toBeNull();
      // A stored issue older than the limit is said to be too old too, with its stored
      // suggestions shown, as no longer kept up to date; the badge shows nothing for it.
      const stored = await view(issue('SHOP-2').id);
      expect([stored.indexed, stored.excludedByAge, stored.duplicates.length > 0]).toEqual([true, 60, true]);
      const ext = issueExtension('SHOP-2');
      const badge = await h.forge.invokeFunction('issue-badge', { extension: ext, context: { accountId: 'member-1', extension: ext } }, { principal: { accountId: 'member-1' }, accountId: 'member-1' });
      expect(badge).toEqual({ label: 'Possible duplicates' });
    } finally {
      await saveSettings(settings);
    }
    expect((await view(old.id)).excludedByAge).toBeNull();
    expect((await view(issue('SHOP-2').id)).excludedByAge).toBeNull();
  });

  it('says an analysis that will compare the issue is running, for its project only, and not one gone stale', async () => {
    const view = async (id: string) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: id }, 'member-1'));
    const run = (id: string, scopeKey: string, heartbeatMs: number, more: { mode?: 'full' | 'incremental'; sinceMs?: number; settingsJson?: string } = {}) =>
      insertRun({
        id, scopeKey, mode: more.mode ?? 'full', trigger: 'manual', status: 'fetching', startedBy: 'admin-1', startedMs: heartbeatMs - 1_000, finishedMs: null,
        heartbeatMs, expected: null, chains: 1, sinceMs: more.sinceMs ?? null, error: null, settingsJson: more.settingsJson ?? '{}',
      });
    // Filed an hour ago, never stored: no created event is on its way, a run must read it.
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const unread = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Checkout hangs while an analysis runs', type: 'Bug', created: hourAgo, updated: hourAgo });
    // Filed just now: its created event fills it in seconds, whatever runs.
    const fresh = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Checkout hangs right now', type: 'Bug' });
    expect(await view(unread.id)).toMatchObject({ indexed: false, pending: false, analysisRunning: false });
    const ids: string[] = [];
    const live = async (id: string, scopeKey: string, more: Parameters<typeof run>[3] = {}, heartbeatMs = Date.now()) => {
      ids.push(id);
      await run(id, scopeKey, heartbeatMs, more);
    };
    try {
      // Another project's run, a run of SHOP silent for longer than a run may be, an
      // incremental run that reads only what changed after the issue did, and a run of
      // every project whose settings did not hold SHOP yet: none will read it.
      await live('run-other-project', 'project:OPS');
      await live('run-stale', 'project:SHOP', {}, Date.now() - 21 * 60_000);
      await live('run-changed-only', 'project:SHOP', { mode: 'incremental', sinceMs: Date.now() - 60_000 });
      const settings = await getSettings();
      await live('run-before-shop', 'all', { settingsJson: JSON.stringify({ ...settings, projects: ['OPS'] }) });
      expect((await view(unread.id)).analysisRunning).toBe(false);
      // A run of every project under settings that hold SHOP: the issue waits for it.
      await live('run-all', 'all', { settingsJson: JSON.stringify({ ...settings, projects: ['SHOP', 'OPS'] }) });
      expect((await view(unread.id)).analysisRunning).toBe(true);
      expect(await view(fresh.id)).toMatchObject({ pending: true, analysisRunning: false });
      // An issue compared already shows what is stored, as before.
      expect((await view(issue('SHOP-1').id)).analysisRunning).toBe(false);
      // An issue no analysis reads is not waiting for it.
      await saveSettings({ ...settings, issueTypes: ['Story'] });
      try {
        expect((await view(unread.id)).analysisRunning).toBe(false);
      } finally {
        await saveSettings(settings);
      }
    } finally {
      for (const id of ids) await deleteRunRow(id);
    }
    expect((await view(unread.id)).analysisRunning).toBe(false);
  });

  it('says there was nothing to compare when an issue compared without suggestions has no words, only punctuation, symbols or emoji', async () => {
    const view = async (id: string) => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: id }, 'member-1'));
    const store = async (summary: string, description: string) => {
      const made = h.jira.createIssue({ projectKey: 'SHOP', summary, description, type: 'Bug' });
      await upsertDocs([
        {
          id: made.id, key: made.key, projectKey: 'SHOP', type: 'Bug', status: 'To Do', statusCategory: 'new' as const, createdMs: Date.now(), updatedMs: Date.now(),
          summary, textHash: `h-${made.id}`, terms: encodeTerms(extractTerms({ id: made.id, summary, description, type: 'Bug' })),
        },
      ]);
      return made.id;
    };
    const symbols = await store('!!! ??? 🔥🔥', '… — ***');
    const worded = await store('Checkout 🔥 widget', '');
    const cjk = await store('支付失败', '');
    // A stack trace in a code block is words too.
    const trace = await store('🔥🔥🔥', '{noformat}java.lang.NullPointerException at org.apache.FooBar.run{noformat}');
    // Not compared yet: waiting, not "nothing to compare".
    expect((await view(symbols)).noWords).toBe(false);
    await markScored([symbols, worded, cjk, trace], Date.now());
    expect(await view(symbols)).toMatchObject({ indexed: true, pending: false, noWords: true, duplicates: [], related: [] });
    // A word in any script is something to compare, with or without suggestions.
    expect((await view(worded)).noWords).toBe(false);
    expect((await view(cjk)).noWords).toBe(false);
    expect((await view(trace)).noWords).toBe(false);
    // An issue with suggestions is never called wordless.
    expect((await view(issue('SHOP-1').id)).noWords).toBe(false);
  });

  it('rejects bad payloads with BAD_REQUEST and field messages', async () => {
    const res = await h.call('issue-view-resolver', 'suggestions.get', { issueId: '', extra: 1 }, 'member-1');
    expect(res.success).toBe(false);
    if (!res.success) {
      expect(res.error.code).toBe('BAD_REQUEST');
      expect(res.error.fields).toEqual({ issueId: 'must not be empty', extra: 'is not a known field' });
    }
  });
});

describe('issueBadge', () => {
  const badge = (key: string, user: string): Promise<unknown> => {
    const ext = issueExtension(key);
    return h.forge.invokeFunction('issue-badge', { extension: ext, context: { accountId: user, extension: ext } }, { principal: { accountId: user }, accountId: user });
  };

  it('counts pending duplicate-tier suggestions the viewer may browse', async () => {
    expect(await badge('MOB-2', 'member-1')).toEqual({ status: { type: 'badge', value: { label: '1' } }, label: '1 possible duplicate' });
    expect(await badge('SHOP-2', 'member-1')).toEqual({ status: { type: 'badge', value: { label: '2' } }, label: '2 possible duplicates' });
    expect(await badge('SHOP-2', 'restricted-1')).toEqual({ status: { type: 'badge', value: { label: '1' } }, label: '1 possible duplicate' });
  });

  it('shows the plain label when there is nothing to count', async () => {
    expect(await badge('SHOP-6', 'member-1')).toEqual({ label: 'Possible duplicates' });
    expect(await badge('SHOP-4', 'member-1')).toEqual({ label: 'Possible duplicates' });
    expect(await h.forge.invokeFunction('issue-badge', { issue: { id: issue('MOB-1').id } }, {})).toEqual({ label: 'Possible duplicates' });
  });

  it('shows the plain label on an issue whose project is not in scope, as the panel says it', async () => {
    const settings = await getSettings();
    await saveSettings({ ...settings, projects: ['MOB', 'OPS'] });
    try {
      expect(await badge('SHOP-2', 'member-1')).toEqual({ label: 'Possible duplicates' });
      expect(await badge('MOB-2', 'member-1')).toEqual({ status: { type: 'badge', value: { label: '1' } }, label: '1 possible duplicate' });
    } finally {
      await saveSettings(settings);
    }
    expect(await badge('SHOP-2', 'member-1')).toEqual({ status: { type: 'badge', value: { label: '2' } }, label: '2 possible duplicates' });
  });

  it('shows the plain label on an issue of a type the settings now leave out, as the panel warns, until an analysis drops its pairs', async () => {
    const settings = await getSettings();
    await saveSettings({ ...settings, issueTypes: ['Task'] });
    try {
      expect(await badge('SHOP-2', 'member-1')).toEqual({ label: 'Possible duplicates' });
    } finally {
      await saveSettings(settings);
    }
    await saveSettings({ ...settings, issueTypes: ['bug'] });
    try {
      expect(await badge('SHOP-2', 'member-1')).toEqual({ status: { type: 'badge', value: { label: '2' } }, label: '2 possible duplicates' });
    } finally {
      await saveSettings(settings);
    }
  });

  it('reads the { issue: { id } } shape too', async () => {
    expect(await h.forge.invokeFunction('issue-badge', { issue: { id: issue('MOB-1').id } }, { principal: { accountId: 'member-1' } })).toEqual({
      status: { type: 'badge', value: { label: '1' } },
      label: '1 possible duplicate',
    });
  });
});

describe('pairs.decide from the issue panel', () => {
  it('confirm creates the Duplicate link as the user: newer duplicates older', async () => {
    const pairId = pairIdOf('MOB-1', 'MOB-2');
    const res = ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', issueExtension('MOB-2')));
    expect(res.pair.status).toBe('confirmed');
    expect(res.pair.decidedBy).toBe('member-1');
    expect(res.link).toEqual({ created: true, inwardKey: 'MOB-2', outwardKey: 'MOB-1' });
    const links = [...h.jira.store.links.values()];
    const type = [...h.jira.store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    expect(links).toContainEqual(expect.objectContaining({ typeId: type?.id, inwardIssueId: issue('MOB-2').id, outwardIssueId: issue('MOB-1').id }));
    // Jira's own view of the newer issue: it "duplicates" the older one.
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-2').id }, 'member-1'));
    expect(view.duplicates[0]).toEqual(expect.objectContaining({ status: 'confirmed', linked: true }));
  });

  it('names the issues this issue already duplicates, from its links in Jira, whichever way the app or anyone linked them', async () => {
    // MOB-2 duplicates MOB-1 since the confirmation above; seen from MOB-1 it is the other way.
    const fromDuplicate = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-2').id }, 'member-1', issueExtension('MOB-2')));
    expect(fromDuplicate.duplicateOf).toEqual([{ id: issue('MOB-1').id, key: 'MOB-1' }]);
    expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-1').id }, 'member-1', issueExtension('MOB-1'))).duplicateOf).toEqual([]);
    // A link made in Jira, to an issue that is no suggestion, counts too.
    h.jira.link('Duplicate', 'MOB-1', 'SHOP-6');
    const linkIds = [...h.jira.store.links.values()].filter((l) => l.inwardIssueId === issue('MOB-1').id && l.outwardIssueId === issue('SHOP-6').id).map((l) => l.id);
    try {
      expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('MOB-1').id }, 'member-1', issueExtension('MOB-1'))).duplicateOf).toEqual([{ id: issue('SHOP-6').id, key: 'SHOP-6' }]);
      expect(ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-6').id }, 'member-1')).duplicateOf).toEqual([]);
    } finally {
      for (const id of linkIds) h.jira.store.removeLink(id);
    }
  });

  it('confirm can mark the older issue as the duplicate instead; the choice must be one of the pair, and only with confirm', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    const before = h.jira.store.links.size;
    // Not with a dismissal, and not an issue outside the pair: refused, nothing written.
    const withDismiss = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'dismiss', duplicateIssueId: issue('SHOP-3').id }, 'member-1', issueExtension('SHOP-3'));
    expect(withDismiss.success ? null : withDismiss.error.code).toBe('BAD_REQUEST');
    const outsider = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm', duplicateIssueId: issue('SHOP-1').id }, 'member-1', issueExtension('SHOP-3'));
    expect(outsider.success ? null : outsider.error.code).toBe('BAD_REQUEST');
    expect(h.jira.store.links.size).toBe(before);
    expect(await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])).toEqual([{ status: 'pending' }]);
    // SHOP-3 is the older one: by default SHOP-4 would duplicate it.
    const res = ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm', duplicateIssueId: issue('SHOP-3').id }, 'member-1', issueExtension('SHOP-3')));
    expect(res.link).toEqual({ created: true, inwardKey: 'SHOP-3', outwardKey: 'SHOP-4' });
    const type = [...h.jira.store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    expect([...h.jira.store.links.values()].slice(before)).toEqual([expect.objectContaining({ typeId: type?.id, inwardIssueId: issue('SHOP-3').id, outwardIssueId: issue('SHOP-4').id })]);
    const history = (await h.forge.sql.query('SELECT detail FROM actions WHERE pair_id = ?', [pairId])) as Array<{ detail: string }>;
    expect(history.map((r) => r.detail)).toEqual([expect.stringMatching(/; SHOP-3 duplicates SHOP-4$/)]);
  });

  it('reopening a confirmed pair with unlink removes its Duplicate link as the user: the undo of a link', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    const between = () => [...h.jira.store.links.values()].filter((l) => [l.inwardIssueId, l.outwardIssueId].sort().join() === [issue('SHOP-3').id, issue('SHOP-4').id].sort().join());
    expect(between()).toHaveLength(1);
    // Only with a reopen, only of a confirmed pair, only with Link Issues: refused, nothing changes.
    const withDismiss = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'dismiss', unlink: true }, 'member-1', issueExtension('SHOP-3'));
    expect(withDismiss.success ? null : withDismiss.error.code).toBe('BAD_REQUEST');
    const viewer = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'viewer-1', issueExtension('SHOP-3'));
    expect(viewer.success ? null : viewer.error.code).toBe('FORBIDDEN');
    const pending = await h.call('issue-view-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-1', 'SHOP-2'), decision: 'reopen', unlink: true }, 'member-1', issueExtension('SHOP-1'));
    expect(pending.success ? null : pending.error.code).toBe('BAD_REQUEST');
    expect(between()).toHaveLength(1);
    expect(await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])).toEqual([{ status: 'confirmed' }]);

    const res = ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', issueExtension('SHOP-3')));
    expect(res.pair.status).toBe('pending');
    expect(res.unlinked).toBe(1);
    expect(between()).toEqual([]);
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, 'member-1', issueExtension('SHOP-3')));
    expect([...view.duplicates, ...view.related].find((x) => x.pairId === pairId)).toEqual(expect.objectContaining({ status: 'pending', linked: false }));
    const history = (await h.forge.sql.query('SELECT detail FROM actions WHERE pair_id = ? ORDER BY at_ms DESC', [pairId])) as Array<{ detail: string }>;
    expect(history[0]?.detail).toMatch(/confirmed → pending; Duplicate links removed: 1$/);
  });

  it('viewer without Link Issues gets FORBIDDEN and nothing changes', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-5');
    const before = h.jira.store.links.size;
    const res = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'viewer-1', issueExtension('SHOP-1'));
    expect(res.success).toBe(false);
    if (!res.success) expect(res.error.code).toBe('FORBIDDEN');
    expect(h.jira.store.links.size).toBe(before);
    const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1'));
    expect(view.duplicates.find((s) => s.pairId === pairId)?.status).toBe('pending');
  });

  it('Jira itself refuses a link the user may not make, and the 403 comes back as FORBIDDEN', async () => {
    // Link Issues in OPS only: the resolver's own check (one side is enough) lets it through,
    // Jira's (both sides) does not, which shows the link is really created as the user.
    h.jira.putUser({ accountId: 'half-1', displayName: 'Half Linker', admin: false, browse: '*', link: ['OPS'] });
    const pairId = pairIdOf('SHOP-2', 'OPS-1');
    const before = h.jira.store.links.size;
    const res = await h.forge.callResolver('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, { accountId: 'half-1', extension: issueExtension('SHOP-2') });
    expect(res).toEqual({ success: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/refused/) as unknown } });
    expect(h.jira.store.links.size).toBe(before);
    const rows = (await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])) as Array<{ status: string }>;
    expect(rows).toEqual([{ status: 'pending' }]);
    expect(await h.forge.sql.query('SELECT id FROM actions WHERE pair_id = ?', [pairId])).toEqual([]);
  });

  it('dismiss is remembered across a re-analysis, and reopen brings it back', async () => {
    const pairId = pairIdOf('SHOP-1', 'SHOP-5');
    ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'dismiss' }, 'member-1', issueExtension('SHOP-1')));
    // A re-run finds the pair again and upserts it.
    await upsertPairs([{ a: issue('SHOP-1').id, b: issue('SHOP-5').id, projectA: 'SHOP', projectB: 'SHOP', score: 0.63, tier: 'duplicate', reasons: [{ term: 'payment', share: 1 }], clusterId: null }], 'run-again', Date.now());
    let view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1'));
    expect(view.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-2']);
    expect(view.dismissed.map((s) => s.issue.key)).toEqual(['SHOP-5']);
    expect(view.dismissed[0]?.score).toBeCloseTo(0.63);
    ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'member-1', issueExtension('SHOP-1')));
    view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1'));
    expect(view.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-2', 'SHOP-5']);
  });

  it('says who decided a suggestion and when, by the name Jira shows the viewer, and still answers when Jira gives no names', async () => {
    const dismissedPair = pairIdOf('SHOP-1', 'SHOP-5');
    const hiddenPair = pairIdOf('SHOP-2', 'OPS-1');
    const inJiraPair = pairIdOf('SHOP-3', 'SHOP-4');
    const before = Date.now();
    ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId: dismissedPair, decision: 'dismiss' }, 'member-1', issueExtension('SHOP-1')));
    ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId: hiddenPair, decision: 'dismiss' }, 'admin-1', issueExtension('SHOP-2')));
    expect(await confirmAsLinkedInJira([inJiraPair], Date.now())).toEqual([inJiraPair]);
    const view = async (key: string, user: 'member-1' | 'admin-1' | 'restricted-1' | 'viewer-1') =>
      ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue(key).id }, user, issueExtension(key)));
    const recent = (iso: string | null | undefined) => iso !== null && iso !== undefined && Date.parse(iso) >= before - 1000 && Date.parse(iso) <= Date.now() + 1000;
    try {
      // Someone else's dismissal, by name; a pending suggestion says nobody.
      const seenByViewer = await view('SHOP-1', 'viewer-1');
      const dismissed = seenByViewer.dismissed.find((s) => s.pairId === dismissedPair);
      expect(dismissed).toEqual(expect.objectContaining({ status: 'dismissed', decidedBy: 'member-1', decidedInJira: false }));
      expect(recent(dismissed?.decidedAt)).toBe(true);
      expect(seenByViewer.duplicates.find((s) => s.issue.key === 'SHOP-2')).toEqual(expect.objectContaining({ status: 'pending', decidedBy: null, decidedAt: null, decidedInJira: false }));
      expect(seenByViewer.actors).toEqual([{ accountId: 'member-1', displayName: 'Morgan Member' }]);
      // The viewer's own decisions say "you": Jira is not asked for their name.
      const seenByDecider = await view('SHOP-1', 'member-1');
      expect(seenByDecider.dismissed.find((s) => s.pairId === dismissedPair)?.decidedBy).toBe('member-1');
      expect(seenByDecider.actors).toEqual([]);
      // Another decider on another issue; someone who may not see that suggestion gets neither it nor its decider's name.
      const shop2 = await view('SHOP-2', 'member-1');
      expect(shop2.dismissed.map((s) => [s.issue.key, s.decidedBy])).toEqual([['OPS-1', 'admin-1']]);
      expect(shop2.actors).toEqual([{ accountId: 'admin-1', displayName: 'Alex Admin' }]);
      const restricted = await view('SHOP-2', 'restricted-1');
      expect(restricted.dismissed).toEqual([]);
      expect(restricted.actors).toEqual([]);
      // A confirmation: by a person, or by an analysis because the issues are linked in Jira (nobody named).
      const mob2 = (await view('MOB-2', 'viewer-1')).duplicates.find((s) => s.issue.key === 'MOB-1');
      expect(mob2).toEqual(expect.objectContaining({ status: 'confirmed', decidedBy: 'member-1', decidedInJira: false }));
      expect(mob2?.decidedAt).toEqual(expect.any(String));
      const shop3 = await view('SHOP-3', 'viewer-1');
      const linkedInJira = shop3.related.find((s) => s.pairId === inJiraPair);
      expect(linkedInJira).toEqual(expect.objectContaining({ status: 'confirmed', decidedBy: null, decidedInJira: true }));
      expect(recent(linkedInJira?.decidedAt)).toBe(true);
      expect(shop3.actors).toEqual([]);
      // Jira failing to give names costs the names only.
      h.jira.faults.serverErrors({ count: 20, status: 503, path: /user\/bulk/ });
      try {
        const without = await view('SHOP-1', 'viewer-1');
        expect(without.dismissed).toEqual(seenByViewer.dismissed);
        expect(without.duplicates).toEqual(seenByViewer.duplicates);
        expect(without.actors).toEqual([]);
      } finally {
        h.jira.faults.clear();
      }
    } finally {
      for (const [pairId, key] of [[dismissedPair, 'SHOP-1'], [hiddenPair, 'SHOP-2'], [inJiraPair, 'SHOP-3']] as const) {
        ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'reopen' }, 'admin-1', issueExtension(key)));
      }
    }
  });

  it('a pair of another issue is NOT_FOUND from this issue view', async () => {
    const res = await h.call('issue-view-resolver', 'pairs.decide', { pairId: pairIdOf('SHOP-3', 'SHOP-4'), decision: 'dismiss' }, 'member-1', issueExtension('SHOP-1'));
    expect(res.success).toBe(false);
    if (!res.success) expect(res.error.code).toBe('NOT_FOUND');
  });
});

describe('create.check', () => {
  const ext = { type: 'jira:uiModifications', project: { id: '10000', key: 'SHOP', type: 'software' }, issueType: { id: '1', name: 'Bug' }, viewType: 'GIC' };

  it('finds stored issues like the one being typed, top 3 above related', async () => {
    const res = ok(await h.call('create-check-resolver', 'create.check', { summary: 'payment gateway timeout at checkout', projectId: '10000' }, 'member-1', ext));
    expect(res.matches.length).toBeGreaterThan(0);
    expect(res.matches.length).toBeLessThanOrEqual(3);
    expect(res.matches[0]?.key).toMatch(/^SHOP-[12]$/);
    for (const m of res.matches) expect(m.score).toBeGreaterThanOrEqual(0.3);
  });

  it('says which match duplicates another (a Duplicate link, by the app\'s rule), so the reporter is pointed at the original', async () => {
    const check = async () => ok(await h.call('create-check-resolver', 'create.check', { summary: 'payment gateway timeout at checkout', projectId: '10000' }, 'member-1', ext)).matches;
    expect((await check()).map((m) => m.duplicateOf)).toEqual((await check()).map(() => null));
    await recordDupLink(issue('SHOP-1').id, issue('SHOP-2').id, true);
    try {
      const matches = await check();
      // SHOP-2 was filed later: it is the duplicate; SHOP-1 the original.
      expect(matches.find((m) => m.key === 'SHOP-2')?.duplicateOf).toBe('SHOP-1');
      expect(matches.find((m) => m.key === 'SHOP-1')?.duplicateOf).toBeNull();
    } finally {
      await recordDupLink(issue('SHOP-1').id, issue('SHOP-2').id, false);
    }
  });

  it('calls a stored issue that names another version related at most, however alike the text', async () => {
    const stored = h.jira.createIssue({ projectKey: 'SHOP', summary: 'Upgrade jackson-databind to 2.9.10.3', type: 'Task' });
    await upsertDocs([
      {
        id: stored.id,
        key: stored.key,
        projectKey: 'SHOP',
        type: 'Task',
        status: 'To Do',
        statusCategory: 'new' as const,
        createdMs: Date.now(),
        updatedMs: Date.now(),
        summary: stored.summary,
        textHash: 'h-jackson',
        terms: encodeTerms(extractTerms({ id: stored.id, summary: stored.summary, description: '', type: 'Task' })),
      },
    ]);
    const matchFor = async (summary: string) =>
      ok(await h.call('create-check-resolver', 'create.check', { summary, projectId: '10000' }, 'member-1', ext)).matches.find((m) => m.key === stored.key);
    const same = await matchFor('Upgrade jackson-databind to 2.9.10.3');
    const other = await matchFor('Upgrade jackson-databind to 2.9.10.4');
    expect(same?.tier).toBe('duplicate');
    expect(other?.score).toBeGreaterThanOrEqual(0.5);
    expect(other?.tier).toBe('related');
  });

  it('stays silent for an issue type the app does not analyse, and warns for one it does', async () => {
    const settings = await getSettings();
    const check = async (issueTypeId: string) =>
      ok(await h.call('create-check-resolver', 'create.check', { summary: 'payment gateway timeout at checkout', projectId: '10000', issueTypeId }, 'member-1', ext)).matches;
    await saveSettings({ ...settings, issueTypes: ['bug'] });
    try {
      expect((await check('10001')).length).toBeGreaterThan(0); // Bug (named in another case)
      expect(await check('10002')).toEqual([]); // Story
      // A type Jira does not know: the check goes on rather than guess.
      expect((await check('99999')).length).toBeGreaterThan(0);
      // Jira cannot list the types: the check goes on too.
      h.jira.faults.serverErrors({ path: /\/issuetype$/, count: 20 });
      expect((await check('10002')).length).toBeGreaterThan(0);
    } finally {
      h.jira.faults.clear();
      await saveSettings(settings);
    }
    // Every type analysed: no lookup, the Story is checked.
    expect((await check('10002')).length).toBeGreaterThan(0);
  });

  it('answers nothing for short or empty summaries', async () => {
    expect(ok(await h.call('create-check-resolver', 'create.check', { summary: ' a! ' }, 'member-1', ext)).matches).toEqual([]);
    expect(ok(await h.call('create-check-resolver', 'create.check', { summary: 'zzqx unrelated words' }, 'member-1', ext)).matches).toEqual([]);
  });

  it('waits for a summary of two meaningful words: one word, a stop word or a repeat is not enough, whatever the description says', async () => {
    const check = async (summary: string, description?: string) =>
      ok(await h.call('create-check-resolver', 'create.check', { summary, projectId: '10000', ...(description !== undefined ? { description } : {}) }, 'member-1', ext)).matches;
    for (const summary of ['payment', 'The payment', 'payment Payment payments', 'Payment 42 !!!']) expect(await check(summary)).toEqual([]);
    expect(await check('payment', 'The payment gateway times out at checkout.')).toEqual([]);
    expect((await check('payment gateway')).map((m) => m.key)).toContain('SHOP-2');
  });
});

describe('suggestions.get and a link removed in Jira', () => {
  it('does not call a confirmed suggestion linked once its Duplicate link is gone from Jira', async () => {
    const pairId = pairIdOf('SHOP-3', 'SHOP-4');
    await h.forge.sql.query("UPDATE pairs SET status = 'confirmed', decided_by = 'member-1', decided_ms = 1 WHERE id = ?", [pairId]);
    try {
      const view = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, 'member-1', issueExtension('SHOP-3')));
      const item = [...view.duplicates, ...view.related].find((s) => s.pairId === pairId);
      expect(item?.status).toBe('confirmed');
      expect(item?.linked).toBe(false);
      h.jira.link('Duplicate', 'SHOP-4', 'SHOP-3');
      const again = ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-3').id }, 'member-1', issueExtension('SHOP-3')));
      expect([...again.duplicates, ...again.related].find((s) => s.pairId === pairId)?.linked).toBe(true);
    } finally {
      for (const l of [...h.jira.store.links.values()].filter((x) => [x.inwardIssueId, x.outwardIssueId].sort().join() === [issue('SHOP-3').id, issue('SHOP-4').id].sort().join())) h.jira.store.removeLink(l.id);
      await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL WHERE id = ?", [pairId]);
    }
  });
});

describe('a confirmation whose link request Jira does not answer in time', () => {
  const pairId = pairIdOf('SHOP-3', 'SHOP-4');
  const between = () =>
    [...h.jira.store.links.values()].filter((l) => [l.inwardIssueId, l.outwardIssueId].sort().join() === [issue('SHOP-3').id, issue('SHOP-4').id].sort().join());
  const reset = async (): Promise<void> => {
    h.jira.faults.clear();
    for (const l of between()) h.jira.store.removeLink(l.id);
    await h.forge.sql.query("UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0 WHERE id = ?", [pairId]);
  };
  beforeEach(reset);
  afterAll(reset);

  it('stands when Jira made the link all the same: the app asks before calling it failed', async () => {
    // The request is made after the app stopped waiting (14 s; Jira times a request out at 15 s); the
    // app's look at the issue's links comes after it.
    h.jira.faults.latency(15_500, /issueLink$/);
    h.jira.faults.latency(3_000, /issue\/\d+$/);
    const res = ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', issueExtension('SHOP-3')));
    expect(res.pair.status).toBe('confirmed');
    expect(res.link?.created).toBe(true);
    expect(between()).toHaveLength(1);
  }, 60_000);

  it('says Jira answered with an error when it did (a 5xx), not that it may still make the link', async () => {
    h.jira.faults.serverErrors({ count: 20, status: 502, path: /issueLink$/ });
    const res = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', issueExtension('SHOP-3'));
    expect(res.success ? null : res.error).toEqual({
      code: 'JIRA_ERROR',
      message: 'Jira answered the link request with an error (HTTP 502), and the Duplicate link was not there when the app looked right after. Try again in a moment; confirming again makes no second link.',
    });
    expect((await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])) as unknown).toEqual([{ status: 'pending' }]);
    expect(between()).toHaveLength(0);
  }, 60_000);

  // Failed before: "Try again in a moment", and no wait as data, however long Jira asked for.
  it('says the wait Jira asked for with its 5xx, in words and as retryAfterMs', async () => {
    h.jira.faults.serverErrors({ count: 1, status: 503, retryAfterSeconds: 30, path: /issueLink$/ });
    const res = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', issueExtension('SHOP-3'));
    expect(res.success ? null : res.error).toEqual({
      code: 'JIRA_ERROR',
      message: 'Jira answered the link request with an error (HTTP 503), and the Duplicate link was not there when the app looked right after. Try again in about 30 s; confirming again makes no second link.',
      retryAfterMs: 30_000,
    });
    expect(between()).toHaveLength(0);
  }, 60_000);

  it('says it may still come when the link is not there yet, and leaves the pair to review', async () => {
    h.jira.faults.latency(16_000, /issueLink$/);
    const res = await h.call('issue-view-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', issueExtension('SHOP-3'));
    expect(res.success ? null : [res.error.code, res.error.message]).toEqual([
      'JIRA_ERROR',
      'Jira did not answer in time, and the Duplicate link was not there when the app looked right after; Jira may still make it. Reload in a moment to see; confirming again makes no second link.',
    ]);
    expect((await h.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [pairId])) as unknown).toEqual([{ status: 'pending' }]);
    // Jira made it in the end, as the sentence warned (16 s after the request came, whenever
    // the answer above did: looked for until then, not after a fixed pause).
    const deadline = Date.now() + 20_000;
    while (between().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(between()).toHaveLength(1);
  }, 60_000);
});

describe('an issue whose change event was lost', () => {
  it('says it changed since it was analysed, and a recheck brings it up to date once', async () => {
    const target = issue('SHOP-6');
    const stored = h.jira.store.issues.get(target.id);
    if (!stored) throw new Error('no SHOP-6 in the stand-in');
    const before = { summary: stored.summary, updated: stored.updated };
    // Jira has the edit; the app never heard of it (the event was dropped after Jira failed).
    stored.summary = 'Newsletter signup button misaligned on the checkout page';
    stored.updated = new Date(Date.now() + 60_000).toISOString();
    try {
      const view = async () => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: target.id }, 'member-1'));
      expect((await view()).changedSinceAnalysed).toBe(true);
      // Someone who may not browse it gets nothing done.
      const hidden = await h.call('issue-view-resolver', 'suggestions.recheck', { issueId: issue('OPS-1').id }, 'restricted-1');
      expect(hidden.success ? 'ok' : hidden.error.code).toBe('NOT_FOUND');
      expect(ok(await h.call('issue-view-resolver', 'suggestions.recheck', { issueId: target.id }, 'member-1'))).toEqual({ rechecked: true });
      const [doc] = (await h.forge.sql.query('SELECT summary FROM docs WHERE id = ?', [target.id])) as Array<{ summary: string }>;
      expect(doc?.summary).toBe('Newsletter signup button misaligned on the checkout page');
      expect((await view()).changedSinceAnalysed).toBe(false);
      // Up to date now: asking again reads nothing more.
      expect(ok(await h.call('issue-view-resolver', 'suggestions.recheck', { issueId: target.id }, 'member-1'))).toEqual({ rechecked: false });
    } finally {
      stored.summary = before.summary;
      stored.updated = before.updated;
    }
  });

  // Failed before: the viewer's read had 20 s and the event's read 12 s more (and 12 s for a
  // JQL filter), past the resolver's 25 s, after which Forge answers the panel nothing.
  it('a recheck with Jira slow answers within the resolver\'s 25 s: its Jira calls share one deadline', async () => {
    const target = issue('SHOP-6');
    const stored = h.jira.store.issues.get(target.id);
    if (!stored) throw new Error('no SHOP-6 in the stand-in');
    const before = { summary: stored.summary, updated: stored.updated };
    const [analysed] = (await h.forge.sql.query('SELECT summary FROM docs WHERE id = ?', [target.id])) as Array<{ summary: string }>;
    stored.summary = 'Newsletter signup form forgets the email address at checkout';
    stored.updated = new Date(Date.now() + 120_000).toISOString();
    // 13 s a read of the issue, within the client's 15 s per request: the viewer's read, then the app's.
    h.jira.faults.latency(13_000, new RegExp(`/rest/api/3/issue/${target.id}\\b`));
    try {
      const t0 = Date.now();
      const res = await h.call('issue-view-resolver', 'suggestions.recheck', { issueId: target.id }, 'member-1');
      const took = Date.now() - t0;
      // The app's read got what the viewer's left of the 20 s: an error the panel shows ("may be
      // out of date"), in time, rather than no answer at all.
      expect({ code: res.success ? 'ok' : res.error.code, inTime: took < 22_000 }).toEqual({ code: 'JIRA_ERROR', inTime: true });
      const [doc] = (await h.forge.sql.query('SELECT summary FROM docs WHERE id = ?', [target.id])) as Array<{ summary: string }>;
      expect(doc?.summary).toBe(analysed?.summary);
    } finally {
      h.jira.faults.clear();
      stored.summary = before.summary;
      stored.updated = before.updated;
      // The read the resolver gave up on (sent about 13 s in) ends 13 s after it was sent.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
    }
  }, 60_000);
});

describe('an issue whose rescore after a run was lost', () => {
  // A run's last step hands the issues changed while it scored (past the 50 it scores again
  // itself) on to `rescore` queue events and clears their `scored_ms`: the pairs it just wrote
  // for them are of their old text. A `rescore` event dropped after its tries left them so,
  // pairs of the old text shown and counted, until their next event or the next day's run.
  // The panel now has such an issue scored again from what is stored, as the event would have.
  it('an issue unscored past the pending window with no run to read it is scored again by the panel\'s recheck, and one a live run reads is left to it', async () => {
    const target = issue('SHOP-6');
    const [row] = (await h.forge.sql.query('SELECT scored_ms, seen_ms FROM docs WHERE id = ?', [target.id])) as Array<{ scored_ms: number | null; seen_ms: number }>;
    // A pair of the text it had when the run loaded it; what is stored now matches nothing of SHOP-4.
    await upsertPairs([{ a: target.id, b: issue('SHOP-4').id, projectA: 'SHOP', projectB: 'SHOP', score: 0.91, tier: 'duplicate', reasons: [{ term: 'cart', share: 1 }], clusterId: null }], 'run-lost-rescore', Date.now());
    await h.forge.sql.query('UPDATE docs SET scored_ms = NULL, seen_ms = ? WHERE id = ?', [Date.now() - 15 * 60_000, target.id]);
    const view = async () => ok(await h.call('issue-view-resolver', 'suggestions.get', { issueId: target.id }, 'member-1'));
    const recheck = async () => ok(await h.call('issue-view-resolver', 'suggestions.recheck', { issueId: target.id }, 'member-1'));
    const ids = ['run-live-reader'];
    try {
      // While a run reads the project, it is the run's to score.
      const now = Date.now();
      await insertRun({
        id: ids[0]!, scopeKey: 'project:SHOP', mode: 'full', trigger: 'manual', status: 'fetching', startedBy: 'admin-1', startedMs: now - 1_000, finishedMs: null,
        heartbeatMs: now, expected: null, chains: 1, sinceMs: null, error: null, settingsJson: '{}',
      });
      expect(await view()).toMatchObject({ pending: false, analysisRunning: true, changedSinceAnalysed: false });
      expect(await recheck()).toEqual({ rechecked: false });
      await deleteRunRow(ids[0]!);

      const lost = await view();
      expect(lost.duplicates.map((s) => s.issue.key)).toEqual(['SHOP-4']);
      expect(lost).toMatchObject({ pending: false, analysisRunning: false, changedSinceAnalysed: true });
      const jiraCalls = h.jira.stats().total;
      expect(await recheck()).toEqual({ rechecked: true });
      // Scored from what is stored: the only Jira call is the viewer's read of the issue.
      expect(h.jira.stats().total - jiraCalls).toBe(1);
      const after = await view();
      expect(after.duplicates.map((s) => s.issue.key)).toEqual([]);
      expect(after.changedSinceAnalysed).toBe(false);
      const [scored] = (await h.forge.sql.query('SELECT scored_ms FROM docs WHERE id = ?', [target.id])) as Array<{ scored_ms: number | null }>;
      expect(scored?.scored_ms).not.toBeNull();
      expect(await recheck()).toEqual({ rechecked: false });
    } finally {
      for (const id of ids) await deleteRunRow(id);
      await h.forge.sql.query('UPDATE docs SET scored_ms = ?, seen_ms = ? WHERE id = ?', [row?.scored_ms ?? Date.now(), row?.seen_ms ?? 0, target.id]);
      await h.forge.sql.query('UPDATE pairs SET active = 0 WHERE id = ?', [pairIdOf('SHOP-6', 'SHOP-4')]);
    }
  });
});

describe('suggestions.get while Jira struggles', () => {
  afterEach(() => {
    h.jira.faults.clear();
  });

  // Failed before: the resolver answered JIRA_ERROR with no wait, and the panel asked again after
  // 5 s, then 15 s, inside the time Jira had asked to be left alone.
  it('passes on the wait a 5xx\'s Retry-After asked for, as a 429\'s, so the panel does not ask sooner', async () => {
    h.jira.faults.serverErrors({ count: 1, status: 503, retryAfterSeconds: 30, path: /\/permissions\/check/ });
    const res = await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1', issueExtension('SHOP-1'));
    expect(res.success ? null : res.error).toEqual({ code: 'JIRA_ERROR', message: 'Jira is busy right now (HTTP 503). Try again in about 30 s.', retryAfterMs: 30_000 });
    // Without Retry-After, no wait is made up.
    h.jira.faults.serverErrors({ count: 10, status: 502, path: /\/permissions\/check/ });
    const plain = await h.call('issue-view-resolver', 'suggestions.get', { issueId: issue('SHOP-1').id }, 'member-1', issueExtension('SHOP-1'));
    expect(plain.success ? null : plain.error).toEqual({ code: 'JIRA_ERROR', message: 'Jira answered with an error (HTTP 502). Try again later.' });
  }, 60_000);

  // Failed before: each call had a budget of its own (20 s for the issue's links and as much for
  // the permission check), so two slow answers ran past the resolver's 23 s and the panel got
  // INTERNAL "This took too long. Try again, or narrow the filters." (or, past 25 s, nothing).
  it('answers within the resolver\'s time with Jira slow: its Jira calls share one deadline', async () => {
    const target = issue('SHOP-1');
    // 13 s a request, within the client's 15 s per request: the issue's links, then the permission check.
    h.jira.faults.latency(13_000, new RegExp(`/rest/api/3/issue/${target.id}\\b`));
    h.jira.faults.latency(13_000, /\/permissions\/check/);
    try {
      const t0 = Date.now();
      const res = await h.call('issue-view-resolver', 'suggestions.get', { issueId: target.id }, 'member-1', issueExtension('SHOP-1'));
      const took = Date.now() - t0;
      // The permission check got what the links' read left of the 20 s: Jira's error, which the
      // panel asks again after by itself, in time.
      expect({ error: res.success ? null : res.error, inTime: took < 22_000 }).toEqual({
        error: { code: 'JIRA_ERROR', message: 'Jira did not answer in time. Try again.' },
        inTime: true,
      });
      expect(took).toBeGreaterThan(19_000);
    } finally {
      // The permission check given up on is still held by the stand-in: let it go.
      h.jira.faults.liftLatency();
    }
  }, 60_000);

  // Failed before: the names were asked with the call's whole deadline, so a user service that
  // did not answer held the answer for 20 s and left nothing for the calls after it (here the
  // permission check of a chain in the stored links): "Jira did not answer in time. Try again."
  // with the suggestions ready.
  it('answers without the names when Jira is slow to give them: the name lookup has a bounded share of the deadline', async () => {
    const open = issue('SHOP-1');
    const dismissedPair = pairIdOf('SHOP-1', 'SHOP-5');
    // Stored only: SHOP-1 – SHOP-6 – OPS-1 – SHOP-2, a chain the panel checks with Jira after the names.
    const store = async (key: string, ...to: string[]) => h.forge.sql.query('UPDATE docs SET dup_links = ? WHERE id = ?', [to.map((k) => issue(k).id).join(','), issue(key).id]);
    await store('SHOP-1', 'SHOP-6');
    await store('SHOP-6', 'SHOP-1', 'OPS-1');
    await store('OPS-1', 'SHOP-6', 'SHOP-2');
    await store('SHOP-2', 'OPS-1');
    ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId: dismissedPair, decision: 'dismiss' }, 'member-1', issueExtension('SHOP-1')));
    const view = async () => h.call('issue-view-resolver', 'suggestions.get', { issueId: open.id }, 'viewer-1', issueExtension('SHOP-1'));
    try {
      const named = ok(await view());
      expect(named.actors).toEqual([{ accountId: 'member-1', displayName: 'Morgan Member' }]);
      // The user service holds every request until the test ends.
      h.jira.faults.latency(10 * 60_000, /user\/bulk/);
      const t0 = Date.now();
      const res = await view();
      const took = Date.now() - t0;
      const slow = ok(res);
      // Everything but the name: the panel then says "Dismissed by someone Jira did not name".
      expect({ ...slow, actors: named.actors }).toEqual(named);
      expect(slow.actors).toEqual([]);
      expect(slow.duplicates.find((s) => s.issue.key === 'SHOP-2')?.joinedThrough).toEqual(['SHOP-6', 'OPS-1']);
      expect(took).toBeLessThan(10_000);
    } finally {
      h.jira.faults.liftLatency();
      await h.forge.sql.query("UPDATE docs SET dup_links = ''");
      ok(await h.call('issue-view-resolver', 'pairs.decide', { pairId: dismissedPair, decision: 'reopen' }, 'admin-1', issueExtension('SHOP-1')));
    }
  }, 60_000);
});
