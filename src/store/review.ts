/**
 * Read side of the review queue, and decisions: the queries behind the resolvers.
 *
 * Every listing takes `visibleProjects`, the project keys the viewer may browse, and
 * keeps only pairs whose *both* issues live in one of them (`project_a IN (…) AND
 * project_b IN (…)`; left out when every project with indexed issues is visible). Counts
 * and stats use the very same WHERE clause, so a total never reveals a pair the list would
 * hide. The resolvers add an issue-level check (issue security) for the rows a page returns.
 *
 * Tables and columns are the pipeline's (src/store/migrations.ts); this file adds no DDL.
 */
import type { DismissReason, PairSort, ReviewStatus, SharedTerm, StatusCategory, Tier } from '../shared/contract';
import { num, numOrNull, placeholders, select, execute, str, strOrNull, type SqlParam } from './db';
import { decodeDupLinks, type DocMeta } from './docs';
import { foldForSearch } from '../shared/search-fold';
import { strongestFirst } from '../shared/suggestion-order';
import { dismissReasonOf } from '../shared/wording';
import { decodeReasons } from './pairs';

const STATUS_CATEGORIES: ReadonlySet<string> = new Set(['new', 'indeterminate', 'done']);

export interface PairRow {
  id: string;
  a: DocMeta;
  b: DocMeta;
  score: number;
  tier: string;
  /** Shared words as the pipeline stored them (written forms, or stems) and their shares. */
  reasons: SharedTerm[];
  status: string;
  decidedBy: string | null;
  decidedMs: number | null;
  /** Confirmed because a Duplicate link in Jira joins the two issues (no person decided). */
  decidedInJira: boolean;
  /** Why a dismissed pair is not a duplicate, when the person said so (null otherwise). */
  dismissReason: DismissReason | null;
  /** Who gave that reason (accountId; null with none, or given before this was kept). */
  dismissReasonBy: string | null;
  /** When a person reopened the pair, while it is pending from that reopen (null otherwise). */
  reopenedMs: number | null;
  firstSeenMs: number;
  lastSeenMs: number;
  clusterId: string | null;
  /** Whether the two issues' stored Duplicate links (as the last run or link event read them) join them directly. */
  linkedInJira: boolean;
  /** The ids each issue's stored Duplicate links name (`docs.dup_links`, either way round). */
  dupLinksA: string[];
  dupLinksB: string[];
}

export interface PairQuery {
  /** Project keys the viewer may browse; both issues of a listed pair must be in one of them. */
  visibleProjects: string[];
  /** True when `visibleProjects` holds every project with indexed issues (no filter needed). */
  allProjectsVisible?: boolean | undefined;
  /** Only pairs with at least one issue in this project (project page). */
  projectKey?: string | undefined;
  status?: ReviewStatus | undefined;
  tier?: Tier | undefined;
  /** Pairs with at least one issue of one of these types. */
  types?: string[] | undefined;
  /** Pairs with at least one issue in one of these status categories. */
  statusCategories?: StatusCategory[] | undefined;
  /** Not pairs whose two issues are both in the done category. */
  openOnly?: boolean | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  /** Words matched against either issue's key (exactly) or summary (substring); all words must match. */
  search?: string | undefined;
  /** Issues the viewer may not see (issue security): pairs with one of them are left out. */
  hiddenIssueIds?: readonly string[] | undefined;
  /** Whole security levels of a project left out, when there were too many secured issues to check one by one. */
  hiddenLevels?: readonly SecurityGroup[] | undefined;
}

/** One project's issues under one security level. */
export interface SecurityGroup {
  projectKey: string;
  level: string;
}

/** `docs` ids under one of these levels of these projects: a subquery for NOT IN. */
export function hiddenLevelsSubquery(groups: readonly SecurityGroup[]): { sql: string; params: SqlParam[] } {
  return {
    sql: `SELECT id FROM docs WHERE ${groups.map(() => '(security_level = ? AND project_key = ?)').join(' OR ')}`,
    params: groups.flatMap((g) => [g.level, g.projectKey]),
  };
}

const DOC_COLUMNS = ['id', 'issue_key', 'project_key', 'issue_type', 'status_name', 'status_category', 'created_ms', 'updated_ms', 'summary', 'resolution'] as const;

const docSelect = (alias: string): string => DOC_COLUMNS.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');

const PAIR_COLUMNS_SQL = `p.id, p.score, p.tier, p.reasons, p.status, p.decided_by, p.decided_ms, p.decided_in_jira, p.dismiss_reason, p.dismiss_reason_by, p.reopened_ms, p.first_seen_ms, p.last_seen_ms, p.cluster_id,
  ${docSelect('da')}, ${docSelect('db')}, da.dup_links AS da_dup_links, db.dup_links AS db_dup_links`;

const PAIR_SELECT = `SELECT ${PAIR_COLUMNS_SQL} FROM pairs p JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b`;

function docFrom(row: Record<string, unknown>, alias: string): DocMeta {
  const c = (name: string): unknown => row[`${alias}_${name}`];
  const category = str(c('status_category'));
  return {
    id: str(c('id')),
    key: str(c('issue_key')),
    projectKey: str(c('project_key')),
    type: str(c('issue_type')),
    status: str(c('status_name')),
    statusCategory: STATUS_CATEGORIES.has(category) ? (category as StatusCategory) : 'unknown',
    createdMs: num(c('created_ms')),
    updatedMs: num(c('updated_ms')),
    summary: str(c('summary')),
    resolution: str(c('resolution')),
  };
}

