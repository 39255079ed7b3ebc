/**
 * `issue-badge`: the dynamic properties of the issue context ("3 possible duplicates").
 *
 * Counts pending duplicate-tier pairs of the issue whose other issue the viewer may browse.
 * An issue whose project is not in scope (as its stored pairs record it), whose type the
 * settings leave out, or older than their age limit (as it was stored), shows the plain label: its stored pairs are no longer
 * kept up to date, and the panel says so.
 * Forge hands dynamic-property functions the module's context; the exact nesting has moved
 * between Forge versions, so the issue id and the viewer are read defensively from every
 * place they have been seen. Any failure shows the plain label: a badge is never worth an
 * error in the issue view.
 *
 * An issue whose score was lost (its `rescore` event dropped after its tries: unscored past
 * the pending window, with no live run to read it) is counted from pairs of its old text until
 * its next event or run. The panel has it scored when opened (`suggestions.recheck`); the
 * badge is read on every view of the issue, opened or not, so it does the same, bounded: it
 * queues one `rescore` of the issue from what is stored (no Jira call; the analysis consumer
 * scores it, not the badge, which answers at once as before), after claiming it on the
 * document (`claimLostScore`), so that the issue counts as on its way and no read of the
 * badge or the panel asks again for the pending window (10 minutes). The count shown is the
 * stored one; the next read after the rescore shows the new one. What the badge costs on any
 * other issue: one more read of its document by primary key, beside the reads it made before.
 */
import { ANALYSES } from '../analysis/analyses';
import { pushAnalysisEvents } from '../analysis/queue';
import { browsableIssueIds } from '../jira/permissions';
import type { Settings } from '../shared/contract';
import { claimLostScore, getDoc, type DocRow } from '../store/docs';
import { pairsOfIssue } from '../store/pairs';
import { getSettings, typeAnalysed } from '../store/settings';
import { runWillScore, scoreLost } from './methods/suggestions';
import { logEvent } from './log';
import { mapError } from './error-mapping';

export interface BadgeProperties {
  label: string;
  status?: { type: 'badge'; value: { label: string } };
}

const PLAIN: BadgeProperties = { label: 'Possible duplicates' };

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined => (typeof v === 'object' && v !== null ? (v as Loose) : undefined);
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The issue id from `{ extension: { issue } }`, `{ context: { extension: { issue } } }` or `{ issue }`. */
export function badgeIssueId(event: unknown, context: unknown): string | undefined {
  for (const source of [event, context]) {
    const s = obj(source);
    const candidates = [obj(obj(s?.['extension'])?.['issue']), obj(obj(obj(s?.['context'])?.['extension'])?.['issue']), obj(s?.['issue'])];
    for (const issue of candidates) {
      const id = idOf(issue?.['id']);
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

/** The viewer: `context.principal.accountId`, `context.accountId` or `event.context.accountId`. */
export function badgeAccountId(event: unknown, context: unknown): string | undefined {
  const c = obj(context);
  return idOf(obj(c?.['principal'])?.['accountId']) ?? idOf(c?.['accountId']) ?? idOf(obj(obj(event)?.['context'])?.['accountId']);
}

export async function issueBadge(event: unknown, context: unknown): Promise<BadgeProperties> {
  const issueId = badgeIssueId(event, context);
  const accountId = badgeAccountId(event, context);
  // Without a signed-in viewer nothing can be filtered by permission, so nothing is counted.
  if (issueId === undefined || accountId === undefined) return PLAIN;
  try {
    const [stored, settings, doc] = await Promise.all([pairsOfIssue(issueId, { activeOnly: true }), getSettings(), getDoc(issueId)]);
    await rescoreIfLost(doc, settings);
    const pairs = stored.filter((p) => p.tier === 'duplicate' && p.status === 'pending');
    const first = pairs[0];
    if (first === undefined) return PLAIN;
    // Each pair row records the project of both its issues.
    if (!settings.projects.includes(first.a === issueId ? first.projectA : first.projectB)) return PLAIN;
    // A type taken out of the settings, or an issue older than the age limit: until an
    // analysis drops its pairs, the panel warns instead.
    if (doc !== null && settings.issueTypes.length > 0 && !typeAnalysed(settings.issueTypes, doc.type)) return PLAIN;
    if (doc !== null && tooOld(doc, settings, Date.now())) return PLAIN;
    const others = pairs.map((p) => (p.a === issueId ? p.b : p.a));
    // Dynamic properties may run without a user session, so the check is made as the app
    // about the viewer rather than as the viewer.
    const browsable = await browsableIssueIds([issueId, ...others], accountId);
    if (!browsable.has(issueId)) return PLAIN;
    const n = new Set(others.filter((id) => browsable.has(id))).size;
    if (n === 0) return PLAIN;
    return { status: { type: 'badge', value: { label: String(n) } }, label: `${n} possible duplicate${n === 1 ? '' : 's'}` };
  } catch (err) {
    logEvent('issue.badge', { issueId, status: 'failed', ...mapError(err).log });
    return PLAIN;
  }
}

/** Older than the settings' age limit, as stored: no analysis reads it any more. */
function tooOld(doc: DocRow, settings: Settings, now: number): boolean {
  return settings.maxAgeDays > 0 && doc.createdMs > 0 && now - doc.createdMs > settings.maxAgeDays * 86_400_000;
}

/**
 * The panel's recheck of a lost score, from the badge (see the top of this file): for a stored
 * issue the analyses read (its project in scope, its type analysed, within the age limit),
 * unscored past the pending window, with no live run of its project. At most one `rescore` per
 * issue per pending window, whoever reads the badge; never a Jira call. A failure is logged and
 * leaves the badge as it is.
 */
async function rescoreIfLost(doc: DocRow | null, settings: Settings): Promise<void> {
  const now = Date.now();
  if (doc === null || !scoreLost(doc, now)) return;
  if (!settings.projects.includes(doc.projectKey) || !typeAnalysed(settings.issueTypes, doc.type) || tooOld(doc, settings, now)) return;
  try {
    if (await runWillScore(doc, doc.projectKey, doc.updatedMs, now)) return;
    if (!(await claimLostScore(doc.id, doc.seenMs, now))) return;
    const events = ANALYSES.filter((a) => a.rescoreIssues !== undefined).map((a) => ({ kind: 'rescore' as const, runId: 'issue-badge', analysis: a.name, ids: [doc.id] }));
    await pushAnalysisEvents(events);
    logEvent('issue.badge', { issueId: doc.id, outcome: 'rescore-queued' });
  } catch (err) {
    logEvent('issue.badge', { issueId: doc.id, status: 'rescore-failed', ...mapError(err).log });
  }
}
