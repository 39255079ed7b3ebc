/**
 * The sandbox on the development set: `--import hadoop_bugs.csv` (real Apache Hadoop
 * issues, project HADOOP), a full analysis, and the issue panel of an issue whose
 * duplicate Hadoop's maintainers recorded. Skips with a message when ../shared is
 * absent (the data set is never copied into the repository).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PairView } from '../../src/shared/contract';
import { MODULES } from './support/app-session';
import { describeIf, missingForBrowserTests } from './support/requirements';
import { useAppSession } from './support/use-app-session';

jest.setTimeout(240_000);

/**
 * How long a full analysis of the 6,000-issue backlog may take: on a machine busy with other
 * work it took 260 s (past the 120 s the sandbox's other analyses get).
 */
const ANALYSIS_MS = 600_000;

const DATASET = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'hadoop-jira');
const missing =
  missingForBrowserTests() ?? (existsSync(join(DATASET, 'hadoop_bugs.csv')) ? null : `the Hadoop development set is not at ${DATASET}`);

/** The recorded duplicate pairs as unordered "id id" keys. */
function knownPairs(): Set<string> {
  const rows = readFileSync(join(DATASET, 'pairs.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return new Set(rows.map((row) => row.split(',').map((id) => id.trim()).sort().join(' ')));
}

describeIf(missing)('development set in the sandbox (browser)', () => {
  const s = useAppSession({ build: ['issue-panel', 'project-page'], importCsv: join(DATASET, 'hadoop_bugs.csv') });

  beforeAll(() => s.analyse('HADOOP', ANALYSIS_MS), ANALYSIS_MS + 240_000);

  it('shows a recorded duplicate in the issue panel of the newer issue', async () => {
    const known = knownPairs();
    const extension = { type: 'jira:projectPage', project: { key: 'HADOOP' } };
    const list = (await s.resolver('project-page-resolver', 'pairs.list', {
      projectKey: 'HADOOP', status: 'pending', tier: 'duplicate', sort: 'score', order: 'desc', pageSize: 100,
    }, 'member-1', extension)) as { items: PairView[] };
    const found = list.items.find((p) => known.has([p.a.id, p.b.id].sort().join(' ')));
    // The engine finds most recorded pairs (see BENCHMARKS.md); one among the top 100 is the least to expect.
    expect(found).toBeDefined();
    if (!found) return;
    const [older, newer] = found.a.created <= found.b.created ? [found.a, found.b] : [found.b, found.a];

    await s.open(`/browse/${newer.key}`, 'member-1');
    const panel = await s.frame(MODULES.issuePanel);
    try {
      // A list shows its first five until asked for more; the recorded one may come later.
      await panel.locator('[data-testid="computed-at"]').waitFor({ timeout: 30_000 });
      for (const more of await panel.locator('[data-testid="show-more"][aria-expanded="false"]').all()) await more.click();
      await panel.locator(`[data-testid="suggestion"][data-issue-key="${older.key}"]`).waitFor({ timeout: 30_000 });
    } finally {
      await s.browser.screenshot('e2e-dev-set-panel');
    }
  });

  it('lists the possible duplicates first by default, though related pairs score higher', async () => {
    await s.open('/projects/HADOOP/apps/duplicates', 'member-1');
    const frame = await s.frame(MODULES.projectPage);
    const rows = frame.locator('[data-testid="pair-table"] [data-testid="pair-row"]');
    const tiers = async (): Promise<string[]> => {
      await rows.first().waitFor();
      return Promise.all((await rows.all()).map(async (r) => (await r.getAttribute('data-tier')) ?? ''));
    };
    const sort = frame.locator('[data-testid="sort"]');
    expect(await sort.inputValue()).toBe('likely:desc');
    await rows.first().waitFor();
    // Past the pairs of identical summaries at 100 %, where related pairs score among the duplicates.
    await frame.locator('[data-testid="more-filters"]').click();
    await frame.locator('[data-testid="filter-max-score"]').fill('99');
    // A related row above a possible duplicate somewhere on the page.
    const relatedAbove = (ts: string[]) => ts.some((t, i) => t === 'duplicate' && ts.slice(0, i).includes('related'));
    // The set holds hundreds of possible duplicates: the first page is all of them.
    const likely = await tiers();
    expect(likely.length).toBe(25);
    expect(likely.every((t) => t === 'duplicate')).toBe(true);
    // By score alone, the dev set's sibling tasks (related, whatever their score) come among them.
    await sort.selectOption('score:desc');
    let byScore = likely;
    for (let i = 0; i < 100 && !relatedAbove(byScore); i++) {
      await new Promise((r) => setTimeout(r, 100));
      byScore = await tiers();
    }
    expect(relatedAbove(byScore)).toBe(true);
  });

  it('lists a big cluster in part, and all of it when asked', async () => {
    // Fourteen reports of one failure (Hadoop's own clusters of that size were dependency
    // upgrades to different versions, which are related at most since other-work.ts).
    const places = ['on restart', 'after failover', 'under load', 'with Kerberos', 'on ARM', 'in tests', 'on Windows', 'with TLS', 'behind a proxy', 'at startup', 'in federation', 'after upgrade', 'with quotas', 'on S3A'];
    for (const place of places) {
      s.sandbox.jira.createIssue({
        projectKey: 'HADOOP',
        type: 'Bug',
        summary: `NameNode web UI shows a blank datanode list ${place}`,
        description: 'The datanode tab of the NameNode web UI stays empty although the datanodes are live and heartbeating.',
      });
    }
    await s.analyse('HADOOP', ANALYSIS_MS);
    await s.open('/projects/HADOOP/apps/duplicates', 'member-1');
    const frame = await s.frame(MODULES.projectPage);
    await frame.locator('[data-testid="tab-clusters"]').click();
    const big = frame.locator('[data-testid="cluster"]:has([data-testid="cluster-members-toggle"])').first();
    await big.waitFor();
    const toggle = big.locator('[data-testid="cluster-members-toggle"]');
    const size = Number((await toggle.textContent())?.match(/Show all (\d+) issues/)?.[1]);
    expect(size).toBeGreaterThan(12);
    const members = big.locator('[data-testid="cluster-member"]');
    expect(await members.count()).toBe(12);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await members.count()).toBe(size);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await toggle.textContent()).toBe('Show fewer');
    await toggle.click();
    expect(await members.count()).toBe(12);
  }, ANALYSIS_MS + 120_000);
  it('charts a backlog of one issue type as a sentence, and the possible duplicates alone when asked', async () => {
    await s.open('/projects/HADOOP/apps/duplicates', 'member-1');
    const frame = await s.frame(MODULES.projectPage);
    await frame.locator('[data-testid="tab-insights"]').click();
    const types = frame.locator('[data-testid="chart-types"]');
    await types.waitFor();
    expect(await types.getAttribute('data-kind')).toBe('sentence');
    expect(await frame.locator('[data-testid="chart-types-single"]').textContent()).toMatch(/^Every pair is between issues of one type, Bug: [\d,]+ pairs\.$/);
    const scores = frame.locator('[data-testid="chart-scores"]');
    const column = async (): Promise<number[]> =>
      scores.locator('tbody tr').evaluateAll((trs: Array<{ querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }>) =>
        trs.map((tr) => Number(Array.from(tr.querySelectorAll('td'))[0]?.textContent ?? 'NaN')),
      );
    const before = await column();
    await frame.locator('[data-testid="chart-scores-duplicates-only"]').check();
    expect(await scores.locator('thead th').allTextContents()).toEqual(['Label', 'Possible duplicates']);
    const after = await column();
    // The same duplicates, from the first bucket that holds one to the last (empty ones between kept as 0).
    expect(after.reduce((n, v) => n + v, 0)).toBe(before.reduce((n, v) => n + v, 0));
    expect(after[0]).toBeGreaterThan(0);
    expect(after[after.length - 1]).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(before.length);
  });
});
