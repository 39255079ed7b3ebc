/**
 * What the acting user may do in Jira, asked of Jira on every call (never cached in
 * module scope: containers are shared between sites and users).
 *
 * Everything goes through `POST /rest/api/3/permissions/check`. Inside a resolver it is
 * sent as the user without an `accountId`, so Jira answers for the caller and the answer is
 * exactly what it would enforce. Where no user session exists (the issue badge's dynamic
 * properties) it is sent as the app *about* the viewer's `accountId` (the app's account
 * holds the admin right Jira asks for to check other users). One call can
 * carry several questions (global ADMINISTER, BROWSE on these issues, LINK on those), which
 * is how the hot paths stay at one round trip.
 */
import { z } from 'zod';
import { jira, route } from './client';

export type ProjectPermission = 'BROWSE_PROJECTS' | 'LINK_ISSUES' | 'ADMINISTER_PROJECTS';

export interface PermissionQuestion {
  permission: ProjectPermission;
  /** Issue ids (numeric strings): answered at issue level, so issue security counts. */
  issueIds?: string[];
  /** Project ids (numeric strings). */
  projectIds?: string[];
}

export interface PermissionAnswers {
  admin: boolean;
  /** Per question, in order: the issue ids and project ids the user holds it on. */
  granted: Array<{ issueIds: Set<string>; projectIds: Set<string> }>;
}

const checkResponse = z.object({
  globalPermissions: z.array(z.string()).optional(),
  projectPermissions: z
    .array(
      z.object({
        permission: z.string(),
        issues: z.array(z.union([z.number(), z.string()])).optional(),
        projects: z.array(z.union([z.number(), z.string()])).optional(),
      }),
    )
    .optional(),
});

/** Jira's bulk check takes at most this many issues per entry; bigger lists are split. */
const MAX_IDS_PER_ENTRY = 1000;

const numericIds = (ids: string[] | undefined): number[] =>
  (ids ?? []).filter((id) => /^\d{1,18}$/.test(id)).map((id) => Number(id));

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Entry {
  question: number;
  permissions: [ProjectPermission];
  issues: number[];
  projects: number[];
}

/**
 * Asks Jira, as the acting user, every question in one request (or a few when the id
 * lists are long). Ids that are not numeric cannot be Jira ids and are never granted.
 */
export async function checkPermissions(opts: {
  admin?: boolean;
  questions?: PermissionQuestion[];
  deadlineMs?: number;
  /** An end shared with the caller's other Jira calls (epoch ms; see `JiraRequestOptions.deadlineAt`). */
  deadlineAt?: number;
  /** Ask as the app about this account instead of as the acting user. */
  onBehalfOf?: string;
}): Promise<PermissionAnswers> {
  const questions = opts.questions ?? [];
  const entries: Entry[] = [];
  questions.forEach((q, question) => {
    const issues = numericIds(q.issueIds);
    const projects = numericIds(q.projectIds);
    // Jira checks the project permission on the listed issues and projects; an entry
    // with neither would be read as "any project", which is not the question.
    for (const part of chunk(issues, MAX_IDS_PER_ENTRY)) entries.push({ question, permissions: [q.permission], issues: part, projects: [] });
    if (projects.length > 0) entries.push({ question, permissions: [q.permission], issues: [], projects });
  });

  const answers: PermissionAnswers = { admin: false, granted: questions.map(() => ({ issueIds: new Set(), projectIds: new Set() })) };
  if (!opts.admin && entries.length === 0) return answers;

  // Entries for one permission come back merged by Jira, so each request holds at most
  // one entry per permission and we can attribute the answer to its question.
  const batches: Entry[][] = [];
  for (const entry of entries) {
    const batch = batches.find((b) => !b.some((e) => e.permissions[0] === entry.permissions[0]));
    if (batch) batch.push(entry);
    else batches.push([entry]);
  }
  if (batches.length === 0) batches.push([]);

  await Promise.all(
    batches.map(async (batch, index) => {
      const body: Record<string, unknown> = {
        projectPermissions: batch.map((e) => ({ permissions: e.permissions, issues: e.issues, projects: e.projects })),
      };
      if (opts.admin && index === 0) body['globalPermissions'] = ['ADMINISTER'];
      if (opts.onBehalfOf !== undefined) body['accountId'] = opts.onBehalfOf;
      const actor = opts.onBehalfOf !== undefined ? ({ as: 'app' } as const) : ({ as: 'user' } as const);
      const { data } = await jira(actor, 'POST', route`/rest/api/3/permissions/check`, {
        body,
        schema: checkResponse,
        ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
        ...(opts.deadlineAt !== undefined ? { deadlineAt: opts.deadlineAt } : {}),
      });
      if (opts.admin && index === 0) answers.admin = (data.globalPermissions ?? []).includes('ADMINISTER');
      for (const granted of data.projectPermissions ?? []) {
        const entry = batch.find((e) => e.permissions[0] === granted.permission);
        if (!entry) continue;
        const target = answers.granted[entry.question];
        if (!target) continue;
        for (const id of granted.issues ?? []) target.issueIds.add(String(id));
        for (const id of granted.projects ?? []) target.projectIds.add(String(id));
      }
    }),
  );
  return answers;
}

/** True when the acting user holds Jira's global ADMINISTER permission. */
export async function isJiraAdmin(): Promise<boolean> {
  return (await checkPermissions({ admin: true })).admin;
}

/**
 * The subset of `issueIds` the acting user (or `onBehalfOf`) may browse: project permission
 * and issue security. `budget.deadlineAt`: an end shared with the caller's other Jira calls.
 */
export async function browsableIssueIds(issueIds: string[], onBehalfOf?: string, budget: { deadlineAt?: number } = {}): Promise<Set<string>> {
  if (issueIds.length === 0) return new Set();
  const answers = await checkPermissions({
    questions: [{ permission: 'BROWSE_PROJECTS', issueIds: [...new Set(issueIds)] }],
    ...(onBehalfOf !== undefined ? { onBehalfOf } : {}),
    ...(budget.deadlineAt !== undefined ? { deadlineAt: budget.deadlineAt } : {}),
  });
  return answers.granted[0]?.issueIds ?? new Set();
}

/** The subset of `projects` the acting user may browse, by key. `budget.deadlineAt` as for `browsableIssueIds`. */
export async function browsableProjects<P extends { id: string; key: string }>(projects: P[], budget: { deadlineAt?: number } = {}): Promise<P[]> {
  if (projects.length === 0) return [];
  const answers = await checkPermissions({
    questions: [{ permission: 'BROWSE_PROJECTS', projectIds: projects.map((p) => p.id) }],
    ...(budget.deadlineAt !== undefined ? { deadlineAt: budget.deadlineAt } : {}),
  });
  const granted = answers.granted[0]?.projectIds ?? new Set<string>();
  return projects.filter((p) => granted.has(p.id));
}
