/**
 * Pairs that Jira itself already links as duplicates (the `dup_links` column of `docs`, read
 * with each issue; src/analysis/jira-links.ts acts on what these queries find).
 *
 * A pending pair whose issues a Duplicate link joins is confirmed as "linked in Jira"
 * (`decided_in_jira = 1`, `decided_by` NULL): the review queue and the badge then stop
 * asking about it. Such a confirmation goes back to pending when the link is removed. A
 * decision a person made is never changed here.
 */
import { execute, placeholders, select, str } from './db';

/** A pair with the keys and projects its history entry names. */
export interface LinkedPair {
  id: string;
  keyA: string;
  keyB: string;
  projectA: string;
  projectB: string;
}

const NAMED = 'p.id, da.issue_key AS key_a, db.issue_key AS key_b, p.project_a, p.project_b';

function toLinkedPair(r: Record<string, unknown>): LinkedPair {
  return { id: str(r.id), keyA: str(r.key_a), keyB: str(r.key_b), projectA: str(r.project_a), projectB: str(r.project_b) };
}

/** Up to 500 ids per statement. */
function slices(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(ids.slice(i, i + 500));
  return out;
}

const byId = (x: LinkedPair, y: LinkedPair): number => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/**
 * Pending pairs first stored under `firstRun` (a run id, or an issue event's `inc-…` marker)
 * whose documents record a Duplicate link between their two issues: a new pair has had no
 * decision yet, so the link decides it. Each half starts from the documents that have links.
 */
export async function newPairsLinkedInJira(firstRun: string): Promise<LinkedPair[]> {
  const rows = await select(
    `SELECT ${NAMED} FROM docs da JOIN pairs p ON p.issue_a = da.id JOIN docs db ON db.id = p.issue_b
       WHERE da.dup_links <> '' AND p.first_run = ? AND p.status = 'pending' AND FIND_IN_SET(p.issue_b, da.dup_links) > 0
     UNION
     SELECT ${NAMED} FROM docs db JOIN pairs p ON p.issue_b = db.id JOIN docs da ON da.id = p.issue_a
       WHERE db.dup_links <> '' AND p.first_run = ? AND p.status = 'pending' AND FIND_IN_SET(p.issue_a, db.dup_links) > 0`,
    [firstRun, firstRun],
  );
  return [...new Map(rows.map((r) => [str(r.id), toLinkedPair(r)])).values()].sort(byId);
}

/**
 * These pairs, where they are pending (`which` 'pending') or confirmed through a Jira link
 * ('linked-in-jira'), with the keys and projects their history entries name.
 */
export async function pairsNamed(pairIds: readonly string[], which: 'pending' | 'linked-in-jira'): Promise<LinkedPair[]> {
  const condition = which === 'pending' ? "p.status = 'pending'" : "p.status = 'confirmed' AND p.decided_in_jira = 1";
  const out: LinkedPair[] = [];
  for (const slice of slices(pairIds)) {
    const rows = await select(
      `SELECT ${NAMED} FROM pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b WHERE p.id IN (${placeholders(slice.length)}) AND ${condition}`,
      slice,
    );
    out.push(...rows.map(toLinkedPair));
  }
  return out.sort(byId);
}

/**
 * Confirms these pairs as linked in Jira, where still pending (a decision someone makes
 * meanwhile wins). A reopen the pair had is over: the link was made since (`reopened_ms`
 * cleared). Returns the ids this call changed: those stamped with its `atMs`.
 */
/** `actor`: who made the link, when Jira's issue-link event said so (the charts count the decision under them); null otherwise. */
export async function confirmAsLinkedInJira(pairIds: readonly string[], atMs: number, actor: string | null = null): Promise<string[]> {
  const at = Math.floor(atMs);
  const changed: string[] = [];
  for (const slice of slices(pairIds)) {
    const list = placeholders(slice.length);
    await execute(`UPDATE pairs SET status = 'confirmed', decided_by = ?, decided_ms = ?, decided_in_jira = 1, reopened_ms = NULL WHERE id IN (${list}) AND status = 'pending'`, [actor, at, ...slice]);
    const rows = await select(`SELECT id FROM pairs WHERE id IN (${list}) AND status = 'confirmed' AND decided_in_jira = 1 AND decided_ms = ?`, [...slice, at]);
    changed.push(...rows.map((r) => str(r.id)));
  }
  return changed.sort();
}

/**
 * Puts confirmations that came from a Jira link back to pending, where they still are such
 * confirmations. Returns the ids that are pending afterwards.
 */
export async function reopenUnlinkedInJira(pairIds: readonly string[]): Promise<string[]> {
  const changed: string[] = [];
  for (const slice of slices(pairIds)) {
    const list = placeholders(slice.length);
    const before = await select(`SELECT id FROM pairs WHERE id IN (${list}) AND status = 'confirmed' AND decided_in_jira = 1`, slice);
    const ids = before.map((r) => str(r.id));
    if (ids.length === 0) continue;
    const list2 = placeholders(ids.length);
    await execute(`UPDATE pairs SET status = 'pending', decided_by = NULL, decided_ms = NULL, decided_in_jira = 0 WHERE id IN (${list2}) AND status = 'confirmed' AND decided_in_jira = 1`, ids);
    const after = await select(`SELECT id FROM pairs WHERE id IN (${list2}) AND status = 'pending'`, ids);
    changed.push(...after.map((r) => str(r.id)));
  }
  return changed.sort();
}
