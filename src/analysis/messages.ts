/**
 * Queue bodies of the `analysis` queue, checked with zod on arrival (a body from an older
 * deployment that no longer parses is dropped with a log line, never half-processed).
 *
 *   plan  → count the scope, split it into fetch chains, push one fetch per chain
 *   fetch → read up to ~500 issues from `token`, upsert docs, push the next fetch (same chain)
 *   score → (after every chain ended) sweep, score the scope, write pairs, finish the run
 *   rescore → score again issues an event changed while a run's last step ran, past what that
 *             step scores again itself (after the run; no batch, each delivery safe to repeat)
 *   sweep → forget stored issues the settings no longer analyse (project, issue type, age
 *           limit), one page of documents per event, then push the next page (no run, no
 *           batch: each delivery safe to repeat; src/analysis/scope-sweep.ts)
 */
import { z } from 'zod';

export const ANALYSIS_QUEUE = 'analysis';

const runId = z.string().min(1).max(40);
/**
 * How many times the step was pushed again after Jira's rate limit outlasted the platform's
 * redeliveries (absent the first time): such a copy takes its batch over, as a redelivery does.
 */
const throttled = z.number().int().min(1).max(100).optional();

export const planEventSchema = z.object({ kind: z.literal('plan'), runId, throttled });
export const fetchEventSchema = z.object({
  kind: z.literal('fetch'),
  runId,
  chain: z.number().int().min(0).max(999),
  step: z.number().int().min(0).max(99_999),
  jql: z.string().min(1).max(10_000),
  token: z.string().max(10_000).nullable(),
  throttled,
});
export const scoreEventSchema = z.object({ kind: z.literal('score'), runId, throttled });
/** Issues per `rescore` event: each reads its scope's stored terms once, well inside the consumer's 900 s. */
export const RESCORE_IDS_PER_EVENT = 50;
export const rescoreEventSchema = z.object({
  kind: z.literal('rescore'),
  /** The run whose last step handed them on (for the logs; the run may be over). */
  runId,
  /** The analysis that scores them (`IssueAnalysis.name`). */
  analysis: z.string().min(1).max(40),
  ids: z.array(z.string().min(1).max(40)).min(1).max(RESCORE_IDS_PER_EVENT),
});

/** Documents one `sweep` event weighs: one primary-key range read and a bounded forget, seconds at most. */
export const SWEEP_DOCS_PER_EVENT = 2000;
export const sweepEventSchema = z.object({
  kind: z.literal('sweep'),
  /** Documents with ids after this one are weighed ('' from the first). */
  after: z.string().max(40),
  /**
   * When the sweep began (epoch ms): every page records its exits at this time, so a
   * redelivered page finds what an earlier delivery recorded even where it forgot the documents.
   */
  atMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Why it runs, for the logs. */
  reason: z.enum(['settings', 'run']),
});

export const analysisEventSchema = z.discriminatedUnion('kind', [planEventSchema, fetchEventSchema, scoreEventSchema, rescoreEventSchema, sweepEventSchema]);

export type AnalysisEvent = z.infer<typeof analysisEventSchema>;
export type PlanEvent = z.infer<typeof planEventSchema>;
export type FetchEvent = z.infer<typeof fetchEventSchema>;
export type ScoreEvent = z.infer<typeof scoreEventSchema>;
export type RescoreEvent = z.infer<typeof rescoreEventSchema>;
export type SweepEvent = z.infer<typeof sweepEventSchema>;

/** Batch row names (run_batches.batch_no) of each unit of work. */
export const batchNo = {
  plan: 'plan',
  fetch: (chain: number, step: number) => `f.${chain}.${step}`,
  fetchPrefix: 'f.',
  chainEnd: (chain: number) => `end.${chain}`,
  chainEndPrefix: 'end.',
  score: 'score',
} as const;
