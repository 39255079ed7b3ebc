import { keyList } from '../../src/shared/wording';
import { ConfirmStep } from '../shared/components/confirm-step';

/** Saving with no project in scope: the app stops for every project. */
export function EmptyScopeConfirm({
  leaving,
  createCheckOn,
  onCancel,
  onConfirm,
}: {
  /** The projects in scope now (the saved settings'). */
  leaving: string[];
  /** The create-dialog check is on in the saved settings, so it stops too. */
  createCheckOn: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <ConfirmStep title="Save with no projects in scope?" confirmLabel="Save with no projects" testId="empty-scope" onCancel={onCancel} onConfirm={onConfirm}>
      <p style={{ margin: 0 }}>
        {leaving.length === 1 ? `${keyList(leaving)} is` : `${keyList(leaving)} are`} in scope now. With no project in scope, the app stops for every project:
      </p>
      <ul style={{ margin: 'var(--ds-space-050, 4px) 0', paddingLeft: 'var(--ds-space-250, 20px)' }}>
        <li>no analysis runs, neither scheduled nor started by hand;</li>
        <li>issues lose their possible-duplicates badge, and within a minute or so their suggestions and the review queue empty out (the Similar issues panel says the project is not analysed);</li>
        {createCheckOn ? <li>the create dialog no longer warns about possible duplicates.</li> : null}
      </ul>
      <p style={{ margin: 0 }}>Decisions already made are kept. Choose projects and save again at any time to start again.</p>
    </ConfirmStep>
  );
}

/** Saving a JQL filter that keeps none of the issues in scope: analyses would read nothing. */
export function NoIssuesConfirm({ inScope, onCancel, onConfirm }: { inScope: number; onCancel: () => void; onConfirm: () => void }) {
  return (
    <ConfirmStep title="Save a filter that keeps no issue?" confirmLabel="Save the filter" testId="no-issues" onCancel={onCancel} onConfirm={onConfirm}>
      <p style={{ margin: 0 }}>
        Jira says the JQL filter keeps none of the {inScope.toLocaleString('en')} issues in scope. With it, analyses read no issue: their suggestions, the badge
        and the review queue empty out at the next analysis. Decisions already made are kept.
      </p>
    </ConfirmStep>
  );
}

/**
 * Saving an age limit that leaves out every issue in scope, or all but very few
 * (`keepsAlmostNone`): analyses would read next to nothing.
 */
export function AgeLimitConfirm({ days, kept, of, onCancel, onConfirm }: { days: number; kept: number; of: number; onCancel: () => void; onConfirm: () => void }) {
  const inLast = `in the last ${days === 1 ? 'day' : `${days.toLocaleString('en')} days`}`;
  return (
    <ConfirmStep
      title={kept === 0 ? 'Save an age limit that keeps no issue?' : 'Save an age limit that keeps almost no issue?'}
      confirmLabel="Save the age limit"
      testId="age-limit"
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p style={{ margin: 0 }}>
        {kept === 0
          ? `Jira says none of the ${of.toLocaleString('en')} issues in scope was created ${inLast}.`
          : `Jira says only about ${kept.toLocaleString('en')} of the ${of.toLocaleString('en')} issues in scope ${kept === 1 ? 'was' : 'were'} created ${inLast}.`}{' '}
        {kept === 0 ? 'With this limit, analyses read no issue until new ones are created' : 'With this limit, analyses read only those, and issues created from now on'}: the
        suggestions, the badge and the review queue of the others empty out within a minute or so. Decisions already made are kept.
      </p>
    </ConfirmStep>
  );
}
