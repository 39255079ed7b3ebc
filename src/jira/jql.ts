/** Validation of JQL typed by people (the settings' extra filter). */
import { z } from 'zod';
import { jira, route } from './client';
import { JiraError } from './errors';

const parseResponse = z.object({
  queries: z.array(z.object({ query: z.string().optional(), errors: z.array(z.string()).optional() })),
});

export interface JqlCheck {
  valid: boolean;
  /** Jira's own messages: they point at the word and position, which is what a person needs. */
  errors: string[];
}

/**
 * JQL functions whose answer depends on who searches. The admin's filter is applied by
 * analyses, which search as the app: for it `currentUser()` is nobody and `watchedIssues()`
 * nothing, though the same filter looks right when the admin tries it. The functions that
 * name someone only when given no one (`projectsLeadByUser()`) count only called empty;
 * `projectsWhereUserHasPermission("Edit Issues")` and `…HasRole("Developers")` always mean
 * whoever searches (their argument is a permission or a role).
 */
const WHOEVER_SEARCHES =
  /\b(currentUser|currentLogin|lastLogin|watchedIssues|votedIssues|issueHistory|recentProjects|myApproval|myPending|projectsWhereUserHasPermission|projectsWhereUserHasRole)\s*\(|\b(projectsLeadByUser|componentsLeadByUser)\s*\(\s*\)/giu;

/** The user-relative functions a query calls outside quoted text, as written, once each. */
export function userRelativeFunctions(jql: string): string[] {
  const outsideQuotes = jql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/gsu, '""');
  const found = new Set<string>();
  for (const m of outsideQuotes.matchAll(WHOEVER_SEARCHES)) found.add(`${m[1] ?? m[2] ?? ''}()`);
  return [...found];
}

/**
 * Asks Jira to parse one query (strict validation: unknown fields and functions are errors),
 * as the app, which is who applies the filter: a saved filter or a value only the admin may
 * see is an error here as it would be in every analysis. Functions that mean whoever searches
 * are refused first. An empty query is valid: it means "no extra filter".
 */
export async function validateJql(jql: string): Promise<JqlCheck> {
  if (jql.trim() === '') return { valid: true, errors: [] };
  const relative = userRelativeFunctions(jql);
  if (relative.length > 0) {
    return {
      valid: false,
      errors: [
        `${relative.join(', ')} ${relative.length === 1 ? 'means' : 'mean'} whoever searches, and analyses search as the app, for which ${relative.length === 1 ? 'it finds' : 'they find'} nothing. Name the people, groups or issues instead.`,
      ],
    };
  }
  let data: z.infer<typeof parseResponse>;
  try {
    ({ data } = await jira({ as: 'app' }, 'POST', route`/rest/api/3/jql/parse?validation=strict`, {
      body: { queries: [jql] },
      schema: parseResponse,
    }));
  } catch (err) {
    // Some sites answer a query they cannot parse with 400 rather than per-query errors.
    if (err instanceof JiraError && err.code === 'BAD_REQUEST') {
      return { valid: false, errors: err.jiraMessages.length > 0 ? err.jiraMessages : ['Jira could not parse this query.'] };
    }
    throw err;
  }
  const errors = data.queries[0]?.errors ?? [];
  return { valid: errors.length === 0, errors };
}
