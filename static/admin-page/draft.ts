/**
 * The settings form's editable copy. Numbers stay strings while being typed (so
 * "0." is not rejected mid-keystroke) and are checked here, with the same rules
 * and wording the server uses, before anything is sent.
 *
 * Thresholds are typed as percentages (0–100), as every other screen shows scores; the
 * stored settings keep 0–1. The conversion happens here and nowhere else, and the
 * threshold messages speak in percent, the unit the admin typed.
 */
import { hasTextWeight, RELATED_THRESHOLD_MIN, type Settings } from '../../src/shared/contract';
import { changedSettings, narrowsStoredScope } from '../../src/shared/settings-diff';

export const WEIGHT_KEYS = ['summary', 'description', 'labels', 'components', 'type'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];

export interface Draft {
  duplicate: string;
  related: string;
  weights: Record<WeightKey, string>;
  projects: string[];
  crossProject: boolean;
  createDialogCheck: boolean;
  dismissNeedsLink: boolean;
  runsNeedProjectAdmin: boolean;
  jqlFilter: string;
  issueTypes: string[];
  maxAgeDays: string;
  schedule: Settings['schedule'];
  retentionDays: string;
}

/** Field path (as the server's `error.fields` names it) → message. */
export type FieldErrors = Record<string, string>;

/** 0.45 → "45", 0.455 → "45.5": a stored threshold as the percentage the form shows. */
export function toPercentText(fraction: number): string {
  return String(Math.round(fraction * 1e6) / 1e4);
}

/** 45 → 0.45, 45.3 → 0.453 (the nearest double to the decimal, not 0.45299999999999996). */
export function fromPercent(percentValue: number): number {
  return Math.round(percentValue * 1e6) / 1e8;
}

export function toDraft(s: Settings): Draft {
  return {
    duplicate: toPercentText(s.thresholds.duplicate),
    related: toPercentText(s.thresholds.related),
    weights: {
      summary: String(s.weights.summary),
      description: String(s.weights.description),
      labels: String(s.weights.labels),
      components: String(s.weights.components),
      type: String(s.weights.type),
    },
    projects: [...s.projects],
    crossProject: s.crossProject,
    createDialogCheck: s.createDialogCheck,
    dismissNeedsLink: s.dismissNeedsLink,
    runsNeedProjectAdmin: s.runsNeedProjectAdmin,
    jqlFilter: s.jqlFilter,
    issueTypes: [...s.issueTypes],
    maxAgeDays: String(s.maxAgeDays),
    schedule: s.schedule,
    retentionDays: String(s.retentionDays),
  };
}

function number(raw: string, label: string, min: number, max: number, errors: FieldErrors, path: string, integer = false, unit = ''): number {
  const text = raw.trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) errors[path] = `${label} must be a number.`;
  else if (integer && !Number.isInteger(n)) errors[path] = `${label} must be a whole number.`;
  else if (n < min || n > max) errors[path] = `${label} must be between ${min}${unit} and ${max}${unit}.`;
  return n;
}

/** The lowest related threshold, in percent (RELATED_THRESHOLD_MIN). */
export const RELATED_MIN_PERCENT = Math.round(RELATED_THRESHOLD_MIN * 100);

/** The related threshold typed, in percent; below its least, a message that says why. */
function relatedPercent(raw: string, errors: FieldErrors): number {
  const related = number(raw, 'The related threshold', 0, 100, errors, 'thresholds.related', false, '%');
  if (!errors['thresholds.related'] && related < RELATED_MIN_PERCENT) {
    errors['thresholds.related'] = `The related threshold must be at least ${RELATED_MIN_PERCENT}%: below it nearly every two issues share some word, and the pairs to store would grow with the square of the backlog.`;
  }
  return related;
}

