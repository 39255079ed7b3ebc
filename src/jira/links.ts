/**
 * Duplicate links between issues.
 *
 * Direction. `POST /rest/api/3/issueLink` reads as "inwardIssue <type.outward> outwardIssue":
 * the issue named `inwardIssue` is the one the *outward* phrase applies to. So
 * `{ type: Duplicate, inwardIssue: NEW, outwardIssue: OLD }` creates "NEW duplicates OLD";
 * `GET /issue/NEW` then lists it as `{ outwardIssue: OLD }` ("duplicates") and
 * `GET /issue/OLD` as `{ inwardIssue: NEW }` ("is duplicated by"). The field names are
 * a well-known trap (they name the end of the arrow, not the end the phrase belongs to):
 * the issue linking model guide on developer.atlassian.com documents the GET side, and
 * reports from several client libraries (links created backwards when the POST fields were
 * read as "outwardIssue = the one that duplicates") confirm the POST side. The Jira stand-in
 * in sandbox/jira implements the same reading.
 *
 * The link is created as the acting user, so Jira itself enforces Browse on both issues
 * and Link Issues; a 403 comes back as JiraError FORBIDDEN.
 */
import { z } from 'zod';
import { jira, route } from './client';
import { JiraError } from './errors';
import { parseJiraTime, type JiraIssue } from './issues';
import { searchPage } from './search';

export interface LinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

const linkTypes = z.object({
  issueLinkTypes: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string(), inward: z.string(), outward: z.string() })),
});

/**
 * Sites can rename link types, so look the type up: by name "Duplicate" first, then by an
 * outward phrase "duplicates" (a renamed type keeps its phrases more often than its name).
 */
export async function findDuplicateLinkType(): Promise<LinkType | null> {
  return findLinkType('duplicate', 'duplicates');
}

