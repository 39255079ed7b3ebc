/**
 * Jira's REST timestamps look like `2024-01-31T10:20:30.000+0000` (numeric
 * offset without a colon). The stand-in keeps UTC ISO strings internally and
 * formats at the edge, so apps that parse the offset form are exercised.
 */

export function toJiraTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('Z', '+0000');
}

/** Normalises any parseable date string to a UTC ISO string; throws on garbage. */
export function toIso(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${value}`);
  return d.toISOString();
}