/** Names once each (case-insensitively), trimmed, in the order chosen. */
export function uniqueIssueTypes(names: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of names) {
    const t = part.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

/**
 * The thresholds being typed, as fractions, when both are valid (each 0–100%, duplicate
 * above related); null otherwise. What the help texts and the preview may describe.
 */
export function validThresholds(d: Pick<Draft, 'duplicate' | 'related'>): { duplicate: number; related: number } | null {
  const errors: FieldErrors = {};
  const duplicate = number(d.duplicate, 'The duplicate threshold', 0, 100, errors, 'thresholds.duplicate', false, '%');
  const related = relatedPercent(d.related, errors);
  if (Object.keys(errors).length > 0 || duplicate <= related) return null;
  return { duplicate: fromPercent(duplicate), related: fromPercent(related) };
}

/** Checks the draft; returns the settings to save, or the problems found. */
export function fromDraft(d: Draft): { settings: Settings; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const duplicate = number(d.duplicate, 'The duplicate threshold', 0, 100, errors, 'thresholds.duplicate', false, '%');
  const related = relatedPercent(d.related, errors);
  if (!errors['thresholds.duplicate'] && !errors['thresholds.related'] && duplicate <= related) {
    errors['thresholds.duplicate'] = 'The duplicate threshold must be above the related threshold.';
  }
  const weights = {} as Settings['weights'];
  for (const k of WEIGHT_KEYS) weights[k] = number(d.weights[k], `The ${k} weight`, 0, 5, errors, `weights.${k}`);
  if (!errors['weights.summary'] && !errors['weights.description'] && !hasTextWeight(weights)) {
    errors['weights.summary'] = 'The summary or the description needs a weight above 0: with the issue type, labels and components alone, every two issues alike in those would score 100 %.';
  }
  const issueTypes = uniqueIssueTypes(d.issueTypes);
  if (issueTypes.some((t) => t.length > 64)) errors.issueTypes = 'Each issue type name must be at most 64 characters.';
  if (issueTypes.length > 100) errors.issueTypes = 'List at most 100 issue types.';
  if (d.jqlFilter.length > 2000) errors.jqlFilter = 'The JQL filter must be at most 2000 characters.';
  if (d.projects.length > 200) errors.projects = 'Choose at most 200 projects.';
  const maxAgeDays = number(d.maxAgeDays, 'The number of days to look back', 0, 36500, errors, 'maxAgeDays', true);
  const retentionDays = number(d.retentionDays, 'The days to keep history for', 7, 3650, errors, 'retentionDays', true);
  return {
    settings: {
      thresholds: { duplicate: fromPercent(duplicate), related: fromPercent(related) },
      weights,
      projects: d.projects,
      crossProject: d.crossProject,
      createDialogCheck: d.createDialogCheck,
      dismissNeedsLink: d.dismissNeedsLink,
      runsNeedProjectAdmin: d.runsNeedProjectAdmin,
      jqlFilter: d.jqlFilter.trim(),
      issueTypes,
      maxAgeDays,
      schedule: d.schedule,
      retentionDays,
    },
    errors,
  };
}

/**
 * Whether the form holds changes the saved settings do not: what a save would store differs
 * from them (projects and issue types as sets, "45.0" as 45), or something typed is not valid
 * and differs from what the form showed them as. The Actions card, which works from the saved
 * settings, waits for such changes to be saved or discarded.
 */
export function draftChanged(saved: Settings, draft: Draft): boolean {
  const { settings, errors } = fromDraft(draft);
  if (Object.keys(errors).length > 0) return JSON.stringify(draft) !== JSON.stringify(toDraft(saved));
  // Against the saved settings as the form reads them back, not as stored: a value the form
  // cannot give back exactly (0.45299999999999996 saved by an earlier page as 45.3 %, a JQL
  // filter stored with a trailing space, which a save trims) is no change nobody made.
  const shown = fromDraft(toDraft(saved));
  return changedSettings(Object.keys(shown.errors).length > 0 ? saved : shown.settings, settings).length > 0;
}

/** Why the Actions card's buttons are disabled while the form holds changes not saved. */
export const UNSAVED_REASON = 'Save or discard your changes to the settings first';

/**
 * Saving `next` would leave no project in scope where the saved settings have some: that
 * turns the app off for every project, so the form asks before it saves.
 */
export function emptiesScope(saved: Pick<Settings, 'projects'>, next: Pick<Settings, 'projects'>): boolean {
  return next.projects.length === 0 && saved.projects.length > 0;
}

/**
 * What saving `next` over `saved` may leave out of the issues analysed now, by how it goes:
 * `atOnce`, a project taken out, issue types chosen where all were analysed or one taken off
 * the list, an age limit set or shortened: the save's sweep forgets those issues' suggestions
 * within a minute or so, without asking Jira (src/analysis/scope-sweep.ts); `byFilter`, a JQL
 * filter set or edited: only Jira can tell which issues it leaves out, so their suggestions
 * stay until the next analysis, which reads every issue in scope again (the scope changed)
 * and removes those it no longer finds; an issue edited before then is removed at once. The
 * form says so before and after saving.
 */
export function leftOutBy(
  saved: Pick<Settings, 'projects' | 'jqlFilter' | 'issueTypes' | 'maxAgeDays'>,
  next: Pick<Settings, 'projects' | 'jqlFilter' | 'issueTypes' | 'maxAgeDays'>,
): { atOnce: boolean; byFilter: boolean } {
  const byFilter = next.jqlFilter.trim() !== '' && next.jqlFilter.trim() !== saved.jqlFilter.trim();
  return { atOnce: narrowsStoredScope(saved, next), byFilter };
}

/** Whether saving `next` over `saved` may leave out issues that are analysed now (`leftOutBy`). */
export function leavesOutIssues(
  saved: Pick<Settings, 'projects' | 'jqlFilter' | 'issueTypes' | 'maxAgeDays'>,
  next: Pick<Settings, 'projects' | 'jqlFilter' | 'issueTypes' | 'maxAgeDays'>,
): boolean {
  const by = leftOutBy(saved, next);
  return by.atOnce || by.byFilter;
}

/** What the JQL filter leaves out keeps its suggestions until the next analysis, as the form says it above Save. */
export const LEFT_OUT_NOTE =
  'Issues that these changes leave out keep their suggestions in the review queue and the issue panels until the next analysis, which removes them (an issue edited before then goes at once). Decisions about them are kept.';

/** What the projects, issue types or age limit leave out goes once saved, as the form says it above Save. */
export const LEFT_OUT_AT_ONCE_NOTE =
  'Issues that these changes leave out lose their suggestions in the review queue and the issue panels within a minute or so of saving. Decisions about them are kept, and come back if the issues are analysed again.';

/** Both at once: the projects, issue types or age limit, and the JQL filter. */
export const LEFT_OUT_BOTH_NOTE =
  'Issues that the projects, issue types or age limit leave out lose their suggestions in the review queue and the issue panels within a minute or so of saving; those that only the JQL filter leaves out keep theirs until the next analysis, which removes them (an issue edited before then goes at once). Decisions about them are kept, and come back if the issues are analysed again.';

/** The note above Save for what `leftOutBy` found (null: nothing left out). */
export function leftOutNote(by: { atOnce: boolean; byFilter: boolean }): string | null {
  if (by.atOnce && by.byFilter) return LEFT_OUT_BOTH_NOTE;
  if (by.atOnce) return LEFT_OUT_AT_ONCE_NOTE;
  return by.byFilter ? LEFT_OUT_NOTE : null;
}

/** What the saved banner adds about issues left out (after "the next analysis reads every issue in scope again…"), '' for none. */
export function leftOutSavedNote(by: { atOnce: boolean; byFilter: boolean }): string {
  const atOnce = ' Issues now left out by the projects, issue types or age limit leave the review queue and the issue panels within a minute or so; decisions about them are kept.';
  if (by.atOnce && by.byFilter) return `${atOnce} Those that only the JQL filter leaves out keep their suggestions until then: that analysis removes them.`;
  if (by.atOnce) return atOnce;
  return by.byFilter ? ' Issues now left out keep their suggestions in the review queue and the issue panels until then: that analysis removes them.' : '';
}

/**
 * Saving `next` sets an age limit or shortens it: issues analysed now may be left out, so the
 * form counts what the limit keeps before it saves (`keepsAlmostNone`).
 */
export function shortensAge(saved: Pick<Settings, 'maxAgeDays'>, next: Pick<Settings, 'maxAgeDays'>): boolean {
  return next.maxAgeDays > 0 && (saved.maxAgeDays === 0 || next.maxAgeDays < saved.maxAgeDays);
}

/**
 * Of `of` issues in scope, an age limit keeps `kept` (Jira's approximate counts): none, or
 * fewer than one in a hundred, is as good as turning the analyses off, and the form asks first.
 */
export function keepsAlmostNone(counts: { kept: number; of: number }): boolean {
  return counts.of > 0 && counts.kept * 100 < counts.of;
}

/** The field paths `fromDraft` checks itself (prefixes); others are the server's or Jira's. */
const LOCALLY_CHECKED = ['thresholds.', 'weights.', 'issueTypes', 'projects', 'maxAgeDays', 'retentionDays'];

/**
 * The errors still true after an edit: a field the form checks itself shows its current
 * problem or none (a corrected value loses its message at once); Jira's verdict on the JQL
 * goes when the JQL is edited; other messages (the server's) stay until the next save.
 */
export function errorsAfterEdit(previous: FieldErrors, next: Draft, jqlEdited: boolean): FieldErrors {
  const local = fromDraft(next).errors;
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(previous)) {
    if (path === 'jqlFilter') {
      const now = jqlEdited ? local.jqlFilter : message;
      if (now !== undefined) out[path] = now;
    } else if (LOCALLY_CHECKED.some((p) => path.startsWith(p))) {
      const now = local[path];
      if (now !== undefined) out[path] = now;
    } else {
      out[path] = message;
    }
  }
  return out;
}

