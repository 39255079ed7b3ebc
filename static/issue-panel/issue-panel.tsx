import { useEffect, useState } from 'react';
import type { Suggestion } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { Banner, EmptyState, ErrorBanner, Skeleton, Spinner } from '../shared/components/feedback';
import type { AppContext } from '../shared/context';
import { dateTime, displayText, timeAgo } from '../shared/format';
import { flag } from '../shared/host';
import { NO_LINK_REASON } from '../shared/permissions';
import { SuggestionItem } from './suggestion-item';
import { useSuggestions, type Decision } from './use-suggestions';

/** Re-renders every 30 s so "computed 2 minutes ago" stays true. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}

function Section({
  title,
  items,
  canLink,
  busy,
  onDecide,
  testId,
}: {
  title: string;
  items: Suggestion[];
  canLink: boolean;
  busy: Record<string, Decision>;
  onDecide: (s: Suggestion, d: Decision) => void;
  testId: string;
}) {
  if (items.length === 0) return null;
  const headingId = `${testId}-heading`;
  return (
    <section aria-labelledby={headingId} data-testid={testId}>
      <h2 className="dd-h3" id={headingId}>
        {title} <span className="dd-count">{items.length}</span>
      </h2>
      <ul className="dd-list">
        {items.map((s) => (
          <SuggestionItem key={s.pairId} suggestion={s} canLink={canLink} busy={busy[s.pairId]} onDecide={onDecide} />
        ))}
      </ul>
    </section>
  );
}

export function IssuePanel({ context }: { context: AppContext }) {
  const issueId = context.issue?.id || null;
  const { state, data, error, reload, busy, decide } = useSuggestions(issueId);
  const [showDismissed, setShowDismissed] = useState(false);
  const [undo, setUndo] = useState<Suggestion | null>(null);
  const now = useNow();

  const onDecide = (s: Suggestion, d: Decision) => {
    void decide(s, d).then((res) => {
      if (!res.ok) {
        flag('error', 'That did not work', res.error.message);
        return;
      }
      if (d === 'dismiss') setUndo(s);
      else setUndo((u) => (u?.pairId === s.pairId ? null : u));
      if (d === 'confirm') {
        // Which one duplicates which: the newer issue duplicates the older, whichever is open.
        flag('success', res.link ? `Linked in Jira: ${res.link.inwardKey} duplicates ${res.link.outwardKey}` : `Marked ${s.issue.key} as a duplicate`);
      }
      if (d === 'unlink') {
        // A pair confirmed with a whole cluster may have had no link of its own.
        if (res.unlinked === 0) flag('success', `${s.issue.key} is back to review`, 'There was no Duplicate link between the two issues to remove.');
        else flag('success', `Duplicate link to ${s.issue.key} removed`, 'The pair is back among the suggestions to review.');
      }
    });
  };

  if (!issueId) {
    return (
      <main className="dd-page dd-page--panel">
        <ErrorBanner title="No issue" message="Open this panel from an issue to see similar issues." />
      </main>
    );
  }

  if (data === null) {
    return (
      <main className="dd-page dd-page--panel" aria-busy={state === 'loading'}>
        {state === 'error' ? <ErrorBanner message={error.message} onRetry={reload} /> : <Skeleton lines={4} label="Loading similar issues" />}
      </main>
    );
  }

  const total = data.duplicates.length + data.related.length;
  return (
    <main className="dd-page dd-page--panel dd-stack" aria-busy={state === 'loading'} data-testid="issue-panel">
      {state === 'error' ? <ErrorBanner message={error.message} onRetry={reload} /> : null}
      {undo ? (
        <Banner testId="undo-banner">
          <div className="dd-row dd-row--between">
            <span>
              {undo.issue.key} marked as not a duplicate.
            </span>
            <Button
              small
              appearance="link"
              data-testid="undo"
              onClick={() => {
                setUndo(null);
                onDecide({ ...undo, status: 'dismissed' }, 'reopen');
              }}
            >
              Undo
            </Button>
          </div>
        </Banner>
      ) : null}
      {data.indexed && !data.canLink && total > 0 ? (
        <Banner testId="no-link-note">{NO_LINK_REASON}. You can still dismiss suggestions.</Banner>
      ) : null}
      {data.pending && total === 0 ? (
        <EmptyState title="Looking for similar issues" testId="empty-pending">
          <span className="dd-row">
            <Spinner small label="Looking for similar issues" />
            <span>{data.indexed ? 'This issue is being analysed' : 'This issue is new'}: its suggestions appear here in a few seconds.</span>
          </span>
        </EmptyState>
      ) : !data.indexed ? (
        <EmptyState title="This issue has not been analysed yet" testId="empty-not-indexed">
          Run an analysis from the project&apos;s Duplicate review page, then come back here.
        </EmptyState>
      ) : total === 0 ? (
        <EmptyState title="No similar issues found" testId="empty-none">
          {data.dismissed.length > 0
            ? 'Nothing else in scope is similar enough, apart from the issues you dismissed.'
            : 'Nothing in scope is similar enough to this issue to suggest.'}
        </EmptyState>
      ) : (
        <>
          <Section title="Possible duplicates" items={data.duplicates} canLink={data.canLink} busy={busy} onDecide={onDecide} testId="duplicates" />
          <Section title="Related" items={data.related} canLink={data.canLink} busy={busy} onDecide={onDecide} testId="related" />
        </>
      )}
      {data.dismissed.length > 0 ? (
        <div>
          <Button
            appearance="link"
            aria-expanded={showDismissed}
            aria-controls="dismissed-list"
            onClick={() => setShowDismissed((v) => !v)}
            data-testid="toggle-dismissed"
          >
            {showDismissed ? 'Hide dismissed' : `Show dismissed (${data.dismissed.length})`}
          </Button>
          {showDismissed ? (
            <div id="dismissed-list">
              <Section title="Dismissed" items={data.dismissed} canLink={data.canLink} busy={busy} onDecide={onDecide} testId="dismissed" />
            </div>
          ) : null}
        </div>
      ) : null}
      <footer className="dd-row dd-row--between dd-subtlest">
        <span data-testid="computed-at" title={dateTime(data.computedAt)}>
          {data.pending ? 'Updating…' : data.indexed && data.computedAt ? `Computed ${timeAgo(data.computedAt, now)}` : ''}
          {context.issue?.key ? <span className="dd-visually-hidden"> for {displayText(context.issue.key, 40)}</span> : null}
        </span>
        <span className="dd-row">
          {state === 'loading' ? <Spinner small label="Refreshing" /> : null}
          <Button small appearance="subtle" onClick={reload} disabled={state === 'loading'} data-testid="refresh">
            Refresh
          </Button>
        </span>
      </footer>
    </main>
  );
}
