/**
 * Jira projects: listing for the admin page and key → id resolution for permission checks.
 */
import { z } from 'zod';
import { jira, route, type JiraActor } from './client';

export interface ProjectRef {
  id: string;
  key: string;
  name: string;
}

const projectPage = z.object({
  values: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), key: z.string(), name: z.string() })),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
});

const PAGE = 50;
/** A site with more projects than this is listed up to here; the admin page says so. */
const MAX_PROJECTS = 2000;
/** Jira accepts up to 50 `keys` per project search. */
const KEYS_PER_REQUEST = 50;

/** How long a read may take, waits included, and the longest Retry-After it waits in-process (a queue consumer's budget). */
export interface ReadBudget {
  deadlineMs?: number;
  maxWaitSeconds?: number;
  /** An end shared with the caller's other Jira calls (epoch ms; see `JiraRequestOptions.deadlineAt`). */
  deadlineAt?: number;
}

async function searchPages(actor: JiraActor, keys: string[] | null, budget: ReadBudget = {}): Promise<ProjectRef[]> {
  const out: ProjectRef[] = [];
  for (let startAt = 0; startAt < MAX_PROJECTS; startAt += PAGE) {
    const params = new URLSearchParams({ startAt: String(startAt), maxResults: String(PAGE), orderBy: 'key' });
    for (const key of keys ?? []) params.append('keys', key);
    const { data } = await jira(actor, 'GET', route`/rest/api/3/project/search?${params}`, {
      schema: projectPage,
      ...budget,
    });
    out.push(...data.values.map((p) => ({ id: p.id, key: p.key, name: p.name })));
    if (data.isLast !== false || data.values.length < PAGE) break;
  }
  return out;
}

/** Every project the actor can see (as the user: what that user may browse or administer). */
export async function listProjects(actor: JiraActor): Promise<ProjectRef[]> {
  return searchPages(actor, null);
}

/**
 * The projects with these keys that exist (as the app, so the answer does not depend on the
 * viewer; filter by permissions afterwards). Keys come back in Jira's spelling.
 */
export async function projectsByKeys(keys: string[], budget: ReadBudget = {}): Promise<ProjectRef[]> {
  const unique = [...new Set(keys.map((k) => k.toUpperCase()))];
  const out: ProjectRef[] = [];
  for (let i = 0; i < unique.length; i += KEYS_PER_REQUEST) {
    out.push(...(await searchPages({ as: 'app' }, unique.slice(i, i + KEYS_PER_REQUEST), budget)));
  }
  return out;
}
