/**
 * Issue search for the pipeline: one page of `POST /rest/api/3/search/jql` (token paging,
 * no total) and `POST /rest/api/3/search/approximate-count` for progress.
 */
import { z } from 'zod';
import { jira, route, type JiraActor } from './client';
import { ISSUE_FIELDS, jiraIssueSchema, type JiraIssue } from './issues';

const searchPageSchema = z.object({
  issues: z.array(jiraIssueSchema),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

const countSchema = z.object({ count: z.number() });

const createdOnlySchema = z.object({
  issues: z.array(z.object({ id: z.string(), fields: z.object({ created: z.string().nullish() }) })),
});

export interface SearchPage {
  issues: JiraIssue[];
  /** Absent on the last page. */
  nextPageToken: string | null;
}

export interface SearchOptions {
  actor?: JiraActor;
  maxResults?: number;
  deadlineMs?: number;
  /** An end shared with the caller's other Jira calls (epoch ms; see `JiraRequestOptions.deadlineAt`). */
  deadlineAt?: number;
  /** Longest 429 wait to sit out in-process (consumers hand longer waits to the queue). */
  maxWaitSeconds?: number;
  fields?: readonly string[];
}

export async function searchPage(jql: string, nextPageToken: string | null, opts: SearchOptions = {}): Promise<SearchPage> {
  const body: Record<string, unknown> = {
    jql,
    fields: [...(opts.fields ?? ISSUE_FIELDS)],
    maxResults: opts.maxResults ?? 100,
  };
  if (nextPageToken) body.nextPageToken = nextPageToken;
  const { data } = await jira(opts.actor ?? { as: 'app' }, 'POST', route`/rest/api/3/search/jql`, {
    body,
    schema: searchPageSchema,
    ...(opts.deadlineMs === undefined ? {} : { deadlineMs: opts.deadlineMs }),
    ...(opts.deadlineAt === undefined ? {} : { deadlineAt: opts.deadlineAt }),
    ...(opts.maxWaitSeconds === undefined ? {} : { maxWaitSeconds: opts.maxWaitSeconds }),
  });
  const token = data.isLast === true ? null : (data.nextPageToken ?? null);
  return { issues: data.issues, nextPageToken: token };
}

/** Approximate number of issues matching a bounded JQL, or null when Jira cannot say. */
export async function approximateCount(jql: string, opts: Pick<SearchOptions, 'actor' | 'deadlineMs' | 'maxWaitSeconds'> = {}): Promise<number | null> {
  try {
    const { data } = await jira(opts.actor ?? { as: 'app' }, 'POST', route`/rest/api/3/search/approximate-count`, {
      body: { jql },
      schema: countSchema,
      ...(opts.deadlineMs === undefined ? {} : { deadlineMs: opts.deadlineMs }),
      ...(opts.maxWaitSeconds === undefined ? {} : { maxWaitSeconds: opts.maxWaitSeconds }),
    });
    return data.count;
  } catch (err) {
    // Progress is a nicety: a missing count never stops a run.
    console.warn(`search: approximate count unavailable (${err instanceof Error ? err.message : 'unknown'})`);
    return null;
  }
}

/** The `created` timestamp of the first issue of a search (e.g. with ORDER BY created ASC), or null. */
export async function firstCreated(jql: string, opts: Pick<SearchOptions, 'actor' | 'deadlineMs' | 'maxWaitSeconds'> = {}): Promise<string | null> {
  const { data } = await jira(opts.actor ?? { as: 'app' }, 'POST', route`/rest/api/3/search/jql`, {
    body: { jql, fields: ['created'], maxResults: 1 },
    schema: createdOnlySchema,
    ...(opts.deadlineMs === undefined ? {} : { deadlineMs: opts.deadlineMs }),
    ...(opts.maxWaitSeconds === undefined ? {} : { maxWaitSeconds: opts.maxWaitSeconds }),
  });
  return data.issues[0]?.fields.created ?? null;
}