/** The site's link type named `name`, else the one whose outward phrase is `outward`; null when it has neither. */
async function findLinkType(name: string, outward: string): Promise<LinkType | null> {
  const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/issueLinkType`, { schema: linkTypes });
  const types = data.issueLinkTypes;
  const norm = (s: string): string => s.trim().toLowerCase();
  return types.find((t) => norm(t.name) === name) ?? types.find((t) => norm(t.outward) === outward) ?? null;
}

/** Creates "newer duplicates older" as the acting user. Jira answers 201 even when the link already exists. */
export async function createDuplicateLink(type: LinkType, newerKey: string, olderKey: string): Promise<void> {
  await jira({ as: 'user' }, 'POST', route`/rest/api/3/issueLink`, {
    body: { type: { id: type.id }, inwardIssue: { key: newerKey }, outwardIssue: { key: olderKey } },
    // A link POST is not idempotent from Jira's side on retries after a lost answer, but a
    // duplicate link request is reported as created, so a retry is harmless.
    retries: 2,
    // Leaves room in a 25 s resolver to ask Jira afterwards whether a request whose answer
    // was lost made the link after all (linkLanded).
    deadlineMs: 14_000,
  });
}

/**
 * Whether Jira now has "duplicate duplicates original", read as the user: asked after a link
 * request failed in a way that does not say whether Jira made it (timeout, 5xx). False when
 * Jira cannot say either.
 */
export async function linkLanded(duplicateId: string, originalId: string): Promise<boolean> {
  try {
    return (await duplicateLinksOf(duplicateId, { deadlineMs: 5_000 })).duplicateOf.some((d) => d.id === originalId);
  } catch {
    return false;
  }
}

const issueLinksField = z.object({
  key: z.string(),
  fields: z
    .object({
      project: z.object({ key: z.string() }).optional(),
      issuetype: z.object({ name: z.string() }).nullish(),
      summary: z.string().nullish(),
      created: z.string().nullish(),
      updated: z.string().nullish(),
      issuelinks: z
        .array(
          z.object({
            id: z.union([z.string(), z.number()]).transform(String).optional(),
            type: z.object({ name: z.string(), inward: z.string().optional(), outward: z.string().optional() }),
            inwardIssue: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).optional(),
            outwardIssue: z.object({ id: z.union([z.string(), z.number()]).transform(String), key: z.string().optional() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

/** A link is a duplicate link when its type is the site's Duplicate type, however renamed. */
export function isDuplicateType(t: { name: string; outward?: string | undefined }): boolean {
  return t.name.trim().toLowerCase() === 'duplicate' || (t.outward ?? '').trim().toLowerCase() === 'duplicates';
}

const oneLink = z.object({
  type: z.object({ name: z.string(), outward: z.string().optional() }),
  inwardIssue: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).optional(),
  outwardIssue: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).optional(),
});

/**
 * Which way a Duplicate link joins a searched or fetched issue to `otherId`: 'duplicates'
 * when the issue duplicates the other (it lists the other as `outwardIssue`), 'duplicated'
 * when the other duplicates it, null when no Duplicate link joins them.
 */
export function duplicateLinkWay(issue: JiraIssue, otherId: string): 'duplicates' | 'duplicated' | null {
  for (const raw of issue.fields.issuelinks ?? []) {
    const link = oneLink.safeParse(raw);
    if (!link.success || !isDuplicateType(link.data.type)) continue;
    if (link.data.outwardIssue?.id === otherId) return 'duplicates';
    if (link.data.inwardIssue?.id === otherId) return 'duplicated';
  }
  return null;
}

/**
 * The ids of the issues a searched or fetched issue is joined to by a Duplicate link, in
 * either direction, sorted and without repeats. Entries that are not links as Jira writes
 * them are skipped, one by one.
 */
export function duplicateLinkedIds(issue: JiraIssue): string[] {
  const ids = new Set<string>();
  for (const raw of issue.fields.issuelinks ?? []) {
    const link = oneLink.safeParse(raw);
    if (!link.success || !isDuplicateType(link.data.type)) continue;
    const other = link.data.inwardIssue?.id ?? link.data.outwardIssue?.id;
    if (other !== undefined && other !== issue.id && /^\d{1,32}$/.test(other)) ids.add(other);
  }
  return [...ids].sort();
}

/** The issue's Duplicate links, in either direction: each link's id and the issue at its other end. */
function duplicateLinksIn(data: z.infer<typeof issueLinksField>): Array<{ linkId: string | undefined; otherId: string }> {
  return (data.fields?.issuelinks ?? []).flatMap((link) => {
    const otherId = link.inwardIssue?.id ?? link.outwardIssue?.id;
    return isDuplicateType(link.type) && otherId !== undefined ? [{ linkId: link.id, otherId }] : [];
  });
}

/**
 * The issues this one duplicates: its Duplicate links that list the other end as
 * `outwardIssue` ("this issue duplicates outwardIssue", see the direction note above).
 */
function duplicatesOf(data: z.infer<typeof issueLinksField>): Array<{ id: string; key: string }> {
  return (data.fields?.issuelinks ?? []).flatMap((link) => {
    const other = link.outwardIssue;
    return isDuplicateType(link.type) && other?.key !== undefined ? [{ id: other.id, key: other.key }] : [];
  });
}

/** Issues per search of `readDuplicateLinks`: one page of Jira's search. */
const LINK_SEARCH_IDS = 100;

/**
 * The issues of `ids` with their links, as the user may see them. Jira refuses a whole JQL
 * that names an issue that is gone or hidden ("An issue with key '…' does not exist"), so a
 * refused search is tried again in halves, down to single issues, which are then left out:
 * one issue deleted meanwhile does not cost the others.
 */
async function issuesWithLinks(ids: string[], budget: { deadlineMs?: number; deadlineAt?: number }): Promise<JiraIssue[]> {
  const out: JiraIssue[] = [];
  let token: string | null = null;
  try {
    do {
      const page = await searchPage(`id in (${ids.join(', ')})`, token, {
        actor: { as: 'user' },
        fields: ['project', 'issuelinks', 'created', 'resolution'],
        maxResults: LINK_SEARCH_IDS,
        ...(budget.deadlineMs === undefined ? {} : { deadlineMs: budget.deadlineMs }),
        ...(budget.deadlineAt === undefined ? {} : { deadlineAt: budget.deadlineAt }),
      });
      out.push(...page.issues);
      token = page.nextPageToken;
    } while (token !== null);
  } catch (err) {
    if (!(err instanceof JiraError && err.code === 'BAD_REQUEST')) throw err;
    if (ids.length === 1) return [];
    const mid = Math.ceil(ids.length / 2);
    return [...(await issuesWithLinks(ids.slice(0, mid), budget)), ...(await issuesWithLinks(ids.slice(mid), budget))];
  }
  return out;
}

/** What `readDuplicateLinks` found: the issues read and the Duplicate links among and around them. */
export interface DuplicateLinksRead {
  issues: Array<{ id: string; key: string; createdMs: number; resolution?: string | null }>;
  /** [duplicate, original]: "duplicate duplicates original", each link once. */
  links: Array<[string, string]>;
  /** False when the reading stopped at its limits with issues still unread. */
  complete: boolean;
}

const linkEnd = z.object({ id: z.union([z.string(), z.number()]).transform(String), key: z.string().optional() });
const directedLink = z.object({
  type: z.object({ name: z.string(), outward: z.string().optional() }),
  inwardIssue: linkEnd.optional(),
  outwardIssue: linkEnd.optional(),
});

/**
 * The Duplicate links around `seedIds`, read as the user: the seeds' links, then those of the
 * issues at their other ends, and so on, one search per round for up to 100 issues, for
 * `rounds` rounds and `maxIssues` issues at most. What a person may not browse is not read
 * (Jira leaves links to such issues out of `issuelinks`). Ids that are not Jira's numeric
 * ids are not searched for.
 */
export async function readDuplicateLinks(
  seedIds: readonly string[],
  opts: { rounds?: number; maxIssues?: number; deadlineMs?: number; deadlineAt?: number } = {},
): Promise<DuplicateLinksRead> {
  const rounds = opts.rounds ?? 4;
  const maxIssues = opts.maxIssues ?? 300;
  const issues = new Map<string, { id: string; key: string; createdMs: number; resolution?: string | null }>();
  const links = new Map<string, [string, string]>();
  const asked = new Set<string>();
  let frontier = [...new Set(seedIds)].filter((id) => /^\d{1,32}$/.test(id));
  for (let round = 0; round < rounds && frontier.length > 0 && asked.size < maxIssues; round++) {
    const batch = frontier.slice(0, Math.max(0, maxIssues - asked.size));
    for (const id of batch) asked.add(id);
    const seen = new Set<string>();
    for (let i = 0; i < batch.length; i += LINK_SEARCH_IDS) {
      const chunk = batch.slice(i, i + LINK_SEARCH_IDS);
      for (const issue of await issuesWithLinks(chunk, opts)) {
        issues.set(issue.id, { id: issue.id, key: issue.key, createdMs: parseJiraTime(issue.fields.created), resolution: issue.fields.resolution?.name ?? null });
        for (const raw of issue.fields.issuelinks ?? []) {
          const link = directedLink.safeParse(raw);
          if (!link.success || !isDuplicateType(link.data.type)) continue;
          // outwardIssue: this issue duplicates it; inwardIssue: it duplicates this issue.
          const [dup, orig] = link.data.outwardIssue ? [issue.id, link.data.outwardIssue.id] : link.data.inwardIssue ? [link.data.inwardIssue.id, issue.id] : [null, null];
          if (dup === null || orig === null || dup === orig || !/^\d{1,32}$/.test(dup) || !/^\d{1,32}$/.test(orig)) continue;
          links.set(`${dup} ${orig}`, [dup, orig]);
          const other = dup === issue.id ? orig : dup;
          const otherKey = (dup === issue.id ? link.data.outwardIssue : link.data.inwardIssue)?.key;
          if (!issues.has(other) && otherKey !== undefined) issues.set(other, { id: other, key: otherKey, createdMs: 0 });
          if (!asked.has(other)) seen.add(other);
        }
      }
    }
    frontier = [...new Set([...frontier.slice(batch.length), ...[...seen].filter((id) => !asked.has(id)).sort()])];
  }
  return { issues: [...issues.values()], links: [...links.values()], complete: frontier.length === 0 };
}

/** What the issue view reads of its issue, as the user. */
export interface IssueLinksView {
  key: string;
  /** Its summary as Jira says it now; '' when Jira did not say. */
  summary: string;
  /** Ids of the issues linked to it by a Duplicate link, in either direction. */
  linkedIds: Set<string>;
  /** The issues it duplicates (Duplicate links with it at the "duplicates" end). */
  duplicateOf: Array<{ id: string; key: string }>;
  projectKey: string | null;
  type: string;
  /** Created, ms since the epoch; 0 when Jira did not say. */
  createdMs: number;
  /** Last updated, ms since the epoch; 0 when Jira did not say. */
  updatedMs: number;
}

/**
 * The issue's key, summary, project, type, creation time and the ids of the issues linked to it by a
 * Duplicate link in either direction, read as the user (Jira answers 404 when they cannot
 * browse it). One request: the fields beside the links cost nothing more.
 */
export async function duplicateLinksOf(issueId: string, budget: { deadlineMs?: number; deadlineAt?: number } = {}): Promise<IssueLinksView> {
  const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/issue/${issueId}?fields=issuelinks,project,issuetype,summary,created,updated`, {
    schema: issueLinksField,
    ...(budget.deadlineMs !== undefined ? { deadlineMs: budget.deadlineMs } : {}),
    ...(budget.deadlineAt !== undefined ? { deadlineAt: budget.deadlineAt } : {}),
  });
  return {
    key: data.key,
    summary: data.fields?.summary ?? '',
    linkedIds: new Set(duplicateLinksIn(data).map((l) => l.otherId)),
    duplicateOf: duplicatesOf(data),
    projectKey: data.fields?.project?.key ?? null,
    type: data.fields?.issuetype?.name ?? '',
    createdMs: parseJiraTime(data.fields?.created),
    updatedMs: parseJiraTime(data.fields?.updated),
  };
}

