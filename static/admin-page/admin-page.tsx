import { useState } from 'react';
import type { CreateCheckStatus, Settings } from '../../src/shared/contract';
import { ErrorBanner, Skeleton } from '../shared/components/feedback';
import { HistoryView } from '../shared/components/history-view';
import type { AppContext } from '../shared/context';
import { useCall } from '../shared/use-call';
import { AdminActions } from './admin-actions';
import { IssueTypesRetry } from './issue-type-picker';
import { SettingsForm } from './settings-form';

/** Jira settings → Apps → Duplicate detection. The server decides who may edit. */
export function AdminPage({ context }: { context: AppContext }) {
  // Bumped on every save, so the history shows the change just made.
  const [saves, setSaves] = useState(0);
  const settings = useCall('settings.get', {});
  const projects = useCall('projects.list', {});
  const issueTypes = useCall('issueTypes.list', {});
  const [createCheck, setCreateCheck] = useState<CreateCheckStatus | null>(null);
  // The form holds changes not saved: the Actions card, which uses the saved settings, waits for them.
  const [unsaved, setUnsaved] = useState(false);
  // One Try again for what the form loads: the lists that failed with the settings are asked again too.
  const retryLoad = () => {
    settings.reload();
    if (projects.state === 'error') projects.reload();
    if (issueTypes.state === 'error') issueTypes.reload();
  };

  return (
    <main className="dd-page dd-stack" data-testid="admin-page" style={{ maxWidth: 880 }}>
      <h1 className="dd-h1">Duplicate detection</h1>
      <p className="dd-subtle" style={{ margin: 0 }}>
        Choose what is compared and how similar two issues must be before they are suggested. Suggestions are never acted on automatically: people confirm or dismiss them.
      </p>
      {settings.state === 'error' && settings.data === null ? <ErrorBanner title="Settings could not be loaded" message={settings.error.message} onRetry={retryLoad} /> : null}
      {settings.data === null ? (
        settings.state === 'loading' ? <Skeleton lines={8} label="Loading settings" /> : null
      ) : (
        <IssueTypesRetry.Provider value={issueTypes.reload}>
          <SettingsForm
            initial={settings.data.settings}
            canEdit={settings.data.canEdit}
            withheld={settings.data.withheld}
            adjusted={settings.data.adjusted}
            projects={projects.data?.projects ?? []}
            projectsError={projects.state === 'error' ? projects.error.message : null}
            issueTypes={issueTypes.data?.names ?? []}
            issueTypesError={issueTypes.state === 'error' ? issueTypes.error.message : null}
            onRebased={(s: Settings) => settings.update((prev) => ({ ...prev, settings: s }))}
            onUnsavedChange={setUnsaved}
            onSaved={(s: Settings, check: CreateCheckStatus) => {
              // Saved as shown: what reading them adjusted is stored now (and in the history).
              settings.update((prev) => ({ ...prev, settings: s, adjusted: [] }));
              setCreateCheck(check);
              setSaves((n) => n + 1);
            }}
          />
          <AdminActions
            canEdit={settings.data.canEdit}
            createCheck={createCheck}
            projectsInScope={settings.data.settings.projects.length}
            createDialogCheck={settings.data.settings.createDialogCheck}
            unsaved={unsaved}
            onChanged={() => setSaves((n) => n + 1)}
          />
          {settings.data.canEdit ? (
            <section className="dd-card dd-stack" aria-labelledby="admin-history-heading" data-testid="admin-history">
              <h2 className="dd-h2" id="admin-history-heading">
                History
              </h2>
              <p className="dd-subtle" style={{ margin: 0 }}>
                Settings changes, analyses of every project and the create-dialog check. What was decided in a project is on its Duplicate review page.
              </p>
              <HistoryView
                projectKey={undefined}
                accountId={context.accountId}
                refreshKey={saves}
                emptyText="Settings changes and analyses of every project show up here."
                kinds={['settings', 'analyses']}
              />
            </section>
          ) : null}
        </IssueTypesRetry.Provider>
      )}
    </main>
  );
}
