/**
 * Issue text with HTML and script, `javascript:` links, 1 MB descriptions, right-to-left
 * overrides and zero-width characters goes through a real analysis (stand-in → pipeline →
 * SQL) and comes out of the resolvers as plain strings in the contract's shapes (no HTML,
 * no link targets, no extra fields), exactly as written. The front ends never inject HTML,
 * and CSV exports neutralise cells that spreadsheets would run as formulas.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { z } from 'zod';
import { captureConsole, type ConsoleCapture } from './support/console-capture';
import { HUGE_DESCRIPTION, IMG, issueByKey, issueExtension, JS_LINK, MARKER, MEMBER, ok, projectExtension, RTL, SCRIPT, startWorld, ZERO_WIDTH, type World } from './support/env';

const SEED = 1_337;
let world: World;
let logs: ConsoleCapture;

// The contract's answer shapes, strict: an extra field (say `html`) fails the parse.
const segment = z.strictObject({ text: z.string(), match: z.boolean() });
const issueRef = z.strictObject({
  id: z.string(), key: z.string(), summary: z.string(), projectKey: z.string(), type: z.string(), status: z.string(),
  statusCategory: z.enum(['new', 'indeterminate', 'done', 'unknown']), created: z.string(), updated: z.string(), resolution: z.string().nullable().optional(),
});
const sharedTerm = z.strictObject({ term: z.string(), share: z.number() });
const suggestion = z.strictObject({
  pairId: z.string(), issue: issueRef, score: z.number(), tier: z.enum(['duplicate', 'related']), status: z.enum(['pending', 'confirmed', 'dismissed']),
  sharedTerms: z.array(sharedTerm), summarySegments: z.array(segment), linked: z.boolean(), thisIsDuplicate: z.boolean(),
  decidedBy: z.string().nullable(), decidedAt: z.string().nullable(), decidedInJira: z.boolean(), dismissReason: z.enum(['different', 'related', 'split']).nullable(), dismissReasonBy: z.string().nullable(), alsoLinkedWith: z.array(z.strictObject({ id: z.string(), key: z.string() })), joinedThrough: z.array(z.string()), otherWork: z.string().nullable(),
});
const suggestionsView = z.strictObject({
  issue: z.strictObject({ id: z.string(), key: z.string(), summary: z.string() }), indexed: z.boolean(), computedAt: z.string().nullable(), updatedAt: z.string().nullable(), pending: z.boolean(),
  duplicates: z.array(suggestion), related: z.array(suggestion), dismissed: z.array(suggestion), canLink: z.boolean(), canDismiss: z.boolean(),
  inScope: z.boolean(), excludedType: z.string().nullable(), excludedByFilter: z.boolean(), excludedByAge: z.number().nullable(), analysisRunning: z.boolean(), noWords: z.boolean(), changedSinceAnalysed: z.boolean(), tiersOutdated: z.boolean(), duplicateOf: z.array(z.strictObject({ id: z.string(), key: z.string() })),
  actors: z.array(z.strictObject({ accountId: z.string(), displayName: z.string() })),
  notListed: z.strictObject({
    duplicates: z.strictObject({ pending: z.number(), confirmed: z.number() }),
    related: z.strictObject({ pending: z.number(), confirmed: z.number() }),
    dismissed: z.number(),
  }),
});
const pairView = z.strictObject({
  id: z.string(), a: issueRef, b: issueRef, score: z.number(), tier: z.enum(['duplicate', 'related']), status: z.enum(['pending', 'confirmed', 'dismissed']),
  sharedTerms: z.array(sharedTerm), decidedBy: z.string().nullable(), decidedAt: z.string().nullable(), decidedInJira: z.boolean(), dismissReason: z.enum(['different', 'related', 'split']).nullable(), dismissReasonBy: z.string().nullable(), firstSeenAt: z.string(), lastSeenAt: z.string(), clusterId: z.string().nullable(), otherWork: z.string().nullable(), linkedInJira: z.boolean(),
  canLink: z.boolean().optional(),
  linkedThrough: z.array(z.string()).optional(),
});
const pairSide = z.strictObject({ issue: issueRef, summarySegments: z.array(segment), descriptionSegments: z.array(segment) });
const pairDetail = z.strictObject({ pair: pairView, a: pairSide, b: pairSide, jiraDuplicateId: z.string().nullable() });

const csvRows = z.array(z.array(z.string()));
/** RFC 4180 parsing by csv-parse (a spreadsheet's view of the file), checked to be rows of cells. */
const readCsv = (text: string): string[][] => csvRows.parse(parse(text));

