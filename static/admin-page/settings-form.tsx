import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import type { CreateCheckStatus, Settings } from '../../src/shared/contract';
import { fetchScopeOf } from '../../src/shared/fetch-scope';
import { changedSettings, mergeSettings, SETTING_NAMES } from '../../src/shared/settings-diff';
import { keyList } from '../../src/shared/wording';
import { call } from '../shared/api';
import { Button } from '../shared/components/button';
import { Checkbox } from '../shared/components/checkbox';
import { Banner, ErrorBanner } from '../shared/components/feedback';
import { FormField } from '../shared/components/form-field';
import { FocusReturn, enabledControl } from '../shared/focus-return';
import { flag } from '../shared/host';
import { RELATED_MIN_PERCENT, WEIGHT_KEYS, emptiesScope, errorsAfterEdit, fromDraft, toDraft, validThresholds, type Draft, type FieldErrors, type WeightKey } from './draft';
import { EmptyScopeConfirm, NoIssuesConfirm } from './save-questions';
import { IssueTypePicker } from './issue-type-picker';
import { ProjectPicker, type ProjectOption } from './project-picker';
import { ThresholdPreview } from './threshold-preview';
import { useJqlCheck, type JqlScope } from './use-jql-check';

const WEIGHT_LABEL: Record<WeightKey, string> = {
  summary: 'Summary',
  description: 'Description',
  labels: 'Labels',
  components: 'Components',
  type: 'Issue type',
};

/** Paths the form shows next to a field; anything else the server names goes in the banner. */
const KNOWN_PATHS = new Set([
  'thresholds.duplicate',
  'thresholds.related',
  'thresholds',
  ...WEIGHT_KEYS.map((k) => `weights.${k}`),
  'projects',
  'jqlFilter',
  'issueTypes',
  'maxAgeDays',
  'retentionDays',
  'schedule',
  'crossProject',
  'createDialogCheck',
]);

/** Server paths may carry a `settings.` prefix or an array index (projects.3). */
function normalisePath(path: string): string {
  const p = path.replace(/^settings\./, '');
  const first = p.split('.')[0] ?? p;
  return KNOWN_PATHS.has(p) ? p : KNOWN_PATHS.has(first) ? first : p;
}

/** The scope a JQL filter narrows, as the form stands (an age that is not a whole number counts as no limit). */
function jqlScopeOf(draft: Draft): JqlScope {
  const age = Number(draft.maxAgeDays);
  return { projects: draft.projects, issueTypes: draft.issueTypes, maxAgeDays: Number.isInteger(age) && age > 0 && age <= 36500 ? age : 0 };
}

/** "; it keeps about 1,240 of the 3,410 issues in scope", or that it keeps none. */
function keptText(counts: { kept: number; of: number } | null | undefined): string {
  if (!counts) return '';
  if (counts.kept === 0) return counts.of === 0 ? '; there are no issues in scope to keep' : `, but it keeps none of the ${counts.of.toLocaleString('en')} issues in scope`;
  return `; it keeps about ${counts.kept.toLocaleString('en')} of the ${counts.of.toLocaleString('en')} issues in scope`;
}

