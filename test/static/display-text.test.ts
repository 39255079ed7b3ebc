/** What `displayText` takes out of issue text before a page shows it, and what it must keep. */
import { cleanText, displayText } from '../../static/shared/format';

describe('cleanText', () => {
  it('keeps the zero-width non-joiner and joiner that Persian words and emoji sequences need', () => {
    // "نمی‌شود" ("does not") keeps its two parts apart with U+200C; 👩‍💻 is a woman and a laptop joined by U+200D.
    const persian = 'باز نمی\u200Cشود';
    const technologist = '\u{1F469}\u200D\u{1F4BB}';
    expect(cleanText(persian)).toBe(persian);
    expect(cleanText(technologist)).toBe(technologist);
    expect(displayText(`${technologist} ${persian}`, 40)).toBe(`${technologist} ${persian}`);
  });

  it('still takes out direction controls, the zero-width space and the BOM', () => {
    expect(cleanText('a\u202Eb\u200Bc\u200Ed\u200Fe\u2066f\u2069g\uFEFFh\u0007i')).toBe('abcdefghi');
  });
});
