/**
 * The words of the question asked before a bulk confirmation (review-queue.tsx): what the
 * selected pairs are (possible duplicates or only related), and which get a Duplicate link in
 * Jira and which are confirmed without one because the stored links already join their
 * issues (directly, `linkedInJira`, or through issues the viewer may see, `linkedThrough`).
 */
import type { PairView } from '../../src/shared/contract';
import { percent, plural } from '../shared/format';

export interface BulkQuestionWords {
  title: string;
  /** The confirming button. */
  label: string;
  /** What the pairs are: possible duplicates, or only related (with their scores). */
  tiers: string;
  /** Which get a link, which do not, and how a link is taken back. */
  links: string;
}

const JOINED_NAMED = 3;

/** "It", "Both", "All 6": the pairs as a subject. */
function allOf(n: number): string {
  return n === 1 ? 'It' : n === 2 ? 'Both' : `All ${n.toLocaleString('en')}`;
}

export function bulkQuestionWords(pairs: readonly PairView[]): BulkQuestionWords {
  const n = pairs.length;
  const related = pairs.filter((p) => p.tier === 'related');
  const duplicates = n - related.length;
  const low = percent(Math.min(...related.map((p) => p.score)));
  const high = percent(Math.max(...related.map((p) => p.score)));
  const tiers =
    related.length === 0
      ? `${allOf(n)} ${n === 1 ? 'is a possible duplicate' : 'are possible duplicates'}.`
      : `${duplicates === 0 ? (n === 2 ? 'Neither is a possible duplicate' : 'None is a possible duplicate') : plural(duplicates, 'is a possible duplicate', 'are possible duplicates')}; ${
          related.length === n && n > 1 ? `${n === 2 ? 'both' : 'all'} are only related` : related.length === 1 ? '1 is only related' : `${related.length.toLocaleString('en')} are only related`
        } (${low === high ? low : `${low} to ${high}`}): alike, but not taken for duplicates. Check ${related.length === 1 ? 'it' : 'them'} before linking.`;
  const joined = pairs.filter((p) => p.linkedInJira || (p.linkedThrough?.length ?? 0) > 0);
  const toLink = n - joined.length;
  const takeBack = 'Unlink and reopen, on the Confirmed tab, takes a link back.';
  if (joined.length === 0) {
    return {
      title: n === 1 ? 'Link this pair as duplicates in Jira?' : `Link ${plural(n, 'pair')} as duplicates in Jira?`,
      label: `Link ${plural(n, 'pair')}`,
      tiers,
      links: `${n === 1 ? 'It gets a Duplicate link in Jira, made as you.' : 'Each pair gets a Duplicate link in Jira, made as you, unless a link made for another selected pair already joins its issues.'} ${takeBack}`,
    };
  }
  if (toLink === 0) {
    return {
      title: n === 1 ? 'Confirm this pair as duplicates?' : `Confirm ${plural(n, 'pair')} as duplicates?`,
      label: `Confirm ${plural(n, 'pair')}`,
      tiers,
      links: `Jira already joins the issues of ${n === 1 ? 'this pair' : n === 2 ? 'both pairs' : `all ${plural(n, 'pair')}`} as duplicates, so no link is made.`,
    };
  }
  const named = joined.slice(0, JOINED_NAMED).map((p) => `${p.a.key} and ${p.b.key}`);
  const more = joined.length - named.length;
  return {
    title: `Link ${plural(toLink, 'pair')} as duplicates in Jira, and confirm ${joined.length.toLocaleString('en')} already joined?`,
    label: `Link ${plural(toLink, 'pair')} and confirm ${joined.length.toLocaleString('en')} more`,
    tiers,
    links:
      `Already joined in Jira, so confirmed without a link: ${named.join('; ')}${more > 0 ? `; and ${plural(more, 'other pair')}` : ''}. ` +
      // With one link to make, no other link of the batch can join its issues first.
      `${toLink === 1 ? 'The other gets a Duplicate link in Jira, made as you.' : `The other ${toLink.toLocaleString('en')} get a Duplicate link in Jira, made as you, unless a link made for another selected pair already joins their issues.`} ${takeBack}`,
  };
}
