/**
 * Chinese, Japanese and Korean: scripts written without spaces, which the tokenizer indexes
 * by character bigrams. One definition of what a run of them is, shared by the tokenizer,
 * highlighting and the app's joined reasons, so all three cut a run at the same places.
 *
 * A run is one or more characters of the Han, Hiragana, Katakana or Hangul scripts, and
 * every Katakana-Hiragana prolonged sound mark (ー U+30FC, halfwidth ｰ U+FF70) after its
 * first character. The mark has the Common script, as punctuation does, but it is part of
 * the word it lengthens: サーバー ("server") is one run (サー, ーバ, バー), not サ and バ. A mark
 * with nothing before it in the run (a leading ー, or a text of ー alone) lengthens no
 * sound and makes no term. The iteration marks ゝ ゞ (Hiragana), ヽ ヾ (Katakana) and 々 (Han)
 * belong to their scripts already; the middle dot ・ (U+30FB) is punctuation, and parts
 * words (データ・ベース is データ and ベース).
 */

/** The scripts of a run, as the body of a character class. */
export const CJK_SCRIPTS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** The prolonged sound marks, as the body of a character class (the halfwidth one becomes U+30FC under NFKC). */
export const PROLONGED_SOUND_MARKS = '\\u30FC\\uFF70';

/** A character of a CJK script (a prolonged sound mark alone is none). */
export const CJK_CHAR = new RegExp(`[${CJK_SCRIPTS}]`, 'u');
/** One run, captured, to split a token by: its runs and what lies between them. */
export const CJK_RUN = new RegExp(`([${CJK_SCRIPTS}][${CJK_SCRIPTS}${PROLONGED_SOUND_MARKS}]*)`, 'u');

const ONLY_PROLONGED_SOUND_MARKS = new RegExp(`^[${PROLONGED_SOUND_MARKS}]+$`, 'u');
const PROLONGED_SOUND_MARK = new RegExp(`^[${PROLONGED_SOUND_MARKS}]`, 'u');

/** Whether `s` is one or more prolonged sound marks and nothing else. */
export function isProlongedSoundMarks(s: string): boolean {
  return ONLY_PROLONGED_SOUND_MARKS.test(s);
}

/** Whether `s` starts with a prolonged sound mark. */
export function startsWithProlongedSoundMark(s: string): boolean {
  return PROLONGED_SOUND_MARK.test(s);
}
