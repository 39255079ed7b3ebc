/**
 * The action log: who did what, when (table `actions`). Append-only; retention trims it.
 * `detail` is a short machine-or-person-readable note (never issue text).
 */
import { clipCodePoints } from '../shared/code-points';
import { randomUUID } from 'node:crypto';
import type { ActionView } from '../shared/contract';
import { execute, RETENTION_BATCH, RETENTION_ROUNDS, iso, num, select, str, strOrNull, type SqlParam } from './db';
import { publicRunError } from './runs';

export type ActionKind = ActionView['action'];

export interface ActionInput {
  action: ActionKind;
  actorAccountId: string | null;
  pairId?: string | null;
  issueKeys?: string[];
  /**
   * Every project the action concerns, its issue keys' and its detail's: the history shows
   * the entry only to someone who may browse all of them (the first two are indexed columns,
   * the rest `more_projects`).
   */
  projectKeys?: string[];
  detail?: string | null;
  /** The bulk action the entry is one decision of (one id for all of them); null otherwise. */
  batchId?: string | null;
}

/**
 * The projects past the first two, as ",K3,K4," (null when none). Too many to store is
 * unlikely (a project key is at most 32 characters here); then the entry names a project
 * no key can match, so it is shown to nobody but those who see every action (admins' null
 * filter) rather than to someone who may not browse one of them.
 */
function moreProjects(projects: string[]): string | null {
  const rest = projects.slice(2);
  if (rest.length === 0) return null;
  const joined = `,${rest.join(',')},`;
  return joined.length <= 400 ? joined : ',(too many projects),';
}

export async function appendAction(input: ActionInput, atMs: number = Date.now()): Promise<ActionView> {
  const id = randomUUID();
  const keys = (input.issueKeys ?? []).join(',').slice(0, 400);
  const projects = [...new Set(input.projectKeys ?? [])];
  const detail = input.detail ? clipCodePoints(input.detail, 1000) : null;
  await execute(
    'INSERT INTO actions (id, at_ms, actor, action, pair_id, issue_keys, project_key, project_key_2, more_projects, detail, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, atMs, input.actorAccountId, input.action, input.pairId ?? null, keys, projects[0] ?? null, projects[1] ?? null, moreProjects(projects), detail, input.batchId ?? null],
  );
  return {
    id,
    at: iso(atMs) ?? new Date(atMs).toISOString(),
    actorAccountId: input.actorAccountId,
    action: input.action,
    pairId: input.pairId ?? null,
    issueKeys: keys === '' ? [] : keys.split(','),
    detail,
    batchId: input.batchId ?? null,
  };
}

/**
 * The history entry of something already done (a decision, a link made in Jira, settings
 * saved): tried twice, and a failure to write it is logged, never thrown. The entry records
 * the deed; losing it must not turn a decision that was made, and a link Jira holds, into an
 * answer that says nothing was saved (and invites doing it again). Null when not written.
 */
export async function recordAction(input: ActionInput, atMs: number = Date.now()): Promise<ActionView | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendAction(input, atMs);
    } catch (err) {
      if (attempt >= 2) {
        console.warn(`actions: the history entry for ${input.action} could not be written (${err instanceof Error ? err.message : String(err)})`);
        return null;
      }
    }
  }
}

