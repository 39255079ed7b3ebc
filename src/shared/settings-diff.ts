/**
 * Which settings differ between two copies, as the admin page's save and the server's merge
 * of two admins' saves both need it.
 */
import type { Settings } from './contract';

/** Each setting's name as people read it, in the form's order. */
export const SETTING_NAMES: Record<keyof Settings, string> = {
  thresholds: 'thresholds',
  weights: 'field weights',
  projects: 'projects in scope',
  crossProject: 'cross-project suggestions',
  createDialogCheck: 'create-dialog check',
  dismissNeedsLink: 'who may dismiss',
  runsNeedProjectAdmin: 'who may run analyses',
  jqlFilter: 'JQL filter',
  issueTypes: 'issue types',
  maxAgeDays: 'age limit',
  schedule: 'schedule',
  retentionDays: 'retention',
};

export const SETTING_KEYS = Object.keys(SETTING_NAMES) as Array<keyof Settings>;

/**
 * Whether a setting holds the same in both. Projects and issue types are sets: the page adds
 * a project at the end of its list where the stored list is sorted, and two admins who both
 * add the same project have made the same change, not two.
 */
export function sameSetting(k: keyof Settings, a: Settings, b: Settings): boolean {
  if (k === 'projects') return setKey(a.projects, (p) => p.toUpperCase()) === setKey(b.projects, (p) => p.toUpperCase());
  if (k === 'issueTypes') return setKey(a.issueTypes, (t) => t.toLowerCase()) === setKey(b.issueTypes, (t) => t.toLowerCase());
  return JSON.stringify(a[k]) === JSON.stringify(b[k]);
}

function setKey(values: readonly string[], fold: (v: string) => string): string {
  return JSON.stringify([...new Set(values.map(fold))].sort());
}

/** The settings that differ, in the form's order. */
export function changedSettings(before: Settings, after: Settings): Array<keyof Settings> {
  return SETTING_KEYS.filter((k) => !sameSetting(k, before, after));
}

/**
 * Three copies: what a page loaded (`base`), what it would save (`mine`), and what is stored
 * now (`theirs`, saved by someone else since). The merge takes theirs wherever mine left the
 * base as it was, and mine elsewhere, at the finest grain a setting has: the projects and
 * issue types that mine added or removed go onto theirs (so two admins who each add a
 * project keep both), and each threshold and each field weight on its own. `clashes` are the
 * settings where both changed the same value differently.
 */
export function mergeSettings(base: Settings, mine: Settings, theirs: Settings): { merged: Settings; clashes: Array<keyof Settings> } {
  const merged = { ...theirs } as Record<keyof Settings, unknown>;
  const clashes: Array<keyof Settings> = [];
  for (const k of SETTING_KEYS) {
    if (sameSetting(k, base, mine)) continue;
    if (k === 'projects') {
      merged.projects = mergeSet(base.projects, mine.projects, theirs.projects, (p) => p.toUpperCase());
    } else if (k === 'issueTypes') {
      merged.issueTypes = mergeSet(base.issueTypes, mine.issueTypes, theirs.issueTypes, (t) => t.toLowerCase());
    } else if (k === 'thresholds' || k === 'weights') {
      const fields = mergeFields(base[k], mine[k], theirs[k]);
      merged[k] = fields.merged;
      if (fields.clash) clashes.push(k);
    } else {
      merged[k] = mine[k];
      if (!sameSetting(k, base, theirs) && !sameSetting(k, theirs, mine)) clashes.push(k);
    }
  }
  return { merged: merged as Settings, clashes };
}

/** Theirs, plus what mine added to the base, less what mine took from it (compared by `fold`). */
function mergeSet(base: readonly string[], mine: readonly string[], theirs: readonly string[], fold: (v: string) => string): string[] {
  const had = new Set(base.map(fold));
  const kept = new Set(mine.map(fold));
  const removed = new Set([...had].filter((v) => !kept.has(v)));
  const out = theirs.filter((v) => !removed.has(fold(v)));
  const present = new Set(out.map(fold));
  for (const v of mine) {
    if (!had.has(fold(v)) && !present.has(fold(v))) {
      out.push(v);
      present.add(fold(v));
    }
  }
  return out;
}

/** Each numeric field: mine where mine changed it, else theirs; a clash where both changed it differently. */
function mergeFields<T extends Record<string, number>>(base: T, mine: T, theirs: T): { merged: T; clash: boolean } {
  const merged = { ...theirs };
  let clash = false;
  for (const f of Object.keys(mine) as Array<keyof T>) {
    if (mine[f] === base[f]) continue;
    merged[f] = mine[f];
    if (theirs[f] !== base[f] && theirs[f] !== mine[f]) clash = true;
  }
  return { merged, clash };
}

/**
 * Whether saving `after` over `before` may leave out stored issues that the app can tell
 * without Jira: a project taken out, issue types chosen where all were analysed or one taken
 * off the list, an age limit set or shortened. The save's scope sweep forgets them at once
 * (src/analysis/scope-sweep.ts); what a JQL filter leaves out only Jira can tell.
 */
export function narrowsStoredScope(before: Pick<Settings, 'projects' | 'issueTypes' | 'maxAgeDays'>, after: Pick<Settings, 'projects' | 'issueTypes' | 'maxAgeDays'>): boolean {
  const projects = new Set(after.projects.map((p) => p.toUpperCase()));
  if (before.projects.some((p) => !projects.has(p.toUpperCase()))) return true;
  const kept = new Set(after.issueTypes.map((t) => t.trim().toLowerCase()));
  if (kept.size > 0 && (before.issueTypes.length === 0 || before.issueTypes.some((t) => !kept.has(t.trim().toLowerCase())))) return true;
  return after.maxAgeDays > 0 && (before.maxAgeDays === 0 || after.maxAgeDays < before.maxAgeDays);
}
