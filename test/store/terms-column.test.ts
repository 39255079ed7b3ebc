/** The docs.terms column: long encoded terms are stored deflated, and every stored form reads back. */
import { deflateRawSync } from 'node:zlib';
import { LocalForge } from '../../sandbox/runtime';
import { descriptionWords } from '../../src/analysis/surface-words';
import { encodeTerms, extractTerms, TermExtractor } from '../../src/engine';
import { getScopeDocsByIds, streamScopeDocs, upsertDocs, type DocWrite } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import {
  fromTermsColumn,
  fromWordsColumn,
  MIN_DEFLATE_LENGTH,
  MIN_PACKED_WORDS_LENGTH,
  TermsColumnError,
  toTermsColumn,
  toWordsColumn,
} from '../../src/store/terms-column';
import { pipelineHandlers } from '../analysis/helpers';

const ISSUE = {
    id: '1',
    summary: 'NameNode fails to start after upgrade: NullPointerException in FSImage loading',
    description:
      'After upgrading to 3.3.6 the NameNode exits during startup.\n{code}\njava.lang.NullPointerException\n\tat org.apache.hadoop.hdfs.server.namenode.FSImageFormatPBINode.load(FSImageFormatPBINode.java:312)\n{code}\nSeen on two clusters; rolling back to 3.3.5 works. Café, naïve, 日本語, emoji 🔥 and a %-sign * and | too.\n' +
      'The edit log replay stops at the first INodeDirectory section written by the new layout version; the SecondaryNameNode checkpoint from before the upgrade loads, so the image writer is the suspect. Workaround: start with -rollingUpgrade rollback and keep dfs.namenode.checkpoint.period at its default until fixed.',
};
const DOC = extractTerms(ISSUE);
const LONG = encodeTerms(DOC);

describe('terms column (pure)', () => {
  it('deflates long terms, keeps short ones as they are, and reads both back exactly', () => {
    expect(LONG.length).toBeGreaterThanOrEqual(MIN_DEFLATE_LENGTH);
    const stored = toTermsColumn(LONG);
    expect(stored.startsWith('z')).toBe(true);
    expect(stored.length).toBeLessThan(LONG.length);
    expect(fromTermsColumn(stored)).toBe(LONG);
    expect(toTermsColumn('d1\ns abc')).toBe('d1\ns abc');
    const below = LONG.slice(0, MIN_DEFLATE_LENGTH - 1);
    expect(toTermsColumn(below)).toBe(below);
    expect(fromTermsColumn('d1\ns abc')).toBe('d1\ns abc');
    expect(toTermsColumn('')).toBe('');
  });

  it('reads rows written before deflation (plain encoded text, long or short)', () => {
    expect(fromTermsColumn(LONG)).toBe(LONG);
  });

  it('rejects a damaged value and a value that would inflate past any real encoding', () => {
    expect(() => fromTermsColumn('z!!not base64 deflate!!')).toThrow(TermsColumnError);
    const bomb = 'z' + deflateRawSync(Buffer.alloc(4 * 1024 * 1024, 32)).toString('base64');
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => fromTermsColumn(bomb)).toThrow(TermsColumnError);
  });
});

/** The surface words the pipeline stores for LONG's issue. */
const WORDS = descriptionWords(DOC, ISSUE.description, new TermExtractor());

describe('words column (pure)', () => {
  it('packs words against their terms, smaller than the words deflated alone, and reads them back exactly', () => {
    const stored = toWordsColumn(WORDS, LONG);
    expect(stored.startsWith('=')).toBe(true);
    expect(fromWordsColumn(stored, LONG)).toBe(WORDS);
    // The terms as a dictionary are what makes it pay: alone, the same words deflate less.
    const alone = deflateRawSync(Buffer.from(WORDS), { level: 9 }).toString('base64').length;
    expect(stored.length).toBeLessThan(alone);
    expect(stored.length).toBeLessThan(WORDS.length * 0.9);
  });

  it('keeps short lists, and lists with no terms beside them, as they are; plain stored words read as they are', () => {
    const short = WORDS.slice(0, MIN_PACKED_WORDS_LENGTH - 1);
    expect(toWordsColumn(short, LONG)).toBe(short);
    expect(toWordsColumn(WORDS, '')).toBe(WORDS);
    expect(toWordsColumn('', LONG)).toBe('');
    expect(fromWordsColumn(WORDS, LONG)).toBe(WORDS);
    expect(fromWordsColumn('', LONG)).toBe('');
  });

  it('reads packed words that do not unpack (damaged, or terms changed outside the app) as no words', () => {
    const stored = toWordsColumn(WORDS, LONG);
    expect(fromWordsColumn('=!!not deflate!!', LONG)).toBe('');
    const other = fromWordsColumn(stored, 'd1\ns other terms entirely');
    expect(other === '' || other !== WORDS).toBe(true);
    const bomb = '=' + deflateRawSync(Buffer.alloc(1024 * 1024, 32)).toString('base64');
    expect(fromWordsColumn(bomb, LONG)).toBe('');
  });
});

