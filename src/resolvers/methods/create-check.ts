/**
 * `create.check`: while someone types a new issue, the closest stored issues of the same
 * scope. Never fails the create dialog: any problem answers "no matches" (and is logged).
 */
import { tierFor } from '../../analysis/other-work';
import { loadFocusedIndex } from '../../analysis/scope-index';
import { extractTerms } from '../../engine';
import { TextAnalyzer } from '../../engine/text/tokenizer';
import { browsableIssueIds } from '../../jira/permissions';
import { projectsByKeys } from '../../jira/projects';
import type { Payload, ResultOf } from '../../shared/contract';
import { duplicateByDefault } from '../../shared/newer-issue';
import { getDocsByIds, type DocRow } from '../../store/docs';
import { dupLinksOf, type LinkedDoc } from '../../store/review';
import { getSettings, typeAnalysed } from '../../store/settings';
import { issueTypeNameById } from '../../jira/issue-types';
import type { CallContext } from '../call-context';
import { mapError } from '../error-mapping';
import { logEvent } from '../log';
import { tierOf } from '../views';
import { hiddenBySecurity } from '../visibility';

type CheckResult = ResultOf<'create.check'>;

const MAX_MATCHES = 3;
/** Candidates looked at before the permission filter, so hidden issues do not starve the top 3. */
const CANDIDATES = 15;
/**
 * Words a summary needs before it is compared. One word ("login", "checkout") matches every
 * issue that mentions it, with scores that look like duplicates because a one-word draft has
 * nothing else to weigh: the reporter is still typing, and a warning then is noise. Two words
 * ("login fails") already say what the issue is about.
 */
const MIN_WORDS = 2;
/** Scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/**
 * The words of a summary that say something, as the index reads them. A stretch between
 * spaces counts when the analyser keeps a term of it: stop words ("the", "in") and
 * punctuation do not count, a number does ("Error 500"), one identifier counts once however
 * the analyser splits it (jackson-databind, LdapGroupsMapping), and so does a repeated word.
 * In Chinese and Japanese, written without spaces, every two characters count as a word
 * (most words there are one to three characters long). Stops counting at `enough`.
 */
export function meaningfulWords(summary: string, enough = Number.POSITIVE_INFINITY): number {
  const analyzer = new TextAnalyzer();
  // A stretch is known by its first term (ids are per analyzer): "login Login" is one word.
  const seen = new Set<number>();
  let words = 0;
  // Zero-width spaces part words too (pasted text has them where spaces were); the index reads them so.
  for (const stretch of summary.split(/[\s\u200B]+/u)) {
    const ids: number[] = [];
    analyzer.analyse(stretch, 'prose', { addId: (id) => void ids.push(id) });
    const first = ids[0];
    if (first === undefined || seen.has(first)) continue;
    seen.add(first);
    const unspaced = stretch.match(UNSPACED)?.length ?? 0;
    words += Math.max(1, Math.floor(unspaced / 2));
    if (words >= enough) break;
  }
  return words;
}

async function projectKeyOf(payload: Payload<'create.check'>, ctx: CallContext, inScope: string[]): Promise<string | null> {
  if (ctx.project !== null && (payload.projectId === undefined || payload.projectId === ctx.project.id)) return ctx.project.key;
  if (payload.projectId === undefined) return null;
  const projects = await projectsByKeys(inScope);
  return projects.find((p) => p.id === payload.projectId)?.key ?? null;
}

async function draftTypeAnalysed(issueTypeId: string, analysed: string[]): Promise<boolean> {
  try {
    const name = await issueTypeNameById(issueTypeId, { as: 'user' });
    return name === null || typeAnalysed(analysed, name);
  } catch (err) {
    logEvent('create.check.type', { status: 'failed', ...mapError(err).log });
    return true;
  }
}