function pairFrom(row: Record<string, unknown>): PairRow {
  const dupLinksA = decodeDupLinks(str(row['da_dup_links'])).ids;
  const dupLinksB = decodeDupLinks(str(row['db_dup_links'])).ids;
  return {
    id: str(row['id']),
    a: docFrom(row, 'da'),
    b: docFrom(row, 'db'),
    score: num(row['score']),
    tier: str(row['tier']),
    reasons: decodeReasons(str(row['reasons'])),
    status: str(row['status']),
    decidedBy: strOrNull(row['decided_by']),
    decidedMs: numOrNull(row['decided_ms']),
    decidedInJira: num(row['decided_in_jira']) === 1,
    dismissReason: dismissReasonOf(row['dismiss_reason']),
    dismissReasonBy: typeof row['dismiss_reason_by'] === 'string' ? row['dismiss_reason_by'] : null,
    reopenedMs: numOrNull(row['reopened_ms']),
    firstSeenMs: num(row['first_seen_ms']),
    lastSeenMs: num(row['last_seen_ms']),
    clusterId: strOrNull(row['cluster_id']),
    linkedInJira: dupLinksA.includes(str(row['db_id'])) || dupLinksB.includes(str(row['da_id'])),
    dupLinksA,
    dupLinksB,
  };
}

/** `%`, `_` and `\` are LIKE wildcards; escape them so a search for "50%" means that. */
function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const MAX_SEARCH_WORDS = 6;

interface Clause {
  sql: string;
  params: SqlParam[];
}

/**
 * Above this many other visible projects the second side of a project's queue is one range
 * (`project_a <> ?`) sorted on its index instead of one ordered read per project.
 */
export const MAX_SECOND_SIDE_PROJECTS = 8;

/**
 * The page's project as disjoint, index-friendly sides: pairs whose first issue is in the
 * project, and pairs whose second issue is while the first is not (cross-project pairs, only
 * stored with cross-project suggestions on). The first side reads its (project_a, active,
 * status, key) index in order and stops after the page. The second side has one index, v019's
 * (project_b, project_a, active, status, score, id, tier, created_ms, updated_ms): the three
 * (project_b, active, status, key) sort indexes it replaced held an entry for every pair, about
 * 10 MiB at 20,000 issues, for pairs the first side reads anyway. The second side is split by
 * the first issue's project, one side per other visible project (`project_b = ? AND
 * project_a = ?`), each an ordered read of that index by score and id that stops after the
 * page, tier and the other filters tested on the index; for the created and updated sorts the
 * server reads the other project's (project_a, active, status, key) index in order, or sorts
 * the side's index entries, without reading rows. With every project visible, one more side
 * holds pairs whose first project is in no visible list (an index range, empty unless an
 * issue's project is out of date). With more than MAX_SECOND_SIDE_PROJECTS other projects the
 * second side is one range, `project_a <> ?`, sorted on the index (about 5-9 ms for a
 * project's 9,000 cross-project pairs, against 1.5-2.5 ms for four ordered reads). The top n
 * of a union of disjoint sides always lies within the top n of each.
 */
function projectSides(q: Pick<PairQuery, 'projectKey' | 'visibleProjects' | 'allProjectsVisible'>): Clause[] {
  const project = q.projectKey;
  if (project === undefined) return [{ sql: '1 = 1', params: [] }];
  const first: Clause = { sql: 'p.project_a = ?', params: [project] };
  const others = [...new Set(q.visibleProjects)].filter((key) => key !== project);
  if (others.length > MAX_SECOND_SIDE_PROJECTS) return [first, { sql: 'p.project_b = ? AND p.project_a <> ?', params: [project, project] }];
  const sides = [first, ...others.map((other) => ({ sql: 'p.project_b = ? AND p.project_a = ?', params: [project, other] }))];
  if (q.allProjectsVisible) {
    // No project filter in `where`: a pair whose first issue's project is in no list is the project's too.
    const known = [project, ...others];
    sides.push({ sql: `p.project_b = ? AND p.project_a NOT IN (${placeholders(known.length)})`, params: [project, ...known] });
  }
  return sides;
}

/**
 * WHERE clause (without the keyword) and its parameters, shared by lists, counts and
 * stats; the page's project is added by the caller (`projectSides` or `withProject`).
 */