describe('terms column (MariaDB)', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const doc = (id: string, terms: string | null): DocWrite => ({
    id,
    key: `A-${id}`,
    projectKey: 'A',
    type: 'Bug',
    status: 'Open',
    statusCategory: 'new',
    createdMs: 1000,
    updatedMs: 2000,
    summary: `summary ${id}`,
    textHash: `h${id}`,
    terms,
  });

  it('stores long terms deflated, reads every form back, and skips an unreadable row alone', async () => {
    await upsertDocs([doc('1', LONG), doc('2', 'd1\ns short')]);
    // A row as an earlier version wrote it, and one damaged outside the app.
    await upsertDocs([doc('3', 'x'), doc('4', 'x')]);
    await forge.sql.query('UPDATE docs SET terms = ? WHERE id = ?', [LONG, '3']);
    await forge.sql.query("UPDATE docs SET terms = 'zAAAA' WHERE id = '4'");
    const raw = (await forge.sql.query('SELECT id, terms FROM docs ORDER BY id')) as Array<{ id: string; terms: string }>;
    expect(raw[0]?.terms.startsWith('z')).toBe(true);
    expect(raw[0]?.terms.length).toBeLessThan(LONG.length);
    expect(raw[1]?.terms).toBe('d1\ns short');

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const streamed = new Map<string, string>();
    await streamScopeDocs(['A'], (rows) => rows.forEach((r) => streamed.set(r.id, r.terms)));
    const byId = await getScopeDocsByIds(['1', '2', '3', '4']);
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    for (const terms of [streamed, new Map([...byId].map(([id, d]) => [id, d.terms]))]) {
      expect(terms.get('1')).toBe(LONG);
      expect(terms.get('2')).toBe('d1\ns short');
      expect(terms.get('3')).toBe(LONG);
      expect(terms.get('4')).toBe('');
    }
    expect(warnings).toHaveLength(2);
    expect(warnings.every((w) => w.includes('issue 4'))).toBe(true);

    // An unchanged text (terms null) keeps the stored, deflated terms.
    await upsertDocs([doc('1', null)]);
    expect((await getScopeDocsByIds(['1'])).get('1')?.terms).toBe(LONG);
  });

  it('stores long words packed against the terms, reads them back on full reads, and none on terms-only reads', async () => {
    await upsertDocs([{ ...doc('50', LONG), words: WORDS }, { ...doc('51', 'd1\ns short'), words: 'short=Shorts' }]);
    const raw = (await forge.sql.query("SELECT id, words FROM docs WHERE id IN ('50', '51') ORDER BY id")) as Array<{ id: string; words: string }>;
    expect(raw[0]?.words.startsWith('=')).toBe(true);
    expect(raw[0]?.words.length).toBeLessThan(WORDS.length * 0.9);
    expect(raw[1]?.words).toBe('short=Shorts');
    const byId = await getScopeDocsByIds(['50', '51']);
    expect(byId.get('50')?.words).toBe(WORDS);
    expect(byId.get('51')?.words).toBe('short=Shorts');
    const full = new Map<string, string>();
    await streamScopeDocs(['A'], (rows) => rows.forEach((r) => full.set(r.id, r.words)));
    expect(full.get('50')).toBe(WORDS);
    const termsOnly = new Map<string, string>();
    await streamScopeDocs(['A'], (rows) => rows.forEach((r) => termsOnly.set(r.id, r.words)), { termsOnly: true });
    expect(termsOnly.get('50')).toBe('');
    // An unchanged text (terms null) keeps the stored words with the stored terms.
    await upsertDocs([doc('50', null)]);
    expect((await getScopeDocsByIds(['50'])).get('50')?.words).toBe(WORDS);
    // A row as an earlier version wrote it (plain words) reads as it is.
    await forge.sql.query('UPDATE docs SET words = ? WHERE id = ?', [WORDS, '50']);
    expect((await getScopeDocsByIds(['50'])).get('50')?.words).toBe(WORDS);
  });

  it('reads terms-only pages of 3,000 rows, and a page over the response limit again at half the size', async () => {
    await upsertDocs(Array.from({ length: 40 }, (_, i) => doc(String(100 + i), i % 2 === 0 ? LONG : 'd1\ns short')));
    const limits: number[] = [];
    const unobserve = forge.sql.observe((query) => {
      const m = /^SELECT id, project_key, terms, security_level FROM docs .* LIMIT (\d+)$/s.exec(query.trim());
      if (m) limits.push(Number(m[1]));
    });
    forge.sql.faults.failNext(1, { match: /SELECT id, project_key, terms, security_level FROM docs/, code: 'RESPONSE_TOO_LARGE', status: 400, message: 'The query result is larger than the 4 MiB response limit.' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: string[] = [];
    try {
      await streamScopeDocs(['A'], (rows) => rows.forEach((r) => seen.push(r.id)), { termsOnly: true });
    } finally {
      warn.mockRestore();
      unobserve();
    }
    expect(limits.slice(0, 2)).toEqual([3000, 1500]);
    expect(seen).toHaveLength(46);
    expect(new Set(seen).size).toBe(46);
  });
});
