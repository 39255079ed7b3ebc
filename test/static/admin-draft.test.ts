/** The admin form's draft: thresholds typed as percentages, stored as 0–1. */
import type { Settings } from '../../src/shared/contract';
import { DEFAULT_SETTINGS } from '../../src/store/settings';
import {
  draftChanged,
  emptiesScope,
  errorsAfterEdit,
  fromDraft,
  keepsAlmostNone,
  leavesOutIssues,
  leftOutBy,
  leftOutNote,
  leftOutSavedNote,
  LEFT_OUT_AT_ONCE_NOTE,
  LEFT_OUT_BOTH_NOTE,
  LEFT_OUT_NOTE,
  saveErrorAfterEdit,
  shortensAge,
  toDraft,
  validThresholds,
  type SaveError,
} from '../../static/admin-page/draft';

const settings: Settings = { ...DEFAULT_SETTINGS, thresholds: { duplicate: 0.45, related: 0.15 }, projects: ['SHOP'] };

describe('admin settings draft', () => {
  it('shows stored thresholds as percentages and stores them back as the same fractions', () => {
    const draft = toDraft(settings);
    expect([draft.duplicate, draft.related]).toEqual(['45', '15']);
    const { settings: back, errors } = fromDraft(draft);
    expect(errors).toEqual({});
    expect(back).toEqual(settings);
  });

  it('keeps decimals of a percent exact, without float noise', () => {
    const draft = toDraft({ ...settings, thresholds: { duplicate: 0.455, related: 0.07 } });
    expect([draft.duplicate, draft.related]).toEqual(['45.5', '7']);
    const { settings: back } = fromDraft({ ...draft, duplicate: '45.3', related: '5.5' });
    expect(back.thresholds).toEqual({ duplicate: 0.453, related: 0.055 });
  });

  it('speaks of thresholds in the unit typed: percent', () => {
    const { errors } = fromDraft({ ...toDraft(settings), duplicate: '150', related: '-1' });
    expect(errors['thresholds.duplicate']).toBe('The duplicate threshold must be between 0% and 100%.');
    expect(errors['thresholds.related']).toBe('The related threshold must be between 0% and 100%.');
    expect(fromDraft({ ...toDraft(settings), duplicate: '10', related: '20' }).errors['thresholds.duplicate']).toBe(
      'The duplicate threshold must be above the related threshold.',
    );
  });

  it('refuses a related threshold below 5%, and says why', () => {
    for (const related of ['0', '1', '4.9']) {
      expect(fromDraft({ ...toDraft(settings), related }).errors['thresholds.related']).toMatch(/^The related threshold must be at least 5%: below it nearly every two issues share some word/);
      expect(validThresholds({ duplicate: '60', related })).toBeNull();
    }
    expect(fromDraft({ ...toDraft(settings), related: '5' }).errors['thresholds.related']).toBeUndefined();
  });

  it('offers thresholds to describe only while both are valid', () => {
    expect(validThresholds({ duplicate: '60', related: '15' })).toEqual({ duplicate: 0.6, related: 0.15 });
    expect(validThresholds({ duplicate: '150', related: '15' })).toBeNull();
    expect(validThresholds({ duplicate: '', related: '15' })).toBeNull();
    expect(validThresholds({ duplicate: '15', related: '15' })).toBeNull();
    expect(validThresholds({ duplicate: '60', related: 'x' })).toBeNull();
  });
});

describe('errorsAfterEdit', () => {
  const draft = toDraft(DEFAULT_SETTINGS);
  it('drops the message of a field corrected, keeps the one still wrong with its current wording, and keeps what only the server or Jira can say', () => {
    const previous = {
      retentionDays: 'The days to keep history for must be between 7 and 3650.',
      maxAgeDays: 'The number of days to look back must be a whole number.',
      jqlFilter: 'Field "statusx" does not exist.',
      schedule: 'is not one of daily, weekly, off',
    };
    const next = { ...draft, retentionDays: '30', maxAgeDays: '-1' };
    expect(errorsAfterEdit(previous, next, false)).toEqual({
      maxAgeDays: 'The number of days to look back must be between 0 and 36500.',
      jqlFilter: 'Field "statusx" does not exist.',
      schedule: 'is not one of daily, weekly, off',
    });
    // Editing the JQL takes Jira's verdict away until it is asked again.
    expect(errorsAfterEdit(previous, { ...next, jqlFilter: 'project = SHOP' }, true)).not.toHaveProperty('jqlFilter');
  });

  it('asks before a save only when it would leave no project where the saved settings have some', () => {
    expect(emptiesScope({ projects: ['SHOP'] }, { projects: [] })).toBe(true);
    expect(emptiesScope({ projects: ['SHOP'] }, { projects: ['MOB'] })).toBe(false);
    // Already none: saving other changes turns nothing more off.
    expect(emptiesScope({ projects: [] }, { projects: [] })).toBe(false);
  });
});

