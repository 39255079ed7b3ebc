/**
 * Text people wrote (a display name, an issue summary) inside a sentence of the app's.
 *
 * A right-to-left name in a left-to-right sentence takes the neutral characters around it
 * (spaces, digits, brackets, the comma after it) to its own side: "Confirmed by דנה 3
 * minutes ago" can read "Confirmed by 3 הנד minutes ago". Isolated, it lays out in its own
 * direction as one unit, and the sentence keeps its order. React text isolates it with
 * `<bdi>`; a plain string (an aria-label, a tooltip, a flag, an error message, an <option>)
 * with `isolate` here.
 */

/** U+2068 FIRST STRONG ISOLATE: the text's direction is that of its first strong letter. */
export const FSI = '\u2068';
/** U+2069 POP DIRECTIONAL ISOLATE: the end of the isolate. */
export const PDI = '\u2069';

// Embeddings, overrides, isolates and direction marks (LRM, RLM, ALM): in text people wrote,
// a PDI of theirs would close the isolate before its end, and an override would reach past it.
const DIRECTION_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `text` between FSI and PDI, without direction controls of its own, so the two stay a pair.
 * '' stays '' (nothing to isolate). For a page, clean and cut the text first (displayText),
 * then isolate: displayText removes the isolates too.
 */
export function isolate(text: string): string {
  const bare = text.replace(DIRECTION_CONTROLS, '');
  return bare === '' ? '' : `${FSI}${bare}${PDI}`;
}
