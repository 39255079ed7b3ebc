import { Fragment, useEffect, useLayoutEffect, type ReactNode } from 'react';
import type { ActorName, IssueRef, PairView, ReviewStatus } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { ScoreBadge, StatusLozenge, TierLozenge } from '../shared/components/lozenges';
import { DISMISS_REASON_TEXT, displayText, percent } from '../shared/format';
import { IssueKeyLink } from '../shared/components/issue-key-link';
import { NO_DISMISS_REASON, NO_LINK_REASON, NO_UNCONFIRM_REASON } from '../shared/permissions';
import { shownSummary } from '../shared/shown-summary';
import { enabledControl, FocusReturn } from '../shared/focus-return';
import { When } from '../shared/components/when';
import { UserText } from '../shared/components/user-text';
import { WordList } from '../shared/components/word-list';

export type PairDecision = 'confirm' | 'dismiss' | 'reopen';
/** What a row is busy with: a decision, or a reopen that also removes the link. */
export type PairBusy = PairDecision | 'unlink';
/** What a decision may add: which issue the confirmation marks as the duplicate; a reopen's removal of the Duplicate link. */
export interface DecisionExtra {
  duplicateIssueId?: string;
  unlink?: boolean;
}

/** A row's controls that act on it (and may take it out of the list), and Compare. */
export type RowControl = 'pair-confirm' | 'pair-dismiss' | 'pair-reopen' | 'pair-unlink' | 'pair-view';

/** Where keyboard focus goes after a decision takes a row away (one queue per page). */
const rowFocus = new FocusReturn();

function queueRows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="pair-table"] [data-testid="pair-row"]')];
}

/** The row's position in the table now (0 when it is not there). */
export function rowIndexOf(pairId: string): number {
  return Math.max(0, queueRows().findIndex((r) => r.dataset['pairId'] === pairId));
}

/**
 * After a decision on `pairId` made with `control` (at row `index`): while the row is still
 * listed, focus stays with that control (back on it once it is enabled again, as after a
 * decision that failed); once the row has left, the same control on the row that took its
 * place (the one before it when it was the last; Compare when that control is disabled
 * there), or the search box when nothing is left to list.
 */
export function expectRowFocus(pairId: string, control: RowControl, index = rowIndexOf(pairId)): void {
  rowFocus.expect(() => {
    const rows = queueRows();
    const own = rows.find((r) => r.dataset['pairId'] === pairId);
    if (own !== undefined) {
      const el = enabledControl(own, control);
      return el === null ? null : { el };
    }
    const row = rows[Math.min(index, rows.length - 1)];
    if (row !== undefined) {
      const el = enabledControl(row, control) ?? enabledControl(row, 'pair-view');
      return el === null ? null : { el, final: true };
    }
    const search = document.getElementById('queue-search');
    return search === null ? null : { el: search, park: true };
  });
  rowFocus.place();
}

/** Whether the row says Jira already joins the pair through other issues (`pair-linked-through`). */
const joinedThrough = (p: PairView): boolean => !p.linkedInJira && p.status !== 'confirmed' && (p.linkedThrough?.length ?? 0) > 0;

