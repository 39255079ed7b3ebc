/**
 * The project page when two people review one project, and a few of its edges, in the
 * sandbox shell, in headless Chromium: a decision made on a page that still shows a pair
 * someone else has decided since is refused (a row's button, its key, Compare), and the page
 * says who decided the pair and where it is now; a bulk confirmation reads the list again
 * before it asks, and a bulk action names the pairs someone else decided and why the others
 * failed, keeping selected only those still listed to try again; a cluster link's outcome counts the links it
 * made apart from the issues Jira already joined; a cluster link that would join two issues
 * dismissed as not duplicates of each other says so, by whom, and links them only when asked
 * to knowingly (a dismissal made after the page read the cluster is refused); a summary of one
 * long word stays inside a
 * 400 px frame; and an Undo gives the focus to the pair it put back.
 */
import type { Frame } from 'playwright-core';
import { pairId } from '../../src/store/pairs';
import { expectFocus } from './support/focus';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(120_000);

/** The rows of the sample backlog's pairs (not of the issues this file adds), in the order listed. */
async function rowIds(frame: Frame): Promise<string[]> {
  return frame
    .locator('[data-testid="pair-table"] [data-testid="pair-row"]')
    .evaluateAll((els: Array<{ getAttribute(name: string): string | null; textContent: string | null }>) =>
      els.filter((e) => !/narwhal|zebra|okapi|pangolin|walrus/i.test(e.textContent ?? '')).map((e) => e.getAttribute('data-pair-id') ?? ''),
    );
}

const row = (frame: Frame, pairId: string) => frame.locator(`[data-testid="pair-row"][data-pair-id="${pairId}"]`);

/** A row's two issue keys, as the row names them ("Compare SHOP-1 and SHOP-5"). */
async function keysOf(frame: Frame, pairId: string): Promise<[string, string]> {
  const label = (await row(frame, pairId).locator('[data-testid="pair-view"]').getAttribute('aria-label')) ?? '';
  const [a = '', b = ''] = label.match(/[A-Z][A-Z0-9_]*-\d+/g) ?? [];
  return [a, b];
}

/** Sideways overflow of the frame's page: how far its content reaches past the frame. */
const OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';

