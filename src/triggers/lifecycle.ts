/**
 * avi:forge:installed:app / avi:forge:upgraded:app: bring the schema up to date at once.
 *
 * A product-event trigger: Forge gives it the default 25 s and lets no manifest set more. The
 * pass ends by LIFECYCLE_PASS_MS (the claim's wait included); a fresh install sends about a
 * dozen DDL requests (the baseline, src/store/baseline.ts), well inside Forge SQL's 25 a
 * minute. When a pass must stop at that limit with migrations left (an old site upgraded
 * across many of them, or other invocations' DDL in the same minute), the event asks to be
 * delivered again once the minute has passed; requests and the daily schedule also resume it.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { migratePass } from '../store/migrations';

/** Inside the 25 s of a product-event trigger, with time to log and release the claim. */
export const LIFECYCLE_PASS_MS = 20_000;
/** When a pass stopped at the DDL limit: a minute, for its requests to leave Forge's window. */
const RETRY_AFTER_SECONDS = 65;

export async function lifecycle(event: unknown): Promise<InvocationError | undefined> {
  const kind = (event as { eventType?: unknown } | null)?.eventType;
  const pass = await migratePass({ deadlineMs: Date.now() + LIFECYCLE_PASS_MS });
  const what = typeof kind === 'string' ? kind : 'event';
  console.info(`lifecycle: ${what}: ${pass.applied.length} migration(s) applied${pass.baseline ? ' (fresh install: the baseline schema)' : ''}, ${pass.ddlRequests} DDL request(s)`);
  if (pass.pending.length === 0) return undefined;
  console.warn(`lifecycle: ${what}: ${pass.pending.length} migration(s) left at Forge SQL's DDL limit; asking to be delivered again`);
  return new InvocationError({ retryAfter: RETRY_AFTER_SECONDS, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
}
