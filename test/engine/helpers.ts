import fc from 'fast-check';
import { extractTerms, type DocTerms, type IssueText } from '../../src/engine';

/** A small vocabulary so generated issues overlap (and some terms look like identifiers). */
export const WORDS = [
  'namenode', 'datanode', 'timeout', 'upgrade', 'jetty', 'constructor', 'prototype', 'toString',
  'FileSystem', 'S3AFileSystem', 'hadoop-3.3.1', 'NPE', 'retry', 'cache', 'kerberos', 'token',
  'block', 'report', 'lease', 'écriture', '错误信息', 'yarn', 'queue', 'memory', 'leak', '__proto__',
];

export const issueArb: fc.Arbitrary<IssueText> = fc.record({
  summary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
  description: fc.array(fc.constantFrom(...WORDS), { maxLength: 20 }).map((w) => w.join(' ')),
  labels: fc.array(fc.constantFrom('perf', 'security', 'build'), { maxLength: 2 }),
}).map((r) => ({ id: '', ...r }));

/** Issues with distinct ids "i0", "i1", ... */
export const docsArb = (min: number, max: number): fc.Arbitrary<DocTerms[]> =>
  fc.array(issueArb, { minLength: min, maxLength: max }).map((issues) =>
    issues.map((issue, i) => extractTerms({ ...issue, id: `i${i}` })),
  );
