/**
 * Creating, changing and deleting issues, shared by the REST routes, the
 * programmatic API and the seeders, so every path emits the same product
 * events (`avi:jira:created|updated|deleted:issue`) in Forge's payload shapes.
 */
import { adfToPlainText, wikiToAdf } from './adf';
import type { JiraCore } from './core';
import { renderFields, userView } from './issue-view';
import { IssueInputError } from './issue-input-error';
import type { Principal } from './principals';
import type { AdfDoc, SecurityLevel, StatusCategoryKey, StoredIssue } from './types';

export interface IssueInput {
  projectKey: string;
  summary: string;
  description?: string | AdfDoc | null;
  type?: string;
  status?: string;
  statusCategory?: StatusCategoryKey;
  priority?: string | null;
  resolution?: string | null;
  labels?: string[];
  components?: string[];
  versions?: string[];
  reporter?: string | null;
  /** Issue security level by id or name; absent or null: none. */
  securityLevel?: string | null;
  /** ISO timestamps; default now. */
  created?: string;
  updated?: string | null;
  resolved?: string | null;
  /** Seeds keep Jira's ids and keys; new issues get the next free ones. */
  id?: string;
  key?: string;
}

/** `projectKey` moves the issue (Jira's "Move"): same id, a new key in that project. */
export type IssueChanges = Partial<
  Pick<IssueInput, 'summary' | 'description' | 'type' | 'status' | 'statusCategory' | 'priority' | 'resolution' | 'labels' | 'components' | 'versions' | 'securityLevel' | 'projectKey'>
>;

const CATEGORY_BY_STATUS = new Map<string, StatusCategoryKey>([
  ['to do', 'new'], ['open', 'new'], ['new', 'new'], ['backlog', 'new'], ['reopened', 'new'], ['selected for development', 'new'],
  ['in progress', 'indeterminate'], ['in review', 'indeterminate'], ['patch available', 'indeterminate'], ['blocked', 'indeterminate'],
  ['done', 'done'], ['closed', 'done'], ['resolved', 'done'], ["won't do", 'done'],
]);

export function inferStatusCategory(status: string): StatusCategoryKey {
  return CATEGORY_BY_STATUS.get(status.toLowerCase()) ?? 'new';
}

export function toAdf(description: string | AdfDoc | null | undefined): AdfDoc | null {
  if (description === null || description === undefined) return null;
  if (typeof description === 'string') return wikiToAdf(description);
  return description.content.length === 0 ? null : description;
}

const EVENT_FIELDS = new Set(['summary', 'issuetype', 'project', 'status', 'created', 'updated', 'labels', 'priority', 'reporter', 'components']);

function eventIssue(core: JiraCore, issue: StoredIssue): unknown {
  const app: Principal = { kind: 'app', accountId: core.permissions.appAccountId };
  const fields = renderFields(core, app, issue, EVENT_FIELDS);
  return { id: issue.id, key: issue.key, fields: { ...fields, creator: userView(core, issue.reporterAccountId), assignee: null } };
}

function actorId(core: JiraCore, actor: Principal): string | null {
  return actor.kind === 'none' ? null : actor.accountId;
}

/** Jira Cloud's words for a level that does not exist or that the caller may not set. */
const INVALID_SECURITY_LEVEL = 'Specify a valid value for Security Level';

/**
 * The level a create or edit names (null: none). Unknown → an input error; with
 * an actor, a user may only set a level they are a member of, as in Jira (so an
 * issue cannot be hidden from the person who hides it); the app may set any.
 */
function securityLevelFor(core: JiraCore, ref: string | null | undefined, actor: Principal | null): SecurityLevel | null {
  if (ref === null || ref === undefined) return null;
  const level = core.store.findSecurityLevel(ref);
  if (!level || (actor !== null && !core.permissions.inSecurityLevel(actor, level.id))) {
    throw new IssueInputError('security', INVALID_SECURITY_LEVEL);
  }
  return level;
}

function buildIssue(core: JiraCore, input: IssueInput): StoredIssue {
  const project = core.store.findProject(input.projectKey);
  if (!project) throw new IssueInputError('project', 'valid project is required');
  if (input.summary.trim().length === 0) throw new IssueInputError('summary', 'You must specify a summary of the issue.');
  if (input.summary.length > 255) throw new IssueInputError('summary', 'Summary must be less than 255 characters.');
  const type = core.store.findIssueType(input.type ?? 'Task');
  if (!type) throw new IssueInputError('issuetype', 'Specify a valid issue type');
  const level = securityLevelFor(core, input.securityLevel, null);
  const now = core.nowIso();
  const status = input.status ?? 'To Do';
  const created = input.created ?? now;
  return {
    id: input.id ?? core.store.allocateIssueId(),
    key: input.key ?? core.store.allocateIssueKey(project.key),
    projectId: project.id,
    summary: input.summary,
    description: toAdf(input.description),
    typeId: type.id,
    status,
    statusCategory: input.statusCategory ?? inferStatusCategory(status),
    priority: input.priority ?? null,
    resolution: input.resolution ?? null,
    created,
    updated: input.updated ?? created,
    resolved: input.resolved ?? null,
    labels: [...(input.labels ?? [])],
    components: [...(input.components ?? [])],
    versions: [...(input.versions ?? [])],
    reporterAccountId: input.reporter ?? null,
    securityLevelId: level?.id ?? null,
  };
}

