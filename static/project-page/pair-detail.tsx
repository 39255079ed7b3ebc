import { Fragment, useEffect, useRef, useState } from 'react';
import type { DismissReason, IssueRef, PairSide, PairView } from '../../src/shared/contract';
import { duplicateByDefault, filedAfter, filedOf, resolvedAsDuplicate } from '../../src/shared/newer-issue';
import { Button } from '../shared/components/button';
import { ErrorBanner, Skeleton } from '../shared/components/feedback';
import { HighlightedText } from '../shared/components/highlighted-text';
import { ReviewStatusLozenge, ScoreBadge, StatusLozenge, TierLozenge } from '../shared/components/lozenges';
import { DISMISS_REASON_TEXT, dateTime, displayText, shortDate, timeAgo } from '../shared/format';
import { call } from '../shared/api';
import { DismissReasons, savingOf, type SavingReason } from '../shared/components/dismiss-reasons';
import { flag } from '../shared/host';
import { IssueKeyLink } from '../shared/components/issue-key-link';
import { NO_DISMISS_REASON, NO_LINK_REASON, NO_UNCONFIRM_REASON } from '../shared/permissions';
import { useCall } from '../shared/use-call';
import { expectRowFocus, rowIndexOf, type DecisionExtra, type PairBusy, type PairDecision } from './pair-table';
import { WordList } from '../shared/components/word-list';

function Side({ side, label }: { side: PairSide; label: string }) {
  const { issue } = side;
  return (
    <article className="dd-card dd-stack" style={{ flex: '1 1 260px', minWidth: 0 }} aria-label={`${label}: ${issue.key}`} data-testid="pair-side">
      <div className="dd-row">
        <IssueKeyLink issueKey={issue.key} />
        <span className="dd-subtlest">{displayText(issue.type, 30)}</span>
        <StatusLozenge status={issue.status} category={issue.statusCategory} />
        {/* "Duplicate" here says which one someone already closed as the copy. */}
        {issue.resolution ? (
          <span className="dd-subtlest" data-testid="pair-side-resolution">
            Resolution: {displayText(issue.resolution, 40)}
          </span>
        ) : null}
      </div>
      {/* Which one was filed first decides the link's default way: the dates say it. */}
      {shortDate(issue.created) !== '' ? (
        <div className="dd-subtlest" data-testid="pair-side-dates">
          <span title={dateTime(issue.created)}>Created {shortDate(issue.created)}</span>
          {shortDate(issue.updated) !== '' && issue.updated !== issue.created ? <span title={dateTime(issue.updated)}> · updated {timeAgo(issue.updated)}</span> : null}
        </div>
      ) : null}
      {/* Each a block in its text's own direction: a wrapped right-to-left summary or description starts its lines at the right. */}
      <h4 className="dd-h3">
        {side.summarySegments.length > 0 ? (
          <HighlightedText segments={side.summarySegments} max={255} block />
        ) : (
          <span className="dd-user-text dd-user-text--block" dir="auto">
            {displayText(issue.summary, 255)}
          </span>
        )}
      </h4>
      <p className="dd-subtle" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
        {side.descriptionSegments.length > 0 ? <HighlightedText segments={side.descriptionSegments} max={600} block /> : <em>No description</em>}
      </p>
    </article>
  );
}

/** The server's default duplicate, by the same rule: one already closed as a duplicate in Jira, else the newer one. */
function defaultDuplicateOf(a: IssueRef, b: IssueRef): IssueRef {
  return duplicateByDefault(filedOf(a), filedOf(b)) ? a : b;
}

/** Which issue the Duplicate link marks as the duplicate: the default one unless the reviewer says otherwise. */
function DirectionChoice({ a, b, value, onChange }: { a: IssueRef; b: IssueRef; value: string; onChange: (id: string) => void }) {
  const dup = defaultDuplicateOf(a, b);
  const orig = dup.id === a.id ? b : a;
  const dupIsNewer = filedAfter(filedOf(dup), filedOf(orig));
  const why = resolvedAsDuplicate(dup.resolution) && !resolvedAsDuplicate(orig.resolution) ? 'closed as a duplicate in Jira' : dupIsNewer ? 'the newer one is the duplicate' : 'the older one is the duplicate';
  const option = (duplicate: IssueRef, original: IssueRef, note: string) => (
    <label className="dd-radio" key={duplicate.id}>
      <input type="radio" name="pair-direction" value={duplicate.id} checked={value === duplicate.id} onChange={() => onChange(duplicate.id)} data-testid={`direction-${duplicate.key}`} />
      <span>
        <strong>{duplicate.key}</strong> duplicates <strong>{original.key}</strong> <span className="dd-subtlest">({note})</span>
      </span>
    </label>
  );
  return (
    <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 0 }} data-testid="pair-direction">
      <legend className="dd-label">Link as</legend>
      {option(dup, orig, why)}
      {option(orig, dup, dupIsNewer ? 'keep the newer one' : 'keep the older one')}
    </fieldset>
  );
}

