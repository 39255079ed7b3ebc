/**
 * `stats.get` and `history.list`: numbers and the action log, within what the user may see.
 */
import type { Payload, ResultOf, ReviewStatus } from '../../shared/contract';
import { listActions } from '../../store/actions';
import { countByStatus, countByType, scoreBuckets } from '../../store/review';
import { getSettings } from '../../store/settings';
import type { CallContext } from '../call-context';
import { visibilityQuery, visibleProjectsFor } from '../visibility';
import { DEFAULT_PAGE_SIZE, pageProject } from './pairs';

const BUCKETS_PER_UNIT = 20; // 0.05 wide
const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function statsMethod(payload: Payload<'stats.get'>, ctx: CallContext): Promise<ResultOf<'stats.get'>> {
  const projectKey = pageProject(payload.projectKey, ctx);
  const [visible, settings] = await Promise.all([visibleProjectsFor(projectKey), getSettings()]);
  const query = { ...visibilityQuery(visible), projectKey };
  const [buckets, byType, statuses] = await Promise.all([scoreBuckets(query, BUCKETS_PER_UNIT), countByType(query), countByStatus(query)]);

  // From the bucket holding the related threshold up to 1; a score of exactly 1 joins the last bucket.
  const first = Math.floor(settings.thresholds.related * BUCKETS_PER_UNIT + 1e-6);
  const scoreHistogram: ResultOf<'stats.get'>['scoreHistogram'] = [];
  for (let b = first; b < BUCKETS_PER_UNIT; b++) {
    const count = (buckets.get(b) ?? 0) + (b === BUCKETS_PER_UNIT - 1 ? (buckets.get(BUCKETS_PER_UNIT) ?? 0) : 0);
    scoreHistogram.push({ from: round(b / BUCKETS_PER_UNIT), to: round((b + 1) / BUCKETS_PER_UNIT), count });
  }
  const byStatus: Record<ReviewStatus, number> = {
    pending: statuses.get('pending') ?? 0,
    confirmed: statuses.get('confirmed') ?? 0,
    dismissed: statuses.get('dismissed') ?? 0,
  };
  return { scoreHistogram, byType, byStatus };
}

/** "ABC-12" → "ABC". */
const projectOfKey = (key: string): string => key.slice(0, Math.max(0, key.lastIndexOf('-')));

export async function historyMethod(payload: Payload<'history.list'>, ctx: CallContext): Promise<ResultOf<'history.list'>> {
  const projectKey = pageProject(payload.projectKey, ctx);
  const visible = await visibleProjectsFor(projectKey);
  const page = payload.page ?? 1;
  const pageSize = payload.pageSize ?? DEFAULT_PAGE_SIZE;
  const { items, total } = await listActions({ projectKeys: projectKey !== undefined ? [projectKey] : visible.projects, page, pageSize });
  // An action about a cross-project pair is listed under both projects; show it only when
  // every issue it names is in a project this user may browse.
  const allowed = new Set(visible.projects);
  const shown = items.filter((a) => a.issueKeys.every((k) => allowed.has(projectOfKey(k))));
  return { items: shown, total: Math.max(shown.length, total - (items.length - shown.length)), page, pageSize };
}
