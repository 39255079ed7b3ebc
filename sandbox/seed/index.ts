/**
 * The sandbox's default sample backlog: three projects of a fictional online
 * retailer (Larkspur Outfitters: SHOP Web Shop, MOB Mobile App, OPS Platform
 * Ops), about 300 hand-written issues spread over the 18 months before
 * `now`, with 25 planted duplicate pairs (reworded reports of the same
 * problem, some across projects) that the app is expected to find.
 *
 * Deterministic: the same `now` gives the same ids, keys, dates and statuses.
 */
import type { SeedData, SeedIssue, StatusCategoryKey } from '../jira/types';
import type { BacklogItem } from './backlog-item';
import { CHORE_ITEMS } from './chore-items';
import { DUPLICATE_ITEMS } from './duplicate-items';
import { MOB_ITEMS } from './mob-items';
import { OPS_ITEMS } from './ops-items';
// The same seeded generator as the synthetic backlogs, so both stay reproducible.
import { Random as Rng } from '../../src/cli/lib/synthetic/random';
import { SHOP_ITEMS } from './shop-items';

export type { BacklogItem, DuplicateItem } from './backlog-item';

/** The default anchor: the backlog's newest issue is a little older than this. */
export const SAMPLE_BACKLOG_NOW = '2026-11-15T09:00:00.000Z';

export const SAMPLE_PROJECTS = [
  { id: '10000', key: 'SHOP', name: 'Web Shop' },
  { id: '10001', key: 'MOB', name: 'Mobile App' },
  { id: '10002', key: 'OPS', name: 'Platform Ops' },
] as const;

type ProjectKey = (typeof SAMPLE_PROJECTS)[number]['key'];

const DAY = 86_400_000;
const HISTORY_DAYS = 540;
const REPORTERS = ['member-1', 'member-1', 'member-1', 'admin-1', 'restricted-1', 'viewer-1'];
/** The stand-in's users in its 'Security team' level. */
const SECURITY_TEAM = ['member-1', 'admin-1', 'lead-1'];

interface Placed {
  item: BacklogItem;
  project: ProjectKey;
  created: number;
  duplicateOf?: string;
}

