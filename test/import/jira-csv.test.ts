import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { NotAJiraExportError, parseDuplicateLinksCsv, parseJiraCsv } from '../../src/import/jira-csv';
import { parseJiraDate } from '../../src/import/jira-dates';

const DATASET = resolve(__dirname, '../../../shared/datasets/hadoop-jira');
const haveDataset = existsSync(join(DATASET, 'hadoop_bugs.csv'));
if (!haveDataset) console.warn(`Skipping the Hadoop dataset import tests: dataset not found at ${DATASET}`);

describe('parseJiraCsv', () => {
  it('reads columns by header name, repeated columns, BOM and CRLF', () => {
    const csv =
      '\uFEFFIssue key,Summary,Issue id,Issue Type,Status,Status Category,Priority,Created,Updated,Labels,Labels,Component/s,Component/s,Affects Version/s,Project key,Project name,Description\r\n' +
      'SHOP-12,Cart total wrong,10042,Bug,In Review,In Progress,High,30/Sep/21 17:20,2021-10-01 08:05,pricing,cart,Cart,Checkout,3.1,SHOP,Web Shop,"Line one\r\nLine two"\r\n' +
      'SHOP-13,Gift wrap,10043,Story,Done,Done,,01/Oct/21 9:05 AM,,,,,,,SHOP,Web Shop,\r\n';
    const { issues, warnings } = parseJiraCsv(csv);
    expect(warnings).toEqual([]);
    expect(issues).toEqual([
      {
        id: '10042', key: 'SHOP-12', projectKey: 'SHOP', projectName: 'Web Shop', summary: 'Cart total wrong', description: 'Line one\nLine two',
        type: 'Bug', status: 'In Review', statusCategory: 'indeterminate', priority: 'High', resolution: null,
        created: '2021-09-30T17:20:00.000Z', updated: '2021-10-01T08:05:00.000Z', resolved: null,
        labels: ['pricing', 'cart'], components: ['Cart', 'Checkout'], versions: ['3.1'],
      },
      expect.objectContaining({ id: '10043', statusCategory: 'done', created: '2021-10-01T09:05:00.000Z', description: '', labels: [], priority: null }),
    ]);
  });

  it('uses the projectKey option when the export has no project column', () => {
    const { issues } = parseJiraCsv('Summary,Issue id,Created\nA,1,2021-01-01 10:00\n', { projectKey: 'hadoop' });
    expect(issues[0]).toMatchObject({ projectKey: 'HADOOP', key: null });
  });

  it('skips unusable rows with a warning instead of failing', () => {
    const { issues, warnings } = parseJiraCsv('Summary,Issue id,Created\nA,abc,2021-01-01 10:00\nB,2,yesterday\nC,3,2021-01-01 10:00\nD,3,2021-01-01 10:00\n');
    expect(issues.map((i) => i.id)).toEqual(['3']);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/Row 2/);
  });

  it.each([
    ['', /empty/],
    ['   \n  ', /empty/],
    ['\u0000\u0001\u0002PK\u0003\u0004', /binary/],
    ['name,email\nAnna,anna@example.com\n', /"Summary" or "Issue id"/],
    ['Summary,Status\nA,Open\n', /"Issue id"/],
  ])('throws NotAJiraExportError for a file that is not an export (%#)', (text, message) => {
    expect(() => parseJiraCsv(text)).toThrow(NotAJiraExportError);
    expect(() => parseJiraCsv(text)).toThrow(message);
    try {
      parseJiraCsv(text);
    } catch (e) {
      expect((e as Error).name).toBe('NotAJiraExportError');
      expect((e as Error).message).toMatch(/Expected a CSV file exported from Jira/);
    }
  });

  it('never crashes on arbitrary text: it parses or says it is not an export', () => {
    const header = fc.constantFrom('', 'Summary,Issue id,Created\n', 'Summary,Issue id,Created,Labels,Labels\r\n');
    fc.assert(
      fc.property(header, fc.string({ unit: 'binary', maxLength: 300 }), (h, body) => {
        try {
          const out = parseJiraCsv(h + body);
          expect(Array.isArray(out.issues)).toBe(true);
        } catch (e) {
          if (!(e instanceof NotAJiraExportError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });

  (haveDataset ? it : it.skip)('parses the dev set\u2019s hadoop_bugs.csv: 2,503 issues, 143 empty descriptions', () => {
    const { issues, warnings } = parseJiraCsv(readFileSync(join(DATASET, 'hadoop_bugs.csv'), 'utf8'), { projectKey: 'HADOOP' });
    expect(warnings).toEqual([]);
    expect(issues).toHaveLength(2503);
    expect(issues.filter((i) => i.description === '')).toHaveLength(143);
    expect(issues.every((i) => !i.description.includes('\r'))).toBe(true);
    expect(issues[0]).toMatchObject({ id: '13404344', status: 'Resolved', priority: 'Blocker', resolution: 'Duplicate', created: '2021-09-30T17:20:00.000Z', resolved: '2022-07-20T20:51:00.000Z', versions: ['2.9.2'] });
  });
});

describe('parseDuplicateLinksCsv', () => {
  it('splits multi-id cells and dedupes undirected pairs', () => {
    const pairs = parseDuplicateLinksCsv('Issue id,Duplicate id\n5,"7, 3"\n7,5\n3,3\n');
    expect(pairs).toEqual([['5', '7'], ['3', '5']]);
  });

  it('rejects a file without the two columns', () => {
    expect(() => parseDuplicateLinksCsv('a,b\n1,2\n')).toThrow(NotAJiraExportError);
  });

  (haveDataset ? it : it.skip)('reads the dev set\u2019s duplicate file', () => {
    const pairs = parseDuplicateLinksCsv(readFileSync(join(DATASET, 'hadoop_bugs-combined.csv'), 'utf8'));
    expect(pairs.length).toBeGreaterThanOrEqual(66);
    expect(new Set(pairs.map((p) => p.join())).size).toBe(pairs.length);
  });
});

describe('parseJiraDate', () => {
  it.each([
    ['30/Sep/21 17:20', '2021-09-30T17:20:00.000Z'],
    ['30/Sep/2021 17:20', '2021-09-30T17:20:00.000Z'],
    ['01/Oct/21 12:05 AM', '2021-10-01T00:05:00.000Z'],
    ['01/Oct/21 12:05 PM', '2021-10-01T12:05:00.000Z'],
    ['2021-09-30 17:20', '2021-09-30T17:20:00.000Z'],
    ['2021-09-30T17:20:00.000+0200', '2021-09-30T15:20:00.000Z'],
  ])('%s → %s', (cell, iso) => {
    expect(parseJiraDate(cell)).toBe(iso);
  });

  it.each(['', 'yesterday', '31/Feb/21 10:00', '30/Foo/21 10:00'])('%p is not a date', (cell) => {
    expect(parseJiraDate(cell)).toBeNull();
  });
});
