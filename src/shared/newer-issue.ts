/**
 * Which of two issues was filed later: by default the later one "duplicates" the earlier.
 * Creation time decides; equal times fall back to the larger numeric id (created later in
 * Jira). One rule for the server (the link it makes) and the pages (the choice they offer).
 */
export interface Filed {
  id: string;
  createdMs: number;
  /** Jira's resolution name ('' or absent: unresolved, or not known). */
  resolution?: string | null;
}

function compareIds(x: string, y: string): number {
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An issue as the pages have it (ISO `created`) in the rule's terms. */
export function filedOf(issue: { id: string; created: string; resolution?: string | null }): Filed {
  return { id: issue.id, createdMs: Date.parse(issue.created), resolution: issue.resolution ?? null };
}

/** Whether Jira's resolution says the issue was closed as a duplicate ("Duplicate", "Duplicated"). */
export function resolvedAsDuplicate(resolution: string | null | undefined): boolean {
  return typeof resolution === 'string' && /^\s*duplicated?\s*$/i.test(resolution);
}

/**
 * Whether `a`, rather than `b`, is the duplicate by default: the one someone already closed
 * as a duplicate when only one of them was (an older report closed in favour of a newer one
 * is common in real backlogs), else the one filed later.
 */
export function duplicateByDefault(a: Filed, b: Filed): boolean {
  const da = resolvedAsDuplicate(a.resolution);
  const db = resolvedAsDuplicate(b.resolution);
  return da !== db ? da : filedAfter(a, b);
}

/** Whether `a` was filed after `b`. */
export function filedAfter(a: Filed, b: Filed): boolean {
  return a.createdMs !== b.createdMs ? a.createdMs > b.createdMs : compareIds(a.id, b.id) > 0;
}
