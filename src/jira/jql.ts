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
 * Asks Jira to parse one query (strict validation: unknown fields and functions are errors).
 * An empty query is valid: it means "no extra filter".
 */
export async function validateJql(jql: string): Promise<JqlCheck> {
  if (jql.trim() === '') return { valid: true, errors: [] };
  let data: z.infer<typeof parseResponse>;
  try {
    ({ data } = await jira({ as: 'user' }, 'POST', route`/rest/api/3/jql/parse?validation=strict`, {
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
