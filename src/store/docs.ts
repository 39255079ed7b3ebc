/**
 * Issue documents: one row per indexed issue (table `docs`). The engine's encoded terms
 * live here; the full description never does (only a 255-character summary for lists).
 */
import type { IssueRef, StatusCategory } from '../shared/contract';
import { foldForSearch } from '../shared/search-fold';
import { chunkBySize, execute, iso, num, numOrNull, placeholders, rowBytes, select, str, type Row, type SqlParam } from './db';
import { isShrinkable, pagedRead } from './paged-read';
import { syncPairsOfDocs } from './pairs';
import { recordKeyChanges } from './former-keys';
import { clipCodePoints } from '../shared/code-points';
import { fromTermsColumn, fromWordsColumn, toTermsColumn, toWordsColumn } from './terms-column';

export const SUMMARY_MAX = 255;

export interface DocMeta {
  id: string;
  key: string;
  projectKey: string;
  type: string;
  status: string;
  statusCategory: StatusCategory;
  createdMs: number;
  updatedMs: number;
  summary: string;
  /** Jira's resolution name; '' when unresolved; absent where it was not read. */
  resolution?: string;
}

export interface DocWrite extends DocMeta {
  textHash: string;
  /** encodeTerms() output; `null` when the text is unchanged (hash equal): terms are kept. */
  terms: string | null;
  /** Surface words of description terms ("stem=word|…"); kept with the terms when null/absent. */
  words?: string | null;
  /**
   * Ids of the issues Jira joins this one to by a Duplicate link (either direction), as read
   * with it (absent: none). Written on every upsert: links change without the text changing.
   */
  dupLinks?: readonly string[];
  /**
   * Id of the issue's security level ('' or absent: none), written on every upsert: a level
   * changes without the text changing. Counts leave such issues out for those outside it.
   */
  securityLevel?: string;
}

/** Room for `dup_links` (VARCHAR(600)). */
const DUP_LINKS_MAX = 600;
/** Ends a `dup_links` list that did not fit: the issue has more Duplicate links than the list names. */
export const DUP_LINKS_CUT = '*';

/** `dup_links` as stored: ids joined by commas, cut at the last whole id that fits (then `,*`). */
export function encodeDupLinks(ids: readonly string[]): string {
  let out = '';
  for (const id of ids) {
    const next = out === '' ? id : `${out},${id}`;
    if (next.length > DUP_LINKS_MAX - 2) return out === '' ? DUP_LINKS_CUT : `${out},${DUP_LINKS_CUT}`;
    out = next;
  }
  return out;
}

export interface DocRow extends DocMeta {
  textHash: string;
  seenMs: number;
  scoredMs: number | null;
}

/** What scoring needs of each document. */
export interface ScopeDoc {
  id: string;
  projectKey: string;
  summary: string;
  terms: string;
  /** "stem=word|…" for description terms (may be empty). */
  words: string;
  /** Set when the stored terms could not be read (then `terms` is ''): see `forgetTextHashes`. */
  unreadable?: true;
  /** The issue's security level id ('' for none); read by terms-only pages only. */
  securityLevel?: string;
}

const META = 'id, issue_key, project_key, issue_type, status_name, status_category, created_ms, updated_ms, summary, resolution, text_hash, seen_ms, scored_ms';

function toDocRow(r: Row): DocRow {
  return {
    id: str(r.id),
    key: str(r.issue_key),
    projectKey: str(r.project_key),
    type: str(r.issue_type),
    status: str(r.status_name),
    statusCategory: str(r.status_category) as StatusCategory,
    createdMs: num(r.created_ms),
    updatedMs: num(r.updated_ms),
    summary: str(r.summary),
    resolution: str(r.resolution),
    textHash: str(r.text_hash),
    seenMs: num(r.seen_ms),
    scoredMs: numOrNull(r.scored_ms),
  };
}

