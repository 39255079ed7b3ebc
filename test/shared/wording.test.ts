import { FORMER_USER, FORMER_USER_NAME, keyList, nameAtStart, percent, plural } from '../../src/shared/wording';

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
    expect(percent(0.377)).toBe('37%');
    expect(percent(Number.NaN)).toBe('–');
  });

  it('rounds scores down, so a score shown as a threshold\'s percent is never below it', () => {
    // 0.4454 is below a 45% threshold (related): it must not read "45%".
    expect(percent(0.4454)).toBe('44%');
    expect(percent(0.45)).toBe('45%');
    expect(percent(0.29 + 0.16)).toBe('45%'); // 0.44999999999999996 in floating point
    expect(percent(1)).toBe('100%');
    expect(percent(1.2)).toBe('100%');
    expect(percent(-0.1)).toBe('0%');
    for (let t = 0; t <= 100; t++) {
      const threshold = t / 100;
      for (const score of [threshold - 1e-4, threshold - 1e-7, threshold, threshold + 1e-4]) {
        if (score < 0 || score > 1) continue;
        const shown = Number(percent(score).replace('%', ''));
        // Shown at or above the threshold's percent only when at (within float noise) or above it.
        expect([score, shown >= t]).toEqual([score, score >= threshold - 1e-8]);
      }
    }
  });

  it('names a closed account in the words of a sentence, with a capital only where it begins one', () => {
    expect(FORMER_USER_NAME).toBe('a former user');
    // The stored marker is never shown: it is no name.
    expect(FORMER_USER_NAME).not.toBe(FORMER_USER);
    expect(nameAtStart(FORMER_USER_NAME)).toBe('A former user');
    // A name from Jira is shown as its owner wrote it, lower case included.
    expect(nameAtStart('danah boyd')).toBe('danah boyd');
    expect(nameAtStart('דנה לוי')).toBe('דנה לוי');
    expect(nameAtStart('')).toBe('');
  });
});
