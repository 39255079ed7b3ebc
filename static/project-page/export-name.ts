/**
 * The CSV export's file name: the project, the tab, the filters that narrowed the rows and the
 * day, so two exports of one day under other filters do not get the same name:
 * `HADOOP-duplicates-pending-search-über-possible-duplicates-2026-12-07.csv`. The sort is not in
 * it: it orders the same rows.
 */
import type { ReviewStatus, StatusCategory } from '../../src/shared/contract';
import { scoreRangeProblem, type QueueFilters } from './filters';

const CATEGORY_NAME: Record<StatusCategory, string> = { new: 'to-do', indeterminate: 'in-progress', done: 'done', unknown: 'unknown' };

/** Letters and digits of any script, lower case; anything else a single '-'. At most `max` characters. */
function slug(text: string, max: number): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** The day in the person's own time zone, as 2026-12-07. */
function localDay(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

export function exportFileName(filters: QueueFilters, status: ReviewStatus, projectKey: string | undefined, now: Date): string {
  const parts: string[] = [];
  const search = filters.search.trim();
  if (search !== '') parts.push(['search', slug(search, 40)].filter((p) => p !== '').join('-'));
  if (filters.tier !== '') parts.push(filters.tier === 'duplicate' ? 'possible-duplicates' : 'related');
  if (filters.types.length > 0) parts.push(`${filters.types.length === 1 ? 'type' : 'types'}-${slug(filters.types.join(' '), 40)}`);
  if (filters.statusCategories.length > 0) parts.push(`status-${filters.statusCategories.map((c) => CATEGORY_NAME[c]).join('+')}`);
  if (filters.openOnly) parts.push('open-only');
  // As the queue applies it: only a score range that makes sense narrows the rows.
  const min = filters.minPct.trim();
  const max = filters.maxPct.trim();
  if ((min !== '' || max !== '') && scoreRangeProblem(filters) === null) parts.push(`score-${min || '0'}-${max || '100'}`);
  const project = slug(projectKey ?? '', 40).toUpperCase() || 'all-projects';
  const filtered = parts.join('-').slice(0, 120).replace(/-+$/, '');
  return `${project}-duplicates-${status}${filtered !== '' ? `-${filtered}` : ''}-${localDay(now)}.csv`;
}
