import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JiraStandIn, type SeedData } from '../../sandbox/jira';
import { plantedDuplicates, sampleBacklog } from '../../sandbox/seed';
import { arr, call, obj } from './helpers';

const DATASET = resolve(__dirname, '../../../shared/datasets/hadoop-jira');
const HADOOP_CSV = join(DATASET, 'hadoop_bugs.csv');
const haveDataset = existsSync(HADOOP_CSV);
if (!haveDataset) console.warn(`Skipping the Hadoop CSV seed test: dataset not found at ${DATASET}`);

describe('seeding', () => {
  it('the sample backlog is deterministic, realistic and plants 25 duplicate pairs', async () => {
    const a = sampleBacklog();
    expect(JSON.stringify(sampleBacklog())).toBe(JSON.stringify(a));
    expect(a.issues.length).toBeGreaterThanOrEqual(250);
    expect(new Set(a.issues.map((i) => i.statusCategory))).toEqual(new Set(['new', 'indeterminate', 'done']));
    expect(new Set(a.issues.map((i) => i.type))).toEqual(new Set(['Bug', 'Story', 'Task', 'Improvement']));
    const pairs = plantedDuplicates();
    expect(pairs).toHaveLength(25);
    expect(pairs.some(([x, y]) => x.split('-')[0] !== y.split('-')[0])).toBe(true);

    const jira = await JiraStandIn.start({ seed: a });
    try {
      for (const [original, duplicate] of pairs) {
        const o = jira.store.getIssue(original);
        const d = jira.store.getIssue(duplicate);
        expect(o && d && o.created < d.created).toBe(true);
      }
      const code = await call(jira.url, 'POST', '/rest/api/3/search/jql', 'app', { jql: 'project in (SHOP, MOB, OPS)', fields: ['description'], maxResults: 100 });
      expect(code.status).toBe(200);
      const json = JSON.stringify(code.json);
      expect(json).toContain('"codeBlock"');
      expect(json).toContain('"orderedList"');
    } finally {
      await jira.close();
    }
  });

  it('keeps given ids and keys and numbers missing keys by ascending id', async () => {
    const jira = await JiraStandIn.start({
      seed: {
        projects: [{ id: '10000', key: 'ABC', name: 'Abc' }],
        issues: [
          { id: '300', projectKey: 'ABC', summary: 'third', type: 'Bug', status: 'Open', statusCategory: 'new', created: '2024-01-03T00:00:00Z' },
          { id: '100', projectKey: 'ABC', summary: 'first', type: 'Bug', status: 'Open', statusCategory: 'new', created: '2024-01-01T00:00:00Z' },
          { id: '200', key: 'ABC-1', projectKey: 'ABC', summary: 'keyed', type: 'Bug', status: 'Open', statusCategory: 'new', created: '2024-01-02T00:00:00Z' },
        ],
        links: [{ type: 'Duplicate', inward: 'ABC-3', outward: 'ABC-2' }],
      },
    });
    try {
      expect(jira.store.getIssue('100')?.key).toBe('ABC-2');
      expect(jira.store.getIssue('300')?.key).toBe('ABC-3');
      expect(jira.store.getIssue('ABC-1')?.id).toBe('200');
      expect(jira.store.links.size).toBe(1);
      // A new issue continues the numbering.
      expect(jira.createIssue({ projectKey: 'ABC', summary: 'new', type: 'Task' }).key).toBe('ABC-4');
    } finally {
      await jira.close();
    }
  });

  (haveDataset ? it : it.skip)('loads the Hadoop CSV export as HADOOP-1…HADOOP-2503 with Jira ids kept', async () => {
    const jira = await JiraStandIn.start();
    try {
      const loaded = jira.loadJiraCsv(readFileSync(HADOOP_CSV, 'utf8'), { projectKey: 'HADOOP' });
      expect(loaded.issues).toBe(2503);
      const ids = [...jira.store.issues.values()].map((i) => Number(i.id)).sort((x, y) => x - y);
      expect(jira.store.getIssue('HADOOP-1')?.id).toBe(String(ids[0]));
      expect(jira.store.getIssue('HADOOP-2503')?.id).toBe(String(ids[ids.length - 1]));
      expect(jira.store.getIssue('13404344')?.summary).toBe('JAR in conflict with timestamp check causes AM errors');
      const r = await call(jira.url, 'POST', '/rest/api/3/search/approximate-count', 'app', { jql: 'project = HADOOP' });
      expect(r.json).toEqual({ count: 2503 });
      const issue = await call(jira.url, 'GET', '/rest/api/3/issue/13404344?fields=created,status,priority', 'user:member-1');
      expect(obj(issue.json.fields)).toMatchObject({ created: '2021-09-30T17:20:00.000+0000', status: { name: 'Resolved', statusCategory: { key: 'done' } }, priority: { name: 'Blocker' } });
    } finally {
      await jira.close();
    }
  });

  it('holds 20,000 issues and answers pages of 100 in a few ms', async () => {
    const seed: SeedData = { projects: [{ id: '10000', key: 'P1', name: 'P1' }, { id: '10001', key: 'P2', name: 'P2' }], issues: [] };
    for (let n = 0; n < 20_000; n++) {
      seed.issues.push({
        projectKey: n % 2 === 0 ? 'P1' : 'P2',
        summary: `Issue number ${n} about the checkout`,
        description: `First paragraph for ${n}.\n\n{noformat}\nstack line ${n}\n{noformat}`,
        type: n % 3 === 0 ? 'Bug' : 'Task',
        status: 'To Do',
        statusCategory: 'new',
        created: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
      });
    }
    const jira = await JiraStandIn.start({ seed });
    try {
      let token: string | undefined;
      let pages = 0;
      // CPU time, not wall time: the machine is shared, waiting is not the stand-in's cost.
      const cpu0 = process.cpuUsage();
      while (pages < 50) {
        const r = await call(jira.url, 'POST', '/rest/api/3/search/jql', 'app', { jql: 'project = P1 ORDER BY created DESC', fields: ['summary', 'description', 'created'], maxResults: 100, ...(token ? { nextPageToken: token } : {}) });
        expect(arr(r.json.issues)).toHaveLength(100);
        pages++;
        token = String(r.json.nextPageToken);
      }
      const used = process.cpuUsage(cpu0);
      const cpuMsPerPage = (used.user + used.system) / 1000 / pages;
      // Client and server together, JSON both ways; typically a few ms a page.
      expect(cpuMsPerPage).toBeLessThan(25);
    } finally {
      await jira.close();
    }
  });
});
