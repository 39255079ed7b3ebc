/**
 * Stored issues rendered in Jira Cloud's REST v3 shapes, with Jira's field
 * selection rules (`*all`, `*navigable`, names, `-name` exclusions).
 */
import type { JiraCore } from './core';
import { toJiraTime } from './jira-time';
import type { Principal } from './principals';
import type { StatusCategoryKey, StoredComment, StoredIssue, StoredLink } from './types';

export const ALL_FIELDS = [
  'summary', 'description', 'issuetype', 'status', 'project', 'labels', 'components', 'created', 'updated',
  'priority', 'reporter', 'issuelinks', 'resolution', 'resolutiondate', 'versions', 'security', 'comment',
] as const;
const NAVIGABLE = new Set<string>(ALL_FIELDS.filter((f) => f !== 'comment'));
const KNOWN = new Set<string>(ALL_FIELDS);

const CATEGORIES = new Map<StatusCategoryKey, { id: number; colorName: string; name: string }>([
  ['new', { id: 2, colorName: 'blue-gray', name: 'To Do' }],
  ['indeterminate', { id: 4, colorName: 'yellow', name: 'In Progress' }],
  ['done', { id: 3, colorName: 'green', name: 'Done' }],
]);

/**
 * Which fields to render. `requested` undefined means the endpoint's default;
 * unknown names are ignored silently, as Jira does.
 */
export function selectFields(requested: string[] | undefined, fallback: '*all' | 'none'): Set<string> {
  const items = (requested ?? [fallback]).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f.length > 0);
  const chosen = new Set<string>();
  for (const item of items) {
    if (item === '*all') ALL_FIELDS.forEach((f) => chosen.add(f));
    else if (item === '*navigable') NAVIGABLE.forEach((f) => chosen.add(f));
    else if (!item.startsWith('-') && KNOWN.has(item)) chosen.add(item);
  }
  for (const item of items) if (item.startsWith('-')) chosen.delete(item.slice(1));
  return chosen;
}

export function userView(core: JiraCore, accountId: string | null): unknown {
  if (accountId === null) return null;
  const user = core.permissions.user(accountId);
  const isApp = accountId === core.permissions.appAccountId;
  return {
    self: core.api(`user?accountId=${encodeURIComponent(accountId)}`),
    accountId,
    displayName: user?.displayName ?? (isApp ? 'Dedupe for Jira' : accountId),
    active: true,
    accountType: isApp ? 'app' : 'atlassian',
    timeZone: 'Etc/UTC',
    avatarUrls: { '48x48': `${core.baseUrl}/avatar/${encodeURIComponent(accountId)}.png` },
  };
}

function statusView(core: JiraCore, issue: StoredIssue): unknown {
  const category = CATEGORIES.get(issue.statusCategory) ?? { id: 1, colorName: 'medium-gray', name: 'No Category' };
  const id = core.store.idFor('status', issue.status);
  return {
    self: core.api(`status/${id}`),
    id,
    name: issue.status,
    description: '',
    statusCategory: { self: core.api(`statuscategory/${category.id}`), id: category.id, key: issue.statusCategory, colorName: category.colorName, name: category.name },
  };
}

function issueTypeView(core: JiraCore, issue: StoredIssue): unknown {
  const t = core.store.issueTypes.get(issue.typeId);
  return { self: core.api(`issuetype/${issue.typeId}`), id: issue.typeId, name: t?.name ?? 'Unknown', description: t?.description ?? '', subtask: t?.name === 'Sub-task', hierarchyLevel: t?.name === 'Sub-task' ? -1 : t?.name === 'Epic' ? 1 : 0 };
}

function priorityView(core: JiraCore, name: string | null): unknown {
  if (name === null) return null;
  const id = core.store.idFor('priority', name);
  return { self: core.api(`priority/${id}`), id, name };
}

export function projectView(core: JiraCore, projectId: string): unknown {
  const p = core.store.projects.get(projectId);
  return { self: core.api(`project/${projectId}`), id: projectId, key: p?.key ?? '', name: p?.name ?? '', projectTypeKey: 'software', simplified: false };
}

