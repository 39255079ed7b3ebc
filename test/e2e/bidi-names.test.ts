/**
 * Names and summaries people wrote in a right-to-left script, inside the app's own (English)
 * sentences, in headless Chromium: a Hebrew display name and Arabic summaries. Where a name
 * or a summary sits in a sentence it is isolated, so it cannot carry the words, numbers and
 * brackets around it to its side ("Confirmed by דנה לוי 3 minutes ago" would read "Confirmed
 * by 3 לוי דנה minutes ago"): in React text a `<bdi>`, in a plain string (a flag, an option)
 * U+2068 … U+2069. In the issue panel, the project page's queue, history and clusters, a flag
 * and the admin page's history.
 */
import type { Frame, Locator } from 'playwright-core';
import type { PairView, Settings } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { searchQueue } from './support/queue-search';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(300_000);

const NAME = 'דנה לוי';
const SUMMARY = 'آخر قطعة في المخزون تباع مرتين في نفس الوقت لعميلين من المتجر';
const FSI = '\u2068';
const PDI = '\u2069';

interface Box {
  left: number;
  right: number;
  top: number;
}
interface El {
  querySelector(selector: string): El | null;
  getBoundingClientRect(): Box;
}
interface FrameWindow {
  getComputedStyle(el: El): { unicodeBidi: string; direction: string };
}

/** How a line lays out its isolated name and the time after it, and how the name is isolated. */
function nameThenTime(line: Locator): Promise<{ name: Box; time: Box; unicodeBidi: string; direction: string } | null> {
  return line.evaluate((el: El) => {
    const name = el.querySelector('bdi');
    const time = el.querySelector('time');
    if (name === null || time === null) return null;
    const style = (globalThis as unknown as FrameWindow).getComputedStyle(name);
    const box = (e: El): Box => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top };
    };
    return { name: box(name), time: box(time), unicodeBidi: style.unicodeBidi, direction: style.direction };
  });
}

/** The time stays after the name, on its line, to its right: the sentence keeps its order. */
async function expectTimeAfterName(line: Locator): Promise<void> {
  const laid = await nameThenTime(line);
  expect(laid).not.toBeNull();
  expect({ isolated: laid?.unicodeBidi, direction: laid?.direction, sameLine: Math.abs((laid?.time.top ?? 0) - (laid?.name.top ?? 0)) < 2 }).toEqual({ isolated: 'isolate', direction: 'rtl', sameLine: true });
  expect(laid!.time.left).toBeGreaterThanOrEqual(laid!.name.right - 1);
}

