/**
 * `stats.get` and `history.list`: numbers and the action log, within what the user may see.
 */
import { HISTORY_KINDS, type ActionView, type Payload, type ResultOf, type ReviewStatus, type Settings } from '../../shared/contract';
import type { ActionKind, ActionPage } from '../../store/actions';
import { listActions } from '../../store/actions';
import { countByStatus, countByType, decisionsByPerson, decisionsByWeek, scoreBuckets, WEEK_MS, weekStartOf, type PairQuery } from '../../store/review';
import { getSettings } from '../../store/settings';
import { hiddenFormerKeys } from '../../store/former-keys';
import { lastDoneRunRow } from '../../store/runs';
import { runSettings } from '../../analysis/run-settings';
import { actorNames } from '../actor-names';
import { requireAdmin } from '../admin-only';
import { badRequest } from '../api-failure';
import type { CallContext } from '../call-context';
import { seesEverything, visibilityQuery, visibleProjectsFor } from '../visibility';
import { DEFAULT_PAGE_SIZE, pageProject } from './pairs';

const BUCKETS_PER_UNIT = 20; // 0.05 wide
/** Weeks of review progress charted, this one included. */
const PROGRESS_WEEKS = 12;
const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function statsMethod(payload: Payload<'stats.get'>, ctx: CallContext): Promise<ResultOf<'stats.get'>> {
  const projectKey = pageProject(payload.projectKey, ctx);
  const [visible, settings] = await Promise.all([visibleProjectsFor(projectKey), getSettings()]);
  const query = { ...visibilityQuery(visible), projectKey };
  const [buckets, byType, statuses, progress] = await Promise.all([
    scoreBuckets(query, BUCKETS_PER_UNIT),
    countByType(query),
    countByStatus(query),
    payload.progress === true ? reviewProgress(query) : Promise.resolve(NO_PROGRESS),
  ]);

  // From the bucket holding the related threshold up to 1.
  const first = Math.floor(settings.thresholds.related * BUCKETS_PER_UNIT + 1e-6);
  const scoreHistogram: ResultOf<'stats.get'>['scoreHistogram'] = [];
  for (let b = first; b < BUCKETS_PER_UNIT; b++) {
    const counted = buckets.get(b);
    scoreHistogram.push({ from: round(b / BUCKETS_PER_UNIT), to: round((b + 1) / BUCKETS_PER_UNIT), count: counted?.count ?? 0, duplicates: counted?.duplicates ?? 0 });
  }
  const count = (status: ReviewStatus, part: 'count' | 'duplicates'): number => statuses.get(status)?.[part] ?? 0;
  const byStatus: Record<ReviewStatus, number> = { pending: count('pending', 'count'), confirmed: count('confirmed', 'count'), dismissed: count('dismissed', 'count') };
  const duplicatesByStatus: Record<ReviewStatus, number> = {
    pending: count('pending', 'duplicates'),
    confirmed: count('confirmed', 'duplicates'),
    dismissed: count('dismissed', 'duplicates'),
  };
  const dismissReasons = statuses.get('dismissed')?.reasons ?? { different: 0, related: 0, split: 0 };
  return { scoreHistogram, byType, byStatus, duplicatesByStatus, dismissReasons, ...progress };
}

type Progress = Pick<ResultOf<'stats.get'>, 'decisionsByWeek' | 'deciders' | 'actors'>;
const NO_PROGRESS: Progress = { decisionsByWeek: [], deciders: [], actors: [] };

/** The review progress over the last PROGRESS_WEEKS weeks: decisions standing per week and by person. */
async function reviewProgress(query: PairQuery): Promise<Progress> {
  const firstWeek = weekStartOf(Date.now()) - (PROGRESS_WEEKS - 1) * WEEK_MS;
  const [weeks, deciders] = await Promise.all([decisionsByWeek(query, firstWeek), decisionsByPerson(query, firstWeek)]);
  // Every one of the weeks, those without decisions as 0, so the chart's gaps are real.
  const byWeek = new Map(weeks.map((w) => [w.weekStartMs, w]));
  const decisionsByWeekOut = Array.from({ length: PROGRESS_WEEKS }, (_, i) => {
    const start = firstWeek + i * WEEK_MS;
    const found = byWeek.get(start);
    return { weekStart: new Date(start).toISOString().slice(0, 10), confirmed: found?.confirmed ?? 0, dismissed: found?.dismissed ?? 0 };
  });
  // Named as Jira shows them to the viewer; a failure costs the names only.
  const actors = await actorNames(deciders.map((d) => d.accountId), 'stats.actors');
  return { decisionsByWeek: decisionsByWeekOut, deciders, actors };
}

