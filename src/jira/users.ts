/** The acting user as Jira knows them. */
import { z } from 'zod';
import { jira, route } from './client';

const myself = z.object({ accountId: z.string(), displayName: z.string().optional() });

export async function getMyself(): Promise<{ accountId: string; displayName: string }> {
  const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/myself`, { schema: myself });
  return { accountId: data.accountId, displayName: data.displayName ?? '' };
}
