import { useEffect, useRef } from 'react';
import type { PairSide, ReviewStatus } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { ErrorBanner, Skeleton } from '../shared/components/feedback';
import { HighlightedText } from '../shared/components/highlighted-text';
import { ReviewStatusLozenge, ScoreBadge, StatusLozenge, TierLozenge } from '../shared/components/lozenges';
import { displayText } from '../shared/format';
import { openIssue } from '../shared/host';
import { useCall } from '../shared/use-call';
import type { PairDecision } from './pair-table';

function Side({ side, label }: { side: PairSide; label: string }) {
  const { issue } = side;
  return (
    <article className="dd-card dd-stack" style={{ flex: '1 1 260px', minWidth: 0 }} aria-label={`${label}: ${issue.key}`} data-testid="pair-side">
      <div className="dd-row">
        <Button appearance="link" onClick={() => openIssue(issue.key)} aria-label={`Open ${issue.key} in a new tab`}>
          {issue.key}
        </Button>
        <span className="dd-subtlest">{displayText(issue.type, 30)}</span>
        <StatusLozenge status={issue.status} category={issue.statusCategory} />
      </div>
      <h3 className="dd-h3">
        {side.summarySegments.length > 0 ? <HighlightedText segments={side.summarySegments} max={255} /> : <span className="dd-user-text">{displayText(issue.summary, 255)}</span>}
      </h3>
      <p className="dd-subtle" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
        {side.descriptionSegments.length > 0 ? <HighlightedText segments={side.descriptionSegments} max={600} /> : <em>No description</em>}
      </p>
    </article>
  );
}

/** Side-by-side comparison of one pair, with the decision buttons. */
export function PairDetailView({
  pairId,
  onClose,
  onDecide,
  busy,
}: {
  pairId: string;
  onClose: () => void;
  onDecide: (pairId: string, d: PairDecision, status: ReviewStatus) => void;
  busy: PairDecision | undefined;
}) {
  const { state, data, error, reload } = useCall('pairs.detail', { pairId });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Move focus into the comparison, and give it back to whatever opened it on close.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [pairId]);
  const status = data?.pair.status ?? 'pending';
  return (
    <section
      className="dd-card dd-stack"
      aria-labelledby="pair-detail-heading"
      data-testid="pair-detail"
      data-pair-id={pairId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="dd-row dd-row--between">
        <h2 className="dd-h2" id="pair-detail-heading" tabIndex={-1} ref={heading}>
          Compare pair
        </h2>
        <Button appearance="subtle" small onClick={onClose} data-testid="pair-detail-close">
          Close
        </Button>
      </div>
      {state === 'error' ? <ErrorBanner message={error.message} onRetry={reload} /> : null}
      {data === null ? (
        state === 'loading' ? <Skeleton lines={5} label="Loading the pair" /> : null
      ) : (
        <>
          <div className="dd-row">
            <ScoreBadge score={data.pair.score} />
            <TierLozenge tier={data.pair.tier} />
            <ReviewStatusLozenge status={data.pair.status} />
            {data.pair.sharedTerms.length > 0 ? (
              <span className="dd-subtlest">
                Shared words: <span className="dd-user-text">{data.pair.sharedTerms.slice(0, 8).map((t) => displayText(t.term, 30)).join(', ')}</span>
              </span>
            ) : null}
          </div>
          <div className="dd-row" style={{ alignItems: 'stretch' }}>
            <Side side={data.a} label="First issue" />
            <Side side={data.b} label="Second issue" />
          </div>
          <div className="dd-row">
            {status === 'pending' ? (
              <>
                <Button appearance="primary" loading={busy === 'confirm'} disabled={busy !== undefined} onClick={() => onDecide(pairId, 'confirm', status)} data-testid="detail-confirm">
                  Confirm duplicate and link
                </Button>
                <Button loading={busy === 'dismiss'} disabled={busy !== undefined} onClick={() => onDecide(pairId, 'dismiss', status)} data-testid="detail-dismiss">
                  Not a duplicate
                </Button>
              </>
            ) : (
              <Button loading={busy === 'reopen'} disabled={busy !== undefined} onClick={() => onDecide(pairId, 'reopen', status)} data-testid="detail-reopen">
                Reopen for review
              </Button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
