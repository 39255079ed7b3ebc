import fc from 'fast-check';
import { tokenize, extractTerms } from '../../src/engine';

describe('tokenize', () => {
  it('keeps identifiers whole and splits them into stemmed parts', () => {
    const terms = tokenize('NativeAzureFsOutputStream max_retry_count org.apache.hadoop.fs.FileSystem');
    expect(terms).toEqual(expect.arrayContaining(['nativeazurefsoutputstream', 'azur', 'output', 'stream']));
    expect(terms).toEqual(expect.arrayContaining(['max_retry_count', 'max', 'retri', 'count']));
    expect(terms).toEqual(expect.arrayContaining(['org.apache.hadoop.fs.filesystem', 'filesystem', 'file', 'system']));
  });

  it('gives a camelCase name and its plain spelling the same term', () => {
    expect(tokenize('ZooKeeper')).toContain(tokenize('Zookeeper')[0]);
  });

  it('adds the initials of multi-word identifiers', () => {
    expect(tokenize('AzureBlobFileSystem')).toContain(tokenize('ABFS')[0]);
    expect(tokenize('NullPointerException')).toContain('npe');
  });

  it('handles versions, issue keys, URLs and stack frames deliberately', () => {
    expect(tokenize('upgrade to 3.8.2')).toEqual(expect.arrayContaining(['3.8.2', '3.8']));
    expect(tokenize('see HDFS-6440')).toEqual(expect.arrayContaining(['hdfs-6440', 'hdfs']));
    const url = tokenize('https://issues.example.org/jira/browse/CVE-2022-2047');
    expect(url).toContain('cve-2022-2047');
    expect(url.some((t) => t.includes('example'))).toBe(false); // hosts are boilerplate
    // the line number of a frame varies between reports of one bug
    expect(tokenize('at Foo.bar(Foo.java:123)')).not.toContain('foo.java:123');
    const frame = extractTerms({ id: 'f', summary: 's', description: '\tat org.x.Foo.bar(Foo.java:123)' });
    expect((frame.fields.code ?? []).map(([t]) => t)).not.toContain('123');
  });

  it('keeps short numbers in prose, one digit too ("Centos 7" is not "Centos 8"), and drops them in code', () => {
    expect(tokenize('Dockerfile for building on Centos 7')).toContain('7');
    expect(tokenize('HTTP 503 from the gateway')).toContain('503');
    expect(tokenize('a 1234567 long counter')).not.toContain('1234567');
    const code = extractTerms({ id: 'c', summary: 's', description: '{code}retries = 3{code}' });
    expect((code.fields.code ?? []).map(([t]) => t)).not.toContain('3');
  });

  it('is Unicode-aware: accents fold, CJK becomes bigrams, emoji do not break words', () => {
    expect(tokenize('café')).toEqual(tokenize('cafe'));
    expect(tokenize('数据节点错误')).toEqual(expect.arrayContaining(['数据', '据节', '节点']));
    expect(tokenize('crash🔥reported')).toEqual(expect.arrayContaining(['crash', 'report']));
  });

  it('drops stop words, but never drops a visible text to nothing', () => {
    expect(tokenize('the cache of the node')).not.toContain('the');
    expect(tokenize('the').length).toBeGreaterThan(0);
    expect(tokenize('!!! ???').length).toBeGreaterThan(0);
    expect(tokenize('🔥🔥').length).toBeGreaterThan(0);
  });

  it('never throws and keeps every non-blank text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const terms = tokenize(text);
        if (text.trim().length > 0) expect(terms.length).toBeGreaterThan(0);
        for (const t of terms) expect(t).not.toMatch(/\s/);
      }),
      { numRuns: 300 },
    );
  });

  it('extracts every field of an issue without throwing on any field content', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.anything(), (summary, description) => {
        const doc = extractTerms({ id: 'x', summary, description });
        if (summary.trim().length > 0) expect(doc.fields.summary?.length ?? 0).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('handles a term named like an Object.prototype property', () => {
    const doc = extractTerms({ id: 'p', summary: 'constructor __proto__ hasOwnProperty toString' });
    const terms = (doc.fields.summary ?? []).map(([t]) => t);
    expect(terms).toEqual(expect.arrayContaining(['constructor', '__proto__']));
  });
});
