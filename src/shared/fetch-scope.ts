/**
 * Shared by the pipeline (run markers, src/analysis) and the admin page (which says when a
 * save makes the next run read everything): pure, no Forge import.
 */
import type { Settings } from './contract';

/**
 * What decides which issues a run of these projects reads: projects, issue types, JQL
 * filter, time window. Recorded with each successful run; when it differs at the next
 * start, an incremental run (issues updated since) would miss issues that came into scope
 * (a project added, a type or an older window let in) and keep ones that left, so the run
 * reads everything instead. Thresholds, weights and cross-project apply at every run's
 * scoring and do not count.
 */
export function fetchScopeOf(settings: Settings, projects: readonly string[]): string {
  return JSON.stringify({
    projects: [...new Set(projects.map((p) => p.toUpperCase()))].sort(),
    issueTypes: [...new Set(settings.issueTypes.map((t) => t.toLowerCase()))].sort(),
    jql: settings.jqlFilter.trim(),
    maxAgeDays: settings.maxAgeDays,
  });
}
