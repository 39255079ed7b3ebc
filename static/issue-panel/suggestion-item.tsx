import type { Suggestion } from '../../src/shared/contract';
import { Button } from '../shared/components/button';
import { HighlightedText } from '../shared/components/highlighted-text';
import { ScoreBadge, StatusLozenge, TierLozenge } from '../shared/components/lozenges';
import { DISMISS_REASON_TEXT, displayText, percent, timeAgo } from '../shared/format';
import { IssueKeyLink } from '../shared/components/issue-key-link';
import { openIssue } from '../shared/host';
import { NO_DISMISS_REASON, NO_LINK_REASON, NO_UNCONFIRM_REASON } from '../shared/permissions';
import type { Busy, Decision, DecideOptions } from './use-suggestions';
import { When } from '../shared/components/when';
import { UserText } from '../shared/components/user-text';
import { WordList } from '../shared/components/word-list';
import { shownFrom, shownSummary } from '../shared/shown-summary';

/** "SHOP-1", "SHOP-1 and SHOP-2", "SHOP-1, SHOP-2 and SHOP-3". */
function keyList(keys: string[]): string {
  const shown = keys.map((k) => displayText(k, 40));
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1] ?? ''}`;
}

/**
 * An issue key in running text, kept on one line: in the narrow context box "MOB-" at the end
 * of a line and "95" on the next read as two things. (Keys that are links are buttons, which
 * do not wrap either.)
 */
export function IssueKey({ children }: { children: string }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{displayText(children, 40)}</span>;
}

/** keyList's words, each key kept on one line. */
function KeyNames({ keys }: { keys: string[] }) {
  return (
    <>
      {keys.map((k, i) => (
        <span key={k}>
          {i === 0 ? '' : i === keys.length - 1 ? ' and ' : ', '}
          <IssueKey>{k}</IssueKey>
        </span>
      ))}
    </>
  );
}

/**
 * What an item needs to say who decided it, in the project page's words: "you", the name
 * Jira shows the viewer ("a former user" for an account since closed, as the resolver names
 * it), or "someone Jira did not name" when Jira gave none.
 */
export interface Deciders {
  /** The viewer's account id, to say "you". */
  me: string | null;
  /** Names from `SuggestionsView.actors`. */
  names: Map<string, string>;
  /** Now, for "3 days ago" (the panel re-renders it every 30 s). */
  now: number;
}

/**
 * Who confirmed or dismissed it: the words, and apart from them a name from `actors` (text
 * the viewer's colleagues chose, shown isolated). Null while pending.
 */
function deciderOf(s: Suggestion, d: Deciders): { words: string; name: string | null } | null {
  if (s.status === 'pending') return null;
  // Linked in Jira itself: by whom when Jira's event said so.
  if (s.status === 'confirmed' && s.decidedInJira) {
    if (s.decidedBy === null) return { words: 'Linked as duplicates in Jira; confirmed', name: null };
    if (s.decidedBy === d.me) return { words: 'Linked as duplicates in Jira by you', name: null };
    const name = displayText(d.names.get(s.decidedBy), 60);
    return name ? { words: 'Linked as duplicates in Jira by ', name } : { words: 'Linked as duplicates in Jira by someone Jira did not name', name: null };
  }
  const verb = s.status === 'confirmed' ? 'Confirmed by' : 'Dismissed by';
  if (s.decidedBy === null) return { words: `${verb} someone`, name: null };
  if (s.decidedBy === d.me) return { words: `${verb} you`, name: null };
  const name = displayText(d.names.get(s.decidedBy), 60);
  return name ? { words: `${verb} `, name } : { words: `${verb} someone Jira did not name`, name: null };
}

/** A person as the panel names them: "you", the name from `actors` (apart, as text people chose), or a stand-in. */
function personOf(accountId: string, d: Deciders): { words: string; name: string | null } {
  if (accountId === d.me) return { words: 'you', name: null };
  const name = displayText(d.names.get(accountId), 60);
  return name ? { words: '', name } : { words: 'someone Jira did not name', name: null };
}

/** Keys as links, "A", "A and B", "A, B and C", then "and N more". */
function KeyLinks({ keys }: { keys: string[] }) {
  const shown = keys.slice(0, 3);
  return (
    <>
      {shown.map((k, i) => (
        <span key={k}>
          {i > 0 ? (i === shown.length - 1 && keys.length <= 3 ? ' and ' : ', ') : ''}
          <IssueKeyLink issueKey={k} />
        </span>
      ))}
      {keys.length > 3 ? ` and ${keys.length - 3} more` : ''}
    </>
  );
}

/** Where the suggested issue's own Duplicate links lead, which way when Jira said. */
function ChainNote({ suggestionKey, links }: { suggestionKey: string; links: Suggestion['alsoLinkedWith'] }) {
  const of = (way: Suggestion['alsoLinkedWith'][number]['way']): string[] => links.filter((l) => l.way === way).map((l) => l.key);
  const [originals, copies, joined] = [of('duplicates'), of('duplicated-by'), of('linked')];
  const parts: JSX.Element[] = [];
  if (originals.length > 0) {
    parts.push(
      <span key="o">
        <IssueKey>{suggestionKey}</IssueKey> is already a duplicate of <KeyLinks keys={originals} />
      </span>,
    );
  }
  if (copies.length > 0) {
    parts.push(
      <span key="c">
        <KeyLinks keys={copies} /> {copies.length === 1 ? 'duplicates' : 'duplicate'} <IssueKey>{suggestionKey}</IssueKey>
      </span>,
    );
  }
  if (joined.length > 0) {
    parts.push(
      <span key="j">
        <IssueKey>{suggestionKey}</IssueKey> is already linked as a duplicate with <KeyLinks keys={joined} />
      </span>,
    );
  }
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 ? '; ' : ''}
          {p}
        </span>
      ))}
      .
    </>
  );
}

/** Characters of a summary an item shows. */
const SUMMARY_CHARS = 160;

/** One suggested issue with its score, why it matched, and what you can do about it. */
export function SuggestionItem({
  suggestion,
  canLink,
  canDismiss = true,
  busy,
  onDecide,
  duplicateOf,
  narrow,
  deciders,
  thisIssueId,
  others = [],
}: {
  suggestion: Suggestion;
  canLink: boolean;
  /** False when the admin's settings let only people with Link Issues dismiss and restore. */
  canDismiss?: boolean;
  busy: Busy | undefined;
  onDecide: (s: Suggestion, d: Decision, options?: DecideOptions) => void;
  /** Keys of the issues the open issue already duplicates (from Jira's links). */
  duplicateOf: string[];
  /** In a frame up to 380 px wide (the issue context box): the link button shows its short label. */
  narrow: boolean;
  /** To say who confirmed or dismissed it, and when. */
  deciders: Deciders;
  /** The open issue's id: the duplicate when linking the other way round from a suggestion it is older than. */
  thisIssueId: string;
  /** The open issue's summary and those of the suggestions listed, to show a long summary from where it parts from theirs. */
  others?: readonly string[];
}) {
  const { issue } = suggestion;
  // Cut to SUMMARY_CHARS, and shown from near where it parts from the open issue's summary or
  // another listed that opens alike for about that long (`shownSummary`, as the review queue's
  // rows show a pair's two).
  const whole = displayText(issue.summary.trim(), 500);
  const shown = shownSummary(issue.summary, others, SUMMARY_CHARS);
  const from = shownFrom(issue.summary, others, SUMMARY_CHARS);
  const leading = issue.summary.length - issue.summary.trimStart().length;
  const partial = shown !== whole;
  const dismissed = suggestion.status === 'dismissed';
  const labelId = `sugg-${suggestion.pairId}`;
  const terms = suggestion.sharedTerms.slice(0, 6).map((t) => displayText(t.term, 30)).filter(Boolean);
  const offersLink = !dismissed && !suggestion.linked && suggestion.status !== 'confirmed';
  // Jira already joins the two through other issues: confirming adds no link, so the item
  // says so and offers a plain Confirm, with no way to choose.
  const through = offersLink ? suggestion.joinedThrough : [];
  const joined = through.length > 0;
  const throughId = `sugg-${suggestion.pairId}-through`;
  // Linked as duplicates in Jira by someone, not confirmed here: "Not a duplicate" would
  // contradict the link, so the item says what Jira says instead.
  const linkedInJira = !dismissed && suggestion.linked && suggestion.status === 'pending';
  // Linking here would make the open issue a duplicate of a second issue: Jira allows it, so
  // the action stays, but it is no longer the one the panel invites.
  // What each way of linking would add to: the issues the one made the duplicate already
  // duplicates. Jira allows a second such link, so the action stays, but it is no longer the
  // one the panel invites, and it says so.
  const originalsOfOther = suggestion.alsoLinkedWith.filter((l) => l.way === 'duplicates').map((l) => l.key);
  const thisAlreadyOf = duplicateOf.filter((k) => k !== issue.key);
  const alreadyOf = offersLink && !joined ? (suggestion.thisIsDuplicate ? thisAlreadyOf : originalsOfOther) : [];
  const reverseAlreadyOf = offersLink ? (suggestion.thisIsDuplicate ? originalsOfOther : thisAlreadyOf) : [];
  const reverseNoteId = `sugg-${suggestion.pairId}-reverse-note`;
  const noteId = `sugg-${suggestion.pairId}-note`;
  const directionId = `sugg-${suggestion.pairId}-direction`;
  const wideLabel = suggestion.thisIsDuplicate ? `Link as duplicate of ${issue.key}` : `Link ${issue.key} as duplicate`;
  // The other way round, for when the newer issue is the one to keep (it says more, or the work is there).
  const reverseWay = suggestion.thisIsDuplicate ? `${issue.key} as a duplicate of this issue` : `this issue as a duplicate of ${issue.key}`;
  const alreadyNote = (keys: string[], thisOne: boolean): string => `${thisOne ? 'This issue' : issue.key} is already linked as a duplicate of ${keyList(keys)}.`;
  // Only where the button can be used: a disabled one says why instead.
  const showDirection = offersLink && !joined && narrow && canLink;
  // The note on the other issue's links is the chain note, which says it already.
  const alreadyInChainNote = alreadyOf.length > 0 && !suggestion.thisIsDuplicate;
  const chainNoteId = `sugg-${suggestion.pairId}-chain`;
  const describedBy = [joined ? throughId : '', alreadyOf.length > 0 ? (alreadyInChainNote ? chainNoteId : noteId) : '', showDirection ? directionId : ''].filter(Boolean).join(' ');
  // Who decided and when: a colleague who finds a suggestion gone, or linked, sees why before undoing it.
  const decider = deciderOf(suggestion, deciders);
  const reasonGiver = suggestion.dismissReasonBy === null ? null : personOf(suggestion.dismissReasonBy, deciders);
  const decidedWhen = timeAgo(suggestion.decidedAt, deciders.now);
  const decidedId = `sugg-${suggestion.pairId}-decided`;
  // While a decision on this suggestion is on its way, the button pressed shows it and keeps
  // the keyboard focus (Button's `loading` alone: aria-disabled, clicks ignored); disabling it
  // would drop the focus to the page. The suggestion's other buttons are disabled meanwhile.
  const busyElsewhere = (mine: Busy): boolean => busy !== undefined && busy !== mine;
  return (
    <li data-testid="suggestion" data-pair-id={suggestion.pairId} data-issue-key={issue.key} aria-labelledby={labelId}>
      {/* The item's name for screen readers: the issue, how alike and in which tier (the key's own name is "Open … in a new tab"). */}
      <span className="dd-visually-hidden" id={labelId} data-testid="suggestion-name">
        {`${issue.key}, ${percent(suggestion.score)} alike, ${suggestion.tier === 'duplicate' ? 'possible duplicate' : 'related'}${suggestion.status === 'pending' ? '' : `, ${suggestion.status}`}`}
      </span>
      <div className="dd-row">
        <ScoreBadge score={suggestion.score} tier={suggestion.tier} />
        <IssueKeyLink issueKey={issue.key} testId="suggestion-key" />
        {/* The list's heading names the tier; dismissed suggestions of both tiers share one list. */}
        {dismissed ? <TierLozenge tier={suggestion.tier} /> : null}
        <StatusLozenge status={issue.status} category={issue.statusCategory} />
        {suggestion.linked ? <span className="dd-lozenge dd-lozenge--success" data-testid="linked">Linked</span> : null}
      </div>
      <div style={{ margin: 'var(--ds-space-050, 4px) 0' }} title={partial ? whole : undefined} data-testid="suggestion-summary-box">
        {/* A block in the summary's own direction: a wrapped Arabic or Hebrew summary starts each line at the right. */}
        {/* Shown in part: the whole summary is its tooltip and, for screen readers, takes the place of the part shown. */}
        <div aria-hidden={partial ? true : undefined}>
          {suggestion.summarySegments.length > 0 ? (
            <HighlightedText segments={suggestion.summarySegments} max={SUMMARY_CHARS - (from > 0 ? 1 : 0)} from={from > 0 ? leading + from : 0} block testId="suggestion-summary" />
          ) : (
            <span className="dd-user-text dd-user-text--block" dir="auto" data-testid="suggestion-summary">
              {shown}
            </span>
          )}
        </div>
        {partial ? (
          <span className="dd-visually-hidden" data-testid="suggestion-summary-whole">
            {whole}
          </span>
        ) : null}
      </div>
      {terms.length > 0 ? (
        <div className="dd-subtlest">
          Shared words: <WordList words={terms} max={terms.length} />
        </div>
      ) : null}
      {suggestion.otherWork !== null ? (
        // Why a suggestion this alike is only related, as the review queue says it.
        <div className="dd-subtlest" data-testid="other-work">
          <span className="dd-user-text" dir="auto">
            {displayText(suggestion.otherWork, 200)}
          </span>{' '}
          So it is kept as related, whatever its score.
        </div>
      ) : null}
      {!dismissed && suggestion.alsoLinkedWith.length > 0 ? (
        // A chain: the suggested issue is itself joined with others as duplicates; the
        // original may be the one to link this issue to instead.
        <div className="dd-subtle" style={{ marginTop: 'var(--ds-space-050, 4px)' }} id={chainNoteId} data-testid="chain-note">
          <ChainNote suggestionKey={issue.key} links={suggestion.alsoLinkedWith} />
        </div>
      ) : null}
      {joined ? (
        <div className="dd-subtle" style={{ marginTop: 'var(--ds-space-050, 4px)' }} id={throughId} data-testid="joined-through">
          Jira already joins this issue and <IssueKey>{issue.key}</IssueKey> as duplicates through <KeyNames keys={through} />: confirming adds no link.
        </div>
      ) : null}
      {alreadyOf.length > 0 && !alreadyInChainNote ? (
        <div className="dd-subtle" style={{ marginTop: 'var(--ds-space-050, 4px)' }} id={noteId} data-testid="already-duplicate">
          {suggestion.thisIsDuplicate ? 'This issue' : <IssueKey>{issue.key}</IssueKey>} is already linked as a duplicate of <KeyNames keys={alreadyOf} />.
        </div>
      ) : null}
      {showDirection ? (
        // The short label does not say which way it links; a tooltip is no use to keyboard
        // and touch users, so the way is written out (and is the button's description).
        <div className="dd-subtlest" id={directionId} data-testid="link-direction">
          {suggestion.thisIsDuplicate ? (
            <>
              Links this issue as a duplicate of <IssueKey>{issue.key}</IssueKey>
            </>
          ) : (
            <>
              Links <IssueKey>{issue.key}</IssueKey> as a duplicate of this issue
            </>
          )}
        </div>
      ) : null}
      {decider ? (
        <div className="dd-subtlest" id={decidedId} data-testid="decided">
          {decider.words}
          {decider.name !== null ? <UserText text={decider.name} max={60} /> : null}
          {decidedWhen ? (
            <>
              {' '}
              <When iso={suggestion.decidedAt} now={deciders.now} />
            </>
          ) : null}
        </div>
      ) : null}
      {dismissed && suggestion.dismissReason !== null ? (
        <div className="dd-subtlest" data-testid="dismiss-reason">
          Why
          {reasonGiver !== null ? (
            // Given by someone other than who dismissed it: said, so it is not taken for theirs.
            <>
              {' (said by '}
              {reasonGiver.name !== null ? <UserText text={reasonGiver.name} max={60} /> : reasonGiver.words}
              {')'}
            </>
          ) : null}
          : {DISMISS_REASON_TEXT[suggestion.dismissReason]}
        </div>
      ) : null}
      <div className="dd-row" style={{ marginTop: 'var(--ds-space-075, 6px)' }}>
        {dismissed ? (
          <Button
            small
            loading={busy === 'reopen'}
            disabled={busyElsewhere('reopen') || !canDismiss}
            disabledReason={!canDismiss ? NO_DISMISS_REASON : null}
            onClick={() => onDecide(suggestion, 'reopen')}
            aria-label={`Restore ${issue.key}`}
            aria-describedby={decider ? decidedId : undefined}
            data-testid="restore"
          >
            Restore
          </Button>
        ) : (
          <>
            {!offersLink ? null : (
              <Button
                small
                // The invited action for a possible duplicate; a related issue is similar, not the same work.
                appearance={joined || alreadyOf.length > 0 || suggestion.tier === 'related' ? 'default' : 'primary'}
                disabled={!canLink || busyElsewhere('confirm')}
                disabledReason={!canLink ? NO_LINK_REASON : null}
                loading={busy === 'confirm'}
                onClick={() => onDecide(suggestion, 'confirm', joined ? {} : { duplicateIssueId: suggestion.thisIsDuplicate ? thisIssueId : issue.id })}
                title={
                  joined
                    ? 'Confirms the pair; Jira already joins the two issues as duplicates, so no link is added'
                    : suggestion.thisIsDuplicate
                      ? `Adds a Duplicate link in Jira: this issue duplicates ${issue.key}`
                      : `Adds a Duplicate link in Jira: ${issue.key} duplicates this issue`
                }
                aria-describedby={describedBy || undefined}
                // The short label in the context box names no issue: its name does, as the wide one.
                // Its visible words first, for voice control.
                aria-label={joined ? `Confirm duplicate: ${issue.key}` : narrow ? wideLabel : undefined}
                data-testid="link-duplicate"
                data-direction={joined ? 'joined' : suggestion.thisIsDuplicate ? 'this' : 'other'}
              >
                {/* The narrow issue context box keeps the short label; the line above tells the way. */}
                {joined ? 'Confirm duplicate' : narrow ? 'Link as duplicate' : wideLabel}
              </Button>
            )}
            {/* Not in the narrow issue context box, whose row holds two buttons; the panel below has it. */}
            {offersLink && !joined && canLink && !narrow ? (
              <Button
                small
                appearance="link"
                disabled={busyElsewhere('reverse')}
                loading={busy === 'reverse'}
                onClick={() => onDecide(suggestion, 'confirm', { duplicateIssueId: suggestion.thisIsDuplicate ? issue.id : thisIssueId, busyAs: 'reverse' })}
                // Its visible words first, for voice control; then what it does.
                aria-label={`Other way round: link ${reverseWay}`}
                aria-describedby={reverseAlreadyOf.length > 0 ? reverseNoteId : undefined}
                title={`Adds a Duplicate link in Jira the other way round: ${reverseWay}${reverseAlreadyOf.length > 0 ? `. ${alreadyNote(reverseAlreadyOf, !suggestion.thisIsDuplicate)}` : ''}`}
                data-testid="link-reverse"
              >
                Other way round
              </Button>
            ) : null}
            {offersLink && !joined && canLink && !narrow && reverseAlreadyOf.length > 0 ? (
              <span className="dd-visually-hidden" id={reverseNoteId} data-testid="reverse-already-duplicate">
                {alreadyNote(reverseAlreadyOf, !suggestion.thisIsDuplicate)}
              </span>
            ) : null}
            {suggestion.status === 'confirmed' && !suggestion.linked ? (
              // Confirmed through other issues' links (a cluster, a chain): no link of its own to
              // remove, so the way back is a reopen, which leaves those links alone.
              <Button
                // Each of these buttons its own element (a key each): one that did its work goes,
                // and the focus on it with it, rather than turning into another under the focus
                // (Unlink into Not a duplicate); the panel then puts the focus where it belongs.
                key="reopen-confirmed"
                small
                disabled={!canLink || busyElsewhere('reopen')}
                disabledReason={!canLink ? NO_UNCONFIRM_REASON : null}
                loading={busy === 'reopen'}
                onClick={() => onDecide(suggestion, 'reopen')}
                aria-label={`Reopen ${issue.key}`}
                aria-describedby={decider ? decidedId : undefined}
                // Neutral: the links that joined them may be to issues this viewer cannot see.
                title={`Puts ${issue.key} back among the suggestions; it has no Duplicate link of its own to remove, and Duplicate links in Jira stay as they are`}
                data-testid="reopen-confirmed"
              >
                Reopen
              </Button>
            ) : suggestion.status === 'confirmed' ? (
              // Undo of a link made here: the suggestion goes back to review, the Jira link goes.
              <Button
                key="unlink"
                small
                disabled={!canLink || busyElsewhere('unlink')}
                disabledReason={!canLink ? NO_LINK_REASON : null}
                loading={busy === 'unlink'}
                onClick={() => onDecide(suggestion, 'unlink')}
                aria-label={`Unlink ${issue.key}`}
                aria-describedby={decider ? decidedId : undefined}
                title={`Removes the Duplicate link between this issue and ${issue.key} in Jira and puts ${issue.key} back among the suggestions`}
                data-testid="unlink"
              >
                Unlink
              </Button>
            ) : linkedInJira ? (
              <span key="linked-in-jira" className="dd-subtle" data-testid="linked-in-jira">
                Already linked as duplicates in Jira.
              </span>
            ) : (
              <Button
                key="dismiss"
                small
                disabled={busyElsewhere('dismiss') || !canDismiss}
                disabledReason={!canDismiss ? NO_DISMISS_REASON : null}
                loading={busy === 'dismiss'}
                onClick={() => onDecide(suggestion, 'dismiss')}
                // Each suggestion's buttons say which issue they are about, as the review queue's do.
                aria-label={`Not a duplicate: ${issue.key}`}
                data-testid="dismiss"
              >
                Not a duplicate
              </Button>
            )}
          </>
        )}
        <Button small appearance="subtle" className="dd-open-button" onClick={() => openIssue(issue.key)} aria-label={`Open ${issue.key}`} data-testid="open-issue">
          Open
        </Button>
      </div>
    </li>
  );
}