/** Many actions at one time, in multi-row statements (an analysis that records one per pair). */
export async function appendActions(inputs: readonly ActionInput[], atMs: number = Date.now()): Promise<number> {
  const rows: SqlParam[][] = inputs.map((input) => {
    const projects = [...new Set(input.projectKeys ?? [])];
    return [
      randomUUID(),
      atMs,
      input.actorAccountId,
      input.action,
      input.pairId ?? null,
      (input.issueKeys ?? []).join(',').slice(0, 400),
      projects[0] ?? null,
      projects[1] ?? null,
      moreProjects(projects),
      input.detail ? clipCodePoints(input.detail, 1000) : null,
      input.batchId ?? null,
    ];
  });
  for (let i = 0; i < rows.length; i += 200) {
    const batch = rows.slice(i, i + 200);
    await execute(
      `INSERT INTO actions (id, at_ms, actor, action, pair_id, issue_keys, project_key, project_key_2, more_projects, detail, batch_id) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flat(),
    );
  }
  return rows.length;
}

const GLOBAL_RUN_ACTIONS = "'run.start', 'run.cancel', 'run.fail'";

/** Project patterns per REGEXP when leaving out hidden issues' entries. */
const HIDDEN_PER_PATTERN = 200;
/**
 * Characters of keys (or issue ids, each with one for its separator) per REGEXP, written as a
 * trie (wordsPattern): about 800 keys such as SHOP-12345, or 120 of the longest (64
 * characters). The engine reads a trie in time by a key's length, not by how many keys it
 * holds, so fewer, larger patterns cost less (500 hidden issues and 200 former keys on 100,000
 * entries took half the time in one pattern each as in patterns of 200 keys); MariaDB refuses
 * a pattern much past 30,000 characters (1,000 keys of 36), and these stay near 8,000 (a
 * trie is never longer than its words and a few characters of grouping each).
 */
const HIDDEN_CHARS_PER_TRIE = 8000;

/** `words` sorted, in runs of at most HIDDEN_CHARS_PER_TRIE characters (a longer word alone). */
function trieChunks(words: readonly string[]): string[][] {
  const out: string[][] = [];
  let run: string[] = [];
  let chars = 0;
  for (const word of [...new Set(words)].filter((w) => w !== '').sort()) {
    if (run.length > 0 && chars + word.length + 1 > HIDDEN_CHARS_PER_TRIE) {
      out.push(run);
      run = [];
      chars = 0;
    }
    run.push(word);
    chars += word.length + 1;
  }
  if (run.length > 0) out.push(run);
  return out;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A trie of words by character: `end` when a word ends here. */
interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * A pattern that matches exactly these words (no anchors), their common beginnings written
 * once: "SHOP-1|SHOP-12|SHOP-2" as "SHOP-(?:12?|2)". The database's regex engine tries an
 * alternation one branch after the other at every place it may start, so a list of keys that
 * share a project and leading digits costs it far more than the same keys as a trie (one
 * sixth of the time on 100,000 history rows, 200 random keys a pattern; MariaDB's PCRE and
 * TiDB's RE2 read the same syntax).
 */
export function wordsPattern(words: readonly string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const word of new Set(words)) {
    if (word === '') continue;
    let node = root;
    for (const ch of word) {
      let child = node.next.get(ch);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  // Recursion as deep as the longest word (a key or an issue id: at most 64 characters).
  const emit = (node: TrieNode): string => {
    const branches = [...node.next.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([ch, child]) => escapeRegex(ch) + emit(child));
    if (branches.length === 0) return '';
    if (branches.length === 1 && !node.end) return branches[0] ?? '';
    return `(?:${branches.join('|')})${node.end ? '?' : ''}`;
  };
  return emit(root);
}

/**
 * What the history lists and pages by: an entry is one action, or one bulk action (all the
 * rows of one `batch_id` that the filters keep, whatever their kind). An entry is dated by
 * its first row, so a bulk action still being written keeps its place.
 */
const ENTRY = 'COALESCE(batch_id, id)';

export interface ActionPage {
  /** The rows of the page's entries, entry by entry (newest first), each entry's rows newest first. */
  items: ActionView[];
  /** Entries, not rows, up to `asOfMs`. */
  total: number;
  /** Entries that began after `asOfMs`: not on any page until the history is read from the top again. */
  newer: number;
  /**
   * The time the pages are of (the one asked for; else now, or the newest row's when later):
   * entries begun after it are on no page, so they push no older entry to the next one.
   */
  asOfMs: number;
}

/**
 * Newest first, `pageSize` entries a page (see ENTRY): a bulk action is never cut between
 * pages, nor split around other entries. `asOfMs`: page the history as it stood then (the
 * `asOfMs` of the page read before), so entries added meanwhile shift nothing; without it,
 * everything there is.
 * `projectKeys` (the projects the viewer may browse; null = no restriction): an action is
 * listed only when every project it names is among them. `involving`: only actions naming
 * that project, and runs of every project (the project page's history). `globalOnly`: only
 * actions that name no project (settings, runs of every project, the create check: the
 * admin page's history).
 */
export async function listActions(opts: {
  projectKeys?: string[] | null;
  involving?: string | null;
  globalOnly?: boolean;
  /** Only these actions. */
  actions?: readonly ActionKind[];
  /** Only this person's actions. */
  actor?: string;
  /** Only actions naming this issue key (exactly, as stored: upper-case). */
  issueKey?: string;
  /**
   * Leaves out actions naming one of these issues (hidden by issue security). An entry keeps
   * the keys it was written with: the caller names a moved issue's former keys too
   * (src/store/former-keys.ts).
   */
  hiddenKeys?: readonly string[];
  /**
   * The same issues by id: leaves out actions on a pair of one of them. An entry keeps the
   * keys it was written with, and an issue moved to another project since has a new key, so
   * its old entries name a key `hiddenKeys` no longer holds; the pair id is made of issue ids.
   */
  hiddenIds?: readonly string[];
  /** Leaves out actions naming any issue of these projects (a security level too large to check issue by issue). */
  hiddenProjects?: readonly string[];
  page?: number;
  pageSize?: number;
  asOfMs?: number;
}): Promise<ActionPage> {
  const pageSize = Math.max(1, Math.min(200, Math.floor(opts.pageSize ?? 50)));
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const now = Date.now();
  const none: ActionPage = { items: [], total: 0, newer: 0, asOfMs: Math.floor(opts.asOfMs ?? now) };
  const projects = opts.projectKeys ?? null;
  if (projects !== null && projects.length === 0) return none;
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  if (projects !== null) {
    const list = projects.map(() => '?').join(', ');
    conditions.push(`(project_key IS NULL OR project_key IN (${list}))`, `(project_key_2 IS NULL OR project_key_2 IN (${list}))`);
    params.push(...projects, ...projects);
    // Every key in more_projects (",K3,K4,") is a visible one: as many of the visible keys
    // occur in it as it holds keys (its commas less one).
    const occurrences = projects.map(() => "(INSTR(more_projects, CONCAT(',', ?, ',')) > 0)").join(' + ');
    conditions.push(`(more_projects IS NULL OR CHAR_LENGTH(more_projects) - CHAR_LENGTH(REPLACE(more_projects, ',', '')) - 1 = ${occurrences})`);
    params.push(...projects);
  }
  if (opts.involving) {
    // Runs of every project analysed this one too; other global actions (settings, the
    // create check) belong to the admin page, and their details may name other projects.
    conditions.push(
      `(project_key = ? OR project_key_2 = ? OR INSTR(more_projects, CONCAT(',', ?, ',')) > 0 OR (project_key IS NULL AND action IN (${GLOBAL_RUN_ACTIONS})))`,
    );
    params.push(opts.involving, opts.involving, opts.involving);
  }
  if (opts.globalOnly) conditions.push('project_key IS NULL');
  if (opts.actions !== undefined) {
    if (opts.actions.length === 0) return none;
    conditions.push(`action IN (${opts.actions.map(() => '?').join(', ')})`);
    params.push(...opts.actions);
  }
  if (opts.actor !== undefined) {
    conditions.push('actor = ?');
    params.push(opts.actor);
  }
  if (opts.issueKey !== undefined) {
    // issue_keys is a comma-separated list of keys (no key holds a comma).
    conditions.push('FIND_IN_SET(?, issue_keys) > 0');
    params.push(opts.issueKey);
  }
  // issue_keys is "K-1,K-2": a key is named when it stands between commas or the ends.
  // Patterns of up to HIDDEN_CHARS_PER_TRIE characters of keys each, written as tries
  // (wordsPattern), so none grows past what the regex engine compiles.
  const hiddenProjects = [...new Set(opts.hiddenProjects ?? [])];
  const named = trieChunks(opts.hiddenKeys ?? []).map(wordsPattern);
  for (let i = 0; i < hiddenProjects.length; i += HIDDEN_PER_PATTERN) {
    named.push(hiddenProjects.slice(i, i + HIDDEN_PER_PATTERN).map((p) => `${escapeRegex(p)}-[0-9]+`).join('|'));
  }
  for (const pattern of named) {
    conditions.push('issue_keys NOT REGEXP ?');
    params.push(`(^|,)(${pattern})(,|$)`);
  }
  // pair_id is "<id>-<id>": an id is named when it stands at either end.
  for (const chunk of trieChunks(opts.hiddenIds ?? [])) {
    const ids = wordsPattern(chunk);
    conditions.push('(pair_id IS NULL OR pair_id NOT REGEXP ?)');
    params.push(`^(${ids})-|-(${ids})$`);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  // Without a time to page at, everything there is now, the newest row included even when
  // its writer's clock ran a little ahead of this one's.
  const at = opts.asOfMs === undefined ? null : Math.floor(opts.asOfMs);
  const [counted, entries] = await Promise.all([
    // Entries counted without grouping: the rows without a batch, and the batches; a batch
    // began by a time exactly when one of its rows is dated by then (its first row is).
    select(
      `SELECT COALESCE(SUM(batch_id IS NULL), 0) + COUNT(DISTINCT batch_id) AS entries, COALESCE(SUM(batch_id IS NULL AND at_ms <= ?), 0) + COUNT(DISTINCT CASE WHEN at_ms <= ? THEN batch_id END) AS upto, MAX(at_ms) AS newest FROM actions ${where}`,
      [at ?? Number.MAX_SAFE_INTEGER, at ?? Number.MAX_SAFE_INTEGER, ...params],
    ),
    select(
      `SELECT ${ENTRY} AS entry, MIN(at_ms) AS first_ms, MAX(batch_id) AS batch FROM actions ${where} GROUP BY ${ENTRY}${at === null ? '' : ' HAVING MIN(at_ms) <= ?'} ORDER BY first_ms DESC, entry LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      at === null ? params : [...params, at],
    ),
  ]);
  const all = num(counted[0]?.entries);
  const upto = num(counted[0]?.upto);
  const result: ActionPage = { items: [], total: upto, newer: all - upto, asOfMs: at ?? Math.max(now, num(counted[0]?.newest)) };
  if (entries.length === 0) return result;
  const order = new Map(entries.map((e, i) => [str(e.entry), i]));
  const batches = entries.filter((e) => strOrNull(e.batch) !== null).map((e) => str(e.entry));
  const singles = entries.filter((e) => strOrNull(e.batch) === null).map((e) => str(e.entry));
  const which = [
    ...(batches.length > 0 ? [`batch_id IN (${batches.map(() => '?').join(', ')})`] : []),
    ...(singles.length > 0 ? [`(batch_id IS NULL AND id IN (${singles.map(() => '?').join(', ')}))`] : []),
  ];
  // No row of these entries is older than the oldest entry's first row: the time index bounds the read.
  const oldest = Math.min(...entries.map((e) => num(e.first_ms)));
  const rows = await select(
    `SELECT id, at_ms, actor, action, pair_id, issue_keys, detail, batch_id FROM actions ${where === '' ? 'WHERE' : `${where} AND`} at_ms >= ? AND (${which.join(' OR ')})`,
    [...params, oldest, ...batches, ...singles],
  );
  const entryOf = (r: (typeof rows)[number]): number => order.get(strOrNull(r.batch_id) ?? str(r.id)) ?? entries.length;
  rows.sort((x, y) => entryOf(x) - entryOf(y) || num(y.at_ms) - num(x.at_ms) || (str(x.id) < str(y.id) ? -1 : str(x.id) > str(y.id) ? 1 : 0));
  result.items = rows.map((r) => ({
    id: str(r.id),
    at: iso(r.at_ms) ?? new Date(0).toISOString(),
    actorAccountId: strOrNull(r.actor),
    action: str(r.action) as ActionKind,
    pairId: strOrNull(r.pair_id),
    issueKeys: str(r.issue_keys) === '' ? [] : str(r.issue_keys).split(','),
    // A run that failed before v020 quoted Jira in its entry: read as one failing now is written.
    detail: str(r.action) === 'run.fail' ? publicRunError(strOrNull(r.detail)) : strOrNull(r.detail),
    batchId: strOrNull(r.batch_id),
  }));
  return result;
}

/** When the oldest history entry was written (null when there is none): one read of the time index. */
export async function oldestActionMs(): Promise<number | null> {
  const rows = await select('SELECT MIN(at_ms) AS oldest FROM actions');
  const oldest = rows[0]?.oldest;
  return oldest === null || oldest === undefined ? null : num(oldest);
}

/**
 * Deletes history entries older than `cutoffMs`, `batch` at a time (each statement stays
 * well inside the SQL time limit however much a shorter retention leaves to delete), at most
 * `rounds` statements; what is left goes on the next day. Returns how many.
 */
export async function deleteActionsBefore(cutoffMs: number, batch = RETENTION_BATCH, rounds = RETENTION_ROUNDS): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < rounds; round++) {
    const n = await execute(`DELETE FROM actions WHERE at_ms < ? LIMIT ${batch}`, [cutoffMs]);
    deleted += n;
    if (n < batch) break;
  }
  return deleted;
}