export function toIssueRef(d: DocMeta): IssueRef {
  return {
    id: d.id,
    key: d.key,
    summary: d.summary,
    projectKey: d.projectKey,
    type: d.type,
    status: d.status,
    statusCategory: d.statusCategory,
    created: iso(d.createdMs) ?? new Date(0).toISOString(),
    updated: iso(d.updatedMs) ?? new Date(0).toISOString(),
    resolution: d.resolution === undefined || d.resolution === '' ? null : d.resolution,
  };
}

export function truncateSummary(summary: string): string {
  // Count code points, not UTF-16 units, so a surrogate pair is never split.
  const chars = Array.from(summary);
  return chars.length <= SUMMARY_MAX ? summary : `${chars.slice(0, SUMMARY_MAX - 1).join('')}…`;
}

/** Room for `summary_folded` (VARCHAR(1020)): four times a summary's 255 characters. */
export const SUMMARY_FOLDED_MAX = 1020;

/**
 * `summary_folded` of a stored summary: the summary folded for search (foldForSearch), or
 * null when that does not fit the column (compatibility characters that each stand for
 * several, such as Arabic ligatures, in most of a long summary). A row without it is matched
 * by search as written (wordMatch in src/store/review.ts), so no word of it goes unfound.
 */
export function summaryFolded(summary: string): string | null {
  const folded = foldForSearch(summary);
  // In code points, as the column counts; the UTF-16 length, never smaller, settles most at once.
  return folded.length <= SUMMARY_FOLDED_MAX || Array.from(folded).length <= SUMMARY_FOLDED_MAX ? folded : null;
}

/** A stored `dup_links`: the ids it names, and whether the list was cut (more links than it holds). */
export function decodeDupLinks(stored: string): { ids: string[]; cut: boolean } {
  const parts = stored === '' ? [] : stored.split(',');
  return { ids: parts.filter((p) => p !== DUP_LINKS_CUT && p !== ''), cut: parts.includes(DUP_LINKS_CUT) };
}

/** What a stored document is compared with before a write: see getDocStates. */
export interface DocState {
  hash: string;
  dupLinks: string;
  updatedMs: number;
  /** When `dupLinks` was last known true (`links_ms`): a read begun before it brings older links. */
  linksMs: number;
  /** The stored issue key: a write with another one records it in `former_keys` (upsertDocs). */
  key: string;
}

