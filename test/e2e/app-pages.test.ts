/**
 * The project page and the admin page in the sandbox shell, in headless Chromium:
 * an analysis started and watched from the page, decisions that reach Jira, a
 * dismissal that survives a re-run, the CSV export, and the settings form.
 */
import { filedAfter } from '../../src/shared/newer-issue';
import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import type { Settings } from '../../src/shared/contract';
import { MODULES, openClusterLinker } from './support/app-session';
import { searchQueue } from './support/queue-search';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** The two issue keys of a review-queue row, read from its Compare button's label. */
async function rowKeys(frame: Frame, index: number): Promise<[string, string]> {
  const label = await frame.locator('[data-testid="pair-row"]').nth(index).locator('[data-testid="pair-view"]').getAttribute('aria-label');
  const keys = label?.match(/[A-Z][A-Z0-9_]*-\d+/g) ?? [];
  if (keys.length !== 2) throw new Error(`Unexpected pair label "${label}".`);
  return [keys[0] ?? '', keys[1] ?? ''];
}

function rowOf(frame: Frame, keys: [string, string]) {
  return frame.locator(`[data-testid="pair-row"]:has([aria-label="Compare ${keys[0]} and ${keys[1]}"])`);
}

/** Rows in the review queue once it shows only `word` matches and its total equals the rows. */
async function settledRowCount(frame: Frame, word: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const texts = await frame.locator('[data-testid="pair-row"]').allTextContents();
    const total = Number((await frame.locator('[data-testid="pair-total"]').textContent().catch(() => ''))?.match(/\d+/)?.[0] ?? -1);
    if (texts.length > 0 && texts.length === total && texts.every((t) => t.toLowerCase().includes(word))) return texts.length;
    if (Date.now() > deadline) throw new Error(`The review queue did not settle on "${word}" (${texts.length} rows, total ${total}).`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Minimal CSV reading for the export: quoted cells may hold commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describeIf(missingForBrowserTests())('project page and admin page (browser)', () => {
  const s = useAppSession({ build: ['project-page', 'admin-page'] });

  it('runs an analysis from the project page and shows its progress to the end', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="run-never"]').waitFor();
    await frame.locator('[data-testid="run-start"]').click();
    const status = frame.locator('[data-testid="run-status"]');
    await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor({ timeout: 60_000 });
    const expected = s.sandbox.jira.store.issues.size > 0 ? [...s.sandbox.jira.store.issues.values()].filter((i) => i.key.startsWith('SHOP-')).length : 0;
    await expect(frame.locator('[data-testid="run-fetched"]').textContent()).resolves.toBe(`${expected} of ${expected}`);
    // The counters say what they count: a first run reads every issue.
    expect(await frame.locator('[data-testid="run-counters"] dt').allTextContents()).toEqual(['Issues read', 'Issues stored', 'Issues compared', 'Pairs found']);
    expect(await status.textContent()).toContain('Finished');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    // Screen readers hear the run's phase (not every poll's counters: the block with them is
    // not a live region) and, once the list has loaded, how many pairs it holds.
    expect(await status.getAttribute('aria-live')).toBeNull();
    expect(await frame.locator('[data-testid="run-announcement"]').textContent()).toBe('Last analysis: Finished');
    const total = Number(((await frame.locator('[data-testid="pair-total"]').textContent()) ?? '').replace(/\D/g, ''));
    expect(await frame.locator('[data-testid="queue-announcement"]').textContent()).toBe(`${total} pairs, page 1 of ${Math.ceil(total / 25)}`);
    // The README's picture: the queue itself, without the "Analysis finished" flag over it.
    const flags = s.page.locator('[data-testid="shell-flag"] .flag__close');
    while ((await flags.count()) > 0) await flags.first().click();
    await s.browser.screenshot('project-page');
    // Every tier label in the queue is shown whole and inside its column, also when the
    // issues column presses on it ("Possible duplicate" was cut to "POSSIBLE DUPLICA…", then
    // ran over the issue keys).
    const tiers = frame.locator('[data-testid="pair-table"] [data-testid="tier"]');
    expect(await tiers.count()).toBeGreaterThan(0);
    type Rect = { right: number };
    type Box = { scrollWidth: number; clientWidth: number; textContent: string | null; getBoundingClientRect(): Rect; closest(s: string): { getBoundingClientRect(): Rect } | null };
    const page = s.browser.page;
    const viewport = page.viewportSize();
    for (const width of [1360, 900]) {
      await page.setViewportSize({ width, height: 900 });
      const misfits = await tiers.evaluateAll((els: Box[]) =>
        els
          .filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > (el.closest('td')?.getBoundingClientRect().right ?? 0))
          .map((el) => el.textContent),
      );
      expect({ width, misfits }).toEqual({ width, misfits: [] });
      // Nothing to scroll sideways to: the actions are in view at both widths.
      const wrap = frame.locator('.dd-table-wrap');
      const sideways = await wrap.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth);
      expect({ width, sideways }).toEqual({ width, sideways: 0 });
      // The row's "why" stays at both widths.
      expect({ width, words: await frame.locator('[data-testid="pair-table"] .dd-shared-line').first().isVisible() }).toEqual({ width, words: true });
      if (width === 1360) {
        // The status lozenges and the summaries line up from row to row, not only within a row.
        type Lefts = { getBoundingClientRect(): { left: number } };
        const lefts = async (selector: string) =>
          new Set(await frame.locator(`[data-testid="pair-table"] ${selector}`).evaluateAll((els: Lefts[]) => els.map((el) => Math.round(el.getBoundingClientRect().left))));
        expect((await lefts('.dd-issue-line__status')).size).toBe(1);
        expect((await lefts('.dd-issue-line__summary')).size).toBe(1);
      }
    }
    await s.browser.screenshot('e2e-queue-narrow');
    if (viewport) await page.setViewportSize(viewport);

    // One run so far: "Runs over time" draws bars (a line of one point says nothing), and its
    // table (for screen readers) holds the run's counts.
    await frame.locator('[data-testid="tab-insights"]').click();
    const runsChart = frame.locator('[data-testid="chart-runs"]');
    await runsChart.waitFor();
    expect(await runsChart.getAttribute('data-kind')).toBe('bar');
    const cells = await runsChart.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[0]).toBe(String(expected));
    expect(Number(cells[1])).toBeGreaterThan(0);
    // Each run is labelled with its kind: "Issues read" means another thing for each.
    expect(await runsChart.locator('tbody tr').first().locator('th').textContent()).toMatch(/ \((full|changes|all projects)\)$/);
    // What the charts count is said beside them: every status, a pair of two types under
    // each. That run was of this project alone: no note on whose issues the runs count.
    expect(await frame.locator('[data-testid="charts-note"]').textContent()).toMatch(/to review, confirmed and dismissed\. A pair of two issue types counts under each/);
    expect(await frame.locator('[data-testid="runs-scope-note"]').count()).toBe(0);
    // The score distribution is stacked by tier: its duplicate column adds up to the
    // duplicate-tier pairs the queue lists (every pair is still pending here).
    const scores = frame.locator('[data-testid="chart-scores"]');
    expect(await scores.locator('thead th').allTextContents()).toEqual(['Label', 'Possible duplicates', 'Related']);
    const rows = await scores.locator('tbody tr').evaluateAll((trs: Array<{ querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }>) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => Number(td.textContent))),
    );
    const pending = async (tier?: 'duplicate') =>
      ((await s.resolver('project-page-resolver', 'pairs.list', { projectKey: 'SHOP', status: 'pending', ...(tier ? { tier } : {}), pageSize: 1 }, 'member-1', { type: 'jira:projectPage', project: { key: 'SHOP' } })) as { total: number }).total;
    const duplicates = await pending('duplicate');
    expect(duplicates).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + (r[0] ?? 0), 0)).toBe(duplicates);
    expect(rows.reduce((n, r) => n + (r[0] ?? 0) + (r[1] ?? 0), 0)).toBe(await pending());
    await frame.locator('[data-testid="tab-review"]').click();
  });

  it('confirms a pair from the review queue and the Duplicate link appears in Jira', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    const keys = await rowKeys(frame, 0);
    await rowOf(frame, keys).locator('[data-testid="pair-confirm"]').click();
    await rowOf(frame, keys).waitFor({ state: 'detached' });

    const store = s.sandbox.jira.store;
    const ids = new Set(keys.map((k) => store.getIssue(k)?.id));
    const duplicateType = [...store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    const link = [...store.links.values()].find((l) => l.typeId === duplicateType?.id && ids.has(l.inwardIssueId) && ids.has(l.outwardIssueId));
    expect(link).toBeDefined();
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await rowOf(frame, keys).waitFor();
    // The row says who confirmed it: "you" here, the name for someone else.
    expect(await rowOf(frame, keys).locator('[data-testid="pair-decided"]').textContent()).toMatch(/^Confirmed by you (just now|\d+ \w+ ago)$/);
    const admin = await s.projectPage('admin-1');
    await admin.locator('[data-testid="tab-confirmed"]').click();
    expect(await rowOf(admin, keys).locator('[data-testid="pair-decided"]').textContent()).toMatch(/^Confirmed by Morgan Member /);
    const mine = await s.projectPage();
    await mine.locator('[data-testid="tab-confirmed"]').click();
    await rowOf(mine, keys).waitFor();
    await s.browser.screenshot('e2e-project-confirm');
    // What Reopen and Unlink do in Jira is said in view, not only in their tooltips; a row is named by its pair.
    expect(await mine.locator('[data-testid="queue-confirmed-note"]').textContent()).toBe('Reopen puts a pair back to review and leaves its Duplicate link in Jira; Unlink removes the link too.');
    expect(await rowOf(mine, keys).getAttribute('aria-label')).toMatch(/^[A-Z]+-\d+ and [A-Z]+-\d+, \d+% alike, (possible duplicate|related)$/);

    // Undone from its row: Unlink removes the link in Jira and the pair leaves Confirmed.
    await rowOf(mine, keys).locator('[data-testid="pair-unlink"]').click();
    await rowOf(mine, keys).waitFor({ state: 'detached' });
    expect(store.links.has(link?.id ?? '')).toBe(false);
    await mine.locator('[data-testid="tab-pending"]').click();
    await rowOf(mine, keys).waitFor();
  });

  it('confirms from Compare with the older issue as the duplicate when the reviewer says so', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    const keys = await rowKeys(frame, 0);
    const store = s.sandbox.jira.store;
    const [older, newer] = keys.map((k) => store.getIssue(k)).sort((x, y) => (x?.created ?? '').localeCompare(y?.created ?? ''));
    if (!older || !newer || older.created === newer.created) throw new Error('the pair needs two issues filed at different times');
    await rowOf(frame, keys).locator('[data-testid="pair-view"]').click();
    const detail = frame.locator('[data-testid="pair-detail"]');
    // The newer issue is the duplicate unless the reviewer picks the other way round.
    expect(await detail.locator(`[data-testid="direction-${newer.key}"]`).isChecked()).toBe(true);
    // Each side says when it was filed, so the way round can be judged.
    const dates = await detail.locator('[data-testid="pair-side"]').evaluateAll((sides) =>
      sides.map((el) => (el as unknown as { querySelector(q: string): { textContent: string | null } | null }).querySelector('[data-testid="pair-side-dates"]')?.textContent ?? ''),
    );
    const filed = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
    expect(dates.map((d) => d.replace(/ · .*$/, '')).sort()).toEqual([`Created ${filed(older.created)}`, `Created ${filed(newer.created)}`].sort());
    await detail.locator(`[data-testid="direction-${older.key}"]`).check();
    await s.browser.screenshot('e2e-compare-direction');
    await detail.locator('[data-testid="detail-confirm"]').click();
    await detail.waitFor({ state: 'detached' });
    await rowOf(frame, keys).waitFor({ state: 'detached' });
    const duplicateType = [...store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    const links = [...store.links.values()].filter((l) => l.typeId === duplicateType?.id && [older.id, newer.id].includes(l.inwardIssueId) && [older.id, newer.id].includes(l.outwardIssueId));
    expect(links.map((l) => [l.inwardIssueId, l.outwardIssueId])).toEqual([[older.id, newer.id]]);

    // Undone from the Confirmed tab: the link goes in Jira and the pair is pending again.
    await frame.locator('[data-testid="tab-confirmed"]').click();
    await rowOf(frame, keys).locator('[data-testid="pair-view"]').click();
    await detail.locator('[data-testid="detail-unlink"]').click();
    await detail.waitFor({ state: 'detached' });
    await rowOf(frame, keys).waitFor({ state: 'detached' });
    expect([...store.links.values()].filter((l) => links.includes(l))).toEqual([]);
    await frame.locator('[data-testid="tab-pending"]').click();
    await rowOf(frame, keys).waitFor();
  });

  it('undoes a bulk confirmation in bulk: Unlink and reopen takes the links out of Jira and the pairs back to Pending', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').nth(1).waitFor();
    const pairs = [await rowKeys(frame, 0), await rowKeys(frame, 1)];
    for (const keys of pairs) await rowOf(frame, keys).locator('[data-testid="row-select"]').check();
    await frame.locator('[data-testid="bulk-confirm"]').click();
    await frame.locator('[data-testid="bulk-link-save"]').click();
    for (const keys of pairs) await rowOf(frame, keys).waitFor({ state: 'detached' });

    const store = s.sandbox.jira.store;
    const duplicateType = [...store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    const linksOf = (keys: string[]) => {
      const ids = new Set(keys.map((k) => store.getIssue(k)?.id));
      return [...store.links.values()].filter((l) => l.typeId === duplicateType?.id && ids.has(l.inwardIssueId) && ids.has(l.outwardIssueId));
    };
    expect(pairs.map((keys) => linksOf(keys).length)).toEqual([1, 1]);

    await frame.locator('[data-testid="tab-confirmed"]').click();
    // Pending offers no unlink; Confirmed does, beside Reopen.
    for (const keys of pairs) await rowOf(frame, keys).locator('[data-testid="row-select"]').check();
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: '2 pairs selected' }).waitFor();
    await s.browser.screenshot('e2e-bulk-unlink');
    await frame.locator('[data-testid="bulk-unlink"]').click();
    for (const keys of pairs) await rowOf(frame, keys).waitFor({ state: 'detached' });
    expect(pairs.map((keys) => linksOf(keys).length)).toEqual([0, 0]);
    await frame.locator('[data-testid="tab-pending"]').click();
    for (const keys of pairs) await rowOf(frame, keys).waitFor();
    expect(await frame.locator('[data-testid="bulk-unlink"]').count()).toBe(0);
  });

  it('keeps a dismissed pair dismissed after a full re-run, with the reason given for it', async () => {
    let frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    const keys = await rowKeys(frame, 0);
    await rowOf(frame, keys).locator('[data-testid="pair-dismiss"]').click();
    await rowOf(frame, keys).waitFor({ state: 'detached' });
    // Why, in one more click beside the line that says it was dismissed.
    const related = frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-related"]');
    expect(await related.getAttribute('aria-pressed')).toBe('false');
    await related.click();
    await frame.locator('[data-testid="decision-status-text"]').filter({ hasText: /Why: Related, but separate work\.$/ }).waitFor();
    expect(await related.getAttribute('aria-pressed')).toBe('true');
    expect(await frame.locator('[data-testid="decision-undo"]').isEnabled()).toBe(true);
    // Related: linked as such in Jira in one more click, as the reviewer.
    const store = s.sandbox.jira.store;
    const relatesBetween = () =>
      [...store.links.values()].filter((l) => store.linkTypes.get(l.typeId)?.name === 'Relates' && [store.issues.get(l.inwardIssueId)?.key, store.issues.get(l.outwardIssueId)?.key].sort().join() === [...keys].sort().join());
    expect(relatesBetween()).toHaveLength(0);
    await frame.locator('[data-testid="dismiss-link-related"]').click();
    await frame.locator('[data-testid="decision-status-text"]').filter({ hasText: /Linked in Jira: [A-Z]+-\d+ relates to [A-Z]+-\d+\.$/ }).waitFor();
    expect(relatesBetween()).toHaveLength(1);
    expect(await frame.locator('[data-testid="dismiss-link-related"]').count()).toBe(0);

    await frame.locator('[data-testid="run-full"]').check();
    await frame.locator('[data-testid="run-start"]').click();
    await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor({ timeout: 60_000 });
    await s.sandbox.forge.queue.settle(60_000);

    frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    expect(await rowOf(frame, keys).count()).toBe(0);
    await frame.locator('[data-testid="tab-dismissed"]').click();
    await rowOf(frame, keys).waitFor();
    expect(await rowOf(frame, keys).locator('[data-testid="pair-dismiss-reason"]').textContent()).toBe('Why: Related, but separate work');
    // Compare shows the reason chosen, and takes another.
    await rowOf(frame, keys).locator('[data-testid="pair-view"]').click();
    const inDetail = frame.locator('[data-testid="pair-detail-reason"]');
    expect(await inDetail.locator('[data-testid="dismiss-reason-related"]').getAttribute('aria-pressed')).toBe('true');
    await inDetail.locator('[data-testid="dismiss-reason-different"]').click();
    await rowOf(frame, keys).locator('[data-testid="pair-dismiss-reason"]').filter({ hasText: 'Why: Not the same problem' }).waitFor();
    expect(await inDetail.locator('[data-testid="dismiss-reason-different"]').getAttribute('aria-pressed')).toBe('true');
    await s.browser.screenshot('e2e-project-dismissed');
    // Pressed again, the reason is taken back: the pair stays dismissed, with none.
    await inDetail.locator('[data-testid="dismiss-reason-different"]').click();
    await rowOf(frame, keys).locator('[data-testid="pair-dismiss-reason"]').waitFor({ state: 'detached' });
    expect(await inDetail.locator('[aria-pressed="true"]').count()).toBe(0);
    expect(await rowOf(frame, keys).count()).toBe(1);
  });

  it('undoes a dismissal linked as related in one click: the Relates link made is removed from Jira too', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    const keys = await rowKeys(frame, 0);
    const store = s.sandbox.jira.store;
    const relatesBetween = () =>
      [...store.links.values()].filter((l) => store.linkTypes.get(l.typeId)?.name === 'Relates' && [store.issues.get(l.inwardIssueId)?.key, store.issues.get(l.outwardIssueId)?.key].sort().join() === [...keys].sort().join());
    await rowOf(frame, keys).locator('[data-testid="pair-dismiss"]').click();
    await rowOf(frame, keys).waitFor({ state: 'detached' });
    await frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-related"]').click();
    await frame.locator('[data-testid="dismiss-link-related"]').click();
    await frame.locator('[data-testid="decision-status-text"]').filter({ hasText: /Linked in Jira: [A-Z]+-\d+ relates to [A-Z]+-\d+\.$/ }).waitFor();
    expect(relatesBetween()).toHaveLength(1);
    await frame.locator('[data-testid="decision-undo"]').click();
    await frame.locator('[data-testid="decision-status-text"]').filter({ hasText: /^Undone: [A-Z]+-\d+ and [A-Z]+-\d+ are back to review, and the Relates link is removed from Jira\.$/ }).waitFor();
    expect(relatesBetween()).toHaveLength(0);
    await rowOf(frame, keys).waitFor();
    // Back to review with no reason kept.
    expect(await rowOf(frame, keys).getAttribute('data-tier')).toMatch(/^(duplicate|related)$/);

    // Someone decides the pair after this Undo was offered: the Undo leaves their decision
    // and the link alone, and says so.
    await rowOf(frame, keys).locator('[data-testid="pair-dismiss"]').click();
    await rowOf(frame, keys).waitFor({ state: 'detached' });
    await frame.locator('[data-testid="dismiss-reasons"] [data-testid="dismiss-reason-related"]').click();
    await frame.locator('[data-testid="dismiss-link-related"]').click();
    await frame.locator('[data-testid="decision-status-text"]').filter({ hasText: /Linked in Jira: / }).waitFor();
    const shop = [...store.projects.values()].find((p) => p.key === 'SHOP');
    const page = { type: 'jira:projectPage', project: { id: shop?.id, key: 'SHOP' } };
    const ids = keys.map((k) => store.getIssue(k)?.id ?? '').sort();
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId: ids.join('-'), decision: 'reopen' }, 'lead-1', page);
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId: ids.join('-'), decision: 'dismiss', reason: 'different' }, 'lead-1', page);
    await frame.locator('[data-testid="decision-undo"]').click();
    await s.page.locator('[data-testid="shell-flag"]').filter({ hasText: 'Someone else decided this pair meanwhile' }).filter({ hasText: 'The Relates link made in Jira stays' }).waitFor();
    expect(relatesBetween()).toHaveLength(1);
    const row = (await s.sandbox.forge.sql.query('SELECT status, decided_by, dismiss_reason FROM pairs WHERE id = ?', [ids.join('-')])) as Array<{ status: string; decided_by: string; dismiss_reason: string }>;
    expect(row[0]).toEqual({ status: 'dismissed', decided_by: 'lead-1', dismiss_reason: 'different' });
    for (const l of relatesBetween()) store.removeLink(l.id);
  });

  it('marks where the related pairs begin when possible duplicates come first, and not in a score order', async () => {
    const frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    // The rows and the divider in the order shown: a tier per row, "|" for the divider.
    const shown = async (): Promise<string> =>
      (await frame.locator('[data-testid="pair-table"] tbody tr').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { testid?: string; tier?: string } }).dataset)))
        .map((d) => (d.testid === 'tier-divider' ? '|' : (d.tier ?? '?')[0]))
        .join('');
    const likely = await shown();
    // One divider, between the last possible duplicate and the first related pair.
    expect(likely).toMatch(/^d+\|r+$/);
    expect(await frame.locator('[data-testid="tier-divider"]').textContent()).toBe('Related pairs: alike, but not taken for possible duplicates');
    await frame.locator('[data-testid="sort"]').selectOption('score:asc');
    await frame.locator('[data-testid="tier-divider"]').waitFor({ state: 'detached' });
    expect(await shown()).not.toContain('|');
  });

  it('comes back to the same section, tab, filters, sort and page in the same browser tab, after a reload or a visit elsewhere', async () => {
    let frame = await s.projectPage();
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="tab-dismissed"]').click();
    await frame.locator('[data-testid="tab-dismissed"][aria-selected="true"]').waitFor();
    await frame.locator('[data-testid="sort"]').selectOption('created:asc');
    await frame.locator('[data-testid="filter-tier"]').selectOption('related');
    await s.page.reload();
    frame = await s.frame(MODULES.projectPage);
    await frame.locator('[data-testid="tab-dismissed"][aria-selected="true"]').waitFor();
    expect(await frame.locator('[data-testid="sort"]').inputValue()).toBe('created:asc');
    expect(await frame.locator('[data-testid="filter-tier"]').inputValue()).toBe('related');
    // A filter kept is in view with its Clear filters.
    expect(await frame.locator('[data-testid="clear-filters"]').isVisible()).toBe(true);
    // The section too: History, then an issue, then the page again from its address (as from the sidebar).
    await frame.locator('[data-testid="tab-history"]').click();
    await frame.locator('[data-testid="history"]').waitFor();
    await s.page.goto(new URL('/browse/SHOP-1', s.sandbox.url).href);
    await s.page.goto(new URL('/projects/SHOP/apps/duplicates', s.sandbox.url).href);
    frame = await s.frame(MODULES.projectPage);
    await frame.locator('[data-testid="tab-history"][aria-selected="true"]').waitFor();
    // Each test of this file opens the page as in a new browser tab (support/app-session.ts): the defaults.
    frame = await s.projectPage();
    await frame.locator('[data-testid="tab-review"][aria-selected="true"]').waitFor();
    expect(await frame.locator('[data-testid="sort"]').inputValue()).toBe('likely:desc');
    expect(await frame.locator('[data-testid="tab-pending"]').getAttribute('aria-selected')).toBe('true');
  });

  it('says how much of a long queue is possible duplicates, and shows those alone in one click', async () => {
    const frame = await s.projectPage();
    const hint = frame.locator('[data-testid="queue-tier-hint"]');
    await hint.waitFor();
    const [, total, duplicates] = (await hint.textContent())?.match(/^Of the ([\d,]+) pending pairs, ([\d,]+) (?:is a possible duplicate|are possible duplicates); the rest are related\./) ?? [];
    const pending = Number((await frame.locator('[data-testid="tab-pending"]').textContent())?.match(/\d+/)?.[0]);
    expect(Number(total?.replace(/,/g, ''))).toBe(pending);
    await frame.locator('[data-testid="queue-tier-only-duplicates"]').click();
    await frame.locator('[data-testid="pair-total"]').filter({ hasText: new RegExp(`^${duplicates} pairs?$`) }).waitFor();
    const tiers = await frame.locator('[data-testid="pair-table"] [data-testid="tier"]').allTextContents();
    expect(tiers.length).toBe(Math.min(25, Number(duplicates)));
    expect(new Set(tiers.map((t) => t.toLowerCase()))).toEqual(new Set(['possible duplicate']));
    expect(await hint.count()).toBe(0);
    // Its counts are the tab's: while a search narrows the list, it is not shown either.
    await frame.locator('[data-testid="filter-tier"]').selectOption('');
    await hint.waitFor();
    await frame.locator('[data-testid="search-input"]').fill('checkout');
    await hint.waitFor({ state: 'detached' });
    await frame.locator('[data-testid="search-input"]').fill('');
    await hint.waitFor();
  });

  it('exports the pending pairs it shows as CSV', async () => {
    const frame = await s.projectPage();
    const search = frame.locator('[data-testid="search-input"]');
    const before = await search.boundingBox();
    expect(await frame.locator('[data-testid="clear-filters"]').isVisible()).toBe(false);
    await search.fill('checkout');
    // The search is debounced: wait until every row shown matches it and the total agrees.
    const rows = await settledRowCount(frame, 'checkout');
    // Clear filters shows up without squeezing the box being typed in.
    expect(await frame.locator('[data-testid="clear-filters"]').isVisible()).toBe(true);
    expect((await search.boundingBox())?.width).toBe(before?.width);
    const shown: string[] = [];
    for (let i = 0; i < rows; i++) shown.push((await rowKeys(frame, i)).sort().join(' '));

    const [download] = await Promise.all([s.page.waitForEvent('download'), frame.locator('[data-testid="export-csv"]').click()]);
    const file = await download.path();
    const csv = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c !== ''));
    const [header, ...body] = csv;
    expect(header?.length).toBeGreaterThan(2);
    expect(body).toHaveLength(rows);
    // The same rows in the same order as the queue shows them.
    const exported = body.map((r) => r.filter((c) => /^[A-Z][A-Z0-9_]*-\d+$/.test(c)).slice(0, 2).sort().join(' '));
    expect(exported).toEqual(shown);
    await s.browser.screenshot('e2e-csv-export');
  });

  it('links a whole cluster to the issue kept: one Duplicate link per other issue, its pairs confirmed', async () => {
    const frame = await s.projectPage();
    const { mine, clusterId } = await openClusterLinker(frame);
    const keep = mine.locator('[data-testid="cluster-keep"]');
    const options = await keep.locator('option').evaluateAll((els: Array<{ value: string; textContent: string | null }>) => els.map((e) => ({ id: e.value, key: (e.textContent ?? '').split(':')[0] ?? '' })));
    expect(options.length).toBeGreaterThan(1);
    // The issue filed first is kept by default (the earliest report is the original), and says so.
    const filed = (id: string) => ({ id, createdMs: Date.parse(s.sandbox.jira.store.issues.get(id)?.created ?? '') });
    const earliest = options.reduce((x, y) => (filedAfter(filed(x.id), filed(y.id)) ? y : x));
    expect(await keep.inputValue()).toBe(earliest.id);
    expect(await keep.locator(`option[value="${earliest.id}"]`).textContent()).toMatch(/\(filed \d{1,2} [A-Z][a-z]{2,3} \d{4}, the first(, most alike to the others)?\)$/);
    // Keep the last one listed, not the main issue the panel offers first.
    const kept = options[options.length - 1];
    if (!kept) throw new Error('no members');
    await keep.selectOption(kept.id);
    // Nothing is chosen at first (similar is not the same); one click chooses the issues
    // similar to the kept one itself; here every other one is chosen.
    const choices = mine.locator('[data-testid="cluster-link-choices"] li');
    expect(await choices.count()).toBe(options.length - 1);
    expect(await mine.locator('[data-testid="cluster-link-choices"] input:checked').count()).toBe(0);
    expect(await mine.locator('[data-testid="cluster-link-submit"]').isDisabled()).toBe(true);
    const alike = mine.locator('[data-testid="cluster-link-choose-alike"]');
    if ((await alike.count()) > 0) await alike.click();
    for (let i = 0; i < options.length - 1; i++) {
      const row = choices.nth(i);
      const box = row.locator('input[type="checkbox"]');
      expect(await box.isChecked()).toBe(/% like /.test((await row.textContent()) ?? ''));
      await box.check();
    }
    const submit = mine.locator('[data-testid="cluster-link-submit"]');
    expect(await submit.textContent()).toBe(`Link ${options.length - 1} issue${options.length === 2 ? '' : 's'} to ${kept.key}`);
    await s.browser.screenshot('e2e-cluster-link');
    const store = s.sandbox.jira.store;
    const before = store.links.size;
    await submit.click();
    await mine.locator('[data-testid="cluster-link-result"]').waitFor();
    // Once the list reloads, the cluster has nothing left to review.
    await frame.locator(`[data-testid="cluster"][data-cluster-id="${clusterId}"]:not(:has-text("to review"))`).waitFor();
    expect(await mine.locator('[data-testid="cluster-link-result"]').textContent()).toMatch(new RegExp(`^${options.length - 1} issues? linked as (a )?duplicates? of ${kept.key}`));
    // Settled: the group says so instead of offering to link it again.
    expect(await mine.locator('[data-testid="cluster-settled"]').textContent()).toBe('Every pair in this group has been decided.');
    expect(await mine.locator('[data-testid="cluster-link-open"]').count()).toBe(0);
    const duplicateType = [...store.linkTypes.values()].find((t) => t.name === 'Duplicate');
    const added = [...store.links.values()].slice(before);
    expect(added.every((l) => l.typeId === duplicateType?.id && l.outwardIssueId === kept.id)).toBe(true);
    expect(added.map((l) => l.inwardIssueId).sort()).toEqual(options.filter((o) => o.id !== kept.id).map((o) => o.id).sort());
    await s.browser.screenshot('e2e-cluster-linked');

    // Someone else sees it in the history, with the name of who did it.
    const other = await s.projectPage('admin-1');
    await other.locator('[data-testid="tab-history"]').click();
    const row = other.locator('[data-testid="history-row"][data-action="cluster.link"]').first();
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('Morgan Member');
    // The details read as the page does: plurals, no internal ids; the issues are links.
    expect(await row.locator('td').nth(2).textContent()).toMatch(new RegExp(`— ${options.length - 1} issues? linked as (a duplicate|duplicates) of ${kept.key}; \\d+ pairs? confirmed$`));
    const issueLinks = row.locator('[data-testid="history-issue"]');
    expect(await issueLinks.count()).toBe(Math.min(6, options.length));
    // Real links to the issues (copy link, Ctrl-click), opening in a new tab.
    expect(await issueLinks.first().getAttribute('href')).toMatch(/^https?:\/\/[^/]+\/browse\/[A-Z]+-\d+$/);
    expect(await issueLinks.first().getAttribute('target')).toBe('_blank');
    // A person's confirmation reads "score …; X duplicates Y" (an analysis that finds a pair Jira
    // links adds "Linked as duplicates in Jira" entries too: a run under way may land one here).
    const confirmRow = other.locator('[data-testid="history-row"][data-action="confirm"]').filter({ hasText: /— score \d{1,3}%; [A-Z]+-\d+ duplicates [A-Z]+-\d+/ }).first();
    expect(await confirmRow.locator('td').nth(2).textContent()).toMatch(/— score \d{1,3}%; [A-Z]+-\d+ duplicates [A-Z]+-\d+$/);
    const runRow = other.locator('[data-testid="history-row"][data-action="run.start"]').first();
    expect(await runRow.locator('td').nth(2).textContent()).toMatch(/— (every issue|the issues changed since the last run) of SHOP$/);
    await s.browser.screenshot('e2e-history');

    // Narrowed: decisions only, then those naming the kept issue (typed in lower case).
    const rows = other.locator('[data-testid="history-row"]');
    const actions = async () => rows.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { action: string } }).dataset.action));
    await other.locator('[data-testid="history-kind"]').selectOption('decisions');
    await other.locator('[data-testid="history-row"][data-action="run.start"]').first().waitFor({ state: 'detached' });
    expect((await actions()).every((a) => ['confirm', 'dismiss', 'dismiss.reason', 'link.related', 'reopen', 'unlink', 'cluster.link'].includes(a))).toBe(true);
    const issueBox = other.locator('[data-testid="history-issue-filter"]');
    await issueBox.fill('not a key');
    expect(await other.locator('[data-testid="history-issue-problem"]').textContent()).toBe('Type an issue key, such as SHOP-12, or its number.');
    await issueBox.fill(kept.key.toLowerCase());
    await issueBox.press('Enter');
    await other.locator('[data-testid="history-issue-problem"]').waitFor({ state: 'detached' });
    await other.waitForFunction(
      (key) => {
        const all = Array.from((globalThis as unknown as { document: { querySelectorAll(q: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid="history-row"]'));
        return all.length > 0 && all.every((r) => (r.textContent ?? '').includes(key));
      },
      kept.key,
    );
    expect(await actions()).toContain('cluster.link');
    // Only mine: the admin decided nothing here.
    await other.locator('[data-testid="history-mine"]').check();
    expect(await other.locator('[data-testid="history-no-match"]').textContent()).toContain(`No decisions of yours naming ${kept.key} in the history kept.`);
    await other.locator('[data-testid="history-no-match"] button').click();
    await other.locator('[data-testid="history-row"][data-action="run.start"]').first().waitFor();
    expect(await issueBox.inputValue()).toBe('');
    expect(await other.locator('[data-testid="history-kind"]').inputValue()).toBe('');
  });

  it('reviews with the keyboard: j and k move, x selects, d dismisses the row it is on', async () => {
    const frame = await s.projectPage();
    const rows = frame.locator('[data-testid="pair-table"] [data-testid="pair-row"]');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(2);
    const page = s.browser.page;
    const active = frame.locator('[data-testid="pair-row"][data-active="true"]');
    // Keys go to the frame's document: a click on the page title gives it the focus.
    await frame.locator('h1').click();
    await page.keyboard.press('j');
    expect(await active.getAttribute('data-pair-id')).toBe(await rows.nth(0).getAttribute('data-pair-id'));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const second = await rows.nth(1).getAttribute('data-pair-id');
    expect(await active.getAttribute('data-pair-id')).toBe(second);
    // Typing in the search box is typing, not a command.
    await frame.locator('[data-testid="search-input"]').fill('');
    await frame.locator('[data-testid="search-input"]').press('x');
    expect(await frame.locator('[data-testid="selected-count"]').textContent()).toMatch(/^Select pairs/);
    await frame.locator('[data-testid="search-input"]').fill('');
    // Wait for the unfiltered list, then go to the top and to row 2 again. The box searches
    // after a pause in typing: on a busy machine "x" may have been searched for before the
    // box was emptied, and the empty search follows only after another pause. Until then
    // Clear filters is on offer; then the rows of "x", if any came, are out of reach until
    // the unfiltered ones replace them.
    await frame.locator('[data-testid="clear-filters"]:disabled').waitFor({ state: 'attached' });
    await frame.locator('[data-testid="pair-list"] [inert]').waitFor({ state: 'detached' });
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${second}"]`).waitFor();
    await frame.locator('h1').click();
    for (let i = 0; i < 4; i++) await page.keyboard.press('k');
    await page.keyboard.press('j');
    await frame.locator(`[data-testid="pair-row"][data-active="true"][data-pair-id="${second}"]`).waitFor();
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: '1 pair selected' }).waitFor();
    expect(await frame.locator(`[data-testid="pair-row"][data-pair-id="${second}"] [data-testid="row-select"]`).isChecked()).toBe(true);
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: /^Select pairs/ }).waitFor();
    const target = await active.getAttribute('data-pair-id');
    await page.keyboard.press('d');
    await frame.locator(`[data-testid="pair-row"][data-pair-id="${target}"]`).waitFor({ state: 'detached' });
    const pair = (await s.sandbox.forge.sql.query('SELECT status FROM pairs WHERE id = ?', [target])) as Array<{ status: string }>;
    expect(pair[0]?.status).toBe('dismissed');
    // Then 3 says why (split on purpose), without leaving the keyboard.
    expect(await frame.locator('[data-testid="dismiss-reason-split"]').getAttribute('aria-keyshortcuts')).toBe('3');
    await page.keyboard.press('3');
    await frame.locator('[data-testid="decision-status-text"]').filter({ hasText: /Why: Split on purpose \(one per team, component or version\)\.$/ }).waitFor();
    const reason = (await s.sandbox.forge.sql.query('SELECT dismiss_reason FROM pairs WHERE id = ?', [target])) as Array<{ dismiss_reason: string | null }>;
    expect(reason[0]?.dismiss_reason).toBe('split');
    await s.browser.screenshot('e2e-queue-keys');

    // The keys act on the row the focus is in, not on one chosen with j / k before: Tab (or
    // a click) to another row's button makes that row the active one.
    await frame.locator('h1').click();
    await page.keyboard.press('j');
    const chosen = await active.getAttribute('data-pair-id');
    const at = (await rows.nth(0).getAttribute('data-pair-id')) === chosen ? 3 : 0;
    const third = rows.nth(at);
    const thirdId = await third.getAttribute('data-pair-id');
    expect(thirdId).not.toBe(chosen);
    await third.locator('[data-testid="pair-dismiss"]').focus();
    await frame.locator(`[data-testid="pair-row"][data-active="true"][data-pair-id="${thirdId}"]`).waitFor();
    expect(await frame.locator('[data-testid="pair-row"][data-active="true"]').count()).toBe(1);
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: '1 pair selected' }).waitFor();
    expect(await third.locator('[data-testid="row-select"]').isChecked()).toBe(true);
    expect(await frame.locator(`[data-testid="pair-row"][data-pair-id="${chosen}"] [data-testid="row-select"]`).isChecked()).toBe(false);
    // The focus stays on the button it was on.
    expect(await third.locator(':focus[data-testid="pair-dismiss"]').count()).toBe(1);
    // j from there goes to the row after it.
    await page.keyboard.press('j');
    await frame.locator(`[data-testid="pair-row"][data-active="true"][data-pair-id="${await rows.nth(at + 1).getAttribute('data-pair-id')}"]`).waitFor();
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: /^Select pairs/ }).waitFor();

    // A click on a row's text (no control there to take the focus) makes that row the one the keys act on.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const clicked = rows.nth(0);
    const clickedId = await clicked.getAttribute('data-pair-id');
    await clicked.locator('.dd-issue-line__summary').first().click();
    await frame.locator(`[data-testid="pair-row"][data-active="true"][data-pair-id="${clickedId}"]`).waitFor();
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: '1 pair selected' }).waitFor();
    expect(await clicked.locator('[data-testid="row-select"]').isChecked()).toBe(true);
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasText: /^Select pairs/ }).waitFor();
    // With the focus on a control outside the rows (Export CSV), a key that acts on a row does nothing.
    await frame.locator('[data-testid="export-csv"]').focus();
    await page.keyboard.press('x');
    // Keys are handled in turn: once an x pressed in another row has selected that row, the
    // one pressed on Export CSV was handled, and it selected nothing (not the row it was on).
    const later = rows.nth(1);
    await later.locator('[data-testid="pair-dismiss"]').focus();
    await page.keyboard.press('x');
    await frame.locator('[data-testid="selected-count"]').filter({ hasNotText: /^Select pairs/ }).waitFor();
    expect(await frame.locator('[data-testid="selected-count"]').textContent()).toBe('1 pair selected');
    expect(await later.locator('[data-testid="row-select"]').isChecked()).toBe(true);
  });

  it('offers a viewer without Link Issues no Confirm that would only fail: disabled, with the reason', async () => {
    const frame = await s.projectPage('viewer-1');
    const row = frame.locator('[data-testid="pair-row"]').first();
    await row.waitFor();
    const confirm = row.locator('[data-testid="pair-confirm"]');
    expect(await confirm.isDisabled()).toBe(true);
    expect(await confirm.getAttribute('title')).toMatch(/Link Issues permission/);
    // Dismissing needs no link: it stays on offer, and the page says both in view.
    expect(await row.locator('[data-testid="pair-dismiss"]').isDisabled()).toBe(false);
    expect(await frame.locator('[data-testid="queue-no-link"]').innerText()).toBe(
      'You need the Link Issues permission in this project to link issues, so you cannot confirm these pairs; you can still dismiss them.',
    );
    await row.locator('[data-testid="row-select"]').check();
    expect(await frame.locator('[data-testid="bulk-confirm"]').isDisabled()).toBe(true);
    expect(await frame.locator('[data-testid="bulk-dismiss"]').isDisabled()).toBe(false);
    await row.locator('[data-testid="pair-view"]').click();
    const detail = frame.locator('[data-testid="pair-detail"]');
    await detail.locator('[data-testid="detail-confirm"]').waitFor();
    expect(await detail.locator('[data-testid="detail-confirm"]').isDisabled()).toBe(true);
    await s.browser.screenshot('e2e-viewer-no-link');
    // A member may link: the same buttons are on.
    const member = await s.projectPage();
    await member.locator('[data-testid="pair-row"]').first().waitFor();
    expect(await member.locator('[data-testid="pair-row"]').first().locator('[data-testid="pair-confirm"]').isDisabled()).toBe(false);
  });

  it('offers a viewer without Link Issues no Reopen of a confirmed duplicate, which only someone who could link may overturn', async () => {
    const shop = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP');
    const page = { type: 'jira:projectPage', project: { id: shop?.id, key: 'SHOP' } };
    const list = (await s.resolver('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 1 }, 'member-1', page)) as { items: Array<{ id: string }> };
    const pairId = list.items[0]?.id;
    if (!pairId) throw new Error('No pending pair left to confirm.');
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId, decision: 'confirm' }, 'member-1', page);
    try {
      const frame = await s.projectPage('viewer-1');
      await frame.locator('[data-testid="tab-confirmed"]').click();
      const row = frame.locator(`[data-testid="pair-row"][data-pair-id="${pairId}"]`);
      await row.waitFor();
      const reopen = row.locator('[data-testid="pair-reopen"]');
      expect(await reopen.isDisabled()).toBe(true);
      expect(await reopen.getAttribute('title')).toBe('You need the Link Issues permission in this project to reopen a confirmed duplicate');
      // Said in view too: a disabled button's tooltip never reaches keyboard and touch users.
      expect(await frame.locator('[data-testid="queue-no-link"]').innerText()).toBe(
        'You need the Link Issues permission in this project to reopen a confirmed duplicate, or to remove its link.',
      );
      await row.locator('[data-testid="row-select"]').check();
      expect(await frame.locator('[data-testid="bulk-reopen"]').isDisabled()).toBe(true);
    } finally {
      await s.resolver('project-page-resolver', 'pairs.decide', { pairId, decision: 'reopen', unlink: true }, 'member-1', page);
    }
  });

  it('rejects bad JQL on the admin page with a clear message and saves good settings', async () => {
    await s.open('/admin/apps/duplicates', 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    const jql = frame.locator('[data-testid="jql-filter"]');
    await jql.waitFor();
    await jql.fill('project = SHOP AND (status = ');
    await frame.locator('[data-testid="settings-save"]').click();
    const error = frame.locator('[data-testid="jql-filter-error"]');
    await error.waitFor();
    expect((await error.textContent())?.length).toBeGreaterThan(10);
    await frame.locator('[data-testid="save-error"]').waitFor();
    await s.browser.screenshot('e2e-admin-bad-jql');

    await jql.fill('labels != wontfix');
    await frame.locator('[data-testid="threshold-duplicate"]').fill('45');
    await frame.locator('[data-testid="settings-save"]').click();
    await frame.locator('[data-testid="save-success"]').waitFor();
    // A new filter changes what runs read; a threshold alone would not.
    expect(await frame.locator('[data-testid="save-success"]').textContent()).toMatch(/reads every issue in scope again/);
    await frame.locator('[data-testid="threshold-duplicate"]').fill('46');
    await frame.locator('[data-testid="settings-save"]').click();
    // A threshold alone re-reads nothing: the banner says only when it applies.
    await frame.locator('[data-testid="save-success"]').filter({ hasText: /^Settings saved\. The new thresholds apply to what the next analysis stores; until then, suggestions keep the tiers they were stored with\.$/ }).waitFor();
    await frame.locator('[data-testid="threshold-duplicate"]').fill('45');
    await frame.locator('[data-testid="settings-save"]').click();
    await frame.locator('[data-testid="save-success"]').waitFor();
    const saved = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    expect(saved.settings.jqlFilter).toBe('labels != wontfix');
    expect(saved.settings.thresholds.duplicate).toBeCloseTo(0.45);
    // The page's history shows the saves just made, by the one who made them.
    const history = frame.locator('[data-testid="admin-history"] [data-testid="history-row"][data-action="settings.save"]');
    await history.nth(1).waitFor();
    expect(await history.first().locator('td').nth(1).textContent()).toBe('You');
    // The README's screenshot: without the three "Settings saved" flags over the page.
    const flags = s.browser.page.locator('[data-testid="shell-flag"] .flag__close');
    while ((await flags.count()) > 0) await flags.first().click();
    await s.browser.screenshot('admin-page');
  });

  it('limits the scope to issue types picked from the ones Jira has, and back to all', async () => {
    await s.open('/admin/apps/duplicates', 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    const bug = frame.locator('[data-testid="issue-type-Bug"]');
    await bug.waitFor();
    const help = frame.locator('[data-testid="issue-types-help"]');
    expect(await help.textContent()).toMatch(/Every issue type/);
    await bug.check();
    await frame.locator('[data-testid="issue-type-Story"]').check();
    expect(await help.textContent()).toMatch(/these 2 types/);
    await frame.locator('[data-testid="settings-save"]').click();
    await frame.locator('[data-testid="save-success"]').waitFor();
    let saved = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    expect(saved.settings.issueTypes).toEqual(['Bug', 'Story']);
    // What runs read changed: the next run reads everything again, and the page says so.
    expect(await frame.locator('[data-testid="save-success"]').textContent()).toMatch(/the next analysis reads every issue in scope again/);

    // After a reload the saved choice is what is checked; unchecking both analyses every type again.
    await s.open('/admin/apps/duplicates', 'admin-1');
    const again = await s.frame(MODULES.adminPage);
    await again.locator('[data-testid="issue-type-Bug"]').waitFor();
    expect(await again.locator('[data-testid="issue-type-Bug"]').isChecked()).toBe(true);
    expect(await again.locator('[data-testid="issue-type-Task"]').isChecked()).toBe(false);
    await again.locator('[data-testid="issue-type-Bug"]').uncheck();
    await again.locator('[data-testid="issue-type-Story"]').uncheck();
    await again.locator('[data-testid="settings-save"]').click();
    await again.locator('[data-testid="save-success"]').waitFor();
    saved = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    expect(saved.settings.issueTypes).toEqual([]);
  });

  it('previews what the thresholds being typed make of the stored pairs', async () => {
    const preview = (await s.resolver('admin-page-resolver', 'settings.preview', {})) as { buckets: number[]; storedFrom: number; total: number };
    expect(preview.total).toBeGreaterThan(0);
    const atOrAbove = (x: number) => preview.buckets.slice(Math.round(x * 100)).reduce((n, c) => n + c, 0);
    await s.open('/admin/apps/duplicates', 'admin-1');
    const frame = await s.frame(MODULES.adminPage);
    const text = frame.locator('[data-testid="threshold-preview"]');
    await text.waitFor();
    await frame.locator('[data-testid="threshold-duplicate"]').fill('60');
    const related = Math.round(preview.storedFrom * 100) / 100;
    await frame.locator('[data-testid="threshold-related"]').fill(String(Math.round(related * 100)));
    await frame.locator('[data-testid="threshold-preview"]').filter({ hasText: `${atOrAbove(0.6)} would be ${atOrAbove(0.6) === 1 ? 'a possible duplicate' : 'possible duplicates'} and ${atOrAbove(related) - atOrAbove(0.6)} related.` }).waitFor();
    // Below what was stored, the count is a floor and the page says why.
    await frame.locator('[data-testid="threshold-related"]').fill(String(Math.max(0, Math.round(related * 100) - 5)));
    expect(await text.textContent()).toMatch(/at least \d+ related\. Pairs below \d+% were not stored/);
    await s.browser.screenshot('e2e-admin-threshold-preview');
    await frame.locator('[data-testid="settings-reset"]').click();
  });

  it('lets a non-admin read the admin page but not change it', async () => {
    await s.open('/admin/apps/duplicates', 'member-1');
    const frame = await s.frame(MODULES.adminPage);
    await frame.locator('[data-testid="read-only-note"]').waitFor();
    // The history is for admins: a settings change may name projects this reader cannot browse.
    expect(await frame.locator('[data-testid="admin-history"]').count()).toBe(0);
    await s.browser.screenshot('e2e-admin-read-only');

    // Nor does a reader see the JQL filter's text, or projects in scope they cannot browse.
    const saved = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...saved.settings, jqlFilter: 'labels != "acme-confidential"' } });
    try {
      await s.open('/admin/apps/duplicates', 'restricted-1');
      const restricted = await s.frame(MODULES.adminPage);
      await restricted.locator('[data-testid="projects-withheld"]').waitFor();
      const jql = restricted.locator('[data-testid="jql-filter"]');
      expect([await jql.inputValue(), await jql.getAttribute('placeholder')]).toEqual(['', 'A filter is set; only Jira administrators can see it.']);
      expect(await restricted.locator('body').innerText()).not.toMatch(/acme-confidential|OPS/);
      // Counts over what the reader may see say so.
      const preview = restricted.locator('[data-testid="threshold-preview"]');
      await preview.waitFor();
      expect(await preview.innerText()).toMatch(/^Of the [\d,]+ pairs? stored now in the projects you can browse, /);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: saved.settings });
    }
  });

  it('tells a project outside the scope so, and offers no run there', async () => {
    const saved = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...saved.settings, projects: saved.settings.projects.filter((k) => k !== 'OPS') } });
    try {
      await s.open('/projects/OPS/apps/duplicates', 'member-1');
      const frame = await s.frame(MODULES.projectPage);
      const banner = frame.locator('[data-testid="run-not-analysed"]');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/^OPS is not among the projects the app analyses/);
      expect(await frame.locator('[data-testid="run-start"]').isDisabled()).toBe(true);
      expect(await frame.locator('[data-testid="run-never"]').count()).toBe(0);
      // The empty queue does not suggest a run that cannot happen.
      expect(await frame.locator('[data-testid="empty-queue"]').textContent()).not.toMatch(/Run an analysis/);
      // Nothing to select or export: no bulk actions and no Export CSV beside the empty queue.
      expect(await frame.locator('[data-testid="queue-actions"], [data-testid="export-csv"], [data-testid="bulk-dismiss"]').count()).toBe(0);
      await s.browser.screenshot('e2e-project-not-analysed');
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: saved.settings });
    }
    await s.open('/projects/OPS/apps/duplicates', 'member-1');
    const frame = await s.frame(MODULES.projectPage);
    await frame.locator('[data-testid="run-start"]:not([disabled])').waitFor();
    expect(await frame.locator('[data-testid="run-not-analysed"]').count()).toBe(0);
  });

  it('says when the last analysis covered every project, so its counts are not this project\'s', async () => {
    let frame = await s.projectPage();
    await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor();
    // A run of this project alone counts this project: no note.
    expect(await frame.locator('[data-testid="run-scope-note"]').count()).toBe(0);
    await s.resolver('admin-page-resolver', 'run.start', {});
    await s.sandbox.forge.queue.settle(120_000);
    frame = await s.projectPage();
    const note = frame.locator('[data-testid="run-scope-note"]');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/every project in scope, so its counts include projects other than SHOP/);
    // The runs chart says it too.
    await frame.locator('[data-testid="tab-insights"]').click();
    expect(await frame.locator('[data-testid="runs-scope-note"]').textContent()).toMatch(/^An analysis of every project in scope counts the issues and pairs of all of them/);
    await frame.locator('[data-testid="tab-review"]').click();
    // With SHOP alone in scope that run counted only SHOP: no note.
    const saved = (await s.resolver('admin-page-resolver', 'settings.get', {})) as { settings: Settings };
    await s.resolver('admin-page-resolver', 'settings.save', { settings: { ...saved.settings, projects: ['SHOP'] } });
    try {
      frame = await s.projectPage();
      await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor();
      expect(await frame.locator('[data-testid="run-scope-note"]').count()).toBe(0);
    } finally {
      await s.resolver('admin-page-resolver', 'settings.save', { settings: saved.settings });
    }
  });

  it('after a cancelled or failed analysis, says which analysis the pairs shown come from, and the history keeps the failure', async () => {
    let frame = await s.projectPage();
    await frame.locator('[data-testid="run-status"][data-status="done"]').waitFor();
    // Slow Jira down so the run can be cancelled while it reads.
    s.sandbox.jira.faults.latency(1500, /search\/jql/);
    try {
      await frame.locator('[data-testid="run-full"]').check();
      await frame.locator('[data-testid="run-start"]').click();
      await frame.locator('[data-testid="run-cancel"]').click();
      await frame.locator('[data-testid="run-status"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    } finally {
      s.sandbox.jira.faults.clear();
    }
    await s.sandbox.forge.queue.settle(60_000);
    const lastDone = frame.locator('[data-testid="run-last-done"]');
    await lastDone.waitFor();
    // That analysis covered every project in scope, and its count says so.
    expect(await lastDone.textContent()).toMatch(/^The pairs below come from the last analysis that finished, .+ \(\d+ pairs? found across every project in scope\)\.$/);
    // A failed run: Jira refusing every search (a 5xx would be waited out for minutes first).
    s.sandbox.jira.faults.serverErrors({ count: 10_000, status: 403, path: /search\/jql/ });
    try {
      await frame.locator('[data-testid="run-start"]').click();
      await frame.locator('[data-testid="run-status"][data-status="failed"]').waitFor({ timeout: 90_000 });
    } finally {
      s.sandbox.jira.faults.clear();
    }
    await s.sandbox.forge.queue.settle(60_000);
    frame = await s.projectPage();
    await frame.locator('[data-testid="run-last-done"]').waitFor();
    await frame.locator('[data-testid="tab-history"]').click();
    const failure = frame.locator('[data-testid="history-row"][data-action="run.fail"]').first();
    await failure.waitFor();
    expect(await failure.locator('td').nth(1).textContent()).toBe('The app');
    expect(await failure.locator('td').nth(2).textContent()).toMatch(/^An analysis failed — Jira refused access while /);
    // The links undone earlier are there as what they were.
    expect(await frame.locator('[data-testid="history-row"][data-action="unlink"]').first().locator('td').nth(2).textContent()).toMatch(/^Unlinked and reopened a pair — score \d+%, confirmed → pending; Duplicate links removed: 1$/);
    await s.browser.screenshot('e2e-run-failed-history');
    // The runs chart says which runs failed or were cancelled, so their counts are not read as "none found".
    await frame.locator('[data-testid="tab-insights"]').click();
    const runLabels = frame.locator('[data-testid="chart-runs-table"] tbody th');
    await runLabels.filter({ hasText: /\((full|changes), failed\)$/ }).first().waitFor({ state: 'attached' });
    await runLabels.filter({ hasText: /, cancelled\)$/ }).first().waitFor({ state: 'attached' });
    await frame.locator('[data-testid="tab-review"]').click();
  });

  it('charts the review progress: decisions per week and by person, named as Jira shows them', async () => {
    const shop = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP');
    const page = { type: 'jira:projectPage', project: { id: shop?.id, key: 'SHOP' } };
    const list = (await s.resolver('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 2 }, 'member-1', page)) as { items: Array<{ id: string }> };
    const [first, second] = list.items;
    if (!first || !second) throw new Error('Two pending pairs are needed.');
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId: first.id, decision: 'dismiss' }, 'member-1', page);
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId: second.id, decision: 'dismiss', reason: 'split' }, 'admin-1', page);
    try {
      const frame = await s.projectPage();
      await frame.locator('[data-testid="tab-insights"]').click();
      const summary = frame.locator('[data-testid="review-progress-summary"]');
      await summary.waitFor();
      expect(await summary.innerText()).toMatch(/^[\d,]+ pairs? to review, [\d,]+ of them possible duplicates\. [\d,]+ pairs? confirmed or dismissed in the last 12 weeks \(not counting those reopened since\)\.$/);
      // Why the dismissed pairs were dismissed, where a reason was given (one of them here, and those of earlier tests).
      expect(await frame.locator('[data-testid="dismiss-reasons-summary"]').innerText()).toMatch(/^Of the \d+ dismissed pairs, people said why for \d+: .*\b\d+ split on purpose\.$/);
      const weeks = frame.locator('[data-testid="chart-decisions"] tbody tr');
      expect(await weeks.count()).toBe(12);
      expect(await weeks.last().locator('th').innerText()).toMatch(/^Week of \d{1,2} [A-Z][a-z]{2,3}$/);
      expect(Number(await weeks.last().locator('td').nth(1).innerText())).toBeGreaterThanOrEqual(2);
      const people = await frame.locator('[data-testid="chart-deciders"] tbody th').allInnerTexts();
      expect(people).toEqual(expect.arrayContaining(['Morgan Member', 'Alex Admin']));
      await s.browser.screenshot('e2e-review-progress');
    } finally {
      for (const p of [first, second]) await s.resolver('project-page-resolver', 'pairs.decide', { pairId: p.id, decision: 'reopen' }, 'admin-1', page);
    }
  });

  // Last: its two issues add pairs to the queue the tests above count.
  it('shows two long summaries that open alike from shortly before they part, whole in the tooltip and to screen readers', async () => {
    const opening = 'Quokka loyalty voucher spinner never stops after the customer applies a second quokka voucher while the first one is still being checked';
    const summaries = [`${opening} on Safari 17 with private browsing turned on`, `${opening} in the Android app after switching accounts`];
    const keys = summaries.map(
      (summary) => s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary, description: `The quokka voucher spinner turns for ever (${summary.slice(opening.length + 1)}).` }).key,
    );
    await s.analyse('SHOP');
    const frame = await s.projectPage();
    await searchQueue(s.page, frame, 'quokka');
    const row = frame.locator('[data-testid="pair-row"]').filter({ hasText: keys[0] }).filter({ hasText: keys[1] });
    await row.waitFor();
    type Summary = { title: string; textContent: string | null; cloneNode(deep: boolean): { querySelectorAll(s: string): ArrayLike<{ remove(): void }>; textContent: string | null } };
    // What the row shows (without the text only screen readers get), and what screen readers
    // get (without the text hidden from them), for each issue in the row's order.
    const read = await row.locator('.dd-issue-line__summary').evaluateAll((els: Summary[]) =>
      els.map((el) => {
        const without = (selector: string): string => {
          const copy = el.cloneNode(true);
          for (const hidden of Array.from(copy.querySelectorAll(selector))) hidden.remove();
          return copy.textContent ?? '';
        };
        return { shown: without('.dd-visually-hidden'), heard: without('[aria-hidden="true"]'), title: el.title };
      }),
    );
    const label = (await row.locator('[data-testid="pair-view"]').getAttribute('aria-label')) ?? '';
    const inRowOrder = (label.match(/[A-Z][A-Z0-9_]*-\d+/g) ?? []).map((k) => summaries[keys.indexOf(k)] ?? '');
    // Cut at the row's 120 characters, both would read "Quokka loyalty voucher … still being che…".
    expect(read.map((r) => r.shown)).toEqual(inRowOrder.map((summary) => `…still being checked ${summary.slice(opening.length + 1)}`));
    expect(read.map((r) => r.heard)).toEqual(inRowOrder);
    expect(read.map((r) => r.title)).toEqual(inRowOrder);
  });
});
