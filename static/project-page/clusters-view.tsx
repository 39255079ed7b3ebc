import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ActorName, ClusterView } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { EmptyState, ErrorBanner, Skeleton } from '../shared/components/feedback';
import { ScoreBadge, StatusLozenge } from '../shared/components/lozenges';
import { Pagination } from '../shared/components/pagination';
import { displayText, plural } from '../shared/format';
import { IssueKeyLink } from '../shared/components/issue-key-link';
import { useCall } from '../shared/use-call';
import { useLastPage } from '../shared/use-last-page';
import { ClusterLinker } from './cluster-link';
import { enabledControl, FocusReturn, type FocusTarget } from '../shared/focus-return';

const PAGE_SIZE = 20;
/** Members listed before "Show all": a big cluster stays a glance until asked for. */
const MEMBERS_SHOWN = 12;

/**
 * Where focus goes once the link panel of cluster `clusterId` (listed at `index`) closes:
 * its "Link as duplicates…" button, or its heading once it has nothing left to link; when
 * the cluster has left the page (a settled cluster is listed after those still to review),
 * the heading of the cluster now in its place, or the search box when none is listed.
 */
function clusterFocusTarget(root: HTMLElement | null, clusterId: string, index: number): FocusTarget | null {
  if (root === null) return null;
  const items = [...root.querySelectorAll<HTMLElement>('[data-testid="cluster"]')];
  const own = items.find((li) => li.dataset['clusterId'] === clusterId);
  if (own !== undefined) {
    const el = enabledControl(own, 'cluster-link-open') ?? own.querySelector<HTMLElement>('[data-testid="cluster-heading"]');
    return el === null ? null : { el };
  }
  const other = items[Math.min(index, items.length - 1)]?.querySelector<HTMLElement>('[data-testid="cluster-heading"]');
  if (other) return { el: other, final: true };
  const search = root.querySelector<HTMLElement>('#cluster-search');
  return search === null ? null : { el: search, park: true };
}

