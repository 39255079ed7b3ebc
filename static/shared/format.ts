/**
 * Display helpers. Issue text is untrusted: it can carry bidi overrides that
 * reorder what a reviewer sees, zero-width characters that hide differences, and
 * megabyte-long strings. React already escapes markup; these helpers handle the rest.
 */

// Bidi marks, embeddings, overrides and isolates, the zero-width space, word joiner and
// invisible operators, and the BOM, plus C0/C1 controls except tab and newline.
// Whitespace-like ones become nothing. The zero-width non-joiner and joiner (U+200C,
// U+200D) stay: they change no direction, and text needs them (Persian "نمی‌شود" keeps its
// letters apart with U+200C; emoji such as 👩‍💻 are sequences joined by U+200D).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Removes characters that change how text is ordered or hide content. */
export function cleanText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Cuts `text` to at most `max` code points (never splitting a surrogate pair) and
 * adds an ellipsis. Works on a prefix first so a 1 MB string costs nothing.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Array.from(text.slice(0, max + 2));
  if (head.length <= max) return text.slice(0, max + 2);
  return head.slice(0, Math.max(0, max - 1)).join('').trimEnd() + '…';
}

/** Both of the above: what every piece of issue text goes through before display. */
export function displayText(text: string | null | undefined, max = 300): string {
  if (!text) return '';
  // Clean a bounded prefix only: enough to still fill `max` after removals.
  return truncate(cleanText(text.slice(0, max * 4 + 16)), max);
}

export { DISMISS_REASON_TEXT, DISMISS_REASONS, nameAtStart, percent, plural } from '../../src/shared/wording';
export { isolate } from '../../src/shared/bidi';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/*
 * The pages are written in English, so times, dates and numbers are too ('en'), whatever the
 * browser's language: a German browser would otherwise read "Confirmed by you vor 7 Minuten".
 */
let rtf: Intl.RelativeTimeFormat | null = null;

/** "5 minutes ago", "just now"; '' for a missing or unreadable date. */
export function timeAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  rtf ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds / 60), 'minute');
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  // Day before month, as the dates shown in view are ("5 Dec 2026"): one way of writing a date.
  return new Date(t).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "3 Jan 2026": a day, in English, in the viewer's time zone; '' for no date. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t <= 0) return '';
  return new Date(t).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "1 min 20 s", "about 3 h"; for progress estimates. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) {
    const m = Math.floor(seconds / 60);
    const s = Math.round(seconds % 60);
    return s > 0 && m < 10 ? `${m} min ${s} s` : `${m} min`;
  }
  const h = seconds / 3600;
  return `about ${h < 10 ? h.toFixed(1) : Math.round(h)} h`;
}

