import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type FormEvent } from 'react';
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
import {
  RELATED_MIN_PERCENT,
  WEIGHT_KEYS,
  draftChanged,
  emptiesScope,
  errorsAfterEdit,
  fromDraft,
  keepsAlmostNone,
  leftOutBy,
  leftOutNote,
  leftOutSavedNote,
  shortensAge,
  saveErrorAfterEdit,
  toDraft,
  validThresholds,
  type Draft,
  type FieldErrors,
  type SaveError,
  type WeightKey,
} from './draft';
import { AgeLimitConfirm, EmptyScopeConfirm, NoIssuesConfirm } from './save-questions';
import { IssueTypePicker } from './issue-type-picker';
import { ProjectPicker, type ProjectOption } from './project-picker';
import { RETENTION_HELP, scheduleHelp } from './schedule-text';
import { ThresholdPreview } from './threshold-preview';
import { scopeKey, useJqlCheck, type JqlCheck, type JqlScope } from './use-jql-check';

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

/**
 * The line under the JQL filter. A count is shown only when it is of the scope the form
 * shows now; with no project ticked, there is nothing for the filter to keep.
 */
function jqlStatusText(check: JqlCheck, scope: JqlScope): string {
  if (check.state === 'checking') return 'Checking with Jira…';
  if (check.state === 'unavailable') return `Could not check now: ${check.message}`;
  if (check.state !== 'valid') return '';
  if (scope.projects.length === 0) return 'Jira accepts this JQL; no project is in scope, so it has no issues to keep.';
  return `Jira accepts this JQL${check.countedFor === scopeKey(scope) ? keptText(check.counts) : ''}.`;
}

/** The banner of a save refused before anything was sent, about the fields in `errors`. */
function fieldsSaveError(errors: FieldErrors, jqlRejected: boolean): SaveError {
  const others = Object.keys(errors).filter((k) => k !== 'jqlFilter').length;
  return {
    message:
      jqlRejected && others === 0
        ? 'Jira did not accept the JQL filter.'
        : `Some settings need fixing before they can be saved.${jqlRejected ? ' Jira did not accept the JQL filter.' : ''}`,
    fields: Object.keys(errors),
    jqlRejected,
    quiet: false,
  };
}

/** A banner about no field in particular: it stays until the next save or Discard. */
const saveError = (message: string): SaveError => ({ message, fields: [], jqlRejected: false, quiet: false });

