/**
 * The parts of a Jira issue the pipeline relies on, zod-checked, and the one-issue fetch.
 * Search pages (search.ts) and single-issue reads share `jiraIssueSchema`.
 */
import { z } from 'zod';
import type { StatusCategory } from '../shared/contract';
import { jira, route } from './client';

/** Only these fields are requested: everything the engine and the lists need, nothing more. */
export const ISSUE_FIELDS = ['summary', 'description', 'issuetype', 'status', 'project', 'labels', 'components', 'created', 'updated', 'issuelinks', 'security', 'resolution'] as const;

export const jiraIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    summary: z.string().nullish(),
    // ADF document (v3) or, from older sources, a string: the engine accepts both.
    description: z.unknown().optional(),
    issuetype: z.object({ name: z.string() }).nullish(),
    status: z
      .object({
        name: z.string(),
        statusCategory: z.object({ key: z.string() }).nullish(),
      })
      .nullish(),
    project: z.object({ key: z.string() }),
    labels: z.array(z.string()).nullish(),
    components: z.array(z.object({ name: z.string() })).nullish(),
    created: z.string().nullish(),
    updated: z.string().nullish(),
    // Read entry by entry (duplicateLinkedIds in links.ts): one odd link must not cost the page.
    issuelinks: z.array(z.unknown()).nullish(),
    // The issue's security level, if any: only its members (among those who may browse the
    // project) see the issue, so counts shown to others leave it out (src/resolvers/visibility.ts).
    security: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).nullish(),
    // "Duplicate" says which issue someone already closed as the duplicate: the link's default way.
    resolution: z.object({ name: z.string() }).nullish(),
  }),
});

export type JiraIssue = z.infer<typeof jiraIssueSchema>;

/** Jira's timestamps look like 2024-01-15T10:20:30.000+0000; Date.parse wants +00:00. */
export function parseJiraTime(value: string | null | undefined): number {
  if (!value) return 0;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? 0 : ms;
}

export function statusCategoryOf(issue: JiraIssue): StatusCategory {
  const key = issue.fields.status?.statusCategory?.key;
  return key === 'new' || key === 'indeterminate' || key === 'done' ? key : 'unknown';
}

/**
 * One issue asApp, with just the fields the engine needs. Returns null when Jira says 404
 * (deleted meanwhile, or moved where the app cannot see it).
 */
export async function fetchIssue(idOrKey: string, opts: { deadlineMs?: number; deadlineAt?: number; maxWaitSeconds?: number } = {}): Promise<JiraIssue | null> {
  try {
    const { data } = await jira({ as: 'app' }, 'GET', route`/rest/api/3/issue/${idOrKey}?fields=${ISSUE_FIELDS.join(',')}`, {
      schema: jiraIssueSchema,
      ...opts,
    });
    return data;
  } catch (err) {
    if (err instanceof Error && 'code' in err && (err as { code: unknown }).code === 'NOT_FOUND') return null;
    throw err;
  }
}
