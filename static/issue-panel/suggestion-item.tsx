import type { Suggestion } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { HighlightedText } from '../shared/components/highlighted-text';
import { ScoreBadge, StatusLozenge, TierLozenge } from '../shared/components/lozenges';
import { displayText } from '../shared/format';
import { openIssue } from '../shared/host';
import { NO_LINK_REASON } from '../shared/permissions';
import type { Decision } from './use-suggestions';


/** One suggested issue with its score, why it matched, and what you can do about it. */
export function SuggestionItem({
  suggestion,
  canLink,
  busy,
  onDecide,
}: {
  suggestion: Suggestion;
  canLink: boolean;
  busy: Decision | undefined;
  onDecide: (s: Suggestion, d: Decision) => void;
}) {
  const { issue } = suggestion;
  const dismissed = suggestion.status === 'dismissed';
  const labelId = `sugg-${suggestion.pairId}`;
  const terms = suggestion.sharedTerms.slice(0, 6).map((t) => displayText(t.term, 30)).filter(Boolean);
  return (
    <li data-testid="suggestion" data-pair-id={suggestion.pairId} data-issue-key={issue.key} aria-labelledby={labelId}>
      <div className="dd-row">
        <ScoreBadge score={suggestion.score} />
        <Button appearance="link" onClick={() => openIssue(issue.key)} id={labelId} data-testid="suggestion-key" aria-label={`Open ${issue.key} in a new tab`}>
          {issue.key}
        </Button>
        {/* The list's heading names the tier; dismissed suggestions of both tiers share one list. */}
        {dismissed ? <TierLozenge tier={suggestion.tier} /> : null}
        <StatusLozenge status={issue.status} category={issue.statusCategory} />
        {suggestion.linked ? <span className="dd-lozenge dd-lozenge--success" data-testid="linked">Linked</span> : null}
      </div>
      <div style={{ margin: 'var(--ds-space-050, 4px) 0' }}>
        {suggestion.summarySegments.length > 0 ? (
          <HighlightedText segments={suggestion.summarySegments} max={160} />
        ) : (
          <span className="dd-user-text" dir="auto">
            {displayText(issue.summary, 160)}
          </span>
        )}
      </div>
      {terms.length > 0 ? (
        <div className="dd-subtlest">
          Shared words: <span className="dd-user-text">{terms.join(', ')}</span>
        </div>
      ) : null}
      <div className="dd-row" style={{ marginTop: 'var(--ds-space-075, 6px)' }}>
        {dismissed ? (
          <Button small loading={busy === 'reopen'} onClick={() => onDecide(suggestion, 'reopen')} data-testid="restore">
            Restore
          </Button>
        ) : (
          <>
            {suggestion.linked || suggestion.status === 'confirmed' ? null : (
              <Button
                small
                appearance="primary"
                disabled={!canLink || busy !== undefined}
                disabledReason={!canLink ? NO_LINK_REASON : null}
                loading={busy === 'confirm'}
                onClick={() => onDecide(suggestion, 'confirm')}
                title={
                  suggestion.thisIsDuplicate
                    ? `Adds a Duplicate link in Jira: this issue, the newer one, duplicates ${issue.key}`
                    : `Adds a Duplicate link in Jira: ${issue.key}, the newer one, duplicates this issue`
                }
                data-testid="link-duplicate"
                data-direction={suggestion.thisIsDuplicate ? 'this' : 'other'}
              >
                {/* The narrow issue context box keeps the short label; its tooltip tells the way. */}
                <span className="dd-wide-label">{suggestion.thisIsDuplicate ? `Link as duplicate of ${issue.key}` : `Link ${issue.key} as duplicate`}</span>
                <span className="dd-narrow-label">Link as duplicate</span>
              </Button>
            )}
            {suggestion.status === 'confirmed' ? (
              // Undo of a link made here: the pair goes back to review, the Jira link goes.
              <Button
                small
                disabled={!canLink || busy !== undefined}
                disabledReason={!canLink ? NO_LINK_REASON : null}
                loading={busy === 'unlink'}
                onClick={() => onDecide(suggestion, 'unlink')}
                title="Removes the Duplicate link between the two issues in Jira and puts the pair back to review"
                data-testid="unlink"
              >
                Unlink
              </Button>
            ) : (
              <Button
                small
                disabled={busy !== undefined}
                loading={busy === 'dismiss'}
                onClick={() => onDecide(suggestion, 'dismiss')}
                data-testid="dismiss"
              >
                Not a duplicate
              </Button>
            )}
          </>
        )}
        <Button small appearance="subtle" className="dd-open-button" onClick={() => openIssue(issue.key)} data-testid="open-issue">
          Open
        </Button>
      </div>
    </li>
  );
}