/**
 * Whether Jira joins `issueId` to `otherId` by a Duplicate link now, in either direction, read
 * as the app with the issue's links alone (Jira lists a link on both of its issues, so one
 * read answers for the pair). Null when Jira answers 404: deleted, or not shown to the app.
 */
export async function duplicateLinkedNow(issueId: string, otherId: string, budget: { deadlineAt?: number; maxWaitSeconds?: number } = {}): Promise<boolean | null> {
  try {
    const { data } = await jira({ as: 'app' }, 'GET', route`/rest/api/3/issue/${issueId}?fields=issuelinks`, { schema: issueLinksField, ...budget });
    return duplicateLinksIn(data).some((l) => l.otherId === otherId);
  } catch (err) {
    if (err instanceof JiraError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

/**
 * Removes the Duplicate links between two issues, in either direction, as the acting user
 * (Jira checks Browse and Link Issues, as for creating one). A link already gone when its
 * delete is retried counts as removed. Returns how many were removed.
 */
export async function removeDuplicateLinks(issueId: string, otherId: string): Promise<number> {
  return removeLinksBetween(issueId, otherId, isDuplicateType);
}

/** Removes the links of one kind (`isType`) between two issues, either way round, as the user. */
async function removeLinksBetween(issueId: string, otherId: string, isType: (t: { name: string; outward?: string | undefined }) => boolean): Promise<number> {
  const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/issue/${issueId}?fields=issuelinks`, { schema: issueLinksField });
  const ids = (data.fields?.issuelinks ?? []).flatMap((link) =>
    isType(link.type) && (link.inwardIssue?.id ?? link.outwardIssue?.id) === otherId && link.id !== undefined ? [link.id] : [],
  );
  for (const id of ids) {
    try {
      await jira({ as: 'user' }, 'DELETE', route`/rest/api/3/issueLink/${id}`, { retries: 2 });
    } catch (err) {
      if (!(err instanceof JiraError && err.code === 'NOT_FOUND')) throw err;
    }
  }
  return ids.length;
}

// ---------------------------------------------------------------------------------------
// Relates links: a pair dismissed as "related, but separate work" can be linked as such.

/** A link is a Relates link when its type is the site's Relates type, however renamed. */
export function isRelatesType(t: { name: string; outward?: string | undefined }): boolean {
  return t.name.trim().toLowerCase() === 'relates' || (t.outward ?? '').trim().toLowerCase() === 'relates to';
}

/** The site's Relates link type (by name, then by the phrase "relates to"), or null when it has none. */
export async function findRelatesLinkType(): Promise<LinkType | null> {
  return findLinkType('relates', 'relates to');
}

/** Whether a Relates link joins the two issues now, either way round, as the user may see it. */
export async function relatesLinked(issueId: string, otherId: string): Promise<boolean> {
  const { data } = await jira({ as: 'user' }, 'GET', route`/rest/api/3/issue/${issueId}?fields=issuelinks`, { schema: issueLinksField, deadlineMs: 5_000 });
  return (data.fields?.issuelinks ?? []).some((link) => isRelatesType(link.type) && (link.inwardIssue?.id ?? link.outwardIssue?.id) === otherId);
}

/** Creates "fromKey relates to toKey" as the acting user (the direction note above applies). */
export async function createRelatesLink(type: LinkType, fromKey: string, toKey: string): Promise<void> {
  await jira({ as: 'user' }, 'POST', route`/rest/api/3/issueLink`, {
    body: { type: { id: type.id }, inwardIssue: { key: fromKey }, outwardIssue: { key: toKey } },
    deadlineMs: 14_000,
  });
}

/**
 * Removes the Relates links between two issues, either way round, as the acting user (the
 * Undo of a "Link as related"). Returns how many were removed.
 */
export async function removeRelatesLinks(issueId: string, otherId: string): Promise<number> {
  return removeLinksBetween(issueId, otherId, isRelatesType);
}
