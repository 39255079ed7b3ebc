/**
 * Which stored data the acting user may see. Asked of Jira on every call; never cached
 * in module scope.
 *
 * Lists and counts are filtered in SQL: to the projects the user may browse, and without
 * the issues of those projects that a security level hides from them (`hidden`). The rows a
 * page actually returns are checked again at issue level in one bulk call.
 */
import { browsableIssueIds, browsableProjects, checkPermissions } from '../jira/permissions';
import { projectsByKeys } from '../jira/projects';
import { indexedProjectKeys, securedDocs, securedGroups, type PairRow, type SecuredDoc, type SecurityGroup } from '../store/review';
import { forbidden } from './api-failure';

export interface Visibility {
  /** Project keys with indexed issues that the acting user may browse. */
  projects: string[];
  /** True when that is every project with indexed issues (queries can skip the filter). */
  all: boolean;
  /** Issues of those projects that a security level hides from the user. */
  hidden: HiddenIssues;
}

/**
 * What issue security hides from the user in the projects they may browse: each secured
 * issue checked (`ids`, `keys`), or, past `SECURED_CHECK_MAX` secured issues, whole levels
 * (`levels`: a level is hidden unless the user may browse every sampled issue of it).
 */
export interface HiddenIssues {
  ids: string[];
  keys: string[];
  levels: SecurityGroup[];
}

const NOTHING_HIDDEN: HiddenIssues = { ids: [], keys: [], levels: [] };

/** Secured issues checked one by one, in one permission call (Jira takes 1,000 ids an entry). */
export const SECURED_CHECK_MAX = 5000;
/** Issues of a level checked when there are too many to check each. */
const LEVEL_SAMPLE = 25;

/** An end a function's Jira calls share with the caller's other ones (epoch ms). */
export interface JiraBudget {
  deadlineAt?: number;
}

/** Whether anything is hidden by issue security. */
export const hidesIssues = (h: HiddenIssues): boolean => h.ids.length > 0 || h.levels.length > 0;

/**
 * The issues of `projects` a security level hides from the acting user. Costs one indexed
 * read when no issue is secured (none when the caller read `securedDocs` over these
 * projects or more, and hands it over); else one permission call on the secured issues.
 * `budget.deadlineAt`: an end its Jira call shares with the caller's other ones.
 */
export async function hiddenBySecurity(projects: readonly string[], read?: SecuredDoc[], budget: JiraBudget = {}): Promise<HiddenIssues> {
  const inProjects = new Set(projects);
  const all = read ?? (await securedDocs(projects, SECURED_CHECK_MAX));
  // A read that stopped at the limit may miss some of these projects' secured issues.
  const complete = all.length <= SECURED_CHECK_MAX;
  const secured = all.filter((d) => inProjects.has(d.projectKey));
  if (secured.length === 0 && complete) return NOTHING_HIDDEN;
  if (complete) {
    const ok = await browsableIssueIds(secured.map((d) => d.id), undefined, budget);
    const hidden = secured.filter((d) => !ok.has(d.id));
    return { ids: hidden.map((d) => d.id), keys: hidden.map((d) => d.key), levels: [] };
  }
  return { ids: [], keys: [], levels: await hiddenLevels(projects, budget) };
}

/**
 * The security levels of `projects` that hide issues from the acting user, judged by a
 * sample of each (the first `LEVEL_SAMPLE` issues by id): a level counts as hidden unless
 * every sampled issue is browsable, so one that grants only each issue's reporter is hidden
 * from nearly everyone. A bounded cost (one read per level, one permission call) where
 * checking each secured issue would not be.
 */
export async function hiddenLevels(projects: readonly string[], budget: JiraBudget = {}): Promise<SecurityGroup[]> {
  const groups = await securedGroups(projects, LEVEL_SAMPLE);
  if (groups.length === 0) return [];
  const ok = await browsableIssueIds(groups.flatMap((g) => g.ids), undefined, budget);
  return groups.filter((g) => !g.ids.every((id) => ok.has(id))).map(({ projectKey, level }) => ({ projectKey, level }));
}

