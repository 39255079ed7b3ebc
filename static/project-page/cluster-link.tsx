import { useId, useState } from 'react';
import type { ClusterView, ResultOf } from '../../src/shared/contract';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Banner, ErrorBanner } from '../shared/components/feedback';
import { displayText, plural } from '../shared/format';
import { flag } from '../shared/host';

/** Issues one call may link to the kept one (the server's limit). */
const MAX_LINKS = 50;

type Outcome = { ok: true; result: ResultOf<'clusters.link'> } | { ok: false; message: string };

/**
 * Settles a whole cluster: pick the issue to keep, and every other issue of the cluster is
 * linked to it as a duplicate (one link each, instead of one per pair).
 */
export function ClusterLinker({ cluster, onDone }: { cluster: ClusterView; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [keepId, setKeepId] = useState(cluster.representative.id);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const selectId = useId();
  const others = cluster.members.filter((m) => m.id !== keepId);
  const keep = cluster.members.find((m) => m.id === keepId) ?? cluster.representative;
  const tooBig = others.length > MAX_LINKS;

  const link = async () => {
    setBusy(true);
    const res = await call('clusters.link', { keepIssueId: keep.id, duplicateIssueIds: others.map((m) => m.id) });
    setBusy(false);
    if (!res.success) {
      setOutcome({ ok: false, message: res.error.message });
      return;
    }
    setOutcome({ ok: true, result: res.data });
    setOpen(false);
    const linked = res.data.results.filter((r) => r.ok).length;
    if (linked === res.data.results.length) flag('success', `Linked ${linked === 1 ? '1 issue as a duplicate' : `${linked} issues as duplicates`} of ${res.data.keep.key}`);
    else flag('warning', `Linked ${linked} of ${plural(res.data.results.length, 'issue')} to ${res.data.keep.key}`, res.data.results.filter((r) => !r.ok).map((r) => `${r.key}: ${r.error ?? 'not linked'}`).join(' '));
    onDone();
  };

  if (!open) {
    return (
      <div className="dd-stack">
        <div>
          <Button small onClick={() => { setOpen(true); setOutcome(null); }} data-testid="cluster-link-open">
            Link as duplicates…
          </Button>
        </div>
        {outcome ? <LinkOutcome outcome={outcome} /> : null}
      </div>
    );
  }
  return (
    <div className="dd-card dd-stack" data-testid="cluster-link-panel" style={{ marginTop: 'var(--ds-space-100, 8px)' }}>
      <div className="dd-field" style={{ maxWidth: 520 }}>
        <label className="dd-label" htmlFor={selectId}>
          Keep this issue
        </label>
        <select id={selectId} className="dd-select" value={keepId} onChange={(e) => setKeepId(e.target.value)} data-testid="cluster-keep">
          {cluster.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.key}: {displayText(m.summary, 80)}
            </option>
          ))}
        </select>
      </div>
      <p className="dd-subtle" style={{ margin: 0 }}>
        {tooBig
          ? `This cluster has ${plural(others.length, 'other issue')}; at most ${MAX_LINKS} can be linked at once. Settle it pair by pair in the review queue.`
          : `${others.length === 1 ? `${others[0]?.key ?? 'The other issue'} will get a Duplicate link` : `The other ${others.length} issues will each get a Duplicate link`} to ${keep.key} in Jira, made as you, and the cluster's pending pairs among them will be confirmed. Nothing is closed or changed otherwise.`}
      </p>
      {outcome && !outcome.ok ? <LinkOutcome outcome={outcome} /> : null}
      <div className="dd-row">
        <Button appearance="primary" onClick={() => void link()} loading={busy} disabled={tooBig || others.length === 0} disabledReason={tooBig ? `At most ${MAX_LINKS} issues at once` : null} data-testid="cluster-link-submit">
          Link {plural(others.length, 'issue')} to {keep.key}
        </Button>
        <Button appearance="subtle" onClick={() => setOpen(false)} disabled={busy}>
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
  const linked = results.length - failed.length;
  return (
    <Banner appearance={failed.length === 0 ? 'success' : 'warning'} testId="cluster-link-result">
      <div>
        {linked === 1 ? '1 issue linked as a duplicate' : `${linked} issues linked as duplicates`} of {keep.key}; {plural(pairsConfirmed, 'pair')} confirmed.
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
