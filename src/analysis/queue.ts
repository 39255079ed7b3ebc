/** Pushes analysis events: at most 50 per push (Forge's limit), bodies zod-checked on the way out too. */
import { Queue } from '@forge/events';
import { ANALYSIS_QUEUE, analysisEventSchema, type AnalysisEvent } from './messages';

export async function pushAnalysisEvents(events: AnalysisEvent[], delayInSeconds?: number): Promise<void> {
  const queue = new Queue({ key: ANALYSIS_QUEUE });
  for (let i = 0; i < events.length; i += 50) {
    const slice = events.slice(i, i + 50).map((body) => ({
      body: analysisEventSchema.parse(body),
      ...(delayInSeconds === undefined ? {} : { delayInSeconds }),
    }));
    await queue.push(slice);
  }
}