async function check(payload: Payload<'create.check'>, ctx: CallContext): Promise<CheckResult> {
  const summary = payload.summary.trim();
  // Until the summary says enough to compare, whatever the description says: the warning
  // sits under the summary and speaks of summaries.
  if (meaningfulWords(summary, MIN_WORDS) < MIN_WORDS) return { matches: [] };
  const settings = await getSettings();
  // Turned off: the UI modification may still be registered if Jira failed when it was saved.
  if (!settings.createDialogCheck) return { matches: [] };
  const projectKey = await projectKeyOf(payload, ctx, settings.projects);
  if (projectKey === null || !settings.projects.includes(projectKey)) return { matches: [] };
  // An issue of a type the app does not analyse is never checked once it exists: no warning
  // for it now either (the issue panel would say its type is not analysed). When Jira cannot
  // name the type, the check goes on.
  if (settings.issueTypes.length > 0 && payload.issueTypeId !== undefined && !(await draftTypeAnalysed(payload.issueTypeId, settings.issueTypes))) return { matches: [] };

  // The dialog's project only, even with cross-project suggestions on: its stored documents
  // are read per call, and one project's keep that within a blur's patience. Only those that
  // can reach the related threshold against the draft are indexed (the others only count
  // for IDF), with the scores the whole project's index would give them.
  const draft = extractTerms({ id: '', summary, description: payload.description ?? '' });
  // Issues a security level hides from this user are left out before anything is counted:
  // the scores of the others would otherwise say which words the hidden ones hold.
  const hidden = await hiddenBySecurity([projectKey]);
  const { index } = await loadFocusedIndex([projectKey], settings, draft, settings.thresholds.related, [], {
    ids: new Set(hidden.ids),
    levels: new Set(hidden.levels.map((g) => `${g.projectKey} ${g.level}`)),
  });
  const hits = index.query(draft, CANDIDATES, { minScore: settings.thresholds.related });
  if (hits.length === 0) return { matches: [] };

  const ids = hits.map((h) => h.id);
  const [browsable, docs, links] = await Promise.all([browsableIssueIds(ids), getDocsByIds(ids), dupLinksOf(ids)]);
  const originals = await originalsOf(ids, docs, links);
  const matches: CheckResult['matches'] = [];
  const projectKeys = new Set(settings.projects);
  for (const hit of hits) {
    const doc = docs.get(hit.id);
    if (!doc || !browsable.has(hit.id)) continue;
    // As stored pairs are: a draft naming another version, branch or issue key is related at most.
    const tier = tierFor(hit.tier ?? 'related', summary, doc.summary, projectKeys);
    matches.push({ key: doc.key, summary: doc.summary, score: hit.score, tier: tierOf(tier), duplicateOf: originals.get(hit.id) ?? null });
    if (matches.length === MAX_MATCHES) break;
  }
  return { matches };
}

/**
 * For each matched issue that a Duplicate link in Jira joins to another issue it duplicates
 * (by the app's own rule, `duplicateByDefault`: the one closed as a duplicate when only one
 * was, else the later one), that issue's key, when the user may see it. The reporter is then
 * pointed at the original rather than at one of its copies. One more permission call, only
 * when matched issues have links.
 */
async function originalsOf(ids: string[], docs: Map<string, DocRow>, links: Map<string, LinkedDoc>): Promise<Map<string, string>> {
  const linked = [...new Set(ids.flatMap((id) => links.get(id)?.dupLinks ?? []))];
  const out = new Map<string, string>();
  if (linked.length === 0) return out;
  const [others, seen] = await Promise.all([getDocsByIds(linked), browsableIssueIds(linked)]);
  for (const id of ids) {
    const doc = docs.get(id);
    if (!doc) continue;
    const self = { id, createdMs: doc.createdMs, resolution: doc.resolution ?? null };
    for (const otherId of links.get(id)?.dupLinks ?? []) {
      const other = others.get(otherId);
      if (!other || !seen.has(otherId)) continue;
      if (duplicateByDefault(self, { id: otherId, createdMs: other.createdMs, resolution: other.resolution ?? null })) {
        out.set(id, other.key);
        break;
      }
    }
  }
  return out;
}

export async function createCheckMethod(payload: Payload<'create.check'>, ctx: CallContext): Promise<CheckResult> {
  try {
    return await check(payload, ctx);
  } catch (err) {
    logEvent('create.check', { status: 'failed', ...mapError(err).log });
    return { matches: [] };
  }
}