function ClusterItem({
  cluster: c,
  actors,
  accountId,
  onDone,
  onStale,
  onClosed,
  focus,
}: {
  cluster: ClusterView;
  actors: ActorName[];
  accountId: string | null;
  onDone: () => void;
  onStale: () => void;
  onClosed: () => void;
  focus: FocusReturn;
}) {
  const [expanded, setExpanded] = useState(false);
  const hidden = c.members.length - MEMBERS_SHOWN;
  const members = expanded || hidden <= 0 ? c.members : c.members.slice(0, MEMBERS_SHOWN);
  const listId = `cluster-members-${c.id}`;
  return (
    <li data-testid="cluster" data-cluster-id={c.id}>
      <div className="dd-row">
        {/* Focus lands here when the cluster's link panel closes and there is nothing left to link. */}
        <h3 className="dd-h3" tabIndex={-1} data-testid="cluster-heading">
          {plural(c.size, 'issue')}
          {/* Every heading would read "3 issues": the name says which cluster. */}
          <span className="dd-visually-hidden"> around {c.representative.key}</span>
        </h3>
        <span className="dd-subtle">strongest pair</span>
        <ScoreBadge score={c.maxScore} tier="duplicate" label="Strongest pair" />
        {c.pendingPairs > 0 ? <span className="dd-lozenge dd-lozenge--info">{plural(c.pendingPairs, 'pair')} to review</span> : null}
      </div>
      <ul id={listId} className="dd-list" style={{ marginLeft: 'var(--ds-space-200, 16px)' }}>
        {members.map((m) => (
          <li key={m.id} className="dd-row dd-cluster-member" style={{ padding: 'var(--ds-space-050, 4px) 0' }} data-testid="cluster-member">
            <IssueKeyLink issueKey={m.key} />
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
        <ClusterLinker cluster={c} actors={actors} accountId={accountId} onDone={onDone} onStale={onStale} onClosed={onClosed} focus={focus} />
      </div>
    </li>
  );
}

/**
 * A cluster's React key: its first member id, not its id (the representative), which a pair
 * decided meanwhile can change when the list is read again with the link panel open (after a
 * refused link): the panel keeps its choices and says why it was refused. Clusters share no
 * member, so no two on a page have the same key.
 */
function itemKey(c: ClusterView): string {
  return c.members.reduce((min, m) => (m.id < min ? m.id : min), c.id);
}

/** Groups of issues that are all similar to each other, biggest first. */
/** `onChanged`: a link was made (it confirms pairs, so the page's counts change). */
export function ClustersView({
  projectKey,
  refreshKey,
  onChanged,
  accountId = null,
}: {
  projectKey: string | undefined;
  refreshKey: number;
  onChanged?: () => void;
  /** The viewer: their own dismissals read "by you" in the link panel. */
  accountId?: string | null;
}) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    // Only a changed search starts again from page 1 (not the first render: a page chosen
    // within 300 ms of opening the tab stays chosen).
    const next = search.trim().slice(0, 200);
    if (next === query) return undefined;
    const t = window.setTimeout(() => {
      setQuery(next);
      setPage(1);
    }, 300);
    return () => window.clearTimeout(t);
  }, [search, query]);
  const list = useCall('clusters.list', { ...(projectKey ? { projectKey } : {}), ...(query ? { search: query } : {}), page, pageSize: PAGE_SIZE }, refreshKey);
  const data = list.data;
  // Acting on the last page can leave it empty (the list changed meanwhile): go back to the
  // last page there is, rather than say there are no clusters.
  const pastTheEnd = useLastPage(data, setPage);

  const root = useRef<HTMLDivElement>(null);
  const listTop = useRef<HTMLUListElement>(null);
  const linked = (): void => {
    list.reload();
    onChanged?.();
  };
  const [focus] = useState(() => new FocusReturn());
  useEffect(() => () => focus.clear(), [focus]);
  // A reload may settle, move or drop the cluster that focus was on.
  useLayoutEffect(() => focus.place());
  const closedAt = (clusterId: string, index: number) => () => focus.expect(() => clusterFocusTarget(root.current, clusterId, index));
  return (
    <div className="dd-stack" data-testid="clusters" ref={root}>
      {/* Screen readers hear how many clusters a search leaves once it has loaded, as the review
          queue says its pairs: the count on screen is under the list, which is rebuilt as it loads. */}
      <span className="dd-visually-hidden" role="status" data-testid="clusters-announcement">
        {list.state === 'ok' && data !== null && !pastTheEnd
          ? `${plural(data.total, 'cluster')}${data.total > 0 ? `, page ${data.page} of ${Math.max(1, Math.ceil(data.total / Math.max(1, data.pageSize)))}` : ''}`
          : ''}
      </span>
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
      {data === null || pastTheEnd ? (
        list.state === 'loading' || pastTheEnd ? <Skeleton lines={5} label="Loading clusters" /> : null
      ) : data.items.length === 0 ? (
        <EmptyState title={query ? 'No clusters match' : 'No clusters yet'}>
          {query ? null : 'A cluster forms when issues are possible duplicates of each other: two of them, or more joined through one another.'}
        </EmptyState>
      ) : (
        <>
          <ul className="dd-list" ref={listTop}>
            {data.items.map((c, index) => (
              <ClusterItem key={itemKey(c)} cluster={c} actors={data.actors} accountId={accountId} onDone={linked} onStale={list.reload} onClosed={closedAt(c.id, index)} focus={focus} />
            ))}
          </ul>
          <div className="dd-row dd-row--between">
            <span className="dd-subtlest" data-testid="cluster-total">
              {plural(data.total, 'cluster')}
            </span>
            <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onChange={setPage} label="Cluster pages" listRef={listTop} />
          </div>
        </>
      )}
    </div>
  );
}
