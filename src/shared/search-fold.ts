/**
 * Text as search compares it: case and accents folded, so "cafe" finds "Café" and "café"
 * finds "CAFE". One function for the stored form of each summary (docs.summary_folded,
 * src/store/docs.ts), the words searched for (src/store/review.ts) and the clusters' search.
 */

/**
 * The combining accents of Latin, Greek and Cyrillic letters (the Combining Diacritical Marks
 * blocks and the half marks). Marks of other scripts are letters' vowels or tell letters
 * apart (Devanagari matras, the Japanese voicing marks): they stay, so "किताब" does not find
 * "कुतुब" and "か" does not find "が".
 */
const ACCENTS = /[\u0300-\u036f]|[\u1ab0-\u1aff]|[\u1dc0-\u1dff]|[\ufe20-\ufe2f]/g;

/**
 * Letters with no decomposition to strip, written the way they are typed without them; and
 * the Greek final sigma, which lower-casing writes at a word's end only ("ΟΔΟΣ" is "οδος",
 * "ΟΔΟΣΟΣ" is "οδοσος"), so that both sides of a comparison read the same letter.
 */
const LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ς: 'σ',
};
const LETTER = /[ßæœøđðþłıħŧς]/g;

/**
 * `text` folded for search: compatibility forms written plainly (NFKD: "ﬁ" is "fi", full-width
 * "５０％" is "50%"), Latin, Greek and Cyrillic accents dropped ("é" is "e", "ά" is "α", "ё"
 * is "е", "İ" is "i"), lower-cased, the letters of LETTERS replaced, and then composed again
 * (NFC), so that Hangul syllables and kana with their voicing marks are one character each,
 * as typed. Both sides of a comparison must be folded by this same function.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(ACCENTS, '')
    .toLowerCase()
    .replace(LETTER, (c) => LETTERS[c] ?? c)
    .normalize('NFC');
}