/** What a page's write compares with: each stored document's text hash and Duplicate links. */
export async function getDocStates(ids: string[]): Promise<Map<string, DocState>> {
  const out = new Map<string, DocState>();
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const rows = await select(`SELECT id, issue_key, text_hash, dup_links, updated_ms, links_ms FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) out.set(str(r.id), { hash: str(r.text_hash), dupLinks: str(r.dup_links), updatedMs: num(r.updated_ms), linksMs: num(r.links_ms), key: str(r.issue_key) });
  }
  return out;
}

/**
 * Records a Duplicate link the app itself made (`present`) or removed between two stored
 * issues, or one Jira has or has not as read at `atMs`, on both documents, so that what a
 * later read of Jira finds is compared with the truth (src/analysis/jira-links.ts). A
 * document not stored is left alone, and so is one whose links are known from later than
 * `atMs` (`links_ms`). Called once Jira has made or removed the link (`atMs` now), or with
 * when the read began, so `atMs` goes to `links_ms` on both documents, also when their list
 * said so already: a read begun before it (a run's page, an event's fetch) may have seen the
 * link as it was, and its links are neither stored nor followed.
 */
export async function recordDupLink(a: string, b: string, present: boolean, atMs: number = Date.now()): Promise<void> {
  const states = await getDocStates([a, b]);
  for (const [self, other] of [[a, b], [b, a]] as const) {
    const state = states.get(self);
    if (state === undefined || state.linksMs > atMs) continue;
    const { ids, cut } = decodeDupLinks(state.dupLinks);
    if (ids.includes(other) === present) {
      await execute('UPDATE docs SET links_ms = GREATEST(links_ms, ?) WHERE id = ?', [atMs, self]);
      continue;
    }
    const next = present ? [...ids, other].sort() : ids.filter((id) => id !== other);
    const encoded = encodeDupLinks(next);
    const stored = cut && !encoded.endsWith(DUP_LINKS_CUT) ? (encoded === '' ? DUP_LINKS_CUT : `${encoded},${DUP_LINKS_CUT}`) : encoded;
    // Unless a later read or link stored the list since it was read here.
    await execute('UPDATE docs SET dup_links = ?, links_ms = GREATEST(links_ms, ?) WHERE id = ? AND links_ms <= ?', [stored.slice(0, DUP_LINKS_MAX), atMs, self, atMs]);
  }
}

export async function getDocHashes(ids: string[]): Promise<Map<string, string>> {
  return new Map([...(await getDocStates(ids))].map(([id, state]) => [id, state.hash]));
}

/**
 * A write read from Jira before the stored row was (a run's search page that an issue event
 * overtook): it changes nothing but `seen_ms` (the issue was seen). Jira's `updated` moves
 * with every edit; a row without one (0) is never taken as stale.
 */
const STALE = '(VALUES(updated_ms) > 0 AND VALUES(updated_ms) < updated_ms)';

function fresh(column: string): string {
  return `${column} = IF(${STALE}, ${column}, VALUES(${column}))`;
}

/**
 * Duplicate links read before the stored ones were known (`links_ms`: a later read, or a link
 * the app made or removed since this read began): the stored ones stay. Removing a link does
 * not always move Jira's `updated`, so STALE alone does not catch such a read.
 */
const OLDER_LINKS = `(${STALE} OR VALUES(links_ms) < links_ms)`;

/**
 * Upserts documents in multi-row statements under the request limit. Rows whose `terms` is
 * null keep their stored terms and hash (the text did not change) but refresh everything
 * else; if such a row vanished meanwhile it is inserted with an empty hash so the next
 * run re-tokenises it. `readMs`: when the read of these issues from Jira began (their
 * Duplicate links are as of then); a row whose links are known from later (OLDER_LINKS)
 * keeps them.
 *
 * A row whose text or project changes loses its `scored_ms` in the same statement (the
 * assignment comes first: MySQL and TiDB read the columns assigned before it as already
 * updated): its stored pairs belong to the old text or project until it is scored again, and
 * an issue event that fails after this write and is delivered again must not find the issue
 * "unchanged and scored". A stale write (STALE) keeps the row as it is.
 *
 * A row whose key changes (the issue moved project) leaves its old key in `former_keys`. A
 * caller that read the stored rows just before (`getDocStates`, as the analyses do) passes
 * them as `stored`, so the write costs no second read of them: a burst of writes (a run's
 * pages, many issue events at once) stays within Forge SQL's requests a second.
 */
export async function upsertDocs(docs: DocWrite[], seenMs: number = Date.now(), readMs: number = seenMs, stored?: ReadonlyMap<string, Pick<DocState, 'key' | 'updatedMs'>>): Promise<void> {
  const rows: SqlParam[][] = docs.map((d) => {
    const summary = truncateSummary(d.summary);
    return [
      d.id,
      d.key,
      d.projectKey,
      clipCodePoints(d.type, 64),
      clipCodePoints(d.status, 64),
      d.statusCategory,
      d.createdMs,
      d.updatedMs,
      summary,
      summaryFolded(summary),
      d.terms === null ? '' : d.textHash,
      d.terms === null ? '' : toTermsColumn(d.terms),
      d.terms === null ? '' : toWordsColumn(clipCodePoints(d.words ?? '', 600), d.terms),
      encodeDupLinks(d.dupLinks ?? []),
      clipCodePoints(d.securityLevel ?? '', 32),
      clipCodePoints(d.resolution ?? '', 64),
      seenMs,
      readMs,
    ];
  });
  const byId = new Map(docs.map((d) => [d.id, d]));
  for (const batch of chunkBySize(rows, rowBytes)) {
    // An issue written with another key than its stored one moved (Jira gave it a new key):
    // its old key is remembered first, for the history entries that name it by that key
    // (src/store/former-keys.ts). A write that fails after this is delivered again and finds
    // the key recorded already.
    await recordKeyChanges(
      batch.map((r) => byId.get(String(r[0]))).filter((d) => d !== undefined).map((d) => ({ id: d.id, key: d.key, updatedMs: d.updatedMs })),
      Date.now(),
      stored,
    );
    // `updated_ms` is assigned last: every assignment before it reads the stored one (and
    // `links_ms` after `dup_links`, which reads the stored one too).
    await execute(
      `INSERT INTO docs (id, issue_key, project_key, issue_type, status_name, status_category, created_ms, updated_ms, summary, summary_folded, text_hash, terms, words, dup_links, security_level, resolution, seen_ms, links_ms) VALUES ${batch.map(() => `(${placeholders(18)})`).join(', ')}
       ON DUPLICATE KEY UPDATE
         scored_ms = IF(${STALE} OR ((VALUES(terms) = '' OR VALUES(text_hash) = text_hash) AND VALUES(project_key) = project_key), scored_ms, NULL),
         ${fresh('issue_key')}, ${fresh('project_key')}, ${fresh('issue_type')},
         ${fresh('status_name')}, ${fresh('status_category')}, ${fresh('created_ms')}, ${fresh('summary')}, ${fresh('summary_folded')},
         text_hash = IF(${STALE} OR VALUES(terms) = '', text_hash, VALUES(text_hash)),
         words = IF(${STALE} OR VALUES(terms) = '', words, VALUES(words)),
         terms = IF(${STALE} OR VALUES(terms) = '', terms, VALUES(terms)),
         dup_links = IF(${OLDER_LINKS}, dup_links, VALUES(dup_links)),
         links_ms = IF(${OLDER_LINKS}, links_ms, VALUES(links_ms)),
         ${fresh('security_level')}, ${fresh('resolution')},
         seen_ms = GREATEST(seen_ms, VALUES(seen_ms)),
         updated_ms = IF(${STALE}, updated_ms, VALUES(updated_ms))`,
      batch.flat(),
    );
    // Type, status and dates are copied onto the docs' pairs (the review queue's filters/sorts).
    await syncPairsOfDocs(batch.map((r) => String(r[0])));
  }
}

/**
 * Fills `summary_folded` of rows stored before it existed (migration v014), in pages by id,
 * reading at most `maxRows` rows or for about `budgetMs`, whichever ends first: the migration
 * runs in one invocation with its time limit. The rows it leaves are folded by the next write
 * of their issue (any run that reads it; a full run reads every issue) and are matched by
 * search as written until then. A row written meanwhile is left as that write made it.
 */
export async function backfillSummaryFolded(opts: { maxRows?: number; pageSize?: number; budgetMs?: number } = {}): Promise<{ read: number; finished: boolean }> {
  const maxRows = opts.maxRows ?? 20_000;
  const pageSize = opts.pageSize ?? 500;
  const deadline = Date.now() + (opts.budgetMs ?? 10_000);
  let after = '';
  let read = 0;
  while (read < maxRows && Date.now() < deadline) {
    const limit = Math.min(pageSize, maxRows - read);
    const rows = await select(`SELECT id, summary FROM docs WHERE id > ? AND summary_folded IS NULL ORDER BY id LIMIT ${limit}`, [after]);
    const folded = rows.map((r): [string, string, string | null] => [str(r.id), str(r.summary), summaryFolded(str(r.summary))]);
    for (const batch of chunkBySize(folded, rowBytes)) {
      // Each row's summary as read: a row whose summary changed since is not given this fold.
      await execute(
        `UPDATE docs SET summary_folded = CASE ${batch.map(() => 'WHEN id = ? AND summary = ? THEN ?').join(' ')} ELSE summary_folded END
         WHERE id IN (${placeholders(batch.length)}) AND summary_folded IS NULL`,
        [...batch.flat(), ...batch.map(([id]) => id)],
      );
    }
    read += rows.length;
    const last = rows[rows.length - 1];
    if (rows.length < limit || last === undefined) return { read, finished: true };
    after = str(last.id);
  }
  return { read, finished: false };
}

function toScopeDoc(r: Row): ScopeDoc {
  const id = str(r.id);
  let terms = '';
  let unreadable = false;
  try {
    terms = fromTermsColumn(str(r.terms));
  } catch (err) {
    // As with terms that do not decode (scope-index's indexDocs): the issue is left out of
    // scoring, logged by id, and marked so the caller can have it read again.
    console.warn(`store: stored terms of issue ${id} are unreadable (${err instanceof Error ? err.name : 'unknown'}); skipped`);
    unreadable = true;
  }
  // Words are unpacked when first asked for: only the issues in a pair whose reasons are
  // named need them (a terms-only read has none).
  const stored = r.words === undefined ? '' : str(r.words);
  let words: string | undefined;
  const doc: ScopeDoc = {
    id,
    projectKey: str(r.project_key),
    summary: str(r.summary),
    terms,
    get words(): string {
      words ??= fromWordsColumn(stored, terms);
      return words;
    },
    set words(value: string) {
      words = value;
    },
  };
  if (unreadable) doc.unreadable = true;
  if (r.security_level !== undefined) doc.securityLevel = str(r.security_level);
  return doc;
}

/** Scoring rows (with summary and words) of a few documents. */
export async function getScopeDocsByIds(ids: string[]): Promise<Map<string, ScopeDoc>> {
  const out = new Map<string, ScopeDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const rows = await select(`SELECT id, project_key, summary, terms, words FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) out.set(str(r.id), toScopeDoc(r));
  }
  return out;
}

