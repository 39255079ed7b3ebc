/**
 * Queue search with accents folded (`wordMatch` over docs.summary_folded), in MariaDB through
 * the app's own store: accents both ways, letters that do not decompose, compatibility forms
 * that fold to LIKE wildcards, other scripts as before, and rows without the folded form
 * (stored before it, or too long folded) together with their bounded backfill.
 */
import { LocalForge } from '../../sandbox/runtime';
import { execute, select } from '../../src/store/db';
import { backfillSummaryFolded, upsertDocs, type DocWrite } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { wordMatch } from '../../src/store/review';
import { foldForSearch } from '../../src/shared/search-fold';
import { pipelineHandlers } from '../analysis/helpers';

const SUMMARIES = [
  'Café crashes on start',
  'cafe menu is empty',
  'Résumé upload fails',
  'München office printer jams',
  'Straße field too short',
  'Łódź and Ærø offices',
  'Naïve café integration',
  '50% of uploads fail',
  '500 errors on upload',
  'snake_case names',
  'path C:\\data\\backup missing',
  'ΟΔΟΣ closed',
  '日本語の検索が遅い',
  'İstanbul ofisi ayrılık',
  'Emoji 🔥 in the title',
  'कुतुब मीनार',
  'がっこう',
];

const doc = (i: number, summary: string): DocWrite => ({
  id: String(100 + i),
  key: `ACC-${100 + i}`,
  projectKey: 'ACC',
  type: 'Bug',
  status: 'Open',
  statusCategory: 'new',
  createdMs: 1000,
  updatedMs: 2000,
  summary,
  textHash: `h${i}`,
  terms: `d1\ns x${i}`,
});

