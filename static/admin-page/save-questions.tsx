import { useId, type ReactNode } from 'react';
import { keyList } from '../../src/shared/wording';
import { Button } from '../shared/components/button';

/**
 * A question between Save and a save that would turn the app off where it works now: it
 * says what stops and waits for the confirming button or Cancel. Shown in place of the form's
 * buttons, as the project page's panels are (no modal anywhere in the app): focus starts on
 * Cancel, Escape cancels, and the form puts focus back on Save.
 */
function ConfirmStep({ title, confirmLabel, testId, onCancel, onConfirm, children }: { title: string; confirmLabel: string; testId: string; onCancel: () => void; onConfirm: () => void; children: ReactNode }) {
  const id = useId();
  return (
    <div
      className="dd-banner dd-banner--warning"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid={`${testId}-confirm`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        onCancel();
      }}
    >
      <div className="dd-grow dd-stack">
        <h3 className="dd-h3" id={`${id}-title`}>
          {title}
        </h3>
        <div id={`${id}-body`} data-testid={`${testId}-text`}>
          {children}
        </div>
        <div className="dd-row">
          <Button appearance="danger" onClick={onConfirm} data-testid={`${testId}-save`}>
            {confirmLabel}
          </Button>
          {/* The choice that changes nothing has the focus first: Enter or Space alone turns nothing off. */}
          <Button appearance="subtle" onClick={onCancel} autoFocus data-testid={`${testId}-cancel`}>
            Cancel
          </Button>
        </div>
      </div>
    </div>
  );
}

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
        <li>issues lose their possible-duplicates badge, and the Similar issues panel says the project is not analysed (what it still shows is no longer kept up to date);</li>
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
