import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../src/cli/lib/args';
import { BaselineTfIdf } from '../../src/cli/lib/baseline-tfidf';
import { buildQueries, scoreRankings } from '../../src/cli/lib/eval-protocol';
import { InputFormatError, parseCreated, type IssueRecord } from '../../src/cli/lib/issue-record';
import { issuesFromJiraRows } from '../../src/cli/lib/jira-csv';
import { parseJiraCsv } from '../../src/import/jira-csv';
import { duplicateLinksOutside, loadIssues, loadPairs } from '../../src/cli/lib/load';
import { placesOf, scorePlaces, scoreText } from '../../src/shared/score-text';
import fc from 'fast-check';
import { generateBacklog } from '../../src/cli/lib/synthetic/backlog';
import { encode } from '../import/jira-export-fixture';
import { loadTermStats } from '../../src/cli/lib/synthetic/term-stats';

const dir = mkdtempSync(join(tmpdir(), 'engine-cli-'));
const issue = (id: string, summary: string, created: string): IssueRecord => ({
  id, summary, description: '', created, createdMs: parseCreated(created),
});

describe('command-line helpers', () => {
  it('parses options strictly', () => {
    const args = parseArgs(['--issues', 'a.jsonl', '--json', '--pairs=b.csv'], { values: ['issues', 'pairs'], flags: ['json'] });
    expect(args.values.get('issues')).toBe('a.jsonl');
    expect(args.values.get('pairs')).toBe('b.csv');
    expect(args.flags.has('json')).toBe(true);
    expect(() => parseArgs(['--nope'], { values: [], flags: [] })).toThrow(UsageError);
    expect(() => parseArgs(['--issues'], { values: ['issues'], flags: [] })).toThrow(/needs a value/);
  });

  it('reads Jira dates and ISO dates', () => {
    expect(new Date(parseCreated('30/Sep/21 17:20')).toISOString()).toBe('2021-09-30T17:20:00.000Z');
    expect(new Date(parseCreated('30/Sep/21 5:20 PM')).toISOString()).toBe('2021-09-30T17:20:00.000Z');
    expect(new Date(parseCreated('2020-01-01T02:52:00')).toISOString()).toBe('2020-01-01T02:52:00.000Z');
    expect(Number.isNaN(parseCreated('yesterday'))).toBe(true);
  });

  it('reads a Jira CSV export with repeated columns, and refuses other CSV files', async () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Summary,Issue key,Issue id,Labels,Labels,Created,Description\n"Crash, again",HD-1,10,perf,,01/Jan/22 10:00,"multi\nline"\n');
    const [row] = await loadIssues(file);
    expect(row).toMatchObject({ id: '10', key: 'HD-1', summary: 'Crash, again', labels: ['perf'], description: 'multi\nline' });
    expect(() => issuesFromJiraRows([['a', 'b']], 'x.csv')).toThrow(InputFormatError);
  });

  it('dates an export as the sandbox import does: month-first when only the Updated column shows it', () => {
    // Created alone is ambiguous (3 April or 4 March); Updated's 25 can only be a day.
    const rows = [
      ['Summary', 'Issue key', 'Issue id', 'Created', 'Updated'],
      ['Login fails', 'HD-1', '1', '03/04/2026 10:00', '03/25/2026 11:00'],
    ];
    const [issue] = issuesFromJiraRows(rows, 'us.csv');
    expect(issue?.createdMs).toBe(Date.UTC(2026, 2, 4, 10, 0));
    const imported = parseJiraCsv(rows.map((r) => r.join(',')).join('\n'), { projectKey: 'HD' });
    expect(imported.issues[0]?.created).toBe(new Date(Date.UTC(2026, 2, 4, 10, 0)).toISOString());
  });

  it('reads a Windows-1252 export whose first accented letter comes after the bytes it looks at first', async () => {
    const file = join(dir, 'late-accent.csv');
    const rows = Array.from({ length: 2000 }, (_, i) => `Issue ${i} times out,SHOP-${i},${i},07/Dec/26 10:15 AM,Plain ASCII text for row ${i}.`);
    const text = ['Summary,Issue key,Issue id,Created,Description', ...rows, 'Search ignores café,SHOP-9999,9999,07/Dec/26 10:15 AM,„café“ – nothing'].join('\r\n');
    writeFileSync(file, encode(text, 'windows-1252'));
    const issues = await loadIssues(file);
    expect(issues).toHaveLength(2001);
    expect(issues[2000]).toMatchObject({ summary: 'Search ignores café', description: '„café“ – nothing' });
  });

  it('reads issues without terminal escape sequences or control characters, for analyze and eval alike', async () => {
    const jsonl = join(dir, 'colours.jsonl');
    const line = (id: string, summary: string, description: unknown) => JSON.stringify({ id, key: `\u001b[1mLOG-${id}`, summary, description, labels: ['\u001b[32mci\u001b[0m'], created: '2024-03-01T10:00:00Z' });
    writeFileSync(jsonl, [
      line('1', '\u001b[31mBuild fails\u001b[0m on\u0007Windows', '{code}\n\u001b[0m\u001b[91mTraceback (most recent call last)\u001b[0m\n{code}'),
      line('2', 'Plain summary', { type: 'doc', content: [{ type: 'text', text: '\u001b[33mwarn\u001b[0m' }] }),
    ].join('\n'));
    const [a, b] = await loadIssues(jsonl);
    expect(a).toMatchObject({ summary: 'Build fails on Windows', description: '{code}\nTraceback (most recent call last)\n{code}', labels: ['ci'] });
    // Keys are no text the analyzer reads: left as the file has them (analyze prints them safely).
    expect(a?.key).toBe('\u001b[1mLOG-1');
    expect(b?.description).toEqual({ type: 'doc', content: [{ type: 'text', text: 'warn' }] });
    const csv = join(dir, 'colours.csv');
    writeFileSync(csv, 'Summary,Issue id,Component/s,Description\n"\u001b[31mBuild fails\u001b[0m",1,\u001b[1mCI,"line one\n\tindented \u001b[2Kline"\n');
    expect((await loadIssues(csv))[0]).toMatchObject({ summary: 'Build fails', components: ['CI'], description: 'line one\n\tindented line' });
  });

  it('cuts scores off, never rounding up to a threshold the pair is below', () => {
    expect(scoreText(0.99996, 4)).toBe('0.9999');
    expect(scoreText(0.999999985, 2)).toBe('0.99');
    expect(scoreText(1, 4)).toBe('1.0000');
    // Math.floor(0.29 * 100) is 28: a score equal to a threshold prints as the threshold.
    expect(scoreText(0.29, 2)).toBe('0.29');
    expect(scoreText(0.45, 2)).toBe('0.45');
    expect(scoreText(0, 2)).toBe('0.00');
    expect([placesOf(1), placesOf(0.45), placesOf(0.995), placesOf(0.1 + 0.2)]).toEqual([0, 2, 3, 12]);
    expect(scorePlaces(4, [0.15, 0.45])).toBe(4);
    expect(scorePlaces(2, [0.995, 0.995])).toBe(3);
    // Printed with the threshold's places or more, a score reaches the threshold exactly when the pair does.
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 3 }), (score, t, extra) => {
        const threshold = t / 10_000;
        const places = scorePlaces(2, [threshold]) + extra;
        expect(Number(scoreText(score, places)) >= threshold).toBe(score >= threshold);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts the Duplicate links to issues outside the file, each once, naming those issues', () => {
    const rows = [
      ['Summary', 'Issue key', 'Issue id', 'Inward issue link (Duplicate)', 'Outward issue link (Duplicate)'],
      ['Login fails', 'A-1', '1', 'A-2', 'B-7'],
      ['Login fails again', 'A-2', '2', '', 'A-1'],
      ['Logout fails', 'A-3', '3', 'b-7', 'C-1'],
      ['Export fails', 'A-4', '4', 'A-3', ''],
    ];
    expect(duplicateLinksOutside(issuesFromJiraRows(rows, 'links.csv'))).toEqual({ links: 3, issues: ['B-7', 'C-1'] });
    expect(duplicateLinksOutside(issuesFromJiraRows(rows.map((r) => r.slice(0, 3)), 'none.csv'))).toEqual({ links: 0, issues: [] });
  });

  it('reads pairs files whose cells list several ids', async () => {
    const file = join(dir, 'combined.csv');
    writeFileSync(file, 'Issue id,Duplicate id\n1,2\n2,1\n3,"4, 5"\n');
    expect(await loadPairs(file)).toEqual([['1', '2'], ['3', '4'], ['3', '5']]);
  });

  it('builds time-aware queries: the newer issue asks, its group answers', () => {
    const issues = [issue('a', 'x', '2020-01-01'), issue('b', 'y', '2020-02-01'), issue('c', 'z', '2020-03-01')];
    const queries = buildQueries(issues, [['a', 'b'], ['b', 'c']]);
    expect(queries.map((q) => q.query)).toEqual(['b', 'c']);
    expect(Array.from(queries[1]?.relevant ?? [])).toEqual(['a', 'b']);
    const metrics = scoreRankings(queries, (q) => (q.query === 'b' ? ['z', 'a'] : ['b']));
    expect(metrics).toEqual({ r1: 0.5, r5: 1, r10: 1, r20: 1, map: 0.75 });
  });

  it('ranks with the plain TF-IDF baseline', () => {
    const issues = [issue('1', 'namenode crash on restart', '2020-01-01'), issue('2', 'yarn ui typo', '2020-01-02'), issue('3', 'namenode restart crash', '2020-01-03')];
    expect(new BaselineTfIdf(issues).rank('3', () => true, 2)[0]).toBe('1');
  });

  it('generates the same synthetic backlog for the same seed, with planted duplicates', () => {
    const stats = loadTermStats(null);
    const a = generateBacklog(stats, { n: 300, seed: 3, duplicateRate: 0.1 });
    const b = generateBacklog(stats, { n: 300, seed: 3, duplicateRate: 0.1 });
    expect(a).toEqual(b);
    expect(a.pairs.length).toBeGreaterThan(5);
    for (const [x, y] of a.pairs) expect(Number(x)).toBeLessThan(Number(y));
  });
});
