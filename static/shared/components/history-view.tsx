import { Fragment, useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionView, HistoryKind } from '../../../src/shared/contract';
import { issueKeyOrNumber } from '../../../src/shared/issue-key';
import { Button } from './button';
import { Checkbox } from './checkbox';
import { displayText, nameAtStart, plural } from '../format';
import { FocusReturn } from '../focus-return';
import { detailText } from '../history-text';
import { groupText, groupedEntries, reasonInDetail } from '../history-groups';
import { IssueKeyLink } from './issue-key-link';
import { useCall } from '../use-call';
import { useDraft } from '../use-draft';
import { useLastPage } from '../use-last-page';
import { useRecovered } from '../use-recovered';
import { useStaleRows } from '../use-stale-rows';
import { UserText } from './user-text';
import { EmptyState, ErrorBanner, Skeleton } from './feedback';
import { Pagination } from './pagination';
import { When } from './when';

const PAGE_SIZE = 25;

const ACTION_TEXT: Record<ActionView['action'], string> = {
  confirm: 'Confirmed a duplicate',
  dismiss: 'Dismissed a pair',
  'dismiss.reason': 'Said why a pair is not a duplicate',
  'link.related': 'Linked a pair as related in Jira',
  reopen: 'Reopened a pair',
  unlink: 'Unlinked and reopened a pair',
  'cluster.link': 'Linked a cluster as duplicates',
  'run.start': 'Started an analysis',
  'run.cancel': 'Cancelled an analysis',
  'run.fail': 'An analysis failed',
  'settings.save': 'Changed settings',
  'uim.register': 'Registered the create-dialog check',
};

const KIND_TEXT: Record<HistoryKind, string> = {
  decisions: 'Decisions',
  analyses: 'Analyses',
  settings: 'Settings changes',
};

interface HistoryFilter {
  kind: HistoryKind | '';
  mine: boolean;
  issueKey: string;
  /** Text in the issue box that is not an issue key, once applied: nothing names it, so nothing is listed. */
  notAKey: string;
}

const NO_FILTER: HistoryFilter = { kind: '', mine: false, issueKey: '', notAKey: '' };

const isFiltered = (f: HistoryFilter): boolean => f.kind !== '' || f.mine || f.issueKey !== '' || f.notAKey !== '';

/**
 * The issue box's text as a filter: a key, or text that is not one. On a project page a
 * number alone ("27", "#27") is the key with that number in the page's project, SHOP-27, as
 * the review queue's search reads a number.
 */
function issueFilter(typed: string, issueProject: string | null): Pick<HistoryFilter, 'issueKey' | 'notAKey'> {
  const text = typed.trim();
  const key = issueKeyOrNumber(text, issueProject);
  return text === '' ? { issueKey: '', notAKey: '' } : key !== null ? { issueKey: key, notAKey: '' } : { issueKey: '', notAKey: text };
}

/**
 * What to show: one kind of action, the viewer's own, one issue. The issue box applies its
 * text after a pause in typing, or on Enter, as the queue's search box does: a key lists what
 * names it; other text lists nothing, and is answered under the box.
 */