function describe(item: BacklogItem): string {
  const parts = [item.text.trim()];
  if (item.steps) parts.push(`*Steps to reproduce*\n${item.steps.map((s) => `# ${s}`).join('\n')}`);
  if (item.expected || item.actual) {
    parts.push([item.expected ? `*Expected:* ${item.expected}` : '', item.actual ? `*Actual:* ${item.actual}` : ''].filter(Boolean).join('\n'));
  }
  if (item.log) parts.push(`{noformat}\n${item.log.trim()}\n{noformat}`);
  if (item.code) parts.push(`{code:${item.code.lang}}\n${item.code.text.trim()}\n{code}`);
  if (item.checklist) {
    const title = item.type === 'Story' ? '*Acceptance criteria*' : '*To do*';
    parts.push(`${title}\n${item.checklist.map((c) => `* ${c}`).join('\n')}`);
  }
  if (item.note) parts.push(item.note.trim());
  return parts.join('\n\n');
}

function status(rng: Rng, item: BacklogItem, ageDays: number, isDuplicate: boolean): { status: string; category: StatusCategoryKey; resolution: string | null } {
  // Old work is mostly finished; a freshly filed duplicate is usually still open.
  const pDone = isDuplicate ? 0.15 : Math.min(0.8, 0.1 + ageDays / 500);
  const roll = rng.next();
  if (roll < pDone) {
    const resolution = item.type === 'Bug' && rng.chance(0.08) ? 'Cannot Reproduce' : rng.chance(0.07) ? "Won't Do" : 'Done';
    return { status: 'Done', category: 'done', resolution };
  }
  if (roll < pDone + (1 - pDone) * 0.35) return { status: rng.chance(0.3) ? 'In Review' : 'In Progress', category: 'indeterminate', resolution: null };
  return { status: item.type === 'Story' && rng.chance(0.4) ? 'Backlog' : 'To Do', category: 'new', resolution: null };
}

interface Generated {
  seed: SeedData;
  pairs: Array<[string, string]>;
}

function generate(nowIso: string): Generated {
  const now = Date.parse(nowIso);
  const rng = new Rng(0x5eed2024);
  const base: Array<{ item: BacklogItem; project: ProjectKey }> = [
    ...SHOP_ITEMS.map((item) => ({ item, project: 'SHOP' as const })),
    ...MOB_ITEMS.map((item) => ({ item, project: 'MOB' as const })),
    ...OPS_ITEMS.map((item) => ({ item, project: 'OPS' as const })),
    ...CHORE_ITEMS.map(({ project, ...item }) => ({ item, project })),
  ];
  const originals = new Set(DUPLICATE_ITEMS.map((d) => d.of));
  const placed: Placed[] = base.map(({ item, project }) => {
    // Originals of planted duplicates need room after them for the later report.
    const minAge = item.ref && originals.has(item.ref) ? 40 : 1;
    const age = rng.int(minAge, HISTORY_DAYS) * DAY + rng.int(0, 10 * 3600) * 1000;
    return { item, project, created: now - age };
  });
  const byRef = new Map<string, Placed>();
  for (const p of placed) if (p.item.ref) byRef.set(p.item.ref, p);
  for (const d of DUPLICATE_ITEMS) {
    const original = byRef.get(d.of);
    if (!original) throw new Error(`planted duplicate points at unknown ref ${d.of}`);
    const gap = rng.int(3, 35) * DAY + rng.int(0, 8 * 3600) * 1000;
    placed.push({ item: d, project: d.project, created: Math.min(original.created + gap, now - 3600_000), duplicateOf: d.of });
  }
  placed.sort((a, b) => a.created - b.created);

  const counters = new Map<ProjectKey, number>();
  const keyOfRef = new Map<string, string>();
  const issues: SeedIssue[] = [];
  const pairs: Array<[string, string]> = [];
  placed.forEach((p, index) => {
    const n = (counters.get(p.project) ?? 0) + 1;
    counters.set(p.project, n);
    const key = `${p.project}-${n}`;
    if (p.item.ref && !p.duplicateOf) keyOfRef.set(p.item.ref, key);
    if (p.duplicateOf) {
      const originalKey = keyOfRef.get(p.duplicateOf);
      if (originalKey) pairs.push([originalKey, key]);
    }
    const ageDays = (now - p.created) / DAY;
    const st = status(rng, p.item, ageDays, p.duplicateOf !== undefined);
    const updated = Math.min(now, p.created + rng.int(0, Math.max(1, Math.min(90, Math.floor(ageDays)))) * DAY + rng.int(0, 3600) * 1000);
    const reporters = p.project === 'OPS' ? REPORTERS.filter((r) => r !== 'restricted-1') : REPORTERS;
    // Drawn in this order (priority, then reporter), as the issue's fields always were.
    const priority = p.item.priority ?? rng.pick(['Medium', 'Medium', 'Medium', 'High', 'Low']);
    const picked = rng.pick(reporters);
    issues.push({
      id: String(10001 + index),
      key,
      projectKey: p.project,
      summary: p.item.summary,
      description: describe(p.item),
      type: p.item.type,
      status: st.status,
      statusCategory: st.category,
      priority,
      resolution: st.resolution,
      labels: p.item.labels ?? [],
      components: p.item.components,
      created: new Date(p.created).toISOString(),
      updated: new Date(updated).toISOString(),
      resolved: st.category === 'done' ? new Date(updated).toISOString() : null,
      // A secured issue is reported by someone in its level (Jira lets only members set it).
      reporter: p.item.securityLevel !== undefined && !SECURITY_TEAM.includes(picked) ? 'member-1' : picked,
      ...(p.item.securityLevel !== undefined ? { securityLevel: p.item.securityLevel } : {}),
    });
  });
  return { seed: { projects: SAMPLE_PROJECTS.map((p) => ({ ...p })), issues }, pairs };
}

/** The default backlog as a stand-in seed. `now` anchors the 18 months of dates. */
export function sampleBacklog(opts: { now?: string } = {}): SeedData {
  return generate(opts.now ?? SAMPLE_BACKLOG_NOW).seed;
}

/** The planted duplicate pairs as [original key, later duplicate key]. Keys do not depend on `now`. */
export function plantedDuplicates(opts: { now?: string } = {}): Array<[string, string]> {
  return generate(opts.now ?? SAMPLE_BACKLOG_NOW).pairs;
}