/** Every document of the given projects (all documents when `projects` is null), paged by id. */
export async function loadScopeDocs(projects: string[] | null, opts: { pageSize?: number } = {}): Promise<ScopeDoc[]> {
  const out: ScopeDoc[] = [];
  await streamScopeDocs(projects, (rows) => {
    for (const r of rows) out.push(r);
  }, opts);
  return out;
}

/**
 * Hands every document of the given projects to `onPage`, one page at a time, reading the
 * next page while the caller works on the current one (decoding 20,000 documents costs
 * about as much as reading them, so the two overlap). A page that times out or is too large
 * is read again at half the size.
 */
/** Rows a terms-only page of `streamScopeDocs` asks for (see there). */
const TERMS_ONLY_PAGE = 3000;

export async function streamScopeDocs(projects: string[] | null, onPage: (rows: ScopeDoc[]) => void, opts: { pageSize?: number; termsOnly?: boolean } = {}): Promise<number> {
  if (projects !== null && projects.length === 0) return 0;
  const where = projects === null ? '' : `project_key IN (${placeholders(projects.length)}) AND`;
  // termsOnly: a fifth fewer bytes when only a few documents' summaries will be needed
  // (incremental updates read those few with getScopeDocsByIds).
  const columns = opts.termsOnly ? 'id, project_key, terms, security_level' : 'id, project_key, summary, terms, words';
  const read = async (after: string, limit: number): Promise<ScopeDoc[]> => {
    const rows = await select(`SELECT ${columns} FROM docs WHERE ${where} id > ? ORDER BY id LIMIT ${limit}`, [...(projects ?? []), after]);
    return rows.map(toScopeDoc);
  };
  // Pages of about 1.5–2 MiB of JSON, under the 4 MiB response limit: terms-only rows
  // average about 600 bytes, whole rows about 1.4 KB (20,000 synthetic issues). Fewer,
  // larger pages save round trips (7 instead of 20 for a 20,000-issue create-dialog check);
  // a page of unusually long rows that passes the limit is read again at half the size.
  let limit = opts.pageSize ?? (opts.termsOnly ? TERMS_ONLY_PAGE : 1000);
  let after = '';
  let total = 0;
  let pending: Promise<ScopeDoc[]> | null = read(after, limit);
  while (pending) {
    let rows: ScopeDoc[];
    try {
      rows = await pending;
    } catch (err) {
      if (!isShrinkable(err) || limit <= 25) throw err;
      limit = Math.max(25, Math.floor(limit / 2));
      console.warn(`store: page too slow or large; retrying with ${limit} rows`);
      pending = read(after, limit);
      continue;
    }
    const last = rows[rows.length - 1];
    pending = rows.length === limit && last ? read(last.id, limit) : null;
    // A prefetch that fails is retried by the loop above; never leave its rejection unheard.
    if (pending) void pending.catch(() => undefined);
    if (last) after = last.id;
    total += rows.length;
    onPage(rows);
  }
  return total;
}

