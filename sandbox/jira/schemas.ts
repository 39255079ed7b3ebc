/**
 * zod schemas for request-body pieces several routes share.
 */
import { z } from 'zod';
import type { AdfDoc } from './types';

/** An ADF document: Jira REST v3 refuses plain strings where ADF is expected. */
export const adfDoc = z
  .object({ type: z.literal('doc'), version: z.literal(1), content: z.array(z.record(z.string(), z.unknown())) })
  .transform((d) => d as unknown as AdfDoc);