/**
 * The projects with indexed issues the acting user may browse, and what security hides in
 * them. `budget.deadlineAt`: an end its Jira calls share with the caller's other ones.
 */
export async function visibleProjects(budget: JiraBudget = {}): Promise<Visibility> {
  const keys = await indexedProjectKeys();
  if (keys.length === 0) return { projects: [], all: false, hidden: NOTHING_HIDDEN };
  // The secured issues are read while Jira answers which projects are browsable.
  const [visible, secured] = await Promise.all([
    projectsByKeys(keys, budget).then(async (projects) => (await browsableProjects(projects, budget)).map((p) => p.key)),
    securedDocs(keys, SECURED_CHECK_MAX),
  ]);
  const hidden = await hiddenBySecurity(visible, secured, budget);
  return { projects: visible, all: visible.length === keys.length && keys.every((k) => visible.includes(k)), hidden };
}

/**
 * Whether a stored issue is one the viewer may see by this visibility: of a project they may
 * browse, and not hidden from them by a security level. What the review queue and the issue
 * panel walk chains of Duplicate links through (`link-chains.ts`).
 */
export function storedIssueSeen(v: Visibility): (doc: { id: string; projectKey: string; securityLevel: string }) => boolean {
  const projects = new Set(v.projects);
  const hiddenIds = new Set(v.hidden.ids);
  const levels = new Set(v.hidden.levels.map((l) => `${l.projectKey}\u0000${l.level}`));
  return (d) => projects.has(d.projectKey) && !hiddenIds.has(d.id) && !(d.securityLevel !== '' && levels.has(`${d.projectKey}\u0000${d.securityLevel}`));
}

/** The store's query fields for a visibility. */
export const visibilityQuery = (
  v: Visibility,
): { visibleProjects: string[]; allProjectsVisible: boolean; hiddenIssueIds: string[]; hiddenLevels: SecurityGroup[] } => ({
  visibleProjects: v.projects,
  allProjectsVisible: v.all,
  hiddenIssueIds: v.hidden.ids,
  hiddenLevels: v.hidden.levels,
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

/**
 * A pair's stored cluster is named by its representative's issue id, and was joined over
 * every issue in scope: to a viewer who cannot see them all, it may name a hidden issue, or
 * join two groups of visible pairs that only a hidden issue links (two pairs with one
 * cluster id that the viewer's own clusters keep apart). So the id is kept only for a
 * viewer who sees everything (`seesAll`), or when it is one of the pair's own issues.
 */
export function withVisibleCluster(pair: PairRow, seesAll = false): PairRow {
  const c = pair.clusterId;
  if (seesAll || c === null || c === pair.a.id || c === pair.b.id) return pair;
  return { ...pair, clusterId: null };
}

/** Whether the viewer sees every issue the analysis stored: every project, and nothing hidden by a level. */
export const seesEverything = (v: Visibility): boolean => v.all && !hidesIssues(v.hidden);

const idsOf = (pairs: PairRow[]): string[] => [...new Set(pairs.flatMap((p) => [p.a.id, p.b.id]))];

/** Drops pairs with an issue the user may not browse (issue security), in one bulk call. */
export async function keepBrowsablePairs(pairs: PairRow[], seesAll = false): Promise<PairRow[]> {
  if (pairs.length === 0) return pairs;
  const ok = await browsableIssueIds(idsOf(pairs));
  return pairs.filter((p) => ok.has(p.a.id) && ok.has(p.b.id)).map((p) => withVisibleCluster(p, seesAll));
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
export async function browsablePairsWithLinkRight(pairs: PairRow[], seesAll = false): Promise<{ pairs: PairRow[]; canLink: (pair: PairRow) => boolean }> {
  if (pairs.length === 0) return { pairs, canLink: () => false };
  const { browse, link } = await accessForIssues(idsOf(pairs), true);
  return {
    pairs: pairs.filter((p) => browse.has(p.a.id) && browse.has(p.b.id)).map((p) => withVisibleCluster(p, seesAll)),
    canLink: (p) => link.has(p.a.id) || link.has(p.b.id),
  };
}