/** Side-by-side comparison of one pair, with the decision buttons. */
export function PairDetailView({
  pairId,
  onClose,
  onDecide,
  busy,
  dismissNeedsLink = false,
  linkedThrough = [],
  onReasonSaved,
  refreshKey = 0,
  onUnavailable,
}: {
  /** The pair does not exist or is not the viewer's to see (the resolver's NOT_FOUND). */
  onUnavailable?: (pairId: string) => void;
  /** Changed by the queue when a decision made here was refused (someone else decided the pair first): the pair is read again. */
  refreshKey?: number;
  /** A reason given here for a dismissed pair: the list shows it too. */
  onReasonSaved?: () => void;
  pairId: string;
  /** The list row's `linkedThrough`: the issues through which Jira already joins the two. */
  linkedThrough?: string[];
  onClose: () => void;
  /**
   * `shown`: the pair as shown here: its status, which the decision expects it still to have,
   * and its issues, by which the queue names it (the list may not show the pair).
   */
  onDecide: (pairId: string, d: PairDecision, shown: PairView, extra?: DecisionExtra) => void;
  busy: PairBusy | undefined;
  /** The admin's setting: dismissing and reopening need Link Issues too (`pairs.list`'s). */
  dismissNeedsLink?: boolean;
}) {
  const { state, data, error, reload } = useCall('pairs.detail', { pairId }, refreshKey);
  // The pair's own answer says them, also for a pair the list does not show (a link, a list
  // moved on); the row's until it has come.
  const joinedThrough = data?.pair.linkedThrough ?? linkedThrough;
  const notFound = state === 'error' && error.code === 'NOT_FOUND';
  useEffect(() => {
    if (notFound) onUnavailable?.(pairId);
  }, [notFound, onUnavailable, pairId]);
  // A dismissed pair's reason, given or changed here.
  const [savingReason, setSavingReason] = useState<SavingReason>(null);
  const giveReason = async (reason: DismissReason | null): Promise<void> => {
    if (savingReason !== null) return;
    setSavingReason(savingOf(reason));
    const res = await call('pairs.decide', { pairId, decision: 'dismiss', reason, expected: 'dismissed' });
    setSavingReason(null);
    if (!res.success) {
      flag('error', 'The reason was not saved', res.error.message);
      return;
    }
    reload();
    onReasonSaved?.();
  };
  const [duplicateId, setDuplicateId] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const status = data?.pair.status ?? 'pending';
  /** The row the pair had in the queue when a decision was asked for here, and the button asked. */
  const decidedAt = useRef<number | null>(null);
  const clicked = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    // Move focus into the comparison, and give it back to whatever opened it on close.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      // Closed by a decision: the pair's row leaves the queue (now or once it reloads), so
      // focus goes on to Compare on the row that takes its place.
      if (decidedAt.current !== null) expectRowFocus(pairId, 'pair-view', decidedAt.current);
      if (opener?.isConnected) opener.focus();
    };
  }, [pairId]);
  useEffect(() => {
    // A decision that failed leaves the comparison open: focus back on the button used,
    // which was disabled (and so lost focus) while the decision was on its way.
    const active = document.activeElement;
    if (busy === undefined && (active === null || active === document.body) && clicked.current?.isConnected && !clicked.current.disabled) clicked.current.focus();
  }, [busy]);
  useEffect(() => {
    // Read again after a refusal, the pair may have other buttons now (Reopen for Confirm):
    // focus that went with the button used goes to the heading, not to the page.
    const active = document.activeElement;
    if (data !== null && (active === null || active === document.body)) heading.current?.focus();
  }, [data]);
  const decide = (e: { currentTarget: HTMLButtonElement }, d: PairDecision, extra?: DecisionExtra) => {
    // The buttons are shown with the pair only.
    if (data === null) return;
    decidedAt.current = rowIndexOf(pairId);
    clicked.current = e.currentTarget;
    onDecide(pairId, d, data.pair, extra);
  };
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
        <h3 className="dd-h2" id="pair-detail-heading" tabIndex={-1} ref={heading}>
          Compare pair
        </h3>
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
            <ScoreBadge score={data.pair.score} tier={data.pair.tier} />
            <TierLozenge tier={data.pair.tier} />
            <ReviewStatusLozenge status={data.pair.status} />
            {data.pair.sharedTerms.length > 0 ? (
              <span className="dd-subtlest">
                Shared words: <WordList words={data.pair.sharedTerms.map((t) => t.term)} max={8} />
              </span>
            ) : null}
          </div>
          <div className="dd-row" style={{ alignItems: 'stretch' }}>
            <Side side={data.a} label="First issue" />
            <Side side={data.b} label="Second issue" />
          </div>
          {data.pair.otherWork !== null ? (
            <p className="dd-subtle" style={{ margin: 0 }} data-testid="pair-detail-other-work">
              <span className="dd-user-text" dir="auto">{displayText(data.pair.otherWork, 200)}</span> So it is kept as related, whatever its score.
            </p>
          ) : null}
          {data.jiraDuplicateId !== null ? (
            // Jira already links them: say which way, so a Confirm is not taken for a new link.
            <p className="dd-subtle" style={{ margin: 0 }} data-testid="pair-jira-link">
              Already linked in Jira: <strong>{data.jiraDuplicateId === data.pair.a.id ? data.pair.a.key : data.pair.b.key}</strong> duplicates{' '}
              <strong>{data.jiraDuplicateId === data.pair.a.id ? data.pair.b.key : data.pair.a.key}</strong>.
              {status === 'pending' ? ' Confirming adds no second link.' : ''}
            </p>
          ) : joinedThrough.length > 0 && status === 'pending' ? (
            // Joined through other issues: a Confirm makes no link, so there is no way to choose.
            <p className="dd-subtle" style={{ margin: 0 }} data-testid="pair-jira-through">
              Already joined in Jira through {joinedThrough.join(', ')}. Confirming adds no link.
            </p>
          ) : status === 'pending' ? (
            <DirectionChoice a={data.pair.a} b={data.pair.b} value={duplicateId ?? defaultDuplicateOf(data.pair.a, data.pair.b).id} onChange={setDuplicateId} />
          ) : null}
          {status === 'dismissed' ? (
            <div className="dd-row" data-testid="pair-detail-reason">
              {dismissNeedsLink && data.pair.canLink === false ? (
                <span className="dd-subtle">{data.pair.dismissReason !== null ? `Why: ${DISMISS_REASON_TEXT[data.pair.dismissReason]}` : 'No reason was given for dismissing it.'}</span>
              ) : (
                <DismissReasons pairs={1} chosen={data.pair.dismissReason} saving={savingReason} onChoose={(r) => void giveReason(r)} />
              )}
            </div>
          ) : null}
          <div className="dd-row">
            {/* Keyed by status: a pair read again as decided gets new buttons, and the focus on
                Confirm does not pass to the Reopen drawn in its place. */}
            {status === 'pending' ? (
              <Fragment key="pending">
                <Button
                  appearance="primary"
                  loading={busy === 'confirm'}
                  disabled={busy !== undefined || data.pair.canLink === false}
                  disabledReason={data.pair.canLink === false ? NO_LINK_REASON : null}
                  onClick={(e) => decide(e, 'confirm', duplicateId !== null && data.jiraDuplicateId === null && joinedThrough.length === 0 ? { duplicateIssueId: duplicateId } : {})}
                  data-testid="detail-confirm"
                >
                  {data.jiraDuplicateId !== null || joinedThrough.length > 0 ? 'Confirm duplicate' : 'Confirm duplicate and link'}
                </Button>
                <Button
                  loading={busy === 'dismiss'}
                  disabled={busy !== undefined || (dismissNeedsLink && data.pair.canLink === false)}
                  disabledReason={dismissNeedsLink && data.pair.canLink === false ? NO_DISMISS_REASON : null}
                  onClick={(e) => decide(e, 'dismiss')}
                  data-testid="detail-dismiss"
                >
                  Not a duplicate
                </Button>
              </Fragment>
            ) : (
              <Fragment key="decided">
                <Button
                  loading={busy === 'reopen'}
                  disabled={busy !== undefined || ((dismissNeedsLink || status === 'confirmed') && data.pair.canLink === false)}
                  disabledReason={data.pair.canLink === false ? (status === 'confirmed' ? NO_UNCONFIRM_REASON : dismissNeedsLink ? NO_DISMISS_REASON : null) : null}
                  onClick={(e) => decide(e, 'reopen')}
                  title={status === 'confirmed' ? 'Puts the pair back to review; the Duplicate link in Jira stays' : undefined}
                  data-testid="detail-reopen"
                >
                  Reopen for review
                </Button>
                {status === 'confirmed' ? (
                  // The undo of a confirmation: the Duplicate link it made goes too.
                  <Button
                    loading={busy === 'unlink'}
                    disabled={busy !== undefined || data.pair.canLink === false}
                    disabledReason={data.pair.canLink === false ? NO_LINK_REASON : null}
                    onClick={(e) => decide(e, 'reopen', { unlink: true })}
                    title="Removes the Duplicate link between the two issues in Jira, as you, and puts the pair back to review"
                    data-testid="detail-unlink"
                  >
                    Remove the link and reopen
                  </Button>
                ) : null}
              </Fragment>
            )}
          </div>
        </>
      )}
    </section>
  );
}
