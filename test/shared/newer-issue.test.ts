import { duplicateByDefault, filedAfter, resolvedAsDuplicate } from '../../src/shared/newer-issue';

describe('filedAfter', () => {
  it('goes by creation time first', () => {
    expect(filedAfter({ id: '1', createdMs: 2_000 }, { id: '9', createdMs: 1_000 })).toBe(true);
    expect(filedAfter({ id: '9', createdMs: 1_000 }, { id: '1', createdMs: 2_000 })).toBe(false);
  });

  it('breaks a tie by the larger numeric id, compared as numbers (10 after 9)', () => {
    expect(filedAfter({ id: '10', createdMs: 5 }, { id: '9', createdMs: 5 })).toBe(true);
    expect(filedAfter({ id: '9', createdMs: 5 }, { id: '10', createdMs: 5 })).toBe(false);
    // Not numeric: plain string order, still one answer for each order of the two.
    expect(filedAfter({ id: 'b', createdMs: 5 }, { id: 'a', createdMs: 5 })).toBe(true);
    expect(filedAfter({ id: 'a', createdMs: 5 }, { id: 'b', createdMs: 5 })).toBe(false);
  });
});

describe('duplicateByDefault', () => {
  const older = { id: '1', createdMs: 1_000 };
  const newer = { id: '2', createdMs: 2_000 };

  it('makes the newer issue the duplicate when neither, or both, were closed as duplicates', () => {
    expect(duplicateByDefault(newer, older)).toBe(true);
    expect(duplicateByDefault(older, newer)).toBe(false);
    expect(duplicateByDefault({ ...newer, resolution: 'Fixed' }, { ...older, resolution: "Won't Do" })).toBe(true);
    expect(duplicateByDefault({ ...newer, resolution: 'Duplicate' }, { ...older, resolution: 'Duplicate' })).toBe(true);
  });

  it('makes the one Jira closed as a duplicate the duplicate, even when it was filed first', () => {
    expect(duplicateByDefault({ ...older, resolution: 'Duplicate' }, newer)).toBe(true);
    expect(duplicateByDefault(newer, { ...older, resolution: 'Duplicate' })).toBe(false);
    expect(duplicateByDefault({ ...older, resolution: ' duplicated ' }, { ...newer, resolution: 'Fixed' })).toBe(true);
  });

  it('reads only a resolution that says duplicate, in any case', () => {
    expect(['Duplicate', 'DUPLICATE', 'duplicated'].map(resolvedAsDuplicate)).toEqual([true, true, true]);
    expect(['', 'Fixed', 'Not a duplicate', 'Duplicate of X', null, undefined].map(resolvedAsDuplicate)).toEqual([false, false, false, false, false, false]);
  });
});
