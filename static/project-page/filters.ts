/** The review queue's filter state and how it maps onto the contract's payloads. */
import type { PairFilters, PairSort, ReviewStatus, StatusCategory, Tier } from '../../src/shared/contract';

export interface QueueFilters {
  search: string;
  tier: Tier | '';
  types: string[];
  statusCategories: StatusCategory[];
  /** Leave out pairs whose two issues are both done. */
  openOnly: boolean;
  /** Percent 0..100 as typed; '' when not set. */
  minPct: string;
  maxPct: string;
  sort: PairSort;
  order: 'asc' | 'desc';
}

export const DEFAULT_FILTERS: QueueFilters = {
  search: '',
  tier: '',
  types: [],
  statusCategories: [],
  openOnly: false,
  minPct: '',
  maxPct: '',
  sort: 'likely',
  order: 'desc',
};

const SORTS: readonly PairSort[] = ['likely', 'score', 'created', 'updated'];
const CATEGORIES: readonly StatusCategory[] = ['new', 'indeterminate', 'done'];
const PCT = /^\d{0,3}(\.\d{0,2})?$/;

/**
 * Filters read back from storage (session-state.ts): each field taken only when it has the
 * shape it should, else its default; null when it is not an object at all.
 */
export function restoreFilters(raw: unknown): QueueFilters | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  const strings = (v: unknown, max: number): string[] | null => (Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length <= 100) ? (v as string[]) : null);
  return {
    search: typeof o['search'] === 'string' && o['search'].length <= 200 ? o['search'] : DEFAULT_FILTERS.search,
    tier: o['tier'] === 'duplicate' || o['tier'] === 'related' ? o['tier'] : '',
    types: strings(o['types'], 50) ?? [],
    statusCategories: (strings(o['statusCategories'], 3) ?? []).filter((c): c is StatusCategory => (CATEGORIES as readonly string[]).includes(c)),
    openOnly: o['openOnly'] === true,
    minPct: typeof o['minPct'] === 'string' && PCT.test(o['minPct']) ? o['minPct'] : '',
    maxPct: typeof o['maxPct'] === 'string' && PCT.test(o['maxPct']) ? o['maxPct'] : '',
    sort: SORTS.includes(o['sort'] as PairSort) ? (o['sort'] as PairSort) : DEFAULT_FILTERS.sort,
    order: o['order'] === 'asc' ? 'asc' : 'desc',
  };
}

function pct(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) return undefined;
  return Math.min(100, Math.max(0, n)) / 100;
}

/**
 * A typed score bound as the score the server compares. Scores are shown as whole percents
 * (`percent`: rounded down), so a whole number covers every score shown as it: 45 to 45 is
 * the scores shown as "45%", from 0.45 up to just under 0.46. A bound with decimals is taken
 * as typed.
 */
export function scoreBound(value: string, side: 'min' | 'max'): number | undefined {
  const exact = pct(value);
  if (exact === undefined || !Number.isInteger(Number(value))) return exact;
  // `percent` reads a score 1e-6 below a whole percent as that percent.
  const widened = side === 'min' ? exact - 1e-8 : exact + 0.01 - 1.5e-8;
  return Math.min(1, Math.max(0, widened));
}

/** A message for an impossible score range, or null when it is fine. */
export function scoreRangeProblem(f: QueueFilters): string | null {
  for (const [label, v] of [['Minimum', f.minPct], ['Maximum', f.maxPct]] as const) {
    if (v.trim() === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 100) return `${label} score must be a number from 0 to 100.`;
  }
  const min = pct(f.minPct);
  const max = pct(f.maxPct);
  if (min !== undefined && max !== undefined && min > max) return 'Minimum score must not be above the maximum.';
  return null;
}

/** The contract filters; optional keys are left out rather than sent empty. */
export function toPairFilters(f: QueueFilters, status: ReviewStatus, projectKey: string | undefined): PairFilters {
  const out: PairFilters = { status };
  if (projectKey) out.projectKey = projectKey;
  if (f.tier) out.tier = f.tier;
  if (f.types.length > 0) out.types = f.types;
  if (f.statusCategories.length > 0) out.statusCategories = f.statusCategories;
  if (f.openOnly) out.openOnly = true;
  if (scoreRangeProblem(f) === null) {
    const min = scoreBound(f.minPct, 'min');
    const max = scoreBound(f.maxPct, 'max');
    if (min !== undefined) out.minScore = min;
    if (max !== undefined) out.maxScore = max;
  }
  const search = f.search.trim().slice(0, 200);
  if (search) out.search = search;
  return out;
}

export function activeFilterCount(f: QueueFilters): number {
  return (
    (f.tier ? 1 : 0) +
    (f.types.length > 0 ? 1 : 0) +
    (f.statusCategories.length > 0 ? 1 : 0) +
    (f.openOnly ? 1 : 0) +
    (f.minPct.trim() || f.maxPct.trim() ? 1 : 0) +
    (f.search.trim() ? 1 : 0)
  );
}