export function SettingsForm({
  initial,
  canEdit,
  projects,
  projectsError,
  issueTypes,
  issueTypesError,
  onSaved,
  onRebased = () => undefined,
  onUnsavedChange,
  withheld = { jqlFilter: false, projects: false },
  adjusted = [],
}: {
  initial: Settings;
  canEdit: boolean;
  /** What a reader who is not a Jira admin is not shown (`settings.get`). */
  withheld?: { jqlFilter: boolean; projects: boolean };
  /** Stored values that reading them changed to fit today's rules (`settings.get`), until a save stores them. */
  adjusted?: string[];
  projects: ProjectOption[];
  projectsError: string | null;
  issueTypes: string[];
  issueTypesError: string | null;
  onSaved: (s: Settings, createCheck: CreateCheckStatus) => void;
  /** The settings stored now, read after a save refused because someone else saved since. */
  onRebased?: (s: Settings) => void;
  /** Told whether the form holds changes not saved (`draftChanged`), each time that changes. */
  onUnsavedChange?: (unsaved: boolean) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const unsaved = useMemo(() => draftChanged(initial, draft), [initial, draft]);
  const reportUnsaved = useRef(onUnsavedChange);
  reportUnsaved.current = onUnsavedChange;
  useEffect(() => reportUnsaved.current?.(unsaved), [unsaved]);
  useEffect(() => () => reportUnsaved.current?.(false), []);
  const [errors, setErrors] = useState<FieldErrors>({});
  /** Why the last save did not happen; edits to the fields it names take it away (`saveErrorAfterEdit`). */
  const [formError, setFormError] = useState<SaveError | null>(null);
  const [saving, setSaving] = useState(false);
  /** After a save: whether what runs read changed (the next run then reads everything). */
  const [saved, setSaved] = useState<{ rereads: boolean; leftOut: { atOnce: boolean; byFilter: boolean }; thresholds: boolean; weights: boolean; crossProject: boolean | null; noProjects: boolean; unchanged: boolean; kept: string[] } | false>(false);
  /** Save was pressed with no project left in scope: the form asks before it saves. */
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  /** Save was pressed with a JQL filter Jira says keeps none of the issues in scope (of how many there are). */
  const [confirmNone, setConfirmNone] = useState<number | null>(null);
  /** Save was pressed with an age limit that Jira says keeps none or next to none of the issues in scope. */
  const [confirmAge, setConfirmAge] = useState<{ days: number; kept: number; of: number } | null>(null);
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

  /** Asks Jira about the filter for `scope`; a refusal of the text still shown marks the field. */
  const checkJql = (text: string, scope: JqlScope) => {
    void jql.run(text, scope).then(({ verdict, latest }) => {
      if (latest && verdict.state === 'invalid') setErrors((x) => ({ ...x, jqlFilter: verdict.message }));
    });
  };

  const edit = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    const jqlEdited = patch.jqlFilter !== undefined;
    setDraft(next);
    // The JQL's count is of the scope as it was: count again for the new one, also when a
    // count is still running (its answer, of the scope before, is then not shown). With no
    // project left, Jira's verdict on the text stands and the line says there is nothing to keep.
    if ((patch.projects !== undefined || patch.issueTypes !== undefined || patch.maxAgeDays !== undefined) && canEdit && (jql.check.state === 'valid' || jql.check.state === 'checking')) {
      checkJql(next.jqlFilter, jqlScopeOf(next));
    }
    // The question was about the draft as it was.
    setConfirmEmpty(false);
    setConfirmNone(null);
    setConfirmAge(null);
    // A corrected field loses its message now, not at the next save, and the banner of the
    // save that found it goes, or loses what is no longer true, with the last of its fields.
    setErrors((previous) => (Object.keys(previous).length === 0 ? previous : errorsAfterEdit(previous, next, jqlEdited)));
    if (formError !== null) {
      const after = saveErrorAfterEdit(formError, errorsAfterEdit(errors, next, jqlEdited), jqlEdited);
      if (after !== formError) setFormError(after);
    }
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
    setConfirmAge(null);
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
    const verdict = local.jqlFilter ? null : (await jql.run(settings.jqlFilter, jqlChanged ? jqlScopeOf(draft) : undefined)).verdict;
    const known: FieldErrors = verdict?.state === 'invalid' ? { ...local, jqlFilter: verdict.message } : local;
    if (Object.keys(known).length > 0) {
      setSaving(false);
      setErrors(known);
      setFormError(fieldsSaveError(known, verdict?.state === 'invalid'));
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
    // An age limit set or shortened: Jira counts what it keeps of the scope (with the filter)
    // against no limit. One that keeps nothing, or next to nothing, is asked about as a filter
    // that keeps nothing is. When Jira cannot count, the save goes on: the limit is valid.
    if (!confirmed && settings.projects.length > 0 && shortensAge(initial, settings)) {
      const age = await call('settings.ageCounts', { jql: settings.jqlFilter, scope: { projects: settings.projects, issueTypes: settings.issueTypes, maxAgeDays: settings.maxAgeDays } });
      const ageCounts = age.success ? age.data.counts : null;
      if (ageCounts !== null && keepsAlmostNone(ageCounts)) {
        setSaving(false);
        setConfirmAge({ days: settings.maxAgeDays, ...ageCounts });
        return;
      }
    }
    setConfirmEmpty(false);
    setConfirmNone(null);
    setConfirmAge(null);
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
        setFormError(saveError(res.error.message));
      } else if (stored.success) {
        const { merged, clashes } = mergeSettings(initial, settings, stored.data.settings);
        onRebased(stored.data.settings);
        setDraft(toDraft(merged));
        setErrors({});
        const names = keyList(clashes.map((k) => SETTING_NAMES[k]));
        setFormError(
          saveError(
            clashes.length === 0
              ? 'Someone else saved the settings since this page was opened, so nothing was saved. The form now shows their settings with your changes on top: save again to keep yours.'
              : `Someone else saved the ${names} since this page was opened, so nothing was saved. The form now shows their settings with your changes on top: save again to keep yours for the ${names}, or discard your changes to take theirs.`,
          ),
        );
      } else {
        setFormError(saveError(`${res.error.message} Reload the page to see their settings, then make your changes again.`));
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
      // Problems the form cannot show beside a field stay in the banner until the next save.
      const message = [res.error.message, ...other].join(' ');
      setFormError(other.length > 0 ? saveError(message) : { ...saveError(message), fields: Object.keys(fieldErrors) });
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
      leftOut: leftOutBy(initial, own),
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
  // Before saving: what a save of the form as it stands does to issues it leaves out.
  const typed = fromDraft(draft);
  const leftOut = canEdit && Object.keys(typed.errors).length === 0 && typed.settings.projects.length > 0 ? leftOutNote(leftOutBy(initial, typed.settings)) : null;
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
      {canEdit && adjusted.length > 0 ? (
        <Banner appearance="info" testId="adjusted-note">
          {`These settings were saved before rules that apply now, so they are shown and used as adjusted to fit them: ${adjusted.join(', ')}. Saving stores them as shown and notes the adjustment in the history below.`}
        </Banner>
      ) : null}
      {formError === null ? null : formError.quiet ? <QuietSaveError message={formError.message} /> : <ErrorBanner title="Not saved" message={formError.message} testId="save-error" />}
      {saved ? (
        <Banner appearance="success" testId="save-success">
          {saved.unchanged ? (saved.kept.length > 0 ? 'Nothing of yours to save.' : 'Nothing had changed: these settings were already saved.') : 'Settings saved.'}
          {saved.kept.length > 0 ? ` Someone else had saved the ${keyList(saved.kept)} since this page was opened; their changes are kept and shown below.` : ''}
          {saved.noProjects
            ? ' No project is in scope, so nothing is analysed until you choose one.'
            : saved.rereads
            ? ` What is analysed has changed, so the next analysis reads every issue in scope again${initial.schedule === 'off' ? '' : ' (the scheduled one, or one started below)'}.${leftOutSavedNote(saved.leftOut)}`
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
          status={{ testId: 'jql-status', text: jqlStatusText(jql.check, jqlScopeOf(draft)) }}
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
              if (canEdit) checkJql(draft.jqlFilter, jqlScopeOf(draft));
            }}
            data-testid="jql-filter"
          />
        </FormField>
        <IssueTypePicker names={issueTypes} selected={draft.issueTypes} onChange={(issueTypes) => edit({ issueTypes })} disabled={!canEdit || saving} error={err('issueTypes')} loadError={issueTypesError} />
        <div className="dd-field-grid" style={{ '--dd-field-width': '14rem' } as CSSProperties} data-testid="limit-fields">
          <FormField id="max-age" label="Only issues created in the last (days)" error={err('maxAgeDays')} help="0 means no limit">
            <input className="dd-input" style={{ width: 120 }} type="number" min={0} max={36500} step={1} value={draft.maxAgeDays} onChange={(e) => edit({ maxAgeDays: e.target.value })} data-testid="max-age-days" />
          </FormField>
          <FormField id="schedule" label="Re-analyse automatically" error={err('schedule')} help={scheduleHelp(draft.schedule)}>
            <select className="dd-select" style={{ width: 160 }} value={draft.schedule} onChange={(e) => edit({ schedule: e.target.value === 'daily' || e.target.value === 'weekly' ? e.target.value : 'off' })} data-testid="schedule">
              <option value="off">Off</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
            </select>
          </FormField>
          <FormField id="retention" label="Keep history for (days)" error={err('retentionDays')} help={RETENTION_HELP}>
            <input className="dd-input" style={{ width: 120 }} type="number" min={7} max={3650} step={1} value={draft.retentionDays} onChange={(e) => edit({ retentionDays: e.target.value })} data-testid="retention-days" />
          </FormField>
        </div>
      </fieldset>
      {canEdit && confirmAge !== null ? (
        <AgeLimitConfirm
          {...confirmAge}
          onCancel={closeConfirm}
          onConfirm={() => {
            closeConfirm();
            void save(true);
          }}
        />
      ) : canEdit && confirmNone !== null ? (
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
        <>
          {leftOut !== null ? (
            <p className="dd-subtle" style={{ margin: 0 }} data-testid="left-out-note">
              {leftOut}
            </p>
          ) : null}
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
        </>
      ) : null}
    </form>
  );
}

/**
 * The save's banner once an edit has made part of it untrue. The same look as the error
 * banner, but no longer an alert: a screen reader announced it when the save failed, and is
 * not interrupted with it again while the admin types.
 */
function QuietSaveError({ message }: { message: string }) {
  return (
    <div className="dd-banner dd-banner--error" data-testid="save-error">
      <div className="dd-grow">
        <div className="dd-row dd-row--between">
          <div className="dd-grow">
            <strong>Not saved. </strong>
            <span>{message}</span>
          </div>
        </div>
      </div>
    </div>
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
