/** One folding of text for search: the stored summaries, the queue's words and the clusters' search. */
import { foldForSearch } from '../../src/shared/search-fold';

describe('text folded for search', () => {
  it('drops the accents of Latin, Greek and Cyrillic letters and lower-cases', () => {
    const cases: Array<[string, string]> = [
      ['Café', 'cafe'],
      ['RÉSUMÉ', 'resume'],
      ['München', 'munchen'],
      ['Tiếng Việt', 'tieng viet'],
      ['e\u0301clair', 'eclair'],
      ['Άλφα', 'αλφα'],
      ['Ёлка', 'елка'],
      ['İstanbul', 'istanbul'],
    ];
    for (const [text, folded] of cases) expect([text, foldForSearch(text)]).toEqual([text, folded]);
  });

  it('writes letters without a decomposition as they are typed without their stroke or ligature', () => {
    expect(foldForSearch('Straße ẞ Ærø Œuvre Łódź Đà Þór Maður ayrılık Ħal')).toBe('strasse ss aero oeuvre lodz da thor madur ayrilik hal');
    // The final sigma is the sigma: "ΟΔΟΣ" and "οδος" are one word, and a prefix of "ΟΔΟΣΟΣ".
    expect(foldForSearch('ΟΔΟΣ')).toBe(foldForSearch('οδος'));
    expect(foldForSearch('ΟΔΟΣΟΣ').startsWith(foldForSearch('ΟΔΟΣ'))).toBe(true);
  });

  it('writes compatibility forms plainly, wildcards included', () => {
    expect(foldForSearch('ﬁle')).toBe('file');
    expect(foldForSearch('５０％ ＿ ＼')).toBe('50% _ \\');
    expect(foldForSearch('ｶﾞｲﾄﾞ')).toBe('ガイド');
  });

  it('keeps other scripts\' marks, composed characters and emoji as they are', () => {
    for (const text of ['कुतुब मीनार', 'किताब', 'がっこう', 'か', '한국어', '日本語', 'עברית', 'العربية', '❤️ 👍🏽 1️⃣ 👨‍👩‍👧']) {
      expect([text, foldForSearch(text)]).toEqual([text, text]);
    }
    expect(foldForSearch('\u0301')).toBe('');
  });
});
