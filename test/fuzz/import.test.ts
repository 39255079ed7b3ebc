/**
 * The sandbox's import path (`npm start -- --import FILE` → `JiraStandIn.loadJiraCsv`):
 * `parseJiraCsv` itself is fuzzed in test/import; here the whole load is, with hostile cell
 * text. Any text either loads or is refused with NotAJiraExportError; what loads is served
 * by the stand-in's search exactly as written.
 */
import fc from 'fast-check';
import { JiraStandIn } from '../../sandbox/jira';

const SEED = 31;

const cellText = fc.oneof(
  fc.string({ maxLength: 80, unit: 'grapheme' }),
  fc.constantFrom('<script>alert(1)</script>', '=HYPERLINK("http://x")', '"quoted, with comma"', 'line\r\nbreak', '\u202Egnp.exe', 'a\u200Bb', '@SUM(A1)', '-1+2'),
);

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface Row {
  summary: string;
  description: string;
  label: string;
}

function exportText(rows: Row[]): string {
  const lines = ['Issue key,Issue id,Summary,Description,Created,Labels,Project key,Project name'];
  rows.forEach((r, n) => {
    lines.push([`IMP-${n + 1}`, String(50_000 + n), r.summary, r.description, `0${(n % 9) + 1}/Jan/26 10:00`, r.label.replace(/\s/g, '_'), 'IMP', 'Imported'].map(csvCell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

async function searchAll(jira: JiraStandIn): Promise<Array<{ key: string; summary: string }>> {
  const res = await fetch(`${jira.url}/rest/api/3/search/jql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-principal': 'app' },
    body: JSON.stringify({ jql: 'project = IMP ORDER BY key ASC', fields: ['summary'], maxResults: 100 }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { issues: Array<{ key: string; fields: { summary: string } }> };
  return body.issues.map((i) => ({ key: i.key, summary: i.fields.summary }));
}

describe('loadJiraCsv (the sandbox import)', () => {
  it('loads hostile cell text and serves it back exactly', async () => {
    const jira = await JiraStandIn.start();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.record({ summary: cellText.filter((s) => s.trim() !== ''), description: cellText, label: fc.constantFrom('a', 'b c', '') }), { minLength: 1, maxLength: 8 }), async (rows) => {
          for (const issue of [...jira.store.issues.values()]) jira.deleteIssue(issue.key);
          const loaded = jira.loadJiraCsv(exportText(rows));
          expect(loaded.issues).toBe(rows.length);
          const served = await searchAll(jira);
          expect(served.map((s) => s.summary).sort()).toEqual(rows.map((r) => r.summary.trim()).sort());
        }),
        { numRuns: 25, seed: SEED },
      );
    } finally {
      await jira.close();
    }
  }, 120_000);

  it('any text either loads or is refused as "not a Jira export", never another error', async () => {
    const jira = await JiraStandIn.start();
    try {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.constantFrom('Summary,Issue id\n', 'Summary,Issue id,Created\nx,1,\n', 'Issue key,Summary\n"unterminated'), fc.array(cellText, { maxLength: 6 }).map((cells) => `Summary,Issue id,Created\n${cells.map(csvCell).join(',')}\n`)), (text) => {
          try {
            const loaded = jira.loadJiraCsv(text, { projectKey: 'IMP' });
            expect(loaded.issues).toBeGreaterThanOrEqual(0);
          } catch (err) {
            expect((err as Error).name).toBe('NotAJiraExportError');
          }
        }),
        { numRuns: 150, seed: SEED },
      );
    } finally {
      await jira.close();
    }
  });
});
