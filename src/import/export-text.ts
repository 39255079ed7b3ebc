/**
 * The bytes of a file someone picked as a Jira export → its text and CSV delimiter.
 *
 * Jira writes UTF-8 with commas, but the file has often been through Excel on the way:
 * "CSV UTF-8" keeps UTF-8 (with a BOM), plain "CSV" is the Windows code page
 * (Windows-1252 in Western Europe and the Americas) and, in locales whose decimal mark
 * is a comma, uses semicolons; "Unicode Text" is UTF-16 with tabs. Files that are no
 * text at all (an .xlsx or .xls workbook renamed .csv) and documents of another kind
 * (HTML, JSON) are refused with a message saying what they are.
 */
import { TextDecoder } from 'node:util';
import { NotAJiraExportError } from './not-a-jira-export-error';

export type ExportEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252';

export interface DecodedExport {
  /** The text, without a byte order mark. */
  text: string;
  encoding: ExportEncoding;
}

/** Windows-1252 bytes 0x80–0x9F (the rest is Latin-1; Node's TextDecoder reads them as C1 controls). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function windows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** UTF-16 without a byte order mark: mostly ASCII text, so every other byte is zero. */
function utf16WithoutBom(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  const n = Math.min(bytes.length, 2048) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > 0.6 * pairs && evenZero < 0.1 * pairs) return 'UTF-16LE';
  if (evenZero > 0.6 * pairs && oddZero < 0.1 * pairs) return 'UTF-16BE';
  return null;
}

/** Throws NotAJiraExportError, saying what the file is, for a workbook or other binary document. */
export function refuseBinary(bytes: Uint8Array): void {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    throw new NotAJiraExportError('The file is a zip archive, such as an Excel workbook (.xlsx), not CSV text. In Excel, save it with "Save As" → "CSV UTF-8", or export CSV from Jira again.');
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new NotAJiraExportError('The file is an Excel 97–2003 workbook (.xls), not CSV text. In Excel, save it with "Save As" → "CSV UTF-8", or export CSV from Jira again.');
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) throw new NotAJiraExportError('The file is a PDF document, not CSV text.');
}

/**
 * The encoding of a file from its first bytes (64 KiB are plenty), and the length of its
 * byte order mark. UTF-8 is a guess when the bytes are valid UTF-8 so far: a later byte
 * may still show the file is Windows-1252 (ExportDecoder then throws NotUtf8Error).
 */
export function detectEncoding(head: Uint8Array): { encoding: ExportEncoding; bomLength: number } {
  refuseBinary(head);
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'UTF-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'UTF-16LE', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'UTF-16BE', bomLength: 2 };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  try {
    // stream: a character cut at the end of the sample is no error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'UTF-8', bomLength: 0 };
  } catch {
    // Not UTF-8: Excel's plain "CSV" is the Windows code page.
    return { encoding: 'Windows-1252', bomLength: 0 };
  }
}

/** A file taken for UTF-8 holds a byte sequence UTF-8 does not allow. */
export class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
}

/**
 * Decodes a file chunk by chunk (bytes after the byte order mark); a character may span
 * two chunks. `guessed`: the encoding is UTF-8 taken from the first bytes, so a byte UTF-8
 * does not allow throws NotUtf8Error (read the file again as Windows-1252); otherwise
 * such a byte becomes U+FFFD.
 */
export class ExportDecoder {
  private readonly decoder: TextDecoder | null;

  constructor(readonly encoding: ExportEncoding, guessed = false) {
    this.decoder = encoding === 'Windows-1252' ? null : new TextDecoder(encoding.toLowerCase(), { fatal: guessed });
  }

  decode(chunk: Uint8Array): string {
    if (!this.decoder) return windows1252(chunk);
    try {
      return this.decoder.decode(chunk, { stream: true });
    } catch {
      throw new NotUtf8Error('not UTF-8');
    }
  }

  /** What is left of a character cut at the end of the last chunk. */
  end(): string {
    if (!this.decoder) return '';
    try {
      return this.decoder.decode();
    } catch {
      throw new NotUtf8Error('not UTF-8');
    }
  }
}

/** The export's text, whatever encoding Jira or Excel wrote it in. */
export function decodeExport(bytes: Uint8Array): DecodedExport {
  const detected = detectEncoding(bytes.subarray(0, 65_536));
  const body = bytes.subarray(detected.bomLength);
  const decode = (encoding: ExportEncoding, guessed: boolean): DecodedExport => {
    const decoder = new ExportDecoder(encoding, guessed);
    return { text: decoder.decode(body) + decoder.end(), encoding };
  };
  const guessed = detected.encoding === 'UTF-8' && detected.bomLength === 0;
  try {
    return decode(detected.encoding, guessed);
  } catch (e) {
    if (e instanceof NotUtf8Error) return decode('Windows-1252', false);
    throw e;
  }
}

/**
 * What the text is, when it is plainly not CSV: an HTML page (Jira's "Export → HTML", or
 * the older "Excel" export, an HTML table saved as .xls), a JSON document or a Jira XML
 * export. Returns a sentence for the person who picked the file, or null.
 */
export function otherDocumentKind(text: string): string | null {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 512).toLowerCase();
  if (/^<(!doctype html|html|table|meta|head|body)\b/.test(head)) {
    return 'The file is an HTML page (Jira\'s "HTML" export, or its older "Excel" export, which is an HTML table saved as .xls), not CSV.';
  }
  if (head.startsWith('<?xml') || head.startsWith('<rss')) return 'The file is XML (Jira\'s "XML" export), not CSV.';
  if (head.startsWith('[') || /^\{\s*(\n|"(expand|issues|startat|maxresults|total)")/.test(head)) {
    return 'The file is a JSON document (such as a Jira REST API answer), not CSV.';
  }
  return null;
}

/**
 * The field delimiter of a CSV text, read from its first record: the most frequent of
 * comma, semicolon and tab outside quotes (comma when none). A first line `sep=;` (which
 * Excel reads and some tools write) names it outright; `skipFirstLine` is then true.
 */
export function sniffDelimiter(text: string): { delimiter: string; skipFirstLine: boolean } {
  const sep = /^sep=(.)\r?\n/i.exec(text.replace(/^\uFEFF/, ''));
  if (sep?.[1]) return { delimiter: sep[1], skipFirstLine: true };
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const ch = text[i] ?? '';
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return { delimiter: best, skipFirstLine: false };
}
