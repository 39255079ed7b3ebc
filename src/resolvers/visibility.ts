/**
 * Which stored data the acting user may see. Asked of Jira on every call; never cached
 * in module scope.
 *
 * Lists and counts are filtered at project level in SQL (the projects the user may
 * browse), and the rows a page actually returns are checked again at issue level (issue
 * security) in one bulk call.
 */
import { browsableIssueIds, browsableProjects, checkPermissions } from '../jira/permissions';
import { projectsByKeys } from '../jira/projects';
import { indexedProjectKeys, type PairRow } from '../store/review';
import { forbidden } from './api-failure';

export interface Visibility {
  /** Project keys with indexed issues that the acting user may browse. */
  projects: string[];
  /** True when that is every project with indexed issues (queries can skip the filter). */
  all: boolean;
}

export async function visibleProjects(): Promise<Visibility> {
  const keys = await indexedProjectKeys();
  if (keys.length === 0) return { projects: [], all: false };
  const projects = await projectsByKeys(keys);
  const visible = (await browsableProjects(projects)).map((p) => p.key);
  return { projects: visible, all: visible.length === keys.length && keys.every((k) => visible.includes(k)) };
}

/** The store's query fields for a visibility. */
export const visibilityQuery = (v: Visibility): { visibleProjects: string[]; allProjectsVisible: boolean } => ({
  visibleProjects: v.projects,
  allProjectsVisible: v.all,
});

/**
 * Visible projects, after checking that the user may browse the page's own project (which
 * may have nothing indexed yet: then the lists are simply empty).
 */
export async function visibleProjectsFor(projectKey: string | undefined): Promise<Visibility> {
  const visible = await visibleProjects();
  if (projectKey === undefined || visible.projects.includes(projectKey)) return visible;
  const [project] = await projectsByKeys([projectKey]);
  const ok = project !== undefined && (await browsableProjects([project])).length === 1;
  // The same answer for "no such project" and "not yours": no existence leak.
  if (!ok) throw forbidden('You cannot browse this project.');
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

/** What the acting user may do with a set of issues, from one bulk permission check. */
export interface Access {
  browse: Set<string>;
  link: Set<string>;
}

/** Which of these issues the acting user may browse, and (when asked) link. */
export async function accessForIssues(issueIds: string[], needLink: boolean): Promise<Access> {
  const ids = [...new Set(issueIds)];
  const answers = await checkPermissions({
    questions: [
      { permission: 'BROWSE_PROJECTS', issueIds: ids },
      ...(needLink ? [{ permission: 'LINK_ISSUES' as const, issueIds: ids }] : []),
    ],
  });
  return { browse: answers.granted[0]?.issueIds ?? new Set(), link: answers.granted[1]?.issueIds ?? new Set() };
}

/**
 * As `keepBrowsablePairs`, and in the same call which of their issues the user may link:
 * a pair can be confirmed with Link Issues on either of its issues (Jira enforces the exact
 * rule when the link is made).
 */
export async function browsablePairsWithLinkRight(pairs: PairRow[]): Promise<{ pairs: PairRow[]; canLink: (pair: PairRow) => boolean }> {
  if (pairs.length === 0) return { pairs, canLink: () => false };
  const { browse, link } = await accessForIssues(
    pairs.flatMap((p) => [p.a.id, p.b.id]),
    true,
  );
  return {
    pairs: pairs.filter((p) => browse.has(p.a.id) && browse.has(p.b.id)),
    canLink: (p) => link.has(p.a.id) || link.has(p.b.id),
  };
}