describeIf(missingForBrowserTests())('right-to-left names and summaries inside sentences (browser)', () => {
  const s = useAppSession({ build: ['issue-panel', 'project-page', 'admin-page'] });
  /** Four issues of one Arabic summary: pairs to decide, and a cluster of them all. */
  let issues: Array<{ id: string; key: string }> = [];
  let page: { type: string; project: { id: string | undefined; key: string } };
  const pairs = new Map<string, PairView>();
  /** The pair of issues i and j. */
  const pairOf = (i: number, j: number): PairView => {
    const found = pairs.get([issues[i]?.key, issues[j]?.key].sort().join());
    if (found === undefined) throw new Error(`No pair of ${issues[i]?.key} and ${issues[j]?.key}`);
    return found;
  };
  const decide = (user: string, payload: Record<string, unknown>) => s.resolver('project-page-resolver', 'pairs.decide', payload, user, page);

  beforeAll(async () => {
    // A Jira admin with a Hebrew name (an admin, to change settings too).
    s.sandbox.jira.putUser({ accountId: 'rtl-1', displayName: NAME, admin: true, browse: '*', link: '*' });
    issues = [1, 2, 3, 4].map((n) => {
      const made = s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: SUMMARY, description: `طلبان في نفس الثانية لآخر قطعة في المخزون (${n})` });
      return { id: made.id, key: made.key };
    });
    await s.analyse('SHOP');
    page = { type: 'jira:projectPage', project: { id: [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP')?.id, key: 'SHOP' } };
    for (let i = 0; i < issues.length; i++) {
      for (let j = i + 1; j < issues.length; j++) {
        const listed = (await s.resolver('project-page-resolver', 'pairs.list', { status: 'pending', search: `${issues[i]?.key} ${issues[j]?.key}` }, 'member-1', page)) as { items: PairView[] };
        for (const p of listed.items) pairs.set([p.a.key, p.b.key].sort().join(), p);
      }
    }
    // דנה לוי dismissed the first two (Alex Admin said why), and confirmed the first and the third three minutes ago.
    await decide('rtl-1', { pairId: pairOf(0, 1).id, decision: 'dismiss' });
    await decide('admin-1', { pairId: pairOf(0, 1).id, decision: 'dismiss', reason: 'different', expected: 'dismissed' });
    await decide('rtl-1', { pairId: pairOf(0, 2).id, decision: 'confirm' });
    await s.sandbox.forge.sql.query('UPDATE pairs SET decided_ms = ? WHERE id = ?', [Date.now() - 3 * 60_000, pairOf(0, 2).id]);
  }, 300_000);

  it('isolates a name in the issue panel: who confirmed, who dismissed, who said why', async () => {
    await s.open(`/browse/${issues[0]?.key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    const confirmed = panel.locator(`[data-testid="suggestion"][data-issue-key="${issues[2]?.key}"] [data-testid="decided"]`);
    await confirmed.waitFor();
    expect(await confirmed.textContent()).toMatch(new RegExp(`^Confirmed by ${NAME} \\d minutes ago$`));
    expect(await confirmed.locator('bdi').textContent()).toBe(NAME);
    await expectTimeAfterName(confirmed);

    await panel.locator('[data-testid="toggle-dismissed"]').click();
    const dismissed = panel.locator(`[data-testid="suggestion"][data-issue-key="${issues[1]?.key}"]`);
    await dismissed.waitFor();
    expect(await dismissed.locator('[data-testid="decided"] bdi').textContent()).toBe(NAME);
    expect(await dismissed.locator('[data-testid="dismiss-reason"]').textContent()).toBe('Why (said by Alex Admin): Not the same problem');
    expect(await dismissed.locator('[data-testid="dismiss-reason"] bdi').textContent()).toBe('Alex Admin');
  });

  it("isolates a name in the review queue's decided lines and in the history, and a summary in the cluster panel's choices", async () => {
    const frame = await s.projectPage('member-1');
    const search = async (words: string) => {
      await searchQueue(s.page, frame, words);
    };

    // Confirmed: "Confirmed by דנה לוי 3 minutes ago", the time after the name.
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await search(`${issues[0]?.key} ${issues[2]?.key}`);
    const confirmed = frame.locator(`[data-testid="pair-row"][data-pair-id="${pairOf(0, 2).id}"] [data-testid="pair-decided"]`);
    await confirmed.waitFor();
    expect(await confirmed.textContent()).toMatch(new RegExp(`^Confirmed by ${NAME} \\d minutes ago$`));
    expect(await confirmed.locator('bdi').textContent()).toBe(NAME);
    await expectTimeAfterName(confirmed);

    // Dismissed: by whom, and who said why.
    await frame.locator('[data-testid="tab-dismissed"]').click();
    await search(`${issues[0]?.key} ${issues[1]?.key}`);
    const dismissed = frame.locator(`[data-testid="pair-row"][data-pair-id="${pairOf(0, 1).id}"]`);
    await dismissed.waitFor();
    expect(await dismissed.locator('[data-testid="pair-decided"]').textContent()).toMatch(new RegExp(`^Dismissed by ${NAME} `));
    expect(await dismissed.locator('[data-testid="pair-decided"] bdi').textContent()).toBe(NAME);
    expect(await dismissed.locator('[data-testid="pair-dismiss-reason"] bdi').textContent()).toBe('Alex Admin');

    // The history's "Who".
    await frame.locator('[data-testid="tab-history"]').click();
    const entry = frame.locator('[data-testid="history-row"][data-action="confirm"]').filter({ hasText: issues[2]?.key ?? '' }).first();
    await entry.waitFor();
    expect(await entry.locator('td').nth(1).locator('bdi').textContent()).toBe(NAME);

    // The clusters: each choice of the issue to keep is one plain string, its summary between isolates.
    await frame.locator('[data-testid="tab-clusters"]').click();
    await frame.locator('[data-testid="cluster-search"]').fill(issues[3]?.key ?? '');
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === 1`);
    const cluster = frame.locator('[data-testid="cluster"]');
    await cluster.locator('[data-testid="cluster-link-open"]').click();
    const options = await cluster.locator('[data-testid="cluster-keep"] option').allTextContents();
    expect(options.length).toBeGreaterThanOrEqual(3);
    for (const option of options) expect(option).toMatch(new RegExp(`^SHOP-\\d+: ${FSI}${SUMMARY}${PDI} \\(filed `));
    // With the first kept, the second cannot be chosen: dismissed by דנה לוי, isolated; the other choices' summaries too.
    await cluster.locator('[data-testid="cluster-keep"]').selectOption(issues[0]?.id ?? '');
    const why = cluster.locator('[data-testid="cluster-link-dismissed-with-keep"]');
    expect(await why.textContent()).toMatch(new RegExp(`^dismissed as not a duplicate of ${issues[0]?.key} by ${NAME} on `));
    expect(await why.locator('bdi').textContent()).toBe(NAME);
    expect(new Set(await cluster.locator('[data-testid="cluster-link-choices"] label bdi').allTextContents())).toEqual(new Set([SUMMARY]));
    await cluster.locator('[data-testid="cluster-link-cancel"]').click();
  });

  it('isolates the name in the flag that says who decided a pair first', async () => {
    const frame = await s.projectPage('member-1');
    await searchQueue(s.page, frame, `${issues[1]?.key} ${issues[3]?.key}`);
    const row = frame.locator(`[data-testid="pair-row"][data-pair-id="${pairOf(1, 3).id}"]`);
    await row.waitFor();
    // דנה לוי dismisses it on a page of their own; this page still shows it pending.
    await decide('rtl-1', { pairId: pairOf(1, 3).id, decision: 'dismiss' });
    await row.locator('[data-testid="pair-confirm"]').click();
    const flag = s.page.locator('[data-testid="shell-flag"]').filter({ has: s.page.locator('strong', { hasText: 'Not confirmed: someone else decided this pair first' }) }).last();
    await flag.waitFor();
    const pairName = `${pairOf(1, 3).a.key} and ${pairOf(1, 3).b.key}`;
    expect(await flag.locator('div').first().textContent()).toMatch(new RegExp(`^${FSI}${NAME}${PDI} dismissed ${pairName} just now, after this page showed them as pending, `));
  });

  it("isolates a name in the admin page's history", async () => {
    const get = async (): Promise<Settings> => ((await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings }).settings;
    const before = await get();
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...before, retentionDays: before.retentionDays + 1 }, base: before }, 'rtl-1');
    try {
      await s.open('/admin/apps/duplicates', 'admin-1');
      const frame: Frame = await s.frame(MODULES.adminPage);
      const entry = frame.locator('[data-testid="admin-history"] [data-testid="history-row"][data-action="settings.save"]').first();
      await entry.waitFor();
      expect(await entry.locator('td').nth(1).locator('bdi').textContent()).toBe(NAME);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: before });
    }
  });
});