function HistoryFilters({
  filter,
  onChange,
  onClear,
  kinds,
  issueProject,
}: {
  filter: HistoryFilter;
  onChange: (f: HistoryFilter) => void;
  onClear: () => void;
  kinds: HistoryKind[];
  /** The page's project, whose key the issue box gives as its example; no issue box without one. */
  issueProject: string | null;
}) {
  const id = useId();
  const applied = filter.notAKey !== '' ? filter.notAKey : filter.issueKey;
  const [typed, setTyped] = useDraft(applied);
  const problem = typed.trim() !== '' && issueKeyOrNumber(typed, issueProject) === null ? `Type an issue key, such as ${issueProject ?? 'ABC'}-12, or its number.` : null;
  useEffect(() => {
    const next = issueFilter(typed, issueProject);
    if (next.issueKey === filter.issueKey && next.notAKey === filter.notAKey) return;
    const t = window.setTimeout(() => onChange({ ...filter, ...next }), 300);
    return () => window.clearTimeout(t);
  }, [typed, filter, onChange, issueProject]);
  const active = isFiltered(filter);
  return (
    <div className="dd-row" data-testid="history-filters" style={{ alignItems: 'flex-end' }}>
      <div className="dd-field">
        <label className="dd-label" htmlFor={`${id}-kind`}>
          Show
        </label>
        <select
          id={`${id}-kind`}
          className="dd-select"
          value={filter.kind}
          onChange={(e) => onChange({ ...filter, kind: kinds.find((k) => k === e.target.value) ?? '' })}
          data-testid="history-kind"
        >
          <option value="">All actions</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_TEXT[k]}
            </option>
          ))}
        </select>
      </div>
      {issueProject !== null ? (
        <div className="dd-field">
          <label className="dd-label" htmlFor={`${id}-issue`}>
            Issue
          </label>
          <input
            id={`${id}-issue`}
            className="dd-input"
            type="search"
            placeholder={`e.g. ${issueProject}-12`}
            value={typed}
            maxLength={120}
            style={{ width: '12em' }}
            aria-invalid={problem !== null}
            aria-describedby={problem !== null ? `${id}-issue-problem` : undefined}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onChange({ ...filter, ...issueFilter(typed, issueProject) });
            }}
            data-testid="history-issue-filter"
          />
          {problem !== null ? (
            <span id={`${id}-issue-problem`} className="dd-subtlest" role="status" data-testid="history-issue-problem">
              {problem}
            </span>
          ) : null}
        </div>
      ) : null}
      <Checkbox checked={filter.mine} onChange={(mine) => onChange({ ...filter, mine })} label="Only mine" testId="history-mine" />
      {active ? (
        <Button appearance="subtle" onClick={onClear} data-testid="history-clear">
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}

/** "No decisions of yours naming SHOP-12 in the history kept." */
function noMatchText(filter: HistoryFilter): string {
  if (filter.notAKey !== '') return `“${displayText(filter.notAKey, 40)}” is not an issue key, so no action names it.`;
  const what = filter.kind !== '' ? KIND_TEXT[filter.kind].toLowerCase() : 'actions';
  return `No ${what}${filter.mine ? ' of yours' : ''}${filter.issueKey !== '' ? ` naming ${filter.issueKey}` : ''} in the history kept.`;
}

function actor(id: string | null, action: ActionView['action'], me: string | null, names: Map<string, string>): ReactNode {
  // Without a person: a run the schedule started, a failure the app recorded, or a pair an
  // analysis found linked (or unlinked) as duplicates in Jira, where Jira does not say by whom.
  if (id === null) return action === 'run.start' ? 'Scheduled job' : action === 'confirm' || action === 'reopen' ? 'Jira' : 'The app';
  if (id === me) return 'You';
  const name = names.get(id);
  // Someone whose name Jira would not show this viewer: a short, stable id is better than nothing.
  if (name === undefined || displayText(name) === '') return `User …${id.slice(-6)}`;
  // The name Jira shows the viewer, or "A former user" for an account closed since (named by the resolver).
  return <UserText text={nameAtStart(name)} max={60} />;
}

/**
 * Who did what, newest first: on a project page, what was done there (and runs of every
 * project); on the admin page, what was done to the app as a whole.
 */
export function HistoryView({
  projectKey,
  accountId,
  refreshKey,
  emptyText = 'Decisions and analyses show up here.',
  kinds = ['decisions', 'analyses'],
  onRecovered,
}: {
  projectKey: string | undefined;
  accountId: string | null;
  refreshKey: unknown;
  emptyText?: string;
  /** The kinds of action the "Show" filter offers: those this page's history holds. */
  kinds?: HistoryKind[];
  /** Called when the history loads again after failing, so the page can re-read what failed with it. */
  onRecovered?: () => void;
}) {
  // The page, and the time the pages are of (`asOf`, from the page read before): entries
  // added meanwhile move nothing to another page. Dropped, so the history is read as it
  // stands, when the filters change or the page asks for everything again (`refreshKey`).
  const [paging, setPaging] = useState<{ page: number; asOf: string | null; refreshKey: unknown }>({ page: 1, asOf: null, refreshKey });
  const page = paging.page;
  const asOf = paging.refreshKey === refreshKey ? paging.asOf : null;
  // The bulk actions whose entries are shown one by one, by their first entry's id.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const filtered = isFiltered(filter);
  const request =
    filter.notAKey !== ''
      ? null
      : {
          ...(projectKey ? { projectKey } : {}),
          page,
          pageSize: PAGE_SIZE,
          ...(filter.kind !== '' ? { kind: filter.kind } : {}),
          ...(filter.mine ? { mine: true } : {}),
          ...(filter.issueKey !== '' ? { issueKey: filter.issueKey } : {}),
          ...(asOf !== null ? { asOf } : {}),
        };
  const list = useCall('history.list', request, refreshKey);
  useRecovered(list.state, onRecovered);
  // Text that is not an issue key lists nothing: no earlier answer stays shown under it.
  const data = filter.notAKey !== '' ? null : list.data;
  // Entries of another filter or page stay shown, dimmed and busy, until the new ones arrive,
  // as in the review queue, so nobody reads one issue's history as everything. Which request
  // they answer follows `list.data`, not `data`: the answer kept under text that is not a key
  // is still the earlier filter's once that text is cleared.
  const stale = useStaleRows(list.data, JSON.stringify(request)) && data !== null;
  const table = useRef<HTMLTableElement>(null);
  const shownAsOf = data?.asOf ?? null;
  const setPage = useCallback((p: number) => setPaging({ page: p, asOf: shownAsOf, refreshKey }), [shownAsOf, refreshKey]);
  // A page that comes back empty while there are actions (the history was cut short by the
  // retention clean-up since the pages were counted): the last page there is.
  const beyondLast = useLastPage(data, setPage);
  const names = new Map((data?.actors ?? []).map((a) => [a.accountId, a.displayName]));
  const issueKeys = (keys: readonly string[]) => (
    <span className="dd-row" style={{ gap: 'var(--ds-space-050, 4px) var(--ds-space-100, 8px)' }}>
      {keys.slice(0, 6).map((key) => (
        <IssueKeyLink key={key} issueKey={key} testId="history-issue" />
      ))}
      {keys.length > 6 ? <span className="dd-subtlest">and {keys.length - 6} more</span> : null}
    </span>
  );
  // `member`: one of a bulk action's entries, shown under it when asked.
  const historyRow = (a: ActionView, member: boolean) => (
    <tr key={a.id} data-testid="history-row" data-action={a.action} data-id={a.id} className={member ? 'dd-history-member' : undefined}>
      <td style={{ whiteSpace: 'nowrap' }}>
        <When iso={a.at} />
      </td>
      <td>{actor(a.actorAccountId, a.action, accountId, names)}</td>
      <td>
        {a.action === 'dismiss.reason' && reasonInDetail(a.detail) === null ? 'Took back why a pair is not a duplicate' : (ACTION_TEXT[a.action] ?? a.action)}
        {/* The app writes details (at most 1000 characters): shown whole, so a settings change names every project it added or removed. */}
        {detailText(a.action, a.detail) ? <span className="dd-subtlest dd-user-text"> — {displayText(detailText(a.action, a.detail), 1000)}</span> : null}
      </td>
      {withIssues ? <td>{issueKeys(a.issueKeys)}</td> : null}
    </tr>
  );
  // The admin page's history names no issues: no column for them there.
  const withIssues = (data?.items ?? []).some((a) => a.issueKeys.length > 0);
  const changeFilter = (next: HistoryFilter): void => {
    setFilter(next);
    setPaging({ page: 1, asOf: null, refreshKey });
  };
  // Clear filters (in the filter row, or in the empty state) takes itself away: the focus goes
  // to the first filter, "Show", as the queue's Clear filters gives it to its search box; to the
  // history itself should the filters go too (nothing in the history kept, once read).
  const view = useRef<HTMLDivElement>(null);
  const [focus] = useState(() => new FocusReturn());
  useEffect(() => () => focus.clear(), [focus]);
  const clearFilters = (): void => {
    focus.expect(() => {
      const show = view.current?.querySelector<HTMLElement>('[data-testid="history-kind"]');
      return show ? { el: show } : view.current ? { el: view.current, final: true } : null;
    });
    changeFilter(NO_FILTER);
  };
  useLayoutEffect(() => {
    focus.place();
    // Once the list answers the filters cleared, the filter row stays or goes for good.
    if (!stale) focus.clear();
  });
  return (
    <div className="dd-stack" data-testid="history" ref={view} tabIndex={-1}>
      {/* Only a history that has something to narrow (or is narrowed already) offers the filters,
          and they stay while the list is read for other filters: Clear filters, which removes
          itself, would otherwise take the row, and the focus, with it while the list loads. */}
      {filtered || (data !== null && data.total > 0) || stale ? (
        <HistoryFilters filter={filter} onChange={changeFilter} onClear={clearFilters} kinds={kinds} issueProject={projectKey ?? null} />
      ) : null}
      {list.state === 'error' && filter.notAKey === '' ? <ErrorBanner message={list.error.message} onRetry={list.reload} /> : null}
      {data !== null && data.newer > 0 ? (
        <p className="dd-subtle dd-row" style={{ margin: 0 }} data-testid="history-newer">
          <span>
            {/* The pages stay as they were read, so nothing moves from one page to the next while someone reads them. */}
            {plural(data.newer, 'newer entry', 'newer entries')} since these pages were read.
          </span>
          <Button appearance="link" onClick={() => setPaging({ page: 1, asOf: null, refreshKey })} data-testid="history-newer-show">
            Show the newest
          </Button>
        </p>
      ) : null}
      {/* An empty answer to other filters is not shown as this one's: "No actions yet" under no filter, say. */}
      {filter.notAKey === '' && (data === null || beyondLast || (stale && data.items.length === 0)) ? (
        list.state === 'loading' || beyondLast || (stale && list.state !== 'error') ? <Skeleton lines={5} label="Loading history" /> : null
      ) : data === null || data.items.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No actions match"
            testId="history-no-match"
            action={
              <Button appearance="subtle" onClick={clearFilters} data-testid="history-empty-clear">
                Clear filters
              </Button>
            }
          >
            {noMatchText(filter)}
          </EmptyState>
        ) : (
          <EmptyState title="No actions yet">{emptyText}</EmptyState>
        )
      ) : (
        <>
          <div className={stale ? 'dd-table-wrap dd-stale' : 'dd-table-wrap'} aria-busy={stale} data-testid="history-table">
            <table className="dd-table dd-history-table" ref={table} tabIndex={-1}>
              <caption className="dd-visually-hidden">Action history</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  {withIssues ? <th scope="col">Issues</th> : null}
                </tr>
              </thead>
              <tbody>
                {groupedEntries(data.items).map((e) =>
                  e.kind === 'one' ? (
                    historyRow(e.action, false)
                  ) : (
                    <Fragment key={e.id}>
                      {/* Dated when the bulk action began (its last row, newest first), as the pages order it. */}
                      <tr data-testid="history-group" data-action={e.actions[0]!.action} data-batch-id={e.actions[0]!.batchId ?? undefined}>
                        <td style={{ whiteSpace: 'nowrap' }}>
                          <When iso={e.actions[e.actions.length - 1]!.at} />
                        </td>
                        <td>{actor(e.actions[0]!.actorAccountId, e.actions[0]!.action, accountId, names)}</td>
                        <td>
                          {groupText(e.actions)}{' '}
                          <button
                            type="button"
                            className="dd-btn dd-btn--subtle dd-btn--small"
                            aria-expanded={expanded.has(e.id)}
                            onClick={() => setExpanded((x) => {
                              const next = new Set(x);
                              if (next.has(e.id)) next.delete(e.id);
                              else next.add(e.id);
                              return next;
                            })}
                            aria-label={expanded.has(e.id) ? undefined : `Show each of the ${e.actions.length}: ${groupText(e.actions)}`}
                            data-testid="history-group-toggle"
                          >
                            {expanded.has(e.id) ? 'Hide each' : `Show each of the ${e.actions.length}`}
                          </button>
                        </td>
                        {withIssues ? <td>{issueKeys([...new Set(e.actions.flatMap((a) => a.issueKeys))])}</td> : null}
                      </tr>
                      {expanded.has(e.id) ? e.actions.map((a) => historyRow(a, true)) : null}
                    </Fragment>
                  ),
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onChange={setPage} label="History pages" listRef={table} />
        </>
      )}
    </div>
  );
}
