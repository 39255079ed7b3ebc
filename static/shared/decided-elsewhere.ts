/**
 * What a page says when a decision on one pair was refused because the pair had left the
 * status the page showed (CONFLICT: someone else decided it first): who did what to it and
 * when, that this decision was not carried out, and where the pair is now. The project page
 * and the issue view say it in the same frame, each in its own words for the pair.
 */
import type { PairView, ReviewStatus } from '../../src/shared/contract';
import { call } from './api';
import { plural } from './format';
import { decidedElsewhereText, whoDidWhat, type ElsewhereWords, type PairNow, type SingleDecision } from './decided-elsewhere-text';

export { decidedElsewhereText, type ElsewhereWords, type PairNow, type SingleDecision };

const STATUSES: readonly ReviewStatus[] = ['pending', 'confirmed', 'dismissed'];
const TAB: Record<ReviewStatus, string> = { pending: 'Pending', confirmed: 'Confirmed', dismissed: 'Dismissed' };
const YOURS: Record<SingleDecision, string> = { confirm: 'confirmation', dismiss: 'dismissal', reopen: 'reopen' };

/** The pair as it stands now, and the names of who decided it; null when it cannot be read. */
async function pairNow(pair: Pick<PairView, 'id' | 'a' | 'b'>, shown: ReviewStatus, projectKey: string | undefined): Promise<PairNow | null> {
  // Searched by both keys in the other tabs: each word must name one of the pair's issues.
  const answers = await Promise.all(
    STATUSES.filter((s) => s !== shown).map((status) => call('pairs.list', { ...(projectKey ? { projectKey } : {}), status, search: `${pair.a.key} ${pair.b.key}`, pageSize: 10 })),
  );
  for (const res of answers) {
    if (!res.success) continue;
    const found = res.data.items.find((p) => p.id === pair.id);
    if (found !== undefined) return { pair: found, names: new Map(res.data.actors.map((a) => [a.accountId, a.displayName])) };
  }
  return null;
}

/** The project page's words for one pair: "SHOP-1 and SHOP-5". */
function projectPageWords(name: string): Pick<ElsewhereWords, 'did' | 'linkedInJira'> {
  return { did: { pending: `reopened ${name}`, confirmed: `confirmed ${name}`, dismissed: `dismissed ${name}` }, linkedInJira: `${name} were linked as duplicates in Jira` };
}

/**
 * The project page's words for a refused decision on a pair of its review queue or Compare:
 * the pair read again from `pairs.list` in the other two tabs.
 */
export async function decidedElsewhereWords(
  pair: Pick<PairView, 'id' | 'a' | 'b'>,
  d: SingleDecision,
  shown: ReviewStatus,
  projectKey: string | undefined,
  me: string | null,
): Promise<string> {
  const name = `${pair.a.key} and ${pair.b.key}`;
  const now = await pairNow(pair, shown, projectKey);
  return decidedElsewhereText(
    {
      name,
      ...projectPageWords(name),
      shown: `this page showed them as ${shown}`,
      notDone: `your ${YOURS[d]} was not saved`,
      where: { pending: `The pair is under ${TAB.pending} now.`, confirmed: `The pair is under ${TAB.confirmed} now.`, dismissed: `The pair is under ${TAB.dismissed} now.` },
      unknown: 'The list now shows where the pair stands.',
    },
    now,
    me,
  );
}

/** How many pairs a bulk action's outcome names, each with who decided it; the others are counted. */
export const BULK_NAMED = 3;

/** What a bulk action did not do, by its decision: "confirmed". */
const NOT_DONE: Record<SingleDecision, string> = { confirm: 'confirmed', dismiss: 'dismissed', reopen: 'reopened' };

/**
 * The project page's words for the pairs of a bulk action refused because someone decided them
 * after the page read the list (each item's `CONFLICT`): "Someone else decided 2 of the selected
 * pairs after this page showed them as pending, so they were not confirmed: Lee Lead dismissed
 * SHOP-1 and SHOP-5 2 minutes ago (under Dismissed now); you confirmed SHOP-2 and SHOP-7 just now
 * (under Confirmed now)." The first `BULK_NAMED` are named, each read again as a single refusal
 * is; the others are counted ("; and 4 more pairs"). Asked with `left out` before a bulk
 * confirmation, for the selected pairs the list read again no longer holds: "…, so they are
 * left out: …".
 */
export async function bulkDecidedElsewhereWords(
  pairs: ReadonlyArray<Pick<PairView, 'id' | 'a' | 'b'>>,
  /** The bulk action refused, or `left out`: the pairs a question about to be asked leaves out. */
  d: SingleDecision | 'left out',
  shown: ReviewStatus,
  projectKey: string | undefined,
  me: string | null,
): Promise<string> {
  const named = pairs.slice(0, BULK_NAMED);
  const found = await Promise.all(named.map((p) => pairNow(p, shown, projectKey)));
  const clauses = named.map((p, i) => {
    const name = `${p.a.key} and ${p.b.key}`;
    const now = found[i] ?? null;
    if (now === null) return `someone else decided ${name}`;
    // Inside the sentence: "someone else", "you"; names and issue keys as they are.
    return `${whoDidWhat(projectPageWords(name), now, me, false)} (under ${TAB[now.pair.status]} now)`;
  });
  const more = pairs.length - named.length;
  const one = pairs.length === 1;
  return (
    `Someone else decided ${pairs.length.toLocaleString('en')} of the selected pairs after this page showed ${one ? 'it' : 'them'} as ${shown}, ` +
    `so ${d === 'left out' ? (one ? 'it is left out' : 'they are left out') : `${one ? 'it was' : 'they were'} not ${NOT_DONE[d]}`}: ${clauses.join('; ')}${more > 0 ? `; and ${plural(more, 'more pair')}` : ''}.`
  );
}
