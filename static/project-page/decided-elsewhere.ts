import type { PairView, ReviewStatus } from '../../src/shared/contract';
import { call } from '../shared/api';
import { timeAgo } from '../shared/format';
import type { PairDecision } from './pair-table';

const STATUSES: readonly ReviewStatus[] = ['pending', 'confirmed', 'dismissed'];
const TAB: Record<ReviewStatus, string> = { pending: 'Pending', confirmed: 'Confirmed', dismissed: 'Dismissed' };
const YOURS: Record<PairDecision, string> = { confirm: 'confirmation', dismiss: 'dismissal', reopen: 'reopen' };

/** The pair as it stands now, and the names of who decided it; null when it cannot be read. */
async function pairNow(pair: Pick<PairView, 'id' | 'a' | 'b'>, shown: ReviewStatus, projectKey: string | undefined): Promise<{ pair: PairView; names: Map<string, string> } | null> {
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

/**
 * What the page says when a decision on one pair was refused because the pair had left the
 * status the page showed (CONFLICT: someone else decided it first): who did what to it and
 * when, that this decision was not saved, and under which tab the pair is now. "Alex Admin
 * dismissed SHOP-1 and SHOP-5 2 minutes ago, after this page showed them as pending, so your
 * confirmation was not saved. The pair is under Dismissed now."
 */
export async function decidedElsewhereWords(
  pair: Pick<PairView, 'id' | 'a' | 'b'>,
  d: PairDecision,
  shown: ReviewStatus,
  projectKey: string | undefined,
  me: string | null,
): Promise<string> {
  const name = `${pair.a.key} and ${pair.b.key}`;
  const now = await pairNow(pair, shown, projectKey);
  const tail = `after this page showed them as ${shown}, so your ${YOURS[d]} was not saved.`;
  if (now === null) return `Someone else decided ${name} ${tail} The list now shows where the pair stands.`;
  const p = now.pair;
  const who = p.decidedBy === null ? null : p.decidedBy === me ? 'you' : (now.names.get(p.decidedBy) ?? null);
  const when = p.status === 'pending' ? '' : timeAgo(p.decidedAt);
  const did =
    p.status === 'pending'
      ? `Someone else reopened ${name}`
      : p.decidedInJira
        ? `${name} were linked as duplicates in Jira${who !== null ? ` by ${who}` : ''}`
        : `${who === null ? 'Someone else' : who === 'you' ? 'You' : who} ${p.status} ${name}`;
  return `${did}${when !== '' ? ` ${when}` : ''}, ${tail} The pair is under ${TAB[p.status]} now.`;
}
