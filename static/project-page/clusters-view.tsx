import { useEffect, useState } from 'react';
import type { ClusterView } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { EmptyState, ErrorBanner, Skeleton } from '../shared/components/feedback';
import { ScoreBadge, StatusLozenge } from '../shared/components/lozenges';
import { Pagination } from '../shared/components/pagination';
import { displayText, plural } from '../shared/format';
import { openIssue } from '../shared/host';
import { useCall } from '../shared/use-call';
import { ClusterLinker } from './cluster-link';

const PAGE_SIZE = 20;
/** Members listed before "Show all": a big cluster stays a glance until asked for. */
const MEMBERS_SHOWN = 12;

function ClusterItem({ cluster: c, onDone }: { cluster: ClusterView; onDone: () => void }) {
  const [expanded, setExpanded] = useState(false);
  const hidden = c.members.length - MEMBERS_SHOWN;
  const members = expanded || hidden <= 0 ? c.members : c.members.slice(0, MEMBERS_SHOWN);
  const listId = `cluster-members-${c.id}`;
  return (
    <li data-testid="cluster" data-cluster-id={c.id}>
      <div className="dd-row">
        <strong>{plural(c.size, 'issue')}</strong>
        <span className="dd-subtle">strongest pair</span>
        <ScoreBadge score={c.maxScore} label="Strongest pair" />
        {c.pendingPairs > 0 ? <span className="dd-lozenge dd-lozenge--info">{plural(c.pendingPairs, 'pair')} to review</span> : null}
      </div>
      <ul id={listId} className="dd-list" style={{ marginLeft: 'var(--ds-space-200, 16px)' }}>
        {members.map((m) => (
          <li key={m.id} className="dd-row" style={{ padding: 'var(--ds-space-050, 4px) 0', flexWrap: 'nowrap' }} data-testid="cluster-member">
            <Button appearance="link" onClick={() => openIssue(m.key)} aria-label={`Open ${m.key} in a new tab`}>
              {m.key}
            </Button>
            <span className="dd-user-text dd-grow" dir="auto">
              {displayText(m.summary, 120)}
            </span>
            {/* Of two issues neither is more alike: the mark says something from three on. */}
            {m.id === c.representative.id && c.members.length > 2 ? (
              <span className="dd-lozenge" title="The issue the others in this group most resemble: offered first as the one to keep" data-testid="cluster-main">
                Most alike
              </span>
            ) : null}
            <StatusLozenge status={m.status} category={m.statusCategory} />
          </li>
        ))}
      </ul>
      <div className="dd-stack" style={{ marginLeft: 'var(--ds-space-200, 16px)', gap: 'var(--ds-space-100, 8px)' }}>
        {hidden > 0 ? (
          <div>
            <Button appearance="link" aria-expanded={expanded} aria-controls={listId} onClick={() => setExpanded((v) => !v)} data-testid="cluster-members-toggle">
              {expanded ? 'Show fewer' : `Show all ${c.members.length} issues`}
            </Button>
          </div>
        ) : null}
        <ClusterLinker cluster={c} onDone={onDone} />
      </div>
    </li>
  );
}

/** Groups of issues that are all similar to each other, biggest first. */
export function ClustersView({ projectKey, refreshKey }: { projectKey: string | undefined; refreshKey: number }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = window.setTimeout(() => {
      setQuery(search.trim().slice(0, 200));
      setPage(1);
    }, 300);
    return () => window.clearTimeout(t);
  }, [search]);
  const list = useCall('clusters.list', { ...(projectKey ? { projectKey } : {}), ...(query ? { search: query } : {}), page, pageSize: PAGE_SIZE }, refreshKey);
  const data = list.data;
  return (
    <div className="dd-stack" data-testid="clusters">
      <div className="dd-field" style={{ maxWidth: 360 }}>
        <label className="dd-label" htmlFor="cluster-search">
          Search clusters
        </label>
        <input id="cluster-search" className="dd-input" type="search" maxLength={200} value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Issue key or words" data-testid="cluster-search" />
      </div>
      <p className="dd-subtle" style={{ margin: 0 }} data-testid="clusters-intro">
        Issues that are possible duplicates of each other, directly or through one another: link a whole group to the issue you keep. Groups with pairs still to review come
        first, then the larger ones.
      </p>
      {list.state === 'error' ? <ErrorBanner message={list.error.message} onRetry={list.reload} /> : null}
      {data === null ? (
        list.state === 'loading' ? <Skeleton lines={5} label="Loading clusters" /> : null
      ) : data.items.length === 0 ? (
        <EmptyState title={query ? 'No clusters match' : 'No clusters yet'}>
          {query ? null : 'A cluster forms when issues are possible duplicates of each other: two of them, or more joined through one another.'}
        </EmptyState>
      ) : (
        <>
          <ul className="dd-list">
            {data.items.map((c) => (
              <ClusterItem key={c.id} cluster={c} onDone={list.reload} />
            ))}
          </ul>
          <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onChange={setPage} label="Cluster pages" />
        </>
      )}
    </div>
  );
}
