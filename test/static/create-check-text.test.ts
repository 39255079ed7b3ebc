/** The create dialog's warning text: matches under their tier, strongest first. */
import { formatMatches } from '../../static/create-check/describe';
import { shownSummary } from '../../static/shared/shown-summary';

const m = (key: string, score: number, tier: 'duplicate' | 'related', summary = `Summary of ${key}`) => ({ key, summary, score, tier });
/** A summary as the warning writes it: between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE. */
const iso = (text: string) => `\u2068${text}\u2069`;

describe('formatMatches', () => {
  it('says nothing without matches', () => {
    expect(formatMatches([])).toBe('');
  });

  it('names a related match as related, as the panel and the queue do, not as a duplicate', () => {
    expect(formatMatches([m('A-2', 0.41, 'related'), m('A-1', 0.5, 'duplicate'), m('A-3', 0.34, 'related')])).toBe(
      `Possible duplicate: A-1 ${iso('Summary of A-1')} (50%). Related: A-2 ${iso('Summary of A-2')} (41%), A-3 ${iso('Summary of A-3')} (34%)`,
    );
    expect(formatMatches([m('A-2', 0.3, 'related')])).toBe(`Related issues: A-2 ${iso('Summary of A-2')} (30%)`);
  });

  it('shows two long summaries alike in their first 60 characters from near where they part', () => {
    const safari = 'Checkout page spinner never stops while the customer applies a gift card on Safari 17';
    const chrome = 'Checkout page spinner never stops while the customer applies a gift card on Chrome';
    expect(safari.slice(0, 60)).toBe(chrome.slice(0, 60));
    const a = shownSummary(safari, [safari, chrome]);
    const b = shownSummary(chrome, [safari, chrome]);
    expect(a).not.toBe(b);
    expect(a).toBe('…applies a gift card on Safari 17');
    expect(b).toBe('…applies a gift card on Chrome');
    // Alone, or beside a summary alike for only a few words, a summary starts at its start.
    expect(shownSummary(safari, [safari])).toBe(safari.slice(0, 59) + '…');
    expect(shownSummary(safari, [safari, 'Checkout page slow on Mondays'])).toBe(safari.slice(0, 59) + '…');
    expect(formatMatches([{ ...m('A-1', 0.9, 'duplicate', safari) }, { ...m('A-2', 0.88, 'duplicate', chrome) }])).toBe(
      `Possible duplicates: A-1 ${iso('…applies a gift card on Safari 17')} (90%), A-2 ${iso('…applies a gift card on Chrome')} (88%)`,
    );
  });

  it('says of a match that duplicates another which one it duplicates', () => {
    expect(formatMatches([{ ...m('A-2', 0.97, 'duplicate'), duplicateOf: 'A-1' }, { ...m('A-1', 0.99, 'duplicate'), duplicateOf: null }])).toBe(
      `Possible duplicates: A-1 ${iso('Summary of A-1')} (99%), A-2 ${iso('Summary of A-2')} (97%, a duplicate of A-1)`,
    );
  });

  it('shows the three strongest and counts the rest', () => {
    const text = formatMatches([m('A-1', 0.9, 'duplicate'), m('A-2', 0.8, 'duplicate'), m('A-3', 0.2, 'related'), m('A-4', 0.7, 'duplicate'), m('A-5', 0.6, 'duplicate')]);
    expect(text).toBe(
      `Possible duplicates: A-1 ${iso('Summary of A-1')} (90%), A-2 ${iso('Summary of A-2')} (80%), A-4 ${iso('Summary of A-4')} (70%), and 2 more`,
    );
  });

  it('shortens long summaries', () => {
    const text = formatMatches([m('A-1', 0.9, 'duplicate', 'x'.repeat(500))]);
    expect(text.length).toBeLessThan(120);
  });

  it('isolates right-to-left summaries, so keys and percentages keep their places', () => {
    const first = 'صفحة الدفع تتوقف عند استخدام بطاقة الهدايا';
    const second = 'خطأ في صفحة الدفع';
    const text = formatMatches([m('SHOP-120', 0.84, 'duplicate', second), m('SHOP-121', 0.98, 'duplicate', first)]);
    expect(text).toBe(`Possible duplicates: SHOP-121 ${iso(first)} (98%), SHOP-120 ${iso(second)} (84%)`);
    // A summary's own isolates and overrides are taken out, so it cannot close the isolate
    // early or turn the rest of the line around; each isolate opened is closed.
    const hostile = formatMatches([m('SHOP-1', 0.9, 'duplicate', `${second}\u2069\u202E (1%)`)]);
    expect(hostile).toBe(`Possible duplicate: SHOP-1 ${iso(`${second} (1%)`)} (90%)`);
  });
});
