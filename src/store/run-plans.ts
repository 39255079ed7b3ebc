/**
 * The fetch chains a run was split into, kept in KVS so a `plan` event redelivered after a
 * crash pushes exactly the same chains again (a second partition computed from changed
 * counts could leave a gap between two plans' slices, and the sweep would then delete
 * issues that were never read).
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';

const planSchema = z.object({ chains: z.array(z.string()).min(1).max(50) });

function key(runId: string): string {
  return `run-plan:${runId}`;
}

export async function getRunPlan(runId: string): Promise<string[] | null> {
  const parsed = planSchema.safeParse(await kvs.get<unknown>(key(runId)));
  return parsed.success ? parsed.data.chains : null;
}

export async function saveRunPlan(runId: string, chains: string[]): Promise<void> {
  await kvs.set(key(runId), { chains });
}

export async function deleteRunPlan(runId: string): Promise<void> {
  await kvs.delete(key(runId));
}
