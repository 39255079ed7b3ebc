/**
 * The stand-in's state: projects, issue types, issue security levels, issues,
 * links, comments and UI modifications, with the indexes search needs to stay
 * fast at 20,000+ issues (issues by project, keys by id, links by issue).
 */
import type {
  IssueType,
  LinkType,
  Project,
  SecurityLevel,
  StoredComment,
  StoredIssue,
  StoredLink,
  StoredUiModification,
} from './types';

export const DEFAULT_ISSUE_TYPES: IssueType[] = [
  { id: '10001', name: 'Bug', description: 'A problem which impairs or prevents the functions of the product.' },
  { id: '10002', name: 'Story', description: 'A user story: functionality described from the user\u2019s point of view.' },
  { id: '10003', name: 'Task', description: 'A task that needs to be done.' },
  { id: '10004', name: 'Epic', description: 'A big user story that needs to be broken down.' },
  { id: '10005', name: 'Improvement', description: 'An improvement or enhancement to an existing feature.' },
  { id: '10006', name: 'Sub-task', description: 'A small piece of work that is part of a larger task.' },
];

/** Jira's default link types, ids as a fresh Jira Cloud site numbers them. */
export const DEFAULT_LINK_TYPES: LinkType[] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

/** Issue security levels every stand-in starts with (`DEFAULT_USERS` says who is in them). */
export const DEFAULT_SECURITY_LEVELS: SecurityLevel[] = [
  { id: '10100', name: 'Security team', description: 'Visible to the security team only.' },
];

/**
 * Ids Jira gives its stock statuses, priorities and resolutions; names a seed
 * brings that are not here get the next free id of their kind.
 */
const WELL_KNOWN_IDS = new Map<string, string>([
  ['status:open', '1'], ['status:in progress', '3'], ['status:reopened', '4'], ['status:resolved', '5'],
  ['status:closed', '6'], ['status:to do', '10000'], ['status:done', '10001'],
  ['priority:highest', '1'], ['priority:high', '2'], ['priority:medium', '3'], ['priority:low', '4'], ['priority:lowest', '5'],
  ['priority:blocker', '10000'], ['priority:critical', '10001'], ['priority:major', '10002'], ['priority:minor', '10003'], ['priority:trivial', '10004'],
  ['resolution:fixed', '10000'], ["resolution:won't fix", '10001'], ['resolution:duplicate', '10002'],
  ['resolution:incomplete', '10003'], ['resolution:cannot reproduce', '10004'], ['resolution:done', '10005'],
]);

