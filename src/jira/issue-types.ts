/**
 * Jira's issue types, by name: what the admin page offers for the scope's issue-type
 * filter, and what saving settings checks the chosen names against (JQL matches issue
 * types by name, case-insensitively, so a misspelt name would fail every run).
 */
import { z } from 'zod';
import { jira, route, type JiraActor } from './client';
import type { ReadBudget } from './projects';

const issueTypeList = z.array(z.object({ name: z.string() }));

/**
 * Every issue type name the actor can see, once each (team-managed projects each have
 * their own "Bug"; JQL names them all with one name), in alphabetical order.
 */
export async function issueTypeNames(actor: JiraActor, budget: ReadBudget = {}): Promise<string[]> {
  const { data } = await jira(actor, 'GET', route`/rest/api/3/issuetype`, { schema: issueTypeList, ...budget });
  const byLower = new Map<string, string>();
  for (const t of data) {
    const name = t.name.trim();
    if (name !== '' && !byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
  }
  return [...byLower.values()].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' }) || (x < y ? -1 : x > y ? 1 : 0));
}

const issueTypeEntries = z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string() }));

/** The name of the issue type with this id, as the actor sees the site's types; null when none has it. */
export async function issueTypeNameById(id: string, actor: JiraActor): Promise<string | null> {
  const { data } = await jira(actor, 'GET', route`/rest/api/3/issuetype`, { schema: issueTypeEntries, deadlineMs: 5_000 });
  return data.find((t) => t.id === id)?.name.trim() ?? null;
}

/** The names in `chosen` that are not issue types of this site (compared case-insensitively). */
export function unknownIssueTypes(chosen: string[], known: string[]): string[] {
  const names = new Set(known.map((n) => n.toLowerCase()));
  return chosen.filter((c) => !names.has(c.trim().toLowerCase()));
}
