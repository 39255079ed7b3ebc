/** Pairs that read alike but name other versions, branches or issues are at most related. */
import { namesOtherWork, otherWorkNote, summaryMarks, tierFor, withWorkTiers } from '../../src/analysis/other-work';

const KEYS = new Set(['HADOOP', 'SHOP']);

describe('summary marks', () => {
  it('finds versions, branches and issue keys of analysed projects, nothing else', () => {
    const m = summaryMarks('Backport HADOOP-17371 to branch-3.2 and upgrade jackson to v2.9.10.3 (UTF-8, HDFS-12, Centos 7)', KEYS);
    expect([...m.versions]).toEqual(['2.9.10.3']);
    expect([...m.branches]).toEqual(['branch-3.2']);
    expect([...m.keys]).toEqual(['HADOOP-17371']);
    expect(summaryMarks('Checkout fails with payment gateway timeout', KEYS)).toEqual({ versions: new Set(), branches: new Set(), keys: new Set() });
  });
});

describe('namesOtherWork', () => {
  const cases: Array<[string, string, boolean]> = [
    ['Upgrade jackson-databind to 2.9.10.3', 'Upgrade jackson-databind to 2.9.10.4', true],
    ['Upgrade to JQuery 3.5.1', 'Upgrade to JQuery 3.6.0', true],
    ['Backport to branch-3.2 HADOOP-17371', 'Backport to branch-3.1 HADOOP-17371', true],
    ['Backport HADOOP-17653 for branch-3.2', 'Backport HADOOP-18671 to branch-3.2', true],
    // The same release, or one side naming none: the text decides, as before.
    ['NPE in FileSystem on 3.3.1', 'FileSystem throws NPE on 3.3.1', false],
    ['Upgrade jackson-databind to 2.9.10.3', 'Upgrade jackson-databind', false],
    ['Dockerfile for building on Centos 7', 'Dockerfile for building on Centos 8', false],
    ['Checkout fails with payment gateway timeout', 'Payment gateway timeout during checkout', false],
  ];
  it.each(cases)('%s / %s → %s', (a, b, expected) => {
    expect(namesOtherWork(a, b, KEYS)).toBe(expected);
    expect(namesOtherWork(b, a, KEYS)).toBe(expected);
  });

  it('says in a sentence what differs, exactly when the rule applies', () => {
    for (const [a, b, expected] of cases) expect([a, b, otherWorkNote(a, b, KEYS) !== null]).toEqual([a, b, expected]);
    expect(otherWorkNote(cases[0]![0], cases[0]![1], KEYS)).toBe('The summaries name different versions: 2.9.10.3 and 2.9.10.4.');
    expect(otherWorkNote(cases[2]![0], cases[2]![1], KEYS)).toBe('The summaries name different branches: branch-3.2 and branch-3.1.');
    expect(otherWorkNote(cases[3]![0], cases[3]![1], KEYS)).toBe('The summaries name different issue keys: HADOOP-17653 and HADOOP-18671.');
  });

  it('turns such a possible duplicate into a related pair, and leaves every other pair as it was', () => {
    expect(tierFor('duplicate', cases[0]![0], cases[0]![1], KEYS)).toBe('related');
    expect(tierFor('related', cases[0]![0], cases[0]![1], KEYS)).toBe('related');
    expect(tierFor('duplicate', cases[4]![0], cases[4]![1], KEYS)).toBe('duplicate');
    const summaries = new Map([['1', cases[0]![0]], ['2', cases[0]![1]], ['3', cases[4]![0]], ['4', cases[4]![1]]]);
    const pairs = [
      { a: '1', b: '2', score: 0.8, tier: 'duplicate' as const },
      { a: '3', b: '4', score: 0.7, tier: 'duplicate' as const },
    ];
    expect(withWorkTiers(pairs, (id) => summaries.get(id), KEYS).map((p) => [p.score, p.tier])).toEqual([
      [0.8, 'related'],
      [0.7, 'duplicate'],
    ]);
  });
});
