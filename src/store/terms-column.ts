/**
 * The `docs.terms` column's stored form. The engine's encoded terms (text starting "d1")
 * are kept as they are when short, and otherwise deflated: "z" + base64 of the raw
 * deflate stream. At 20,000 synthetic issues the column averaged 731 bytes a row as text;
 * a deflated row is about 30 % smaller even after base64, the largest single saving in the
 * 64 MiB SQL budget. Rows written before (plain "d1…") read as they always did.
 *
 * Base64 keeps the column text: Forge SQL passes parameters and rows as JSON, so binary
 * columns would need their own encoding on the way in and out anyway.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Shorter encodings stay text. Each stored value costs one zlib call to read (about 10 µs,
 * mostly setting up the inflater), whatever its length, while the saving grows with the
 * length: at 20,000 synthetic issues rows from 600 characters up are 62 % of the rows and
 * 87 % of what deflating every row would save (3.6 of 4.2 MiB); on the dev set, 25 % of the
 * rows and 84 % of the saving.
 */
export const MIN_DEFLATE_LENGTH = 600;
const DEFLATED = 'z';
/**
 * Longest text a stored value may inflate to: the engine's encoded terms are at most 32 K
 * characters, so anything much larger is not ours (a bound against a decompression bomb).
 */
const MAX_INFLATED_BYTES = 256 * 1024;

export class TermsColumnError extends Error {
  override readonly name = 'TermsColumnError';
}

/** What to store for the engine's encoded terms (`''` stays `''`: "keep the stored terms"). */
export function toTermsColumn(encoded: string): string {
  if (encoded.length < MIN_DEFLATE_LENGTH) return encoded;
  const packed = DEFLATED + deflateRawSync(Buffer.from(encoded, 'utf8'), { level: 9 }).toString('base64');
  return packed.length < encoded.length ? packed : encoded;
}

/** The engine's encoded terms from a stored value, as `toTermsColumn` or an older version wrote it. */
export function fromTermsColumn(stored: string): string {
  if (!stored.startsWith(DEFLATED)) return stored;
  const bytes = Buffer.from(stored.slice(DEFLATED.length), 'base64');
  try {
    return inflateRawSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch (err) {
    throw new TermsColumnError(`stored terms do not inflate (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * The `docs.words` column ("stem=word|…", the surface words of an issue's heaviest terms),
 * deflated against the issue's own encoded terms as a preset dictionary: nearly every word
 * there is its stem plus a few letters, and the stems are all in the terms, so the
 * compressor writes most of each word as a reference into them. At 20,000 synthetic issues
 * the column fell from 329 to 150 bytes a row (base64 included), 3.5 MiB of the 64 MiB SQL
 * budget; on the dev set from 232 to 143. Reading one costs about 15 µs. Plain words never
 * start with "=" (every entry starts with a stem, and stems with "=" are not stored), so
 * "=" marks the packed form, and rows written before read as they are.
 */
const PACKED_WORDS = '=';
/** Shorter lists stay text: a deflate stream's few bytes of framing would eat the saving. */
export const MIN_PACKED_WORDS_LENGTH = 60;
/** The column holds at most 600 characters, so a list inflating past this is not ours. */
const MAX_WORDS_BYTES = 4 * 1024;

/** What to store for `words`, given the encoded terms stored beside them (the dictionary). */
export function toWordsColumn(words: string, encodedTerms: string): string {
  if (words.length < MIN_PACKED_WORDS_LENGTH || encodedTerms === '') return words;
  const packed =
    PACKED_WORDS + deflateRawSync(Buffer.from(words, 'utf8'), { level: 9, dictionary: Buffer.from(encodedTerms, 'utf8') }).toString('base64');
  return packed.length < words.length ? packed : words;
}

/**
 * The words from a stored value, with the encoded terms they were packed against. Words
 * only name shared terms for people, so a value that does not unpack (terms changed outside
 * the app, a damaged row) reads as no words, and the reasons fall back to stems.
 */
export function fromWordsColumn(stored: string, encodedTerms: string): string {
  if (!stored.startsWith(PACKED_WORDS)) return stored;
  try {
    return inflateRawSync(Buffer.from(stored.slice(PACKED_WORDS.length), 'base64'), {
      dictionary: Buffer.from(encodedTerms, 'utf8'),
      maxOutputLength: MAX_WORDS_BYTES,
    }).toString('utf8');
  } catch {
    return '';
  }
}
