/** avi:forge:installed:app / avi:forge:upgraded:app: bring the schema up to date at once. */
import { migrate } from '../store/migrations';

export async function lifecycle(event: unknown): Promise<void> {
  const kind = (event as { eventType?: unknown } | null)?.eventType;
  const applied = await migrate();
  console.info(`lifecycle: ${typeof kind === 'string' ? kind : 'event'}: ${applied.length} migration(s) applied`);
}
