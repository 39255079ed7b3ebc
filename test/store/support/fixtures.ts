/**
 * Documents and pairs for the store tests, in project A: issue `id` is A-`id`, and a pair joins
 * two of them. Ids are whole numbers written as strings, so an issue's dates follow its id.
 */
import type { DocWrite } from '../../../src/store/docs';
import type { PairWrite } from '../../../src/store/pairs';

/** Issue `id`: an open Task created at `id` seconds and updated half a second later; `over` sets any field. */
export const doc = (id: string, over: Partial<DocWrite> = {}): DocWrite => ({
  id,
  key: `A-${id}`,
  projectKey: 'A',
  type: 'Task',
  status: 'Open',
  statusCategory: 'new',
  createdMs: Number(id) * 1000,
  updatedMs: Number(id) * 1000 + 500,
  summary: `summary ${id}`,
  textHash: 'h',
  terms: `d${id}\ns x`,
  ...over,
});

/** Issues `a` and `b` as a pair found at `score`, with no reasons and no cluster. */
export const pair = (a: string, b: string, score: number, tier: 'duplicate' | 'related' = 'duplicate'): PairWrite => ({ a, b, projectA: 'A', projectB: 'A', score, tier, reasons: [], clusterId: null });
