/**
 * The Duplicate links among the issues a bulk confirmation or a cluster link is about to
 * join, read from Jira as the user just before linking (one search per 100 issues).
 *
 * The stored links (`docs.dup_links`) are what the last run or link event read; a link
 * removed in Jira whose event never reached the app stays in them until a run reads the
 * issue again. Trusting them here would skip a link that no longer exists; reading Jira
 * costs one request for the whole batch. Only when that read fails do the stored links stand
 * in, and the answer says so.
 *
 * Nothing is recorded from this read: a difference from the stored links is a change in
 * Jira, which the next run or link event follows with its consequences (a pair confirmed
 * through a Jira link goes back to pending when the link is gone). The links the caller then
 * makes are recorded by the caller.
 */
import { duplicateLinksAmong } from '../../jira/links';
import { decodeDupLinks, getDocStates } from '../../store/docs';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';

export interface LinksAmong {
  /** Each issue's Duplicate links to others of the set, in either direction. */
  linked(a: string, b: string): boolean;
  /** Every link among the set, once each (a < b). */
  edges(): Array<[string, string]>;
  /** 'jira' when read just now; 'stored' when the read failed and the last read stood in. */
  source: 'jira' | 'stored';
}

function linksOf(map: Map<string, Set<string>>, source: LinksAmong['source']): LinksAmong {
  const has = (a: string, b: string): boolean => map.get(a)?.has(b) === true || map.get(b)?.has(a) === true;
  return {
    source,
    linked: has,
    edges: () => {
      const out: Array<[string, string]> = [];
      const seen = new Set<string>();
      for (const [id, others] of map) {
        for (const other of others) {
          const [a, b] = id < other ? [id, other] : [other, id];
          const key = `${a} ${b}`;
          if (a === b || seen.has(key)) continue;
          seen.add(key);
          out.push([a, b]);
        }
      }
      return out.sort((x, y) => (x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : x[0] < y[0] ? -1 : 1));
    },
  };
}

/** The Duplicate links among `issueIds`: Jira's, or the stored ones when Jira cannot be read. */
export async function duplicateLinksNow(issueIds: readonly string[], what: string): Promise<LinksAmong> {
  const ids = [...new Set(issueIds)];
  if (ids.length < 2) return linksOf(new Map(), 'jira');
  try {
    return linksOf(await duplicateLinksAmong(ids, { deadlineMs: 8_000 }), 'jira');
  } catch (err) {
    logEvent(`${what}.links`, { status: 'failed', issues: ids.length, ...mapError(err).log });
    const wanted = new Set(ids);
    const stored = new Map<string, Set<string>>();
    for (const [id, state] of await getDocStates(ids)) {
      stored.set(id, new Set(decodeDupLinks(state.dupLinks).ids.filter((other) => other !== id && wanted.has(other))));
    }
    return linksOf(stored, 'stored');
  }
}
