import { useEffect, useState } from 'react';
import type { StatusCategory } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { displayText } from '../shared/format';
import { DEFAULT_FILTERS, activeFilterCount, scoreRangeProblem, type QueueFilters } from './filters';
import { useDraft } from '../shared/use-draft';

const CATEGORIES: Array<{ key: StatusCategory; label: string }> = [
  { key: 'new', label: 'To do' },
  { key: 'indeterminate', label: 'In progress' },
  { key: 'done', label: 'Done' },
];

function toggle<T>(list: T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? list : [...list, item]) : list.filter((x) => x !== item);
}

/**
 * Search, filters and sort for the queue. The search box waits for a pause in
 * typing before it asks the server, so each keystroke is not a request.
 */
export function FiltersBar({
  filters,
  onChange,
  typeOptions,
}: {
  filters: QueueFilters;
  onChange: (f: QueueFilters) => void;
  typeOptions: string[];
}) {
  const [search, setSearch] = useDraft(filters.search);
  const [showMore, setShowMore] = useState(false);
  useEffect(() => {
    if (search === filters.search) return;
    const t = window.setTimeout(() => onChange({ ...filters, search }), 300);
    return () => window.clearTimeout(t);
  }, [search, filters, onChange]);

  const rangeProblem = scoreRangeProblem(filters);
  const active = activeFilterCount(filters);
  return (
    <div className="dd-stack" data-testid="filters">
      <div className="dd-row">
        <div className="dd-field dd-grow" style={{ minWidth: 200 }}>
          <label className="dd-label" htmlFor="queue-search">
            Search
          </label>
          <input
            id="queue-search"
            className="dd-input"
            type="search"
            placeholder="Issue key or words in the summary"
            value={search}
            maxLength={200}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              // Only a search not yet applied: Enter on the one shown used to take the queue back
              // to its first page and drop the selection, for the same rows.
              if (e.key === 'Enter' && search !== filters.search) onChange({ ...filters, search });
            }}
            data-testid="search-input"
          />
        </div>
        <div className="dd-field">
          <label className="dd-label" htmlFor="queue-tier">
            Tier
          </label>
          <select
            id="queue-tier"
            className="dd-select"
            value={filters.tier}
            onChange={(e) => onChange({ ...filters, tier: e.target.value === 'duplicate' || e.target.value === 'related' ? e.target.value : '' })}
            data-testid="filter-tier"
          >
            <option value="">All tiers</option>
            <option value="duplicate">Possible duplicates</option>
            <option value="related">Related</option>
          </select>
        </div>
        <div className="dd-field">
          <label className="dd-label" htmlFor="queue-sort">
            Sort by
          </label>
          <select
            id="queue-sort"
            className="dd-select"
            value={`${filters.sort}:${filters.order}`}
            onChange={(e) => {
              const [sort, order] = e.target.value.split(':');
              if ((sort === 'likely' || sort === 'score' || sort === 'created' || sort === 'updated') && (order === 'asc' || order === 'desc')) {
                onChange({ ...filters, sort, order });
              }
            }}
            data-testid="sort"
          >
            <option value="likely:desc">Possible duplicates first</option>
            <option value="score:desc">Score, highest first</option>
            <option value="score:asc">Score, lowest first</option>
            <option value="created:desc">Newest issues first</option>
            <option value="created:asc">Oldest issues first</option>
            <option value="updated:desc">Recently updated first</option>
          </select>
        </div>
        <div className="dd-field">
          <span className="dd-label" aria-hidden="true">
            &nbsp;
          </span>
          <Button appearance="subtle" aria-expanded={showMore} aria-controls="more-filters" onClick={() => setShowMore((v) => !v)} data-testid="more-filters">
            {showMore ? 'Fewer filters' : 'More filters'}
          </Button>
        </div>
        {/* Always laid out, hidden while nothing is filtered: the search box keeps its width as the first letter is typed. */}
        <div className="dd-field" style={active > 0 ? undefined : { visibility: 'hidden' }} aria-hidden={active > 0 ? undefined : true}>
          <span className="dd-label" aria-hidden="true">
            &nbsp;
          </span>
          <Button
            appearance="link"
            disabled={active === 0}
            tabIndex={active > 0 ? undefined : -1}
            onClick={() => {
              // A search typed a moment ago and not yet applied goes too: the box follows only a
              // change of the applied search, and this one was applied empty before and after.
              setSearch('');
              onChange({ ...DEFAULT_FILTERS, sort: filters.sort, order: filters.order });
              // The button hides itself: focus goes to the search box, the first filter.
              document.querySelector<HTMLElement>('[data-testid="search-input"]')?.focus();
            }}
            data-testid="clear-filters"
          >
            Clear filters ({Math.max(active, 1)})
          </Button>
        </div>
      </div>
      {showMore ? (
        <div id="more-filters" className="dd-row" style={{ alignItems: 'flex-start', gap: 'var(--ds-space-300, 24px)' }}>
          <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="dd-label">Issue type</legend>
            {typeOptions.length === 0 ? <span className="dd-help">No types yet</span> : null}
            {typeOptions.map((t) => (
              <Checkbox key={t} label={displayText(t, 40)} checked={filters.types.includes(t)} onChange={(on) => onChange({ ...filters, types: toggle(filters.types, t, on) })} testId={`filter-type-${t}`} />
            ))}
          </fieldset>
          <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="dd-label">Status category</legend>
            {CATEGORIES.map((c) => (
              <Checkbox
                key={c.key}
                label={c.label}
                checked={filters.statusCategories.includes(c.key)}
                onChange={(on) => onChange({ ...filters, statusCategories: toggle(filters.statusCategories, c.key, on) })}
                testId={`filter-category-${c.key}`}
              />
            ))}
            {/* The boxes above match either issue; this one asks about both. */}
            <Checkbox label="Leave out pairs whose issues are both done" checked={filters.openOnly} onChange={(on) => onChange({ ...filters, openOnly: on })} testId="filter-open-only" />
          </fieldset>
          <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="dd-label">Score (%)</legend>
            <div className="dd-row">
              <label className="dd-visually-hidden" htmlFor="score-min">
                Minimum score, percent
              </label>
              <input id="score-min" className="dd-input" style={{ width: 72 }} type="number" min={0} max={100} step={1} placeholder="min" value={filters.minPct} aria-invalid={rangeProblem ? true : undefined} aria-describedby={rangeProblem ? 'score-range-error' : undefined} onChange={(e) => onChange({ ...filters, minPct: e.target.value })} data-testid="filter-min-score" />
              <span aria-hidden="true">–</span>
              <label className="dd-visually-hidden" htmlFor="score-max">
                Maximum score, percent
              </label>
              <input id="score-max" className="dd-input" style={{ width: 72 }} type="number" min={0} max={100} step={1} placeholder="max" value={filters.maxPct} aria-invalid={rangeProblem ? true : undefined} aria-describedby={rangeProblem ? 'score-range-error' : undefined} onChange={(e) => onChange({ ...filters, maxPct: e.target.value })} data-testid="filter-max-score" />
            </div>
            {rangeProblem ? (
              <span id="score-range-error" className="dd-field-error" role="alert">
                {rangeProblem} The range is ignored until it is fixed.
              </span>
            ) : null}
          </fieldset>
        </div>
      ) : null}
    </div>
  );
}
