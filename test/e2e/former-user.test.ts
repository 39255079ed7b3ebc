/**
 * A person whose Atlassian account was closed, once the personal data report has erased them
 * (src/analysis/personal-data.ts), in headless Chromium: the history, the review queue, the
 * clusters, the charts, the issue panel and the CSV export still show what was done, by "a
 * former user" (the name the resolvers give the marker, as they give any other), and ask Jira
 * for no name.
 */
import { parse } from 'csv-parse/sync';
import { reportPersonalData } from '../../src/analysis/personal-data';
import type { ActionView, PairView, SuggestionsView } from '../../src/shared/contract';
import { FORMER_USER } from '../../src/shared/wording';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { until } from './support/until';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(240_000);

describeIf(missingForBrowserTests())('a closed account in the pages (browser)', () => {
  const s = useAppSession({ build: ['issue-panel', 'project-page'] });
  let keys: string[];

  beforeAll(async () => {
    // Three copies: the pair of the first two is dismissed; the third keeps a cluster of all three.
    keys = [1, 2, 3].map(
      (n) =>
        s.sandbox.jira.createIssue({ projectKey: 'SHOP', type: 'Bug', summary: 'Wombat invoice exporter skips every gazebo line', description: `The wombat invoice exporter skips each gazebo line after a restart (copy ${n}).` }).key,
    );
    await s.analyse('SHOP');
  }, 240_000);

  const page = { type: 'jira:projectPage', project: { id: [] as unknown, key: 'SHOP' } };
  const resolver = (method: string, payload: unknown, user = 'member-1') => {
    page.project.id = [...s.sandbox.jira.store.projects.values()].find((p) => p.key === 'SHOP')?.id;
    return s.resolver('project-page-resolver', method, payload, user, page);
  };

  it('shows a decision of someone whose account was closed as made by a former user', async () => {
    const listed = (await resolver('pairs.list', { status: 'pending', search: 'wombat gazebo', pageSize: 5 })) as { items: PairView[] };
    const pair = listed.items.find((p) => [p.a.key, p.b.key].sort().join() === keys.slice(0, 2).sort().join());
    expect(pair).toBeDefined();
    await resolver('pairs.decide', { pairId: pair!.id, decision: 'dismiss', reason: 'related' }, 'restricted-1');

    // Atlassian says the account is closed; the weekly report erases it.
    s.sandbox.jira.closeAccount('restricted-1');
    expect(await reportPersonalData()).toMatchObject({ status: 'done', closed: 1 });

    // The resolvers: the marker in place of the id, named in the app's words, and no name asked of Jira for it.
    const nameRequests = () => s.sandbox.jira.stats().count('GET', '/rest/api/3/user/bulk');
    const asked = nameRequests();
    const dismissed = (await resolver('pairs.list', { status: 'dismissed', search: 'wombat gazebo', pageSize: 5 })) as { items: PairView[]; actors: Array<{ accountId: string }> };
    expect(dismissed.items.find((p) => p.id === pair!.id)).toMatchObject({ decidedBy: FORMER_USER, dismissReason: 'related', dismissReasonBy: null });
    expect(dismissed.actors).toEqual([{ accountId: FORMER_USER, displayName: 'a former user' }]);
    expect(nameRequests() - asked).toBe(0);
    const history = (await resolver('history.list', { projectKey: 'SHOP', kind: 'decisions' })) as { items: ActionView[] };
    expect(history.items.filter((a) => a.pairId === pair!.id)).toEqual([expect.objectContaining({ action: 'dismiss', actorAccountId: FORMER_USER })]);
    const issueId = s.sandbox.jira.store.getIssue(keys[0]!)?.id;
    const view = (await s.resolver('issue-view-resolver', 'suggestions.get', { issueId }, 'member-1')) as SuggestionsView;
    expect(view.dismissed.find((d) => d.pairId === pair!.id)).toMatchObject({ decidedBy: FORMER_USER });

    // The CSV export names them as the pages do; the marker stays in the account id column.
    const exported = (await resolver('export.csv', { status: 'dismissed', search: 'wombat gazebo' })) as { csv: string };
    const records: string[][] = parse(exported.csv);
    const [header = [], ...rows] = records;
    const row = rows.find((r) => r[header.indexOf('Pair')] === pair!.id) ?? [];
    expect([row[header.indexOf('Decided by')], row[header.indexOf('Decider account id')]]).toEqual(['a former user', FORMER_USER]);

    // The queue's Dismissed tab: who dismissed it.
    const frame = await s.projectPage('member-1');
    await frame.locator('[data-testid="tab-dismissed"]').click();
    const queued = frame.locator('[data-testid="pair-row"]').filter({ hasText: keys[0]! }).filter({ hasText: keys[1]! });
    await queued.waitFor();
    expect(await queued.locator('[data-testid="pair-decided"]').textContent()).toMatch(/^Dismissed by a former user /);

    // The history says who in words.
    await frame.locator('[data-testid="tab-history"]').click();
    const entry = frame.locator(`[data-testid="history-row"][data-action="dismiss"]`).first();
    await entry.waitFor();
    expect(await entry.locator('td').nth(1).textContent()).toBe('A former user');

    // The clusters: with the first issue kept, the second cannot be chosen, dismissed by a former user.
    await frame.locator('[data-testid="tab-clusters"]').click();
    await frame.locator('[data-testid="cluster-search"]').fill('wombat');
    await until(frame, `document.querySelectorAll('[data-testid="cluster"]').length === 1 && document.querySelector('[data-testid="cluster"]').textContent.includes(${JSON.stringify(keys[2])})`);
    const cluster = frame.locator('[data-testid="cluster"]');
    await cluster.locator('[data-testid="cluster-link-open"]').click();
    await cluster.locator('[data-testid="cluster-keep"]').selectOption(s.sandbox.jira.store.getIssue(keys[0]!)?.id ?? '');
    expect(await cluster.locator('[data-testid="cluster-link-dismissed-with-keep"]').textContent()).toMatch(new RegExp(`^dismissed as not a duplicate of ${keys[0]} by a former user on `));
    await cluster.locator('[data-testid="cluster-link-cancel"]').click();

    // The decisions chart counts them under "Former users" (one bar for every account closed).
    await frame.locator('[data-testid="tab-insights"]').click();
    const people = frame.locator('[data-testid="chart-deciders"] tbody th');
    await people.first().waitFor();
    expect(await people.allInnerTexts()).toContain('Former users');

    // The issue panel too: "Dismissed by a former user", and the reason as theirs.
    await s.open(`/browse/${keys[0]}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    await panel.locator('[data-testid="toggle-dismissed"]').click();
    const item = panel.locator(`[data-testid="suggestion"][data-pair-id="${pair!.id}"]`);
    await item.waitFor();
    expect(await item.locator('[data-testid="decided"]').textContent()).toMatch(/^Dismissed by a former user\b/);
    expect(await item.locator('[data-testid="dismiss-reason"]').textContent()).toMatch(/^Why: /);
    await s.browser.screenshot('e2e-former-user-panel');
  });
});
