/**
 * Pairs whose two issues Jira already joins through other issues' Duplicate links: A
 * duplicates C and C duplicates B (either direction, as the stored lists say). Such a pair
 * looks like any other in the queue, yet confirming it adds no link (the forest finds the
 * chain) and dismissing it leaves Jira saying the opposite. The list names the issues in
 * between, so that whoever reviews it knows.
 *
 * A walk over the stored `docs.dup_links`, one breadth-first level at a time for all the
 * pairs of a page together (one read a level), through at most `MAX_THROUGH` issues, and
 * only through issues the viewer may see (`passable`): a chain through a hidden issue is
 * not named, nor hinted at.
 */
import { browsableIssueIds } from '../../jira/permissions';
import { dupLinksOf, type LinkedDoc, type PairRow } from '../../store/review';

/** At most this many issues in between. */
export const MAX_THROUGH = 3;
/** Issues read per level, for all the pairs of a page together. */
const MAX_LEVEL_READ = 2000;

export interface ChainEnds {
  id: string;
  a: { id: string; dupLinks: readonly string[] };
  b: { id: string; dupLinks: readonly string[] };
}

/**
 * For each pair whose issues the stored links join through other issues, and not directly,
 * the ids of the issues in between, in order from a's side (the shortest such chain; ties by
 * the order links are stored in). Pairs that are linked directly, or not joined within
 * `MAX_THROUGH` issues, are left out.
 */
export async function chainsBetween(
  pairs: readonly ChainEnds[],
  read: (ids: string[]) => Promise<Map<string, LinkedDoc>>,
  passable: (doc: LinkedDoc) => boolean,
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  // Only pairs not linked to each other, with a stored link on one side at least. The walk
  // starts from a side with links (Jira lists a link on both issues, but a list may be cut
  // short or older on one side) and the issues in between are given from a's side.
  const open = pairs
    .filter((p) => (p.a.dupLinks.length > 0 || p.b.dupLinks.length > 0) && !p.a.dupLinks.includes(p.b.id) && !p.b.dupLinks.includes(p.a.id))
    .map((p) => (p.a.dupLinks.length > 0 ? { pair: p, from: p.a, to: p.b, reversed: false } : { pair: p, from: p.b, to: p.a, reversed: true }));
  if (open.length === 0) return found;
  const docs = new Map<string, LinkedDoc | null>();
  // Per pair: how each reached issue was reached (issue → the one before it, '' for the first).
  const walks = open.map((o) => ({ ...o, before: new Map<string, string>([[o.from.id, '']]), frontier: [] as string[] }));
  for (const w of walks) {
    for (const id of w.from.dupLinks) {
      if (id === w.to.id || w.before.has(id)) continue;
      w.before.set(id, w.from.id);
      w.frontier.push(id);
    }
  }
  for (let level = 1; level <= MAX_THROUGH; level++) {
    const live = walks.filter((w) => w.frontier.length > 0 && !found.has(w.pair.id));
    if (live.length === 0) break;
    const wanted = [...new Set(live.flatMap((w) => w.frontier))].filter((id) => !docs.has(id)).slice(0, MAX_LEVEL_READ);
    if (wanted.length > 0) {
      const got = await read(wanted);
      for (const id of wanted) docs.set(id, got.get(id) ?? null);
    }
    for (const w of live) {
      const next: string[] = [];
      for (const id of w.frontier) {
        const doc = docs.get(id);
        // Not stored, not read (past the level's cap) or not the viewer's to see: no way through.
        if (doc === undefined || doc === null || !passable(doc)) continue;
        if (doc.dupLinks.includes(w.to.id) || w.to.dupLinks.includes(id)) {
          const through: string[] = [];
          for (let at = id; at !== w.from.id && at !== ''; at = w.before.get(at) ?? '') through.unshift(at);
          found.set(w.pair.id, w.reversed ? through.reverse() : through);
          break;
        }
        for (const link of doc.dupLinks) {
          if (link === w.to.id || w.before.has(link)) continue;
          w.before.set(link, id);
          next.push(link);
        }
      }
      w.frontier = next;
    }
  }
  return found;
}

/**
 * `chainsBetween` over the stored links of these pairs, walking only through issues `passable`
 * lets through, and keeping only the chains whose every issue Jira says the viewer may browse
 * now (one permission call, made only when a chain was found): pair id → the keys in between,
 * from the pair's first issue. The queue and the issue panel both name chains with it.
 * `budget.deadlineAt`: an end the permission call shares with the caller's other Jira calls.
 */
export async function chainsTheViewerSees(
  pairs: readonly PairRow[],
  passable: (doc: LinkedDoc) => boolean = () => true,
  budget: { deadlineAt?: number } = {},
): Promise<Map<string, string[]>> {
  const keys = new Map<string, string>();
  const chains = await chainsBetween(
    pairs.map((p) => ({ id: p.id, a: { id: p.a.id, dupLinks: p.dupLinksA }, b: { id: p.b.id, dupLinks: p.dupLinksB } })),
    dupLinksOf,
    (doc) => {
      const ok = passable(doc);
      if (ok) keys.set(doc.id, doc.key);
      return ok;
    },
  );
  const out = new Map<string, string[]>();
  if (chains.size === 0) return out;
  // The stored project and level may be older than Jira's: ask Jira about the issues named.
  const ok = await browsableIssueIds([...new Set([...chains.values()].flat())], undefined, budget);
  for (const [pairId, ids] of chains) if (ids.every((id) => ok.has(id))) out.set(pairId, ids.map((id) => keys.get(id) ?? id));
  return out;
}