export async function getDoc(id: string): Promise<DocRow | null> {
  const rows = await select(`SELECT ${META} FROM docs WHERE id = ?`, [id]);
  return rows[0] ? toDocRow(rows[0]) : null;
}

/** Document metadata (no terms) by issue ids; missing ids are simply absent. */
export async function getDocsByIds(ids: string[]): Promise<Map<string, DocRow>> {
  const out = new Map<string, DocRow>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const rows = await select(`SELECT ${META} FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) out.set(str(r.id), toDocRow(r));
  }
  return out;
}

export async function getDocsByKeys(keys: string[]): Promise<Map<string, DocRow>> {
  const out = new Map<string, DocRow>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const rows = await select(`SELECT ${META} FROM docs WHERE issue_key IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) out.set(str(r.issue_key), toDocRow(r));
  }
  return out;
}

/** How many documents of `projects` were seen (stored or read again) at or after `sinceMs`: one indexed count. */
export async function countDocsSeenSince(projects: string[], sinceMs: number): Promise<number> {
  if (projects.length === 0) return 0;
  const rows = await select(`SELECT COUNT(*) AS n FROM docs WHERE project_key IN (${placeholders(projects.length)}) AND seen_ms >= ?`, [...projects, sinceMs]);
  return num(rows[0]?.n);
}

