/** The Charts tab's sentence on why pairs were dismissed (`stats.get`'s `dismissReasons`). */
import type { DismissReason } from '../../src/shared/contract';
import { plural } from '../shared/format';

/** Lower-case, as the sentence lists them. */
const IN_A_LIST: Record<DismissReason, string> = { different: 'not the same problem', related: 'related, but separate work', split: 'split on purpose' };

/** Null when nothing is dismissed. */
export function dismissReasonsSentence(dismissed: number, reasons: Record<DismissReason, number>): string | null {
  if (dismissed === 0) return null;
  const given = (Object.keys(IN_A_LIST) as DismissReason[]).filter((r) => reasons[r] > 0);
  const total = given.reduce((n, r) => n + reasons[r], 0);
  if (dismissed === 1) {
    const [only] = given;
    return only === undefined ? 'The one dismissed pair has no reason given: "Why?" after a dismissal records one.' : `The one dismissed pair was dismissed as ${IN_A_LIST[only]}.`;
  }
  const of = `Of the ${plural(dismissed, 'dismissed pair')}`;
  if (total === 0) return `${of}, none has a reason given: "Why?" after a dismissal records one.`;
  // Semicolons between the reasons: one of them has a comma of its own.
  const list = given.map((r) => `${reasons[r].toLocaleString('en')} ${IN_A_LIST[r]}`).join('; ');
  return `${of}, people said why for ${total === dismissed ? (dismissed === 2 ? 'both' : 'all') : total.toLocaleString('en')}: ${list}.`;
}
