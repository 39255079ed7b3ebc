/**
 * Small pieces of text shared by the server (the action history's details) and the pages:
 * counts with the right plural, similarity scores as the percentages every screen shows.
 */

/** "1 project", "3 projects" (`many` for irregular plurals); the number in the reader's locale. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** A similarity score 0..1 as people read it: 0.377 → "38%" (clamped to 0–100 %). */
export function percent(score: number): string {
  if (!Number.isFinite(score)) return '–';
  return `${Math.round(Math.min(1, Math.max(0, score)) * 100)}%`;
}