const joined = (segments: Array<{ text: string }>): string => segments.map((s) => s.text).join('');

beforeAll(async () => {
  world = await startWorld();
  logs = captureConsole();
  await world.analyse();
}, 300_000);

afterAll(async () => {
  logs?.restore();
  await world?.stop();
});

async function suggestionsFor(key: string) {
  const data = ok(await world.call('issue-view-resolver', 'suggestions.get', { issueId: issueByKey(key).id }, MEMBER, issueExtension(key)));
  return suggestionsView.parse(data);
}

describe('hostile issue text through the pipeline', () => {
  it('summaries with <script> and <img onerror> come back verbatim, as plain strings in the contract shape', async () => {
    const view = await suggestionsFor('SHOP-4');
    const all = [...view.duplicates, ...view.related];
    const scripted = all.find((s) => s.issue.key === 'SHOP-3');
    if (!scripted) throw new Error(`SHOP-3 is not suggested for SHOP-4: ${JSON.stringify(all.map((s) => s.issue.key))}`);
    expect(scripted.issue.summary).toBe(issueByKey('SHOP-3').summary);
    expect(scripted.issue.summary).toContain(SCRIPT);
    expect(joined(scripted.summarySegments)).toBe(scripted.issue.summary);
  });

  it('pairs.detail shows descriptions as text: HTML verbatim, a javascript: link only by its words', async () => {
    const list = ok(await world.call('project-page-resolver', 'pairs.list', { status: 'pending', search: 'gateway', pageSize: 100 }, MEMBER, projectExtension('SHOP')));
    const a = issueByKey('SHOP-3').id;
    const b = issueByKey('SHOP-4').id;
    const pair = list.items.find((p) => (p.a.id === a && p.b.id === b) || (p.a.id === b && p.b.id === a));
    if (!pair) throw new Error('the SHOP-3/SHOP-4 pair was not found');
    const detail = pairDetail.parse(ok(await world.call('project-page-resolver', 'pairs.detail', { pairId: pair.id }, MEMBER, projectExtension('SHOP'))));
    const side = (key: string) => (detail.a.issue.key === key ? detail.a : detail.b);
    const adfSide = joined(side('SHOP-3').descriptionSegments);
    expect(adfSide).toContain(IMG);
    expect(adfSide).toContain('Click to pay');
    expect(adfSide).not.toContain(JS_LINK); // the link's target is not text
    const wikiSide = joined(side('SHOP-4').descriptionSegments);
    expect(wikiSide).toContain(SCRIPT); // typed as text, shown as text
    expect(joined(side('SHOP-3').summarySegments)).toBe(issueByKey('SHOP-3').summary);
  });

  it('a 1 MB description is indexed, and answers carry only a short excerpt of it', async () => {
    const [doc] = (await world.forge.sql.query('SELECT LENGTH(terms) AS n, summary FROM docs WHERE id = ?', [issueByKey('SHOP-11').id])) as Array<{ n: number; summary: string }>;
    expect(doc?.summary).toBe(issueByKey('SHOP-11').summary);
    expect(Number(doc?.n)).toBeGreaterThan(0);
    expect(Number(doc?.n)).toBeLessThanOrEqual(32 * 1024);
    const view = await suggestionsFor('SHOP-12');
    const big = [...view.duplicates, ...view.related].find((s) => s.issue.key === 'SHOP-11');
    if (!big) throw new Error('SHOP-11 is not suggested for SHOP-12');
    const detail = pairDetail.parse(ok(await world.call('project-page-resolver', 'pairs.detail', { pairId: big.pairId }, MEMBER, projectExtension('SHOP'))));
    const side = detail.a.issue.key === 'SHOP-11' ? detail.a : detail.b;
    expect(HUGE_DESCRIPTION.length).toBeGreaterThan(1_000_000);
    expect(joined(side.descriptionSegments).length).toBeLessThanOrEqual(700);
    expect(JSON.stringify(detail).length).toBeLessThan(20_000);
  });

  it('right-to-left overrides, zero-width and Arabic characters survive unchanged', async () => {
    const view = await suggestionsFor('MOB-1');
    const rtl = [...view.duplicates, ...view.related].find((s) => s.issue.key === 'MOB-3');
    if (!rtl) throw new Error('MOB-3 is not suggested for MOB-1');
    expect(rtl.issue.summary).toBe(issueByKey('MOB-3').summary);
    expect(rtl.issue.summary).toContain(RTL);
    expect(rtl.issue.summary).toContain(ZERO_WIDTH);
    expect(joined(rtl.summarySegments)).toBe(rtl.issue.summary);
  });

  it('no log line of the whole analysis and these calls carries issue text', () => {
    expect(logs.lines.length).toBeGreaterThan(5);
    expect(logs.lines.filter((l) => l.toLowerCase().includes(MARKER) || l.includes('<script>') || l.includes('onerror'))).toEqual([]);
  });
});

