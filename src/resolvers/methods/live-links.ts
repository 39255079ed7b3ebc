/**
 * The Duplicate links around the issues a confirmation or a cluster link is about to join,
 * read from Jira as the user just before linking (`readDuplicateLinks`: one search per round
 * of up to 100 issues), as a `DuplicateForest` that says whether two issues are joined
 * already and which link would join them without giving an issue a second "duplicates" link.
 *
 * The stored links (`docs.dup_links`) are what the last run or link event read; a link
 * removed in Jira whose event never reached the app stays in them until a run reads the
 * issue again, and they hold neither the links' direction nor issues outside the analysis.
 * Only when the read fails do they stand in (undirected: they only say what is joined), and
 * the answer says so.
 *
 * Nothing is recorded from this read: a difference from the stored links is a change in
 * Jira, which the next run or link event follows with its consequences (a pair confirmed
 * through a Jira link goes back to pending when the link is gone). The links the caller then
 * makes are recorded by the caller.
 */
import { readDuplicateLinks } from '../../jira/links';
import { decodeDupLinks, getDocStates, type DocMeta } from '../../store/docs';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';
import { DuplicateForest } from './duplicate-forest';

export interface ForestNow {
  forest: DuplicateForest;
  /** 'jira' when read just now; 'stored' when the read failed and the last read stood in. */
  source: 'jira' | 'stored';
}

/** The Duplicate links around `issues`: Jira's, or the stored ones when Jira cannot be read. */
export async function duplicateForestNow(issues: readonly DocMeta[], what: string): Promise<ForestNow> {
  const byId = new Map(issues.map((d) => [d.id, d]));
  const ids = [...byId.keys()];
  const known = [...byId.values()].map((d) => ({ id: d.id, key: d.key, createdMs: d.createdMs, resolution: d.resolution ?? null }));
  try {
    const read = await readDuplicateLinks(ids, { deadlineMs: 8_000 });
    if (!read.complete) logEvent(`${what}.links`, { status: 'partial', issues: ids.length, read: read.issues.length });
    // Stored creation times first: Jira's are the same, and they cover issues Jira did not return.
    return { forest: new DuplicateForest([...known, ...read.issues], read.links), source: 'jira' };
  } catch (err) {
    logEvent(`${what}.links`, { status: 'failed', issues: ids.length, ...mapError(err).log });
    const undirected: Array<[string, string]> = [];
    for (const [id, state] of await getDocStates(ids)) {
      for (const other of decodeDupLinks(state.dupLinks).ids) if (other !== id && byId.has(other)) undirected.push([id, other]);
    }
    return { forest: new DuplicateForest(known, [], undirected), source: 'stored' };
  }
}
