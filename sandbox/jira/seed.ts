/**
 * Loading a backlog into the stand-in: a JSON seed (validated) or a Jira CSV
 * export. Ids and keys are kept when given; missing keys are numbered per
 * project in ascending id order, so an export without `Issue key` gets stable
 * keys (HADOOP-1 is the oldest id) whatever the row order.
 */
import { z } from 'zod';
import { parseJiraCsv } from '../../src/import/jira-csv';
import type { JiraCore } from './core';
import { inferStatusCategory, insertIssue } from './issue-service';
import type { SeedData, SeedIssue } from './types';

const adfLike = z.object({ type: z.literal('doc'), version: z.literal(1), content: z.array(z.record(z.string(), z.unknown())) });
const numericId = z.string().regex(/^\d+$/, 'Jira ids are numeric strings');

export const seedSchema = z.object({
  projects: z.array(z.object({ id: numericId, key: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'project keys are upper-case letters and digits'), name: z.string().min(1) })),
  issueTypes: z.array(z.object({ id: numericId, name: z.string().min(1), description: z.string().default('') })).optional(),
  issues: z.array(
    z.object({
      id: numericId.optional(),
      key: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/).optional(),
      projectKey: z.string(),
      summary: z.string().min(1),
      description: z.union([z.string(), adfLike, z.null()]).optional(),
      type: z.string(),
      status: z.string(),
      statusCategory: z.enum(['new', 'indeterminate', 'done']),
      priority: z.string().nullable().optional(),
      resolution: z.string().nullable().optional(),
      labels: z.array(z.string()).optional(),
      components: z.array(z.string()).optional(),
      versions: z.array(z.string()).optional(),
      created: z.string().refine((d) => !Number.isNaN(Date.parse(d)), 'created must be a date'),
      updated: z.string().nullable().optional(),
      resolved: z.string().nullable().optional(),
      reporter: z.string().nullable().optional(),
      /** An issue security level by name or id (the stand-in has 'Security team', id 10100). */
      securityLevel: z.string().min(1).nullable().optional(),
    }),
  ),
  links: z.array(z.object({ type: z.string(), inward: z.string(), outward: z.string() })).optional(),
});

