import { isLockConflict, isMissingSchema } from '../../src/store/db';

describe('isLockConflict (statements retried in place)', () => {
  it('knows deadlocks and write conflicts by message or by errno', () => {
    expect(isLockConflict({ code: 'SQL_EXECUTION_ERROR', message: 'Deadlock found when trying to get lock; try restarting transaction' })).toBe(true);
    expect(isLockConflict({ code: 'SQL_EXECUTION_ERROR', message: 'Write conflict, txnStartTS=1, conflictStartTS=2, conflictCommitTS=3 [try again later]' })).toBe(true);
    expect(isLockConflict({ code: 'SQL_EXECUTION_ERROR', message: 'failed', context: { debug: { errno: 1213 } } })).toBe(true);
    expect(isLockConflict({ code: 'SQL_EXECUTION_ERROR', message: 'failed', context: { debug: { errno: 9007 } } })).toBe(true);
  });

  it('leaves other failures to the caller', () => {
    // Already waited its full time: running it again would only wait again.
    expect(isLockConflict({ code: 'SQL_EXECUTION_ERROR', message: 'Lock wait timeout exceeded; try restarting transaction' })).toBe(false);
    expect(isLockConflict({ code: 'QUERY_TIMED_OUT', message: 'The query timed out' })).toBe(false);
    expect(isLockConflict({ code: 'SQL_EXECUTION_ERROR', message: 'failed', context: { debug: { errno: 12130 } } })).toBe(false);
    expect(isLockConflict(new Error("Table 'test.docs' doesn't exist"))).toBe(false);
    expect(isLockConflict(null)).toBe(false);
    expect(isMissingSchema(new Error("Table 'test.docs' doesn't exist"))).toBe(true);
  });
});
