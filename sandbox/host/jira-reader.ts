/**
 * The shell reads Jira the way Jira's own UI would: over the stand-in's REST API,
 * as the signed-in user. A project the user cannot browse is therefore simply
 * absent from the shell too, and nothing here bypasses the stand-in's permissions.
 */
import { adfToText } from '../../src/engine/text/adf';
import { JiraReadError } from './jira-read-error';

export interface ProjectSummary {
  id: string;
  key: string;
  name: string;
}

export interface IssueRow {
  id: string;
  key: string;
  type: string;
  summary: string;
  status: string;
  statusCategory: string;
}

export interface IssueLinkRow {
  /** How the link reads from this issue, e.g. "duplicates" or "is duplicated by". */
  relation: string;
  typeName: string;
  key: string;
  summary: string;
  status: string;
}

export interface IssueDetail extends IssueRow {
  projectId: string;
  projectKey: string;
  typeId: string;
  description: string;
  labels: string[];
  components: string[];
  priority: string | null;
  resolution: string | null;
  reporter: string | null;
  created: string;
  updated: string;
  links: IssueLinkRow[];
}

export interface IssueTypeOption {
  id: string;
  name: string;
}

type Json = Record<string, unknown>;

const LIST_FIELDS = ['summary', 'issuetype', 'status'];
const DETAIL_FIELDS = [
  'summary', 'description', 'issuetype', 'status', 'project', 'labels', 'components',
  'priority', 'resolution', 'reporter', 'created', 'updated', 'issuelinks',
];

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

function named(value: unknown): string {
  return str(obj(value)['name']);
}

function toRow(issue: Json): IssueRow {
  const fields = obj(issue['fields']);
  const status = obj(fields['status']);
  return {
    id: str(issue['id']),
    key: str(issue['key']),
    type: named(fields['issuetype']),
    summary: str(fields['summary']),
    status: str(status['name']),
    statusCategory: str(obj(status['statusCategory'])['key'], 'new'),
  };
}

function toLink(link: Json): IssueLinkRow {
  const type = obj(link['type']);
  const outward = link['outwardIssue'] !== undefined;
  const other = obj(outward ? link['outwardIssue'] : link['inwardIssue']);
  const fields = obj(other['fields']);
  return {
    relation: str(outward ? type['outward'] : type['inward']),
    typeName: str(type['name']),
    key: str(other['key']),
    summary: str(fields['summary']),
    status: named(fields['status']),
  };
}

export class JiraReader {
  constructor(private readonly baseUrl: string) {}

  /** `accountId` null reads as the app: what Jira itself knows about the app's registrations. */
  private async request(accountId: string | null, method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        accept: 'application/json',
        'x-sandbox-principal': accountId === null ? 'app' : `user:${accountId}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = `Jira answered ${res.status} for ${method} ${path}`;
      try {
        const parsed = obj(JSON.parse(text));
        const messages = parsed['errorMessages'];
        const errors = obj(parsed['errors']);
        const all = [...(Array.isArray(messages) ? messages.map((m) => str(m)) : []), ...Object.values(errors).map((m) => str(m))];
        if (all.length > 0) message = all.join(' ');
      } catch {
        // Not JSON: keep the status line.
      }
      throw new JiraReadError(res.status, message);
    }
    return text ? JSON.parse(text) : null;
  }

  async projects(accountId: string): Promise<ProjectSummary[]> {
    const page = obj(await this.request(accountId, 'GET', '/rest/api/3/project/search?maxResults=100'));
    const values = Array.isArray(page['values']) ? page['values'] : [];
    return values.map((p) => {
      const project = obj(p);
      return { id: str(project['id']), key: str(project['key']), name: str(project['name']) };
    });
  }

  /** One page of a project's issues, newest first; `nextPageToken` when there are more. */
  async issues(accountId: string, projectKey: string, pageToken?: string): Promise<{ rows: IssueRow[]; nextPageToken: string | null }> {
    const page = obj(
      await this.request(accountId, 'POST', '/rest/api/3/search/jql', {
        jql: `project = "${projectKey.replace(/"/g, '')}" ORDER BY created DESC`,
        fields: LIST_FIELDS,
        maxResults: 50,
        ...(pageToken ? { nextPageToken: pageToken } : {}),
      }),
    );
    const issues = Array.isArray(page['issues']) ? page['issues'] : [];
    const next = page['nextPageToken'];
    return { rows: issues.map((i) => toRow(obj(i))), nextPageToken: typeof next === 'string' ? next : null };
  }

  async issue(accountId: string, key: string): Promise<IssueDetail> {
    const issue = obj(await this.request(accountId, 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}?fields=${DETAIL_FIELDS.join(',')}`));
    const fields = obj(issue['fields']);
    const project = obj(fields['project']);
    const links = Array.isArray(fields['issuelinks']) ? fields['issuelinks'] : [];
    return {
      ...toRow(issue),
      projectId: str(project['id']),
      projectKey: str(project['key']),
      typeId: str(obj(fields['issuetype'])['id']),
      description: fields['description'] ? adfToText(fields['description']) : '',
      labels: Array.isArray(fields['labels']) ? fields['labels'].map((l) => str(l)) : [],
      components: Array.isArray(fields['components']) ? fields['components'].map(named) : [],
      priority: named(fields['priority']) || null,
      resolution: named(fields['resolution']) || null,
      reporter: str(obj(fields['reporter'])['displayName']) || null,
      created: str(fields['created']),
      updated: str(fields['updated']),
      links: links.map((l) => toLink(obj(l))),
    };
  }

  async issueTypes(accountId: string, projectKey: string): Promise<IssueTypeOption[]> {
    const project = obj(await this.request(accountId, 'GET', `/rest/api/3/project/${encodeURIComponent(projectKey)}`));
    const types = Array.isArray(project['issueTypes']) ? project['issueTypes'] : [];
    return types.map((t) => ({ id: str(obj(t)['id']), name: str(obj(t)['name']) }));
  }

  /**
   * The app's UI modifications registered for the create dialog of this project and
   * issue type; Jira runs a jira:uiModifications resource only where one is.
   */
  async uiModifications(projectId: string, issueTypeId: string): Promise<Array<{ id: string; data?: string }>> {
    const page = obj(await this.request(null, 'GET', '/rest/api/3/uiModifications?expand=data,contexts&maxResults=100'));
    const values = Array.isArray(page['values']) ? page['values'].map(obj) : [];
    const matches = (c: Json) =>
      (c['projectId'] == null || str(c['projectId']) === projectId) &&
      (c['issueTypeId'] == null || str(c['issueTypeId']) === issueTypeId) &&
      (c['viewType'] == null || c['viewType'] === 'GIC');
    return values
      .filter((m) => Array.isArray(m['contexts']) && m['contexts'].map(obj).some(matches))
      .map((m) => ({ id: str(m['id']), ...(typeof m['data'] === 'string' ? { data: m['data'] } : {}) }));
  }

  async createIssue(
    accountId: string,
    input: { projectKey: string; issueTypeId: string; summary: string; description: string },
  ): Promise<{ id: string; key: string }> {
    const fields: Json = {
      project: { key: input.projectKey },
      issuetype: { id: input.issueTypeId },
      summary: input.summary,
    };
    if (input.description.trim()) {
      fields['description'] = {
        type: 'doc',
        version: 1,
        content: input.description
          .split(/\n{2,}/)
          .map((para) => ({ type: 'paragraph', content: [{ type: 'text', text: para }] })),
      };
    }
    const created = obj(await this.request(accountId, 'POST', '/rest/api/3/issue', { fields }));
    return { id: str(created['id']), key: str(created['key']) };
  }
}
