/**
 * The project page for keyboard users and for people who may not link, in the sandbox
 * shell, in headless Chromium: focus that stays on the page after a decision takes a row
 * away (in the queue and in Compare) and after the cluster link panel closes (Cancel,
 * Escape, a finished link); "Link as duplicates…" disabled, with the reason, for someone
 * without Link Issues; and a cluster page left empty by an action that goes back to the
 * last page there is.
 */
import type { Frame } from 'playwright-core';
import { pairId } from '../../src/store/pairs';
import { CLUSTER, expectFocusIn, PAIR_ROW, type FocusedIn } from './support/focus';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** Eighteen pairs of look-alike issues, each pair a cluster of its own (words no other issue has). */
const LOOK_ALIKES = [
  ['walrus', 'tangerine', 'harpsichord'],
  ['glacier', 'saxophone', 'paprika'],
  ['meteor', 'lantern', 'pistachio'],
  ['volcano', 'trombone', 'cinnamon'],
  ['canyon', 'accordion', 'nutmeg'],
  ['tornado', 'kayak', 'saffron'],
  ['lagoon', 'banjo', 'marzipan'],
  ['iceberg', 'ukulele', 'oregano'],
  ['prairie', 'bagpipe', 'vanilla'],
  ['tundra', 'clarinet', 'cardamom'],
  ['savanna', 'xylophone', 'turmeric'],
  ['fjord', 'mandolin', 'licorice'],
  ['geyser', 'bassoon', 'rosemary'],
  ['reef', 'harmonica', 'anise'],
  ['oasis', 'cello', 'juniper'],
  ['marsh', 'tambourine', 'fennel'],
  ['delta', 'piccolo', 'sorrel'],
  ['plateau', 'oboe', 'tarragon'],
] as const;

/** Clusters on a page of the Clusters tab (clusters-view.tsx). */
const CLUSTER_PAGE = 20;

/** Which control has focus, in which row or cluster. */
const expectFocus = (frame: Frame, expected: FocusedIn<'pairId' | 'clusterId'>) => expectFocusIn(frame, { pairId: PAIR_ROW, clusterId: CLUSTER }, expected);

async function rowIds(frame: Frame): Promise<string[]> {
  return frame.locator('[data-testid="pair-row"]').evaluateAll((els: Array<{ getAttribute(name: string): string | null }>) => els.map((e) => e.getAttribute('data-pair-id') ?? ''));
}

async function clusterIds(frame: Frame): Promise<string[]> {
  return frame.locator('[data-testid="cluster"]').evaluateAll((els: Array<{ getAttribute(name: string): string | null }>) => els.map((e) => e.getAttribute('data-cluster-id') ?? ''));
}

type ClusterList = { items: Array<{ id: string; pendingPairs: number; pairs: Array<{ a: string; b: string }> }>; total: number };