describe('draftChanged', () => {
  const saved: Settings = { ...settings, projects: ['SHOP', 'OPS'], issueTypes: ['Bug', 'Story'] };
  const draft = toDraft(saved);

  it('finds no change in the saved settings as the form shows them, nor in the same values written otherwise', () => {
    expect(draftChanged(saved, draft)).toBe(false);
    expect(draftChanged(saved, { ...draft, duplicate: '45.0', weights: { ...draft.weights, summary: ` ${draft.weights.summary} ` } })).toBe(false);
    // Projects and issue types are sets: ticked again in another order, or typed in another case, they are the same.
    expect(draftChanged(saved, { ...draft, projects: ['OPS', 'SHOP'], issueTypes: ['story', 'Bug'] })).toBe(false);
    expect(draftChanged(saved, { ...draft, jqlFilter: `${saved.jqlFilter}  ` })).toBe(false);
  });

  it('finds no change in settings stored as the form cannot give them back exactly, untouched', () => {
    // An earlier page saved 45.3 % as 0.45299999999999996 (percent / 100); a JQL filter stored with a trailing space, which a save trims.
    const stored: Settings = { ...saved, thresholds: { ...saved.thresholds, duplicate: 0.45299999999999996 }, jqlFilter: 'labels = x ' };
    expect(draftChanged(stored, toDraft(stored))).toBe(false);
    expect(draftChanged(stored, { ...toDraft(stored), duplicate: '46' })).toBe(true);
  });

  it('finds a change in any setting, and in anything typed that is not valid', () => {
    expect(draftChanged(saved, { ...draft, duplicate: '60' })).toBe(true);
    expect(draftChanged(saved, { ...draft, projects: ['SHOP'] })).toBe(true);
    expect(draftChanged(saved, { ...draft, crossProject: !saved.crossProject })).toBe(true);
    expect(draftChanged(saved, { ...draft, schedule: saved.schedule === 'daily' ? 'weekly' : 'daily' })).toBe(true);
    expect(draftChanged(saved, { ...draft, jqlFilter: 'labels is EMPTY' })).toBe(true);
    expect(draftChanged(saved, { ...draft, duplicate: '' })).toBe(true);
    expect(draftChanged(saved, { ...draft, retentionDays: '3' })).toBe(true);
  });
});