/** "SHOP-3", "SHOP-3 and SHOP-7", "SHOP-3, SHOP-7 and SHOP-9". */
function keyList(keys: readonly string[]): string {
  const shown = keys.map((k) => displayText(k, 40));
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Characters of a summary a row shows. */
const ROW_SUMMARY_CHARS = 120;

/**
 * One issue of a row. Its summary is cut to ROW_SUMMARY_CHARS, and when the other issue's
 * opens alike for nearly that long, it is shown from shortly before the two part
 * (`shownSummary`), so two long copies of one report do not read the same. A summary shown
 * in part is whole in its tooltip and, for screen readers, in place of the part shown.
 */
function IssueLine({ issue, other }: { issue: IssueRef; other: IssueRef }) {
  const whole = displayText(issue.summary.trim(), 500);
  const shown = shownSummary(issue.summary, [other.summary], ROW_SUMMARY_CHARS);
  return (
    <div className="dd-issue-line">
      <span className="dd-issue-line__key">
        <IssueKeyLink issueKey={issue.key} />
      </span>
      <span className="dd-user-text dd-issue-line__summary" dir="auto" title={whole} data-testid="pair-summary">
        {shown === whole ? (
          whole
        ) : (
          <>
            <span aria-hidden="true" data-testid="pair-summary-shown">
              {shown}
            </span>
            <span className="dd-visually-hidden">{whole}</span>
          </>
        )}
      </span>
      <span className="dd-issue-line__status">
        <StatusLozenge status={issue.status} category={issue.statusCategory} />
      </span>
    </div>
  );
}

/** The review queue's rows: select, compare, decide. */
export function PairTable({
  items,
  status,
  selected,
  onSelect,
  onSelectPage,
  busy,
  onDecide,
  onView,
  viewing,
  activeId = null,
  actors = [],
  me = null,
  dismissNeedsLink = false,
  tierDivider = false,
}: {
  items: PairView[];
  status: ReviewStatus;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
  onSelectPage: (on: boolean) => void;
  busy: Record<string, PairBusy>;
  onDecide: (pair: PairView, d: PairDecision, extra?: DecisionExtra) => void;
  onView: (pair: PairView) => void;
  viewing: string | null;
  /** The row keyboard review is on (use-queue-keys.ts). */
  activeId?: string | null;
  /** Names of the people who decided the rows (`pairs.list`'s `actors`). */
  actors?: ActorName[];
  /** The viewer's account id, to say "you". */
  me?: string | null;
  /** The admin's setting: rows the viewer may not link may not be dismissed or reopened either. */
  dismissNeedsLink?: boolean;
  /** Possible duplicates first: a heading row where the related pairs begin. */
  tierDivider?: boolean;
}) {
  const names = new Map(actors.map((a) => [a.accountId, a.displayName]));
  // Who decided, in the middle of a sentence: a name (Jira's, or the resolver's "a former user") isolated, so a right-to-left one keeps the sentence's order.
  const decider = (id: string | null): ReactNode => {
    if (id === null) return 'someone';
    if (id === me) return 'you';
    const name = names.get(id);
    return name !== undefined && displayText(name) !== '' ? <UserText text={name} max={60} /> : 'someone Jira did not name';
  };
  const selectedOnPage = items.filter((p) => selected.has(p.id)).length;
  // A decided row leaves (or its button is disabled while it is decided): focus follows.
  useLayoutEffect(() => rowFocus.place());
  // Nothing left to list: the queue shows its empty state instead of the table.
  useEffect(() => () => void window.setTimeout(() => rowFocus.place(), 0), []);
  /** Decides `p` with the button `control`, and says where focus goes next. */
  const decideFrom = (p: PairView, index: number, control: RowControl, d: PairDecision, extra?: DecisionExtra) => {
    expectRowFocus(p.id, control, index);
    onDecide(p, d, extra);
  };
  return (
    <div className="dd-table-wrap">
      <table className="dd-table dd-pair-table" data-testid="pair-table">
        <caption className="dd-visually-hidden">Suggested pairs, {status}</caption>
        <thead>
          <tr>
            <th scope="col" className="dd-col-select">
              {/* "Select all" is in view only in the card layout, where no column heading
                  stands over the boxes (base.css); screen readers hear the whole sentence. */}
              <Checkbox
                label={
                  <>
                    <span className="dd-select-all-words">Select all</span>
                    <span className="dd-visually-hidden"> pairs on this page</span>
                  </>
                }
                checked={items.length > 0 && selectedOnPage === items.length}
                indeterminate={selectedOnPage > 0 && selectedOnPage < items.length}
                onChange={onSelectPage}
                testId="select-all"
              />
            </th>
            <th scope="col" className="dd-col-head">
              Score
            </th>
            <th scope="col" className="dd-col-issues dd-col-head">
              Issues
            </th>
            <th scope="col" className="dd-col-head">
              <span className="dd-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p, index) => {
            const b = busy[p.id];
            return (
              <Fragment key={p.id}>
                {tierDivider && index > 0 && p.tier === 'related' && items[index - 1]?.tier === 'duplicate' ? (
                  <tr className="dd-tier-divider" data-testid="tier-divider">
                    <th scope="rowgroup" colSpan={4}>
                      Related pairs: alike, but not taken for possible duplicates
                    </th>
                  </tr>
                ) : null}
              <tr
                key={p.id}
                data-testid="pair-row"
                data-pair-id={p.id}
                data-tier={p.tier}
                data-active={activeId === p.id || undefined}
                className={activeId === p.id ? 'dd-row-active' : undefined}
                tabIndex={activeId === p.id ? -1 : undefined}
                aria-selected={viewing === p.id || undefined}
                // j / k focus the row: it is announced by its pair, not by all its cells and buttons.
                aria-label={`${p.a.key} and ${p.b.key}, ${percent(p.score)} alike, ${p.tier === 'duplicate' ? 'possible duplicate' : 'related'}`}
              >
                <td>
                  <Checkbox
                    label={`Select pair ${p.a.key} and ${p.b.key}`}
                    hideLabel
                    checked={selected.has(p.id)}
                    onChange={(on) => onSelect(p.id, on)}
                    testId="row-select"
                  />
                </td>
                <td className="dd-col-score">
                  <div style={{ display: 'grid', gap: 4, justifyItems: 'start' }}>
                    <ScoreBadge score={p.score} tier={p.tier} />
                    <TierLozenge tier={p.tier} />
                  </div>
                </td>
                <td className="dd-col-issues">
                  <div className="dd-issue-pair">
                    <IssueLine issue={p.a} other={p.b} />
                    <IssueLine issue={p.b} other={p.a} />
                  </div>
                  {p.sharedTerms.length > 0 ? (
                    <div className="dd-subtle dd-col-words dd-shared-line">
                      Shared words: <WordList words={p.sharedTerms.map((t) => t.term)} max={5} />
                    </div>
                  ) : null}
                  {p.linkedInJira && status !== 'confirmed' ? (
                    <div className="dd-subtlest" data-testid="pair-linked-in-jira">
                      {status === 'pending'
                        ? 'Already linked as duplicates in Jira: confirming adds no second link.'
                        : 'Dismissed here, but Jira links these two as duplicates.'}
                    </div>
                  ) : null}
                  {!p.linkedInJira && status !== 'confirmed' && (p.linkedThrough?.length ?? 0) > 0 ? (
                    <div className="dd-subtlest" id={`pair-through-${p.id}`} data-testid="pair-linked-through">
                      {status === 'pending'
                        ? `Jira already joins these two as duplicates through ${keyList(p.linkedThrough ?? [])}: confirming adds no link.`
                        : `Dismissed here, but Jira joins these two as duplicates through ${keyList(p.linkedThrough ?? [])}.`}
                    </div>
                  ) : null}
                  {p.otherWork !== null ? (
                    <div className="dd-subtlest" data-testid="pair-other-work">
                      <span className="dd-user-text" dir="auto">{displayText(p.otherWork, 200)}</span> So it is kept as related, whatever its score.
                    </div>
                  ) : null}
                  {status !== 'pending' && p.decidedAt !== null ? (
                    <div className="dd-subtlest" data-testid="pair-decided">
                      {p.decidedInJira ? (
                        p.decidedBy === null ? (
                          'Linked as duplicates in Jira; confirmed'
                        ) : (
                          <>Linked as duplicates in Jira by {decider(p.decidedBy)}</>
                        )
                      ) : (
                        <>
                          {status === 'confirmed' ? 'Confirmed' : 'Dismissed'} by {decider(p.decidedBy)}
                        </>
                      )}{' '}
                      <When iso={p.decidedAt} />
                    </div>
                  ) : null}
                  {status === 'dismissed' && p.dismissReason !== null ? (
                    <div className="dd-subtlest" data-testid="pair-dismiss-reason">
                      {/* Given by someone other than who dismissed it: said, so it is not taken for theirs. */}
                      Why{p.dismissReasonBy !== null ? <> (said by {decider(p.dismissReasonBy)})</> : ''}: {DISMISS_REASON_TEXT[p.dismissReason]}
                    </div>
                  ) : null}
                </td>
                <td className="dd-col-actions">
                  <div className="dd-row dd-pair-actions">
                    <Button small appearance="subtle" onClick={() => onView(p)} data-testid="pair-view" aria-label={`Compare ${p.a.key} and ${p.b.key}`}>
                      Compare
                    </Button>
                    {status === 'pending' ? (
                      <>
                        <Button
                          small
                          // Invited for a possible duplicate; for a related pair (similar, not the same work) it is there, not pressed on people,
                          // nor for one Jira already joins through other issues (the note says confirming adds no link, and is its description).
                          appearance={p.tier === 'duplicate' && !joinedThrough(p) ? 'primary' : 'default'}
                          aria-describedby={joinedThrough(p) ? `pair-through-${p.id}` : undefined}
                          loading={b === 'confirm'}
                          disabled={b !== undefined || p.canLink === false}
                          disabledReason={p.canLink === false ? NO_LINK_REASON : null}
                          onClick={() => decideFrom(p, index, 'pair-confirm', 'confirm')}
                          data-testid="pair-confirm"
                          aria-label={`Confirm ${p.a.key} and ${p.b.key} as duplicates`}
                        >
                          Confirm
                        </Button>
                        <Button
                          small
                          loading={b === 'dismiss'}
                          disabled={b !== undefined || (dismissNeedsLink && p.canLink === false)}
                          disabledReason={dismissNeedsLink && p.canLink === false ? NO_DISMISS_REASON : null}
                          onClick={() => decideFrom(p, index, 'pair-dismiss', 'dismiss')}
                          data-testid="pair-dismiss"
                          aria-label={`Dismiss ${p.a.key} and ${p.b.key}`}
                        >
                          Dismiss
                        </Button>
                      </>
                    ) : (
                      <>
                        <Button
                          small
                          loading={b === 'reopen'}
                          disabled={b !== undefined || ((dismissNeedsLink || status === 'confirmed') && p.canLink === false)}
                          disabledReason={p.canLink === false ? (status === 'confirmed' ? NO_UNCONFIRM_REASON : dismissNeedsLink ? NO_DISMISS_REASON : null) : null}
                          onClick={() => decideFrom(p, index, 'pair-reopen', 'reopen')}
                          data-testid="pair-reopen"
                          aria-label={`Reopen ${p.a.key} and ${p.b.key}`}
                          title={
                            status !== 'confirmed'
                              ? 'Puts the pair back to review'
                              : p.linkedInJira
                                ? 'Puts the pair back to review; the Duplicate link in Jira stays'
                                : // Neutral: the links that joined them may be to issues this viewer cannot see.
                                  'Puts the pair back to review; it has no Duplicate link of its own to remove, and Duplicate links in Jira stay as they are'
                          }
                        >
                          Reopen
                        </Button>
                        {status === 'confirmed' && p.linkedInJira ? (
                          // The undo of a confirmation: the Duplicate link goes too. Not offered on a
                          // pair confirmed through other issues' links: it has no link of its own to remove.
                          <Button
                            small
                            loading={b === 'unlink'}
                            disabled={b !== undefined || p.canLink === false}
                            disabledReason={p.canLink === false ? NO_LINK_REASON : null}
                            onClick={() => decideFrom(p, index, 'pair-unlink', 'reopen', { unlink: true })}
                            data-testid="pair-unlink"
                            aria-label={`Unlink ${p.a.key} and ${p.b.key}: remove the Duplicate link and reopen the pair`}
                            title="Removes the Duplicate link in Jira, as you, and puts the pair back to review"
                          >
                            Unlink
                          </Button>
                        ) : null}
                      </>
                    )}
                  </div>
                </td>
              </tr>
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
