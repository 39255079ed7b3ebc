/** The export's pages joined in the browser: records told apart as the server writes them, each pair once. */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvRow } from '../../src/shared/csv';
import { csvPages, csvRecords, firstCell } from '../../static/project-page/csv-pages';

const HEADER = csvRow(['Pair', 'Score', 'Summary A']);

describe('csvRecords and firstCell', () => {
  it('split at line ends outside quotes only, and read the first cell back as written', () => {
    // Cells as summaries may hold them: quotes, commas, line ends, formula starts.
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', '=', '-', 'é', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 }), (rows) => {
        const text = rows.map((r) => csvRow(r)).join('');
        const records = csvRecords(text);
        expect(records).toEqual(rows.map((r) => csvRow(r)));
        const parsed: string[][] = rows.length === 0 ? [] : parse(text, { relax_column_count: true });
        expect(records.map(firstCell)).toEqual(parsed.map((r) => r[0]));
      }),
    );
  });

  it('keeps a last record without a line end', () => {
    expect(csvRecords('a,b\r\n"c\r\nd",e')).toEqual(['a,b\r\n', '"c\r\nd",e']);
    expect(firstCell('"c\r\n""d""",e')).toBe('c\r\n"d"');
  });
});

describe('csvPages', () => {
  it('takes the header from the first page only, and lists a pair that comes again once, where it first came, with its later cells', () => {
    const file = csvPages();
    file.add(HEADER + csvRow(['1-2', '0.900', 'Checkout, slow']) + csvRow(['1-3', '0.800', 'Cart']));
    file.add(csvRow(['4-5', '0.700', '=SUM(A1)']) + csvRow(['1-2', '0.950', 'Checkout, "very" slow']));
    file.add('');
    file.add(csvRow(['1-3', '0.800', 'Cart\r\npage']));
    expect(file.rows).toBe(3);
    const records: string[][] = parse(file.parts().join(''));
    expect(records).toEqual([
      ['Pair', 'Score', 'Summary A'],
      ['1-2', '0.950', 'Checkout, "very" slow'],
      ['1-3', '0.800', 'Cart\r\npage'],
      ['4-5', '0.700', "'=SUM(A1)"],
    ]);
  });

  it('gives a header alone for an export of nothing', () => {
    const file = csvPages();
    file.add(HEADER);
    expect([file.rows, file.parts()]).toEqual([0, [HEADER]]);
  });
});
