/**
 * Which of two issues was filed later: by default the later one "duplicates" the earlier.
 * Creation time decides; equal times fall back to the larger numeric id (created later in
 * Jira). One rule for the server (the link it makes) and the pages (the choice they offer).
 */
export interface Filed {
  id: string;
  createdMs: number;
}

function compareIds(x: string, y: string): number {
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An issue as the pages have it (ISO `created`) in the rule's terms. */
export function filedOf(issue: { id: string; created: string }): Filed {
  return { id: issue.id, createdMs: Date.parse(issue.created) };
}

/** Whether `a` was filed after `b`. */
export function filedAfter(a: Filed, b: Filed): boolean {
  return a.createdMs !== b.createdMs ? a.createdMs > b.createdMs : compareIds(a.id, b.id) > 0;
}