function where(q: PairQuery, searchIds?: ReadonlyArray<string[] | null>): Clause {
  const parts: string[] = ['p.active = 1'];
  const params: SqlParam[] = [];
  // When every project with indexed issues is visible the project filter is a no-op, and
  // leaving it out lets counts run on the index alone (project_b is not in project_a's index).
  if (!q.allProjectsVisible) {
    const vis = placeholders(q.visibleProjects.length);
    parts.push(`p.project_a IN (${vis})`, `p.project_b IN (${vis})`);
    params.push(...q.visibleProjects, ...q.visibleProjects);
  }
  // Issue security: a constant list when each secured issue was checked, else whole levels.
  if (q.hiddenIssueIds !== undefined && q.hiddenIssueIds.length > 0) {
    const list = placeholders(q.hiddenIssueIds.length);
    parts.push(`p.issue_a NOT IN (${list})`, `p.issue_b NOT IN (${list})`);
    params.push(...q.hiddenIssueIds, ...q.hiddenIssueIds);
  }
  if (q.hiddenLevels !== undefined && q.hiddenLevels.length > 0) {
    const sub = hiddenLevelsSubquery(q.hiddenLevels);
    parts.push(`p.issue_a NOT IN (${sub.sql})`, `p.issue_b NOT IN (${sub.sql})`);
    params.push(...sub.params, ...sub.params);
  }
  if (q.status !== undefined) {
    parts.push('p.status = ?');
    params.push(q.status);
  }
  if (q.tier !== undefined) {
    parts.push('p.tier = ?');
    params.push(q.tier);
  }
  if (q.minScore !== undefined) {
    parts.push('p.score >= ?');
    params.push(q.minScore);
  }
  if (q.maxScore !== undefined) {
    parts.push('p.score <= ?');
    params.push(q.maxScore);
  }
  // Search words test the pair's issues through the docs primary key (a semi-join per side)
  // instead of joining docs to every candidate pair.
  const eitherIssue = (condition: string, values: SqlParam[]): void => {
    parts.push(`(p.issue_a IN (SELECT id FROM docs WHERE ${condition}) OR p.issue_b IN (SELECT id FROM docs WHERE ${condition}))`);
    params.push(...values, ...values);
  };
  // Type and status category are copied onto the pair row (type_a/_b, cat_a/_b, kept in sync
  // by the store: src/store/pairs.ts PAIR_DOC_SYNC), so these filters test the row itself.
  const eitherColumn = (col: 'type' | 'cat', values: SqlParam[]): void => {
    const list = placeholders(values.length);
    parts.push(`(p.${col}_a IN (${list}) OR p.${col}_b IN (${list}))`);
    params.push(...values, ...values);
  };
  if (q.types && q.types.length > 0) eitherColumn('type', q.types);
  if (q.statusCategories && q.statusCategories.length > 0) eitherColumn('cat', q.statusCategories);
  if (q.openOnly === true) parts.push("(p.cat_a <> 'done' OR p.cat_b <> 'done')");
  const words = searchWords(q);
  words.forEach((word, i) => {
    const ids = searchIds?.[i];
    if (ids === undefined || ids === null) {
      const match = wordMatch(word);
      eitherIssue(match.sql, match.params);
    } else if (ids.length === 0) {
      parts.push('1 = 0');
    } else {
      // The word's issues, looked up once (matchingDocIds): a constant IN list per side.
      const list = placeholders(ids.length);
      parts.push(`(p.issue_a IN (${list}) OR p.issue_b IN (${list}))`);
      params.push(...ids, ...ids);
    }
  });
  return { sql: parts.join(' AND '), params };
}

/** Letters (with their combining marks) and digits in any script: the parts of a word joined by punctuation ("hadoop-common"). */
const WORD_PARTS = /[\p{L}\p{M}\p{N}]+/gu;
const HAS_LETTER = /\p{L}/u;
/**
 * Between a word's parts in a summary: up to three characters that are not letters, marks or
 * digits. Written with Unicode classes, which TiDB's regular expressions (RE2) and MariaDB's
 * (PCRE2) read alike; `[:alnum:]` is ASCII only in RE2, and would let letters through there.
 */
const PART_JOIN = '[^\\p{L}\\p{M}\\p{N}]{0,3}';
/** Parts shorter than this are not matched apart ("I/O", "c.a", "e.g"): two letters are in too many words. */
const MIN_PART = 3;

/**
 * The pattern for a word whose parts, each with a letter and at least three characters, are
 * joined by punctuation (see wordMatch), from the word already lower-cased; null for others.
 * Parts hold letters, marks and digits only: nothing in them is special to a regular expression.
 */
function joinedParts(lowerWord: string): string | null {
  const parts = lowerWord.match(WORD_PARTS) ?? [];
  return parts.length >= 2 && parts.every((part) => HAS_LETTER.test(part) && [...part].length >= MIN_PART) ? parts.join(PART_JOIN) : null;
}

/**
 * What a search word matches in the docs table, in any case and with accents folded: the
 * word and the summary are compared as foldForSearch (src/shared/search-fold.ts) writes them,
 * the summary's form stored beside it (`summary_folded`), since Forge SQL compares with
 * utf8mb4_bin and folds neither case nor accents ("cafe" finds "Café", "café" finds "CAFE",
 * "strasse" finds "Straße"):
 * - an issue key exactly ("shop-5"), or, for a number alone, the key with that number ("1234" finds HADOOP-1234);
 * - a substring of the folded summary; a word whose parts, each with a letter and at
 *   least three characters, are joined by punctuation ("hadoop-common", "s3a://bucket") also
 *   matches those parts joined by up to three other characters that are not letters or
 *   digits, or by none ("hadoop common", "hadoop_common"); a version ("3.3.0") or a word of
 *   short parts ("I/O") stays a plain substring.
 * A row without the folded form (stored before it existed, or too long folded) is matched as
 * before, by the summary as written, lower-cased on both sides (the substring in SQL, since
 * JavaScript's lower case differs for a few letters, such as the Greek final sigma).
 */
export function wordMatch(word: string): Clause {
  const alternatives = ['issue_key = ?'];
  const params: SqlParam[] = [word.toUpperCase()];
  const number = /^#?0*([1-9][0-9]{0,17})$/.exec(word)?.[1];
  if (number !== undefined) {
    alternatives.push('issue_key LIKE ?');
    params.push(`%-${number}`);
  }
  const folded = foldForSearch(word);
  // A word of accents alone folds to nothing, which would be in every summary.
  if (folded !== '') {
    alternatives.push('summary_folded LIKE ?');
    params.push(likeContains(folded));
    const joined = joinedParts(folded);
    if (joined !== null) {
      alternatives.push('summary_folded REGEXP ?');
      params.push(joined);
    }
  }
  const asWritten = ['LOWER(summary) LIKE LOWER(?)'];
  params.push(likeContains(word));
  // Lower-cased here, not in SQL, which would turn \p{L} into \p{l}.
  const joined = joinedParts(word.toLowerCase());
  if (joined !== null) {
    asWritten.push('LOWER(summary) REGEXP ?');
    params.push(joined);
  }
  alternatives.push(`(summary_folded IS NULL AND (${asWritten.join(' OR ')}))`);
  return { sql: `(${alternatives.join(' OR ')})`, params };
}