describe('saveErrorAfterEdit', () => {
  const both: SaveError = {
    message: 'Some settings need fixing before they can be saved. Jira did not accept the JQL filter.',
    fields: ['jqlFilter', 'weights.summary'],
    jqlRejected: true,
    quiet: false,
  };
  const weightWrong = { 'weights.summary': 'The summary weight must be between 0 and 5.' };

  it('leaves the banner as it was read while the fields it names still have their problems', () => {
    expect(saveErrorAfterEdit(both, { ...weightWrong, jqlFilter: 'Expected an operand.' }, false)).toBe(both);
  });

  it("drops the sentence on Jira's verdict once the filter is edited, quietly, while another field still needs fixing", () => {
    expect(saveErrorAfterEdit(both, weightWrong, true)).toEqual({ message: 'Some settings need fixing before they can be saved.', fields: ['weights.summary'], jqlRejected: false, quiet: true });
  });

  it('goes once none of its fields has a problem left', () => {
    expect(saveErrorAfterEdit(both, {}, true)).toBeNull();
    const jqlOnly: SaveError = { message: 'Jira did not accept the JQL filter.', fields: ['jqlFilter'], jqlRejected: true, quiet: false };
    expect(saveErrorAfterEdit(jqlOnly, { 'weights.summary': 'x' }, true)).toBeNull();
  });

  it('keeps a banner about no field (a clash with another admin, a failure) until the next save', () => {
    const clash: SaveError = { message: 'Someone else saved the settings since this page was opened, so nothing was saved.', fields: [], jqlRejected: false, quiet: false };
    expect(saveErrorAfterEdit(clash, {}, true)).toBe(clash);
  });

  it('tells a save that may leave analysed issues out from one that cannot', () => {
    const saved = { ...settings, jqlFilter: 'labels = a', issueTypes: ['Bug', 'Task'], maxAgeDays: 90 };
    expect(leavesOutIssues(saved, saved)).toBe(false);
    expect(leavesOutIssues(saved, { ...saved, jqlFilter: ' labels = a ' })).toBe(false);
    expect(leavesOutIssues(saved, { ...saved, jqlFilter: 'labels = b' })).toBe(true);
    expect(leavesOutIssues(saved, { ...saved, jqlFilter: '' })).toBe(false);
    expect(leavesOutIssues(saved, { ...saved, issueTypes: ['bug', 'Task', 'Story'] })).toBe(false);
    expect(leavesOutIssues(saved, { ...saved, issueTypes: ['Bug'] })).toBe(true);
    expect(leavesOutIssues(saved, { ...saved, issueTypes: [] })).toBe(false);
    expect(leavesOutIssues({ ...saved, issueTypes: [] }, { ...saved, issueTypes: ['Bug', 'Task'] })).toBe(true);
    expect(leavesOutIssues(saved, { ...saved, maxAgeDays: 30 })).toBe(true);
    expect(leavesOutIssues(saved, { ...saved, maxAgeDays: 365 })).toBe(false);
    expect(leavesOutIssues(saved, { ...saved, maxAgeDays: 0 })).toBe(false);
    expect(shortensAge({ maxAgeDays: 0 }, { maxAgeDays: 7 })).toBe(true);
    expect(shortensAge({ maxAgeDays: 7 }, { maxAgeDays: 0 })).toBe(false);
  });

  it('tells what a save leaves out at once (projects, issue types, age limit) from what waits for the next analysis (the JQL filter)', () => {
    const saved = { ...settings, projects: ['MOB', 'SHOP'], jqlFilter: '', issueTypes: [], maxAgeDays: 0 };
    // A project taken out: its issues go within a minute or so (the page said nothing before).
    expect(leftOutBy(saved, { ...saved, projects: ['SHOP'] })).toEqual({ atOnce: true, byFilter: false });
    expect(leavesOutIssues(saved, { ...saved, projects: ['SHOP'] })).toBe(true);
    expect(leftOutNote(leftOutBy(saved, { ...saved, projects: ['SHOP'] }))).toBe(LEFT_OUT_AT_ONCE_NOTE);
    // One added, or the same ones in another order or case: nothing leaves.
    expect(leftOutNote(leftOutBy(saved, { ...saved, projects: ['shop', 'MOB', 'OPS'] }))).toBeNull();
    expect(leftOutBy(saved, { ...saved, issueTypes: ['Bug'] })).toEqual({ atOnce: true, byFilter: false });
    expect(leftOutBy(saved, { ...saved, maxAgeDays: 30 })).toEqual({ atOnce: true, byFilter: false });
    expect(leftOutNote(leftOutBy(saved, { ...saved, jqlFilter: 'labels = b' }))).toBe(LEFT_OUT_NOTE);
    expect(leftOutNote(leftOutBy(saved, { ...saved, jqlFilter: 'labels = b', projects: ['SHOP'] }))).toBe(LEFT_OUT_BOTH_NOTE);
    expect(leftOutSavedNote({ atOnce: false, byFilter: false })).toBe('');
    expect(leftOutSavedNote({ atOnce: true, byFilter: false })).toMatch(/within a minute or so; decisions about them are kept\.$/);
    expect(leftOutSavedNote({ atOnce: false, byFilter: true })).toMatch(/until then: that analysis removes them\.$/);
  });

  it('asks about an age limit that keeps no issue in scope or fewer than one in a hundred', () => {
    expect(keepsAlmostNone({ kept: 0, of: 300 })).toBe(true);
    expect(keepsAlmostNone({ kept: 2, of: 300 })).toBe(true);
    expect(keepsAlmostNone({ kept: 3, of: 300 })).toBe(false);
    expect(keepsAlmostNone({ kept: 0, of: 0 })).toBe(false);
    expect(keepsAlmostNone({ kept: 1, of: 40 })).toBe(false);
  });
});