function keyNumber(key: string): number {
  const n = Number(key.slice(key.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : 0;
}

export class JiraStore {
  readonly projects = new Map<string, Project>();
  readonly issueTypes = new Map<string, IssueType>();
  readonly linkTypes = new Map<string, LinkType>();
  readonly securityLevels = new Map<string, SecurityLevel>();
  readonly issues = new Map<string, StoredIssue>();
  readonly links = new Map<string, StoredLink>();
  readonly comments = new Map<string, StoredComment[]>();
  readonly uiModifications = new Map<string, StoredUiModification>();

  private readonly projectByKey = new Map<string, string>();
  private readonly issueIdByKey = new Map<string, string>();
  private readonly issuesByProject = new Map<string, Set<string>>();
  private readonly linksByIssue = new Map<string, Set<string>>();
  private readonly lastKeyNumber = new Map<string, number>();
  private nextIssueNumericId = 10000;
  private nextLinkNumericId = 10000;
  private nextCommentNumericId = 10000;
  private nextUimNumericId = 1;
  private readonly namedIds = new Map<string, string>(WELL_KNOWN_IDS);
  private readonly nextNamedId = new Map<string, number>();

  constructor() {
    for (const t of DEFAULT_ISSUE_TYPES) this.issueTypes.set(t.id, t);
    for (const t of DEFAULT_LINK_TYPES) this.linkTypes.set(t.id, t);
    for (const l of DEFAULT_SECURITY_LEVELS) this.securityLevels.set(l.id, l);
  }

  /** Forget every issue, link, comment, project and UI modification. */
  clear(): void {
    this.projects.clear();
    this.issues.clear();
    this.links.clear();
    this.comments.clear();
    this.uiModifications.clear();
    this.projectByKey.clear();
    this.issueIdByKey.clear();
    this.issuesByProject.clear();
    this.linksByIssue.clear();
    this.lastKeyNumber.clear();
  }

  addProject(p: Project): void {
    const existing = this.projectByKey.get(p.key);
    if (existing !== undefined && existing !== p.id) throw new Error(`project key ${p.key} already used by project ${existing}`);
    this.projects.set(p.id, p);
    this.projectByKey.set(p.key, p.id);
    if (!this.issuesByProject.has(p.id)) this.issuesByProject.set(p.id, new Set());
  }

  /** By id, key, or (case-insensitive) name, as JQL's `project = X` accepts. */
  findProject(ref: string): Project | undefined {
    const byId = this.projects.get(ref);
    if (byId) return byId;
    const id = this.projectByKey.get(ref.toUpperCase());
    if (id !== undefined) return this.projects.get(id);
    const lower = ref.toLowerCase();
    for (const p of this.projects.values()) if (p.name.toLowerCase() === lower) return p;
    return undefined;
  }

  addIssueType(t: IssueType): void {
    this.issueTypes.set(t.id, t);
  }

  findIssueType(ref: string): IssueType | undefined {
    const byId = this.issueTypes.get(ref);
    if (byId) return byId;
    const lower = ref.toLowerCase();
    for (const t of this.issueTypes.values()) if (t.name.toLowerCase() === lower) return t;
    return undefined;
  }

  addSecurityLevel(l: SecurityLevel): void {
    this.securityLevels.set(l.id, l);
  }

  /** By id or (case-insensitive) name. */
  findSecurityLevel(ref: string): SecurityLevel | undefined {
    const byId = this.securityLevels.get(ref);
    if (byId) return byId;
    const lower = ref.toLowerCase();
    for (const l of this.securityLevels.values()) if (l.name.toLowerCase() === lower) return l;
    return undefined;
  }

  findLinkType(ref: { id?: string; name?: string }): LinkType | undefined {
    if (ref.id !== undefined) return this.linkTypes.get(ref.id);
    if (ref.name === undefined) return undefined;
    const lower = ref.name.toLowerCase();
    for (const t of this.linkTypes.values()) if (t.name.toLowerCase() === lower) return t;
    return undefined;
  }

  allocateIssueId(): string {
    while (this.issues.has(String(this.nextIssueNumericId))) this.nextIssueNumericId++;
    return String(this.nextIssueNumericId++);
  }

  allocateIssueKey(projectKey: string): string {
    let n = (this.lastKeyNumber.get(projectKey) ?? 0) + 1;
    while (this.issueIdByKey.has(`${projectKey}-${n}`)) n++;
    this.lastKeyNumber.set(projectKey, n);
    return `${projectKey}-${n}`;
  }

  /** Inserts or replaces an issue (same id), keeping every index in step. */
  putIssue(issue: StoredIssue): void {
    const previous = this.issues.get(issue.id);
    if (previous) {
      this.issueIdByKey.delete(previous.key);
      this.issuesByProject.get(previous.projectId)?.delete(previous.id);
    }
    const clash = this.issueIdByKey.get(issue.key);
    if (clash !== undefined && clash !== issue.id) throw new Error(`issue key ${issue.key} already used by issue ${clash}`);
    this.issues.set(issue.id, issue);
    this.issueIdByKey.set(issue.key, issue.id);
    let bucket = this.issuesByProject.get(issue.projectId);
    if (!bucket) {
      bucket = new Set();
      this.issuesByProject.set(issue.projectId, bucket);
    }
    bucket.add(issue.id);
    const project = this.projects.get(issue.projectId);
    if (project) {
      const n = keyNumber(issue.key);
      if (n > (this.lastKeyNumber.get(project.key) ?? 0)) this.lastKeyNumber.set(project.key, n);
    }
    const numeric = Number(issue.id);
    if (Number.isSafeInteger(numeric) && numeric >= this.nextIssueNumericId) this.nextIssueNumericId = numeric + 1;
  }

  /** By numeric id or key (keys are matched case-insensitively, as Jira does). */
  getIssue(idOrKey: string): StoredIssue | undefined {
    const byId = this.issues.get(idOrKey);
    if (byId) return byId;
    const id = this.issueIdByKey.get(idOrKey.toUpperCase()) ?? this.issueIdByKey.get(idOrKey);
    return id === undefined ? undefined : this.issues.get(id);
  }

  removeIssue(id: string): StoredIssue | undefined {
    const issue = this.issues.get(id);
    if (!issue) return undefined;
    for (const linkId of [...(this.linksByIssue.get(id) ?? [])]) this.removeLink(linkId);
    this.issues.delete(id);
    this.issueIdByKey.delete(issue.key);
    this.issuesByProject.get(issue.projectId)?.delete(id);
    this.comments.delete(id);
    this.linksByIssue.delete(id);
    return issue;
  }

  *issuesIn(projectId: string): Iterable<StoredIssue> {
    for (const id of this.issuesByProject.get(projectId) ?? []) {
      const issue = this.issues.get(id);
      if (issue) yield issue;
    }
  }

  findLink(typeId: string, inwardIssueId: string, outwardIssueId: string): StoredLink | undefined {
    for (const linkId of this.linksByIssue.get(inwardIssueId) ?? []) {
      const l = this.links.get(linkId);
      if (l && l.typeId === typeId && l.inwardIssueId === inwardIssueId && l.outwardIssueId === outwardIssueId) return l;
    }
    return undefined;
  }

  addLink(typeId: string, inwardIssueId: string, outwardIssueId: string): StoredLink {
    const existing = this.findLink(typeId, inwardIssueId, outwardIssueId);
    if (existing) return existing;
    const link: StoredLink = { id: String(this.nextLinkNumericId++), typeId, inwardIssueId, outwardIssueId };
    this.links.set(link.id, link);
    for (const issueId of [inwardIssueId, outwardIssueId]) {
      let set = this.linksByIssue.get(issueId);
      if (!set) {
        set = new Set();
        this.linksByIssue.set(issueId, set);
      }
      set.add(link.id);
    }
    return link;
  }

  removeLink(id: string): StoredLink | undefined {
    const link = this.links.get(id);
    if (!link) return undefined;
    this.links.delete(id);
    this.linksByIssue.get(link.inwardIssueId)?.delete(id);
    this.linksByIssue.get(link.outwardIssueId)?.delete(id);
    return link;
  }

  linksOf(issueId: string): StoredLink[] {
    const out: StoredLink[] = [];
    for (const linkId of this.linksByIssue.get(issueId) ?? []) {
      const l = this.links.get(linkId);
      if (l) out.push(l);
    }
    return out;
  }

  addComment(issueId: string, authorAccountId: string, body: StoredComment['body'], at: string): StoredComment {
    const comment: StoredComment = { id: String(this.nextCommentNumericId++), issueId, authorAccountId, body, created: at, updated: at };
    const list = this.comments.get(issueId) ?? [];
    list.push(comment);
    this.comments.set(issueId, list);
    return comment;
  }

  commentsOf(issueId: string): StoredComment[] {
    return this.comments.get(issueId) ?? [];
  }

  /**
   * A stable id for a named thing of a kind (status, priority, resolution,
   * component:<projectId>, version:<projectId>), allocated on first sight.
   */
  idFor(kind: string, name: string): string {
    const k = `${kind}:${name.toLowerCase()}`;
    const known = this.namedIds.get(k);
    if (known !== undefined) return known;
    const taken = new Set([...this.namedIds].filter(([key]) => key.startsWith(`${kind}:`)).map(([, v]) => v));
    let n = this.nextNamedId.get(kind) ?? 10100;
    while (taken.has(String(n))) n++;
    this.nextNamedId.set(kind, n + 1);
    this.namedIds.set(k, String(n));
    return String(n);
  }

  allocateUiModificationId(): string {
    // Jira's UIM ids are UUIDs; a readable counter is enough to tell them apart.
    return `uim-${this.nextUimNumericId++}`;
  }
}