export function SettingsForm({
  initial,
  canEdit,
  projects,
  projectsError,
  issueTypes,
  issueTypesError,
  onSaved,
  onRebased = () => undefined,
  withheld = { jqlFilter: false, projects: false },
}: {
  initial: Settings;
  canEdit: boolean;
  /** What a reader who is not a Jira admin is not shown (`settings.get`). */
  withheld?: { jqlFilter: boolean; projects: boolean };
  projects: ProjectOption[];
  projectsError: string | null;
  issueTypes: string[];
  issueTypesError: string | null;
  onSaved: (s: Settings, createCheck: CreateCheckStatus) => void;
  /** The settings stored now, read after a save refused because someone else saved since. */
  onRebased?: (s: Settings) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  /** After a save: whether what runs read changed (the next run then reads everything). */
  const [saved, setSaved] = useState<{ rereads: boolean; thresholds: boolean; weights: boolean; crossProject: boolean | null; noProjects: boolean; unchanged: boolean; kept: string[] } | false>(false);
  /** Save was pressed with no project left in scope: the form asks before it saves. */
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  /** Save was pressed with a JQL filter Jira says keeps none of the issues in scope (of how many there are). */
  const [confirmNone, setConfirmNone] = useState<number | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const [focus] = useState(() => new FocusReturn());
  useEffect(() => () => focus.clear(), [focus]);
  // The confirmation takes Save's place: closing it gives focus back to Save (once a save it
  // started is done: Save is disabled until then).
  useLayoutEffect(() => focus.place());
  // A save refused for field problems moves focus to the first of them in the same commit that
  // shows the messages: a later move (a timer) could take focus from a field the admin has
  // already gone to, and put what they type next into another field.
  const errorFocus = useRef<FieldErrors | null>(null);
  useLayoutEffect(() => {
    const pending = errorFocus.current;
    if (pending === null) return;
    errorFocus.current = null;
    focusFirstError(pending);
  });
  const jql = useJqlCheck();

  const edit = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    // The JQL's count is of the scope as it was: count again for the new one (or drop it).
    if ((patch.projects !== undefined || patch.issueTypes !== undefined || patch.maxAgeDays !== undefined) && jql.check.state === 'valid' && jql.check.counts) {
      if (next.projects.length > 0) void jql.run(next.jqlFilter, jqlScopeOf(next));
      else jql.reset();
    }
    // The question was about the draft as it was.
    setConfirmEmpty(false);
    setConfirmNone(null);
    // A corrected field loses its message now, not at the next save.
    setErrors((previous) => (Object.keys(previous).length === 0 ? previous : errorsAfterEdit(previous, next, patch.jqlFilter !== undefined)));
    setSaved(false);
  };
  const err = (path: string): string | null => errors[path] ?? null;

  const closeConfirm = () => {
    focus.expect(() => {
      const save = form.current ? enabledControl(form.current, 'settings-save') : null;
      return save ? { el: save, final: true } : null;
    });
    setConfirmEmpty(false);
    setConfirmNone(null);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };

  /** `confirmed`: the admin said yes to saving with no project in scope. */
  const save = async (confirmed: boolean) => {
    if (!canEdit || saving) return;
    setFormError(null);
    setSaved(false);
    const { settings, errors: local } = fromDraft(draft);
    // The form is disabled while it saves, which takes focus from Save: back to Save once it
    // can take it again (a field with an error takes it first, errorFocus).
    focus.expect(() => {
      const button = form.current ? enabledControl(form.current, 'settings-save') : null;
      return button ? { el: button, final: true } : null;
    });
    setSaving(true);
    // Jira's verdict on the filter, with the local checks, so every problem shows at once.
    // Unchanged text is answered from the blur check's memory; a filter already too long
    // to send is not asked about.
    // A changed filter is asked about with the form's scope, so the count below is there even
    // when Save was pressed straight after typing (before the field's own check answered).
    const jqlChanged = settings.jqlFilter.trim() !== initial.jqlFilter.trim() && settings.projects.length > 0;
    const verdict = local.jqlFilter ? null : await jql.run(settings.jqlFilter, jqlChanged ? jqlScopeOf(draft) : undefined);
    const known: FieldErrors = verdict?.state === 'invalid' ? { ...local, jqlFilter: verdict.message } : local;
    if (Object.keys(known).length > 0) {
      setSaving(false);
      setErrors(known);
      const jqlRejected = verdict?.state === 'invalid';
      const others = Object.keys(known).filter((k) => k !== 'jqlFilter').length;
      setFormError(
        jqlRejected && others === 0
          ? 'Jira did not accept the JQL filter.'
          : `Some settings need fixing before they can be saved.${jqlRejected ? ' Jira did not accept the JQL filter.' : ''}`,
      );
      errorFocus.current = known;
      return;
    }
    if (!confirmed && emptiesScope(initial, settings)) {
      setSaving(false);
      setConfirmEmpty(true);
      return;
    }
    // A filter that keeps nothing (as the last count for this scope said) turns the app off as surely.
    const counts = verdict?.state === 'valid' ? verdict.counts : null;
    if (!confirmed && counts && counts.kept === 0 && counts.of > 0 && settings.projects.length > 0 && settings.jqlFilter !== initial.jqlFilter) {
      setSaving(false);
      setConfirmNone(counts.of);
      return;
    }
    setConfirmEmpty(false);
    setConfirmNone(null);
    // What the page loaded: someone else's save since is kept where this one changes nothing.
    const res = await call('settings.save', { settings, base: initial });
    if (!res.success && res.error.code === 'CONFLICT') {
      // Another admin saved the same settings differently since this page loaded them. The
      // form takes their settings as its new starting point with this page's changes on top
      // (the server's merge), so Save again keeps these and Discard takes theirs; nothing typed is lost.
      const stored = await call('settings.get', {});
      setSaving(false);
      if (stored.success && changedSettings(initial, stored.data.settings).length === 0) {
        // Nothing of theirs to show: another admin's save holds the settings and its write has
        // not landed (or never will: the server then lets saves through a minute on). The
        // form stays as typed, and the server's sentence says when to save again.
        setFormError(res.error.message);
      } else if (stored.success) {
        const { merged, clashes } = mergeSettings(initial, settings, stored.data.settings);
        onRebased(stored.data.settings);
        setDraft(toDraft(merged));
        setErrors({});
        const names = keyList(clashes.map((k) => SETTING_NAMES[k]));
        setFormError(
          clashes.length === 0
            ? 'Someone else saved the settings since this page was opened, so nothing was saved. The form now shows their settings with your changes on top: save again to keep yours.'
            : `Someone else saved the ${names} since this page was opened, so nothing was saved. The form now shows their settings with your changes on top: save again to keep yours for the ${names}, or discard your changes to take theirs.`,
        );
      } else {
        setFormError(`${res.error.message} Reload the page to see their settings, then make your changes again.`);
      }
      return;
    }
    setSaving(false);
    if (!res.success) {
      const fieldErrors: FieldErrors = {};
      const other: string[] = [];
      for (const [path, message] of Object.entries(res.error.fields ?? {})) {
        const p = normalisePath(path);
        if (KNOWN_PATHS.has(p)) fieldErrors[p === 'thresholds' ? 'thresholds.duplicate' : p] = message;
        else other.push(`${path}: ${message}`);
      }
      setErrors(fieldErrors);
      setFormError([res.error.message, ...other].join(' '));
      errorFocus.current = fieldErrors;
      return;
    }
    setDraft(toDraft(res.data.settings));
    setErrors({});
    // What this save changed: the page's own changes (another admin's, kept, are named apart).
    const mine = res.data.settings;
    const own = settings;
    setSaved({
      unchanged: JSON.stringify(toDraft(initial)) === JSON.stringify(toDraft(own)),
      rereads: fetchScopeOf(initial, initial.projects) !== fetchScopeOf(own, own.projects),
      thresholds: initial.thresholds.duplicate !== own.thresholds.duplicate || initial.thresholds.related !== own.thresholds.related,
      weights: JSON.stringify(initial.weights) !== JSON.stringify(own.weights),
      crossProject: initial.crossProject !== own.crossProject ? own.crossProject : null,
      noProjects: mine.projects.length === 0,
      kept: res.data.kept,
    });
    onSaved(res.data.settings, res.data.createCheck);
    flag('success', 'Settings saved');
  };

  const thresholds = validThresholds(draft);
  return (
    <form className="dd-card dd-stack" ref={form} onSubmit={onSubmit} noValidate aria-labelledby="settings-heading" data-testid="settings-form">
      <h2 className="dd-h2" id="settings-heading">
        Settings
      </h2>
      {!canEdit ? (
        <Banner appearance="info" testId="read-only-note">
          You can see these settings but not change them: only Jira administrators can.
        </Banner>
      ) : null}
      {formError ? <ErrorBanner title="Not saved" message={formError} testId="save-error" /> : null}
      {saved ? (
        <Banner appearance="success" testId="save-success">
          {saved.unchanged ? (saved.kept.length > 0 ? 'Nothing of yours to save.' : 'Nothing had changed: these settings were already saved.') : 'Settings saved.'}
          {saved.kept.length > 0 ? ` Someone else had saved the ${keyList(saved.kept)} since this page was opened; their changes are kept and shown below.` : ''}
          {saved.noProjects
            ? ' No project is in scope, so nothing is analysed until you choose one.'
            : saved.rereads
            ? ` What is analysed has changed, so the next analysis reads every issue in scope again${initial.schedule === 'off' ? '' : ' (the scheduled one, or one started below)'}.`
            : ''}
          {saved.thresholds ? ' The new thresholds apply to what the next analysis stores; until then, suggestions keep the tiers they were stored with.' : ''}
          {saved.weights ? ' The new field weights apply to the scores the next analysis stores.' : ''}
          {saved.crossProject === true ? ' Suggestions across projects come with the next analysis of a project, or of everything in scope.' : ''}
          {saved.crossProject === false ? ' Suggestions across projects go with the next analysis of each project, or of everything in scope.' : ''}
        </Banner>
      ) : null}
      <fieldset disabled={!canEdit || saving} style={{ border: 0, padding: 0, margin: 0, marginTop: 'var(--ds-space-200, 16px)' }} className={canEdit ? 'dd-stack' : 'dd-stack dd-readonly'}>
        <h3 className="dd-h3">Similarity thresholds</h3>
        <div className="dd-field-grid" style={{ '--dd-field-width': '14rem' } as CSSProperties} data-testid="threshold-fields">
          <FormField id="threshold-duplicate" label="Possible duplicate at or above (%)" error={err('thresholds.duplicate')} help="0 to 100, above the related threshold">
            <input className="dd-input" style={{ width: 120 }} type="number" inputMode="decimal" min={0} max={100} step={1} value={draft.duplicate} onChange={(e) => edit({ duplicate: e.target.value })} data-testid="threshold-duplicate" />
          </FormField>
          <FormField id="threshold-related" label="Related at or above (%)" error={err('thresholds.related')} help={`${RELATED_MIN_PERCENT} to 100; pairs below it are not kept`}>
            <input className="dd-input" style={{ width: 120 }} type="number" inputMode="decimal" min={RELATED_MIN_PERCENT} max={100} step={1} value={draft.related} onChange={(e) => edit({ related: e.target.value })} data-testid="threshold-related" />
          </FormField>
        </div>
        <ThresholdPreview thresholds={thresholds} withheldProjects={withheld.projects} />

        <h3 className="dd-h3">Field weights (0–5; 0 leaves a field out)</h3>
        <div className="dd-field-grid" data-testid="weight-fields">
          {WEIGHT_KEYS.map((k) => (
            <FormField key={k} id={`weight-${k}`} label={WEIGHT_LABEL[k]} error={err(`weights.${k}`)}>
              <input className="dd-input" style={{ width: 96 }} type="number" inputMode="decimal" min={0} max={5} step={0.1} value={draft.weights[k]} onChange={(e) => edit({ weights: { ...draft.weights, [k]: e.target.value } })} data-testid={`weight-${k}`} />
            </FormField>
          ))}
        </div>

        <h3 className="dd-h3">Scope</h3>
        {projectsError ? <ErrorBanner title="Projects could not be listed" message={projectsError} /> : null}
        <ProjectPicker projects={projects} selected={draft.projects} onChange={(projects) => edit({ projects })} disabled={!canEdit || saving} error={err('projects')} />
        {withheld.projects ? (
          <p className="dd-subtle" style={{ margin: 0 }} data-testid="projects-withheld">
            Projects in scope that you cannot browse are not listed.
          </p>
        ) : null}
        <Checkbox label="Suggest duplicates across projects (both projects must be in scope)" checked={draft.crossProject} onChange={(crossProject) => edit({ crossProject })} disabled={!canEdit || saving} testId="cross-project" />
        <Checkbox
          label="Only people who can link issues may dismiss suggestions (a dismissal hides a suggestion for everyone)"
          checked={draft.dismissNeedsLink}
          onChange={(dismissNeedsLink) => edit({ dismissNeedsLink })}
          disabled={!canEdit || saving}
          testId="dismiss-needs-link"
        />
        <Checkbox
          label="Only project administrators may start or cancel a project's analysis from its Duplicate review page (Jira admins always may)"
          checked={draft.runsNeedProjectAdmin}
          onChange={(runsNeedProjectAdmin) => edit({ runsNeedProjectAdmin })}
          disabled={!canEdit || saving}
          testId="runs-need-project-admin"
        />
        <Checkbox
          label="Warn about possible duplicates in the create dialog (after the summary or description is entered; it looks in the dialog's own project, also with suggestions across projects on)"
          checked={draft.createDialogCheck}
          onChange={(createDialogCheck) => edit({ createDialogCheck })}
          disabled={!canEdit || saving}
          testId="create-dialog-check"
        />
        <FormField
          id="jql-filter"
          label="JQL filter (optional)"
          status={{
            testId: 'jql-status',
            text:
              jql.check.state === 'checking'
                ? 'Checking with Jira…'
                : jql.check.state === 'valid'
                  ? `Jira accepts this JQL${keptText(jql.check.counts)}.`
                  : jql.check.state === 'unavailable'
                    ? `Could not check now: ${jql.check.message}`
                    : '',
          }}
          error={err('jqlFilter')}
          help="Narrows the scope, for example: labels is EMPTY OR labels != wontfix (in Jira, != alone also leaves out issues without labels). It never widens it."
        >
          <textarea
            className="dd-textarea"
            rows={2}
            maxLength={2000}
            readOnly={!canEdit}
            placeholder={withheld.jqlFilter ? 'A filter is set; only Jira administrators can see it.' : undefined}
            value={draft.jqlFilter}
            onChange={(e) => {
              edit({ jqlFilter: e.target.value });
              jql.reset();
              if (errors.jqlFilter) setErrors(({ jqlFilter: _dropped, ...rest }) => rest);
            }}
            onBlur={() => {
              if (!canEdit) return;
              void jql.run(draft.jqlFilter, jqlScopeOf(draft)).then((v) => {
                if (v.state === 'invalid') setErrors((x) => ({ ...x, jqlFilter: v.message }));
              });
            }}
            data-testid="jql-filter"
          />
        </FormField>
        <IssueTypePicker names={issueTypes} selected={draft.issueTypes} onChange={(issueTypes) => edit({ issueTypes })} disabled={!canEdit || saving} error={err('issueTypes')} loadError={issueTypesError} />
        <div className="dd-field-grid" style={{ '--dd-field-width': '14rem' } as CSSProperties} data-testid="limit-fields">
          <FormField id="max-age" label="Only issues created in the last (days)" error={err('maxAgeDays')} help="0 means no limit">
            <input className="dd-input" style={{ width: 120 }} type="number" min={0} max={36500} step={1} value={draft.maxAgeDays} onChange={(e) => edit({ maxAgeDays: e.target.value })} data-testid="max-age-days" />
          </FormField>
          <FormField id="schedule" label="Re-analyse automatically" error={err('schedule')}>
            <select className="dd-select" style={{ width: 160 }} value={draft.schedule} onChange={(e) => edit({ schedule: e.target.value === 'daily' || e.target.value === 'weekly' ? e.target.value : 'off' })} data-testid="schedule">
              <option value="off">Off</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
            </select>
          </FormField>
          <FormField id="retention" label="Keep history for (days)" error={err('retentionDays')} help="7 to 3650">
            <input className="dd-input" style={{ width: 120 }} type="number" min={7} max={3650} step={1} value={draft.retentionDays} onChange={(e) => edit({ retentionDays: e.target.value })} data-testid="retention-days" />
          </FormField>
        </div>
      </fieldset>
      {canEdit && confirmNone !== null ? (
        <NoIssuesConfirm
          inScope={confirmNone}
          onCancel={closeConfirm}
          onConfirm={() => {
            closeConfirm();
            void save(true);
          }}
        />
      ) : canEdit && confirmEmpty ? (
        <EmptyScopeConfirm
          leaving={initial.projects}
          createCheckOn={initial.createDialogCheck}
          onCancel={closeConfirm}
          onConfirm={() => {
            closeConfirm();
            void save(true);
          }}
        />
      ) : canEdit ? (
        <div className="dd-row">
          <Button appearance="primary" type="submit" loading={saving} data-testid="settings-save">
            Save settings
          </Button>
          <Button
            appearance="subtle"
            disabled={saving}
            onClick={() => {
              setDraft(toDraft(initial));
              setErrors({});
              setFormError(null);
              jql.reset();
            }}
            data-testid="settings-reset"
          >
            Discard changes
          </Button>
        </div>
      ) : null}
    </form>
  );
}

/** Field path → the element focused for it, in the order the form shows them. */
const FIELD_IDS: Record<string, string> = {
  'thresholds.duplicate': 'threshold-duplicate',
  'thresholds.related': 'threshold-related',
  ...Object.fromEntries(WEIGHT_KEYS.map((k) => [`weights.${k}`, `weight-${k}`])),
  projects: 'projects-help',
  jqlFilter: 'jql-filter',
  issueTypes: 'issue-types',
  maxAgeDays: 'max-age',
  schedule: 'schedule',
  retentionDays: 'retention',
};

/** Moves focus to the first field with a problem (called once React has rendered the messages). */
function focusFirstError(errors: FieldErrors): void {
  const first = Object.keys(FIELD_IDS).find((p) => errors[p]);
  if (!first) return;
  document.getElementById(FIELD_IDS[first] ?? '')?.focus();
}
