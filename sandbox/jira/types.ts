/**
 * Data shapes shared by the stand-in's store, routes and seeders.
 *
 * The stored issue keeps Jira's own vocabulary (status category keys, ADF
 * descriptions, ISO timestamps) so rendering a response is a projection, not a
 * translation.
 */

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

/** ADF node: deliberately loose, Jira accepts any well-formed tree. */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: AdfNode[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export interface StandInUser {
  accountId: string;
  displayName: string;
  /** Holds the ADMINISTER global permission (Jira admin). */
  admin: boolean;
  /** Project keys this user may browse, or every project. */
  browse: '*' | string[];
  /** Project keys where this user holds LINK_ISSUES, or every project. */
  link: '*' | string[];
  /** Project keys this user may not browse even when `browse` is '*'. */
  browseDenied?: string[];
  /** Project keys where this user holds ADMINISTER_PROJECTS without being a Jira admin. */
  projectAdmin?: string[];
  /** Ids of the issue security levels this user is a member of (none when absent). */
  securityLevels?: string[];
}

export interface Project {
  id: string;
  key: string;
  name: string;
}

export interface IssueType {
  id: string;
  name: string;
  description: string;
}

/**
 * An issue security level: an issue carrying one is visible only to the
 * level's members (among those who may browse its project), and to the app.
 */
export interface SecurityLevel {
  id: string;
  name: string;
  description: string;
}

export interface StoredIssue {
  id: string;
  key: string;
  projectId: string;
  summary: string;
  /** null when the issue has no description (Jira answers `description: null`). */
  description: AdfDoc | null;
  typeId: string;
  status: string;
  statusCategory: StatusCategoryKey;
  priority: string | null;
  resolution: string | null;
  /** ISO 8601 with milliseconds, UTC. */
  created: string;
  updated: string;
  resolved: string | null;
  labels: string[];
  components: string[];
  versions: string[];
  reporterAccountId: string | null;
  /** The issue's security level (`SecurityLevel.id`), or null when it has none. */
  securityLevelId: string | null;
}

export interface LinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

/**
 * A link reads "inwardIssue <type.outward> outwardIssue": for Duplicate,
 * `{ inwardIssue: NEW, outwardIssue: OLD }` means "NEW duplicates OLD", which
 * is how NEW's issuelinks show it (`outwardIssue: OLD`) and OLD's show it
 * (`inwardIssue: NEW`, "is duplicated by").
 */
export interface StoredLink {
  id: string;
  typeId: string;
  inwardIssueId: string;
  outwardIssueId: string;
}

export interface StoredComment {
  id: string;
  issueId: string;
  authorAccountId: string;
  body: AdfDoc;
  created: string;
  updated: string;
}

export interface UiModificationContext {
  id: string;
  projectId: string | null;
  issueTypeId: string | null;
  viewType: string | null;
}

export interface StoredUiModification {
  id: string;
  name: string;
  description: string | null;
  data: string | null;
  contexts: UiModificationContext[];
}

/** What a seed (JSON file or generated backlog) describes. */
export interface SeedIssue {
  id?: string;
  key?: string;
  projectKey: string;
  summary: string;
  /** Wiki markup / plain text, or an ADF document. */
  description?: string | AdfDoc | null;
  type: string;
  status: string;
  statusCategory: StatusCategoryKey;
  priority?: string | null;
  resolution?: string | null;
  labels?: string[];
  components?: string[];
  versions?: string[];
  created: string;
  updated?: string | null;
  resolved?: string | null;
  /** accountId of a stand-in user. */
  reporter?: string | null;
  /** A security level by name or id (e.g. 'Security team'); absent or null: no level. */
  securityLevel?: string | null;
}

export interface SeedLink {
  type: string;
  /** Issue keys: "inward <outward phrase> outward", e.g. NEW duplicates OLD. */
  inward: string;
  outward: string;
}

export interface SeedData {
  projects: Project[];
  issueTypes?: IssueType[];
  issues: SeedIssue[];
  links?: SeedLink[];
}
