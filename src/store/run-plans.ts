/**
 * The fetch chains a run was split into, kept in KVS so a `plan` event redelivered after a
 * crash pushes exactly the same chains again (a second partition computed from changed
 * counts could leave a gap between two plans' slices, and the sweep would then delete
 * issues that were never read).
 *
 * With the chains: the scope's JQL they all begin with (`base`), and the projects and issue
 * types it names. A redelivered plan that leaves out more than the delivery that saved them
 * (Jira stopped showing a project in between) keeps the slices and puts the narrowed scope's
 * JQL in front of them (src/analysis/plan-step.ts). Plans saved before these were kept have
 * none of them, and are pushed as saved.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';

const chainsSchema = z.object({ chains: z.array(z.string()).min(1).max(50) });

const planSchema = chainsSchema
  .extend({
    base: z.string().min(1).optional(),
    projects: z.array(z.string()).optional(),
    issueTypes: z.array(z.string()).optional(),
  })
  // Every chain is the base and a created slice: one that is not cannot be narrowed by its base.
  .refine((p) => p.base === undefined || p.chains.every((c) => c.startsWith(p.base as string)), { message: 'a chain does not begin with the plan\'s base JQL' });

export interface RunPlan {
  chains: string[];
  /** The scope's JQL every chain begins with; absent in plans saved before it was kept. */
  base?: string;
  /** The projects and issue types `base` names (the run's scope as narrowed when it was planned). */
  projects?: string[];
  issueTypes?: string[];
}

function key(runId: string): string {
  return `run-plan:${runId}`;
}

export async function getRunPlan(runId: string): Promise<RunPlan | null> {
  const stored = await kvs.get<unknown>(key(runId));
  const parsed = planSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  // A plan whose chains do not all begin with its base: its chains as they are.
  const chainsOnly = chainsSchema.safeParse(stored);
  return chainsOnly.success ? { chains: chainsOnly.data.chains } : null;
}

export async function saveRunPlan(runId: string, plan: RunPlan): Promise<void> {
  await kvs.set(key(runId), plan);
}

export async function deleteRunPlan(runId: string): Promise<void> {
  await kvs.delete(key(runId));
}
