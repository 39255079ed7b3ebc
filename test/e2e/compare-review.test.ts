/**
 * Deciding in Compare a pair the review queue does not list, in the sandbox shell, in headless
 * Chromium: a link to a pair under another tab than its own, or a list that moved on (a search)
 * while Compare stayed open. The line that says the decision names the pair's issues (it used
 * the list's row, and said "the pair" without one); the tabs' counts move at once from the
 * pair's own status, as Compare shows it, not from the tab's; and Undo puts the pair back.
 */
import type { Frame } from 'playwright-core';
import { MODULES } from './support/app-session';
import { withHeldCalls } from './support/hold-calls';
import { searchQueue } from './support/queue-search';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

const BASE = '/projects/SHOP/apps/duplicates';

type Counts = { pending: number; confirmed: number; dismissed: number };
interface ListedPair {
  id: string;
  a: { key: string };
  b: { key: string };
}

async function countsShown(frame: Frame): Promise<Counts> {
  const one = async (status: keyof Counts) => Number((await frame.locator(`[data-testid="tab-count-${status}"]`).innerText()).replace(/,/g, ''));
  return { pending: await one('pending'), confirmed: await one('confirmed'), dismissed: await one('dismissed') };
}

/** Waits until the tabs show `want` (the counts read again once the held reads go on). */
async function countsAre(frame: Frame, want: Counts): Promise<void> {
  const condition = (['pending', 'confirmed', 'dismissed'] as const)
    .map((k) => `document.querySelector('[data-testid="tab-count-${k}"]')?.textContent === '${want[k].toLocaleString('en')}'`)
    .join(' && ');
  await until(frame, condition);
}

describeIf(missingForBrowserTests())('Compare: deciding a pair the queue does not list (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });

  beforeAll(() => s.analyse(), 240_000);

  const pendingPairs = async (): Promise<ListedPair[]> =>
    ((await s.resolver('project-page-resolver', 'pairs.list', { projectKey: 'SHOP', status: 'pending', page: 1, pageSize: 100 }, 'member-1')) as { items: ListedPair[] }).items;
  const statusOf = async (pairId: string): Promise<string> =>
    ((await s.resolver('project-page-resolver', 'pairs.detail', { pairId }, 'member-1')) as { pair: { status: string } }).pair.status;

  /** Opens a link to the pair in Compare under `tab`, and waits for its buttons and the counts. */
  async function openLinked(tab: string, pairId: string, button: string): Promise<Frame> {
    await s.open(`${BASE}/review/${tab}/compare/${pairId}`, 'member-1');
    const frame = await s.frame(MODULES.projectPage);
    await frame.locator(`[data-testid="pair-detail"][data-pair-id="${pairId}"] [data-testid="${button}"]`).waitFor({ timeout: 15_000 });
    await frame.locator('[data-testid="tab-count-dismissed"]').waitFor();
    // Not a row of the tab shown: Compare alone has the pair.
    expect(await frame.locator(`[data-testid="pair-row"][data-pair-id="${pairId}"]`).count()).toBe(0);
    return frame;
  }

  it('confirms a pending pair linked under the Dismissed tab: names it, moves the counts from Pending, and Undo puts it back', async () => {
    const pair = (await pendingPairs())[0];
    if (pair === undefined) throw new Error('no pending pair in the sample backlog');
    const name = `${pair.a.key} and ${pair.b.key}`;
    const frame = await openLinked('dismissed', pair.id, 'detail-confirm');
    const before = await countsShown(frame);
    const after: Counts = { pending: before.pending - 1, confirmed: before.confirmed + 1, dismissed: before.dismissed };

    await withHeldCalls(s.page, 'stats.get', async () => {
      await frame.locator('[data-testid="detail-confirm"]').click();
      const line = frame.locator('[data-testid="decision-status-text"]', { hasText: 'Confirmed' });
      await line.waitFor();
      expect(await line.innerText()).toContain(`Confirmed ${name}`);
      // The counts read again are held back: what the tabs show is the queue's own move.
      expect(await countsShown(frame)).toEqual(after);
    });
    await countsAre(frame, after);
    expect(await statusOf(pair.id)).toBe('confirmed');

    await withHeldCalls(s.page, 'stats.get', async () => {
      await frame.locator('[data-testid="decision-undo"]').click();
      const line = frame.locator('[data-testid="decision-status"][data-state="undone"]');
      await line.waitFor();
      expect(await line.innerText()).toContain(`Undone: ${name} are back to review`);
      expect(await countsShown(frame)).toEqual(before);
    });
    await countsAre(frame, before);
    expect(await statusOf(pair.id)).toBe('pending');
  });

  it('reopens a dismissed pair linked under the Pending tab: names it and moves the counts from Dismissed', async () => {
    const pair = (await pendingPairs())[1];
    if (pair === undefined) throw new Error('no second pending pair in the sample backlog');
    // Dismissed since the link was made: the link still says the Pending tab.
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId: pair.id, decision: 'dismiss', expected: 'pending' }, 'member-1');
    const frame = await openLinked('pending', pair.id, 'detail-reopen');
    const before = await countsShown(frame);
    const after: Counts = { pending: before.pending + 1, confirmed: before.confirmed, dismissed: before.dismissed - 1 };

    await withHeldCalls(s.page, 'stats.get', async () => {
      await frame.locator('[data-testid="detail-reopen"]').click();
      const line = frame.locator('[data-testid="decision-status-text"]', { hasText: 'Reopened' });
      await line.waitFor();
      expect(await line.innerText()).toContain(`Reopened ${pair.a.key} and ${pair.b.key}.`);
      expect(await countsShown(frame)).toEqual(after);
    });
    await countsAre(frame, after);
    expect(await statusOf(pair.id)).toBe('pending');
  });

  it('names the pair dismissed in Compare after a search took its row out of the list, and offers to link it as related', async () => {
    const frame = await s.projectPage();
    const row = frame.locator('[data-testid="pair-row"]').first();
    await row.waitFor();
    const pairId = (await row.getAttribute('data-pair-id')) ?? '';
    const pair = (await pendingPairs()).find((p) => p.id === pairId);
    if (pair === undefined) throw new Error(`${pairId} is not a pending pair`);
    await row.locator('[data-testid="pair-view"]').click();
    const dismiss = frame.locator(`[data-testid="pair-detail"][data-pair-id="${pairId}"] [data-testid="detail-dismiss"]`);
    await dismiss.waitFor();
    // The list moves on under Compare: a search no pair matches.
    await searchQueue(s.page, frame, 'nothing-is-called-this');
    await frame.locator('[data-testid="empty-filtered"]').waitFor();
    await dismiss.click();
    const line = frame.locator('[data-testid="decision-status-text"]', { hasText: 'Dismissed' });
    await line.waitFor();
    expect(await line.innerText()).toBe(`Dismissed ${pair.a.key} and ${pair.b.key}: not duplicates.`);
    // Related, and the viewer may link: the Relates link is offered as for a listed pair.
    await frame.locator('[data-testid="decision-status"] [data-testid="dismiss-reason-related"]').click();
    const link = frame.locator('[data-testid="dismiss-link-related"]');
    await link.waitFor();
    expect(await link.isDisabled()).toBe(false);
  });
});
