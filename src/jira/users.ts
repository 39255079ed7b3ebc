/** People as Jira knows them: the acting user, and display names for the action log. */
import { z } from 'zod';
import { jira, route } from './client';

const myself = z.object({ accountId: z.string(), displayName: z.string().optional() });

export async function getMyself(): Promise<{ accountId: string; displayName: string }> {
  const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/myself`, { schema: myself });
  return { accountId: data.accountId, displayName: data.displayName ?? '' };
}

const userPage = z.object({
  values: z.array(z.object({ accountId: z.string(), displayName: z.string().optional() })),
});

/** Jira answers up to this many users per bulk request. */
const USERS_PER_REQUEST = 50;

/**
 * Display names of these accounts as the acting user may see them (Jira applies each
 * person's profile visibility). Accounts Jira does not return are left out. `budget.deadlineAt`:
 * an end shared with the caller's other Jira calls (epoch ms).
 */
export async function displayNames(accountIds: string[], budget: { deadlineAt?: number } = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(accountIds)];
  for (let i = 0; i < unique.length; i += USERS_PER_REQUEST) {
    const params = new URLSearchParams({ maxResults: String(USERS_PER_REQUEST) });
    for (const id of unique.slice(i, i + USERS_PER_REQUEST)) params.append('accountId', id);
    // Names are a nicety: one retry, so a struggling Jira costs the list little time.
    const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/user/bulk?${params}`, {
      schema: userPage,
      retries: 1,
      ...(budget.deadlineAt !== undefined ? { deadlineAt: budget.deadlineAt } : {}),
    });
    for (const u of data.values) if (u.displayName) out.set(u.accountId, u.displayName);
  }
  return out;
}
