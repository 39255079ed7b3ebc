/**
 * A run's saved scope, checked against what Jira shows the app when the run is planned.
 *
 * Settings are checked when they are saved, but Jira moves on: a project is deleted, archived,
 * given another key or no longer browsable by the app; an issue type is deleted or renamed.
 * Named in the run's JQL (`project in ("GONE", …)`), any of them makes Jira reject the whole
 * search, and every run of every project fails. So the plan step asks Jira (as the app, which
 * runs the search) which of the run's projects and issue types it still knows, leaves out the
 * others, and records what it left out for Jira admins. With nothing left to read, the run
 * fails naming what is missing: an issue-type list with every name gone would otherwise read
 * every type, which the settings leave out.
 */
import { issueTypeNames, unknownIssueTypes } from '../jira/issue-types';
import { projectsByKeys, type ReadBudget } from '../jira/projects';
import type { RunScope, Settings } from '../shared/contract';
import { keyList } from '../shared/wording';
import type { LeftOut } from '../store/runs';
import { scopeProjects } from '../store/scopes';
import { AnalysisError } from './analysis-error';

export function leftOutAnything(l: LeftOut): boolean {
  return l.projects.length > 0 || l.issueTypes.length > 0;
}

/** Both lists, each name once (case-insensitively, the first spelling kept). */
export function joinLeftOut(a: LeftOut, b: LeftOut): LeftOut {
  const union = (x: string[], y: string[]): string[] => {
    const seen = new Set<string>();
    return [...x, ...y].filter((v) => !seen.has(v.toLowerCase()) && seen.add(v.toLowerCase()));
  };
  return { projects: union(a.projects, b.projects), issueTypes: union(a.issueTypes, b.issueTypes) };
}

/**
 * The settings a run goes on with: those of `settings` that Jira still shows the app, and
 * what was left out. Throws an AnalysisError when none of the run's projects, or none of
 * the chosen issue types, is left. Two Jira reads at most (the issue types only when the
 * settings choose some), within the consumer's `budget`.
 */
export async function checkRunScope(scope: RunScope, settings: Settings, budget: ReadBudget): Promise<{ settings: Settings; leftOut: LeftOut }> {
  const projects = scopeProjects(scope, settings.projects);
  const [found, typeNames] = await Promise.all([
    projectsByKeys(projects, budget),
    settings.issueTypes.length > 0 ? issueTypeNames({ as: 'app' }, budget) : Promise.resolve([]),
  ]);
  const known = new Set(found.map((p) => p.key.toUpperCase()));
  const leftOut: LeftOut = {
    projects: projects.filter((k) => !known.has(k.toUpperCase())),
    issueTypes: settings.issueTypes.length > 0 ? unknownIssueTypes(settings.issueTypes, typeNames) : [],
  };
  if (leftOut.projects.length === projects.length) throw noProjectLeft(scope, leftOut.projects);
  if (settings.issueTypes.length > 0 && leftOut.issueTypes.length === settings.issueTypes.length) throw noIssueTypeLeft(leftOut.issueTypes);
  if (!leftOutAnything(leftOut)) return { settings, leftOut };
  const goneProjects = new Set(leftOut.projects);
  const goneTypes = new Set(leftOut.issueTypes);
  return {
    settings: { ...settings, projects: settings.projects.filter((k) => !goneProjects.has(k)), issueTypes: settings.issueTypes.filter((t) => !goneTypes.has(t)) },
    leftOut,
  };
}

/** How many names an admin's note lists before it counts the rest. */
const NAMED = 10;

const projectNames = (keys: string[]): string => keyList(keys, NAMED);
const typeNames = (names: string[]): string => keyList(names.map((n) => `"${n}"`), NAMED);

/** "Jira does not show GONE to the app (…)": why Jira may no longer show a project. */
function notShown(subject: string, one: boolean): string {
  return `Jira does not show ${subject} to the app (deleted, archived, ${one ? 'its key' : 'a key'} changed, or the app may no longer browse ${one ? 'it' : 'them'})`;
}

function noProjectLeft(scope: RunScope, keys: string[]): AnalysisError {
  const one = keys.length === 1;
  if (scope.kind === 'project') {
    // Read on the project's own page: the key is the page's own.
    return new AnalysisError(
      'RUN_FAILED',
      `Nothing was analysed: ${notShown(scope.projectKey, true)}. A Jira admin can remove it from the projects in scope under Apps → Duplicate detection, or give the app access, then start again.`,
    );
  }
  // A run of every project is shown on every project page: the keys are for Jira admins.
  return new AnalysisError(
    'RUN_FAILED',
    "Nothing was analysed: Jira does not show the app any of the projects in scope. Which ones, and what to do, is shown to Jira admins on the app's admin page (Apps → Duplicate detection).",
    `Nothing was analysed: ${notShown(projectNames(keys), one)}. Remove ${one ? 'it' : 'them'} in the settings or give the app access, then start again.`,
  );
}

function noIssueTypeLeft(names: string[]): AnalysisError {
  const one = names.length === 1;
  return new AnalysisError(
    'RUN_FAILED',
    "Nothing was analysed: Jira no longer knows any of the issue types chosen in the app settings (deleted or renamed), and reading every type instead would read issues the settings leave out. A Jira admin can choose the types again under Apps → Duplicate detection, then start again.",
    `Nothing was analysed: Jira no longer knows the issue ${one ? 'type' : 'types'} ${typeNames(names)} chosen in the settings (deleted or renamed), and reading every type instead would read issues the settings leave out. Choose the types again in the settings, then start again.`,
  );
}

/**
 * The note Jira admins read on the admin page about a run that left something out: what, why,
 * and what to do. Null when it left out nothing.
 */
export function leftOutNotice(l: LeftOut): string | null {
  const parts: string[] = [];
  if (l.projects.length > 0) {
    const one = l.projects.length === 1;
    parts.push(
      `${one ? 'Project' : 'Projects'} ${projectNames(l.projects)} ${one ? 'was' : 'were'} left out: ${notShown(one ? 'it' : 'them', one)}. Remove ${one ? 'it' : 'them'} in the settings or give the app access.`,
    );
  }
  if (l.issueTypes.length > 0) {
    const one = l.issueTypes.length === 1;
    parts.push(
      `Issue ${one ? 'type' : 'types'} ${typeNames(l.issueTypes)} ${one ? 'was' : 'were'} left out: Jira no longer knows ${one ? 'it' : 'them'} (deleted or renamed). Remove ${one ? 'it' : 'them'} in the settings, or choose ${one ? 'it' : 'them'} again under ${one ? 'its new name' : 'their new names'}.`,
    );
  }
  return parts.length === 0 ? null : parts.join(' ');
}