describe('queue search with accents folded', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    await upsertDocs(SUMMARIES.map((s, i) => doc(i, s)));
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const found = async (word: string): Promise<string[]> => {
    const match = wordMatch(word);
    const rows = await select(`SELECT summary FROM docs WHERE ${match.sql} ORDER BY id`, match.params);
    return rows.map((r) => String(r['summary']));
  };

  it('finds accented summaries by words typed without accents, and the other way round', async () => {
    const cafe = ['Café crashes on start', 'cafe menu is empty', 'Naïve café integration'];
    for (const word of ['cafe', 'café', 'CAFÉ', 'Cafe']) expect([word, await found(word)]).toEqual([word, cafe]);
    for (const word of ['resume', 'résumé', 'RESUMÉ']) expect([word, await found(word)]).toEqual([word, ['Résumé upload fails']]);
    for (const word of ['munchen', 'Munchen', 'MÜNCHEN']) expect([word, await found(word)]).toEqual([word, ['München office printer jams']]);
    // Letters with no accent to drop are written as typed without them.
    for (const word of ['strasse', 'STRASSE', 'straße']) expect([word, await found(word)]).toEqual([word, ['Straße field too short']]);
    expect(await found('lodz')).toEqual(['Łódź and Ærø offices']);
    expect(await found('aero')).toEqual(['Łódź and Ærø offices']);
    // Parts joined by punctuation, folded alike.
    expect(await found('naive-cafe')).toEqual(['Naïve café integration']);
  });

  it('escapes LIKE wildcards that a folded word holds, however they were typed', async () => {
    // Full-width "５０％" folds to "50%": the percent sign is looked for, not "anything".
    expect(await found('５０％')).toEqual(['50% of uploads fail']);
    expect(await found('50%')).toEqual(['50% of uploads fail']);
    // "ｅ＿ｃ" folds to "e_c": as a wildcard "_" would also find "cafe crashes".
    expect(await found('ｅ＿ｃ')).toEqual(['snake_case names']);
    // Full-width backslash folds to "\".
    expect(await found('Ｃ：＼ＤＡＴＡ')).toEqual(['path C:\\data\\backup missing']);
  });

  it('keeps other scripts, case rules and symbols as they were matched', async () => {
    // Greek: upper case, and the final sigma typed or not.
    for (const word of ['ΟΔΟΣ', 'οδος', 'οδοσ', 'ΟΔΌΣ']) expect([word, await found(word)]).toEqual([word, ['ΟΔΟΣ closed']]);
    expect(await found('日本語')).toEqual(['日本語の検索が遅い']);
    expect(await found('検索')).toEqual(['日本語の検索が遅い']);
    // The dotted capital I and the dotless i, typed either way.
    for (const word of ['istanbul', 'İSTANBUL', 'ayrılık', 'ayrilik', 'AYRILIK']) expect([word, await found(word)]).toEqual([word, ['İstanbul ofisi ayrılık']]);
    expect(await found('🔥')).toEqual(['Emoji 🔥 in the title']);
    // Marks that are vowels or tell letters apart stay: one Hindi word does not find another,
    // and kana without the voicing mark is another kana.
    expect(await found('किताब')).toEqual([]);
    expect(await found('कुतुब')).toEqual(['कुतुब मीनार']);
    expect(await found('か')).toEqual([]);
    expect(await found('が')).toEqual(['日本語の検索が遅い', 'がっこう']);
    // Keys and numbers as before.
    expect(await found('acc-108')).toEqual(['500 errors on upload']);
    expect(await found('#0101')).toEqual(['cafe menu is empty']);
  });

  it('stores the folded summary with every write', async () => {
    const rows = await select('SELECT summary_folded FROM docs WHERE id IN (?, ?, ?) ORDER BY id', ['100', '104', '111']);
    expect(rows.map((r) => r['summary_folded'])).toEqual(['cafe crashes on start', 'strasse field too short', 'οδοσ closed']);
    // An edit writes the new summary's fold.
    await upsertDocs([{ ...doc(1, 'Cafétéria menu is empty'), updatedMs: 3000 }]);
    expect(await found('cafeteria')).toEqual(['Cafétéria menu is empty']);
    await upsertDocs([{ ...doc(1, SUMMARIES[1] ?? ''), updatedMs: 4000 }]);
  });

  it('matches rows without the folded form as written, until the backfill folds them', async () => {
    const old = ['Ancien café fermé', 'Ancienne crème brûlée', 'Ancient naïve résumé'];
    await upsertDocs(old.map((s, i) => doc(50 + i, s)));
    // As stored before the column existed.
    await execute("UPDATE docs SET summary_folded = NULL WHERE summary LIKE 'Ancien%'");
    expect(await found('café')).toEqual(['Café crashes on start', 'cafe menu is empty', 'Naïve café integration', 'Ancien café fermé']);
    expect(await found('CAFÉ')).toContain('Ancien café fermé');
    expect(await found('ancien')).toEqual(old);
    expect(await found('ancien-cafe')).toEqual([]);
    expect(await found('ancien-café')).toEqual(['Ancien café fermé']);
    // Not folded yet: a word without the accent does not find it.
    expect(await found('cafe')).not.toContain('Ancien café fermé');
    expect(await found('creme')).toEqual([]);

    // Bounded: the first two rows by id, then the rest; a folded row is left as it is.
    await execute("UPDATE docs SET summary_folded = 'kept as written' WHERE id = '152'");
    expect(await backfillSummaryFolded({ maxRows: 1 })).toEqual({ read: 1, finished: false });
    expect(await found('creme')).toEqual([]);
    expect(await found('cafe')).toContain('Ancien café fermé');
    expect(await backfillSummaryFolded({ pageSize: 1 })).toEqual({ read: 1, finished: true });
    expect(await found('creme')).toEqual(['Ancienne crème brûlée']);
    expect(await found('kept')).toEqual(['Ancient naïve résumé']);
    expect(await backfillSummaryFolded()).toEqual({ read: 0, finished: true });
  });

  it('leaves a summary whose folded form does not fit unfolded, and finds it as written', async () => {
    // Each "ﷺ" folds to 18 characters: 100 of them do not fit the 1,020 of the column.
    const long = `${'\ufdfa'.repeat(100)} ligature`;
    expect(foldForSearch(long).length).toBeGreaterThan(1020);
    await upsertDocs([doc(60, long)]);
    const rows = await select("SELECT summary_folded FROM docs WHERE id = '160'");
    expect(rows[0]?.['summary_folded']).toBeNull();
    expect(await found('LIGATURE')).toEqual([long]);
  });

  it('folds the summaries stored before the column when the migration adds it', async () => {
    // The schema as it was before v014, the rows as they were stored then.
    await forge.sql.query('ALTER TABLE docs DROP COLUMN summary_folded');
    await forge.sql.query("DELETE FROM __migrations WHERE name = 'v014-docs-summary-folded'");
    expect(await migrate()).toEqual(['v014-docs-summary-folded']);
    expect(await found('cafe')).toEqual(['Café crashes on start', 'cafe menu is empty', 'Naïve café integration', 'Ancien café fermé']);
    expect(await found('brulee')).toEqual(['Ancienne crème brûlée']);
    // Only the one too long folded is left without.
    expect(await select('SELECT id FROM docs WHERE summary_folded IS NULL')).toEqual([{ id: '160' }]);
  });

  it('goes on folding at a later migration pass what an earlier one left, and leaves it to those passes, not to a request', async () => {
    // Rows left unfolded (a pass cut short by its bound, or one that failed after adding the column).
    await forge.sql.query("UPDATE docs SET summary_folded = NULL WHERE id IN ('101', '102')");
    // The lazy call from a request only puts the schema in place.
    await migrate({ backfill: false });
    expect(await select("SELECT id FROM docs WHERE summary_folded IS NULL ORDER BY id")).toEqual([{ id: '101' }, { id: '102' }, { id: '160' }]);
    // A pass whose deadline leaves no time for it (the lifecycle's 25 s spent) leaves the fold to the next.
    expect(await migrate({ deadlineMs: Date.now() + 400 })).toEqual([]);
    expect(await select("SELECT id FROM docs WHERE summary_folded IS NULL ORDER BY id")).toEqual([{ id: '101' }, { id: '102' }, { id: '160' }]);
    // The next pass of the lifecycle or the schedule applies nothing, and still folds them.
    expect(await migrate()).toEqual([]);
    expect(await select('SELECT id FROM docs WHERE summary_folded IS NULL')).toEqual([{ id: '160' }]);
  });
});
