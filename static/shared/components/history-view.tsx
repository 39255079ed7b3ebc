import { useRef, useState } from 'react';
import type { ActionView } from '../../../src/shared/contract';
import { dateTime, displayText, timeAgo } from '../format';
import { detailText } from '../history-text';
import { IssueKeyLink } from './issue-key-link';
import { useCall } from '../use-call';
import { useLastPage } from '../use-last-page';
import { useRecovered } from '../use-recovered';
import { EmptyState, ErrorBanner, Skeleton } from './feedback';
import { Pagination } from './pagination';

const PAGE_SIZE = 25;

const ACTION_TEXT: Record<ActionView['action'], string> = {
  confirm: 'Confirmed a duplicate',
  dismiss: 'Dismissed a pair',
  reopen: 'Reopened a pair',
  unlink: 'Unlinked and reopened a pair',
  'cluster.link': 'Linked a cluster as duplicates',
  'run.start': 'Started an analysis',
  'run.cancel': 'Cancelled an analysis',
  'run.fail': 'An analysis failed',
  'settings.save': 'Changed settings',
  'uim.register': 'Registered the create-dialog check',
};

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
  onRecovered,
}: {
  projectKey: string | undefined;
  accountId: string | null;
  refreshKey: unknown;
  emptyText?: string;
  /** Called when the history loads again after failing, so the page can re-read what failed with it. */
  onRecovered?: () => void;
}) {
  const [page, setPage] = useState(1);
  const list = useCall('history.list', { ...(projectKey ? { projectKey } : {}), page, pageSize: PAGE_SIZE }, refreshKey);
  useRecovered(list.state, onRecovered);
  const data = list.data;
  const table = useRef<HTMLTableElement>(null);
  // A page that comes back empty while there are actions (the history was cut short by the
  // retention clean-up since the pages were counted): the last page there is.
  const beyondLast = useLastPage(data, setPage);
  const names = new Map((data?.actors ?? []).map((a) => [a.accountId, a.displayName]));
  // The admin page's history names no issues: no column for them there.
  const withIssues = (data?.items ?? []).some((a) => a.issueKeys.length > 0);
  return (
    <div className="dd-stack" data-testid="history">
      {list.state === 'error' ? <ErrorBanner message={list.error.message} onRetry={list.reload} /> : null}
      {data === null || beyondLast ? (
        list.state === 'loading' || beyondLast ? <Skeleton lines={5} label="Loading history" /> : null
      ) : data.items.length === 0 ? (
        <EmptyState title="No actions yet">{emptyText}</EmptyState>
      ) : (
        <>
          <div className="dd-table-wrap">
            <table className="dd-table" ref={table} tabIndex={-1}>
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
                {data.items.map((a) => (
                  <tr key={a.id} data-testid="history-row" data-action={a.action}>
                    <td title={dateTime(a.at)} style={{ whiteSpace: 'nowrap' }}>
                      {timeAgo(a.at)}
                    </td>
                    <td>{actor(a.actorAccountId, a.action, accountId, names)}</td>
                    <td>
                      {ACTION_TEXT[a.action] ?? a.action}
                      {/* The app writes details (at most 1000 characters): shown whole, so a settings change names every project it added or removed. */}
                      {detailText(a.action, a.detail) ? <span className="dd-subtlest dd-user-text"> — {displayText(detailText(a.action, a.detail), 1000)}</span> : null}
                    </td>
                    {withIssues ? (
                      <td>
                        <span className="dd-row" style={{ gap: 'var(--ds-space-050, 4px) var(--ds-space-100, 8px)' }}>
                          {a.issueKeys.slice(0, 6).map((key) => (
                            <IssueKeyLink key={key} issueKey={key} testId="history-issue" />
                          ))}
                          {a.issueKeys.length > 6 ? <span className="dd-subtlest">and {a.issueKeys.length - 6} more</span> : null}
                        </span>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onChange={setPage} label="History pages" listRef={table} />
        </>
      )}
    </div>
  );
}
