import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ClusterView, IssueRef, ResultOf } from '../../src/shared/contract';
import { filedAfter, filedOf, resolvedAsDuplicate } from '../../src/shared/newer-issue';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { Banner, ErrorBanner } from '../shared/components/feedback';
import { displayText, percent, plural, shortDate } from '../shared/format';
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

/**
 * Settles a whole cluster: pick the issue to keep, and the other issues chosen are linked
 * to it as duplicates (one link each, instead of one per pair). A cluster is a chain of
 * similar pairs, so its ends may not resemble each other, and similar is not the same
 * (an upgrade to another version reads much like this one): nothing is chosen at first.
 * One click chooses the issues similar to the kept one itself; every choice can be changed.
 *
 * Closing the panel (Cancel, Escape, a finished link) says so through `onClosed`, which
 * tells `focus` where keyboard focus goes: back to "Link as duplicates…", or to the
 * cluster's heading once it is settled.
 */
export function ClusterLinker({ cluster, onDone, onClosed, focus }: { cluster: ClusterView; onDone: () => void; onClosed: () => void; focus: FocusReturn }) {
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
  const others = cluster.members.filter((m) => m.id !== keepId);
  const picked = others.filter((m) => chosen.has(m.id));
  const keep = cluster.members.find((m) => m.id === keepId) ?? cluster.representative;
  const tooBig = picked.length > MAX_LINKS;
  const scores = useMemo(() => scoresWith(cluster, keep.id), [cluster, keep.id]);

  const chooseKeep = (id: string) => {
    setKeepId(id);
    setChosen(new Set());
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

  const link = async () => {
    setBusy(true);
    const res = await call('clusters.link', { keepIssueId: keep.id, duplicateIssueIds: picked.map((m) => m.id), memberIssueIds: cluster.members.map((m) => m.id) });
    setBusy(false);
    if (!res.success) {
      setOutcome({ ok: false, message: res.error.message });
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
          {cluster.members.map((m) => (
            <option key={m.id} value={m.id}>
              {`${m.key}: ${displayText(m.summary, 80)} (filed ${shortDate(m.created) || 'on an unknown date'}${m.id === first?.id ? ', the first' : ''}${m.id === cluster.representative.id ? ', most alike to the others' : ''})`}
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
            return (
              <li key={m.id} className="dd-row" style={{ flexWrap: 'nowrap' }}>
                <Checkbox
                  checked={chosen.has(m.id)}
                  onChange={(on) => toggle(m.id, on)}
                  label={
                    <>
                      <strong>{m.key}</strong> <span className="dd-user-text" dir="auto">{displayText(m.summary, 100)}</span>
                    </>
                  }
                  testId={`cluster-link-choice-${m.key}`}
                />
                <span className="dd-subtlest" style={{ whiteSpace: 'nowrap' }}>
                  {score !== null ? `${percent(score)} like ${keep.key}` : `not directly like ${keep.key}`}
                </span>
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
      {outcome && !outcome.ok ? <LinkOutcome outcome={outcome} /> : null}
      <div className="dd-row">
        <Button
          appearance="primary"
          onClick={() => void link()}
          loading={busy}
          disabled={tooBig || picked.length === 0}
          disabledReason={tooBig ? `At most ${MAX_LINKS} issues at once` : picked.length === 0 ? 'No issue is chosen' : null}
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