describeIf(missingForBrowserTests())('project page: focus, link rights and paging (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });

  beforeAll(async () => {
    for (const [x, y, z] of LOOK_ALIKES) {
      s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: `${x} ${y} ${z}`, description: `The ${x} ${y} shows no ${z}.` });
      s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: `${y} ${x} ${z}`, description: `No ${z} on the ${y} ${x}.` });
    }
    await s.analyse();
  }, 240_000);

  /** The queue's pending related pairs (deciding them leaves the clusters, which are possible duplicates, alone). */
  async function relatedQueue(): Promise<Frame> {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="filter-tier"]').selectOption('related');
    await until(frame, `[...document.querySelectorAll('[data-testid="pair-row"] [data-testid="tier"]')].every((t) => /related/i.test(t.textContent))`);
    return frame;
  }

  async function clustersTab(accountId = 'member-1'): Promise<Frame> {
    const frame = await s.projectPage(accountId);
    await frame.locator('[data-testid="tab-clusters"]').click();
    await frame.locator('[data-testid="cluster"]').first().waitFor();
    return frame;
  }

  const listClusters = async (page: number): Promise<ClusterList> =>
    (await s.resolver('project-page-resolver', 'clusters.list', { projectKey: 'SHOP', page, pageSize: CLUSTER_PAGE }, 'member-1')) as ClusterList;

  it('moves focus to the same button on the row that takes the place of a row confirmed or dismissed', async () => {
    const frame = await relatedQueue();
    const before = await rowIds(frame);
    expect(before.length).toBeGreaterThan(3);
    const [, decided, next] = before;
    // Confirmed from the keyboard: the second row leaves, the third takes its place.
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${decided}"] [data-testid="pair-confirm"]`).focus();
    await s.page.keyboard.press('Enter');
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${decided}"]`).waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'pair-confirm', pairId: next ?? '', clusterId: null });
    expect((await rowIds(frame)).indexOf(next ?? '')).toBe(1);
    // And dismissed, from the row that now has focus: the one after it takes its place.
    const after = (await rowIds(frame))[2];
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${next}"] [data-testid="pair-dismiss"]`).focus();
    await s.page.keyboard.press('Enter');
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${next}"]`).waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'pair-dismiss', pairId: after ?? '', clusterId: null });
  });

  it('moves focus to the row before when the last row goes, and to the search box when none is left', async () => {
    // An issue with several related pairs still pending: searching its key lists just those.
    const pending = (await s.resolver('project-page-resolver', 'pairs.list', { projectKey: 'SHOP', status: 'pending', tier: 'related', pageSize: 100 }, 'member-1')) as {
      items: Array<{ a: { key: string }; b: { key: string } }>;
    };
    const count = new Map<string, number>();
    for (const p of pending.items) for (const k of [p.a.key, p.b.key]) count.set(k, (count.get(k) ?? 0) + 1);
    const key = [...count].find(([, n]) => n >= 2)?.[0];
    if (key === undefined) throw new Error('No issue with two related pairs pending in the sandbox backlog.');
    const frame = await relatedQueue();
    await frame.locator('[data-testid="search-input"]').fill(key);
    await until(frame, `[...document.querySelectorAll('[data-testid="pair-row"]')].length > 0 && [...document.querySelectorAll('[data-testid="pair-row"]')].every((r) => r.textContent.includes(${JSON.stringify(key)}))`);
    let rows = await rowIds(frame);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // The last row: focus goes to the row before it.
    while (rows.length > 1) {
      const last = rows[rows.length - 1];
      await frame.locator(`[data-testid="pair-row"][data-pair-id="${last}"] [data-testid="pair-dismiss"]`).focus();
      await s.page.keyboard.press('Enter');
      await frame.locator(`[data-testid="pair-row"][data-pair-id="${last}"]`).waitFor({ state: 'detached' });
      await expectFocus(frame, { testId: 'pair-dismiss', pairId: rows[rows.length - 2] ?? '', clusterId: null });
      rows = await rowIds(frame);
    }
    // The only row left: the list is empty, and focus goes to the search box.
    await s.page.keyboard.press('Enter');
    await frame.locator('[data-testid="empty-filtered"]').waitFor();
    await expectFocus(frame, { testId: 'search-input', pairId: null, clusterId: null });
    // The bulk actions and Export CSV go with the last pair (focus was not on them).
    expect(await frame.locator('[data-testid="queue-actions"]').count()).toBe(0);
  });

  it('moves focus to Compare on the row that takes the place of a pair decided in Compare', async () => {
    const frame = await relatedQueue();
    const [decided, next] = await rowIds(frame);
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${decided}"] [data-testid="pair-view"]`).focus();
    await s.page.keyboard.press('Enter');
    const detail = frame.locator('[data-testid="pair-detail"]');
    await detail.locator('[data-testid="detail-dismiss"]').waitFor();
    await detail.locator('[data-testid="detail-dismiss"]').focus();
    await s.page.keyboard.press('Enter');
    await detail.waitFor({ state: 'detached' });
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${decided}"]`).waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'pair-view', pairId: next ?? '', clusterId: null });
  });

  it('offers "Link as duplicates…" disabled, with the reason, to someone without Link Issues', async () => {
    const frame = await clustersTab('viewer-1');
    const open = frame.locator('[data-testid="cluster-link-open"]').first();
    await open.waitFor();
    expect(await open.isDisabled()).toBe(true);
    expect(await open.getAttribute('title')).toBe('You need the Link Issues permission in this project to link issues');
    expect(await open.textContent()).toContain('(You need the Link Issues permission in this project to link issues)');
    // Someone with the permission gets it enabled.
    const member = await clustersTab('member-1');
    const enabled = member.locator('[data-testid="cluster-link-open"]').first();
    await enabled.waitFor();
    expect(await enabled.isEnabled()).toBe(true);
    expect(await enabled.getAttribute('title')).toBeNull();
  });

  it('closes the link panel with Escape or Cancel and gives focus back to "Link as duplicates…"', async () => {
    const frame = await clustersTab();
    const [id] = await clusterIds(frame);
    const cluster = frame.locator(`[data-testid="cluster"][data-cluster-id="${id}"]`);
    const panel = cluster.locator('[data-testid="cluster-link-panel"]');
    await cluster.locator('[data-testid="cluster-link-open"]').focus();
    await s.page.keyboard.press('Enter');
    await panel.waitFor();
    await expectFocus(frame, { testId: 'cluster-keep', pairId: null, clusterId: id ?? '' });
    // Escape, from a checkbox inside the panel.
    await panel.locator('[data-testid="cluster-link-choices"] input[type="checkbox"]').first().focus();
    await s.page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'cluster-link-open', pairId: null, clusterId: id ?? '' });
    // Cancel.
    await s.page.keyboard.press('Enter');
    await panel.waitFor();
    await panel.locator('[data-testid="cluster-link-cancel"]').focus();
    await s.page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'cluster-link-open', pairId: null, clusterId: id ?? '' });
  });

  /** Links every other member of the cluster to the one offered, from the keyboard. */
  async function linkFromKeyboard(frame: Frame, id: string): Promise<void> {
    const cluster = frame.locator(`[data-testid="cluster"][data-cluster-id="${id}"]`);
    await cluster.locator('[data-testid="cluster-link-open"]').focus();
    await s.page.keyboard.press('Enter');
    const panel = cluster.locator('[data-testid="cluster-link-panel"]');
    await panel.waitFor();
    for (const box of await panel.locator('[data-testid="cluster-link-choices"] input[type="checkbox"]').all()) await box.check();
    await panel.locator('[data-testid="cluster-link-submit"]').focus();
    await s.page.keyboard.press('Enter');
  }

  it('gives focus to the cluster heading once a link settles it', async () => {
    const frame = await clustersTab();
    const { total } = await listClusters(1);
    expect(total).toBeGreaterThan(CLUSTER_PAGE + 1);
    // The tab says how many clusters there are, beside the pages.
    expect(await frame.locator('[data-testid="cluster-total"]').textContent()).toBe(`${total} clusters`);
    // The last page: a cluster settled there stays there (settled ones are listed last).
    await frame.locator('[data-testid="cluster-link-open"]').first().waitFor();
    await frame.locator('[aria-label="Cluster pages"] button[aria-label="Page 2"]').click();
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === ${total - CLUSTER_PAGE}`);
    const [id] = await clusterIds(frame);
    if (id === undefined) throw new Error('no cluster on page 2');
    await linkFromKeyboard(frame, id);
    const cluster = frame.locator(`[data-testid="cluster"][data-cluster-id="${id}"]`);
    await cluster.locator('[data-testid="cluster-settled"]').waitFor();
    await cluster.locator('[data-testid="cluster-link-result"]').waitFor();
    await expectFocus(frame, { testId: 'cluster-heading', pairId: null, clusterId: id });
  });

  it('goes back to the last page there is when acting on the last page leaves it empty', async () => {
    const frame = await clustersTab();
    const first = await listClusters(1);
    await frame.locator('[aria-label="Cluster pages"] button[aria-label="Page 2"]').click();
    const onLast = first.total - CLUSTER_PAGE;
    expect(onLast).toBeGreaterThan(1);
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === ${onLast}`);
    const target = (await listClusters(2)).items.find((c) => c.pendingPairs > 0);
    if (target === undefined) throw new Error('no cluster to link on page 2');
    // Meanwhile someone else dismisses as many clusters of the first page as the last one
    // holds: after the next action, there is no page 2 any more.
    const gone = first.items.filter((c) => c.pendingPairs > 0 && c.pairs.length === 1).slice(0, onLast);
    expect(gone).toHaveLength(onLast);
    await s.resolver('project-page-resolver', 'pairs.bulkDecide', { pairIds: gone.map((c) => pairId(c.pairs[0]?.a ?? '', c.pairs[0]?.b ?? '')), decision: 'dismiss' }, 'admin-1');
    expect((await listClusters(1)).total).toBe(CLUSTER_PAGE);

    await linkFromKeyboard(frame, target.id);
    // Back on page 1, with every cluster there is; not an empty page saying there are none.
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === ${CLUSTER_PAGE}`);
    expect(await frame.locator('[data-testid="clusters"]').textContent()).not.toMatch(/No clusters yet/);
    expect(await frame.locator('[aria-label="Cluster pages"]').count()).toBe(0);
    const cluster = frame.locator(`[data-testid="cluster"][data-cluster-id="${target.id}"]`);
    await cluster.locator('[data-testid="cluster-settled"]').waitFor();
    // The cluster linked is on this page now, settled: focus is on its heading.
    await expectFocus(frame, { testId: 'cluster-heading', pairId: null, clusterId: target.id });
  });
});
