import { useEffect, useState } from 'react';
import type { CreateCheckStatus } from '../../src/shared/contract';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Banner, ErrorBanner } from '../shared/components/feedback';
import { plural } from '../shared/format';
import { useCall } from '../shared/use-call';
import { UNSAVED_REASON } from './draft';

/** At most this many project keys are named; the rest are counted. */
const KEYS_SHOWN = 8;

function keyList(keys: string[]): string {
  if (keys.length <= KEYS_SHOWN) return keys.join(', ');
  return `${keys.slice(0, KEYS_SHOWN).join(', ')} and ${keys.length - KEYS_SHOWN} more`;
}

function describe(status: CreateCheckStatus, projectsInScope: number, enabled: boolean): string {
  switch (status.state) {
    case 'on':
      return `On for ${plural(status.coveredKeys.length, 'project')} in scope: ${keyList(status.coveredKeys)}.`;
    case 'off':
      if (!enabled) return 'Off: turned off in the settings above.';
      return projectsInScope === 0 ? 'Off: no project is in scope yet. Choose projects above and save.' : 'Off: no create dialog runs the check yet.';
    case 'outdated': {
      const parts = [
        status.missingKeys.length > 0 ? `Not on for ${keyList(status.missingKeys)}.` : '',
        status.extraProjects > 0 ? `Still on for ${plural(status.extraProjects, 'project')} no longer in scope.` : '',
      ];
      return parts.filter(Boolean).join(' ');
    }
    default:
      return '';
  }
}

/**
 * Whether the create dialog's duplicate check runs on the projects in scope. Saving the
 * settings keeps it in step (the save's answer is passed in as `saved`); the button puts it
 * back by hand, e.g. after someone removed it in Jira.
 */
export function CreateCheckSection({
  canEdit,
  saved,
  projectsInScope,
  enabled,
  unsaved = false,
  onChanged,
}: {
  canEdit: boolean;
  saved: CreateCheckStatus | null;
  projectsInScope: number;
  /** The saved setting: whether the create dialog should run the check at all. */
  enabled: boolean;
  /** The settings form holds changes not saved: registering would cover the saved projects, not those shown. */
  unsaved?: boolean;
  /** Called after a registration (it goes to the history). */
  onChanged?: () => void;
}) {
  const loaded = useCall('uim.status', canEdit ? {} : null);
  const [status, setStatus] = useState<CreateCheckStatus | null>(null);
  const [registering, setRegistering] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.data) setStatus(loaded.data);
  }, [loaded.data]);
  useEffect(() => {
    if (saved) setStatus(saved);
  }, [saved]);

  const register = async () => {
    setRegistering(true);
    setFailure(null);
    const res = await call('uim.register', {});
    if (!res.success) setFailure(res.error.message);
    else onChanged?.();
    const after = await call('uim.status', {});
    setRegistering(false);
    if (after.success) setStatus(after.data);
  };

  // Named after the state read from Jira; "Turn on" only when Jira said the check is off.
  const label =
    status?.state === 'outdated' ? 'Update for the projects in scope' : status?.state === 'on' ? 'Register again' : status?.state === 'off' ? 'Turn on' : 'Register for the projects in scope';
  const checking = status === null && loaded.state === 'loading';
  return (
    <div className="dd-stack" data-testid="create-check" data-state={status?.state ?? 'loading'}>
      <div className="dd-row dd-row--between">
        <div className="dd-grow" style={{ flexBasis: '20rem' }}>
          <strong>Duplicate check on create</strong>
          <div className="dd-help">
            Warns under the summary once it or the description is entered. Saving the settings keeps it on the projects in scope.
          </div>
        </div>
        <Button
          onClick={() => void register()}
          loading={registering}
          disabled={!canEdit || unsaved || !enabled || projectsInScope === 0 || checking}
          disabledReason={
            !canEdit
              ? 'Only Jira admins can change this'
              : unsaved
                ? UNSAVED_REASON
                : !enabled
                  ? 'Turned off in the settings above'
                  : projectsInScope === 0
                    ? 'No project is in scope'
                    : checking
                      ? 'Checking the create dialog'
                      : null
          }
          data-testid="uim-register"
        >
          {label}
        </Button>
      </div>
      {!canEdit ? null : loaded.state === 'error' && status === null ? (
        <ErrorBanner title="Could not check the create dialog" message={loaded.error.message} onRetry={loaded.reload} testId="uim-error" />
      ) : status === null ? (
        <span className="dd-subtle">Checking the create dialog…</span>
      ) : status.state === 'unknown' ? (
        <ErrorBanner title="Could not check the create dialog" message={status.error ?? 'Jira did not answer.'} testId="uim-error" />
      ) : (
        <Banner appearance={status.state === 'on' ? 'success' : status.state === 'outdated' ? 'warning' : 'info'} testId="uim-result">
          {describe(status, projectsInScope, enabled)}
        </Banner>
      )}
      {failure ? <ErrorBanner title="The create-dialog check was not changed" message={failure} testId="uim-register-error" /> : null}
    </div>
  );
}
