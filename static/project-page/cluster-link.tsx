import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ActorName, ClusterDismissal, ClusterView, IssueRef, ResultOf } from '../../src/shared/contract';
import { filedAfter, filedOf, resolvedAsDuplicate } from '../../src/shared/newer-issue';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { Banner, ErrorBanner, bannerRole } from '../shared/components/feedback';
import { UserText } from '../shared/components/user-text';
import { DISMISS_REASON_TEXT, displayText, isolate, percent, plural, shortDate } from '../shared/format';
import { flag } from '../shared/host';
import { NO_LINK_REASON } from '../shared/permissions';
import type { FocusReturn } from '../shared/focus-return';

/** Issues one call may link to the kept one, and cluster members it may name (the server's limits). */
const MAX_LINKS = 50;
const MAX_MEMBERS = 500;

type Outcome = { ok: true; result: ResultOf<'clusters.link'> } | { ok: false; message: string };

/**
 * The member filed first (the link's "original" by Jira's habit), passing over one already
 * closed as a duplicate in Jira when another is not: the server's rule for a batch too.
 */
function firstFiled(members: IssueRef[]): IssueRef | undefined {
  let first: IssueRef | undefined;
  const rank = (m: IssueRef): number => (resolvedAsDuplicate(m.resolution) ? 1 : 0);
  for (const m of members) {
    if (first === undefined || rank(first) > rank(m) || (rank(first) === rank(m) && filedAfter(filedOf(first), filedOf(m)))) first = m;
  }
  return first;
}

/** The members with a pair of their own with `keepId` (the ones checked at first), and its score. */
function scoresWith(cluster: ClusterView, keepId: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of cluster.pairs) {
    if (p.a === keepId) out.set(p.b, p.score);
    else if (p.b === keepId) out.set(p.a, p.score);
  }
  return out;
}

/** What the person answered about a dismissal they link over: the pair, at the time shown (a newer dismissal asks again). */
const ackKey = (d: ClusterDismissal): string => `${d.pairId}@${d.decidedAt ?? ''}`;

/** A person's name in a sentence: cleaned of invisible and direction controls, cut, and isolated, so a right-to-left name cannot reorder the words around it. */
const Name = ({ name }: { name: string }) => <UserText text={name} max={60} />;

/** "SHOP-2 and SHOP-5 were dismissed as not duplicates of each other by Alex Admin on 3 Mar 2026 (not the same problem)." */
function DismissalWords({ d, keyOf, nameOf }: { d: ClusterDismissal; keyOf: (id: string) => string; nameOf: (id: string | null) => string }) {
  const on = shortDate(d.decidedAt);
  const why = d.dismissReason === null ? '' : ` (${DISMISS_REASON_TEXT[d.dismissReason].toLowerCase()})`;
  return (
    <>
      {`${keyOf(d.a)} and ${keyOf(d.b)} were dismissed as not duplicates of each other by `}
      <Name name={nameOf(d.decidedBy)} />
      {`${on ? ` on ${on}` : ''}${why}.`}
    </>
  );
}

/**
 * Settles a whole cluster: pick the issue to keep, and the other issues chosen are linked
 * to it as duplicates (one link each, instead of one per pair). A cluster is a chain of
 * similar pairs, so its ends may not resemble each other, and similar is not the same
 * (an upgrade to another version reads much like this one): nothing is chosen at first.
 * One click chooses the issues similar to the kept one itself; every choice can be changed.
 *
 * Someone may have said that two members are not duplicates (a dismissed pair, `dismissed`).
 * A member dismissed as not a duplicate of the kept issue cannot be chosen (the server refuses
 * it). Two chosen members dismissed as not duplicates of each other would become duplicates of
 * one issue: the panel says so, by whom and when, offers to leave either out, and links them
 * only once the person ticks that they link them anyway (sent as `knownDismissals`, with the
 * time shown, so a dismissal made after the list was read is refused, and `onStale` reads the
 * list again to show it).
 *
 * Closing the panel (Cancel, Escape, a finished link) says so through `onClosed`, which
 * tells `focus` where keyboard focus goes: back to "Link as duplicates…", or to the
 * cluster's heading once it is settled.
 */
