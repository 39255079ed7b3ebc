import { keyList, percent, plural } from '../../src/shared/wording';

describe('wording shared by the server and the pages', () => {
  it('names project keys as a sentence does, and counts them from five on, never "and 1 more"', () => {
    expect(keyList([])).toBe('');
    expect(keyList(['SHOP'])).toBe('SHOP');
    expect(keyList(['SHOP', 'MOB'])).toBe('SHOP and MOB');
    expect(keyList(['A', 'B', 'C'])).toBe('A, B and C');
    expect(keyList(['A', 'B', 'C', 'D'])).toBe('A, B, C and D');
    expect(keyList(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C and 2 more');
    expect(keyList(['A', 'B', 'C'], 1)).toBe('A and 2 more');
  });

  it('counts with the right plural and shows scores as percentages', () => {
    expect(plural(1, 'project')).toBe('1 project');
    expect(plural(3, 'project')).toBe('3 projects');
    expect(percent(0.377)).toBe('38%');
    expect(percent(Number.NaN)).toBe('–');
  });
});
