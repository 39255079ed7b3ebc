/**
 * Answers @forge/events at the seam: POST /webhook/queue/publish|stats|cancel/...
 * (the SDK sends the path template with `{contextAri}` etc. unexpanded; the
 * platform fills them in, so only the prefix matters here).
 */
import { z } from 'zod';
import { emptyReply, jsonReply, proxyErrorReply, readBodyText, wireErrorReply } from '../http-reply';
import { WireError } from '../wire-error';
import type { QueueDispatcher } from './queue-dispatcher';

const jobRequest = z.object({ queueName: z.string(), jobId: z.string() });

export class QueueEndpoint {
  constructor(private readonly dispatcher: QueueDispatcher) {}

  async handle(path: string, init: RequestInit | undefined): Promise<Response> {
    try {
      const body = parseJson(await readBodyText(init));
      if (path.startsWith('/webhook/queue/publish/')) {
        await this.dispatcher.push(body);
        return jsonReply(201, {});
      }
      if (path.startsWith('/webhook/queue/stats/')) {
        const { jobId } = parseJob(body);
        const stats = this.dispatcher.jobStats(jobId);
        if (!stats) throw new WireError(404, 'JOB_NOT_FOUND', `The job ${jobId} was not found.`);
        return jsonReply(200, stats);
      }
      if (path.startsWith('/webhook/queue/cancel/')) {
        const { jobId } = parseJob(body);
        if (!this.dispatcher.cancel(jobId)) throw new WireError(404, 'JOB_NOT_FOUND', `The job ${jobId} was not found.`);
        return emptyReply(204);
      }
      if (path.startsWith('/forge/events/v1/app-events')) {
        return jsonReply(501, { errorMessages: ['LocalForge does not emulate app events (appEvents.publish).'] });
      }
      return proxyErrorReply(404, 'INVALID_REMOTE');
    } catch (error) {
      if (error instanceof WireError) return wireErrorReply(error);
      throw error;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WireError(400, 'VALIDATION_ERROR', 'The request body is not JSON.');
  }
}

function parseJob(body: unknown): { queueName: string; jobId: string } {
  const parsed = jobRequest.safeParse(body);
  if (!parsed.success) throw new WireError(400, 'VALIDATION_ERROR', 'jobId cannot be empty.');
  return parsed.data;
}
