/**
 * Terminal escape sequences and control characters out of an export's text.
 *
 * Summaries and descriptions pasted from a terminal or a CI log carry ANSI colour codes
 * ("\u001b[31mERROR\u001b[0m") and now and then other control characters. Left in, the
 * analyzer reads "31mERROR" or "0m" as words, and two unrelated issues that both pasted
 * coloured log lines share them. Removed here, as the command-line tools read a file.
 */

/**
 * An escape sequence: a control string (OSC, such as a window title or a link, DCS, SOS,
 * PM, APC) up to its terminator (BEL or ST) or, unterminated, to the end of the line; a
 * control sequence (CSI, "ESC [" or its 8-bit form 0x9B, such as a colour) up to its final
 * byte; any other ESC with its intermediate and final bytes (a character set, "ESC ( B";
 * a reset, "ESC c"); a lone ESC. The 8-bit string introducers are left to CONTROL (a
 * space): a stray one must not take the rest of the line with it.
 */
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- the control characters are what it matches
  /\u001b[P\]X^_][^\u0007\u001b\u009c\n\r]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|\u001b[ -/]*[0-~]?/g;

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * The text without escape sequences (removed: "\u001b[31mERROR\u001b[0m" is "ERROR", as a
 * terminal shows it) and with every other control character a space. Tab, line feed and
 * carriage return stay: they are whitespace, and the line breaks of a description matter
 * to the analyzer (code blocks, log lines).
 */
export function withoutControlCharacters(text: string): string {
  // Most text has none: no new string.
  // eslint-disable-next-line no-control-regex -- as above
  if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, ' ');
}

/**
 * A value as withoutControlCharacters leaves it: a string, or the strings in an array or
 * object (a description given as an ADF document in JSON Lines), in a copy.
 */
export function withoutControlCharactersIn(value: unknown): unknown {
  if (typeof value === 'string') return withoutControlCharacters(value);
  if (Array.isArray(value)) return value.map(withoutControlCharactersIn);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutControlCharactersIn(v)]));
  }
  return value;
}
