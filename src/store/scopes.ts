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
