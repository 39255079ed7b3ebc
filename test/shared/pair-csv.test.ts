import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { z } from 'zod';
import { csvLine } from '../../src/shared/csv';
import { pairCells, SHARED_TERMS_SEPARATOR } from '../../src/shared/pair-csv';

describe('pairCells (the cells export.csv and analyze --out share)', () => {
  const pair = { keyA: 'SHOP-1', keyB: 'SHOP-2', score: 0.44996, tier: 'related' as const, sharedTerms: ['PayPal', 'e.g., checkout', '=SUM(A1)'], otherWork: null };

  it('cuts the score to the places asked for, never rounding it up to a threshold', () => {
    expect(pairCells(pair, 3).score).toBe('0.449');
    expect(pairCells(pair, 4).score).toBe('0.4499');
    expect(pairCells({ ...pair, score: 0.99996 }, 4).score).toBe('0.9999');
    expect(pairCells({ ...pair, score: 1 }, 4).score).toBe('1.0000');
  });

  it('joins shared terms with "; " and writes no note as an empty cell', () => {
    const cells = pairCells(pair, 3);
    expect(SHARED_TERMS_SEPARATOR).toBe('; ');
    expect(cells.sharedTerms).toBe('PayPal; e.g., checkout; =SUM(A1)');
    expect(cells.otherWork).toBe('');
    expect(pairCells({ ...pair, otherWork: 'The summaries name different versions: 2.9.10.3 and 2.9.10.4.' }, 3).otherWork).toBe(
      'The summaries name different versions: 2.9.10.3 and 2.9.10.4.',
    );
    // Written through csvLine, as both files write them: quoted where needed, a formula made text.
    expect(csvLine([cells.keyA, cells.keyB, cells.score, cells.tier, cells.sharedTerms, cells.otherWork])).toBe('SHOP-1,SHOP-2,0.449,related,"PayPal; e.g., checkout; =SUM(A1)",');
    expect(csvLine([pairCells({ ...pair, sharedTerms: ['=SUM(A1)', 'x'] }, 3).sharedTerms])).toBe("'=SUM(A1); x");
  });
});

describe('the shared cells as both files write them, whatever the issues hold', () => {
  // A key from a Jira export read by analyze, a word or a note: text a spreadsheet would run
  // as a formula when it starts so. The keys the app writes come from Jira and start with a
  // letter, but analyze's come from any file.
  const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];
  const risky = fc.tuple(fc.constantFrom(...FORMULA_START), fc.string({ maxLength: 40, unit: 'grapheme' })).map(([first, rest]) => `${first}${rest}`);
  const text = fc.oneof(risky, fc.string({ maxLength: 40, unit: 'grapheme' }));

  it('no cell starts as a formula, a risky one is kept whole behind a quote mark, and the tier is one of the two words', () => {
    fc.assert(
      fc.property(text, text, fc.array(text, { maxLength: 4 }), fc.option(risky), fc.constantFrom('duplicate' as const, 'related' as const), (keyA, keyB, sharedTerms, otherWork, tier) => {
        const cells = pairCells({ keyA, keyB, score: 0.5, tier, sharedTerms, otherWork }, 3);
        const values = [cells.keyA, cells.keyB, cells.score, cells.tier, cells.sharedTerms, cells.otherWork];
        const [row] = z.array(z.array(z.string())).parse(parse(csvLine(values)));
        expect(row).toHaveLength(values.length);
        row!.forEach((cell, i) => {
          const raw = values[i]!;
          expect(cell).toBe(FORMULA_START.includes(raw.charAt(0)) ? `'${raw}` : raw);
          expect(FORMULA_START).not.toContain(cell.charAt(0));
        });
        expect(['duplicate', 'related']).toContain(row![3]);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});