export async function historyMethod(payload: Payload<'history.list'>, ctx: CallContext): Promise<ResultOf<'history.list'>> {
  const projectKey = pageProject(payload.projectKey, ctx);
  const visible = await visibleProjectsFor(projectKey);
  const page = payload.page ?? 1;
  const pageSize = payload.pageSize ?? DEFAULT_PAGE_SIZE;
  // An entry keeps the keys it was written with: an issue the viewer may not see that has
  // moved since (a new key) is named in older entries by its former keys, left out too.
  const formerKeys = seesEverything(visible)
    ? []
    : await hiddenFormerKeys({ visibleProjects: visible.projects, hiddenIds: visible.hidden.ids, hiddenLevels: visible.hidden.levels });
  // Every project an action names must be visible (a cross-project pair's decision is not
  // shown to someone who may browse only one side), and on a project page it must involve
  // that project.
  const listed = await listActions({
    projectKeys: visible.projects,
    involving: projectKey ?? null,
    hiddenKeys: [...visible.hidden.keys, ...formerKeys],
    hiddenIds: visible.hidden.ids,
    hiddenProjects: [...new Set(visible.hidden.levels.map((g) => g.projectKey))],
    page,
    pageSize,
    ...historyFilter(payload, ctx),
  });
  return historyPage(listed, page, pageSize);
}

/** The history's own filters, as `listActions` takes them. */
function historyFilter(payload: Payload<'history.list'>, ctx: CallContext): { actions?: readonly ActionKind[]; actor?: string; issueKey?: string; asOfMs?: number } {
  return {
    ...(payload.asOf !== undefined ? { asOfMs: Date.parse(payload.asOf) } : {}),
    ...(payload.kind !== undefined ? { actions: HISTORY_KINDS[payload.kind] } : {}),
    ...(payload.mine === true ? { actor: ctx.accountId } : {}),
    ...(payload.issueKey !== undefined ? { issueKey: payload.issueKey.toUpperCase() } : {}),
  };
}

/**
 * The admin page's history: what was done to the app as a whole (settings changes, runs of
 * every project, the create check), for Jira admins only: a settings change may name
 * projects the admin page's other readers cannot browse.
 */
export async function adminHistoryMethod(payload: Payload<'history.list'>, ctx: CallContext): Promise<ResultOf<'history.list'>> {
  if (payload.projectKey !== undefined) throw badRequest('The admin page lists the app-wide history; a project\'s is on its Duplicate review page.', { projectKey: 'not on the admin page' });
  await requireAdmin('see the app\'s history');
  const page = payload.page ?? 1;
  const pageSize = payload.pageSize ?? DEFAULT_PAGE_SIZE;
  return historyPage(await listActions({ globalOnly: true, page, pageSize, ...historyFilter(payload, ctx) }), page, pageSize);
}

/** A page of the history as the pages take it, with its actors' names. */
async function historyPage(listed: ActionPage, page: number, pageSize: number): Promise<ResultOf<'history.list'>> {
  const { items, total, newer, asOfMs } = listed;
  return { items, total, page, pageSize, asOf: new Date(asOfMs).toISOString(), newer, actors: await historyActors(items) };
}

/** Names for the history's "Who" column. */
function historyActors(items: ActionView[]): Promise<ResultOf<'history.list'>['actors']> {
  return actorNames(
    items.map((a) => a.actorAccountId),
    'history.actors',
  );
}

const PREVIEW_BUCKETS = 100;

/**
 * The thresholds the stored pairs' tiers were computed under: the last finished analysis's
 * (a save since then changed the settings, not the stored tiers), else the saved ones.
 */
async function storedThresholds(saved: Settings['thresholds']): Promise<Settings['thresholds']> {
  const last = await lastDoneRunRow();
  if (last === null) return saved;
  try {
    return runSettings(last).thresholds;
  } catch {
    return saved;
  }
}

/** `settings.preview`: the score histogram of every stored pair the viewer may see, in hundredths. */
export async function settingsPreviewMethod(_payload: Payload<'settings.preview'>, _ctx: CallContext): Promise<ResultOf<'settings.preview'>> {
  const [visible, settings] = await Promise.all([visibleProjectsFor(undefined), getSettings()]);
  const [counted, stored] = await Promise.all([scoreBuckets(visibilityQuery(visible), PREVIEW_BUCKETS), storedThresholds(settings.thresholds)]);
  const buckets = Array.from({ length: PREVIEW_BUCKETS }, (_, b) => counted.get(b)?.count ?? 0);
  const duplicates = Array.from({ length: PREVIEW_BUCKETS }, (_, b) => counted.get(b)?.duplicates ?? 0);
  return { buckets, duplicates, storedDuplicateFrom: stored.duplicate, storedFrom: stored.related, total: buckets.reduce((n, c) => n + c, 0) };
}