function iso(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Ids for issues without one, keys for issues without one (per project, by ascending id). */
function assignIdsAndKeys(core: JiraCore, issues: SeedIssue[]): Array<SeedIssue & { id: string; key: string }> {
  let nextId = 10000;
  for (const id of core.store.issues.keys()) nextId = Math.max(nextId, Number(id) + 1);
  for (const i of issues) if (i.id !== undefined) nextId = Math.max(nextId, Number(i.id) + 1);
  const withIds = issues.map((i) => ({ ...i, id: i.id ?? String(nextId++) }));

  const takenKeys = new Set<string>(withIds.flatMap((i) => (i.key ? [i.key] : [])));
  for (const issue of core.store.issues.values()) takenKeys.add(issue.key);
  const keyless = withIds.filter((i) => i.key === undefined).sort((a, b) => Number(a.id) - Number(b.id));
  const counters = new Map<string, number>();
  const keys = new Map<string, string>();
  for (const i of keyless) {
    let n = (counters.get(i.projectKey) ?? 0) + 1;
    while (takenKeys.has(`${i.projectKey}-${n}`)) n++;
    counters.set(i.projectKey, n);
    keys.set(i.id, `${i.projectKey}-${n}`);
  }
  return withIds.map((i) => ({ ...i, key: i.key ?? keys.get(i.id) ?? '' }));
}

export function loadSeed(core: JiraCore, raw: SeedData): { issues: number; links: number } {
  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TypeError(`seed is not valid at ${first?.path.join('.') ?? '?'}: ${first?.message ?? 'unknown problem'}`);
  }
  const seed = parsed.data;
  for (const p of seed.projects) core.store.addProject(p);
  for (const t of seed.issueTypes ?? []) core.store.addIssueType(t);
  const known = new Set([...core.store.issueTypes.values()].map((t) => t.name.toLowerCase()));
  let typeId = 10100;
  for (const issue of seed.issues) {
    if (known.has(issue.type.toLowerCase())) continue;
    while (core.store.issueTypes.has(String(typeId))) typeId++;
    core.store.addIssueType({ id: String(typeId), name: issue.type, description: '' });
    known.add(issue.type.toLowerCase());
  }
  // Checked up front so a bad level leaves no half-loaded backlog behind.
  seed.issues.forEach((issue, n) => {
    if (issue.securityLevel && !core.store.findSecurityLevel(issue.securityLevel)) {
      const known = [...core.store.securityLevels.values()].map((l) => `'${l.name}' (${l.id})`).join(', ');
      throw new TypeError(`seed is not valid at issues.${n}.securityLevel: no issue security level '${issue.securityLevel}'; the stand-in has ${known}`);
    }
  });
  for (const issue of assignIdsAndKeys(core, seed.issues as SeedIssue[])) {
    if (!core.store.findProject(issue.projectKey)) throw new TypeError(`seed issue ${issue.key} names unknown project ${issue.projectKey}`);
    insertIssue(core, {
      id: issue.id,
      key: issue.key,
      projectKey: issue.projectKey,
      summary: issue.summary,
      description: issue.description ?? null,
      type: issue.type,
      status: issue.status,
      statusCategory: issue.statusCategory,
      priority: issue.priority ?? null,
      resolution: issue.resolution ?? null,
      labels: issue.labels ?? [],
      components: issue.components ?? [],
      versions: issue.versions ?? [],
      created: iso(issue.created) ?? core.nowIso(),
      updated: iso(issue.updated) ?? iso(issue.created) ?? core.nowIso(),
      resolved: iso(issue.resolved) ?? null,
      reporter: issue.reporter ?? null,
      securityLevel: issue.securityLevel ?? null,
    });
  }
  let links = 0;
  for (const l of seed.links ?? []) {
    const type = core.store.findLinkType({ name: l.type });
    const inward = core.store.getIssue(l.inward);
    const outward = core.store.getIssue(l.outward);
    if (!type || !inward || !outward) throw new TypeError(`seed link ${l.inward} ${l.type} ${l.outward} names an unknown type or issue`);
    core.store.addLink(type.id, inward.id, outward.id);
    links++;
  }
  core.touch();
  return { issues: seed.issues.length, links };
}

/** Loads a Jira CSV export; projects named in it (or `projectKey`) are created as needed. */
export function loadJiraCsv(core: JiraCore, text: string, opts: { projectKey?: string } = {}): { issues: number; warnings: string[] } {
  const { issues, warnings } = parseJiraCsv(text, opts);
  const projects = new Map<string, string>();
  for (const i of issues) {
    const key = i.projectKey ?? opts.projectKey ?? 'IMPORT';
    if (!projects.has(key)) projects.set(key, i.projectName ?? key);
  }
  let nextProjectId = 10000;
  for (const p of core.store.projects.values()) nextProjectId = Math.max(nextProjectId, Number(p.id) + 1);
  const newProjects = [...projects].filter(([key]) => !core.store.findProject(key)).map(([key, name]) => ({ id: String(nextProjectId++), key, name }));
  loadSeed(core, {
    projects: newProjects,
    issues: issues.map((i) => {
      const status = i.status ?? 'Open';
      return {
        id: i.id,
        ...(i.key ? { key: i.key } : {}),
        projectKey: i.projectKey ?? opts.projectKey ?? 'IMPORT',
        summary: i.summary.length > 0 ? i.summary : '(no summary)',
        description: i.description,
        type: i.type ?? 'Bug',
        status,
        statusCategory: i.statusCategory ?? inferStatusCategory(status),
        priority: i.priority,
        resolution: i.resolution,
        labels: i.labels,
        components: i.components,
        versions: i.versions,
        created: i.created,
        updated: i.updated,
        resolved: i.resolved,
      };
    }),
  });
  return { issues: issues.length, warnings };
}
