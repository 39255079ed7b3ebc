/** The queue's filters as the page sends them: score bounds typed in whole percents cover the scores shown as them. */
import { percent } from '../../src/shared/wording';
import { activeFilterCount, DEFAULT_FILTERS, scoreBound, toPairFilters, restoreFilters } from '../../static/project-page/filters';

describe('queue score filter', () => {
  it('a whole-percent range keeps exactly the scores shown within it', () => {
    const f = toPairFilters({ ...DEFAULT_FILTERS, minPct: '45', maxPct: '45' }, 'pending', 'SHOP');
    const kept = (score: number) => score >= (f.minScore ?? 0) && score <= (f.maxScore ?? 1);
    for (let i = 0; i <= 10_000; i++) {
      const score = i / 10_000;
      expect([score, kept(score)]).toEqual([score, percent(score) === '45%']);
    }
  });

  it('takes bounds with decimals as typed, and keeps 0 and 100 inside 0..1', () => {
    expect(scoreBound('45.5', 'min')).toBeCloseTo(0.455, 10);
    expect(scoreBound('0', 'min')).toBe(0);
    expect(scoreBound('100', 'max')).toBe(1);
    expect(scoreBound('', 'max')).toBeUndefined();
    expect(scoreBound('abc', 'min')).toBeUndefined();
    // An impossible range is not sent at all.
    expect(toPairFilters({ ...DEFAULT_FILTERS, minPct: '60', maxPct: '40' }, 'pending', undefined)).toEqual({ status: 'pending' });
  });
});

describe('leaving out pairs whose issues are both done', () => {
  it('is sent only when asked for, and counts as a filter', () => {
    expect(toPairFilters(DEFAULT_FILTERS, 'pending', 'SHOP')).toEqual({ status: 'pending', projectKey: 'SHOP' });
    expect(toPairFilters({ ...DEFAULT_FILTERS, openOnly: true }, 'pending', 'SHOP')).toEqual({ status: 'pending', projectKey: 'SHOP', openOnly: true });
    expect(activeFilterCount({ ...DEFAULT_FILTERS, openOnly: true })).toBe(1);
    expect(activeFilterCount(DEFAULT_FILTERS)).toBe(0);
  });
});

describe('filters read back from the session', () => {
  it('keeps each field that has its shape and gives the default for the others', () => {
    const kept = { search: 'netty', tier: 'related', types: ['Bug'], statusCategories: ['done'], openOnly: true, minPct: '45', maxPct: '99.5', sort: 'created', order: 'asc' };
    expect(restoreFilters(kept)).toEqual(kept);
    expect(restoreFilters({ search: 7, tier: 'maybe', types: 'Bug', statusCategories: ['done', 'later'], openOnly: 'yes', minPct: '1e9', maxPct: '<b>', sort: 'random', order: 'up' })).toEqual({
      ...DEFAULT_FILTERS,
      statusCategories: ['done'],
    });
    expect(restoreFilters({ search: 'x'.repeat(201) })?.search).toBe('');
    for (const raw of [null, 'likely', 3, undefined]) expect(restoreFilters(raw)).toBeNull();
  });
});
