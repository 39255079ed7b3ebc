/**
 * The project page's history, runs chart and CSV file name, in the sandbox shell, in headless
 * Chromium: a page of the history holds 25 entries, a bulk action is one of them, whole (two
 * bulk reopens written at the same moment too, each its own), and the pages stay put while
 * entries are added; the issue filter's example is the page's own project, and text that is
 * not an issue key lists nothing; a cancelled run is no point of zero on the runs line; the
 * export's file is named after the project, the tab, the filters and the day.
 */
import type { Frame } from 'playwright-core';
import { searchQueue } from './support/queue-search';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(240_000);

/** An element as these tests read it (the tests have no DOM types). */
type El = { getAttribute(name: string): string | null; textContent: string | null };

/** The entries the history shows (a bulk action's rows under it not counted): data-batch-id of a group, data-id of a row. */
async function entries(frame: Frame): Promise<string[]> {
  return frame
    .locator('[data-testid="history-group"], [data-testid="history-row"]:not(.dd-history-member)')
    .evaluateAll((els) => els.map((e) => (e as unknown as El).getAttribute('data-batch-id') ?? (e as unknown as El).getAttribute('data-id') ?? ''));
}

describeIf(missingForBrowserTests())('project history, runs chart and export name (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });

  beforeAll(async () => {
    // Seven copies of one report: 21 pairs to decide, in bulk and one by one.
    for (let n = 0; n < 7; n++) {
      s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: 'Wombat invoice exporter skips every gazebo line', description: `The wombat invoice exporter skips each gazebo line after a restart (copy ${n + 1}).` });
    }
    await s.analyse('SHOP');
  }, 240_000);

  /** The project page's context, as Forge gives it: the project's id and key. */
  const page = (key: string) => ({ type: 'jira:projectPage', project: { id: [...s.sandbox.jira.store.projects.values()].find((p) => p.key === key)?.id, key } });
  const resolver = (method: string, payload: unknown, user = 'member-1', key = 'SHOP') => s.resolver('project-page-resolver', method, payload, user, page(key));
  const pending = async (n: number, key = 'SHOP') =>
    ((await resolver('pairs.list', { status: 'pending', pageSize: n }, 'member-1', key)) as { items: Array<{ id: string; a: { key: string } }> }).items;

  it('pages the history by entry: 25 a page, a bulk action whole and once, two bulk actions written at once apart, and the pages stay put as entries come', async () => {
    const [single, ...rest] = ((await resolver('pairs.list', { status: 'pending', pageSize: 21, search: 'wombat gazebo' })) as { items: Array<{ id: string }> }).items;
    const bulk = rest.map((p) => p.id);
    expect(bulk).toHaveLength(20);
    // Twenty-four decisions one by one, then a bulk dismissal of 20, then two bulk reopens at
    // once (two tabs, or two people), whose entries are written interleaved. (The queue's own
    // Undo is one call, one entry: bulk-confirm.test.ts.)
    for (let i = 0; i < 12; i++) {
      await resolver('pairs.decide', { pairId: single!.id, decision: 'dismiss' });
      await resolver('pairs.decide', { pairId: single!.id, decision: 'reopen' });
    }
    await resolver('pairs.bulkDecide', { pairIds: bulk, decision: 'dismiss' });
    await Promise.all([resolver('pairs.bulkDecide', { pairIds: bulk.slice(0, 9), decision: 'reopen' }), resolver('pairs.bulkDecide', { pairIds: bulk.slice(9), decision: 'reopen' })]);

    const frame = await s.projectPage('lead-1');
    await frame.locator('[data-testid="tab-history"]').click();
    await frame.locator('[data-testid="history-group"]').first().waitFor();
    const first = await entries(frame);
    expect(first).toHaveLength(25);
    const groups = frame.locator('[data-testid="history-group"]');
    expect(await groups.locator('td:nth-child(3)').evaluateAll((els) => els.map((e) => ((e as unknown as El).textContent ?? '').replace(/\s*Show each.*$/, '')))).toEqual([
      expect.stringMatching(/^Reopened (9|11) pairs at once$/),
      expect.stringMatching(/^Reopened (9|11) pairs at once$/),
      'Dismissed 20 pairs at once',
    ]);
    // Each group holds its whole bulk action: 9 + 11 + 20 rows under them.
    await groups.locator('[data-testid="history-group-toggle"]').evaluateAll((els) => els.forEach((e) => (e as unknown as { click(): void }).click()));
    expect(await frame.locator('[data-testid="history-row"].dd-history-member').count()).toBe(40);
    await s.browser.screenshot('e2e-history-entries');

    // Two decisions meanwhile: the next page goes on where the first ended, and says so.
    await resolver('pairs.decide', { pairId: bulk[0]!, decision: 'dismiss' }, 'admin-1');
    await resolver('pairs.decide', { pairId: bulk[0]!, decision: 'reopen' }, 'admin-1');
    await frame.locator('[data-testid="history"] [data-testid="page-next"]').click();
    const newer = frame.locator('[data-testid="history-newer"]');
    await newer.waitFor();
    expect(await newer.locator('span').first().textContent()).toBe('2 newer entries since these pages were read.');
    const second = await entries(frame);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    // Back to page 1: the same entries as before.
    await frame.locator('[data-testid="history"] [data-testid="page-prev"]').click();
    await frame.locator('[data-testid="history"] [data-testid="pagination"] [aria-current="page"]').filter({ hasText: /^1$/ }).waitFor();
    await frame.waitForFunction((ids) => {
      const rows = Array.from((globalThis as unknown as { document: { querySelectorAll(q: string): ArrayLike<{ getAttribute(n: string): string | null; classList: { contains(c: string): boolean } }> } }).document.querySelectorAll('[data-testid="history-group"], [data-testid="history-row"]'));
      const shown = rows.filter((r) => !r.classList.contains('dd-history-member')).map((r) => r.getAttribute('data-batch-id') ?? r.getAttribute('data-id'));
      return JSON.stringify(shown) === JSON.stringify(ids);
    }, first);
    // The newest, on request: the two decisions come first.
    await frame.locator('[data-testid="history-newer-show"]').click();
    await newer.waitFor({ state: 'detached' });
    const deadline = Date.now() + 20_000;
    while (first.includes((await entries(frame))[0] ?? '') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const top = frame.locator('[data-testid="history-row"]:not(.dd-history-member)');
    expect([await top.nth(0).getAttribute('data-action'), await top.nth(1).getAttribute('data-action')]).toEqual(['reopen', 'dismiss']);
    expect(await top.nth(0).locator('td').nth(1).textContent()).toBe('Alex Admin');
    expect(await entries(frame)).toEqual([expect.any(String), expect.any(String), ...first.slice(0, 23)]);
  });

  it('gives the page\'s own project as the issue filter\'s example, and lists nothing for text that is not an issue key', async () => {
    await s.analyse('MOB');
    const [pair] = await pending(1, 'MOB');
    if (!pair) throw new Error('no pending MOB pair');
    await resolver('pairs.decide', { pairId: pair.id, decision: 'dismiss' }, 'member-1', 'MOB');
    const frame = await s.projectPage('member-1', { projectKey: 'MOB' });
    await frame.locator('[data-testid="tab-history"]').click();
    const box = frame.locator('[data-testid="history-issue-filter"]');
    await box.waitFor();
    expect(await box.getAttribute('placeholder')).toBe('e.g. MOB-12');
    await frame.locator('[data-testid="history-row"][data-action="run.start"]').first().waitFor();
    await box.fill(pair.a.key);
    await frame.locator('[data-testid="history-row"][data-action="run.start"]').first().waitFor({ state: 'detached' });
    expect(await frame.locator('[data-testid="history-row"]').evaluateAll((els) => els.map((e) => (e as unknown as El).getAttribute('data-action')))).toEqual(['dismiss']);
    await box.fill('1150%');
    expect(await frame.locator('[data-testid="history-issue-problem"]').textContent()).toBe('Type an issue key, such as MOB-12, or its number.');
    // After the pause in typing: nothing listed under the message, as the queue's search lists what its text finds.
    const none = frame.locator('[data-testid="history-no-match"]');
    await none.waitFor();
    expect(await none.textContent()).toContain('“1150%” is not an issue key, so no action names it.');
    expect(await frame.locator('[data-testid="history-row"]').count()).toBe(0);
    expect(await box.inputValue()).toBe('1150%');
    // Jira slowed down: the whole history takes seconds to come back.
    s.sandbox.jira.faults.latency(2_500, /\/permissions\/check/);
    try {
      await none.locator('button').click();
      // The box is emptied at once; the one issue's entries read before stay shown, dimmed and busy, until the whole history arrives.
      expect(await box.inputValue()).toBe('');
      const table = frame.locator('[data-testid="history-table"]');
      expect(await table.getAttribute('aria-busy')).toBe('true');
      expect(await table.getAttribute('class')).toContain('dd-stale');
      expect(await frame.locator('[data-testid="history-row"]').evaluateAll((els) => els.map((e) => (e as unknown as El).getAttribute('data-action')))).toEqual(['dismiss']);
    } finally {
      s.sandbox.jira.faults.clear();
    }
    // The whole history again, no longer dimmed.
    await frame.locator('[data-testid="history-row"][data-action="run.start"]').first().waitFor({ timeout: 30_000 });
    expect(await frame.locator('[data-testid="history-table"]').getAttribute('aria-busy')).toBe('false');
    expect(await box.inputValue()).toBe('');
  });

  it('leaves a cancelled run out of the runs line, marks what it got through apart, and says so', async () => {
    s.sandbox.jira.faults.latency(1500, /search\/jql/);
    try {
      const started = (await resolver('run.start', { mode: 'full' }, 'admin-1')) as { run: { runId: string } };
      await resolver('run.cancel', { runId: started.run.runId }, 'admin-1');
    } finally {
      s.sandbox.jira.faults.clear();
    }
    await s.sandbox.forge.queue.settle(120_000);
    await s.analyse('SHOP');
    const frame = await s.projectPage();
    await frame.locator('[data-testid="tab-insights"]').click();
    const chart = frame.locator('[data-testid="chart-runs"]');
    await chart.waitFor();
    expect(await chart.getAttribute('data-kind')).toBe('line');
    expect(await chart.locator('thead th').allTextContents()).toEqual(['Label', 'Issues read', 'Pairs found', 'Issues read (unfinished run)', 'Pairs found (unfinished run)']);
    const rows = await chart.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from((tr as unknown as { children: ArrayLike<{ textContent: string | null }> }).children, (c) => c.textContent ?? '')));
    const cancelled = rows.filter((r) => / \(full, cancelled\)$/.test(r[0] ?? ''));
    expect(cancelled).toHaveLength(1);
    // No point of the lines, and its own marks: what it read and found before it stopped.
    expect(cancelled[0]!.slice(1, 3)).toEqual(['–', '–']);
    expect(cancelled[0]!.slice(3).every((c) => /^\d[\d,]*$/.test(c))).toBe(true);
    const done = rows.filter((r) => !/, (cancelled|failed|still running)\)$/.test(r[0] ?? ''));
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.every((r) => /^\d[\d,]*$/.test(r[1] ?? '') && /^\d[\d,]*$/.test(r[2] ?? '') && r[3] === '–' && r[4] === '–')).toBe(true);
    expect(await frame.locator('[data-testid="runs-unfinished-note"]').textContent()).toBe(
      'A run that failed, was cancelled or is still running is not on the lines: its counts stop where it stopped. What it read and found by then is marked apart, with a cross.',
    );
    await s.browser.screenshot('e2e-runs-cancelled');
  });

  it('names the CSV file after the project, the tab, the filters and the day', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    // The day in the page's own time zone, as the app reads it.
    const today = (): Promise<string> =>
      frame.evaluate(() => {
        const d = new Date();
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      });
    /**
     * The file's name, and the names it may have: the app reads the day between the two looks
     * here, so across midnight it is the day before or the day after, and no other.
     */
    const download = async (): Promise<{ name: string; days: string[] }> => {
      const before = await today();
      const [file] = await Promise.all([s.page.waitForEvent('download'), frame.locator('[data-testid="export-csv"]').click()]);
      const after = await today();
      return { name: file.suggestedFilename(), days: [...new Set([before, after])] };
    };
    const first = await download();
    expect(first.days.map((day) => `SHOP-duplicates-pending-${day}.csv`)).toContain(first.name);
    await searchQueue(s.page, frame, 'Checkout');
    const searched = await download();
    expect(searched.days.map((day) => `SHOP-duplicates-pending-search-checkout-${day}.csv`)).toContain(searched.name);
  });
});
