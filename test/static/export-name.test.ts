/** The CSV export's file name says the project, the tab, the filters that narrowed it and the day. */
import { DEFAULT_FILTERS, type QueueFilters } from '../../static/project-page/filters';
import { exportFileName } from '../../static/project-page/export-name';

// 7 December 2026 at 00:30 local time: the person's own day, whatever UTC says.
const day = new Date(2026, 11, 7, 0, 30);
const name = (f: Partial<QueueFilters>, status: 'pending' | 'confirmed' | 'dismissed' = 'pending', project: string | null = 'HADOOP') =>
  exportFileName({ ...DEFAULT_FILTERS, ...f }, status, project ?? undefined, day);

describe('exportFileName', () => {
  it('names the project, the tab and the day, and nothing more without filters (the sort orders the same rows)', () => {
    expect(name({})).toBe('HADOOP-duplicates-pending-2026-12-07.csv');
    expect(name({ sort: 'created', order: 'asc' }, 'dismissed')).toBe('HADOOP-duplicates-dismissed-2026-12-07.csv');
    expect(name({}, 'confirmed', null)).toBe('all-projects-duplicates-confirmed-2026-12-07.csv');
  });

  it('names each filter, so exports of one day under other filters differ', () => {
    expect(name({ search: '  Über  ' })).toBe('HADOOP-duplicates-pending-search-über-2026-12-07.csv');
    expect(name({ tier: 'duplicate', types: ['Bug'], statusCategories: ['new', 'done'], openOnly: true, minPct: '45', maxPct: '90' })).toBe(
      'HADOOP-duplicates-pending-possible-duplicates-type-bug-status-to-do+done-open-only-score-45-90-2026-12-07.csv',
    );
    expect(name({ minPct: '60' })).toBe('HADOOP-duplicates-pending-score-60-100-2026-12-07.csv');
    // A range the queue does not apply is not in the name either.
    expect(name({ minPct: '90', maxPct: '10' })).toBe('HADOOP-duplicates-pending-2026-12-07.csv');
  });

  it('keeps only letters and digits of what was typed, and not too many', () => {
    expect(name({ search: 'a/b\\c:"d"*?<>|' })).toBe('HADOOP-duplicates-pending-search-a-b-c-d-2026-12-07.csv');
    expect(name({ search: '%' })).toBe('HADOOP-duplicates-pending-search-2026-12-07.csv');
    expect(name({ search: '数据 节点' })).toBe('HADOOP-duplicates-pending-search-数据-节点-2026-12-07.csv');
    expect(name({ search: 'x'.repeat(200), types: ['Bug', 'Task', 'Story'] }).length).toBeLessThan(200);
  });
});