/** Above this many matching issues a word is tested with the semi-join instead of an id list. */
const SEARCH_IDS_MAX = 2000;

/**
 * Each search word's matching issue ids (one docs scan per word), or null when the word
 * matches more than SEARCH_IDS_MAX issues. Testing pairs against a constant id list is far
 * cheaper than the semi-join per pair row that MariaDB otherwise evaluates.
 */
async function matchingDocIds(q: PairQuery): Promise<Array<string[] | null>> {
  const out: Array<string[] | null> = [];
  for (const word of searchWords(q)) {
    const match = wordMatch(word);
    const rows = await select(`SELECT id FROM docs WHERE ${match.sql} LIMIT ${SEARCH_IDS_MAX + 1}`, match.params);
    out.push(rows.length > SEARCH_IDS_MAX ? null : rows.map((r) => str(r['id'])));
  }
  return out;
}

/** Quotes people type around words or phrases ("netty", 'cart page'): not part of what they look for. */
const QUOTES = /^["'`\u2018\u2019\u201c\u201d]+|["'`\u2018\u2019\u201c\u201d]+$/g;
/**
 * Punctuation of the sentence around a word ("timeout,", "(s3a)", "crash?"): not part of it,
 * unless taking it leaves less than two characters ("C++" stays). `%`, `#`, `+` and the like
 * are kept: "50%" is looked for as typed.
 */
const EDGE_PUNCTUATION = /^[([{<]+|[)\]}>.,;:!?]+$/g;

function searchWords(q: PairQuery): string[] {
  const words = (q.search ?? '')
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(QUOTES, ''))
    .map((w) => {
      const bare = w.replace(EDGE_PUNCTUATION, '').replace(QUOTES, '');
      // A digit alone is a key's number ("(5)" finds SHOP-5).
      return bare.length >= 2 || /^[0-9]$/.test(bare) ? bare : w;
    })
    .filter((w) => w !== '');
  // A word typed twice is one condition: it does not take the place of another under the cap.
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/**
 * Counts with search words stop at this many pairs (the total then reads 10,000, meaning
 * "10,000 or more"): a summary substring cannot use an index, so an uncapped count would
 * test every pair of the project against the matching docs.
 */
export const SEARCH_COUNT_CAP = 10_000;

/** `where` with the page's project as one OR condition: for aggregates, which read every row anyway. */
function withProject(q: PairQuery): Clause {
  const w = where(q);
  if (q.projectKey === undefined) return w;
  return { sql: `${w.sql} AND (p.project_a = ? OR p.project_b = ?)`, params: [...w.params, q.projectKey, q.projectKey] };
}

/**
 * The pairs matching `q` and `extra`, as a derived table `p` of `columns`: one SELECT per side
 * of the page's project (projectSides; disjoint, so UNION ALL), each reading its own index
 * range. For aggregates over a few of a project's pairs (its decided ones), which one OR
 * condition over both projects would have read by scanning every pair.
 */
function sidesTable(q: PairQuery, columns: string, extra: Clause): Clause {
  const w = where(q);
  const sides = projectSides(q);
  return {
    sql: `(${sides.map((side) => `SELECT ${columns} FROM ${FROM_PAIRS} WHERE ${side.sql} AND ${w.sql} AND ${extra.sql}`).join(' UNION ALL ')}) p`,
    params: sides.flatMap((side) => [...side.params, ...w.params, ...extra.params]),
  };
}

const FROM_PAIRS = 'pairs p';

/**
 * Sort keys are columns of the pair row, each the last column of a (project_a, active,
 * status, key) index: created = the newer issue's created, updated = the later updated of
 * the two (copied from the docs by the store).
 */
const ORDER: Record<Exclude<PairSort, 'likely'>, string> = {
  score: 'p.score',
  created: 'p.created_ms',
  updated: 'p.updated_ms',
};

/**
 * Where a sorted page ends: the last row's sort key and id, and for "possible duplicates
 * first" (`likely`) its tier.
 */
export interface SortKeyset {
  sk: number;
  id: string;
  tier?: Tier | undefined;
}

/**
 * One page in a sort order: the rows after `after` (a keyset, for exports) or after skipping
 * `offset` rows (the queue's pages), each with its sort key.
 *
 * Each side picks its best `offset + limit` rows on narrow columns (id and sort key; for the
 * first side an ordered read of its (project_a, active, status, key) index, from the keyset
 * on when there is one; for the second a sort of the project's cross-project pairs read from
 * their covering index, see projectSides), the union of the two (disjoint) picks the page, and only the page's pairs
 * are joined to their issues (a deferred join: sorting thousands of joined rows with two
 * summaries each is what made the first version slow).
 */
async function sortedPage(
  q: PairQuery,
  page: { sort: PairSort; order: 'asc' | 'desc'; limit: number; offset: number; after: SortKeyset | null },
): Promise<Array<{ pair: PairRow; sk: number }>> {
  if (q.visibleProjects.length === 0) return [];
  if (page.sort === 'likely') return likelyFirstPage(q, { ...page, sort: 'score' });
  const w = where(q, await matchingDocIds(q));
  const dir = page.order === 'asc' ? 'ASC' : 'DESC';
  const cmp = page.order === 'asc' ? '>' : '<';
  const col = ORDER[page.sort];
  const keyset = page.after === null ? { sql: '', params: [] as SqlParam[] } : { sql: ` AND (${col} ${cmp} ? OR (${col} = ? AND p.id ${cmp} ?))`, params: [page.after.sk, page.after.sk, page.after.id] };
  const sides = projectSides(q);
  const reach = page.offset + page.limit;
  const branches = sides.map(
    (side) => `(SELECT p.id AS pid, ${col} AS sk FROM ${FROM_PAIRS} WHERE ${side.sql} AND ${w.sql}${keyset.sql} ORDER BY sk ${dir}, p.id ${dir} LIMIT ?)`,
  );
  const rows = await select(
    `SELECT page.sk, ${PAIR_COLUMNS_SQL}
     FROM (SELECT u.pid, u.sk FROM (${branches.join(' UNION ALL ')}) u ORDER BY u.sk ${dir}, u.pid ${dir} LIMIT ? OFFSET ?) page
     JOIN pairs p ON p.id = page.pid JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b
     ORDER BY page.sk ${dir}, p.id ${dir}`,
    [...sides.flatMap((side) => [...side.params, ...w.params, ...keyset.params, reach]), page.limit, page.offset],
  );
  return rows.map((row) => ({ pair: pairFrom(row), sk: num(row['sk']) }));
}

/**
 * "Possible duplicates first": the duplicate tier by score, then the related tier by score
 * (the other way round in ascending order). A related pair can score above a duplicate: the
 * rules in analysis/other-work.ts keep pairs that differ in what they name related whatever
 * their score, and they would otherwise sort above the possible duplicates. Each tier is a
 * score-ordered read of its own (the score indexes, the tier as a filter); a keyset names the
 * tier it stopped in (`SortKeyset.tier`, the last row's), and an offset past the first tier's
 * rows counts that tier once.
 */
async function likelyFirstPage(
  q: PairQuery,
  page: { sort: 'score'; order: 'asc' | 'desc'; limit: number; offset: number; after: SortKeyset | null },
): Promise<Array<{ pair: PairRow; sk: number }>> {
  const tiers: Tier[] = q.tier !== undefined ? [q.tier] : page.order === 'desc' ? ['duplicate', 'related'] : ['related', 'duplicate'];
  const out: Array<{ pair: PairRow; sk: number }> = [];
  // Where the page starts: after a keyset, in the tier the keyset is in; else at an offset.
  const start = page.after === null ? 0 : Math.max(0, tiers.indexOf(page.after.tier ?? (tiers[0] as Tier)));
  let offset = page.offset;
  for (let t = start; t < tiers.length && out.length < page.limit; t++) {
    const tier = tiers[t] as Tier;
    const after = page.after !== null && t === start ? { sk: page.after.sk, id: page.after.id } : null;
    const rows = await sortedPage({ ...q, tier }, { ...page, limit: page.limit - out.length, offset: after === null ? offset : 0, after });
    out.push(...rows);
    // The next tier starts at its top, unless the offset also passes over all of this one.
    if (after === null && offset > 0) offset = rows.length > 0 ? 0 : Math.max(0, offset - (await countPairs({ ...q, tier })));
  }
  return out;
}

/** A page of the review queue in its sort order. */
export async function listPairs(
  q: PairQuery,
  page: { sort: PairSort; order: 'asc' | 'desc'; limit: number; offset: number },
): Promise<PairRow[]> {
  return (await sortedPage(q, { ...page, after: null })).map((r) => r.pair);
}

export async function countPairs(q: PairQuery): Promise<number> {
  if (q.visibleProjects.length === 0) return 0;
  // The page's project as two disjoint index ranges (projectSides: first issue in it; second
  // issue in it and the first not), summed in one statement: a pending-queue count reads the
  // (project_a, active, status, …) and (project_b, project_a, active, status, …) indexes only.
  // With search words each range stops at the cap.
  const w = where(q, await matchingDocIds(q));
  const sides = projectSides(q);
  const capped = searchWords(q).length > 0;
  const parts = sides.map((side) =>
    capped
      ? `(SELECT COUNT(*) FROM (SELECT 1 AS one FROM ${FROM_PAIRS} WHERE ${side.sql} AND ${w.sql} LIMIT ${SEARCH_COUNT_CAP}) c)`
      : `(SELECT COUNT(*) FROM ${FROM_PAIRS} WHERE ${side.sql} AND ${w.sql})`,
  );
  const rows = await select(`SELECT ${parts.join(' + ')} AS n`, sides.flatMap((side) => [...side.params, ...w.params]));
  const n = num(rows[0]?.['n']);
  return capped ? Math.min(n, SEARCH_COUNT_CAP) : n;
}

/**
 * Keyset page for exports in the queue's order (sort key, then id, both in `order`): the
 * rows after `after`. A decision does not change a pair's sort key, so an export stays free
 * of repeats while people decide (a decided pair leaves a status filter; it is never met
 * twice). Keys that do move under it: `updated` when an issue of the pair changes in Jira
 * (a Duplicate link a confirmation makes is such a change), and score and tier when an
 * analysis runs. Such a pair gets the time of the change as `moved_ms` (src/store/pairs.ts),
 * and the export reads those pairs again once its keyset pages are done (listPairsMovedSince).
 */
export function listPairsSortedAfter(
  q: PairQuery,
  page: { sort: PairSort; order: 'asc' | 'desc'; after: SortKeyset | null; limit: number },
): Promise<Array<{ pair: PairRow; sk: number }>> {
  return sortedPage(q, { ...page, offset: 0 });
}

/**
 * The pairs matching `q` whose sort key moved (or that an analysis stored new or made active
 * again) at or after `sinceMs`, by id after `afterId`, at most `limit`: the part of an export
 * that follows its keyset pages. Paged by id, which never changes, so a pair that moves again
 * while these pages are read stays in this set and in its place. Not indexed: the read walks
 * the primary key from `afterId` (45,146 pairs, 11.6 MiB of rows, at 20,000 issues), once an
 * export's keyset pages are done, rather than every installation keep a 2.5 MiB index (at
 * that size) for it with the SQL footprint at its 64 MiB target.
 */
export async function listPairsMovedSince(q: PairQuery, page: { sinceMs: number; afterId: string; limit: number }): Promise<PairRow[]> {
  if (q.visibleProjects.length === 0) return [];
  const w = where(q, await matchingDocIds(q));
  const project = q.projectKey === undefined ? { sql: '', params: [] as SqlParam[] } : { sql: ' AND (p.project_a = ? OR p.project_b = ?)', params: [q.projectKey, q.projectKey] };
  const rows = await select(
    `SELECT ${PAIR_COLUMNS_SQL}
     FROM (SELECT p.id AS pid FROM ${FROM_PAIRS} WHERE p.moved_ms >= ? AND p.id > ?${project.sql} AND ${w.sql} ORDER BY p.id LIMIT ?) page
     JOIN pairs p ON p.id = page.pid JOIN docs da ON da.id = p.issue_a JOIN docs db ON db.id = p.issue_b
     ORDER BY p.id`,
    [page.sinceMs, page.afterId, ...project.params, ...w.params, page.limit],
  );
  return rows.map(pairFrom);
}

/** Every active pair of one issue (either side), best first. Uses pairs_issue_a / pairs_issue_b. */
export async function pairsOfIssueWithDocs(issueId: string, limit = 200): Promise<PairRow[]> {
  const rows = await select(
    `(${PAIR_SELECT} WHERE p.issue_a = ? AND p.active = 1 ORDER BY p.score DESC LIMIT ?)
     UNION ALL
     (${PAIR_SELECT} WHERE p.issue_b = ? AND p.active = 1 ORDER BY p.score DESC LIMIT ?)`,
    [issueId, limit, issueId, limit],
  );
  return rows.map(pairFrom).sort(strongestFirst);
}

/** Issue keys of stored issues, by id (ids not stored are left out). */
export async function issueKeysOf(ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const rows = await select(`SELECT id, issue_key FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) out.set(str(r['id']), str(r['issue_key']));
  }
  return out;
}

/** A stored issue's Duplicate links, as the last analysis or link event read them. */
export interface LinkedDoc {
  id: string;
  key: string;
  projectKey: string;
  securityLevel: string;
  dupLinks: string[];
}

/** The stored Duplicate links of these issues (ids not stored are left out). */
export async function dupLinksOf(ids: string[]): Promise<Map<string, LinkedDoc>> {
  const out = new Map<string, LinkedDoc>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const rows = await select(`SELECT id, issue_key, project_key, security_level, dup_links FROM docs WHERE id IN (${placeholders(slice.length)})`, slice);
    for (const r of rows) {
      const id = str(r['id']);
      out.set(id, { id, key: str(r['issue_key']), projectKey: str(r['project_key']), securityLevel: str(r['security_level']), dupLinks: decodeDupLinks(str(r['dup_links'])).ids });
    }
  }
  return out;
}

/** Active pairs whose two issues are both among `issueIds` (a cluster's own pairs). */
export async function pairsAmong(issueIds: string[]): Promise<PairRow[]> {
  const ids = [...new Set(issueIds)];
  if (ids.length < 2) return [];
  const list = placeholders(ids.length);
  const rows = await select(`${PAIR_SELECT} WHERE p.issue_a IN (${list}) AND p.issue_b IN (${list}) AND p.active = 1`, [...ids, ...ids]);
  return rows.map(pairFrom);
}

/** A dismissed pair between two of a set of issues (`dismissedPairsAmong`). */
export interface DismissedPair {
  id: string;
  a: string;
  b: string;
  decidedBy: string | null;
  decidedMs: number | null;
  dismissReason: DismissReason | null;
}

/**
 * The active dismissed pairs, of either tier, whose two issues are both among `issueIds`: the
 * pairs a person said are not duplicates, which a cluster link would join all the same. Only
 * the review columns; the (issue_a) index narrows the read to the issues named.
 */
export async function dismissedPairsAmong(issueIds: string[]): Promise<DismissedPair[]> {
  const ids = [...new Set(issueIds)];
  if (ids.length < 2) return [];
  const list = placeholders(ids.length);
  const rows = await select(
    `SELECT id, issue_a, issue_b, decided_by, decided_ms, dismiss_reason FROM pairs WHERE issue_a IN (${list}) AND issue_b IN (${list}) AND active = 1 AND status = 'dismissed' ORDER BY id`,
    [...ids, ...ids],
  );
  return rows.map((r) => ({
    id: str(r['id']),
    a: str(r['issue_a']),
    b: str(r['issue_b']),
    decidedBy: strOrNull(r['decided_by']),
    decidedMs: numOrNull(r['decided_ms']),
    dismissReason: dismissReasonOf(r['dismiss_reason']),
  }));
}

export async function getPair(pairId: string): Promise<PairRow | null> {
  const rows = await select(`${PAIR_SELECT} WHERE p.id = ?`, [pairId]);
  const row = rows[0];
  return row ? pairFrom(row) : null;
}

export async function getPairs(pairIds: string[]): Promise<PairRow[]> {
  if (pairIds.length === 0) return [];
  const rows = await select(`${PAIR_SELECT} WHERE p.id IN (${placeholders(pairIds.length)})`, pairIds);
  return rows.map(pairFrom);
}

/** An issue under a security level. */
export interface SecuredDoc {
  id: string;
  key: string;
  projectKey: string;
  level: string;
}

/**
 * Issues of these projects under a security level, by id, at most `limit + 1` (so a caller
 * can tell "more than limit"). One range read of the (security_level, project_key) index,
 * empty in a backlog without issue security.
 */
export async function securedDocs(projects: readonly string[], limit: number): Promise<SecuredDoc[]> {
  if (projects.length === 0) return [];
  const rows = await select(
    `SELECT id, issue_key, project_key, security_level FROM docs WHERE security_level <> '' AND project_key IN (${placeholders(projects.length)}) ORDER BY id LIMIT ${Math.max(0, Math.floor(limit)) + 1}`,
    [...projects],
  );
  return rows.map((r) => ({ id: str(r['id']), key: str(r['issue_key']), projectKey: str(r['project_key']), level: str(r['security_level']) }));
}

/** Each (project, level) of these projects' secured issues, with up to `sample` of its issue ids. */
export async function securedGroups(projects: readonly string[], sample: number): Promise<Array<SecurityGroup & { ids: string[] }>> {
  if (projects.length === 0) return [];
  const groups = await select(
    `SELECT DISTINCT project_key, security_level FROM docs WHERE security_level <> '' AND project_key IN (${placeholders(projects.length)})`,
    [...projects],
  );
  const out: Array<SecurityGroup & { ids: string[] }> = [];
  for (const g of groups) {
    const group = { projectKey: str(g['project_key']), level: str(g['security_level']) };
    const ids = await select(`SELECT id FROM docs WHERE security_level = ? AND project_key = ? ORDER BY id LIMIT ${Math.max(1, Math.floor(sample))}`, [group.level, group.projectKey]);
    out.push({ ...group, ids: ids.map((r) => str(r['id'])) });
  }
  return out.sort((a, b) => a.projectKey.localeCompare(b.projectKey) || a.level.localeCompare(b.level));
}

/** Project keys that have indexed issues: the candidates for the viewer's permission check. */
export async function indexedProjectKeys(): Promise<string[]> {
  const rows = await select('SELECT DISTINCT project_key FROM docs');
  return rows.map((r) => str(r['project_key'])).sort();
}

/**
 * Records a decision. `expected` guards against two people deciding the same pair at once:
 * when the status changed meanwhile, nothing is written and false comes back.
 * Back to pending is a reopen, remembered in `reopened_ms` (`atMs`) so that it outlasts a stay
 * of its issues out of scope (see retirePairsOfIssues); `reopenedMs` sets it as given instead
 * (a decision undone puts back what the pair had). Any other decision clears it.
 */
export async function setPairStatus(
  pairId: string,
  status: ReviewStatus,
  decidedBy: string | null,
  atMs: number,
  expected: ReviewStatus,
  dismissReason: DismissReason | null = null,
  reopenedMs?: number | null,
): Promise<boolean> {
  const decided = status === 'pending' ? [null, null] : [decidedBy, atMs];
  // A person's decision replaces a confirmation that came from a Jira link; a reason belongs
  // to a dismissal only.
  const reason = status === 'dismissed' ? dismissReason : null;
  const reopened = status === 'pending' ? (reopenedMs === undefined ? atMs : reopenedMs) : null;
  const changed = await execute(
    'UPDATE pairs SET status = ?, decided_by = ?, decided_ms = ?, decided_in_jira = 0, dismiss_reason = ?, dismiss_reason_by = ?, reopened_ms = ? WHERE id = ? AND status = ?',
    [status, ...decided, reason, reason === null ? null : decidedBy, reopened, pairId, expected],
  );
  return changed > 0;
}

/**
 * Records why a dismissed pair is not a duplicate (null: no reason), and who said so; false
 * when the pair is no longer dismissed.
 */
export async function setDismissReason(pairId: string, reason: DismissReason | null, by: string | null): Promise<boolean> {
  const rows = await select("SELECT id FROM pairs WHERE id = ? AND status = 'dismissed'", [pairId]);
  if (rows.length === 0) return false;
  await execute("UPDATE pairs SET dismiss_reason = ?, dismiss_reason_by = ? WHERE id = ? AND status = 'dismissed'", [reason, reason === null ? null : by, pairId]);
  return true;
}

// ---------------------------------------------------------------------------------------
// Statistics (same visibility rule as the lists).

/** Pairs in one score bucket, and how many of them are in the duplicate tier. */
export interface BucketCount {
  count: number;
  duplicates: number;
}

/**
 * Pair counts per score bucket `floor(score / width)`; the width divides 1 (0.05 → 20
 * buckets). A score of exactly 1 counts in the last bucket, so keys run 0 .. buckets - 1.
 */
export async function scoreBuckets(q: PairQuery, bucketsPerUnit: number): Promise<Map<number, BucketCount>> {
  const out = new Map<number, BucketCount>();
  if (q.visibleProjects.length === 0) return out;
  const w = withProject(q);
  const per = Math.max(1, Math.round(bucketsPerUnit));
  // The epsilon keeps 0.45 * 20 = 8.999… in bucket 9; grouping by the alias keeps TiDB's
  // ONLY_FULL_GROUP_BY happy.
  const rows = await select(
    `SELECT FLOOR(p.score * ${per} + 0.000001) AS bucket, COUNT(*) AS n,
            SUM(CASE WHEN p.tier = 'duplicate' THEN 1 ELSE 0 END) AS dup
     FROM ${FROM_PAIRS}
     WHERE ${w.sql} GROUP BY bucket`,
    w.params,
  );
  for (const r of rows) {
    const bucket = Math.min(num(r['bucket']), per - 1);
    const seen = out.get(bucket) ?? { count: 0, duplicates: 0 };
    out.set(bucket, { count: seen.count + num(r['n']), duplicates: seen.duplicates + num(r['dup']) });
  }
  return out;
}

/**
 * Pairs per review status, how many of them are in the duplicate tier, and (dismissed pairs
 * only have one) how many for each dismissal reason.
 */
export async function countByStatus(q: PairQuery): Promise<Map<string, { count: number; duplicates: number; reasons: Record<DismissReason, number> }>> {
  const out = new Map<string, { count: number; duplicates: number; reasons: Record<DismissReason, number> }>();
  if (q.visibleProjects.length === 0) return out;
  const w = withProject(q);
  const rows = await select(
    `SELECT p.status AS status, COUNT(*) AS n, SUM(CASE WHEN p.tier = 'duplicate' THEN 1 ELSE 0 END) AS d,
            SUM(CASE WHEN p.dismiss_reason = 'different' THEN 1 ELSE 0 END) AS r_different,
            SUM(CASE WHEN p.dismiss_reason = 'related' THEN 1 ELSE 0 END) AS r_related,
            SUM(CASE WHEN p.dismiss_reason = 'split' THEN 1 ELSE 0 END) AS r_split
     FROM ${FROM_PAIRS}
     WHERE ${w.sql} GROUP BY p.status`,
    w.params,
  );
  for (const r of rows) {
    out.set(str(r['status']), {
      count: num(r['n']),
      duplicates: num(r['d']),
      reasons: { different: num(r['r_different']), related: num(r['r_related']), split: num(r['r_split']) },
    });
  }
  return out;
}

const DAY_MS = 86_400_000;
/** 1970-01-05, the first Monday of the epoch: weeks here start on Mondays (UTC). */
const FIRST_MONDAY_MS = 4 * DAY_MS;
export const WEEK_MS = 7 * DAY_MS;

/** The Monday (00:00 UTC) of the week `ms` falls in. */
export function weekStartOf(ms: number): number {
  return FIRST_MONDAY_MS + Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS;
}

/**
 * The decisions standing now (confirmed and dismissed pairs), per week they were made in,
 * from `sinceMs` on; weeks without any are left out. A pair reopened since is not counted.
 */
export async function decisionsByWeek(q: PairQuery, sinceMs: number): Promise<Array<{ weekStartMs: number; confirmed: number; dismissed: number }>> {
  if (q.visibleProjects.length === 0) return [];
  const decided = sidesTable(q, 'p.decided_ms, p.status', { sql: "p.status IN ('confirmed', 'dismissed') AND p.decided_ms >= ?", params: [weekStartOf(sinceMs)] });
  const rows = await select(
    `SELECT FLOOR((p.decided_ms - ${FIRST_MONDAY_MS}) / ${WEEK_MS}) AS wk,
            SUM(CASE WHEN p.status = 'confirmed' THEN 1 ELSE 0 END) AS c, SUM(CASE WHEN p.status = 'dismissed' THEN 1 ELSE 0 END) AS d
     FROM ${decided.sql} GROUP BY wk ORDER BY wk`,
    decided.params,
  );
  return rows.map((r) => ({ weekStartMs: FIRST_MONDAY_MS + num(r['wk']) * WEEK_MS, confirmed: num(r['c']), dismissed: num(r['d']) }));
}

/**
 * Who made the decisions standing now, made from `sinceMs` on (the weeks `decisionsByWeek`
 * counts), most first (at most `limit` people): pairs confirmed or dismissed by a person,
 * in the app or by a Duplicate link in Jira whose event named them; a confirmation from a
 * link nobody was named for has no one to count under.
 */
export async function decisionsByPerson(q: PairQuery, sinceMs: number, limit = 10): Promise<Array<{ accountId: string; confirmed: number; dismissed: number }>> {
  if (q.visibleProjects.length === 0) return [];
  const decided = sidesTable(q, 'p.decided_by, p.status', {
    sql: "p.status IN ('confirmed', 'dismissed') AND p.decided_by IS NOT NULL AND p.decided_ms >= ?",
    params: [weekStartOf(sinceMs)],
  });
  const rows = await select(
    `SELECT p.decided_by AS who,
            SUM(CASE WHEN p.status = 'confirmed' THEN 1 ELSE 0 END) AS c, SUM(CASE WHEN p.status = 'dismissed' THEN 1 ELSE 0 END) AS d
     FROM ${decided.sql}
     GROUP BY p.decided_by ORDER BY COUNT(*) DESC, p.decided_by LIMIT ${Math.max(1, Math.floor(limit))}`,
    decided.params,
  );
  return rows.map((r) => ({ accountId: str(r['who']), confirmed: num(r['c']), dismissed: num(r['d']) }));
}

/** Pairs per issue type; a pair of a Bug and a Task counts once for each type. */
export async function countByType(q: PairQuery): Promise<Array<{ type: string; count: number }>> {
  if (q.visibleProjects.length === 0) return [];
  const w = withProject(q);
  const rows = await select(
    `SELECT t.type AS type, COUNT(*) AS n FROM (
       SELECT p.id AS id, d.issue_type AS type FROM pairs p JOIN docs d ON d.id = p.issue_a WHERE ${w.sql}
       UNION
       SELECT p.id AS id, d.issue_type AS type FROM pairs p JOIN docs d ON d.id = p.issue_b WHERE ${w.sql}
     ) t GROUP BY t.type ORDER BY n DESC, t.type ASC LIMIT 100`,
    [...w.params, ...w.params],
  );
  return rows.map((r) => ({ type: str(r['type']), count: num(r['n']) }));
}
