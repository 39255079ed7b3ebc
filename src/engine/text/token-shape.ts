/**
 * Character-code tests on one raw token that stand in for the tokenizer's regular
 * expressions on the hot path (each distinct token meets a dozen of them). A test named
 * `is...` gives exactly the expression's answer; one named `mayBe...` is only a necessary
 * condition: when it says false the expression cannot match and need not run.
 */

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isAsciiLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Exactly `/^[a-z]+$/`. */
export function isAsciiLower(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/** Exactly `/[^\t-~]/` (a character outside tab..tilde). */
export function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 9 || c > 126) return true;
  }
  return false;
}

/** Necessary for `/^\d+$/` and every expression anchored on a leading digit (IP addresses). */
export function startsWithDigit(s: string): boolean {
  return isDigitCode(s.charCodeAt(0));
}

/**
 * Necessary for HEXISH (`/^(?:0x)?[0-9a-f]{8,}$|^[0-9a-f]{8}-[0-9a-f]{4}-/i`): every
 * alternative puts hex digits at positions 2 to 7 (case-insensitive matching without the
 * u flag maps no other character onto a-f or x).
 */
export function mayBeHexish(s: string): boolean {
  if (s.length < 8) return false;
  for (let i = 2; i < 8; i++) {
    if (!isHexCode(s.charCodeAt(i))) return false;
  }
  return true;
}

/** Necessary for ISSUE_KEY (`/^[a-z][a-z0-9]+-\d+$/i`): a leading letter and a trailing digit. */
export function mayBeIssueKey(s: string): boolean {
  return isAsciiLetterCode(s.charCodeAt(0)) && isDigitCode(s.charCodeAt(s.length - 1));
}

/** Necessary for VERSION (`/^v?\d+(?:\.\d+)+.../i`): a leading digit, or v and a digit. */
export function mayBeVersion(s: string): boolean {
  const c = s.charCodeAt(0);
  if (isDigitCode(c)) return true;
  return (c === 118 || c === 86) && isDigitCode(s.charCodeAt(1));
}

/** Whether `s` ends with one of . - / : # @ (exactly when `/[.\-/:#@]+$/` matches). */
export function endsWithJoiner(s: string): boolean {
  return isJoinerCode(s.charCodeAt(s.length - 1));
}

/** Necessary for `/:\d+$/`: a trailing digit and a colon somewhere. */
export function mayEndWithLineNumber(s: string): boolean {
  return isDigitCode(s.charCodeAt(s.length - 1)) && s.includes(':');
}

function isJoinerCode(c: number): boolean {
  return c === 46 || c === 45 || c === 47 || c === 58 || c === 35 || c === 64;
}

/** Whether `s` has one of . - / : # @ (exactly when `/[.\-/:#@]+/` matches). */
export function hasJoiner(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (isJoinerCode(s.charCodeAt(i))) return true;
  }
  return false;
}

/** Necessary for EMBEDDED_VERSION (`/(?<![\d.])\d+(?:\.\d+)+.../`): a digit, a dot, a digit. */
export function mayHaveDottedNumber(s: string): boolean {
  for (let i = 1; i + 1 < s.length; i++) {
    if (s.charCodeAt(i) === 46 && isDigitCode(s.charCodeAt(i - 1)) && isDigitCode(s.charCodeAt(i + 1))) return true;
  }
  return false;
}

/**
 * For ASCII `s`, exactly `/.\p{Lu}/u`: an upper-case letter after a character other than
 * a line break. Other text must use the expression (Unicode upper case).
 */
export function asciiHasInnerUpper(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      const before = s.charCodeAt(i - 1);
      if (before !== 10 && before !== 13) return true;
    }
  }
  return false;
}
