/**
 * The sentences of shared/decided-elsewhere.ts, apart from its reads (a pure module the unit
 * tests load): who did what to a pair someone else decided first, and when.
 */
import type { PairView, ReviewStatus } from '../../src/shared/contract';
import { displayText, isolate, nameAtStart, timeAgo } from './format';

/** A decision on one pair, as the project page makes it. */
export type SingleDecision = 'confirm' | 'dismiss' | 'reopen';

/** The pair as it stands now, read again after the refusal. */
export interface PairNow {
  pair: Pick<PairView, 'status' | 'decidedBy' | 'decidedAt' | 'decidedInJira'>;
  /** Names of who decided, by account id, as Jira shows them to the viewer. */
  names: ReadonlyMap<string, string>;
}

/** The words that differ from page to page. */
export interface ElsewhereWords {
  /** The pair after "decided": "SHOP-1 and SHOP-5"; in the issue view, the suggested issue. */
  name: string;
  /** What someone did, after who did it, for the status the pair has now: "dismissed SHOP-1 and SHOP-5". */
  did: Record<ReviewStatus, string>;
  /** For a pair confirmed because Jira links its issues: "SHOP-1 and SHOP-5 were linked as duplicates in Jira". */
  linkedInJira: string;
  /** What the page showed: "this page showed them as pending". */
  shown: string;
  /** What did not happen: "your confirmation was not saved". */
  notDone: string;
  /** A sentence on where the pair is now, by its status; null when `did` says enough. */
  where: Record<ReviewStatus, string> | null;
  /** A sentence for when the pair could not be read again. */
  unknown: string;
}

/**
 * "Alex Admin dismissed SHOP-1 and SHOP-5 2 minutes ago, after this page showed them as
 * pending, so your confirmation was not saved. The pair is under Dismissed now." Who did it
 * is "you" for the viewer (another tab), the name Jira gave, or "Someone else"; a reopen is
 * always "Someone else" (nobody is recorded for it). `now` null: the pair could not be read
 * again (hidden since, or not listed), and the sentence says only that someone decided it.
 */
export function decidedElsewhereText(words: ElsewhereWords, now: PairNow | null, me: string | null): string {
  const tail = `after ${words.shown}, so ${words.notDone}.`;
  if (now === null) return `Someone else decided ${words.name} ${tail} ${words.unknown}`;
  const where = words.where === null ? '' : ` ${words.where[now.pair.status]}`;
  return `${whoDidWhat(words, now, me)}, ${tail}${where}`;
}

/**
 * "Alex Admin dismissed SHOP-1 and SHOP-5 2 minutes ago": who did what to the pair, and when;
 * `atStart` false for a clause inside a sentence ("…: you confirmed SHOP-2 and SHOP-7 just
 * now"). The flag is one plain string: a name is cleaned, cut and isolated (U+2068 … U+2069),
 * so a right-to-left one cannot carry the keys and the time after it to its side.
 */
export function whoDidWhat(words: Pick<ElsewhereWords, 'did' | 'linkedInJira'>, now: PairNow, me: string | null, atStart = true): string {
  const p = now.pair;
  const start = (w: string): string => (atStart ? `${w.charAt(0).toUpperCase()}${w.slice(1)}` : w);
  const mine = p.decidedBy !== null && p.decidedBy === me;
  const name = p.decidedBy === null || mine ? '' : displayText(now.names.get(p.decidedBy), 60);
  // Who, where the clause begins and after "by": "you", an isolated name ("A former user" at the start), or null.
  const who = (first: boolean): string | null => (mine ? (first ? start('you') : 'you') : name === '' ? null : isolate(first && atStart ? nameAtStart(name) : name));
  const when = p.status === 'pending' ? '' : timeAgo(p.decidedAt);
  const did =
    p.status === 'pending'
      ? `${start('someone else')} ${words.did.pending}`
      : p.decidedInJira
        ? `${words.linkedInJira}${who(false) !== null ? ` by ${who(false)}` : ''}`
        : `${who(true) ?? start('someone else')} ${words.did[p.status]}`;
  return `${did}${when !== '' ? ` ${when}` : ''}`;
}