/** The banner of a save that did not happen. */
export interface SaveError {
  message: string;
  /** The fields whose problems it is about; none: it is about no field, and stays until the next save. */
  fields: string[];
  /** Its message says Jira did not accept the JQL filter. */
  jqlRejected: boolean;
  /** Shown without announcing it again (its text changed after a screen reader read it out). */
  quiet: boolean;
}

/** The sentence of a banner about fields once the one about Jira's verdict on the JQL is no longer true. */
const FIELDS_NEED_FIXING = 'Some settings need fixing before they can be saved.';

/**
 * The save's banner after an edit, given the field errors still true (`errorsAfterEdit`): gone
 * once none of the fields it was about has a problem; without its sentence on Jira's verdict
 * once the JQL filter was edited (that verdict was about the text as it was); otherwise the
 * same object, so an edit elsewhere leaves it as it was read.
 */
export function saveErrorAfterEdit(error: SaveError, errorsNow: FieldErrors, jqlEdited: boolean): SaveError | null {
  if (error.fields.length === 0) return error;
  const left = error.fields.filter((path) => errorsNow[path] !== undefined);
  if (left.length === 0) return null;
  if (error.jqlRejected && jqlEdited) return { message: FIELDS_NEED_FIXING, fields: left, jqlRejected: false, quiet: true };
  return left.length === error.fields.length ? error : { ...error, fields: left };
}
