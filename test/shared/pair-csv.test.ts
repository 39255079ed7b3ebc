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
