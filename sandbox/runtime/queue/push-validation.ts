/**
 * What the Forge queue service checks on a push, re-checked here on the wire (the
 * SDK checks some of it client-side, but a raw or future caller might not): 50
 * events, 200 KB a push, 100 KB an event when the consumer's timeout is over 55 s,
 * delay 0-900 s, a queue that some consumer in the manifest reads.
 */
import { z } from 'zod';
import { WireError } from '../wire-error';
import { DEFAULT_ASYNC_TIMEOUT_SECONDS, type AppManifest, type ConsumerSpec } from '../manifest/app-manifest';

export const QUEUE_LIMITS = {
  eventsPerPush: 50,
  pushBytes: 200 * 1024,
  eventBytesLongConsumer: 100 * 1024,
  longConsumerAboveSeconds: 55,
  maxDelaySeconds: 900,
};

const QUEUE_NAME = /^[a-zA-Z0-9-_]+$/;

const pushSchema = z.object({
  queueName: z.string(),
  jobId: z.string().min(1),
  payload: z.array(z.unknown()),
});

const eventSchema = z.object({
  body: z.record(z.string(), z.unknown()),
  delayInSeconds: z.number().optional(),
  concurrency: z.object({ key: z.string().min(1), limit: z.number().int().positive() }).optional(),
});

export type ValidPushEvent = z.infer<typeof eventSchema>;

export interface ValidPush {
  queueName: string;
  jobId: string;
  events: ValidPushEvent[];
  consumer: ConsumerSpec;
}

function tooBig(message: string): WireError {
  // The SDK reads `errorMessage` from a 413 answer.
  return new WireError(413, 'PAYLOAD_TOO_LARGE', message, { errorMessage: message });
}

export function validatePush(raw: unknown, manifest: AppManifest): ValidPush {
  const push = pushSchema.safeParse(raw);
  if (!push.success) throw new WireError(400, 'VALIDATION_ERROR', 'The push request is malformed.');
  const { queueName, jobId, payload } = push.data;
  if (!QUEUE_NAME.test(queueName)) {
    throw new WireError(400, 'VALIDATION_ERROR', 'Queue names can only contain alphanumeric characters, dashes and underscores.');
  }
  const consumer = manifest.consumers.find((c) => c.queue === queueName);
  if (!consumer) {
    throw new WireError(400, 'VALIDATION_ERROR', `No consumer in manifest.yml reads the queue '${queueName}'.`);
  }
  if (payload.length === 0) throw new WireError(400, 'VALIDATION_ERROR', 'No events pushed.');
  if (payload.length > QUEUE_LIMITS.eventsPerPush) {
    throw new WireError(400, 'VALIDATION_ERROR', `This push contains more than the ${QUEUE_LIMITS.eventsPerPush} events allowed.`);
  }
  const events = payload.map((item) => {
    const event = eventSchema.safeParse(item);
    if (!event.success) throw new WireError(400, 'VALIDATION_ERROR', 'Event body must be an object.');
    const delay = event.data.delayInSeconds;
    if (delay !== undefined && (delay < 0 || delay > QUEUE_LIMITS.maxDelaySeconds)) {
      throw new WireError(400, 'VALIDATION_ERROR', 'The delayInSeconds setting must be between 0 and 900.');
    }
    return event.data;
  });
  if (Buffer.byteLength(JSON.stringify(payload)) > QUEUE_LIMITS.pushBytes) {
    throw tooBig('The maximum payload size is 200KB.');
  }
  const timeout = manifest.functions.get(consumer.functionKey)?.timeoutSeconds ?? DEFAULT_ASYNC_TIMEOUT_SECONDS;
  if (timeout > QUEUE_LIMITS.longConsumerAboveSeconds) {
    const index = payload.findIndex((e) => Buffer.byteLength(JSON.stringify(e)) > QUEUE_LIMITS.eventBytesLongConsumer);
    if (index !== -1) {
      throw tooBig(
        `Event ${index} is larger than 100KB, the limit for events whose consumer timeout is over ${QUEUE_LIMITS.longConsumerAboveSeconds} seconds.`,
      );
    }
  }
  return { queueName, jobId, events, consumer };
}
