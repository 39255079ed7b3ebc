/** Pairs that read alike but name other versions, branches or issues are at most related. */
import { differingNames, namesOtherWork, otherWorkNote, summaryMarks, tierFor, withWorkTiers } from '../../src/analysis/other-work';

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
    // A lowest version, a range, or the version moved away from names no one release.
    ['Update Bouncy Castle to 1.68 or later', 'Upgrade BouncyCastle to 1.69', false],
    ['Update protobuf 3.7.1 to a version without CVE-2021-22569', 'Upgrade protobuf to 3.15.0 or newer', false],
    ['Support aws-java-sdk-bundle with version greater than 1.12.220', 'Upgrade aws-java-sdk-bundle to 1.12.262', false],
    ['Upgrade aws-java-sdk to 1.12.367+', 'Upgrade aws-java-sdk to 1.12.499', false],
    ['Über-jira: S3A Hadoop 3.3.2 features', 'Über-jira: S3A Hadoop 3.3.9-3.4.1 features', false],
    ['Bump jettison from 1.5.3 to 1.5.4', 'Upgrade jettison to 1.5.3', true],
    // Trailing zero parts name the same release.
    ['Upgrade Axios to 1.6', 'Upgrade Axios to 1.6.0', false],
    ['Upgrade Axios to 1.6', 'Upgrade Axios to 1.7.0', true],
    // A target after "to" is one, Final or not.
    ['Upgrade Netty version to 4.1.45.Final to handle a CVE', 'Update Netty to 4.1.46Final', true],
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

describe('differingNames: sibling tasks made from one template', () => {
  const siblings: Array<[string, string, [string[], string[]]]> = [
    ["Replace Guava Sets usage by Hadoop's own Sets in hadoop-hdfs-project", "Replace Guava Sets usage by Hadoop's own Sets in hadoop-yarn-project", [['hadoop-hdfs-project'], ['hadoop-yarn-project']]],
    // A word more on one side ("directly"), and a capital at the start, change nothing.
    ['Replace with HashSet/TreeSet constructor in Hadoop-common-project', 'replace with HashSet/TreeSet constructor directly in hadoop-yarn-project', [['Hadoop-common-project'], ['hadoop-yarn-project']]],
    ['Keep restrict-imports-enforcer-rule for Guava Sets in hadoop-main pom', 'Keep restrict-imports-enforcer-rule for Guava Lists in hadoop-main pom', [['Sets'], ['Lists']]],
    ['implement non-guava Precondition checkArgument', 'implement non-guava Precondition checkState', [['checkArgument'], ['checkState']]],
    ['Handle memory fragmentation in S3 Vectored IO implementation.', 'Memory fragmentation in ChecksumFileSystem Vectored IO implementation.', [['S3'], ['ChecksumFileSystem']]],
    ['Login button does nothing in Safari', 'Login button does nothing in Firefox', [['Safari'], ['Firefox']]],
    // Short summaries are not title case for one capital; names that differ only in their end are two names.
    ['Login fails on Safari', 'Login fails on Firefox', [['Safari'], ['Firefox']]],
    ['Replace Foo usage in module-a', 'Replace Foo usage in module-b', [['module-a'], ['module-b']]],
  ];
  it.each(siblings)('%s / %s', (a, b, names) => {
    expect(differingNames(a, b)).toEqual(names);
    expect(differingNames(b, a)).toEqual([names[1], names[0]]);
    expect(namesOtherWork(a, b, KEYS)).toBe(true);
    expect(tierFor('duplicate', a, b, KEYS)).toBe('related');
  });

  const notSiblings: Array<[string, string]> = [
    // Two spellings of one word.
    ['ABFS: Test failure ITestAbfsNetworkStatistics#testAbfsHttpResponseStatistics', 'ABFS: Testcase failure ITestAbfsNetworkStatistics#testAbfsHttpResponseStatistics'],
    ['Replace HTrace with NoOp tracer', 'Replace HTrace with No-Op tracer'],
    ['upgrade to snappy-java 1.1.10.1 due to CVEs', 'upgrade snappy-java to 1.1.10.1 due to CVE'],
    // Plain words differ: the text decides.
    ['App crashes on login', 'App freezes on login'],
    ['Add some rpc related metrics to Metrics.md', 'Add some datanode related metrics to Metrics.md'],
    // Title case: a capital says nothing there.
    ['Login Page Crashes On Submit', 'Login Page Freezes On Submit'],
    // Reordered, or the names in different places.
    ['NPE in FileSystem on startup', 'FileSystem throws NPE on startup'],
    ['upgrade avro in hadoop-thirdparty to 1.11.3', 'upgrade avro to 1.11.3 due to CVE'],
    // A reference may be the very thing the other summary says in words.
    ['Backport S3A prefetching stream to branch-3.3', 'Backport HADOOP-18671 to branch-3.3'],
    ['upgrade to jettison 1.5.3 to fix CVE-2022-40150', 'Bump jettison from 1.5.3 to 1.5.4 in /hadoop-project'],
    // Lone numbers, too little in common, or nothing differing.
    ['Dockerfile for building on Centos 7', 'Dockerfile for building on Centos 8'],
    ['Upgrade Jetty', 'Upgrade Netty'],
    ['Checkout fails with payment gateway timeout', 'Payment gateway timeout during checkout'],
    ['Same summary', 'Same summary'],
    ['', 'Login button does nothing in Firefox'],
  ];
  it.each(notSiblings)('%s / %s: not siblings', (a, b) => {
    expect(differingNames(a, b)).toBeNull();
    expect(differingNames(b, a)).toBeNull();
  });

  it('says what each names, and keeps the marks first', () => {
    expect(otherWorkNote(siblings[0]![0], siblings[0]![1], KEYS)).toBe('The summaries are the same but for what each names: hadoop-hdfs-project and hadoop-yarn-project.');
    expect(otherWorkNote('Upgrade jackson-databind in hadoop-common to 2.9.10.3', 'Upgrade jackson-databind in hadoop-tools to 2.9.10.4', KEYS)).toBe('The summaries name different versions: 2.9.10.3 and 2.9.10.4.');
  });

  it('never throws on odd text', () => {
    for (const [a, b] of [['🚀🚀 deploy Ünïcödé-名前 fails', '🚀🚀 deploy Ascii-名前 fails'], ['\u0000\ud800 x', 'y'], ['a'.repeat(100_000), 'b'.repeat(100_000)]] as const) {
      expect(() => differingNames(a, b)).not.toThrow();
    }
  });
});
