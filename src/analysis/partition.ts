/**
 * Splits a run's JQL into created-date slices of about equal size so several fetch chains
 * page through Jira at once (search pages are sequential within a chain: 50 issues and
 * ~100 ms each, so 20,000 issues in one chain take 40 s of waiting alone).
 *
 * Bounds come from the oldest and newest created dates and approximate counts of thin
 * uniform slices (one parallel round of count requests); adjacent slices are then grouped
 * greedily. The first and last chains are open-ended, so the slices always cover the scope
 * exactly once, whatever time zone Jira reads the bounds in.
 */
import { approximateCount, firstCreated } from '../jira/search';
import { parseJiraTime } from '../jira/issues';
import { withCreatedSlice } from './scope-jql';

export const CHAIN_TARGET_ISSUES = 2000;
export const MAX_CHAINS = 8;
const ORDER = ' ORDER BY created ASC';

interface JiraCallBudget {
  deadlineMs: number;
  maxWaitSeconds: number;
}

async function createdAt(jql: string, direction: 'ASC' | 'DESC', budget: JiraCallBudget): Promise<number | null> {
  const created = await firstCreated(`${jql} ORDER BY created ${direction}`, budget);
  return created === null ? null : parseJiraTime(created) || null;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** The JQL of each fetch chain (with ORDER BY), one chain when the scope is small. */
export async function planChains(jql: string, expected: number | null, budget: JiraCallBudget): Promise<string[]> {
  const wanted = Math.min(MAX_CHAINS, Math.max(1, Math.ceil((expected ?? 0) / CHAIN_TARGET_ISSUES)));
  if (wanted <= 1) return [jql + ORDER];
  const [first, last] = await Promise.all([createdAt(jql, 'ASC', budget), createdAt(jql, 'DESC', budget)]);
  if (first === null || last === null || last - first < 60 * 60_000) return [jql + ORDER];

  const sliceCount = wanted * 4;
  const minute = 60_000;
  const start = Math.floor(first / minute) * minute;
  const end = Math.ceil((last + minute) / minute) * minute;
  const bounds: number[] = [];
  for (let i = 1; i < sliceCount; i++) {
    const b = Math.round((start + ((end - start) * i) / sliceCount) / minute) * minute;
    if (b > start && b < end && b !== bounds[bounds.length - 1]) bounds.push(b);
  }
  const edges: Array<number | null> = [null, ...bounds, null];
  const slices = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1] ?? null }));
  const counts = await mapLimited(slices, 8, (s) => approximateCount(withCreatedSlice(jql, s.from, s.to), budget));
  const total = counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  if (total === 0 || counts.some((c) => c === null)) {
    // Without counts, equal time slices are still a valid (if uneven) split.
    return groupBounds(jql, slices.map(() => 1), slices, wanted);
  }
  return groupBounds(jql, counts.map((c) => c ?? 0), slices, wanted);
}

function groupBounds(jql: string, counts: number[], slices: Array<{ from: number | null; to: number | null }>, wanted: number): string[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const target = total / wanted;
  const chains: string[] = [];
  let from: number | null = null;
  let acc = 0;
  for (let i = 0; i < slices.length; i++) {
    acc += counts[i] ?? 0;
    const isLast = i === slices.length - 1;
    if (isLast || (acc >= target && chains.length < wanted - 1)) {
      const to = isLast ? null : (slices[i]?.to ?? null);
      chains.push(withCreatedSlice(jql, from, to) + ORDER);
      from = to;
      acc = 0;
    }
  }
  return chains;
}