export function ClusterLinker({
  cluster,
  actors = [],
  accountId = null,
  onDone,
  onStale,
  onClosed,
  focus,
}: {
  cluster: ClusterView;
  /** Names of the people who dismissed pairs of the cluster (`clusters.list`'s `actors`). */
  actors?: ActorName[];
  /** The viewer, who reads "you" for their own dismissals. */
  accountId?: string | null;
  onDone: () => void;
  /** A link refused because the cluster changed meanwhile: read the list again. */
  onStale?: () => void;
  onClosed: () => void;
  focus: FocusReturn;
}) {
  const [open, setOpen] = useState(false);
  // The issue filed first is the one kept by default, as Jira's habit is: the earliest report
  // is the original. The "Most alike" one is marked in the cluster, and a click away here.
  const first = useMemo(() => firstFiled(cluster.members), [cluster.members]);
  const [keepId, setKeepId] = useState(() => first?.id ?? cluster.representative.id);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const selectId = useId();
  const [acked, setAcked] = useState<Set<string>>(() => new Set());
  const others = cluster.members.filter((m) => m.id !== keepId);
  const keep = cluster.members.find((m) => m.id === keepId) ?? cluster.representative;
  const dismissals = useMemo(() => cluster.dismissed ?? [], [cluster.dismissed]);
  // The members someone dismissed as not duplicates of the kept issue: not to be linked to it.
  const dismissedWithKeep = useMemo(() => new Map(dismissals.flatMap((d): Array<[string, ClusterDismissal]> => (d.a === keep.id ? [[d.b, d]] : d.b === keep.id ? [[d.a, d]] : []))), [dismissals, keep.id]);
  const picked = others.filter((m) => chosen.has(m.id) && !dismissedWithKeep.has(m.id));
  const pickedIds = new Set(picked.map((m) => m.id));
  // Two chosen issues dismissed as not duplicates of each other: linked to one issue, they become duplicates.
  const conflicts = dismissals.filter((d) => pickedIds.has(d.a) && pickedIds.has(d.b));
  const conflictsAcked = conflicts.every((d) => acked.has(ackKey(d)));
  const tooBig = picked.length > MAX_LINKS;
  const scores = useMemo(() => scoresWith(cluster, keep.id), [cluster, keep.id]);
  const names = new Map(actors.map((a) => [a.accountId, a.displayName]));
  const nameOf = (id: string | null): string => (id === null ? 'someone' : id === accountId ? 'you' : (names.get(id) ?? 'someone Jira did not name'));
  const keyOf = (id: string): string => cluster.members.find((m) => m.id === id)?.key ?? id;

  const chooseKeep = (id: string) => {
    setKeepId(id);
    setChosen(new Set());
    setAcked(new Set());
  };
  const alike = others.filter((m) => scores.has(m.id));
  const noLink = cluster.canLink === false;
  const tooManyMembers = cluster.members.length > MAX_MEMBERS;

  const close = () => {
    onClosed();
    setOpen(false);
  };
  // The panel's buttons go when it closes: focus goes where `onClosed` said.
  useLayoutEffect(() => focus.place());
  useLayoutEffect(() => {
    // A link that failed leaves the panel open: focus back on its button, which was disabled
    // (and so lost focus) while the link was being made.
    const active = document.activeElement;
    if (open && !busy && (active === null || active === document.body)) panel.current?.querySelector<HTMLButtonElement>('[data-testid="cluster-link-submit"]:not(:disabled)')?.focus();
  }, [open, busy]);
  const toggle = (id: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  // "Leave out" takes away the banner holding it: focus goes to the issue's own checkbox,
  // now unticked, which stays in the list (and can bring the issue back).
  const leaveOut = (id: string) => {
    panel.current?.querySelector<HTMLInputElement>(`[data-testid="cluster-link-choice-${CSS.escape(keyOf(id))}"]`)?.focus();
    toggle(id, false);
  };

  const link = async () => {
    setBusy(true);
    const knownDismissals = Object.fromEntries(conflicts.map((d) => [d.pairId, d.decidedAt ?? '']));
    const res = await call('clusters.link', {
      keepIssueId: keep.id,
      duplicateIssueIds: picked.map((m) => m.id),
      memberIssueIds: cluster.members.map((m) => m.id),
      ...(conflicts.length > 0 ? { knownDismissals } : {}),
    });
    setBusy(false);
    if (!res.success) {
      setOutcome({ ok: false, message: res.error.message });
      // Someone decided a pair of the cluster since it was read: the list read again shows it here.
      if (res.error.code === 'CONFLICT') onStale?.();
      return;
    }
    setOutcome({ ok: true, result: res.data });
    close();
    const linked = res.data.results.filter((r) => r.ok).length;
    // Issues Jira already joined to the kept one got no link: the flag counts what was made.
    const joined = res.data.results.filter((r) => r.ok && r.joined === true).length;
    const made = linked - joined;
    const joinedNote = joined > 0 ? `${plural(joined, 'issue')} ${joined === 1 ? 'was' : 'were'} already joined to ${res.data.keep.key} in Jira, so no link was added for ${joined === 1 ? 'it' : 'them'}.` : undefined;
    if (linked === res.data.results.length)
      flag('success', made === 0 ? `Nothing to link: Jira already joins ${joined === 1 ? 'the issue' : 'these issues'} to ${res.data.keep.key}` : `Linked ${made === 1 ? '1 issue as a duplicate' : `${made} issues as duplicates`} of ${res.data.keep.key}`, made === 0 ? undefined : joinedNote);
    else flag('warning', `Linked ${made} of ${plural(res.data.results.length, 'issue')} to ${res.data.keep.key}`, [joinedNote, res.data.results.filter((r) => !r.ok).map((r) => `${r.key}: ${r.error ?? 'not linked'}`).join(' ')].filter(Boolean).join(' '));
    onDone();
  };

  if (!open) {
    // Every pair decided: the links exist or were refused on purpose, so there is nothing to settle.
    if (cluster.pendingPairs === 0) {
      return (
        <div className="dd-stack">
          <span className="dd-subtle" data-testid="cluster-settled">
            Every pair in this group has been decided.
          </span>
          {outcome ? <LinkOutcome outcome={outcome} /> : null}
        </div>
      );
    }
    return (
      <div className="dd-stack">
        <div>
          <Button
            small
            disabled={tooManyMembers || noLink}
            disabledReason={noLink ? NO_LINK_REASON : tooManyMembers ? `Clusters of more than ${MAX_MEMBERS} issues are settled pair by pair in the review queue` : null}
            onClick={() => {
              // Focus goes into the panel now: nothing from an earlier close is to follow.
              focus.clear();
              setOpen(true);
              setOutcome(null);
            }}
            aria-label={`Link the cluster around ${cluster.representative.key} as duplicates…`}
            data-testid="cluster-link-open"
          >
            Link as duplicates…
          </Button>
        </div>
        {outcome ? <LinkOutcome outcome={outcome} /> : null}
      </div>
    );
  }
  return (
    <div
      ref={panel}
      className="dd-card dd-stack"
      data-testid="cluster-link-panel"
      style={{ marginTop: 'var(--ds-space-100, 8px)' }}
      onKeyDown={(e) => {
        // As in Compare: Escape closes the panel (not while the links are being made).
        if (e.key !== 'Escape' || busy) return;
        e.preventDefault();
        close();
      }}
    >
      <div className="dd-field" style={{ maxWidth: 520 }}>
        <label className="dd-label" htmlFor={selectId}>
          Keep this issue
        </label>
        {/* Opening the panel moves the focus into it, to its first choice. */}
        <select id={selectId} className="dd-select" value={keepId} onChange={(e) => chooseKeep(e.target.value)} autoFocus data-testid="cluster-keep">
          {/* Each option one plain string (an option holds no markup): the summary between direction isolates. */}
          {cluster.members.map((m) => (
            <option key={m.id} value={m.id}>
              {`${m.key}: ${isolate(displayText(m.summary, 80))} (filed ${shortDate(m.created) || 'on an unknown date'}${m.id === first?.id ? ', the first' : ''}${m.id === cluster.representative.id ? ', most alike to the others' : ''})`}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="dd-field" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="dd-label">Link as duplicates of {keep.key}</legend>
        <div className="dd-row">
          <span className="dd-help">Choose the issues that really are duplicates of {keep.key}: a similar issue may still be other work.</span>
          {alike.length > 0 ? (
            <Button small appearance="subtle" onClick={() => setChosen(new Set(alike.map((m) => m.id)))} data-testid="cluster-link-choose-alike">
              Choose the {alike.length === 1 ? 'one' : alike.length} like {keep.key}
            </Button>
          ) : null}
          {picked.length > 0 ? (
            <Button small appearance="subtle" onClick={() => setChosen(new Set())} data-testid="cluster-link-clear">
              Clear
            </Button>
          ) : null}
        </div>
        <ul className="dd-list" data-testid="cluster-link-choices">
          {others.map((m) => {
            const score = scores.get(m.id) ?? null;
            const notWithKeep = dismissedWithKeep.get(m.id);
            return (
              <li key={m.id} className="dd-row" style={{ flexWrap: 'nowrap' }}>
                <Checkbox
                  checked={chosen.has(m.id) && notWithKeep === undefined}
                  disabled={notWithKeep !== undefined}
                  onChange={(on) => toggle(m.id, on)}
                  label={
                    <>
                      <strong>{m.key}</strong> <UserText text={m.summary} max={100} />
                    </>
                  }
                  testId={`cluster-link-choice-${m.key}`}
                />
                {notWithKeep !== undefined ? (
                  <span className="dd-subtlest" data-testid="cluster-link-dismissed-with-keep">
                    {`dismissed as not a duplicate of ${keep.key} by `}
                    <Name name={nameOf(notWithKeep.decidedBy)} />
                    {`${notWithKeep.decidedAt ? ` on ${shortDate(notWithKeep.decidedAt)}` : ''}: reopen the pair in the review queue to link it`}
                  </span>
                ) : (
                  <span className="dd-subtlest" style={{ whiteSpace: 'nowrap' }}>
                    {score !== null ? `${percent(score)} like ${keep.key}` : `not directly like ${keep.key}`}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      <p className="dd-subtle" style={{ margin: 0 }}>
        {tooBig
          ? `At most ${MAX_LINKS} issues can be linked at once; ${picked.length} are chosen.`
          : picked.length === 0
            ? 'Choose the issues to link.'
            : `${picked.length === 1 ? `${picked[0]?.key ?? 'The issue'} will get a Duplicate link` : `These ${picked.length} issues will each get a Duplicate link`} to ${keep.key} in Jira, made as you, unless Jira already joins ${picked.length === 1 ? 'it' : 'one'} to ${keep.key}, and the pending pairs among them and ${keep.key} will be confirmed. Nothing is closed or changed otherwise.`}
      </p>
      {conflicts.length > 0 ? (
        // Live only in its sentences: ticking or leaving out changes the banner, and a screen
        // reader reads that out, not every button's name in it again.
        <Banner appearance="warning" testId="cluster-link-dismissed" live={false}>
          <ul className="dd-list" style={{ margin: 0 }}>
            {conflicts.map((d) => (
              <li key={d.pairId} className="dd-stack" style={{ gap: 'var(--ds-space-050, 4px)' }} data-testid="cluster-link-dismissed-pair">
                <span role={bannerRole('warning')} data-testid="cluster-link-dismissed-text">
                  <DismissalWords d={d} keyOf={keyOf} nameOf={nameOf} />
                </span>
                <span className="dd-row">
                  {[d.a, d.b].map((id) => (
                    <Button key={id} small appearance="subtle" onClick={() => leaveOut(id)} data-testid={`cluster-link-leave-out-${keyOf(id)}`}>
                      Leave out {keyOf(id)}
                    </Button>
                  ))}
                </span>
              </li>
            ))}
          </ul>
          <p role={bannerRole('warning')} style={{ margin: 'var(--ds-space-100, 8px) 0' }}>
            {conflicts.length === 1
              ? `Linked to ${keep.key}, the two become duplicates of one issue in Jira, against that decision; the app keeps the pair dismissed.`
              : `Linked to ${keep.key}, the two of each pair become duplicates of one issue in Jira, against those decisions; the app keeps the pairs dismissed.`}
          </p>
          <Checkbox
            checked={conflictsAcked}
            onChange={(on) => {
              // The refusal that asked this question is answered: it goes.
              setOutcome(null);
              setAcked((prev) => {
                const next = new Set(prev);
                for (const d of conflicts) {
                  if (on) next.add(ackKey(d));
                  else next.delete(ackKey(d));
                }
                return next;
              });
            }}
            label={`Link them anyway: I know ${conflicts.length === 1 ? 'these two were' : 'these pairs were'} dismissed as not duplicates`}
            testId="cluster-link-dismissed-ack"
          />
        </Banner>
      ) : null}
      {outcome && !outcome.ok ? <LinkOutcome outcome={outcome} /> : null}
      <div className="dd-row">
        <Button
          appearance="primary"
          onClick={() => void link()}
          loading={busy}
          disabled={tooBig || picked.length === 0 || !conflictsAcked}
          disabledReason={
            tooBig
              ? `At most ${MAX_LINKS} issues at once`
              : picked.length === 0
                ? 'No issue is chosen'
                : !conflictsAcked
                  ? 'Two chosen issues were dismissed as not duplicates of each other: leave one out, or tick that you link them anyway'
                  : null
          }
          data-testid="cluster-link-submit"
        >
          Link {plural(picked.length, 'issue')} to {keep.key}
        </Button>
        <Button appearance="subtle" onClick={close} disabled={busy} data-testid="cluster-link-cancel">
          Cancel
        </Button>
      </div>
    </div>
  );
}

function LinkOutcome({ outcome }: { outcome: Outcome }) {
  if (!outcome.ok) return <ErrorBanner title="Nothing was linked" message={outcome.message} testId="cluster-link-error" />;
  const { keep, results, pairsConfirmed } = outcome.result;
  const failed = results.filter((r) => !r.ok);
  // As the flag counts them: the links made, and apart the issues Jira already joined to the kept one.
  const joined = results.filter((r) => r.ok && r.joined === true).length;
  const made = results.length - failed.length - joined;
  const madeWords = made === 0 && joined > 0 ? `No link was needed: Jira already joins ${joined === 1 ? 'the issue' : `these ${joined} issues`} to ${keep.key}` : `${made === 1 ? '1 issue linked as a duplicate' : `${made} issues linked as duplicates`} of ${keep.key}`;
  const joinedWords = made > 0 && joined > 0 ? `; ${plural(joined, 'issue')} ${joined === 1 ? 'was' : 'were'} already joined to it in Jira, so no link was added for ${joined === 1 ? 'it' : 'them'}` : '';
  return (
    <Banner appearance={failed.length === 0 ? 'success' : 'warning'} testId="cluster-link-result">
      <div>
        {madeWords}
        {joinedWords}; {plural(pairsConfirmed, 'pair')} confirmed.
      </div>
      {failed.length > 0 ? (
        <ul style={{ margin: 'var(--ds-space-050, 4px) 0 0', paddingLeft: 'var(--ds-space-250, 20px)' }}>
          {failed.map((r) => (
            <li key={r.issueId}>
              {r.key}: {r.error ?? 'not linked'}
            </li>
          ))}
        </ul>
      ) : null}
    </Banner>
  );
}