describeIf(missingForBrowserTests())('project page: two reviewers, cluster link outcome, a narrow frame, focus after Undo (browser)', () => {
  const s = useAppSession({ build: ['project-page'] });
  /** Three copies of one report (a cluster of three). */
  const copies: string[] = [];
  /** Three more (another cluster of three), as issue ids. */
  const okapis: Array<{ id: string; key: string }> = [];
  /** Three more, whose dismissal is made by someone with a hostile display name. */
  const pangolins: Array<{ id: string; key: string }> = [];

  beforeAll(async () => {
    /** Three SHOP bugs of one summary, their descriptions told apart by `nth`. */
    const threeOf = (summary: string, description: (nth: number) => string) =>
      [1, 2, 3].map((n) => {
        const made = s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary, description: description(n) });
        return { id: made.id, key: made.key };
      });
    copies.push(...threeOf('Narwhal invoice exporter skips gondola rows', (n) => `The narwhal invoice exporter skips every gondola row after a restart (copy ${n}).`).map((c) => c.key));
    okapis.push(...threeOf('Okapi ledger sync drops pelican entries', (n) => `The okapi ledger sync drops every pelican entry after midnight (report ${n}).`));
    pangolins.push(...threeOf('Pangolin report builder loses quokka columns', (n) => `The pangolin report builder loses every quokka column on export (note ${n}).`));
    // Four reports filed twice each: four pairs that share no issue, for bulk actions.
    for (const [summary, what] of [
      ['Walrus exporter drops zeppelin spans after a restart', 'exporter drops every zeppelin span'],
      ['Walrus kiosk scanner rejects valid badges at the gate', 'kiosk scanner rejects each valid badge'],
      ['Walrus invoice totals round the wrong way for yen', 'invoice totals round yen amounts the wrong way'],
      ['Walrus calendar sync doubles recurring meetings', 'calendar sync doubles every recurring meeting'],
    ] as Array<[string, string]>) {
      for (let n = 0; n < 2; n++) s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary, description: `The walrus ${what} (report ${n + 1}).` });
    }
    // Two reports alike, and a third whose summary is one long word.
    for (const summary of ['Zebra kiosk printer jams on receipt paper', 'Zebra kiosk printer jams on the receipt paper roll', 'ZebraKioskPrinterJamsOnReceiptPaperRoll'.repeat(5)]) {
      s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary, description: 'The zebra kiosk printer jams on receipt paper after the roll is changed.' });
    }
    await s.analyse();
  }, 240_000);

  /** A decision made by `user` on a Duplicate review page of their own. */
  async function decideAs(user: string, pairId: string, decision: 'confirm' | 'dismiss'): Promise<void> {
    const shop = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP');
    await s.resolver('project-page-resolver', 'pairs.decide', { pairId, decision }, user, { type: 'jira:projectPage', project: { id: shop?.id, key: 'SHOP' } });
  }

  const stored = async (pairId: string) => ((await s.sandbox.forge.sql.query('SELECT status, decided_by FROM pairs WHERE id = ?', [pairId])) as Array<{ status: string; decided_by: string }>)[0];
  const duplicateLinks = (pairId: string) => {
    const ends = pairId.split('-').sort().join();
    return [...s.sandbox.jira.store.links.values()].filter((l) => s.sandbox.jira.store.linkTypes.get(l.typeId)?.name === 'Duplicate' && [l.inwardIssueId, l.outwardIssueId].sort().join() === ends);
  };
  /** The flag titled `title`, once shown; its text below the title. */
  async function flagBody(title: string): Promise<string> {
    const flag = s.page.locator('[data-testid="shell-flag"]').filter({ has: s.page.locator('strong', { hasText: title }) }).last();
    await flag.waitFor();
    return (await flag.locator('div').first().textContent()) ?? '';
  }

  it("refuses a Confirm or a Dismiss of a pair a colleague decided after the page showed it, and says who did what and where the pair is now", async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').nth(3).waitFor();
    const [dismissed, confirmed] = await rowIds(frame);
    if (dismissed === undefined || confirmed === undefined) throw new Error('too few pairs');
    const [a1, b1] = await keysOf(frame, dismissed);
    const [a2, b2] = await keysOf(frame, confirmed);
    // Alex Admin, on a page of their own, dismisses the first pair.
    await decideAs('admin-1', dismissed, 'dismiss');

    // This page still shows both pending: its Confirm of the dismissed pair is refused.
    await row(frame, dismissed).locator('[data-testid="pair-confirm"]').click();
    expect(await flagBody('Not confirmed: someone else decided this pair first')).toMatch(
      new RegExp(`^\u2068Alex Admin\u2069 dismissed ${a1} and ${b1} [^,]+, after this page showed them as pending, so your confirmation was not saved\\. The pair is under Dismissed now\\.$`),
    );
    // The list is read again: the pair has left Pending.
    await row(frame, dismissed).waitFor({ state: 'detached' });
    expect(await stored(dismissed)).toEqual({ status: 'dismissed', decided_by: 'admin-1' });
    expect(duplicateLinks(dismissed)).toHaveLength(0);

    // Then confirms the second, which this page shows pending: its Dismiss is refused too,
    // and the Duplicate link Alex made stays in Jira.
    await decideAs('admin-1', confirmed, 'confirm');
    await row(frame, confirmed).locator('[data-testid="pair-dismiss"]').click();
    expect(await flagBody('Not dismissed: someone else decided this pair first')).toMatch(
      new RegExp(`^\u2068Alex Admin\u2069 confirmed ${a2} and ${b2} [^,]+, after this page showed them as pending, so your dismissal was not saved\\. The pair is under Confirmed now\\.$`),
    );
    await row(frame, confirmed).waitFor({ state: 'detached' });
    expect(await stored(confirmed)).toEqual({ status: 'confirmed', decided_by: 'admin-1' });
    expect(duplicateLinks(confirmed)).toHaveLength(1);
    // Nothing of this page's is in the line above the list: no Undo to offer.
    expect(await frame.locator('[data-testid="decision-status"]').count()).toBe(0);
  });

  it('refuses a decision from Compare or from a key the same way, and Compare then shows the pair as it is', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').nth(3).waitFor();
    const [compared, keyed] = await rowIds(frame);
    if (compared === undefined || keyed === undefined) throw new Error('too few pairs');
    await row(frame, compared).locator('[data-testid="pair-view"]').click();
    const detail = frame.locator('[data-testid="pair-detail"]');
    await detail.locator('[data-testid="detail-confirm"]').waitFor();
    await decideAs('admin-1', compared, 'dismiss');
    await detail.locator('[data-testid="detail-confirm"]').focus();
    await s.page.keyboard.press('Enter');
    expect(await flagBody('Not confirmed: someone else decided this pair first')).toMatch(/, so your confirmation was not saved\. The pair is under Dismissed now\.$/);
    // Read again: dismissed, with Reopen where Confirm was, and the focus on its heading.
    await detail.locator('[data-testid="detail-reopen"]').waitFor();
    expect(await detail.locator('[data-testid="detail-confirm"]').count()).toBe(0);
    await expectFocus(frame, { testId: 'h3', pairId: null });
    expect(await stored(compared)).toEqual({ status: 'dismissed', decided_by: 'admin-1' });
    expect(duplicateLinks(compared)).toHaveLength(0);
    await detail.locator('[data-testid="pair-detail-close"]').click();

    // d on a row the admin has confirmed since.
    await decideAs('admin-1', keyed, 'confirm');
    await row(frame, keyed).locator('[data-testid="pair-view"]').focus();
    await s.page.keyboard.press('d');
    expect(await flagBody('Not dismissed: someone else decided this pair first')).toMatch(/, so your dismissal was not saved\. The pair is under Confirmed now\.$/);
    await row(frame, keyed).waitFor({ state: 'detached' });
    expect(await stored(keyed)).toEqual({ status: 'confirmed', decided_by: 'admin-1' });
  });

  it('reads the list again before a bulk confirmation asks, and after a bulk action names the pairs someone else decided and why the others failed', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').first().waitFor();
    await frame.locator('[data-testid="search-input"]').fill('walrus');
    const rows = frame.locator('[data-testid="pair-table"] [data-testid="pair-row"]');
    await until(frame, `document.querySelectorAll('[data-testid="pair-table"] [data-testid="pair-row"]').length === 4 && !document.querySelector('[data-testid="pair-list"] [inert]')`);
    const ids = await rows.evaluateAll((els: Array<{ getAttribute(name: string): string | null }>) => els.map((e) => e.getAttribute('data-pair-id') ?? ''));
    const [first = '', second = ''] = ids;
    const names = new Map<string, string>();
    for (const id of ids) names.set(id, (await keysOf(frame, id)).join(' and '));
    await frame.locator('[data-testid="select-all"]').check();
    expect(await frame.locator('[data-testid="selected-count"]').textContent()).toBe('4 pairs selected');

    // Alex Admin, on a page of their own, dismisses the first pair this page shows pending.
    await decideAs('admin-1', first, 'dismiss');
    await frame.locator('[data-testid="bulk-confirm"]').click();
    // The list is read again before the question: it asks about the three still pending, and
    // says who decided the fourth.
    const question = frame.locator('[data-testid="bulk-link-confirm"]');
    await question.waitFor();
    expect(await frame.locator('[data-testid="bulk-link-title"]').textContent()).toBe('Link 3 pairs as duplicates in Jira?');
    expect(await frame.locator('[data-testid="bulk-link-left"]').textContent()).toMatch(
      new RegExp(`^Someone else decided 1 of the selected pairs after this page showed it as pending, so it is left out: \u2068Alex Admin\u2069 dismissed ${names.get(first)} [^()]+ \\(under Dismissed now\\)\\.$`),
    );
    expect(await row(frame, first).count()).toBe(0);
    expect(await frame.locator('[data-testid="selected-count"]').textContent()).toBe('3 pairs selected');

    // While it asks, Alex confirms the second, and Jira refuses the first link the batch asks for.
    await decideAs('admin-1', second, 'confirm');
    s.sandbox.jira.faults.serverErrors({ count: 1, status: 400, path: /\/issueLink$/ });
    let refusedId = '';
    try {
      await frame.locator('[data-testid="bulk-link-save"]').click();
      const flag = s.page.locator('[data-testid="shell-flag"]').filter({ has: s.page.locator('strong', { hasText: '1 pair confirmed, 2 not' }) });
      await flag.waitFor();
      // An error flag: it stays until it is closed.
      expect(await flag.getAttribute('class')).toContain('flag--error');
      const said = (await flag.locator('div').first().textContent()) ?? '';
      expect(said).toMatch(
        new RegExp(`^Someone else decided 1 of the selected pairs after this page showed it as pending, so it was not confirmed: \u2068Alex Admin\u2069 confirmed ${names.get(second)} [^()]+ \\(under Confirmed now\\)\\. 1 pair not confirmed \\((\\S+ and \\S+)\\): .+$`),
      );
      const refused = /1 pair not confirmed \((\S+ and \S+)\)/.exec(said)?.[1];
      refusedId = ids.find((id) => names.get(id) === refused) ?? '';
      expect(ids.slice(2)).toContain(refusedId);
      // The line above the list says what was done, and that the rest was not.
      expect(await frame.locator('[data-testid="decision-status-text"]').textContent()).toBe(
        'Confirmed 1 pair, with 1 Duplicate link made in Jira. 2 selected pairs were not confirmed; a message says which and why.',
      );
      // Read again: the pair Alex confirmed has left the list and the selection; the one Jira
      // refused is still listed, and still selected, to try again.
      await until(frame, `document.querySelectorAll('[data-testid="pair-table"] [data-testid="pair-row"]').length === 1`);
      expect(await rows.first().getAttribute('data-pair-id')).toBe(refusedId);
      expect(await row(frame, refusedId).locator('[data-testid="row-select"]').isChecked()).toBe(true);
      expect(await frame.locator('[data-testid="selected-count"]').textContent()).toBe('1 pair selected');
    } finally {
      s.sandbox.jira.faults.clear();
    }
    expect(await stored(second)).toEqual({ status: 'confirmed', decided_by: 'admin-1' });
    expect(duplicateLinks(second)).toHaveLength(1);
    expect(duplicateLinks(refusedId)).toHaveLength(0);

    // Dismiss selected acts on the pair still selected, and only on it.
    await frame.locator('[data-testid="bulk-dismiss"]').click();
    await frame.locator('[data-testid="decision-status-text"]', { hasText: 'Dismissed 1 pair.' }).waitFor();
    expect(await stored(refusedId)).toEqual({ status: 'dismissed', decided_by: 'member-1' });
    // Nothing listed or selected is left: no bulk controls.
    await row(frame, refusedId).waitFor({ state: 'detached' });
    expect(await frame.locator('[data-testid="selected-count"]').count()).toBe(0);
  });

  it('says how many issues a cluster link linked, apart from those Jira already joined to the kept one, as its flag does', async () => {
    const pairs = (await s.resolver('project-page-resolver', 'pairs.list', { projectKey: 'SHOP', status: 'pending', search: 'narwhal gondola', pageSize: 10 }, 'member-1')) as {
      items: Array<{ id: string; a: { key: string }; b: { key: string } }>;
    };
    expect(pairs.items).toHaveLength(3);
    // The first two copies confirmed in bulk: a Duplicate link joins them.
    const [first = '', second = ''] = copies;
    const joined = pairs.items.find((p) => [p.a.key, p.b.key].sort().join() === [first, second].sort().join());
    await s.resolver('project-page-resolver', 'pairs.bulkDecide', { pairIds: [joined?.id], decision: 'confirm', expected: 'pending' }, 'member-1');

    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-clusters"]').click();
    await frame.locator('[data-testid="cluster-search"]').fill('narwhal');
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === 1 && document.querySelector('[data-testid="cluster"]').textContent.includes(${JSON.stringify(copies[2])})`);
    const cluster = frame.locator('[data-testid="cluster"]');
    await cluster.locator('[data-testid="cluster-link-open"]').click();
    // Kept: the first filed; chosen: the two like it.
    expect(await cluster.locator('[data-testid="cluster-keep"] option:checked').textContent()).toMatch(new RegExp(`^${first}: `));
    await cluster.locator('[data-testid="cluster-link-choose-alike"]').click();
    await cluster.locator('[data-testid="cluster-link-submit"]').click();
    const result = cluster.locator('[data-testid="cluster-link-result"]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(
      new RegExp(`^1 issue linked as a duplicate of ${first}; 1 issue was already joined to it in Jira, so no link was added for it; \\d+ pairs? confirmed\\.$`),
    );
    expect(await flagBody(`Linked 1 issue as a duplicate of ${first}`)).toBe(`1 issue was already joined to ${first} in Jira, so no link was added for it.`);
  });

  it('says before the link that two chosen issues were dismissed as not duplicates of each other, and links them only when told to knowingly', async () => {
    const [a, b, c] = okapis;
    if (a === undefined || b === undefined || c === undefined) throw new Error('no okapi issues');
    const bc = pairId(b.id, c.id);
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-clusters"]').click();
    await frame.locator('[data-testid="cluster-search"]').fill('okapi');
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === 1 && document.querySelector('[data-testid="cluster"]').textContent.includes(${JSON.stringify(c.key)})`);
    const cluster = frame.locator('[data-testid="cluster"]');
    await cluster.locator('[data-testid="cluster-link-open"]').click();
    expect(await cluster.locator('[data-testid="cluster-keep"] option:checked').textContent()).toMatch(new RegExp(`^${a.key}: `));
    await cluster.locator('[data-testid="cluster-link-choose-alike"]').click();
    // Nothing was dismissed when the page read the cluster: no question.
    expect(await cluster.locator('[data-testid="cluster-link-dismissed"]').count()).toBe(0);

    // Then Alex Admin, on a page of their own, dismisses the two chosen copies as not duplicates of each other.
    await decideAs('admin-1', bc, 'dismiss');
    const submit = cluster.locator('[data-testid="cluster-link-submit"]');
    await submit.click();
    // Refused: nothing linked, and the panel, with the cluster read again, now asks.
    const error = cluster.locator('[data-testid="cluster-link-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain(`${b.key} and ${c.key} (by \u2068Alex Admin\u2069) were dismissed as not duplicates of each other, and linking both to ${a.key} would make them duplicates of one issue, so nothing was linked.`);
    const question = cluster.locator('[data-testid="cluster-link-dismissed"]');
    await question.waitFor();
    expect(duplicateLinks(pairId(a.id, b.id))).toHaveLength(0);
    expect(duplicateLinks(pairId(a.id, c.id))).toHaveLength(0);
    expect(await question.locator('[data-testid="cluster-link-dismissed-pair"]').textContent()).toMatch(
      new RegExp(`^${b.key} and ${c.key} were dismissed as not duplicates of each other by Alex Admin on \\d{1,2} \\w+ \\d{4}\\.Leave out ${b.key}Leave out ${c.key}$`),
    );
    expect(await submit.isDisabled()).toBe(true);
    expect(await submit.getAttribute('title')).toBe('Two chosen issues were dismissed as not duplicates of each other: leave one out, or tick that you link them anyway');

    // Leaving one out takes the question away; choosing it again brings it back, not yet answered.
    // Only the banner's sentences are live regions, not its buttons and checkbox.
    expect(await question.getAttribute('role')).toBeNull();
    expect(await question.locator('[role="alert"]').count()).toBe(2);
    expect(await question.locator('[role="alert"] :is(button, input)').count()).toBe(0);
    expect(await question.locator('[role="alert"]').first().textContent()).toMatch(new RegExp(`^${b.key} and ${c.key} were dismissed as not duplicates`));
    await question.locator(`[data-testid="cluster-link-leave-out-${c.key}"]`).click();
    await question.waitFor({ state: 'detached' });
    // The button went with the banner: focus is on the checkbox of the issue left out.
    await expectFocus(frame, { testId: `cluster-link-choice-${c.key}`, pairId: null });
    expect(await submit.isDisabled()).toBe(false);
    await cluster.locator(`[data-testid="cluster-link-choice-${c.key}"]`).check();
    await question.waitFor();
    expect(await question.locator('[data-testid="cluster-link-dismissed-ack"]').isChecked()).toBe(false);
    expect(await submit.isDisabled()).toBe(true);

    // Kept the other way, one of the two: the other cannot be chosen, and says why.
    await cluster.locator('[data-testid="cluster-keep"]').selectOption(b.id);
    expect(await cluster.locator(`[data-testid="cluster-link-choice-${c.key}"]`).isDisabled()).toBe(true);
    expect(await cluster.locator('[data-testid="cluster-link-dismissed-with-keep"]').textContent()).toMatch(new RegExp(`^dismissed as not a duplicate of ${b.key} by Alex Admin on `));
    await cluster.locator('[data-testid="cluster-keep"]').selectOption(a.id);

    // Linked knowingly: both get their link, and the pair stays dismissed.
    await cluster.locator('[data-testid="cluster-link-choose-alike"]').click();
    await question.locator('[data-testid="cluster-link-dismissed-ack"]').check();
    await s.browser.screenshot('e2e-cluster-link-dismissed');
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    await cluster.locator('[data-testid="cluster-link-result"]').waitFor();
    expect(duplicateLinks(pairId(a.id, b.id))).toHaveLength(1);
    expect(duplicateLinks(pairId(a.id, c.id))).toHaveLength(1);
    expect(await stored(bc)).toEqual({ status: 'dismissed', decided_by: 'admin-1' });
    const [entry] = (await s.sandbox.forge.sql.query("SELECT detail FROM actions WHERE action = 'cluster.link' ORDER BY at_ms DESC LIMIT 1")) as Array<{ detail: string }>;
    expect(entry?.detail).toMatch(new RegExp(`; linked although ${b.key} and ${c.key} were dismissed as not duplicates of each other$`));
  });

  it("names who dismissed a pair cleaned, cut and isolated: a right-to-left override in a display name cannot reorder the panel's sentences", async () => {
    const [a, b, c] = pangolins;
    if (a === undefined || b === undefined || c === undefined) throw new Error('no pangolin issues');
    // A name that turns the rest of its line right to left, and is too long to show whole.
    const name = `\u202EEve Evil ${'x'.repeat(80)}`;
    s.sandbox.jira.putUser({ accountId: 'rtl-1', displayName: name, admin: true, browse: '*', link: '*' });
    await decideAs('rtl-1', pairId(b.id, c.id), 'dismiss');
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-clusters"]').click();
    await frame.locator('[data-testid="cluster-search"]').fill('pangolin');
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === 1 && document.querySelector('[data-testid="cluster"]').textContent.includes(${JSON.stringify(c.key)})`);
    const cluster = frame.locator('[data-testid="cluster"]');
    await cluster.locator('[data-testid="cluster-link-open"]').click();
    await cluster.locator('[data-testid="cluster-keep"]').selectOption(a.id);
    await cluster.locator(`[data-testid="cluster-link-choice-${b.key}"]`).check();
    await cluster.locator(`[data-testid="cluster-link-choice-${c.key}"]`).check();
    const shown = `Eve Evil ${'x'.repeat(50)}…`;
    const pair = cluster.locator('[data-testid="cluster-link-dismissed-pair"]');
    expect(await pair.textContent()).toMatch(new RegExp(`^${b.key} and ${c.key} were dismissed as not duplicates of each other by ${shown} on \\d{1,2} \\w+ \\d{4}\\.Leave out `));
    expect(await pair.locator('bdi').textContent()).toBe(shown);
    // Kept the other way: the line that says why the other cannot be chosen names them the same way.
    await cluster.locator('[data-testid="cluster-keep"]').selectOption(b.id);
    const why = cluster.locator('[data-testid="cluster-link-dismissed-with-keep"]');
    expect(await why.textContent()).toMatch(new RegExp(`^dismissed as not a duplicate of ${b.key} by ${shown} on `));
    expect(await why.locator('bdi').textContent()).toBe(shown);
    await cluster.locator('[data-testid="cluster-link-cancel"]').click();
  });

  it('keeps a summary of one long word inside a 400 px frame: in the queue, Compare, the clusters and the link panel', async () => {
    const page = s.browser.page;
    const viewport = page.viewportSize();
    try {
      await page.setViewportSize({ width: 720, height: 900 });
      const frame = await s.projectPage('member-1');
      const width = Number(await frame.evaluate('document.documentElement.clientWidth'));
      expect(width).toBeGreaterThanOrEqual(360);
      expect(width).toBeLessThanOrEqual(400);
      await frame.locator('[data-testid="pair-row"]').first().waitFor();
      await frame.locator('[data-testid="search-input"]').fill('zebra');
      await until(frame, `[...document.querySelectorAll('[data-testid="pair-summary"]')].some((e) => e.textContent.startsWith('ZebraKiosk'))`);
      expect(await frame.evaluate(OVERFLOW)).toBe(0);
      await frame.locator('[data-testid="pair-row"]').filter({ hasText: 'ZebraKioskPrinter' }).first().locator('[data-testid="pair-view"]').click();
      await frame.locator('[data-testid="pair-side"]').first().waitFor();
      expect(await frame.evaluate(OVERFLOW)).toBe(0);

      await frame.locator('[data-testid="tab-clusters"]').click();
      await frame.locator('[data-testid="cluster-search"]').fill('zebra');
      await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === 1`);
      const cluster = frame.locator('[data-testid="cluster"]');
      expect(await cluster.textContent()).toContain('ZebraKioskPrinter');
      expect(await frame.evaluate(OVERFLOW)).toBe(0);
      await cluster.locator('[data-testid="cluster-link-open"]').click();
      // The long one is among the issues to choose (the first filed is kept).
      expect(await cluster.locator('[data-testid="cluster-link-choices"]').textContent()).toContain('ZebraKioskPrinter');
      expect(await frame.evaluate(OVERFLOW)).toBe(0);
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
  });

  it('gives the focus, after an Undo (its button or u, single or bulk), to the same button on the row of the pair it put back', async () => {
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="pair-row"]').nth(4).waitFor();
    const [one, two, three] = await rowIds(frame);
    if (one === undefined || two === undefined || three === undefined) throw new Error('too few pairs');
    const undone = frame.locator('[data-testid="decision-status"][data-state="undone"]');

    // Dismissed with its button, then Undo pressed: back to Dismiss on the pair's row.
    await row(frame, one).locator('[data-testid="pair-dismiss"]').focus();
    await s.page.keyboard.press('Enter');
    await row(frame, one).waitFor({ state: 'detached' });
    await frame.locator('[data-testid="decision-undo"]').focus();
    await s.page.keyboard.press('Enter');
    await undone.waitFor();
    await expectFocus(frame, { testId: 'pair-dismiss', pairId: one });

    // Confirmed with its button (focus goes on to the next row's Confirm), then u: back to the pair's Confirm.
    await row(frame, one).locator('[data-testid="pair-confirm"]').focus();
    await s.page.keyboard.press('Enter');
    await row(frame, one).waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'pair-confirm', pairId: two });
    await s.page.keyboard.press('u');
    await undone.waitFor();
    await expectFocus(frame, { testId: 'pair-confirm', pairId: one });
    expect(duplicateLinks(one)).toHaveLength(0);

    // Two dismissed in bulk (focus waits on the list), then u: Dismiss on the first of them listed.
    await row(frame, two).locator('[data-testid="row-select"]').check();
    await row(frame, three).locator('[data-testid="row-select"]').check();
    await frame.locator('[data-testid="bulk-dismiss"]').focus();
    await s.page.keyboard.press('Enter');
    await row(frame, three).waitFor({ state: 'detached' });
    await expectFocus(frame, { testId: 'pair-list', pairId: null });
    await s.page.keyboard.press('u');
    await undone.waitFor();
    await expectFocus(frame, { testId: 'pair-dismiss', pairId: two });
  });
});
