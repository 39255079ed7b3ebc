/**
 * Scopes name what a run covers: one project, or every project in settings. The key is the
 * scope's stable name in SQL (runs.scope_key, scope_locks) and KVS (run markers).
 */
import type { RunScope } from '../shared/contract';

export type ScopeKey = string;

export function scopeKey(scope: RunScope): ScopeKey {
  return scope.kind === 'all' ? 'all' : `project:${scope.projectKey}`;
}

export function scopeFromKey(key: string): RunScope {
  if (key.startsWith('project:')) return { kind: 'project', projectKey: key.slice('project:'.length) };
  return { kind: 'all' };
}

/** The projects a scope covers given the analysed projects in settings. */
export function scopeProjects(scope: RunScope, settingsProjects: readonly string[]): string[] {
  if (scope.kind === 'project') return [scope.projectKey];
  return [...settingsProjects];
}

/**
 * The projects whose stored issues a run compares in its last step: with suggestions across
 * projects on, a project's run compares its issues with every analysed project's; otherwise
 * the projects it covers (each on its own; src/analysis/duplicates.ts).
 */
export function comparedProjects(scope: RunScope, settings: { projects: readonly string[]; crossProject: boolean }): string[] {
  return scope.kind === 'project' && settings.crossProject ? [...settings.projects] : scopeProjects(scope, settings.projects);
}
