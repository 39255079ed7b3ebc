/**
 * The run of every project the schedule last joined instead of starting one (a run someone
 * started from the admin page, under way when the trigger fired): it is that day's scheduled
 * run, so a second delivery of the trigger later the same day starts none
 * (src/triggers/scheduled.ts). One KVS key, overwritten by the next join; the run itself keeps
 * who started it and how.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';

const KEY = 'schedule-joined:v1';

const joinSchema = z.object({ runId: z.string(), joinedMs: z.number() });

export type ScheduleJoin = z.infer<typeof joinSchema>;

/** The last join, or null (none yet, or a value this version cannot read). */
export async function getScheduleJoin(): Promise<ScheduleJoin | null> {
  const parsed = joinSchema.safeParse(await kvs.get<unknown>(KEY));
  return parsed.success ? parsed.data : null;
}

export async function recordScheduleJoin(join: ScheduleJoin): Promise<void> {
  await kvs.set(KEY, join);
}
