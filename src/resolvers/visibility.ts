/**
 * Which stored data the acting user may see. Asked of Jira on every call; never cached
 * in module scope.
 *
 * Lists and counts are filtered at project level in SQL (the projects the user may
 * browse), and the rows a page actually returns are checked again at issue level (issue
 * security) in one bulk call.
 */
import { browsableIssueIds, browsableProjects } from '../jira/permissions';
import { projectsByKeys } from '../jira/projects';
import { indexedProjectKeys, type PairRow } from '../store/review';
import { forbidden } from './api-failure';

/** Project keys with indexed issues that the acting user may browse. */
export async function visibleProjectKeys(): Promise<string[]> {
  const keys = await indexedProjectKeys();
  if (keys.length === 0) return [];
  const projects = await projectsByKeys(keys);
  return (await browsableProjects(projects)).map((p) => p.key);
}

/** Visible projects, and a check that the page's own project is one of them. */
export async function visibleProjectsFor(projectKey: string | undefined): Promise<string[]> {
  const visible = await visibleProjectKeys();
  if (projectKey !== undefined && !visible.includes(projectKey.toUpperCase()) && !visible.includes(projectKey)) {
    // Either the project has nothing indexed or the user cannot browse it; both mean
    // there is nothing to show, and saying which would reveal the project exists.
    throw forbidden('You cannot browse this project, or it has not been analysed yet.');
  }
  return visible;
}

/** Drops pairs with an issue the user may not browse (issue security), in one bulk call. */
export async function keepBrowsablePairs(pairs: PairRow[]): Promise<PairRow[]> {
  if (pairs.length === 0) return pairs;
  const ids = new Set<string>();
  for (const p of pairs) ids.add(p.a.id).add(p.b.id);
  const ok = await browsableIssueIds([...ids]);
  return pairs.filter((p) => ok.has(p.a.id) && ok.has(p.b.id));
}