/** The other end of a link, as Jira nests it: key and a few fields. */
function linkedIssueView(core: JiraCore, other: StoredIssue): unknown {
  return {
    id: other.id,
    key: other.key,
    self: core.api(`issue/${other.id}`),
    fields: { summary: other.summary, status: statusView(core, other), priority: priorityView(core, other.priority), issuetype: issueTypeView(core, other) },
  };
}

export function linkTypeView(core: JiraCore, typeId: string): unknown {
  const t = core.store.linkTypes.get(typeId);
  return { id: typeId, name: t?.name ?? '', inward: t?.inward ?? '', outward: t?.outward ?? '', self: core.api(`issueLinkType/${typeId}`) };
}

/** One entry of `fields.issuelinks` on `issue`, or null when the other end is hidden. */
function issueLinkEntry(core: JiraCore, principal: Principal, issue: StoredIssue, link: StoredLink): unknown {
  const isInward = link.inwardIssueId === issue.id;
  const other = core.store.issues.get(isInward ? link.outwardIssueId : link.inwardIssueId);
  if (!other || !core.permissions.canBrowseIssue(principal, other)) return null;
  return {
    id: link.id,
    self: core.api(`issueLink/${link.id}`),
    type: linkTypeView(core, link.typeId),
    ...(isInward ? { outwardIssue: linkedIssueView(core, other) } : { inwardIssue: linkedIssueView(core, other) }),
  };
}

/** `fields.security`, as Jira renders an issue security level; null when the issue has none. */
export function securityLevelView(core: JiraCore, levelId: string | null): unknown {
  if (levelId === null) return null;
  const l = core.store.securityLevels.get(levelId);
  return { self: core.api(`securitylevel/${levelId}`), id: levelId, name: l?.name ?? '', description: l?.description ?? '' };
}

export function commentView(core: JiraCore, c: StoredComment): unknown {
  return {
    self: core.api(`issue/${c.issueId}/comment/${c.id}`),
    id: c.id,
    author: userView(core, c.authorAccountId),
    body: c.body,
    updateAuthor: userView(core, c.authorAccountId),
    created: toJiraTime(c.created),
    updated: toJiraTime(c.updated),
    jsdPublic: true,
  };
}

function fieldValue(core: JiraCore, principal: Principal, issue: StoredIssue, field: string): unknown {
  switch (field) {
    case 'summary': return issue.summary;
    case 'description': return issue.description;
    case 'issuetype': return issueTypeView(core, issue);
    case 'status': return statusView(core, issue);
    case 'project': return projectView(core, issue.projectId);
    case 'labels': return [...issue.labels];
    case 'components': return issue.components.map((name) => {
      const id = core.store.idFor(`component:${issue.projectId}`, name);
      return { self: core.api(`component/${id}`), id, name };
    });
    case 'versions': return issue.versions.map((name) => {
      const id = core.store.idFor(`version:${issue.projectId}`, name);
      return { self: core.api(`version/${id}`), id, name, archived: false, released: true };
    });
    case 'created': return toJiraTime(issue.created);
    case 'updated': return toJiraTime(issue.updated);
    case 'resolutiondate': return issue.resolved === null ? null : toJiraTime(issue.resolved);
    case 'priority': return priorityView(core, issue.priority);
    case 'resolution': {
      if (issue.resolution === null) return null;
      const id = core.store.idFor('resolution', issue.resolution);
      return { self: core.api(`resolution/${id}`), id, name: issue.resolution, description: '' };
    }
    case 'reporter': return userView(core, issue.reporterAccountId);
    case 'security': return securityLevelView(core, issue.securityLevelId);
    case 'issuelinks':
      return core.store.linksOf(issue.id).map((l) => issueLinkEntry(core, principal, issue, l)).filter((e) => e !== null);
    case 'comment': {
      const comments = core.store.commentsOf(issue.id).map((c) => commentView(core, c));
      return { comments, self: core.api(`issue/${issue.id}/comment`), maxResults: comments.length, total: comments.length, startAt: 0 };
    }
    default: return undefined;
  }
}

export function renderFields(core: JiraCore, principal: Principal, issue: StoredIssue, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = fieldValue(core, principal, issue, f);
  return out;
}

export function renderIssue(core: JiraCore, principal: Principal, issue: StoredIssue, fields: Set<string>): Record<string, unknown> {
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: core.api(`issue/${issue.id}`),
    key: issue.key,
    fields: renderFields(core, principal, issue, fields),
  };
}