/** Ids of documents in `projects` not seen since `beforeMs` (deleted or moved out in Jira). */
export async function unseenDocIds(projects: string[], beforeMs: number): Promise<string[]> {
  if (projects.length === 0) return [];
  const rows = await pagedRead(
    (after, limit) => select(`SELECT id FROM docs WHERE project_key IN (${placeholders(projects.length)}) AND seen_ms < ? AND id > ? ORDER BY id LIMIT ${limit}`, [...projects, beforeMs, after]),
    (r) => str(r.id),
    { pageSize: 5000 },
  );
  return rows.map((r) => str(r.id));
}

/** What the scope sweep needs of a document to tell whether the settings still analyse it. */
export interface DocScopeFacts {
  id: string;
  projectKey: string;
  issueType: string;
  createdMs: number;
}

/**
 * One page of every document, in id order after `afterId` ('' from the start), with what the
 * settings' projects, issue types and age limit are weighed against (src/analysis/scope-sweep.ts).
 * A primary-key range read: the statement examines at most `limit` rows, whatever the table's size.
 */
export async function docScopePage(afterId: string, limit: number): Promise<DocScopeFacts[]> {
  const rows = await select(`SELECT id, project_key, issue_type, created_ms FROM docs WHERE id > ? ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`, [afterId]);
  return rows.map((r) => ({ id: str(r.id), projectKey: str(r.project_key), issueType: str(r.issue_type), createdMs: num(r.created_ms) }));
}

/** Ids of documents whose project is not in `projects` (settings narrowed since they were indexed). */
export async function docIdsOutsideProjects(projects: string[]): Promise<string[]> {
  const where = projects.length === 0 ? '' : `project_key NOT IN (${placeholders(projects.length)}) AND`;
  const rows = await pagedRead(
    (after, limit) => select(`SELECT id FROM docs WHERE ${where} id > ? ORDER BY id LIMIT ${limit}`, [...projects, after]),
    (r) => str(r.id),
    { pageSize: 5000 },
  );
  return rows.map((r) => str(r.id));
}

/**
 * Documents of these projects that an issue event scored after `sinceMs`, or that something
 * wrote since and left unscored (an event under way or failed half-way, another run's page
 * with new text), at most `limit` (the (project_key, seen_ms) index). A write that changed
 * nothing to score (a stale read, a status change) is not one of them.
 */
