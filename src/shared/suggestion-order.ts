/**
 * The order an issue's suggestions are listed in: the higher score first, and between equal
 * scores the smaller pair id, compared as text, so suggestions of the same score keep one
 * order on every read. One rule for the resolver (`pairsOfIssueWithDocs`) and for the issue
 * panel, which puts a suggestion back in its place itself after an Undo or a Restore.
 */
export interface Ranked {
  score: number;
  /** The pair's id. */
  id: string;
}

export function strongestFirst(x: Ranked, y: Ranked): number {
  return y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}
