/**
 * Japanese marks the Unicode script tables leave outside the kana: the prolonged sound mark
 * ー (U+30FC, halfwidth ｰ U+FF70) has the Common script, like punctuation, yet belongs to the
 * word it lengthens (サーバー, "server"). The iteration marks ゝ ゞ ヽ ヾ 々 repeat the
 * character before them, and the middle dot ・ parts words. Stored terms follow the
 * tokenizer through TEXT_VERSION, tested at the end.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { buildDoc, TEXT_VERSION, textHash, issueText } from '../../src/analysis/doc-builder';
import { decodeTerms, extractTerms, tokenize } from '../../src/engine';
import type { JiraIssue } from '../../src/jira/issues';

/** The character bigrams of a run, as the tokenizer indexes Chinese and Japanese. */
function bigrams(run: string): string[] {
  const chars = Array.from(run.normalize('NFKC'));
  if (chars.length === 1) return [chars[0] ?? ''];
  return chars.slice(1).map((c, i) => `${chars[i] ?? ''}${c}`);
}

/** Terms two texts share, as the engine indexes them. */
function shared(a: string, b: string): string[] {
  const other = new Set(tokenize(b));
  return [...new Set(tokenize(a))].filter((t) => other.has(t));
}

const KANA_AND_HAN = ['サ', 'バ', 'デ', 'タ', 'ベ', 'ス', 'ア', 'い', 'す', 'こ', 'ろ', '人', '設', '定', '한', '글'];
const ITERATION_MARKS = ['ゝ', 'ゞ', 'ヽ', 'ヾ', '々'];
const PROLONGED = ['ー', 'ｰ'];

/** A run as Japanese writes one: a kana, Han or Hangul character, then those, marks and iteration marks. */
const run = (maxLength: number) =>
  fc
    .tuple(fc.constantFrom(...KANA_AND_HAN), fc.array(fc.constantFrom(...KANA_AND_HAN, ...ITERATION_MARKS, ...PROLONGED), { maxLength: maxLength - 1 }))
    .map(([first, rest]) => first + rest.join(''));
const marks = fc.array(fc.constantFrom(...PROLONGED), { minLength: 1, maxLength: 8 }).map((m) => m.join(''));

describe('the prolonged sound mark ー joins the word it lengthens', () => {
  it('keeps サーバー one run: サー, ーバ and バー, in fullwidth and halfwidth', () => {
    expect(tokenize('サーバー')).toEqual(['サー', 'ーバ', 'バー']);
    expect(tokenize('ｻｰﾊﾞｰ')).toEqual(['サー', 'ーバ', 'バー']);
    expect(tokenize('データベース')).toEqual(['デー', 'ータ', 'タベ', 'ベー', 'ース']);
    // A mark between words of the run joins them as any character of it does.
    expect(tokenize('サーバーの設定')).toEqual(['サー', 'ーバ', 'バー', 'ーの', 'の設', '設定']);
  });

  it('no longer makes サーバー ("server") the same word as サバ ("mackerel")', () => {
    expect(shared('サーバー', 'サバ')).toEqual([]);
    expect(shared('サーバーが停止する', 'サーバー停止')).toEqual(expect.arrayContaining(['サー', 'ーバ', 'バー', '停止']));
  });

  it('indexes a run as the bigrams of its characters, marks included', () => {
    fc.assert(
      fc.property(run(64), (r) => {
        expect(tokenize(r)).toEqual(bigrams(r));
      }),
      { numRuns: 400 },
    );
  });

  it('reads the halfwidth mark as the fullwidth one', () => {
    fc.assert(
      fc.property(run(40), (r) => {
        expect(tokenize(r.replace(/ー/g, 'ｰ'))).toEqual(tokenize(r.replace(/ｰ/g, 'ー')));
      }),
    );
  });

  it('makes no term of marks with nothing before them to lengthen', () => {
    expect(tokenize('ーサーバー')).toEqual(['サー', 'ーバ', 'バー']);
    expect(tokenize('ーー サーバー')).toEqual(['サー', 'ーバ', 'バー']);
    expect(tokenize('ｰｰｰ サーバー ーー')).toEqual(['サー', 'ーバ', 'バー']);
    fc.assert(
      fc.property(marks, run(40), (m, r) => {
        expect(tokenize(m + r)).toEqual(tokenize(r));
        expect(tokenize(`${m} ${r} ${m}`)).toEqual(tokenize(r));
      }),
    );
  });

  it('still keeps a text of marks alone, as the fallback keeps any visible text', () => {
    expect(tokenize('ー')).toEqual(['ー']);
    expect(tokenize('ーーー')).toEqual(['ーーー']);
    expect(tokenize('ｰｰ')).toEqual(['ーー']);
    const doc = extractTerms({ id: 'm', summary: 'ーーー', description: 'ーー ｰ' });
    expect(doc.fields.summary).toEqual([['ーーー', 1]]);
    // A field of marks alone falls back to its visible words too.
    expect(doc.fields.description).toEqual([['ーー', 1], ['ー', 1]]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('ー', 'ｰ', ' ', '\n', '・'), { maxLength: 200 }), (chars) => {
        const text = chars.join('');
        const terms = tokenize(text);
        if (/[ーｰ]/.test(text)) expect(terms.length).toBeGreaterThan(0);
        for (const t of terms) expect(t).toMatch(/^[ー・]+$/);
      }),
    );
  });

  it('stays bounded on a huge run of marks, alone or after a kana', () => {
    const many = 'ー'.repeat(200_000);
    for (const text of [many, `サ${many}`, `サ${'ー'.repeat(40)}`, `${'ーサ'.repeat(50_000)}`, `${'ーサ '.repeat(20_000)}`]) {
      const started = Date.now();
      const terms = tokenize(text);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(terms.length).toBeGreaterThan(0);
      expect(terms.every((t) => t.length <= 64)).toBe(true);
    }
    // A run up to the longest term is indexed pair by pair.
    expect(tokenize(`サ${'ー'.repeat(40)}`)).toEqual(['サー', ...Array<string>(39).fill('ーー')]);
    const doc = extractTerms({ id: 'h', summary: `サ${many}`, description: `サーバー ${many} ${'ーサ '.repeat(20_000)}` });
    expect(doc.fields.summary?.length ?? 0).toBeGreaterThan(0);
    expect((doc.fields.description ?? []).map(([t]) => t)).toEqual(expect.arrayContaining(['サー', 'ーバ', 'バー', 'サ']));
  });

  it('keeps Latin words, numbers and identifiers beside a Japanese run apart from it', () => {
    const terms = tokenize('HDFSのNameNodeサーバーが起動しない (HADOOP-1234, v3.3.6)');
    expect(terms).toEqual(expect.arrayContaining([...tokenize('HDFS'), ...tokenize('NameNode'), 'サー', 'ーバ', 'バー', 'ーが', '起動', 'hadoop-1234', '3.3.6']));
    expect(terms).not.toContain('サ');
    expect(tokenize('server サーバー crashed')).toEqual(['server', 'サー', 'ーバ', 'バー', ...tokenize('crashed')]);
    // A mark after a Latin letter is no Japanese: the word stays as it was.
    expect(tokenize('Aーb')).toEqual(['aーb']);
  });
});

