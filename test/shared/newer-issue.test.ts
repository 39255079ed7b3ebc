import { filedAfter } from '../../src/shared/newer-issue';

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
