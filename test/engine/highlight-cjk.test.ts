import fc from 'fast-check';
import { highlight, surfaceForms, tokenize } from '../../src/engine';

/** Terms two texts share, as the engine indexes them. */
function shared(a: string, b: string): string[] {
  const other = new Set(tokenize(b));
  return [...new Set(tokenize(a))].filter((t) => other.has(t));
}

const marked = (text: string, terms: string[]) => highlight(text, terms).filter((s) => s.match).map((s) => s.text);

describe('highlight and surfaceForms in Chinese and Japanese (character bigrams)', () => {
  const a = '支付页面在使用礼品卡时卡住';
  const b = '使用礼品卡时支付页面卡住';

  it('writes each shared bigram as its two characters, not as the whole summary', () => {
    const terms = shared(a, b);
    expect(terms).toEqual(expect.arrayContaining(['支付', '页面', '礼品', '卡住']));
    for (const text of [a, b]) {
      const forms = surfaceForms(text, terms);
      // Every shared bigram is found, each written as itself.
      expect([...forms.keys()].sort()).toEqual([...terms].sort());
      for (const [term, form] of forms) expect(form).toBe(term);
    }
  });

  it('marks only the shared bigrams; overlapping ones are marked as one span', () => {
    const terms = shared(a, b);
    // "在" is in no shared bigram (面在 and 在使 are only in the first summary).
    expect(highlight(a, terms)).toEqual([
      { text: '支付页面', match: true },
      { text: '在', match: false },
      { text: '使用礼品卡时卡住', match: true },
    ]);
    expect(marked('登录页面报错', tokenize('页面'))).toEqual(['页面']);
    expect(marked('支払い画面が固まる', tokenize('画面'))).toEqual(['画面']);
    expect(surfaceForms('支払い画面が固まる', tokenize('画面')).get('画面')).toBe('画面');
    // A one-character run is its own term, marked by itself.
    expect(marked('页 与 页面', ['页'])).toEqual(['页']);
  });

  it('keeps Latin words beside CJK characters apart from them', () => {
    const t = '使用API时卡住，Connection refused';
    expect(marked(t, tokenize('API'))).toEqual(['API']);
    expect(surfaceForms(t, tokenize('API connection'))).toEqual(new Map([['api', 'API'], [tokenize('connection')[0] ?? '', 'Connection']]));
    expect(marked(t, tokenize('卡住'))).toEqual(['卡住']);
  });

  it('always concatenates back and marks only characters of wanted bigrams', () => {
    const chars = ['支', '付', '页', '面', '卡', '住', '𠮷', 'ア', 'い', 'ー', 'ｰ', '・', 'a', 'B', '1', ' ', '，', '-', '.'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 40 }), fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (ts, ws) => {
        const text = ts.join('');
        const terms = tokenize(ws.join(''));
        const segments = highlight(text, terms);
        expect(segments.map((s) => s.text).join('')).toBe(text);
        // A CJK form is never longer than the two characters of its bigram: the text's own
        // characters, which are the term's once normalised (a halfwidth ｰ is the term's ー).
        for (const [term, form] of surfaceForms(text, terms)) {
          if (/\p{Script=Han}|\p{Script=Katakana}|\p{Script=Hiragana}/u.test(form)) expect(form.normalize('NFKC')).toBe(term);
        }
      }),
    );
  });

  it('marks a Japanese word with prolonged sound marks whole, and names each of its pairs as written', () => {
    const a = '本番のサーバーが停止する';
    const b = 'サーバー停止（本番）';
    const terms = shared(a, b);
    expect(terms).toEqual(expect.arrayContaining(['サー', 'ーバ', 'バー', '停止', '本番']));
    expect(marked(a, terms)).toEqual(['本番', 'サーバー', '停止']);
    expect(marked('ｻｰﾁが遅い', tokenize('サーチ'))).toEqual(['ｻｰﾁ']);
    // ーバ alone is no word: only inside a run is it a pair of one.
    expect(marked('ーバ', tokenize('サーバー'))).toEqual([]);
    const forms = surfaceForms(a, terms);
    for (const pair of ['サー', 'ーバ', 'バー']) expect(forms.get(pair)).toBe(pair);
  });
});