export async function docIdsChangedSince(projects: string[], sinceMs: number, limit: number): Promise<string[]> {
  if (projects.length === 0) return [];
  const rows = await select(
    `SELECT id FROM docs WHERE project_key IN (${placeholders(projects.length)}) AND seen_ms > ? AND (scored_ms IS NULL OR scored_ms > ?) LIMIT ?`,
    [...projects, sinceMs, sinceMs, limit],
  );
  return rows.map((r) => str(r.id));
}

/**
 * Of `ids`, the documents written after `sinceMs` lose their `scored_ms`: a run's last step
 * wrote pairs of the text they had before (it loaded them earlier), so they wait to be scored
 * again (by a queued `rescore`, or by their next event, which scores an unscored issue).
 */
export async function clearScoredIfWrittenSince(ids: string[], sinceMs: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    await execute(`UPDATE docs SET scored_ms = NULL WHERE id IN (${placeholders(slice.length)}) AND seen_ms > ?`, [...slice, sinceMs]);
  }
}

/**
 * Claims the scoring of an unscored document whose score was lost (its `rescore` dropped), for
 * a `rescore` queued from the issue badge: `seen_ms` moves from `seenMs` (as read) to `nowMs`,
 * so the issue counts as on its way again (the panel says its suggestions are being computed)
 * and neither the badge nor the panel asks again before the pending window is over. One
 * statement on the primary key; false when another reader claimed it first, or it was scored
 * or stored again since it was read.
 */
export async function claimLostScore(id: string, seenMs: number, nowMs: number): Promise<boolean> {
  return (await execute('UPDATE docs SET seen_ms = ? WHERE id = ? AND scored_ms IS NULL AND seen_ms = ?', [Math.floor(nowMs), id, seenMs])) > 0;
}

/** Of `ids`, those stored and not scored since their last change (`scored_ms` null). */
export async function unscoredDocIds(ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const out: string[] = [];
  for (let i = 0; i < unique.length; i += 1000) {
    const slice = unique.slice(i, i + 1000);
    const rows = await select(`SELECT id FROM docs WHERE id IN (${placeholders(slice.length)}) AND scored_ms IS NULL`, slice);
    for (const r of rows) out.push(str(r.id));
  }
  return out;
}

/** Of `ids`, those with no stored document (deleted meanwhile). */
export async function missingDocIds(ids: string[]): Promise<string[]> {
  const found = await getDocHashes(ids);
  return [...new Set(ids)].filter((id) => !found.has(id));
}

export async function deleteDocs(ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    n += await execute(`DELETE FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
  }
  return n;
}

/**
 * Forgets the text hashes of documents whose stored terms could not be read, so that the
 * next run that reads these issues from Jira (the weekly full refresh at the latest, or an
 * edit) tokenises them again instead of keeping terms it cannot use.
 */
export async function forgetTextHashes(ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    await execute(`UPDATE docs SET text_hash = '' WHERE id IN (${placeholders(slice.length)})`, slice);
  }
}

export async function markScored(ids: string[], ms: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 2000) {
    const slice = ids.slice(i, i + 2000);
    await execute(`UPDATE docs SET scored_ms = ? WHERE id IN (${placeholders(slice.length)})`, [ms, ...slice]);
  }
}

export async function countDocs(projects: string[] | null): Promise<number> {
  if (projects !== null && projects.length === 0) return 0;
  const rows = projects === null
    ? await select('SELECT COUNT(*) AS n FROM docs')
    : await select(`SELECT COUNT(*) AS n FROM docs WHERE project_key IN (${placeholders(projects.length)})`, projects);
  return num(rows[0]?.n);
}

/**
 * Every document of these projects that a run's last step loaded (written at or before
 * `loadedMs`) was just scored (SuggestionsView.computedAt). One written since is left as it
 * is: an issue event scored it itself, or will when it is delivered again (it cleared its
 * `scored_ms` with its new text, and must not find it set by a run that never read that text).
 */
export async function markProjectsScored(projects: string[], ms: number, loadedMs: number): Promise<void> {
  if (projects.length === 0) return;
  await execute(`UPDATE docs SET scored_ms = ? WHERE project_key IN (${placeholders(projects.length)}) AND seen_ms <= ?`, [ms, ...projects, loadedMs]);
}