describe('front ends', () => {
  const STATIC = join(__dirname, '..', '..', 'static');
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'build' || name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(tsx?|jsx?|mjs|html)$/.test(name)) sources.push(path);
    }
  };
  walk(STATIC);

  it('never inject HTML (no dangerouslySetInnerHTML, innerHTML, insertAdjacentHTML, document.write, eval)', () => {
    expect(sources.length).toBeGreaterThan(10);
    const offenders = sources.filter((f) => /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('export.csv', () => {
  it('neutralises every cell a spreadsheet would run as a formula, whatever the summaries hold', async () => {
    const list = ok(await world.call('project-page-resolver', 'pairs.list', { status: 'pending', pageSize: 1 }, MEMBER, projectExtension('SHOP')));
    const pair = list.items[0];
    if (!pair) throw new Error('no pair to export');
    const original = [pair.a.summary, pair.b.summary];
    const dangerous = fc
      .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ maxLength: 120, unit: 'grapheme' }))
      .map(([first, rest]) => `${first}${rest}`);
    try {
      await fc.assert(
        fc.asyncProperty(dangerous, dangerous, async (summaryA, summaryB) => {
          await world.forge.sql.query('UPDATE docs SET summary = ? WHERE id = ?', [summaryA, pair.a.id]);
          await world.forge.sql.query('UPDATE docs SET summary = ? WHERE id = ?', [summaryB, pair.b.id]);
          const page = ok(await world.call('project-page-resolver', 'export.csv', { status: 'pending', pageSize: 1000 }, MEMBER, projectExtension('SHOP')));
          const rows = readCsv(page.csv);
          const header = rows[0] ?? [];
          const row = rows.find((r) => r[0] === pair.id);
          if (!row) throw new Error(`pair ${pair.id} is not in the export`);
          expect(row[header.indexOf('Summary A')]).toBe(`'${summaryA}`);
          expect(row[header.indexOf('Summary B')]).toBe(`'${summaryB}`);
          for (const cells of rows) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        }),
        { numRuns: 50, seed: SEED, endOnFailure: true },
      );
    } finally {
      await world.forge.sql.query('UPDATE docs SET summary = ? WHERE id = ?', [original[0], pair.a.id]);
      await world.forge.sql.query('UPDATE docs SET summary = ? WHERE id = ?', [original[1], pair.b.id]);
    }
  }, 180_000);

  it('the seeded formula summaries (=HYPERLINK, +cmd, -2+3, @SUM) are exported neutralised', async () => {
    const page = ok(await world.call('project-page-resolver', 'export.csv', { status: 'pending', pageSize: 1000 }, MEMBER, projectExtension('SHOP')));
    const cells = readCsv(page.csv).flat();
    for (const key of ['SHOP-5', 'SHOP-6', 'SHOP-7', 'SHOP-8']) {
      const summary = issueByKey(key).summary;
      expect(cells).toContain(`'${summary}`);
      expect(cells).not.toContain(summary);
    }
  });
});