/** Stores an issue without emitting events (seeding a backlog is not activity). */
export function insertIssue(core: JiraCore, input: IssueInput): StoredIssue {
  const issue = buildIssue(core, input);
  core.store.putIssue(issue);
  core.touch();
  return issue;
}

export function createIssue(core: JiraCore, input: IssueInput, actor: Principal): StoredIssue {
  securityLevelFor(core, input.securityLevel, actor);
  const issue = insertIssue(core, { ...input, reporter: input.reporter === undefined ? actorId(core, actor) : input.reporter });
  core.events.emit('avi:jira:created:issue', {
    eventType: 'avi:jira:created:issue',
    atlassianId: actorId(core, actor),
    issue: eventIssue(core, issue),
  });
  return issue;
}

interface ChangeItem {
  field: string;
  fieldtype: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

function item(field: string, from: string | null, fromString: string | null, to: string | null, toString: string | null): ChangeItem {
  return { field, fieldtype: 'jira', fieldId: field, from, fromString, to, toString };
}

export function updateIssue(core: JiraCore, issue: StoredIssue, changes: IssueChanges, actor: Principal): StoredIssue {
  const next: StoredIssue = { ...issue, labels: [...issue.labels], components: [...issue.components], versions: [...issue.versions] };
  const items: ChangeItem[] = [];
  if (changes.summary !== undefined && changes.summary !== issue.summary) {
    if (changes.summary.trim().length === 0) throw new IssueInputError('summary', 'You must specify a summary of the issue.');
    next.summary = changes.summary;
    items.push(item('summary', null, issue.summary, null, changes.summary));
  }
  if (changes.description !== undefined) {
    const adf = toAdf(changes.description);
    if (JSON.stringify(adf) !== JSON.stringify(issue.description)) {
      next.description = adf;
      items.push(item('description', null, adfToPlainText(issue.description), null, adfToPlainText(adf)));
    }
  }
  if (changes.projectKey !== undefined) {
    const project = core.store.findProject(changes.projectKey);
    if (!project) throw new IssueInputError('project', 'Specify a valid project ID or key');
    if (project.id !== issue.projectId) {
      const from = core.store.projects.get(issue.projectId);
      next.projectId = project.id;
      next.key = core.store.allocateIssueKey(project.key);
      items.push(item('project', issue.projectId, from?.name ?? null, project.id, project.name));
      items.push(item('Key', null, issue.key, null, next.key));
    }
  }
  if (changes.type !== undefined) {
    const type = core.store.findIssueType(changes.type);
    if (!type) throw new IssueInputError('issuetype', 'Specify a valid issue type');
    if (type.id !== issue.typeId) {
      next.typeId = type.id;
      items.push(item('issuetype', issue.typeId, core.store.issueTypes.get(issue.typeId)?.name ?? null, type.id, type.name));
    }
  }
  if (changes.status !== undefined && changes.status !== issue.status) {
    next.status = changes.status;
    next.statusCategory = changes.statusCategory ?? inferStatusCategory(changes.status);
    items.push(item('status', core.store.idFor('status', issue.status), issue.status, core.store.idFor('status', changes.status), changes.status));
  } else if (changes.statusCategory !== undefined) next.statusCategory = changes.statusCategory;
  if (changes.priority !== undefined && changes.priority !== issue.priority) {
    next.priority = changes.priority;
    const id = (n: string | null): string | null => (n === null ? null : core.store.idFor('priority', n));
    items.push(item('priority', id(issue.priority), issue.priority, id(changes.priority), changes.priority));
  }
  if (changes.resolution !== undefined && changes.resolution !== issue.resolution) {
    next.resolution = changes.resolution;
    next.resolved = changes.resolution === null ? null : core.nowIso();
    items.push(item('resolution', null, issue.resolution, null, changes.resolution));
  }
  for (const field of ['labels', 'components', 'versions'] as const) {
    const value = changes[field];
    if (value === undefined || value.join('\u0000') === issue[field].join('\u0000')) continue;
    next[field] = [...value];
    const name = field === 'components' ? 'Component' : field === 'versions' ? 'Version' : 'labels';
    items.push(item(name, null, issue[field].join(' ') || null, null, value.join(' ') || null));
  }
  if (changes.securityLevel !== undefined) {
    const level = securityLevelFor(core, changes.securityLevel, actor);
    const to = level?.id ?? null;
    if (to !== issue.securityLevelId) {
      const from = issue.securityLevelId === null ? null : (core.store.securityLevels.get(issue.securityLevelId) ?? null);
      next.securityLevelId = to;
      items.push(item('security', from?.id ?? issue.securityLevelId, from?.name ?? null, to, level?.name ?? null));
    }
  }
  if (items.length === 0) return issue;
  next.updated = core.nowIso();
  core.store.putIssue(next);
  core.touch();
  core.events.emit('avi:jira:updated:issue', {
    eventType: 'avi:jira:updated:issue',
    atlassianId: actorId(core, actor),
    issue: eventIssue(core, next),
    changelog: { id: String(core.version), items },
  });
  return next;
}

export function deleteIssue(core: JiraCore, issue: StoredIssue, actor: Principal): void {
  const payloadIssue = eventIssue(core, issue);
  core.store.removeIssue(issue.id);
  core.touch();
  core.events.emit('avi:jira:deleted:issue', {
    eventType: 'avi:jira:deleted:issue',
    atlassianId: actorId(core, actor),
    issue: payloadIssue,
  });
}
