import { useState } from 'react';
import type { ActionView } from '../../src/shared/contract';
import { EmptyState, ErrorBanner, Skeleton } from '../shared/components/feedback';
import { Pagination } from '../shared/components/pagination';
import { dateTime, displayText, timeAgo } from '../shared/format';
import { useCall } from '../shared/use-call';

const PAGE_SIZE = 25;

const ACTION_TEXT: Record<ActionView['action'], string> = {
  confirm: 'Confirmed a duplicate',
  dismiss: 'Dismissed a pair',
  reopen: 'Reopened a pair',
  'cluster.link': 'Linked a cluster as duplicates',
  'run.start': 'Started an analysis',
  'run.cancel': 'Cancelled an analysis',
  'settings.save': 'Changed settings',
  'uim.register': 'Registered the create-dialog check',
};

function actor(id: string | null, me: string | null, names: Map<string, string>): string {
  if (id === null) return 'Scheduled job';
  if (id === me) return 'You';
  // Someone whose name Jira would not show this viewer: a short, stable id is better than nothing.
  return names.get(id) ?? `User …${id.slice(-6)}`;
}

/** Who did what, newest first. */
export function HistoryView({ projectKey, accountId, refreshKey }: { projectKey: string | undefined; accountId: string | null; refreshKey: unknown }) {
  const [page, setPage] = useState(1);
  const list = useCall('history.list', { ...(projectKey ? { projectKey } : {}), page, pageSize: PAGE_SIZE }, refreshKey);
  const data = list.data;
  const names = new Map((data?.actors ?? []).map((a) => [a.accountId, a.displayName]));
  return (
    <div className="dd-stack" data-testid="history">
      {list.state === 'error' ? <ErrorBanner message={list.error.message} onRetry={list.reload} /> : null}
      {data === null ? (
        list.state === 'loading' ? <Skeleton lines={5} label="Loading history" /> : null
      ) : data.items.length === 0 ? (
        <EmptyState title="No actions yet">Decisions and analyses show up here.</EmptyState>
      ) : (
        <>
          <div className="dd-table-wrap">
            <table className="dd-table">
              <caption className="dd-visually-hidden">Action history</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Issues</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((a) => (
                  <tr key={a.id} data-testid="history-row" data-action={a.action}>
                    <td title={dateTime(a.at)}>{timeAgo(a.at)}</td>
                    <td>{actor(a.actorAccountId, accountId, names)}</td>
                    <td>
                      {ACTION_TEXT[a.action] ?? a.action}
                      {a.detail ? <span className="dd-subtlest dd-user-text"> — {displayText(a.detail, 120)}</span> : null}
                    </td>
                    <td>{a.issueKeys.slice(0, 6).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onChange={setPage} label="History pages" />
        </>
      )}
    </div>
  );
}
