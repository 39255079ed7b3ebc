import { Fragment, useEffect, useId, useRef, useState } from 'react';
import type { ActionView, HistoryKind } from '../../../src/shared/contract';
import { normaliseIssueKey } from '../../../src/shared/issue-key';
import { Button } from './button';
import { Checkbox } from './checkbox';
import { displayText } from '../format';
import { detailText } from '../history-text';
import { GROUP_TEXT, groupedEntries, reasonInDetail } from '../history-groups';
import { IssueKeyLink } from './issue-key-link';
import { useCall } from '../use-call';
import { useLastPage } from '../use-last-page';
import { useRecovered } from '../use-recovered';
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
}

const NO_FILTER: HistoryFilter = { kind: '', mine: false, issueKey: '' };

/**
 * What to show: one kind of action, the viewer's own, one issue. The issue box applies a key
 * once it is one (a pause in typing, or Enter); other text is answered under the box.
 */
function HistoryFilters({
  filter,
  onChange,
  kinds,
  withIssue,
}: {
  filter: HistoryFilter;
  onChange: (f: HistoryFilter) => void;
  kinds: HistoryKind[];
  withIssue: boolean;
}) {
  const id = useId();
  const [typed, setTyped] = useState(filter.issueKey);
  useEffect(() => setTyped(filter.issueKey), [filter.issueKey]);
  const key = normaliseIssueKey(typed);
  const problem = typed.trim() !== '' && key === null ? 'Type an issue key, such as SHOP-12.' : null;
  useEffect(() => {
    const next = typed.trim() === '' ? '' : key;
    if (next === null || next === filter.issueKey) return;
    const t = window.setTimeout(() => onChange({ ...filter, issueKey: next }), 300);
    return () => window.clearTimeout(t);
  }, [typed, key, filter, onChange]);
  const active = filter.kind !== '' || filter.mine || filter.issueKey !== '';
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
      {withIssue ? (
        <div className="dd-field">
          <label className="dd-label" htmlFor={`${id}-issue`}>
            Issue
          </label>
          <input
            id={`${id}-issue`}
            className="dd-input"
            type="search"
            placeholder="Issue key"
            value={typed}
            maxLength={120}
            style={{ width: '12em' }}
            aria-invalid={problem !== null}
            aria-describedby={problem !== null ? `${id}-issue-problem` : undefined}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && key !== null) onChange({ ...filter, issueKey: key });
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
        <Button appearance="subtle" onClick={() => onChange(NO_FILTER)} data-testid="history-clear">
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}

/** "No decisions of yours naming SHOP-12 in the history kept." */
function noMatchText(filter: HistoryFilter): string {
  const what = filter.kind !== '' ? KIND_TEXT[filter.kind].toLowerCase() : 'actions';
  return `No ${what}${filter.mine ? ' of yours' : ''}${filter.issueKey !== '' ? ` naming ${filter.issueKey}` : ''} in the history kept.`;
}

function actor(id: string | null, action: ActionView['action'], me: string | null, names: Map<string, string>): string {
  // Without a person: a run the schedule started, a failure the app recorded, or a pair an
  // analysis found linked (or unlinked) as duplicates in Jira, where Jira does not say by whom.
  if (id === null) return action === 'run.start' ? 'Scheduled job' : action === 'confirm' || action === 'reopen' ? 'Jira' : 'The app';
  if (id === me) return 'You';
  // Someone whose name Jira would not show this viewer: a short, stable id is better than nothing.
  return names.get(id) ?? `User …${id.slice(-6)}`;
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
  const [page, setPage] = useState(1);
  // The bulk actions whose entries are shown one by one, by their first entry's id.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const filtered = filter.kind !== '' || filter.mine || filter.issueKey !== '';
  const list = useCall(
    'history.list',
    {
      ...(projectKey ? { projectKey } : {}),
      page,
      pageSize: PAGE_SIZE,
      ...(filter.kind !== '' ? { kind: filter.kind } : {}),
      ...(filter.mine ? { mine: true } : {}),
      ...(filter.issueKey !== '' ? { issueKey: filter.issueKey } : {}),
    },
    refreshKey,
  );
  useRecovered(list.state, onRecovered);
  const data = list.data;
  const table = useRef<HTMLTableElement>(null);
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
    <tr key={a.id} data-testid="history-row" data-action={a.action} className={member ? 'dd-history-member' : undefined}>
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
    setPage(1);
  };
  return (
    <div className="dd-stack" data-testid="history">
      {/* Only a history that has something to narrow (or is narrowed already) offers the filters. */}
      {filtered || (data !== null && data.total > 0) ? (
        <HistoryFilters filter={filter} onChange={changeFilter} kinds={kinds} withIssue={projectKey !== undefined} />
      ) : null}
      {list.state === 'error' ? <ErrorBanner message={list.error.message} onRetry={list.reload} /> : null}
      {data === null || beyondLast ? (
        list.state === 'loading' || beyondLast ? <Skeleton lines={5} label="Loading history" /> : null
      ) : data.items.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No actions match"
            testId="history-no-match"
            action={
              <Button appearance="subtle" onClick={() => changeFilter(NO_FILTER)}>
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
          <div className="dd-table-wrap">
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
                      <tr data-testid="history-group" data-action={e.actions[0]!.action}>
                        <td style={{ whiteSpace: 'nowrap' }}>
                          <When iso={e.actions[0]!.at} />
                        </td>
                        <td>{actor(e.actions[0]!.actorAccountId, e.actions[0]!.action, accountId, names)}</td>
                        <td>
                          {GROUP_TEXT[e.actions[0]!.action]?.(Math.max(e.actions.length, e.actions[0]!.batchSize ?? 0), e.actions[0]!)}
                          {/* A bulk action split across pages: how many of it this page lists. */}
                          {(e.actions[0]!.batchSize ?? 0) > e.actions.length ? `; ${e.actions.length} of them on this page` : ''}{' '}
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
                            aria-label={expanded.has(e.id) ? undefined : `Show each of the ${e.actions.length}: ${GROUP_TEXT[e.actions[0]!.action]?.(e.actions.length, e.actions[0]!) ?? ''}`}
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