describe('the middle dot and the iteration marks', () => {
  it('parts words at the middle dot ・ (fullwidth and halfwidth)', () => {
    expect(tokenize('データ・ベース')).toEqual(['デー', 'ータ', 'ベー', 'ース']);
    expect(tokenize('ﾃﾞｰﾀ･ﾍﾞｰｽ')).toEqual(['デー', 'ータ', 'ベー', 'ース']);
    fc.assert(
      fc.property(run(30), run(30), fc.constantFrom('・', '･'), (a, b, dot) => {
        expect(tokenize(a + dot + b)).toEqual([...tokenize(a), ...tokenize(b)]);
      }),
    );
  });

  it('keeps each iteration mark with the character it repeats', () => {
    expect(tokenize('いすゞ')).toEqual(['いす', 'すゞ']);
    expect(tokenize('こゝろ')).toEqual(['こゝ', 'ゝろ']);
    expect(tokenize('人々')).toEqual(['人々']);
    expect(tokenize('時々エラー')).toEqual(['時々', '々エ', 'エラ', 'ラー']);
    expect(tokenize('バヽヾ')).toEqual(['バヽ', 'ヽヾ']);
    expect(shared('時々サーバーが落ちる', 'サーバーが時々落ちる')).toEqual(expect.arrayContaining(['時々', 'サー', 'ーバ', 'バー']));
  });
});

describe('stored terms follow the tokenizer (TEXT_VERSION)', () => {
  const issue = (summary: string): JiraIssue => ({
    id: '10001',
    key: 'JP-1',
    fields: { summary, description: 'サーバーの設定', project: { key: 'JP' }, issuetype: { name: 'Bug' }, labels: [], components: [] },
  });

  /** The text hash rows stored before the prolonged sound mark joined words carry (version e5). */
  function hashBefore(i: JiraIssue): string {
    const t = issueText(i);
    return createHash('sha256').update(JSON.stringify(['e5', t.summary, t.description, t.labels, t.components, t.type])).digest('hex').slice(0, 16);
  }

  it('tokenises a row stored by the earlier tokenizer again, and only once', () => {
    const i = issue('サーバーが起動しない');
    const doc = buildDoc(i, hashBefore(i));
    expect(doc.terms).not.toBeNull();
    expect(doc.textHash).toBe(textHash(issueText(i)));
    const terms = decodeTerms(i.id, doc.terms ?? '');
    expect((terms.fields.summary ?? []).map(([t]) => t)).toEqual(expect.arrayContaining(['サー', 'ーバ', 'バー']));
    expect((terms.fields.description ?? []).map(([t]) => t)).toEqual(expect.arrayContaining(['サー', 'ーバ', 'バー', '設定']));
    // Stored with the new hash, the row is not tokenised again.
    expect(buildDoc(i, doc.textHash).terms).toBeNull();
  });

  it('pins the tokens of a probe text to the version: change one, bump the other', () => {
    // When this fails after a change to the tokenizer, bump TEXT_VERSION (src/analysis/doc-builder.ts)
    // so stored rows are tokenised again, then write the new version and fingerprint here.
    const probe = [
      'NativeAzureFsOutputStream fails on HDFS-6440 after upgrading to 3.3.6 (org.apache.hadoop.fs.FileSystem)',
      'サーバーが起動しない ｻｰﾊﾞｰ データ・ベース ーー いすゞ 人々 こゝろ バヽヾ',
      '数据节点错误 café crash🔥reported Centos 7',
    ];
    const fingerprint = createHash('sha256').update(JSON.stringify(probe.map((p) => tokenize(p)))).digest('hex').slice(0, 16);
    expect({ version: TEXT_VERSION, fingerprint }).toEqual({ version: 'e6', fingerprint: '11adabce017ce7e2' });
  });
});
